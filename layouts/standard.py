"""The standard layout: a brand-coloured header band on page one, a light header after, a full footer."""

from __future__ import annotations

import io
from typing import Any, ClassVar

from reportlab.lib.colors import white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate, Spacer

from handouts import inline
from handouts.compiled import dataclass
from handouts.flowables import RenderContext, field_lines, fits_one_line, labelled_values
from handouts.marking import artifact, content
from handouts.paragraphs import Paragraph
from handouts.sheet import Sheet
from handouts.structure import Node
from handouts.writing import text_width

from . import layout
from .base import Layout
from .chrome import Fitted, Logo, as_artifact, draw_aligned, draw_lines, draw_page_label, fit_text, page_label_width, split_lines


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
    """One column of text; brand chrome on every page.

    Chrome is planned when the layout is made, never cut: the clinic's name and the sheet's kind in the band, the
    running head and the footer lines wrap to a second line or step down in size to `min_chrome_size`; what does
    not fit even then is noted for the proof (and drawn whole, never shortened).
    """

    body_sizes: ClassVar[tuple[float, ...]] = (10.5, 10.0, 9.5)  # smaller only where 10.5 pt would break the page budget
    header_size: ClassVar[float] = 9.0
    min_chrome_size: ClassVar[float] = 7.0  # the smallest size a running head or band line steps down to
    stacked_patient_strip: ClassVar[bool] = False  # the name on a line of its own, where one row would be cramped
    logo_share: ClassVar[float] = 0.34  # the widest a wordmark may be, as a share of the text width

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, **kwargs: Any):
        super().__init__(buffer, sheet, **kwargs)
        self.notes: list[tuple[str, str]] = []
        self.geometry = self.make_geometry(3)
        self.footer_plan = self.plan_footer(self.footer_width())
        self.geometry = self.make_geometry(len(self.footer_plan))
        self.logo = Logo(sheet.logo, *self.logo_limits(), self.theme.family.regular)
        self.plan_chrome()
        self.geometry = self.fit_band(self.geometry)
        self.addPageTemplates(self.page_templates())

    def fit_band(self, geometry: Geometry) -> Geometry:
        """The geometry with a first-page band tall enough for its planned text (the standard band is fixed)."""
        return geometry

    def make_geometry(self, footer_lines: int) -> Geometry:
        """The page geometry of this layout, for a footer of so many lines."""
        return Geometry.for_page(self.pagesize, footer_lines, self.footer_size)

    @property
    def band_scale(self) -> float:
        """Type and spacing in the band follow its height (32 mm in the standard layout)."""
        return self.geometry.band / (32 * mm)

    def logo_limits(self) -> tuple[float, float]:
        """The widest and tallest the logo may print: the white chip in the band, less its inset."""
        return self.geometry.text_width * self.logo_share, self.geometry.band - 12 * mm * self.band_scale

    def logo_drawn(self) -> tuple[float, float] | None:
        return (self.logo.width, self.logo.height) if self.sheet.logo is not None else None

    def chrome_notes(self) -> list[tuple[str, str]]:
        return self.notes

    def note(self, fitted: Fitted, what: str, expected: str) -> Fitted:
        """Record chrome that does not fit even at its smallest size."""
        if not fitted.fits:
            self.notes.append((what, expected))
        return fitted

    def footer_width(self) -> float:
        """The width the footer lines are set in."""
        return self.geometry.text_width

    def plan_footer(self, width: float) -> list[tuple[str, str, int]]:
        """The footer's lines as drawn, (text, font, part): the brand's footer with the phone number beside 'Page X of Y'
        (part 0), the revision (1), the disclaimer (2); each wraps at spaces, never cut."""
        theme, sheet, size = self.theme, self.sheet, self.footer_size
        label = page_label_width(sheet.strings, theme.family.bold, size) + 6 * mm
        plan: list[tuple[str, str, int]] = []
        italic = theme.family.italic if self.italics else theme.family.regular
        for part, (text, font) in enumerate(((self.footer_left(), theme.family.regular), (sheet.revision, theme.family.regular),
                                             (sheet.brand.disclaimer, italic))):
            if text:
                room = width - (label if not plan else 0)
                plan += [(line, font, part) for line in split_lines(text, font, size, room) or [text]]
        return plan

    def chrome_structure(self) -> None:
        """The footer's parts, each a paragraph read after the story: the footer of the first page is real content (so the
        clinic's phone number and the disclaimer are read once), those of the other pages are artifacts."""
        parts = {part: " ".join(line for line, _, p in self.footer_plan if p == part) for part in dict.fromkeys(p for _, _, p in self.footer_plan)}
        # A right-to-left footer is drawn in visual order: its words in their logical order are what each part says.
        self.footer_nodes: dict[int, Node] = {part: self.structure.root.add("P", actual_text=text if self.rtl else None)
                                              for part, text in parts.items()}

    def plan_chrome(self) -> None:
        """Fit the band's and the running head's text to their room."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        k = self.band_scale
        t = max(k, 0.85)  # type shrinks with a smaller band, but less, to stay readable
        phone = sheet.brand.contact.get("phone")
        room = g.text_width - (self.chip_width() + 5 * mm * k if sheet.logo is not None else 0)
        if phone:
            room -= max(text_width(phone, theme.family.bold, 13 * t), text_width(sheet.strings.phone, theme.family.regular, 8.5 * t)) + 6 * mm
        self.band_name = self.note(fit_text(sheet.brand.name, theme.family.bold, 16 * t, 11 * t, room),
                                   f"the clinic's name does not fit the header band in two lines at {11 * t:.1f} pt",
                                   "a shorter clinic name")
        self.band_kind = fit_text(f"{sheet.handout.treatment} · {sheet.kind_label}", theme.family.regular, 10 * t, 8 * t, room)
        if not self.band_kind.fits:
            self.band_kind = self.note(fit_text(sheet.kind_label, theme.family.regular, 10 * t, 8 * t, room),
                                       "the sheet's kind does not fit the header band", "a shorter treatment name")
        self.band_room = room
        name_room = min(text_width(sheet.brand.name, theme.family.bold, self.header_size), g.text_width * 0.45)
        self.head_name = fit_text(sheet.brand.name, theme.family.bold, self.header_size, self.min_chrome_size, name_room + 0.5)
        self.head_title = self.note(fit_text(sheet.handout.title, theme.family.regular, self.header_size, self.min_chrome_size,
                                             g.text_width - name_room - 6 * mm),
                                    f"the title does not fit the running head in two lines at {self.min_chrome_size:g} pt",
                                    "a shorter title or clinic name")

    def chip_width(self) -> float:
        """The width of the white chip that holds the logo in the band."""
        return self.logo.width + 3 * mm * self.band_scale

    def page_templates(self) -> list[PageTemplate]:
        """Page one with the band, later pages with the light header."""
        g = self.geometry
        return [PageTemplate(id="first", frames=[frame(g.first_frame, "first")], onPage=self.draw_band, onPageEnd=self.draw_footer,
                             autoNextPageTemplate="later"),
                PageTemplate(id="later", frames=[frame(g.later_frame, "later")], onPage=self.draw_light_header, onPageEnd=self.draw_footer)]

    @property
    def content_width(self) -> float:
        return self.geometry.text_width

    def footer_left(self) -> str:
        """The brand's footer line with the clinic's phone number (the number kept on one line)."""
        phone = self.sheet.brand.contact.get("phone", "")
        if not phone:
            return self.sheet.brand.footer
        return f"{self.sheet.brand.footer} · {self.sheet.strings.phone}\u00a0{phone.replace(' ', chr(0xA0))}"

    def front_matter(self, ctx: RenderContext) -> list[Flowable]:
        """The title, and for instructions a strip for the patient's name, treatment date and provider."""
        sheet = self.sheet
        out: list[Flowable] = [ctx.tag(Paragraph(inline.to_markup([inline.Span(sheet.handout.title)], "#000000"), self.styles["title"]), "H1")]
        if sheet.handout.kind != "overview":
            out += self.patient_strip(ctx, self.geometry.text_width) + [Spacer(1, 4 * mm)]
        return out

    def patient_strip(self, ctx: RenderContext, width: float) -> list[Flowable]:
        """Lines for the patient's name, treatment date and provider to fill in by hand; filled in, the same row when every
        value fits on its line, else each value on a row of its own beside its label (a long name wraps, never crowds)."""
        s = self.sheet.strings
        labels, values = [s.patient, s.treatment_date, s.provider], self.patient_values()
        one_row = [width * 0.42, width * 0.3, width * 0.28]
        if any(values):
            if fits_one_line(values, ctx, one_row):
                return [field_lines(labels, values, ctx, one_row)]
            return [labelled_values([label for label, value in zip(labels, values) if value], [value for value in values if value], ctx, width)]
        if not self.stacked_patient_strip:
            return [field_lines(labels, values, ctx, one_row, fillable=ctx.fillable)]
        return [field_lines(labels[:1], values[:1], ctx, [width], fillable=ctx.fillable),
                field_lines(labels[1:], values[1:], ctx, [width * 0.5, width * 0.5], fillable=ctx.fillable)]

    def patient_values(self) -> list[str]:
        """The patient's name, treatment date and provider as printed ('' where not known)."""
        sheet, patient = self.sheet, self.sheet.patient
        if patient is None:
            return ["", "", ""]
        return [patient.name or "", sheet.strings.long_date(patient.date, sheet.brand.date_format) if patient.date else "", patient.provider or ""]

    @as_artifact("header")
    def draw_band(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Page one: the brand band with logo, clinic name and sheet kind where a line starts, the phone number where it
        ends (mirrored on a right-to-left sheet)."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        k = self.band_scale
        t = max(k, 0.85)
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(0, g.height - g.band, g.width, g.band, stroke=0, fill=1)
        x, end = self.sides(g.margin, g.width - g.margin)
        centre = g.height - g.band / 2
        if sheet.logo is not None:
            chip_h = g.band - 9 * mm * k
            chip_x = x - self.chip_width() if self.rtl else x
            canvas.setFillColor(white)
            canvas.roundRect(chip_x, centre - chip_h / 2, self.chip_width(), chip_h, 2.5 * mm * k, stroke=0, fill=1)
            self.logo.draw(canvas, chip_x + 1.5 * mm * k, centre - self.logo.height / 2)
            x += (self.chip_width() + 5 * mm * k) * (-1 if self.rtl else 1)
        canvas.setFillColor(white)
        phone = sheet.brand.contact.get("phone")
        if phone:
            canvas.setFont(theme.family.regular, 8.5 * t)
            draw_aligned(canvas, end, centre + 2 * mm * t, sheet.strings.phone, self.trail)
            canvas.setFont(theme.family.bold, 13 * t)
            draw_aligned(canvas, end, centre - 4 * mm * t, phone, self.trail)
        gap = 1.5 * mm * t
        height = self.band_name.height() + gap + self.band_kind.height()
        y = draw_lines(canvas, self.band_name, theme.family.bold, x, centre + height / 2, self.lead)
        draw_lines(canvas, self.band_kind, theme.family.regular, x, y - gap, self.lead)
        canvas.restoreState()

    @as_artifact("header")
    def draw_light_header(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Later pages: the clinic's name where a line starts and the title at its other end, over a thin rule in the
        brand colour (each may take two lines)."""
        g, theme = self.geometry, self.theme
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(0, g.height - 2.2 * mm, g.width, 2.2 * mm, stroke=0, fill=1)
        y = g.height - g.header + 3 * mm
        start, end = self.sides(g.margin, g.width - g.margin)
        for fitted, font, x, align, colour in ((self.head_name, theme.family.bold, start, self.lead, theme.primary),
                                               (self.head_title, theme.family.regular, end, self.trail, theme.text)):
            canvas.setFillColor(colour)
            draw_lines(canvas, fitted, font, x, y + fitted.size + (len(fitted.lines) - 1) * fitted.size * 1.18, align)
        canvas.setStrokeColor(theme.primary)
        canvas.setLineWidth(0.6)
        canvas.line(g.margin, y - self.header_size * 0.8, g.width - g.margin, y - self.header_size * 0.8)
        canvas.restoreState()

    def draw_footer(self, canvas: Canvas, doc: "StandardLayout") -> None:
        """Every page: footer text and phone, revision line, disclaimer, and 'Page X of Y'."""
        g = self.geometry
        self.draw_footer_lines(canvas, g.margin, g.width - g.margin, g.footer - 2 * mm)

    def draw_footer_lines(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        """A rule at top, the footer lines under it, and 'Page X of Y' at the far end of the first line (at the left on a
        right-to-left sheet). On the first page the lines are the footer paragraphs' content, on the others artifacts; the
        rule and 'Page X of Y' always are."""
        theme, sheet = self.theme, self.sheet
        size = self.footer_size
        real = canvas.getPageNumber() == 1 and getattr(self, "footer_nodes", None)
        canvas.saveState()
        with artifact(canvas, "footer"):
            canvas.setStrokeColor(theme.primary)
            canvas.setLineWidth(0.6)
            canvas.line(left, top, right, top)
        label_w = page_label_width(sheet.strings, theme.family.bold, size)
        start = right if self.rtl else left
        label_at = left + label_w if self.rtl else right - label_w
        y = top - size * 1.6
        canvas.setFillColor(theme.text)
        for i, (line, font, part) in enumerate(self.footer_plan):
            # A space between a part's lines, read back (not on a right-to-left sheet, where it would move a right-aligned
            # line: its footer's parts carry their text as ActualText).
            more = i + 1 < len(self.footer_plan) and self.footer_plan[i + 1][2] == part and not self.rtl
            with content(canvas, real[part]) if real else artifact(canvas, "footer"):
                canvas.setFont(font, size)
                draw_aligned(canvas, start, y, line + " " * more, self.lead)
            if i == 0:
                draw_page_label(canvas, sheet.strings, label_at, y, theme.family.regular, size)
            y -= size * 1.45
        canvas.restoreState()
