"""Two columns under the header band: a compact reference sheet, often one page (read right column first in a
right-to-left language). The last page's columns are balanced: set no taller than its text needs, so that they end
at about the same depth instead of leaving the column read last empty."""

from __future__ import annotations

import io
from typing import Any, ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, FrameBreak, PageTemplate

from handouts.drawn import Drawn
from handouts.flowables import RenderContext
from handouts.sheet import Sheet
from handouts.structure import Node

from . import layout
from .chrome import measure
from .standard import StandardLayout, frame

BALANCE_TRIES = 3  # renders tried at most in balancing the last page's columns
BALANCE_SLACK = 2  # lines: columns that end this close are balanced already


@layout("two-column")
class TwoColumnLayout(StandardLayout):
    """The title and patient strip across the page, then the blocks in two columns, each block kept whole where it fits."""

    body_sizes: ClassVar[tuple[float, ...]] = (9.5, 9.0, 8.5)
    goal_pages: ClassVar[int | None] = 1  # staff and patients want the whole sheet on one page
    spread_sizes: ClassVar[tuple[float, ...]] = (11.0, 10.5, 10.0)  # for a sheet that takes two pages anyway: fill them
    heading_size: ClassVar[float] = 12.0
    title_size: ClassVar[float] = 19.0
    leading: ClassVar[float] = 1.36
    keep_blocks_whole: ClassVar[bool] = True
    column_gap: ClassVar[float] = 8 * mm
    front_frames: ClassVar[tuple[str, ...]] = ("head",)
    balances_last_page: ClassVar[bool] = True

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, balance: tuple[int, float] | None = None, **kwargs: Any):
        self.balance = balance  # (page from 1, height): that page's columns set no taller, top-aligned
        super().__init__(buffer, sheet, **kwargs)

    @classmethod
    def frame_label(cls, page: int, frame: str) -> str:
        side = "the title block" if frame == "head" else f"the {frame.rsplit('-', 1)[-1]} column"
        return f"{side} of page {page + 1}"

    @classmethod
    def lay_out(cls, sheet: Sheet) -> Drawn:
        """One page at 9.5 pt down to 8.5 where that gets the sheet onto one page. A sheet that needs two pages even so is
        set larger instead (11 pt down to 10), so that its second page is not left mostly blank; at the first of those
        sizes within the page budget, else as the base layout decides."""
        first = super().lay_out(sheet)
        if first.pages <= 1:
            return cls.balanced(sheet, first)
        limit = cls.page_limit(sheet.handout)
        for size in cls.spread_sizes:
            drawn = cls(io.BytesIO(), sheet, body_size=size).render_drawn()
            if limit is None or drawn.pages <= limit:
                return cls.balanced(sheet, drawn)
        return cls.balanced(sheet, first)

    @classmethod
    def balanced(cls, sheet: Sheet, drawn: Drawn) -> Drawn:
        """The sheet drawn again with its last page's columns balanced: both set as short as the text allows without a page
        more, boxes moved on whole rather than split; as drawn where the columns already end level (within
        `BALANCE_SLACK` lines), or no height tried holds it all.

        The last page's pieces (paragraphs, boxes, rows) are laid end to end as one column; each place between two of them
        gives the height two columns would need if the first column ended there. Those heights are tried from the lowest
        (after one that does not hold the text, none less than half of what ran over higher). The first that holds the
        page's text on the page, with text in both columns, is the one drawn, unless a column was already used and the
        columns end no nearer than half as far apart as they did (a box that cannot be split may leave no better way; the
        keep rules may move a heading on with its section, and then a higher one is tried)."""
        last = drawn.pages - 1
        columns = [use for use in drawn.frames if use.page == last and use.body]
        slack = BALANCE_SLACK * drawn.body_size * cls.leading
        if len(columns) != 2 or columns[0].used - columns[1].used <= slack:
            return drawn
        pieces: list[tuple[float, float]] = []  # (top, foot) of each piece, measured down one long column
        offset = 0.0
        for use in columns:
            top = use.box[1] + use.box[3]
            pieces += [(offset + top - item.top, offset + top - item.bottom) for item in drawn.placed if item.page == last and item.frame == use.frame]
            offset += use.used + drawn.body_size * 0.5  # roughly the space between two blocks
        needed = sorted({max(pieces[k - 1][1], pieces[-1][1] - pieces[k][0]) for k in range(1, len(pieces))})
        apart, line = columns[0].used - columns[1].used, drawn.body_size * cls.leading
        height = needed[0] if needed else columns[0].box[3]
        for _ in range(BALANCE_TRIES):
            if height >= columns[0].box[3] - slack:
                break
            trial = cls(io.BytesIO(), sheet, body_size=drawn.body_size, web_code=drawn.web_code, balance=(drawn.pages, height + 2)).render_drawn()
            first, second = (use.used for use in trial.frames if use.page == last and use.body)
            if trial.pages == drawn.pages and second > 0 and (columns[1].used == 0 or abs(first - second) <= apart / 2):
                return trial
            # Higher by a line at least (the space between pieces is a guess), and by half of what ran over.
            floor = height + max(line, sum(use.used for use in trial.frames if use.page > last and use.body) / 2)
            height = min((h for h in needed if h >= floor), default=floor)
        return drawn

    @property
    def content_width(self) -> float:
        return (self.geometry.text_width - self.column_gap) / 2

    def head_height(self) -> float:
        """The height the title and patient strip take across the page (they are laid out once to measure them)."""
        width = self.geometry.text_width
        return measure(self.front_matter(self.context(width, Node("Document"))), width) + 1  # a point of slack for rounding

    def columns(self, box: tuple[float, float, float, float], name: str) -> list[Frame]:
        """Two column frames side by side in a box, in reading order: the left one first, or the right one on a
        right-to-left sheet."""
        x, y, _, h = box
        w = self.content_width
        columns = [frame((x, y, w, h), f"{name}-left"), frame((x + w + self.column_gap, y, w, h), f"{name}-right")]
        return columns[::-1] if self.rtl else columns

    def page_templates(self) -> list[PageTemplate]:
        g = self.geometry
        x, y, w, h = g.first_frame
        head = self.head_height()
        first = [frame((x, y + h - head, w, head), "head")] + self.columns((x, y, w, h - head), "first")
        return [PageTemplate(id="first", frames=first, onPage=self.draw_band, onPageEnd=self.draw_footer, autoNextPageTemplate="later"),
                PageTemplate(id="later", frames=self.columns(g.later_frame, "later"), onPage=self.draw_light_header,
                             onPageEnd=self.draw_footer)]

    def handle_pageBegin(self) -> None:  # noqa: N802 - reportlab's name
        """Start a page; the page being balanced gets its columns set short."""
        if self.balance is not None and self.page + 1 == self.balance[0]:
            self.pageTemplate = self.balanced_template(self.pageTemplate, self.balance[1])
        super().handle_pageBegin()

    def balanced_template(self, template: PageTemplate, height: float) -> PageTemplate:
        """A page template like this one with its columns no taller than height, top-aligned, each keeping boxes whole and
        its full height for the record (the proof measures a column against the page)."""
        frames = []
        for each in template.frames:
            if each.id in self.front_frames:
                frames.append(each)
                continue
            x, y, w, h = each._x1, each._y1, each._width, each._height  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
            short = frame((x, y + h - min(height, h), w, min(height, h)), str(each.id))
            short.full_height = h  # type: ignore[attr-defined]  # read back by the record of the page
            short.boxes_whole = True  # type: ignore[attr-defined]  # read by flowables.Keep
            frames.append(short)
        return PageTemplate(id=f"{template.id}-balanced", frames=frames, onPage=template.onPage, onPageEnd=template.onPageEnd,
                            autoNextPageTemplate=template.autoNextPageTemplate)

    def story(self, ctx: RenderContext) -> list[Flowable]:
        return self.front_matter(ctx) + [FrameBreak()] + self.body_and_note(ctx)
