"""The standard layout: a brand-coloured header band on page one, a light header after, a full footer."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib.colors import Color, white
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate, Paragraph, Spacer

from handouts import images, inline
from handouts.render import RenderContext, field_lines
from handouts.sheet import Sheet
from handouts.styles import Theme

from . import layout
from .base import TOTAL_FORM, Layout


@dataclass(frozen=True)
class Geometry:
    """Every position on the page, computed once from the page size and the footer's height."""

    width: float
    height: float
    margin: float
    band: float
    header: float
    footer: float
    gap: float

    @property
    def text_width(self) -> float:
        """Width of the text frame."""
        return self.width - 2 * self.margin

    @property
    def first_frame(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the text frame on page one."""
        bottom = self.footer + self.gap
        return self.margin, bottom, self.text_width, self.height - self.band - self.gap - bottom

    @property
    def later_frame(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the text frame on later pages."""
        bottom = self.footer + self.gap
        return self.margin, bottom, self.text_width, self.height - self.header - self.gap - bottom

    @classmethod
    def for_page(cls, pagesize: tuple[float, float], footer_lines: int, footer_size: float) -> "Geometry":
        """Geometry for a page size and a footer of so many lines."""
        width, height = pagesize
        footer = 10 * mm + footer_lines * footer_size * 1.45
        return cls(width, height, margin=18 * mm, band=32 * mm, header=15 * mm, footer=footer, gap=7 * mm)


@layout("standard")
class StandardLayout(Layout):
    """One column of text; brand chrome on every page."""

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, **kwargs: Any):
        super().__init__(buffer, sheet, **kwargs)
        self.footer_lines = [line for line in (self._footer_left(), sheet.revision, sheet.brand.disclaimer) if line]
        self.geometry = Geometry.for_page(self.pagesize, len(self.footer_lines), self.footer_size)
        self._logo = self._prepare_logo()
        first = Frame(*self.geometry.first_frame, id="first", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(*self.geometry.later_frame, id="later", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate(id="first", frames=[first], onPage=self.draw_band, onPageEnd=self.draw_footer, autoNextPageTemplate="later"),
            PageTemplate(id="later", frames=[later], onPage=self.draw_light_header, onPageEnd=self.draw_footer),
        ])

    @property
    def content_width(self) -> float:
        return self.geometry.text_width

    def _footer_left(self) -> str:
        phone = self.sheet.brand.contact.get("phone", "")
        label = self.sheet.strings.phone
        return f"{self.sheet.brand.footer} · {label} {phone}" if phone else self.sheet.brand.footer

    def _prepare_logo(self) -> Any:
        logo = self.sheet.logo
        if logo is None:
            return None
        box = self.geometry.band - 12 * mm
        if isinstance(logo, images.Vector):
            return images.drawing(logo, box, box, self.theme.family.regular)
        return ImageReader(io.BytesIO(logo.data))

    def front_matter(self, ctx: RenderContext) -> list[Flowable]:
        """The title, and for instructions a strip for the patient's name, treatment date and provider."""
        sheet = self.sheet
        out: list[Flowable] = [Paragraph(inline.to_markup([inline.Span(sheet.handout.title)], "#000000"), self.styles["title"])]
        if sheet.handout.kind != "overview":
            patient = sheet.patient
            values = [patient.name or "", sheet.strings.long_date(patient.date, sheet.brand.date_format) if patient.date else "",
                      patient.provider or ""] if patient else ["", "", ""]
            labels = [sheet.strings.patient, sheet.strings.treatment_date, sheet.strings.provider]
            width = self.content_width
            out += [field_lines(labels, values, ctx, [width * 0.42, width * 0.3, width * 0.28], fillable=sheet.fillable), Spacer(1, 4 * mm)]
        return out

    def draw_band(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Page one: the brand band with logo, clinic name, sheet kind and phone number."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(0, g.height - g.band, g.width, g.band, stroke=0, fill=1)
        x = g.margin
        centre = g.height - g.band / 2
        if self._logo is not None:
            chip = g.band - 9 * mm
            canvas.setFillColor(white)
            canvas.roundRect(x, centre - chip / 2, chip, chip, 2.5 * mm, stroke=0, fill=1)
            self._draw_logo(canvas, x + 1.5 * mm, centre - chip / 2 + 1.5 * mm, chip - 3 * mm)
            x += chip + 5 * mm
        canvas.setFillColor(white)
        canvas.setFont(theme.family.bold, 16)
        canvas.drawString(x, centre + 1.5 * mm, sheet.brand.name)
        canvas.setFont(theme.family.regular, 10)
        canvas.drawString(x, centre - 4.5 * mm, f"{sheet.handout.treatment} · {sheet.kind_label}")
        phone = sheet.brand.contact.get("phone")
        if phone:
            right = g.width - g.margin
            canvas.setFont(theme.family.regular, 8.5)
            canvas.drawRightString(right, centre + 2 * mm, sheet.strings.phone)
            canvas.setFont(theme.family.bold, 13)
            canvas.drawRightString(right, centre - 4 * mm, phone)
        canvas.restoreState()

    def _draw_logo(self, canvas: Canvas, x: float, y: float, box: float) -> None:
        logo = self.sheet.logo
        if isinstance(logo, images.Vector):
            drawing = self._logo
            renderPDF.draw(drawing, canvas, x + (box - drawing.width) / 2, y + (box - drawing.height) / 2)
        elif logo is not None:
            w, h = (box, box * logo.aspect) if logo.aspect <= 1 else (box / logo.aspect, box)
            canvas.drawImage(self._logo, x + (box - w) / 2, y + (box - h) / 2, w, h, mask="auto")

    def draw_light_header(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Later pages: the clinic's name and the title over a thin rule in the brand colour."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(0, g.height - 2.2 * mm, g.width, 2.2 * mm, stroke=0, fill=1)
        y = g.height - g.header + 3 * mm
        canvas.setFont(theme.family.bold, 9)
        canvas.drawString(g.margin, y, sheet.brand.name)
        canvas.setFont(theme.family.regular, 9)
        canvas.setFillColor(theme.text)
        title = _fit(sheet.handout.title, theme.family.regular, 9, g.text_width * 0.6)
        canvas.drawRightString(g.width - g.margin, y, title)
        canvas.setStrokeColor(theme.primary)
        canvas.setLineWidth(0.6)
        canvas.line(g.margin, y - 2.5 * mm, g.width - g.margin, y - 2.5 * mm)
        canvas.restoreState()

    def draw_footer(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Every page: footer text and phone, revision line, disclaimer, and 'Page X of Y'."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        size = self.footer_size
        canvas.saveState()
        top = g.footer - 2 * mm
        canvas.setStrokeColor(theme.primary)
        canvas.setLineWidth(0.6)
        canvas.line(g.margin, top, g.width - g.margin, top)
        page_label = sheet.strings.page.format(page=canvas.getPageNumber(), total="")
        label_w = stringWidth(sheet.strings.page.format(page=88, total=88), theme.family.bold, size)
        y = top - size * 1.6
        for i, line in enumerate(self.footer_lines):
            font = theme.family.italic if i == 2 else theme.family.regular
            canvas.setFont(font, size)
            canvas.setFillColor(theme.text)
            canvas.drawString(g.margin, y, _fit(line, font, size, g.text_width - label_w - 6 * mm))
            if i == 0:
                x = g.width - g.margin - label_w
                canvas.setFont(theme.family.regular, size)
                canvas.drawString(x, y, page_label)
                canvas.saveState()
                canvas.translate(x + stringWidth(page_label, theme.family.regular, size), y)
                canvas.doForm(TOTAL_FORM)
                canvas.restoreState()
            y -= size * 1.45
        canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Text shortened with an ellipsis to fit a width (chrome only; content is never cut)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
