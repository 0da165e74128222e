"""A tri-fold brochure: a landscape sheet printed on both sides and folded in three.

Where the panels are, and the order they are read in (numbers)::

    outside (page 1)                        inside (page 2)
    +---------+---------+---------+         +---------+---------+---------+
    |  flap   |  back   |  cover  |         | inside  | inside  | inside  |
    |   (2)   |   (6)   |   (1)   |         | left (3)| mid (4) |right (5)|
    +---------+---------+---------+         +---------+---------+---------+

Printed on both sides and flipped on the short edge, the inside left backs the cover and the inside right backs the
flap, which is a little narrower so that it folds in without buckling. Folded, the cover is on top. Opening it shows
a spread of two panels, the inside left beside the flap; opening the flap shows the whole inside, read left to right;
the back is seen last.

So the cover holds the title (and the patient's strip); the flap holds the opening blocks, *whole*: a block that
does not fit on the flap in full starts on the inside left instead, so nothing read on the flap continues on the
inside left, which the reader may well have read first. The rest flows inside left → middle → right, and the back
holds the contact box and booking QR code. The inside panels are balanced: they are set no taller than the share of
the panel that the content needs (never less than `min_fill`), so a short sheet spreads over every panel rather than
leaving the last one blank.

A right-to-left brochure (Arabic) opens from the other side, like a book in its language, so the whole sheet is
mirrored::

    outside (page 1)                        inside (page 2)
    +---------+---------+---------+         +---------+---------+---------+
    |  cover  |  back   |  flap   |         | inside  | inside  | inside  |
    |   (1)   |   (6)   |   (2)   |         | left (5)| mid (4) |right (3)|
    +---------+---------+---------+         +---------+---------+---------+

The cover is now the left outside panel and its fold is on its right: turning the cover over to the right shows the
inside right (which backs the cover) beside the flap; opening the flap to the left shows the whole inside, read right
to left; the narrow panels are the flap and the inside left, which back each other. The flap's whole blocks move on to
the inside right, the flow goes inside right → middle → left, 'Page X of Y' stands at the foot of the inside left,
and the back is still the middle of the outside.
"""

from __future__ import annotations

import io
from typing import Any, Callable, ClassVar

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, FrameBreak, KeepTogether, PageTemplate
from reportlab.platypus.doctemplate import NullActionFlowable

from handouts import blocks as b
from handouts.compiled import dataclass
from handouts.drawn import Drawn
from handouts.flowables import WEB_CODE_SMALLEST, RenderContext, RenderError, opened, qr_box, render_blocks, render_contact
from handouts.sheet import Sheet
from handouts.structure import Node

from . import layout
from .chrome import as_artifact, draw_lines, draw_page_label, fit_text, measure, page_label_width
from .standard import Geometry, StandardLayout, frame

FLAP_INSET = 2 * mm  # how much narrower the flap is than the other panels
FOLD_MARK = HexColor("#8A8F98")
BACK_BLOCKS = (b.Contact, b.Qr)
_SIZE_FOUND: dict[tuple[str, str, str], float] = {}  # the body size last found for a handout and brand, in this process
BALANCE_STEPS = 5  # tries at balancing the panels
BALANCE_STEP = 0.05  # of a panel's height, between tries
PANEL_NAMES = {"cover": "the cover", "flap": "the flap", "left": "the inside left panel", "middle": "the inside middle panel",
               "right": "the inside right panel"}


class BackPanelFull(RenderError):
    """The back panel's contact box and QR codes overflow it at the body size tried."""


@dataclass(frozen=True)
class Panels:
    """Where the panels sit on the two sides of the sheet, and where its folds are."""

    width: float
    height: float
    panel: float  # the cover, the back, and the two wide inside panels
    flap: float  # the flap and the inside panel that backs it
    rtl: bool = False  # a right-to-left brochure: every panel mirrored

    @classmethod
    def for_sheet(cls, pagesize: tuple[float, float], rtl: bool = False) -> "Panels":
        """Panels for a landscape sheet, mirrored for a right-to-left brochure."""
        width, height = pagesize
        panel = (width + FLAP_INSET) / 3
        return cls(width, height, panel, panel - FLAP_INSET, rtl)

    def _placed(self, panels: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        """Panels given as a left-to-right brochure has them, mirrored on a right-to-left one."""
        return {name: (self.width - x - w, w) for name, (x, w) in panels.items()} if self.rtl else panels

    @property
    def outside(self) -> dict[str, tuple[float, float]]:
        """(x, width) of the flap, back and cover."""
        return self._placed({"flap": (0, self.flap), "back": (self.flap, self.panel), "cover": (self.flap + self.panel, self.panel)})

    @property
    def inside(self) -> dict[str, tuple[float, float]]:
        """(x, width) of the inside left, middle and right panels."""
        if self.rtl:
            return {"left": (0, self.flap), "middle": (self.flap, self.panel), "right": (self.flap + self.panel, self.panel)}
        return {"left": (0, self.panel), "middle": (self.panel, self.panel), "right": (2 * self.panel, self.flap)}

    @property
    def reading(self) -> tuple[str, str, str]:
        """The inside panels in the order they are read."""
        return ("right", "middle", "left") if self.rtl else ("left", "middle", "right")

    def folds(self, side: str) -> tuple[float, float]:
        """The x of the two folds on the outside or the inside."""
        panels = self.outside if side == "outside" else self.inside
        edges = sorted(x for x, _ in panels.values())
        return edges[1], edges[2]


@layout("trifold")
class TrifoldLayout(StandardLayout):
    """Six panels on two sides; every text frame has the flap's text width, centred in its panel."""

    body_sizes: ClassVar[tuple[float, ...]] = (12.5, 12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0, 8.5)  # short content is set larger
    heading_size: ClassVar[float] = 14.5  # at the largest body size; 13 pt with 11 pt text
    title_size: ClassVar[float] = 24.0
    leading: ClassVar[float] = 1.34
    footer_size: ClassVar[float] = 6.8
    fixed_pages: ClassVar[int | None] = 2
    stacked_patient_strip: ClassVar[bool] = True
    front_frames: ClassVar[tuple[str, ...]] = ("cover",)
    fill_every_frame: ClassVar[bool] = True
    min_fill: ClassVar[float] = 0.45  # balanced panels end at the same depth: evenly about half full still reads as designed
    flap_min_fill: ClassVar[float] = 0.25  # the flap holds whole blocks only, so it may end early when the next block is long
    last_min_fill: ClassVar[float] = 0.3  # a last panel with less (a step or two of a list) is balanced with the others

    @classmethod
    def frame_min_fill(cls, frame: str) -> float:
        return cls.flap_min_fill if frame == "flap" else cls.min_fill

    @classmethod
    def frame_label(cls, page: int, frame: str) -> str:
        return PANEL_NAMES.get(frame, frame)

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, fill: float = 1.0, **kwargs: Any):
        self.panels = Panels.for_sheet(landscape(sheet.pagesize), sheet.strings.rtl)
        self.fill = fill  # the share of each flow panel's height that text may take (for balancing)
        self.back: list[Flowable] = []
        super().__init__(buffer, sheet, pagesize=landscape(sheet.pagesize), **kwargs)

    @classmethod
    def lay_out(cls, sheet: Sheet) -> Drawn:
        """The largest body size whose text fits the four flow panels (found by halving the list of sizes: a larger size
        never needs fewer pages). Where a panel is then left short or empty (the last one under last_min_fill), the
        panels are balanced: each set as short as
        the text allows (never below min_fill), top-aligned, so every panel is used. With no size that fits, the smallest
        size's result is returned, for the report."""
        fitted: dict[tuple[float, float], Drawn] = {}

        def at(size: float, fill: float = 1.0) -> Drawn:
            if (size, fill) not in fitted:
                fitted[(size, fill)] = cls(io.BytesIO(), sheet, body_size=size, fill=fill).render_drawn()
            return fitted[(size, fill)]

        def fits(size: float) -> bool:
            try:
                return at(size).pages <= 2
            except BackPanelFull:  # a larger type than the back panel holds (the smallest size's error is reported)
                return False

        sizes = list(cls.body_sizes)
        low, high = 0, len(sizes) - 1
        # The size found for another copy of the same handout and brand (blank, personalised, the other page size) is
        # tried first with its neighbour: most copies settle on it, in two tries instead of four.
        key = (sheet.handout.display, sheet.handout.language, sheet.brand.display)
        hint = _SIZE_FOUND.get(key)
        if hint in sizes:
            at_hint = sizes.index(hint)
            if fits(hint):
                high = at_hint
                if at_hint > 0 and not fits(sizes[at_hint - 1]):
                    low = at_hint
            elif at_hint + 1 < len(sizes):
                low = at_hint + 1
                if low < high and fits(sizes[low]):
                    high = low
        while low < high:
            middle = (low + high) // 2
            if fits(sizes[middle]):
                high = middle
            else:
                low = middle + 1
        size, result = sizes[low], at(sizes[low])
        if fits(size):
            _SIZE_FOUND[key] = size
        if result.pages <= 2 and result.web_code is False:
            # The back panel had no room for the web copy's code: the next size step down that holds both, if any.
            size, result = next(((smaller, at(smaller)) for smaller in sizes[low + 1:] if fits(smaller) and at(smaller).web_code),
                                (size, result))
        if result.pages > 2 or cls._well_filled(result):
            return result
        # Balance: start from the depth the text would reach spread evenly, then step until every panel is used and the
        # sheet still holds it all.
        inside = [use for use in result.frames if use.body and use.frame != "flap"]
        start = min(1.0, max(cls.min_fill + 0.05, sum(use.share for use in inside) / len(inside) + 0.04))

        def balance(good: Callable[[Drawn], bool]) -> Drawn | None:
            fill, best = start, None
            for _ in range(BALANCE_STEPS):
                trial = at(size, round(fill, 3))
                if trial.pages > 2:
                    if best is not None:
                        break  # the last fill that held it all was the tallest
                    fill += BALANCE_STEP
                elif good(trial):
                    best = trial  # every panel used: try a little taller, for fuller panels
                    if fill >= 1.0:
                        break
                    fill = min(1.0, fill + BALANCE_STEP)
                elif best is not None or fill <= cls.min_fill + 0.05:
                    break
                else:
                    fill = max(cls.min_fill + 0.05, fill - BALANCE_STEP)
            return best

        # The tallest fill with text on every panel (the proof's measure); else one that gives the last panel its share.
        return balance(lambda drawn: all(use.used > 0 for use in drawn.frames if use.body)) or balance(cls._all_used) or result

    @classmethod
    def _well_filled(cls, drawn: Drawn) -> bool:
        body = [use for use in drawn.frames if use.body]
        return cls._all_used(drawn) and all(use.share >= cls.frame_min_fill(use.frame) for use in body[:-1])

    @classmethod
    def _all_used(cls, drawn: Drawn) -> bool:
        """Every panel holds text, the last at least last_min_fill of its height (less looks left over)."""
        body = [use for use in drawn.frames if use.body]
        return all(use.used > 0 for use in body) and body[-1].share >= cls.last_min_fill

    def make_geometry(self, footer_lines: int) -> Geometry:
        """The geometry of one panel as wide as the flap: band is the cover's coloured block, header the top margin."""
        return Geometry.for_page((self.panels.flap, self.panels.height), footer_lines, self.footer_size, margin=8 * mm,
                                 band=self.panels.height * 0.36, header=12 * mm, bottom=9 * mm)

    def footer_width(self) -> float:
        return self.content_width

    def logo_limits(self) -> tuple[float, float]:
        return self.content_width, 22 * mm

    def footer_left(self) -> str:
        """The brand's footer alone: the footer sits under the contact box, which gives the numbers."""
        return self.sheet.brand.footer

    def plan_chrome(self) -> None:
        """Fit the cover's text: the clinic's name at 15 pt (down to 11), the kind at 10 (down to 8), the phone line at 12."""
        theme, sheet, room = self.theme, self.sheet, self.content_width
        self.band_name = self.note(fit_text(sheet.brand.name, theme.family.bold, 15, 11, room),
                                   "the clinic's name does not fit the trifold's cover in two lines at 11 pt", "a shorter clinic name")
        self.band_kind = self.note(fit_text(f"{sheet.handout.treatment} · {sheet.kind_label}", theme.family.regular, 10, 8, room),
                                   "the sheet's kind does not fit the trifold's cover in two lines at 8 pt", "a shorter treatment name")
        phone = sheet.brand.contact.get("phone")
        self.cover_phone = self.note(fit_text(f"{sheet.strings.phone}\u00a0{phone.replace(' ', chr(0xA0))}" if phone else "",
                                              theme.family.bold, 12, 9, room, 1),
                                     "the phone number does not fit the foot of the trifold's cover at 9 pt", "a shorter phone number")

    def column(self, x: float, width: float, bottom: float, top: float, name: str) -> Frame:
        """A text frame of the common width, centred in the panel at x."""
        w = self.content_width
        made = frame((x + (width - w) / 2, bottom, w, top - bottom), name)
        made.full_height = top - bottom  # type: ignore[attr-defined]  # read back by the record of the page
        return made

    def flow_column(self, x: float, width: float, name: str) -> Frame:
        """A flow panel's frame, top-aligned; an inside panel is as tall as the balance allows (the flap, which holds whole
        blocks, always has its full height). The full height is what the proof measures."""
        g = self.geometry
        low, high = g.header, self.panels.height - g.header
        fill = 1.0 if name == "flap" else self.fill
        made = self.column(x, width, high - (high - low) * fill, high, name)
        made.full_height = high - low  # type: ignore[attr-defined]
        return made

    def page_templates(self) -> list[PageTemplate]:
        g, p = self.geometry, self.panels
        cover = self.column(*p.outside["cover"], g.header + self.phone_height(), p.height - g.band - g.gap, "cover")
        outside = [cover, self.flow_column(*p.outside["flap"], "flap")]
        inside = [self.flow_column(*p.inside[name], name) for name in p.reading]
        return [PageTemplate(id="outside", frames=outside, onPage=self.draw_cover, onPageEnd=self.draw_back, autoNextPageTemplate="inside"),
                PageTemplate(id="inside", frames=inside, onPage=self.draw_inside)]

    def phone_height(self) -> float:
        """Room at the foot of the cover for the clinic's phone number."""
        return 12 * mm if self.sheet.brand.contact.get("phone") else 0

    def story(self, ctx: RenderContext) -> list[Flowable]:
        """The title on the cover, then every block except the contact box and QR codes, which go on the back.

        Each block is a FlapBlock: whole on the flap, or moved on whole to the first inside panel.
        """
        blocks = self.printed_blocks(self.sheet.handout)
        front = self.front_matter(ctx)
        flow = render_blocks([(source, block) for source, block in blocks if not isinstance(block, BACK_BLOCKS)], ctx, group=FlapBlock)
        # Made after the flow, so that its structure comes after it: the back is painted on the outside, but read last.
        ctx.section_level = 1
        self.back = self.back_panel([(source, block) for source, block in blocks if isinstance(block, BACK_BLOCKS)], ctx)
        return front + [FrameBreak()] + flow + [InsideSide()]

    def back_panel(self, items: list[tuple[str, b.Block]], ctx: RenderContext) -> list[Flowable]:
        """The handout's contact boxes and QR codes, or the brand's contact box and booking QR; an error if they overflow."""
        out = self.body(ctx, items)
        if not any(isinstance(block, b.Contact) for _, block in items):
            out = render_contact(b.Contact(0), ctx) + out
        if not any(isinstance(block, b.Qr) for _, block in items) and self.sheet.brand.booking_url:
            out += qr_box(self.sheet.brand.booking_url, ctx.plain(self.sheet.strings.book, "contact_title", True), ctx)
        g = self.geometry
        room = self.panels.height - g.header - (g.footer + g.gap)
        # The web copy's code at its size, else at the smallest a phone reads, else (no room for a second code) its address
        # alone; measured in a scratch context, so that only the note printed is in the structure.
        scratch, width = self.context(self.content_width, Node("Document")), self.content_width
        code_size: float | None = None
        note = self.web_copy(scratch)
        if note and measure(out + note, width) > room:
            code_size = WEB_CODE_SMALLEST
            if measure(out + self.web_copy(scratch, code_size), width) > room:
                self.web_code = False
        out += self.web_copy(ctx, code_size)
        if measure(out, self.content_width) > room:
            source, block = items[0] if items else (self.sheet.handout.display, None)
            raise BackPanelFull(source, block.line if block else 0, "the contact box and QR codes do not fit on the back panel of the trifold",
                              "one contact box and one QR code with short captions")
        return out

    @as_artifact("header")
    def draw_cover(self, canvas: Canvas, doc: "TrifoldLayout") -> None:
        """The outside: on the cover, a brand block with the logo and clinic name, and the phone number at its foot."""
        g, theme, sheet = self.geometry, self.theme, self.sheet
        x, width = self.panels.outside["cover"]
        centre, top = x + width / 2, self.panels.height
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(x, top - g.band, width, g.band, stroke=0, fill=1)
        y = top - g.header - 4 * mm
        if sheet.logo is not None:
            chip_w, chip_h = self.logo.width + 4 * mm, self.logo.height + 4 * mm
            y -= chip_h
            canvas.setFillColor(white)
            canvas.roundRect(centre - chip_w / 2, y, chip_w, chip_h, 3 * mm, stroke=0, fill=1)
            self.logo.draw(canvas, centre - self.logo.width / 2, y + 2 * mm)
            y -= 3 * mm
        canvas.setFillColor(white)
        y = draw_lines(canvas, self.band_name, theme.family.bold, centre, y, "centre")
        draw_lines(canvas, self.band_kind, theme.family.regular, centre, y - 1.5 * mm, "centre")
        if self.cover_phone.lines:
            canvas.setFillColor(theme.primary)
            canvas.setFont(theme.family.bold, self.cover_phone.size)
            canvas.drawCentredString(centre, g.header + 2 * mm, self.cover_phone.lines[0])
        canvas.restoreState()
        self.draw_fold_marks(canvas, "outside")

    def draw_back(self, canvas: Canvas, doc: "TrifoldLayout") -> None:
        """The back panel: the contact box and booking QR at the top, the footer lines at the foot (both real content, read
        after the inside)."""
        g = self.geometry
        x, width = self.panels.outside["back"]
        left = x + (width - self.content_width) / 2
        self.column(x, width, g.footer + g.gap, self.panels.height - g.header, "back").addFromList(opened(self.back), canvas)
        self.draw_footer_lines(canvas, left, left + self.content_width, g.footer - 2 * mm)

    @as_artifact(None)
    def draw_inside(self, canvas: Canvas, doc: "TrifoldLayout") -> None:
        """The inside: a strip of the brand colour along the top, the fold marks, and 'Page X of Y' at the foot of the panel
        read last, at its far end."""
        p, theme = self.panels, self.theme
        canvas.saveState()
        canvas.setFillColor(theme.primary)
        canvas.rect(0, p.height - 2.2 * mm, p.width, 2.2 * mm, stroke=0, fill=1)
        x, width = p.inside[p.reading[-1]]
        left = x + (width - self.content_width) / 2
        canvas.setFillColor(theme.text)
        label_w = page_label_width(self.sheet.strings, theme.family.bold, self.footer_size)
        draw_page_label(canvas, self.sheet.strings, left + label_w if self.rtl else left + self.content_width - label_w,
                        self.geometry.header / 2, theme.family.regular, self.footer_size)
        canvas.restoreState()
        self.draw_fold_marks(canvas, "inside")

    @as_artifact("page")
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


class FlapBlock(KeepTogether):
    """One block of the brochure's flow: on the flap it is placed whole or moved on whole to the first inside panel; on the
    inside panels it flows like any block (so the inside panels fill up, splitting between lines and rows)."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        """Measure the block (boxes kept together inside it opened up), and answer "endless" so that it is split."""
        self._H = measure(self._content, aW)  # type: ignore[attr-defined]
        self._wrapInfo = (aW, aH)
        return aW, 0xFFFFFF

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        """The block's flowables, led by a frame break when it is on the flap and does not fit there whole."""
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame = getattr(self, "_frame", None)
        content = list(self._content)  # type: ignore[attr-defined]  # reportlab's own list, not in its stubs
        if frame is not None and frame.id == "flap" and self._H > aH:
            return [FrameBreak(), *content]
        return [NullActionFlowable(), *content]  # the document then places (and splits) each in turn


class InsideSide(Flowable):
    """At the end of the story: a brochure whose text ended on the outside still prints its (empty) inside side.

    On the outside it is taller than any space left, so it moves on to the inside, where it takes no room.
    """

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        """Too tall on the outside, nothing on the inside."""
        return (0, aH + 1) if self._doctemplateAttr("page") == 1 else (0, 0)  # type: ignore[attr-defined]

    def draw(self) -> None:
        """Nothing to draw."""
