"""Two columns under the header band: a compact reference sheet, often one page (read right column first in a
right-to-left language)."""

from __future__ import annotations

import io
from typing import ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, FrameBreak, PageTemplate

from handouts.drawn import Drawn
from handouts.flowables import RenderContext
from handouts.sheet import Sheet
from handouts.structure import Node

from . import layout
from .chrome import measure
from .standard import StandardLayout, frame

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
            return first
        limit = cls.page_limit(sheet.handout)
        for size in cls.spread_sizes:
            drawn = cls(io.BytesIO(), sheet, body_size=size).render_drawn()
            if limit is None or drawn.pages <= limit:
                return drawn
        return first

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

    def story(self, ctx: RenderContext) -> list[Flowable]:
        return self.front_matter(ctx) + [FrameBreak()] + self.body(ctx) + self.web_copy(ctx)
