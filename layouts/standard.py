"""The standard layout: a brand-coloured header band on page one, a light header after, a full footer."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, ClassVar

from reportlab.lib.colors import white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate, Paragraph, Spacer

from handouts import inline
from handouts.flowables import RenderContext, field_lines
from handouts.sheet import Sheet

from . import layout
from .base import Layout
from .chrome import Logo, draw_page_label, fit, page_label_width


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
    def for_page(cls, pagesize: tuple[float, float], footer_lines: int, footer_size: float, margin: float = 18 * mm,
                 band: float = 32 * mm, header: float = 15 * mm, bottom: float = 10 * mm, max_text: float | None = None) -> "Geometry":
        """Geometry for a page size and a footer of so many lines; a text column wider than max_text is centred at that width."""
        width, height = pagesize
        if max_text is not None:
            margin = max(margin, (width - max_text) / 2)
        footer = bottom + footer_lines * footer_size * 1.45
        return cls(width, height, margin=margin, band=band, header=header, footer=footer, gap=7 * mm)


def frame(box: tuple[float, float, float, float], name: str) -> Frame:
    """A frame with no padding of its own (reportlab's default of 6 pt would shift every text edge)."""
    return Frame(*box, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


@layout("standard")
class StandardLayout(Layout):
    """One column of text; brand chrome on every page."""

    header_size: ClassVar[float] = 9.0
    stacked_patient_strip: ClassVar[bool] = False  # the name on a line of its own, where one row would be cramped

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, **kwargs: Any):
        super().__init__(buffer, sheet, **kwargs)
        self.footer_lines = [line for line in (self.footer_left(), sheet.revision, sheet.brand.disclaimer) if line]
        self.geometry = self.make_geometry()
        self.logo = Logo(sheet.logo, self.logo_box(), self.theme.family.regular)
        self.addPageTemplates(self.page_templates())

    def make_geometry(self) -> Geometry:
        """The page geometry of this layout."""
        return Geometry.for_page(self.pagesize, len(self.footer_lines), self.footer_size)

    @property
    def band_scale(self) -> float:
        """Type and spacing in the band follow its height (32 mm in the standard layout)."""
        return self.geometry.band / (32 * mm)

    def logo_box(self) -> float:
        """The side of the square the logo is fitted into: the white chip in the band, less its inset."""
        return self.geometry.band - 12 * mm * self.band_scale

    def page_templates(self) -> list[PageTemplate]:
        """Page one with the band, later pages with the light header."""
        g = self.geometry
        return [PageTemplate(id="first", frames=[frame(g.first_frame, "first")], onPage=self.draw_band, onPageEnd=self.draw_footer,
                             autoNextPageTemplate="later"),
                PageTemplate(id="later", frames=[frame(g.later_frame, "later")], onPage=self.draw_light_header, onPageEnd=self.draw_footer)]

    @property
    def content_width(self) -> float:
        return self.geometry.text_width

    def footer_left(self, phone_first: bool = False) -> str:
        """The brand's footer line with the clinic's phone number (first, where a cut should lose the footer instead)."""
        phone = self.sheet.brand.contact.get("phone", "")
        if not phone:
            return self.sheet.brand.footer
        number = f"{self.sheet.strings.phone} {phone}"
        return f"{number} · {self.sheet.brand.footer}" if phone_first else f"{self.sheet.brand.footer} · {number}"

    def front_matter(self, ctx: RenderContext) -> list[Flowable]:
        """The title, and for instructions a strip for the patient's name, treatment date and provider."""
        sheet = self.sheet
        out: list[Flowable] = [Paragraph(inline.to_markup([inline.Span(sheet.handout.title)], "#000000"), self.styles["title"])]
        if sheet.handout.kind != "overview":
            out += self.patient_strip(ctx, self.geometry.text_width) + [Spacer(1, 4 * mm)]
        return out

    def patient_strip(self, ctx: RenderContext, width: float) -> list[Flowable]:
        """Lines for the patient's name, treatment date and provider, filled in when they are known."""
        s = self.sheet.strings
        labels, values = [s.patient, s.treatment_date, s.provider], self.patient_values()
        if not self.stacked_patient_strip:
            return [field_lines(labels, values, ctx, [width * 0.42, width * 0.3, width * 0.28], fillable=ctx.fillable)]
        return [field_lines(labels[:1], values[:1], ctx, [width], fillable=ctx.fillable),
                field_lines(labels[1:], values[1:], ctx, [width * 0.5, width * 0.5], fillable=ctx.fillable)]

    def patient_values(self) -> list[str]:
        """The patient's name, treatment date and provider as printed ('' where not known)."""
        sheet, patient = self.sheet, self.sheet.patient
        if patient is None:
            return ["", "", ""]
        return [patient.name or "", sheet.strings.long_date(patient.date, sheet.brand.date_format) if patient.date else "", patient.provider or ""]

    def draw_band(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Page one: the brand band with logo, clinic name, sheet kind and phone number."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        k = self.band_scale
        t = max(k, 0.85)  # type shrinks with a smaller band, but less, to stay readable
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(0, g.height - g.band, g.width, g.band, stroke=0, fill=1)
        x = g.margin
        centre = g.height - g.band / 2
        if sheet.logo is not None:
            chip = g.band - 9 * mm * k
            canvas.setFillColor(white)
            canvas.roundRect(x, centre - chip / 2, chip, chip, 2.5 * mm * k, stroke=0, fill=1)
            self.logo.draw(canvas, x + 1.5 * mm * k, centre - chip / 2 + 1.5 * mm * k)
            x += chip + 5 * mm * k
        canvas.setFillColor(white)
        phone = sheet.brand.contact.get("phone")
        right = g.width - g.margin
        room = right - x
        if phone:
            canvas.setFont(theme.family.regular, 8.5 * t)
            canvas.drawRightString(right, centre + 2 * mm * t, sheet.strings.phone)
            canvas.setFont(theme.family.bold, 13 * t)
            canvas.drawRightString(right, centre - 4 * mm * t, phone)
            room -= max(stringWidth(phone, theme.family.bold, 13 * t), stringWidth(sheet.strings.phone, theme.family.regular, 8.5 * t)) + 6 * mm
        # A long clinic name gets smaller type (down to 11 pt), then an ellipsis, so it never runs into the phone number.
        size = max(11 * t, min(16 * t, 16 * t * room / max(stringWidth(sheet.brand.name, theme.family.bold, 16 * t), 1)))
        canvas.setFont(theme.family.bold, size)
        canvas.drawString(x, centre + 1.5 * mm * t, fit(sheet.brand.name, theme.family.bold, size, room))
        canvas.setFont(theme.family.regular, 10 * t)
        canvas.drawString(x, centre - 4.5 * mm * t, fit(f"{sheet.handout.treatment} · {sheet.kind_label}", theme.family.regular, 10 * t, room))
        canvas.restoreState()

    def draw_light_header(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Later pages: the clinic's name and the title over a thin rule in the brand colour."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        size = self.header_size
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(0, g.height - 2.2 * mm, g.width, 2.2 * mm, stroke=0, fill=1)
        y = g.height - g.header + 3 * mm
        canvas.setFont(theme.family.bold, size)
        canvas.drawString(g.margin, y, fit(sheet.brand.name, theme.family.bold, size, g.text_width * 0.38))
        canvas.setFont(theme.family.regular, size)
        canvas.setFillColor(theme.text)
        title = fit(sheet.handout.title, theme.family.regular, size, g.text_width * 0.6)
        canvas.drawRightString(g.width - g.margin, y, title)
        canvas.setStrokeColor(theme.primary)
        canvas.setLineWidth(0.6)
        canvas.line(g.margin, y - size * 0.8, g.width - g.margin, y - size * 0.8)
        canvas.restoreState()

    def draw_footer(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Every page: footer text and phone, revision line, disclaimer, and 'Page X of Y'."""
        g = self.geometry
        self.draw_footer_lines(canvas, g.margin, g.width - g.margin, g.footer - 2 * mm)

    def draw_footer_lines(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        """A rule at top, the footer lines under it, and 'Page X of Y' at the right of the first line."""
        theme, sheet = self.theme, self.sheet
        size = self.footer_size
        canvas.saveState()
        canvas.setStrokeColor(theme.primary)
        canvas.setLineWidth(0.6)
        canvas.line(left, top, right, top)
        label_w = page_label_width(sheet.strings, theme.family.bold, size)
        y = top - size * 1.6
        for i, line in enumerate(self.footer_lines):
            font = theme.family.italic if i == 2 and self.italics else theme.family.regular
            canvas.setFont(font, size)
            canvas.setFillColor(theme.text)
            room = right - left - (label_w + 6 * mm if i == 0 else 0)
            if i == 0 and stringWidth(line, font, size) > room:
                line = self.footer_left(phone_first=True)
            canvas.drawString(left, y, fit(line, font, size, room))
            if i == 0:
                draw_page_label(canvas, sheet.strings, right - label_w, y, theme.family.regular, size)
            y -= size * 1.45
        canvas.restoreState()
