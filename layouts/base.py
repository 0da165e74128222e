"""The base of every layout: metadata, reproducible output, page totals, page budgets and the render call."""

from __future__ import annotations

import io
from functools import partial
from typing import Any, ClassVar

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, Paragraph, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

from handouts import __version__
from handouts.blocks import Block
from handouts.compiled import dataclass
from handouts.content import Handout
from handouts.drawn import Drawn, FrameUse, Placed
from handouts.flowables import WEB_CODE_SMALLEST, Keep, RenderContext, opened, render_block_groups, render_blocks, web_copy_note
from handouts.marking import TaggingCanvas
from handouts.paragraphs import draw_line, needs_writing
from handouts.sheet import Sheet
from handouts.structure import Node, Structure
from handouts.styles import Theme, stylesheet
from handouts.writing import Writing

from .grayscale import GrayColors, GrayTextObject

TOTAL_FORM = "page-total"
PAGE_LABEL_FORM = "page-label-{page}"  # a right-to-left sheet's whole 'Page X of Y', one form per page

# reportlab may fetch images from hosts named in RL_trustedHosts; a handout never fetches anything.
rl_config.trustedHosts = None


class TotalCanvas(TaggingCanvas):
    """A canvas that writes the page total into a form every footer refers to, once it is known (and marks what is drawn
    for the sheet's structure)."""

    def __init__(self, *args: Any, total_font: tuple[str, float, Color], writing: Writing | None = None,
                 page_words: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.total_font = total_font
        self.page_total = 0
        self.writing = writing
        self.page_words = page_words  # 'Page {page} of {total}' of a right-to-left sheet, written whole into a form per page

    # The chrome's lines (band, headers, footers) are drawn with these: a line the current font cannot print whole, or one
    # written right to left, goes through the script fonts, shaping and ordering of the paragraphs.
    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802 - reportlab's name
        """Draw a line from its left edge."""
        self._line(x, y, text, "left", super().drawString, *args, **kwargs)

    def drawRightString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802 - reportlab's name
        """Draw a line from its right edge."""
        self._line(x, y, text, "right", super().drawRightString, *args, **kwargs)

    def drawCentredString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802 - reportlab's name
        """Draw a line around its centre."""
        self._line(x, y, text, "centre", super().drawCentredString, *args, **kwargs)

    def _line(self, x: float, y: float, text: str, align: str, plain: Any, *args: Any, **kwargs: Any) -> None:
        font, size = self._fontname, self._fontsize  # type: ignore[attr-defined]  # the canvas's current font, not in reportlab's stubs
        if self.writing is None or not needs_writing(text, font):
            plain(x, y, text, *args, **kwargs)
        else:
            draw_line(self, x, y, text, self.writing, font, size, align)

    def save(self) -> None:
        """Define the page-total form, then write the file."""
        self.page_total = self.getPageNumber() - 1
        font, size, color = self.total_font
        self.beginForm(TOTAL_FORM)
        self.setFont(font, size)
        self.setFillColor(color)
        self.drawString(0, 0, str(self.page_total))
        self.endForm()
        if self.page_words is not None:
            # A right-to-left label ends with the total at its left: the whole label is one line, drawn right-aligned on
            # the form's origin (the form's box reaches to the left), so it is shaped, ordered and read back as one.
            reach = int(40 * size)
            for page in range(1, self.page_total + 1):
                self.beginForm(PAGE_LABEL_FORM.format(page=page), lowerx=-reach, lowery=-int(size), upperx=int(size), uppery=int(2 * size))
                self.setFont(font, size)
                self.setFillColor(color)
                self.drawRightString(0, 0, self.page_words.format(page=page, total=self.page_total))
                self.endForm()
        super().save()


class GrayTotalCanvas(GrayColors, TotalCanvas):
    """The page-total canvas for grayscale builds: every colour, of text too, is written as a grey."""

    text_object = GrayTextObject  # text objects write greys


class Layout(BaseDocTemplate):
    """A document template for one sheet; subclasses add page templates and chrome.

    A layout is drawn at the first of its body sizes (largest first) whose pages fit its budget, or its page goal
    where it has one; the last size is the smallest it will ever use, so content that does not fit at that size
    is reported, never shrunk further.
    """

    name: ClassVar[str] = ""
    body_sizes: ClassVar[tuple[float, ...]] = (10.5,)
    heading_size: ClassVar[float] = 13.5
    title_size: ClassVar[float] = 22
    leading: ClassVar[float] = 1.42
    shaded: ClassVar[bool] = True
    italics: ClassVar[bool] = True
    footer_size: ClassVar[float] = 7.8
    min_size: ClassVar[float] = 0  # no style (captions, labels) is smaller than this
    fillable: ClassVar[bool] = True  # False where form fields cannot work (a card's faces are PDF forms)
    # When the brand hosts its web copies: True prints a QR code to the handout's copy with its address (or the address
    # alone where the code would cost a page), False the address alone, None nothing.
    web_copy_code: ClassVar[bool | None] = True
    keep_blocks_whole: ClassVar[bool] = False  # move a block that fits a frame on whole rather than split it
    fixed_pages: ClassVar[int | None] = None  # a physical limit (card faces, brochure sides) that replaces max_pages
    goal_pages: ClassVar[int | None] = None  # a page count worth a smaller body size (down to the last of body_sizes)
    canvases: ClassVar[tuple[type[TotalCanvas], type[TotalCanvas]]] = (TotalCanvas, GrayTotalCanvas)  # (in colour, in greys)
    front_frames: ClassVar[tuple[str, ...]] = ()  # frames that hold the title and patient strip, not the blocks
    min_fill: ClassVar[float] = 0.6  # the share of every page, column or panel before the last that the proof requires
    fill_every_frame: ClassVar[bool] = False  # True where an empty frame on the last page is a blank panel (a brochure)
    balances_last_page: ClassVar[bool] = False  # True where the last page's columns end level (so each is judged by the other)
    min_print_size: ClassVar[float] = 6.5  # the smallest type the proof accepts anywhere on the sheet, in points

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, body_size: float | None = None, web_code: bool | None = True,
                 note: NotePlacing | None = None, **kwargs: Any):
        self.sheet = sheet
        self.web_code = web_code if self.web_copy_code else self.web_copy_code  # the code only where the layout has room for one
        self.note_placing = note or NotePlacing()
        self.note_parts: set[int] = set()  # the ids of the web copy's note's flowables, to tell them from the blocks'
        self.note_pages: set[int] = set()
        self.content_pages: set[int] = set()  # the pages with something on them other than the note
        self.body_size = body_size or self.body_sizes[0]
        scale = self.body_size / self.body_sizes[0]
        self.theme = Theme.from_colors(sheet.family, sheet.brand.colors, body_size=self.body_size, heading_size=self.heading_size * scale,
                                       title_size=self.title_size * scale, leading=self.leading, shaded=self.shaded,
                                       italics=self.italics, grayscale=sheet.grayscale, min_size=self.min_size)
        self.styles = stylesheet(self.theme)
        handout, brand = sheet.handout, sheet.brand
        super().__init__(
            buffer, pagesize=kwargs.pop("pagesize", sheet.pagesize), title=handout.title, author=brand.name,
            subject=f"{handout.treatment}: {sheet.kind_label}", creator=f"handouts {__version__}",
            producer=f"handouts {__version__}", keywords=[handout.treatment, handout.kind, handout.id, f"version {handout.version}"],
            lang=handout.language, displayDocTitle=1, invariant=1, pageCompression=1,
            initialFontName=sheet.family.regular, initialFontSize=self.body_size, **kwargs)
        self.frame_uses: dict[tuple[int, str], FrameUse] = {}
        self.placed: list[Placed] = []
        self.structure = Structure(handout.language)

    @classmethod
    def page_limit(cls, handout: Handout) -> int | None:
        """The most pages this layout may take for a handout: its physical limit, else the handout's max_pages."""
        return cls.fixed_pages if cls.fixed_pages is not None else handout.max_pages

    @classmethod
    def offers(cls, handout: Handout) -> bool:
        """Whether this layout prints the handout at all (the card only prints a handout's card section)."""
        return True

    @classmethod
    def frame_min_fill(cls, frame: str) -> float:
        """The share of this frame the proof requires when it is not the last (min_fill, unless a layout says otherwise)."""
        return cls.min_fill

    @classmethod
    def frame_label(cls, page: int, frame: str) -> str:
        """How a report names one of the layout's frames: 'page 2', 'the left column of page 1', 'the flap'."""
        return f"page {page + 1}"

    @classmethod
    def printed_blocks(cls, handout: Handout) -> list[tuple[str, Block]]:
        """The blocks this layout prints for a handout (with the file each came from)."""
        return handout.blocks

    @classmethod
    def fit(cls, sheet: Sheet) -> tuple[bytes, int]:
        """The PDF's bytes and page count at the size draw chooses."""
        drawn = cls.draw(sheet)
        return drawn.data, drawn.pages

    @classmethod
    def draw(cls, sheet: Sheet) -> Drawn:
        """The sheet drawn at the size lay_out chooses, and written (tagged unless it is drawn untagged: its canvas writes the
        structure tree in the same save)."""
        return cls.lay_out(sheet).written()

    @classmethod
    def lay_out(cls, sheet: Sheet) -> Drawn:
        """Render at the largest body size that reaches the page goal with the web copy's QR code; failing that, at the
        largest that reaches it with the copy's address alone; failing both, the first within the budget.

        With no size within the budget, the smallest size's result is returned, for the caller to report.
        """
        limit = cls.page_limit(sheet.handout)
        targets = [n for n in (limit, cls.goal_pages) if n is not None]
        goal = min(targets) if targets else None
        results: list[Drawn] = []
        # Every size step with the code before any without it: a patient scans the code, and the steps are small; the
        # address alone only where no size the layout allows has room for the code (the proof then says so).
        forms: tuple[bool | None, ...] = (True, False) if cls.web_copy_code and sheet.web_address else (cls.web_copy_code,)
        sizes = cls.body_sizes
        # The sizes at which the blocks alone, before the note, run past the goal. The note comes last, so without its
        # code they run exactly as far; and a larger type never needs fewer pages, so where the largest and the smallest
        # size both run past it, every size between does. Once the largest size's copy is within the budget (the first
        # drawn, it is the one chosen where none reaches the goal), such a size is not drawn again.
        past_goal: set[float] = set()
        drawn_at: dict[tuple[float, bool | None], Drawn] = {}

        def draw(size: float, code: bool | None) -> Drawn:
            if (size, code) not in drawn_at:
                drawn = cls(io.BytesIO(), sheet, body_size=size, web_code=code).render_drawn()
                if code and goal is not None and drawn.content_pages > goal:
                    past_goal.add(size)
                if code and goal is not None and drawn.pages > goal and drawn.note_alone:
                    # The code alone over the goal: smaller (down to the smallest a phone reads), it may fit the page before.
                    drawn = cls.note_not_alone(sheet, drawn)
                drawn_at[(size, code)] = drawn
            return drawn_at[(size, code)]

        def settled(size: float) -> bool:
            return size in past_goal and bool(results) and (limit is None or results[0].pages <= limit)

        for code in forms:
            for size in sizes:
                if settled(size):
                    continue
                drawn = draw(size, code)
                if (goal is None or drawn.pages <= goal) and cls.accept(drawn):
                    return cls.note_not_alone(sheet, drawn)
                results.append(drawn)
                if code and size == sizes[0] and len(sizes) > 2 and settled(size):
                    draw(sizes[-1], code)  # the smallest next: where it runs past the goal too, so does every size between
                    if sizes[-1] in past_goal:
                        past_goal.update(sizes[1:-1])
        return cls.note_not_alone(sheet, next((drawn for drawn in results if limit is None or drawn.pages <= limit), results[-1]))

    @classmethod
    def note_not_alone(cls, sheet: Sheet, drawn: Drawn) -> Drawn:
        """The sheet drawn again where its last page holds only the web copy's note, which looks to a patient like a page
        printed by mistake: with the note's code as large as fits on the page before (down to the smallest a phone reads),
        one page shorter; else with the note kept with the last block, which goes over with it; else with as much of the
        last block's end (its last rows or lines) as goes over without leaving the page before short. As drawn where none
        has the note in company without a page more or a page before the last left short that was not short already."""
        if not drawn.note_alone:
            return drawn

        def at(note: NotePlacing) -> Drawn | None:
            trial = cls(io.BytesIO(), sheet, body_size=drawn.body_size, web_code=drawn.web_code, note=note).render_drawn()
            good = (not trial.note_alone and trial.pages <= drawn.pages and cls.accept(trial)
                    and cls.short_frames(trial) <= cls.short_frames(drawn))
            return trial if good else None

        def first_good(placings: list[NotePlacing]) -> Drawn | None:
            # Each placing needs no more room than the one before: halve the list, the last one tried first.
            best = at(placings[-1]) if placings else None
            low, high = 0, len(placings) - 1
            while best is not None and low < high:
                middle = (low + high) // 2
                if (trial := at(placings[middle])) is None:
                    low = middle + 1
                else:
                    best, high = trial, middle
            return best

        codes = [*range(int(drawn.body_size * 5) - NOTE_CODE_STEP, int(WEB_CODE_SMALLEST), -NOTE_CODE_STEP), WEB_CODE_SMALLEST]
        pieces = cls(io.BytesIO(), sheet, body_size=drawn.body_size, web_code=drawn.web_code).last_block_pieces()
        # The whole block, else its end, never leaving its first piece (a heading, a box's title) behind alone.
        return (first_good([NotePlacing(code_size=float(size)) for size in codes] if drawn.web_code else [])
                or first_good([NotePlacing(kept=kept) for kept in (pieces, *range(pieces - 2, 0, -1))]) or drawn)

    @classmethod
    def short_frames(cls, drawn: Drawn) -> set[tuple[int, str]]:
        """The pages, columns or panels before the last one with text that are filled less than their minimum share (as the
        proof finds them)."""
        body = [use for use in drawn.frames if use.body]
        used = [i for i, use in enumerate(body) if use.used > 0]
        if not used:
            return set()
        last_page = body[used[-1]].page
        return {(use.page, use.frame) for i, use in enumerate(body) if i < used[-1] and use.share < cls.frame_min_fill(use.frame) - 0.005
                and not (cls.balances_last_page and use.page == last_page)}

    @classmethod
    def accept(cls, drawn: Drawn) -> bool:
        """Whether a size that meets the page goal is also good enough to stop at (a brochure also wants its panels used)."""
        return True

    @property
    def content_width(self) -> float:
        """The width of the main text frame."""
        raise NotImplementedError

    @property
    def rtl(self) -> bool:
        """True for a sheet in a right-to-left language: its chrome, columns and panels are mirrored."""
        return self.sheet.strings.rtl

    def sides(self, left: float, right: float) -> tuple[float, float]:
        """(where a line starts, where it ends) between two x positions: left then right, or right then left on a
        right-to-left sheet."""
        return (right, left) if self.rtl else (left, right)

    @property
    def lead(self) -> str:
        """How text that starts a line is aligned: left, or right on a right-to-left sheet."""
        return "right" if self.rtl else "left"

    @property
    def trail(self) -> str:
        """How text at the far end of a line is aligned: right, or left on a right-to-left sheet."""
        return "left" if self.rtl else "right"

    def context(self, width: float, node: Node | None = None) -> RenderContext:
        """What the block renderers need, for text set in a frame of this width, their structure elements going into node
        (the document's; a scratch element for flowables made only to be measured)."""
        sheet = self.sheet
        return RenderContext(sheet.brand, sheet.settings, sheet.strings, self.theme, self.styles, width, sheet.patient,
                             sheet.handout.display, sheet.fillable and self.fillable, node if node is not None else self.structure.root)

    def front_matter(self, ctx: RenderContext) -> list[Flowable]:
        """Flowables that open the sheet (title, patient strip)."""
        return []

    def body(self, ctx: RenderContext, items: list[tuple[str, Block]] | None = None) -> list[Flowable]:
        """The flowables of the handout's blocks (or of some of them)."""
        items = self.printed_blocks(self.sheet.handout) if items is None else items
        return render_blocks(items, ctx, keep_whole=self.keep_blocks_whole)

    def story(self, ctx: RenderContext) -> list[Flowable]:
        """Everything that flows through the frames, in reading order."""
        return self.front_matter(ctx) + self.body_and_note(ctx)

    def body_and_note(self, ctx: RenderContext) -> list[Flowable]:
        """The flowables of the handout's blocks, then the web copy's note (placed as self.note_placing says)."""
        kept = self.note_placing.kept
        if not kept:
            body = self.body(ctx)
            return body + self.noted(self.web_copy(ctx, self.note_placing.code_size))
        groups = render_block_groups(self.printed_blocks(self.sheet.handout), ctx, keep_whole=self.keep_blocks_whole)
        note = self.noted(self.web_copy(ctx, self.note_placing.code_size))
        if not groups or not note:
            return [flowable for group in groups for flowable in group] + note
        pieces = opened(groups[-1])
        starts = [i for i, piece in enumerate(pieces) if not isinstance(piece, Spacer)]
        cut = starts[-kept] if 0 < kept < len(starts) else 0
        head = [Keep(pieces[:cut])] if cut else []
        # Moved on whole with the note where the page has no room for both (split only where a page cannot hold them).
        return [flowable for group in groups[:-1] for flowable in group] + head + [KeepTogether(pieces[cut:] + note)]

    def last_block_pieces(self) -> int:
        """How many pieces (paragraphs, rows, a box's parts) the handout's last block is made of, a heading's with it."""
        ctx = self.context(self.content_width, Node("Document"))  # a scratch context: nothing goes into the structure
        groups = render_block_groups(self.printed_blocks(self.sheet.handout), ctx, keep_whole=self.keep_blocks_whole)
        return sum(1 for piece in opened(groups[-1]) if not isinstance(piece, Spacer)) if groups else 0

    def noted(self, note: list[Flowable]) -> list[Flowable]:
        """The web copy's note, its flowables remembered as the note's (see note_pages)."""
        self.note_parts = {id(flowable) for flowable in opened(note)}
        return note

    def web_copy(self, ctx: RenderContext, code_size: float | None = None) -> list[Flowable]:
        """A small QR code (of code_size points, if given) and the address of the handout's web copy, when the brand hosts
        its copies; else nothing."""
        url = self.sheet.web_address
        return web_copy_note(url, ctx, bool(self.web_code), code_size) if url and self.web_code is not None else []

    def canvasmaker(self) -> Any:
        """The canvas class, bound to the page-total font; greys only in a grayscale build."""
        colour, gray = self.canvases
        canvas = gray if self.sheet.grayscale else colour
        writing = self.theme.family if isinstance(self.theme.family, Writing) else None
        return partial(canvas, total_font=(self.theme.family.regular, self.footer_size, self.theme.text), writing=writing,
                       page_words=self.sheet.strings.page if self.rtl else None, structure=self.structure if self.sheet.tagged else None)

    def render(self) -> tuple[bytes, int]:
        """Build the PDF in memory; return its bytes and page count."""
        drawn = self.render_drawn().written()
        return drawn.data, drawn.pages

    def render_drawn(self) -> Drawn:
        """Lay out and draw the sheet; return the record of where its story went, with its file written only when it is
        wanted (`Drawn.written`): of the sizes a layout tries, only the one chosen is written."""
        story = without_trailing_space(self.story(self.context(self.content_width)))
        self.chrome_structure()
        self._doSave = 0  # reportlab's build leaves the canvas unsaved: _Unwritten saves it
        self.build(story, canvasmaker=self.canvasmaker())
        canvas = self.canv
        assert isinstance(canvas, TotalCanvas)
        pages = canvas.getPageNumber() - 1
        alone = pages - 1 in self.note_pages and pages - 1 not in self.content_pages
        return Drawn(b"", pages, self.body_size, self.theme.heading_size,
                     sorted(self.frame_uses.values(), key=lambda f: f.page), self.placed, self.logo_drawn(), self.chrome_notes(),
                     self.web_code, _Unwritten(canvas, self.filename), alone, max(self.content_pages, default=-1) + 1)

    def chrome_structure(self) -> None:
        """Make the structure elements of what the layout draws itself as content, after the story's (nothing here)."""

    def logo_drawn(self) -> tuple[float, float] | None:
        """The printed size of the logo (none in this base class)."""
        return None

    def logo_limits(self) -> tuple[float, float]:
        """The widest and tallest the logo may print (nothing in this base class)."""
        return 0.0, 0.0

    @classmethod
    def logo_fit(cls, sheet: Sheet) -> tuple[float, float, float, float] | None:
        """(printed width, printed height, widest, tallest) of the sheet's logo in this layout; None without a logo."""
        doc = cls(io.BytesIO(), sheet)
        drawn = doc.logo_drawn()
        return (*drawn, *doc.logo_limits()) if drawn else None

    def chrome_notes(self) -> list[tuple[str, str]]:
        """Chrome that could not be set at its smallest allowed size (none in this base class)."""
        return []

    def handle_pageBegin(self) -> None:  # noqa: N802 - reportlab's name
        """Start a page, and note its frames for the record."""
        super().handle_pageBegin()
        for frame in self.pageTemplate.frames:
            box = (frame._x1, frame._y1, frame._width, frame._height)  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
            self.frame_uses[(self.page - 1, str(frame.id))] = FrameUse(self.page - 1, str(frame.id), box, body=frame.id not in self.front_frames,
                                                                       full=float(getattr(frame, "full_height", box[3])))

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        """Note where a flowable with content was drawn (the frame's position is just below it)."""
        if isinstance(flowable, (Spacer, ActionFlowable)) or self.frame is None:
            return
        frame: Any = self.frame  # its position (_y, _y1, _height) is reportlab's own, not in its stubs
        bottom = frame._y + flowable.getSpaceAfter()
        height = getattr(flowable, "height", None) or getattr(flowable, "_height", 0)
        use = self.frame_uses.get((self.page - 1, str(frame.id)))
        if use is not None:
            use.used = max(use.used, frame._y1 + frame._height - bottom)
        (self.note_pages if id(flowable) in self.note_parts else self.content_pages).add(self.page - 1)
        heading = flowable.getPlainText() if isinstance(flowable, Paragraph) and flowable.style.name == "heading" else None
        self.placed.append(Placed(self.page - 1, str(frame.id), bottom + height, bottom, heading))


NOTE_CODE_STEP = 6  # points between the web copy's code sizes tried on a page before the last


@dataclass(frozen=True)
class NotePlacing:
    """Where the web copy's note goes: its code at code_size points (else the size the type gives it), kept with the last
    `kept` pieces of the handout's last block (all of it where the block has no more), or apart with none."""

    code_size: float | None = None
    kept: int = 0


class _Unwritten:
    """The file of a sheet drawn but not yet saved: saved once, when first asked for."""

    def __init__(self, canvas: TotalCanvas, buffer: io.BytesIO):
        self.canvas: TotalCanvas | None = canvas
        self.buffer = buffer

    def __call__(self) -> bytes:
        if self.canvas is not None:
            self.canvas.save()
            self.canvas = None  # let the drawing go
        return self.buffer.getvalue()


def without_trailing_space(story: list[Flowable]) -> list[Flowable]:
    """The story without the space after its last block, which would start an empty page when the last page is full."""
    story = list(story)
    while story and isinstance(story[-1], (Spacer, KeepTogether)):
        if isinstance(story[-1], Spacer):
            story.pop()
            continue
        content = without_trailing_space(story[-1]._content)  # type: ignore[attr-defined]  # reportlab's own list, not in its stubs
        if not content:
            story.pop()
        elif len(content) < len(story[-1]._content):  # type: ignore[attr-defined]
            story[-1] = type(story[-1])(content)  # the same kind of keep (a brochure's block, a box)
        else:
            break
    return story
