"""Large print for older patients and people with low vision: 18 pt text in one 6-inch column, nothing on tints."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from handouts.content import Handout
from handouts.writing import text_width

from . import layout
from .chrome import as_artifact, draw_aligned, draw_lines, fit_text
from .standard import Geometry, StandardLayout


@layout("large-print")
class LargePrintLayout(StandardLayout):
    """The standard sheet at large-print sizes: a white header over a thick rule, upright captions, a 12 pt footer.

    It may take more pages than the handout's max_pages, which is written for the standard layout.
    """

    body_sizes: ClassVar[tuple[float, ...]] = (18.0,)
    heading_size: ClassVar[float] = 24.0
    title_size: ClassVar[float] = 30.0
    leading: ClassVar[float] = 1.4
    shaded: ClassVar[bool] = False
    italics: ClassVar[bool] = False
    min_size: ClassVar[float] = 18.0
    footer_size: ClassVar[float] = 12.0
    header_size: ClassVar[float] = 12.0
    rule: ClassVar[float] = 3.0  # the header's rule, in points
    rule_clearance: ClassVar[float] = 5 * mm  # the least room between the header's lowest line of text and its rule
    stacked_patient_strip: ClassVar[bool] = True
    min_chrome_size: ClassVar[float] = 12.0
    min_print_size: ClassVar[float] = 12.0  # the footer and running head; the text itself is 18 pt or more

    @classmethod
    def page_limit(cls, handout: Handout) -> int | None:
        return None

    def make_geometry(self, footer_lines: int) -> Geometry:
        return Geometry.for_page(self.pagesize, footer_lines, self.footer_size, margin=inch, band=1.55 * inch,
                                 header=0.95 * inch, bottom=0.5 * inch, max_text=6 * inch)

    def logo_limits(self) -> tuple[float, float]:
        return 2.2 * inch, 0.8 * inch

    def chip_width(self) -> float:
        return self.logo.width  # on white, no chip

    def plan_chrome(self) -> None:
        """Fit the header's text: the clinic's name at 20 pt (down to 16) and the kind at 14 beside the logo, the phone number
        large on the right; where the name would need more than one line there, the phone number moves under the kind and
        the name takes the width (in up to two lines)."""
        super().plan_chrome()
        theme, sheet = self.theme, self.sheet
        phone = sheet.brand.contact.get("phone")
        room = self.geometry.text_width - (self.logo.width + 5 * mm if sheet.logo is not None else 0)
        beside = room - (text_width(phone, theme.family.bold, 20) + 6 * mm if phone else 0)
        self.phone_below = None
        self.band_name = fit_text(sheet.brand.name, theme.family.bold, 20, 16, beside, 1)
        if not self.band_name.fits and not phone:
            self.band_name = fit_text(sheet.brand.name, theme.family.bold, 20, 16, beside)
        elif not self.band_name.fits:
            assert phone
            beside = room
            self.band_name = fit_text(sheet.brand.name, theme.family.bold, 20, 16, room)
            self.phone_below = fit_text(f"{sheet.strings.phone}\u00a0{phone.replace(' ', chr(0xA0))}", theme.family.bold, 16, 14, room, 1)
        self.note(self.band_name, "the clinic's name does not fit the large-print header in two lines at 16 pt", "a shorter clinic name")
        kind = f"{sheet.handout.treatment} · {sheet.kind_label}"
        # The treatment and the kind on one line, else on two; only where even two lines are too few, the kind alone.
        self.band_kind = fit_text(kind, theme.family.regular, 14, self.min_print_size, beside, 1)
        if not self.band_kind.fits:
            self.band_kind = fit_text(kind, theme.family.regular, 14, self.min_print_size, beside)
        if not self.band_kind.fits:
            self.band_kind = fit_text(sheet.kind_label, theme.family.regular, 14, self.min_print_size, beside)

    def band_text_height(self) -> float:
        """The height of the header's text block on the left."""
        gap = 1.5 * mm
        below = self.phone_below.height(1.12) + gap if self.phone_below else 0
        return self.band_name.height(1.12) + gap + self.band_kind.height(1.12) + below

    def fit_band(self, geometry: Geometry) -> Geometry:
        """A header tall enough for the logo and its text (never shorter than 1.55 in)."""
        needed = max(self.band_text_height(), self.logo.height) + 0.5 * inch + 4 * mm + self.rule_clearance
        return replace(geometry, band=max(geometry.band, needed))

    @as_artifact("header")
    def draw_band(self, canvas: Canvas, doc: StandardLayout) -> None:
        """Page one: logo, clinic name and sheet kind on white, the phone number large at the far end (or under the kind),
        a thick rule under; mirrored on a right-to-left sheet."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        rule_y = g.height - g.band + 2 * mm
        # Centred between the top margin and the rule less its clearance: a last line's descenders never touch the rule.
        centre = (g.height - 0.5 * inch + rule_y + self.rule_clearance - 2 * mm) / 2
        canvas.saveState()
        x, end = self.sides(g.margin, g.width - g.margin)
        if sheet.logo is not None:
            self.logo.draw(canvas, x - self.logo.width if self.rtl else x, centre - self.logo.height / 2)
            x += (self.logo.width + 5 * mm) * (-1 if self.rtl else 1)
        phone = sheet.brand.contact.get("phone")
        if phone and not self.phone_below:
            canvas.setFillColor(theme.text)
            canvas.setFont(theme.family.regular, 14)
            draw_aligned(canvas, end, centre + 3 * mm, sheet.strings.phone, self.trail)
            canvas.setFont(theme.family.bold, 20)
            draw_aligned(canvas, end, centre - 5 * mm, phone, self.trail)
        gap = 1.5 * mm
        canvas.setFillColor(theme.primary)
        y = draw_lines(canvas, self.band_name, theme.family.bold, x, centre + self.band_text_height() / 2, self.lead, leading=1.12)
        canvas.setFillColor(theme.text)
        y = draw_lines(canvas, self.band_kind, theme.family.regular, x, y - gap, self.lead, leading=1.12)
        if self.phone_below:
            draw_lines(canvas, self.phone_below, theme.family.bold, x, y - gap, self.lead, leading=1.12)
        canvas.setStrokeColor(theme.primary)
        canvas.setLineWidth(self.rule)
        canvas.line(g.margin, rule_y, g.width - g.margin, rule_y)
        canvas.restoreState()
