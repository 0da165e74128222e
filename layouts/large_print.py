"""Large print for older patients and people with low vision: 18 pt text in one 6-inch column, nothing on tints."""

from __future__ import annotations

from typing import ClassVar

from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from handouts.content import Handout

from . import layout
from .chrome import fit
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
    stacked_patient_strip: ClassVar[bool] = True

    @classmethod
    def page_limit(cls, handout: Handout) -> int | None:
        return None

    def make_geometry(self) -> Geometry:
        return Geometry.for_page(self.pagesize, len(self.footer_lines), self.footer_size, margin=inch, band=1.55 * inch,
                                 header=0.95 * inch, bottom=0.5 * inch, max_text=6 * inch)

    def logo_box(self) -> float:
        return 0.8 * inch

    def draw_band(self, canvas: Canvas, doc: StandardLayout) -> None:
        """Page one: logo, clinic name and sheet kind on white, the phone number large on the right, a thick rule under."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        rule_y = g.height - g.band + 2 * mm
        centre = (g.height - 0.5 * inch + rule_y) / 2
        canvas.saveState()
        x = g.margin
        if sheet.logo is not None:
            self.logo.draw(canvas, x, centre - self.logo_box() / 2)
            x += self.logo_box() + 5 * mm
        right = g.width - g.margin
        phone = sheet.brand.contact.get("phone")
        phone_w = 0.0
        if phone:
            canvas.setFillColor(theme.text)
            canvas.setFont(theme.family.regular, 14)
            canvas.drawRightString(right, centre + 3 * mm, sheet.strings.phone)
            canvas.setFont(theme.family.bold, 20)
            canvas.drawRightString(right, centre - 5 * mm, phone)
            phone_w = canvas.stringWidth(phone, theme.family.bold, 20) + 6 * mm
        room = right - phone_w - x
        canvas.setFillColor(theme.primary)
        canvas.setFont(theme.family.bold, 20)
        canvas.drawString(x, centre + 1.5 * mm, fit(sheet.brand.name, theme.family.bold, 20, room))
        canvas.setFillColor(theme.text)
        canvas.setFont(theme.family.regular, 14)
        kind = f"{sheet.handout.treatment} · {sheet.kind_label}"
        if canvas.stringWidth(kind, theme.family.regular, 14) > room:
            kind = sheet.kind_label  # the treatment is in the title below
        canvas.drawString(x, centre - 5 * mm, fit(kind, theme.family.regular, 14, room))
        canvas.setStrokeColor(theme.primary)
        canvas.setLineWidth(self.rule)
        canvas.line(g.margin, rule_y, right, rule_y)
        canvas.restoreState()
