"""A half-page aftercare card (Letter: 5.5 × 8.5 in, A4: A5), printed two-up with a dashed cut line between the copies."""

from __future__ import annotations

import io
from typing import Any, ClassVar

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageTemplate

from handouts.blocks import Block
from handouts.content import Handout
from handouts.marking import add_operators, artifact, code_length, page_operators
from handouts.sheet import Sheet

from . import layout
from .base import GrayTotalCanvas, TotalCanvas
from .standard import Geometry, StandardLayout, frame

CUT_LINE = HexColor("#8A8F98")


class NoLinks:
    """A canvas mixin that leaves links out: the second copy of a face could not hold them, and a card is for paper."""

    annotates_links = False  # a link's words are read as part of their paragraph

    def linkURL(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802 - reportlab's name
        """No link annotation."""

    def linkRect(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        """No link annotation."""


class CardCanvas(NoLinks, TotalCanvas):
    """The card's canvas."""


class GrayCardCanvas(NoLinks, GrayTotalCanvas):
    """The card's canvas in a grayscale build."""


@layout("card")
class CardLayout(StandardLayout):
    """Each face is drawn on the left half of a landscape sheet, and the same drawing copied onto the right half.

    Sheet one carries the front of two cards, sheet two their backs; content that needs more than two faces is an error.
    The left face is the tagged content; the copy is an artifact, so a screen reader reads each face once.
    A handout's `card` section, its short version, is what prints; a handout without one is not offered as a card
    (`build` skips it with a notice, `handout` says so), though every block would print if asked for directly.
    """

    body_sizes: ClassVar[tuple[float, ...]] = (11.0, 10.5, 10.0, 9.5, 9.0)  # short content is set larger
    heading_size: ClassVar[float] = 13.0
    title_size: ClassVar[float] = 17.5
    leading: ClassVar[float] = 1.32
    footer_size: ClassVar[float] = 6.8
    header_size: ClassVar[float] = 7.5
    fixed_pages: ClassVar[int | None] = 2
    web_copy_code: ClassVar[bool | None] = None  # the short version for the bag has no room: the sheet and brochure carry it
    fillable: ClassVar[bool] = False
    canvases: ClassVar[tuple[type[TotalCanvas], type[TotalCanvas]]] = (CardCanvas, GrayCardCanvas)

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, **kwargs: Any):
        super().__init__(buffer, sheet, pagesize=landscape(sheet.pagesize), **kwargs)

    @classmethod
    def offers(cls, handout: Handout) -> bool:
        """Only a handout with a card section prints as a card (the whole of a handout is too long for two faces)."""
        return handout.card_blocks is not None

    @classmethod
    def printed_blocks(cls, handout: Handout) -> list[tuple[str, Block]]:
        """The handout's card section when it has one, else all its blocks."""
        return handout.card_blocks if handout.card_blocks is not None else handout.blocks

    def make_geometry(self, footer_lines: int) -> Geometry:
        """The geometry of one face: half the landscape sheet."""
        width, height = self.pagesize
        return Geometry.for_page((width / 2, height), footer_lines, self.footer_size, margin=10 * mm, band=22 * mm,
                                 header=12 * mm, bottom=8 * mm)

    def page_templates(self) -> list[PageTemplate]:
        g = self.geometry
        return [PageTemplate(id="first", frames=[frame(g.first_frame, "first")], onPage=self.begin_front, onPageEnd=self.end_face,
                             autoNextPageTemplate="later"),
                PageTemplate(id="later", frames=[frame(g.later_frame, "later")], onPage=self.begin_back, onPageEnd=self.end_face)]

    def begin_front(self, canvas: Canvas, doc: "CardLayout") -> None:
        """Start the face with the brand band."""
        self.begin_face(canvas)
        self.draw_band(canvas, doc)

    def begin_back(self, canvas: Canvas, doc: "CardLayout") -> None:
        """Start the face with the light header."""
        self.begin_face(canvas)
        self.draw_light_header(canvas, doc)

    def begin_face(self, canvas: Canvas) -> None:
        """Clip to the left half, and note where the face's drawing starts."""
        canvas.saveState()
        self.clip_face(canvas)
        self.face_start = code_length(canvas)

    def clip_face(self, canvas: Canvas) -> None:
        """Nothing drawn for a face shows outside it."""
        path = canvas.beginPath()
        path.rect(0, 0, self.geometry.width, self.geometry.height)
        canvas.clipPath(path, stroke=0, fill=0)

    def end_face(self, canvas: Canvas, doc: "CardLayout") -> None:
        """Close the face with its footer, copy its drawing onto the right half as an artifact, and draw the cut line."""
        g = self.geometry
        self.draw_footer(canvas, doc)
        face = page_operators(canvas, self.face_start)
        canvas.restoreState()
        with artifact(canvas):
            canvas.saveState()
            canvas.translate(g.width, 0)
            self.clip_face(canvas)
            add_operators(canvas, face)
            canvas.restoreState()
        with artifact(canvas, "page"):
            canvas.saveState()
            canvas.setStrokeColor(CUT_LINE)
            canvas.setLineWidth(0.6)
            canvas.setDash(5, 4)
            canvas.line(g.width, 0, g.width, g.height)
            canvas.restoreState()
