"""A tri-fold brochure: a landscape sheet printed on both sides and folded in three.

Panel order. Outside (page 1), left to right: flap | back | cover.
             Inside (page 2), left to right:  inside left | inside middle | inside right.
Printed on both sides and flipped on the short edge, the inside left backs the cover and the inside right backs the
flap, which is a little narrower so that it folds in without buckling. Folded, the cover is on top; opening it shows
the flap; opening the flap shows the inside, read left to right; the back is seen last. So the text flows
cover (title) → flap → inside left → inside middle → inside right, and the back holds the contact box and booking QR.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, ClassVar

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, FrameBreak, PageTemplate

from handouts import blocks as b
from handouts.flowables import RenderContext, RenderError, opened, qr_box, render_contact
from handouts.sheet import Sheet

from . import layout
from .chrome import draw_page_label, fit, measure, page_label_width
from .standard import Geometry, StandardLayout, frame

FLAP_INSET = 2 * mm  # how much narrower the flap is than the other panels
FOLD_MARK = HexColor("#8A8F98")
BACK_BLOCKS = (b.Contact, b.Qr)


@dataclass(frozen=True)
class Panels:
    """Where the panels sit on the two sides of the sheet, and where its folds are."""

    width: float
    height: float
    panel: float  # the cover, the back, and the inside left and middle
    flap: float  # the flap and the inside right, which back each other

    @classmethod
    def for_sheet(cls, pagesize: tuple[float, float]) -> "Panels":
        """Panels for a landscape sheet."""
        width, height = pagesize
        panel = (width + FLAP_INSET) / 3
        return cls(width, height, panel, panel - FLAP_INSET)

    @property
    def outside(self) -> dict[str, tuple[float, float]]:
        """(x, width) of the flap, back and cover, left to right."""
        return {"flap": (0, self.flap), "back": (self.flap, self.panel), "cover": (self.flap + self.panel, self.panel)}

    @property
    def inside(self) -> dict[str, tuple[float, float]]:
        """(x, width) of the inside left, middle and right panels."""
        return {"left": (0, self.panel), "middle": (self.panel, self.panel), "right": (2 * self.panel, self.flap)}

    def folds(self, side: str) -> tuple[float, float]:
        """The x of the two folds on the outside or the inside."""
        return (self.flap, self.flap + self.panel) if side == "outside" else (self.panel, 2 * self.panel)


@layout("trifold")
class TrifoldLayout(StandardLayout):
    """Six panels on two sides; every text frame has the flap's text width, centred in its panel."""

    body_sizes: ClassVar[tuple[float, ...]] = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5)  # short content fills the panels
    heading_size: ClassVar[float] = 13.0
    title_size: ClassVar[float] = 22.0
    leading: ClassVar[float] = 1.34
    footer_size: ClassVar[float] = 6.8
    fixed_pages: ClassVar[int | None] = 2
    stacked_patient_strip: ClassVar[bool] = True

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, **kwargs: Any):
        self.panels = Panels.for_sheet(landscape(sheet.pagesize))
        self.back: list[Flowable] = []
        super().__init__(buffer, sheet, pagesize=landscape(sheet.pagesize), **kwargs)

    def make_geometry(self) -> Geometry:
        """The geometry of one panel as wide as the flap: band is the cover's coloured block, header the top margin."""
        return Geometry.for_page((self.panels.flap, self.panels.height), len(self.footer_lines), self.footer_size, margin=8 * mm,
                                 band=self.panels.height * 0.36, header=12 * mm, bottom=9 * mm)

    def logo_box(self) -> float:
        return 22 * mm

    def footer_left(self, phone_first: bool = False) -> str:
        """The brand's footer alone: the footer sits under the contact box, which gives the numbers."""
        return self.sheet.brand.footer

    def column(self, x: float, width: float, bottom: float, top: float, name: str) -> Frame:
        """A text frame of the common width, centred in the panel at x."""
        w = self.content_width
        return frame((x + (width - w) / 2, bottom, w, top - bottom), name)

    def page_templates(self) -> list[PageTemplate]:
        g, p = self.geometry, self.panels
        low, high = g.header, p.height - g.header
        cover = self.column(*p.outside["cover"], low + self.phone_height(), p.height - g.band - g.gap, "cover")
        outside = [cover, self.column(*p.outside["flap"], low, high, "flap")]
        inside = [self.column(*p.inside[name], low, high, name) for name in ("left", "middle", "right")]
        return [PageTemplate(id="outside", frames=outside, onPage=self.draw_cover, onPageEnd=self.draw_back, autoNextPageTemplate="inside"),
                PageTemplate(id="inside", frames=inside, onPage=self.draw_inside)]

    def phone_height(self) -> float:
        """Room at the foot of the cover for the clinic's phone number."""
        return 12 * mm if self.sheet.brand.contact.get("phone") else 0

    def story(self, ctx: RenderContext) -> list[Flowable]:
        """The title on the cover, then every block except the contact box and QR codes, which go on the back."""
        blocks = self.printed_blocks(self.sheet.handout)
        flow = [(source, block) for source, block in blocks if not isinstance(block, BACK_BLOCKS)]
        self.back = self.back_panel([(source, block) for source, block in blocks if isinstance(block, BACK_BLOCKS)], ctx)
        return self.front_matter(ctx) + [FrameBreak()] + self.body(ctx, flow)

    def back_panel(self, items: list[tuple[str, b.Block]], ctx: RenderContext) -> list[Flowable]:
        """The handout's contact boxes and QR codes, or the brand's contact box and booking QR; an error if they overflow."""
        out = self.body(ctx, items)
        if not any(isinstance(block, b.Contact) for _, block in items):
            out = render_contact(b.Contact(0), ctx) + out
        if not any(isinstance(block, b.Qr) for _, block in items) and self.sheet.brand.booking_url:
            out += qr_box(self.sheet.brand.booking_url, ctx.plain(self.sheet.strings.book, "contact_title", True), ctx)
        g = self.geometry
        room = self.panels.height - g.header - (g.footer + g.gap)
        if measure(out, self.content_width) > room:
            source, block = items[0] if items else (self.sheet.handout.display, None)
            raise RenderError(source, block.line if block else 0, "the contact box and QR codes do not fit on the back panel of the trifold",
                              "one contact box and one QR code with short captions")
        return out

    def draw_cover(self, canvas: Canvas, doc: "TrifoldLayout") -> None:
        """The outside: on the cover, a brand block with the logo and clinic name, and the phone number at its foot."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        x, width = self.panels.outside["cover"]
        centre, top = x + width / 2, self.panels.height
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(x, top - g.band, width, g.band, stroke=0, fill=1)
        chip = self.logo_box() + 4 * mm
        y = top - g.header - 6 * mm - chip
        if sheet.logo is not None:
            canvas.setFillColor(white)
            canvas.roundRect(centre - chip / 2, y, chip, chip, 3 * mm, stroke=0, fill=1)
            self.logo.draw(canvas, centre - chip / 2 + 2 * mm, y + 2 * mm)
        room = self.content_width
        canvas.setFillColor(white)
        canvas.setFont(theme.family.bold, 15)
        canvas.drawCentredString(centre, y - 9 * mm, fit(sheet.brand.name, theme.family.bold, 15, room))
        canvas.setFont(theme.family.regular, 10)
        canvas.drawCentredString(centre, y - 15 * mm, fit(f"{sheet.handout.treatment} · {sheet.kind_label}", theme.family.regular, 10, room))
        phone = sheet.brand.contact.get("phone")
        if phone:
            line = f"{sheet.strings.phone} {phone}"
            canvas.setFillColor(theme.primary)
            canvas.setFont(theme.family.bold, 12)
            canvas.drawCentredString(centre, g.header + 2 * mm, fit(line, theme.family.bold, 12, room))
        canvas.restoreState()
        self.draw_fold_marks(canvas, "outside")

    def draw_back(self, canvas: Canvas, doc: "TrifoldLayout") -> None:
        """The back panel: the contact box and booking QR at the top, the footer lines at the foot."""
        g = self.geometry
        x, width = self.panels.outside["back"]
        left = x + (width - self.content_width) / 2
        self.column(x, width, g.footer + g.gap, self.panels.height - g.header, "back").addFromList(opened(self.back), canvas)
        self.draw_footer_lines(canvas, left, left + self.content_width, g.footer - 2 * mm)

    def draw_inside(self, canvas: Canvas, doc: "TrifoldLayout") -> None:
        """The inside: a strip of the brand colour along the top, the fold marks, and 'Page X of Y' at the foot of the right panel."""
        p, theme = self.panels, self.theme
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(0, p.height - 2.2 * mm, p.width, 2.2 * mm, stroke=0, fill=1)
        x, width = p.inside["right"]
        right = x + (width + self.content_width) / 2
        canvas.setFillColor(theme.text)
        label_w = page_label_width(self.sheet.strings, theme.family.bold, self.footer_size)
        draw_page_label(canvas, self.sheet.strings, right - label_w, self.geometry.header / 2, theme.family.regular, self.footer_size)
        canvas.restoreState()
        self.draw_fold_marks(canvas, "inside")

    def draw_fold_marks(self, canvas: Canvas, side: str) -> None:
        """Short ticks at the top and foot of each fold."""
        height = self.panels.height
        canvas.saveState()
        canvas.setStrokeColor(FOLD_MARK)
        canvas.setLineWidth(0.5)
        for x in self.panels.folds(side):
            canvas.line(x, height - 7 * mm, x, height - 3 * mm)
            canvas.line(x, 3 * mm, x, 7 * mm)
        canvas.restoreState()
