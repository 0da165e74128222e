"""Marked content, written while a sheet is drawn: every flowable's drawing becomes the content of its structure element
(`/P <</MCID n>> BDC … EMC`) or an artifact (`/Artifact BMC … EMC`), and every annotation the child of an element.

A renderer marks a flowable once, when it makes it (`tag`, `tag_item`, `tag_artifact`, `tag_field`); the flowable
then marks its own drawing wherever the layout places it, and the parts of a flowable split across pages or columns
stay with the same element. Tables mark themselves through reportlab's table render callback (`TABLE`): their
rules and backgrounds are artifacts and each cell's flowables mark themselves. A paragraph's own graphics (the
underline of a link) are artifacts too, and its text objects carry the marks: the whole text object as one sequence,
or, where it holds the text of a link, split so that the link's words are the content of a `Link` element that also
holds the link's annotation. Nothing here depends on how a paragraph lays out its glyphs: it sees the text objects
the paragraph draws, and the link runs reportlab reports (`_linkRecord`).

The canvas owns one Marker, which keeps the state of one page at a time; a layout marks its own chrome with
`artifact(canvas, kind)` and the little real content it draws itself with `content(canvas, node)`.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from typing import Any, Callable, ClassVar, Iterator, TypeVar

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.tables import TableRenderCB

from .compiled import dataclass
from .pdfua import write_tagged
from .structure import Annotated, Marked, Node, Structure, TaggingError
from .writing import has_rtl

F = TypeVar("F", bound=Flowable)

ARTIFACTS = {  # what kind of artifact, as ISO 32000-1 §14.8.2.2 names them
    None: "/Artifact BMC",
    "header": "/Artifact <</Type /Pagination /Subtype /Header>> BDC",
    "footer": "/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
    "page": "/Artifact <</Type /Page>> BDC",  # fold and cut marks: production aids outside the document
    "layout": "/Artifact <</Type /Layout>> BDC",
}


class Mark(str):
    """An operator written into a page's content by this module (a copy of the page's drawing can leave it out)."""


@dataclass(frozen=True)
class Marking:
    """How a flowable's drawing is marked: as content of node (a paragraph's text; anything else whole), as an artifact,
    or as a form field whose annotation belongs to node."""

    kind: str  # "text", "content", "artifact" or "field"
    node: Node | None = None
    label: Node | None = None  # a list item's label: the first text object the paragraph draws (its bullet or number)


ARTIFACT = Marking("artifact")


@dataclass
class _Frame:
    """One level of marking open on the canvas."""

    kind: str  # "artifact", "content", "table", "text" or "field"
    node: Node | None = None
    label: Node | None = None
    open_at: int | None = None  # in a table or a paragraph: where the artifact of its own graphics was opened, while open
    words: str | None = None  # a paragraph's own text, to follow as its lines are written


class Marker:
    """The marked content of one canvas: MCIDs per page, the levels open, and which element owns each annotation."""

    def __init__(self, canvas: "TaggingCanvas", structure: Structure):
        self.canvas = canvas
        self.structure = structure
        self.stack: list[_Frame] = []
        self.next_mcid: dict[int, int] = {}
        self.inside_text = 0  # sequences written inside text objects (for link text), which a copy of a page cannot leave out
        self.links: dict[tuple[int, Any], Node] = {}  # (id of the text's element, reportlab's link key) → the Link element
        self.pending: deque[tuple[Node, str]] = deque()  # link annotations the paragraph being drawn will add, in order
        self.owner: Node | None = None  # the element of the annotation being added
        self.blank_cell = False  # a table is drawing a cell of (empty) text, an artifact

    # -- writing -------------------------------------------------------------------------------------------------------

    @property
    def page(self) -> int:
        """The page being drawn, from 0."""
        return int(self.canvas.getPageNumber()) - 1

    def _code(self) -> list[str]:
        code: list[str] = self.canvas._code  # type: ignore[attr-defined]  # the page's operators, not in reportlab's stubs
        return code

    def _emit(self, operator: str) -> None:
        self.canvas._code.append(Mark(operator))  # type: ignore[attr-defined]  # the page's operators

    def _begin(self, node: Node) -> str:
        """The operator that opens a new sequence of node's content (its MCID taken, and noted in the element)."""
        page = self.canvas._pageNumber - 1  # type: ignore[attr-defined]  # the page being drawn (getPageNumber's)
        mcid = self.next_mcid.get(page, 0)
        self.next_mcid[page] = mcid + 1
        node.place()
        node.kids.append(Marked(page, mcid))
        return f"/{node.role} <</MCID {mcid}>> BDC"

    def _suspend(self) -> None:
        """Close the artifact of the open table's or paragraph's own graphics (dropping it when nothing was drawn in it)."""
        stack = self.stack
        if not stack or stack[-1].open_at is None:
            return
        frame = stack[-1]
        code = self._code()
        if len(code) == frame.open_at and code and isinstance(code[-1], Mark):
            code.pop()
        else:
            self._emit("EMC")
        frame.open_at = None

    def _resume(self) -> None:
        """Open the artifact of the table's or paragraph's own graphics again."""
        stack = self.stack
        if stack:
            frame = stack[-1]
            if frame.open_at is None and frame.kind in ("table", "text"):
                code = self._code()
                code.append(Mark(ARTIFACTS[None]))
                frame.open_at = len(code)

    def _check_not_within(self, what: str) -> None:
        for frame in self.stack:
            if frame.kind in ("artifact", "content"):
                raise TaggingError(f"{what} drawn inside {'an artifact' if frame.kind == 'artifact' else 'other content'}")

    # -- levels --------------------------------------------------------------------------------------------------------

    @contextmanager
    def flowable(self, marking: Marking, flowable: Flowable) -> Iterator[None]:
        """Mark the drawing of one flowable; a flowable drawn a second time (a table's header row repeated on the next
        page) is an artifact the second time."""
        if getattr(flowable, "_marked_drawn", False):
            marking = ARTIFACT
        flowable._marked_drawn = True  # type: ignore[attr-defined]
        if marking.kind == "artifact":
            with self.artifact():
                yield
        elif marking.kind == "content":
            assert marking.node is not None
            with self.content(marking.node):
                yield
        elif marking.kind == "text":
            self.begin_paragraph(marking, flowable)
            try:
                yield
            finally:
                self.end_paragraph()
        else:  # a form field: it draws nothing on the page, its annotation belongs to the element
            self.stack.append(_Frame("field", marking.node))
            try:
                yield
            finally:
                self.stack.pop()

    def begin_paragraph(self, marking: Marking, flowable: Flowable) -> None:
        """A paragraph starts: its text objects are its element's content, its own graphics artifacts."""
        self._check_not_within("a paragraph")
        self._suspend()
        self.stack.append(_Frame("text", marking.node, marking.label, words=_plain_text(flowable)))
        self._resume()

    def end_paragraph(self) -> None:
        """The paragraph is drawn."""
        self._suspend()
        self.stack.pop()
        self._resume()

    @contextmanager
    def artifact(self, kind: str | None = None) -> Iterator[None]:
        """Everything drawn inside is an artifact (nothing when already inside one, or among a table's own graphics)."""
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind == "content":
            raise TaggingError("an artifact drawn inside content")
        inside = top is not None and (top.kind == "artifact" or top.open_at is not None)
        if not inside:
            self._emit(ARTIFACTS[kind])
        self.stack.append(_Frame("artifact"))
        try:
            yield
        finally:
            self.stack.pop()
            if not inside:
                self._emit("EMC")

    @contextmanager
    def content(self, node: Node) -> Iterator[None]:
        """Everything drawn inside is one sequence of node's content."""
        self._check_not_within("content")
        self._suspend()
        self._emit(self._begin(node))
        self.stack.append(_Frame("content", node))
        try:
            yield
        finally:
            self.stack.pop()
            self._emit("EMC")
            self._resume()

    def begin_table(self) -> None:
        """A table starts: its rules and backgrounds are artifacts, its cells mark themselves."""
        self._check_not_within("a table")
        self._suspend()
        self.stack.append(_Frame("table"))
        self._resume()

    def end_table(self) -> None:
        """The table is drawn."""
        self._suspend()
        frame = self.stack.pop()
        if frame.kind != "table":
            raise TaggingError(f"a table ended inside {frame.kind}")
        self._resume()

    def end_page(self) -> None:
        """The page is finished: nothing may be left open."""
        if self.stack:
            raise TaggingError(f"marked content left open at the end of page {self.page + 1}: {[f.kind for f in self.stack]}")
        self.pending.clear()

    # -- text ----------------------------------------------------------------------------------------------------------

    def text_node(self) -> tuple[Node | None, str | None]:
        """The element a text object that is starting belongs to (a list item's label first, then its body; None where
        the text is not a paragraph's: an artifact, a picture's own text), and the paragraph's text it writes, if known."""
        frame = self.stack[-1] if self.stack else None
        if frame is None or frame.kind != "text":
            if frame is not None and frame.kind == "table" and frame.open_at is not None and not self.blank_cell:
                raise TaggingError("text drawn among a table's own graphics: a cell's paragraph was not tagged")
            return None, None
        if frame.label is not None:
            label, frame.label = frame.label, None
            return label, None
        return frame.node, frame.words

    def draw_text(self, text: "TaggedTextObject", draw: Callable[[], None]) -> None:
        """Draw a paragraph's text object as its element's content, split where it holds a link's words."""
        node = text.mark_node
        assert node is not None
        self._suspend()
        pieces = text._pieces
        if all(link is None or link is node for _, _, link in pieces):  # no link's words: one sequence
            self._emit(self._begin(node))
            node.texts += [str(piece) for _, piece, _ in pieces]
            draw()
            self._emit("EMC")
        else:
            groups = text.groups(node)
            self.inside_text += 1
            code: list[str] = text._code  # type: ignore[attr-defined]  # the text object's operators
            inserts: list[tuple[int, str]] = []
            for target, (first, last), texts in groups:
                inserts += [(first, self._begin(target)), (last + 1, "EMC")]
                target.texts += texts
            # From the end, so that the places still count; at one place the later insert goes in first (EMC before BDC).
            for _, (index, operator) in sorted(enumerate(inserts), key=lambda item: (item[1][0], item[0]), reverse=True):
                code.insert(index, operator)
            draw()
        self._resume()

    def link_started(self, text: "TaggedTextObject", key: Any) -> Node | None:
        """A link's words start in a paragraph's text: the Link element they belong to (None where links are not made)."""
        if not self.canvas.annotates_links or text.mark_node is None:
            return None
        parent = text.mark_node
        node = self.links.get((id(parent), key))
        if node is None:
            node = self.links[(id(parent), key)] = parent.later("Link")
        self.pending.append((node, _href(key)))
        return node

    @contextmanager
    def link_call(self, url: str) -> Iterator[None]:
        """A paragraph adds a link annotation: it belongs to the Link element of the words it covers."""
        if not self.pending:
            # A paragraph of one run that is all link (reportlab reports no link run for it): the whole text is the link.
            building = self.canvas._building
            if building is None or building.mark_node is None:
                raise TaggingError(f"a link to {url} outside a tagged paragraph")
            node = self.link_started(building, ("whole", url))
            assert node is not None
            building.claim_all(node)
        owner, href = self.pending.popleft()
        if href != url:
            raise TaggingError(f"a link annotation to {url} where the paragraph's next link goes to {href}")
        self.owner = owner
        try:
            yield
        finally:
            self.owner = None

    def annotation(self, index: int) -> None:
        """An annotation was added to the page at this place in its /Annots."""
        owner = self.owner
        if owner is None and self.stack and self.stack[-1].kind == "field":
            owner = self.stack[-1].node
        if owner is None:
            raise TaggingError("an annotation outside any structure element")
        owner.kids.append(Annotated(self.page, index))  # a link takes its place among its parent's kids with its words


def _plain_text(flowable: Flowable) -> str | None:
    """A paragraph's own text (None where it cannot be had)."""
    try:
        return str(flowable.getPlainText())  # type: ignore[attr-defined]  # a Paragraph's
    except Exception:  # noqa: BLE001 - a paragraph of callbacks or images: its line ends are then simply given spaces
        return None


def _href(key: Any) -> str:
    """The target of one of reportlab's link keys ((number, target) for the runs of a paragraph)."""
    return str(key[1]) if isinstance(key, tuple) and len(key) == 2 else str(key)


# -- the canvas and its text objects ---------------------------------------------------------------------------------

_NO_SPACE_AFTER = ("W", "F")  # East Asian wide and fullwidth characters: lines of Chinese and Japanese join without a space


class TaggedTextObject(PDFTextObject):
    """A text object that notes where each piece of text was written, and which link it belongs to, so that the marks
    can be put around a link's words; a line that ends between two words without a space gets one, so that text read
    back from the PDF has a space between the last word of a line and the first of the next (a line broken inside a
    word, such as a long address, gets none: the word reads back whole)."""

    mark_node: Node | None = None

    def __init__(self, canvas: Canvas, x: float = 0, y: float = 0, direction: Any = None):
        super().__init__(canvas, x, y, direction=direction)
        self._pieces: list[list[Any]] = []  # [index in the operators, text, link element or None]
        self._link: Node | None = None
        self._words: str | None = None  # the paragraph's text being written, while every piece is found in it
        self._at = 0  # how much of it is written
        self._last: str | None = None  # the last character written on the line being written

    def follow(self, words: str | None) -> None:
        """Follow the paragraph's own text as its lines are written, to tell a line broken inside a word."""
        self._words, self._at = words, 0

    def _advance(self, text: Any) -> None:
        """Move past text in the paragraph's text (whitespace aside); text not found there stops the following."""
        words, at = self._words, self._at
        if words is None:
            return
        if type(text) is not str:  # shaped glyphs
            self._words = None
            return
        end = len(words)
        for word in text.split():
            while at < end and words[at].isspace():
                at += 1
            if words.startswith(word, at):  # the usual case: the word is there whole
                at += len(word)
                continue
            for char in word:  # else char by char, whitespace in the paragraph's text aside
                while at < end and words[at].isspace():
                    at += 1
                if at >= end or words[at] != char:
                    self._words = None  # a hyphen added at a break, say: every line end then gets its space
                    return
                at += 1
        self._at = at

    def _inside_word(self) -> bool:
        """Whether the paragraph's text goes on without a space after what is written (a word broken across lines)."""
        words = self._words
        return words is not None and self._at < len(words) and not words[self._at].isspace()

    def _formatText(self, text: str) -> str:  # noqa: N802 - reportlab's name
        code: list[str] = self._code  # type: ignore[attr-defined]  # the text object's operators, not in reportlab's stubs
        if self.mark_node is not None:
            self._pieces.append([len(code), text, self._link])
        out: str = super()._formatText(text)  # type: ignore[misc]  # untyped in reportlab's stubs
        return out

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802,N803 - reportlab's names
        self._advance(text)
        if text:
            self._last = text[-1]
        if TStar and self.mark_node is not None and self._needs_space():
            if not text:  # a line whose last run wrote nothing (its words were all in the runs before)
                text = " "
            elif type(text) is str:
                text += " "
            else:  # shaped glyphs: the space is written after them, in the same font
                super()._textOut(text, 0)  # type: ignore[misc]
                text = " "
        super()._textOut(text, TStar)  # type: ignore[misc]
        if TStar:
            self._last = None

    def _needs_space(self) -> bool:
        """Whether the line being ended ends between two words without a space."""
        last = self._last
        return last is not None and not last.isspace() and unicodedata.east_asian_width(last) not in _NO_SPACE_AFTER \
            and not self._inside_word()

    def _linkRecord(self, link: Any, what: str) -> None:  # noqa: N802 - reportlab's hook for link runs in paragraphs
        marker = getattr(self._canvas, "marker", None)  # type: ignore[attr-defined]
        if marker is None or self.mark_node is None:
            return
        if what == "start":
            # reportlab reports the start after writing the link's first words
            self._link = marker.link_started(self, link)
            if self._pieces and self._link is not None:
                self._pieces[-1][2] = self._link
        else:
            self._link = None

    def claim_all(self, node: Node) -> None:
        """Every piece of text, written and to come, belongs to node (a paragraph that is one link)."""
        self._link = node
        for piece in self._pieces:
            piece[2] = node

    def groups(self, node: Node) -> list[tuple[Node, tuple[int, int], list[str]]]:
        """Runs of pieces of text that belong to one element: (element, (first, last) index in the operators, texts)."""
        out: list[tuple[Node, tuple[int, int], list[str]]] = []
        for index, text, link in self._pieces:
            target = link or node
            if out and out[-1][0] is target:
                out[-1] = (target, (out[-1][1][0], index), out[-1][2] + [str(text)])
            else:
                out.append((target, (index, index), [str(text)]))
        return out


class TaggingCanvas(Canvas):
    """A canvas that marks what is drawn on it for the sheet's structure (when it is given one)."""

    annotates_links: ClassVar[bool] = True  # False where links are left out (a card's faces)
    text_object: ClassVar[type[TaggedTextObject]] = TaggedTextObject

    def __init__(self, *args: Any, structure: Structure | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.marker = Marker(self, structure) if structure is not None else None
        self._building: TaggedTextObject | None = None

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:  # noqa: N802 - reportlab's name
        """A text object that knows which element its text belongs to."""
        text = self.text_object(self, x, y, direction=direction)
        if self.marker is not None:
            text.mark_node, words = self.marker.text_node()
            text.follow(words)
            self._building = text
        return text

    def drawText(self, aTextObject: PDFTextObject) -> None:  # noqa: N802,N803 - reportlab's names
        """Draw a text object inside its marks."""
        self._building = None
        node = getattr(aTextObject, "mark_node", None)
        if self.marker is None or node is None or not isinstance(aTextObject, TaggedTextObject):
            super().drawText(aTextObject)
            return
        draw = super().drawText
        self.marker.draw_text(aTextObject, lambda: draw(aTextObject))

    def linkURL(self, url: str, rect: Any, relative: Any = 0, thickness: int = 0, color: Any = None,  # noqa: N802
                dashArray: Any = None, kind: str = "URI", **kw: Any) -> None:  # noqa: N803 - reportlab's names
        """A link annotation, owned by the Link element of its words."""
        if self.marker is None:
            super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
            return
        with self.marker.link_call(url):
            super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:  # noqa: N802
        index = len(self._annotationrefs)  # type: ignore[attr-defined]  # the page's annotations, not in reportlab's stubs
        super()._addAnnotation(annotation, name, addtopage)  # type: ignore[misc]
        if self.marker is not None and addtopage:
            self.marker.annotation(index)

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        """Finish the page (every mark closed)."""
        if self.marker is not None:
            self.marker.end_page()
        super().showPage()

    def save(self) -> None:
        """Write the file: with a structure, a tagged PDF/UA-1 file, its structure tree written in the same save."""
        if self.marker is not None:
            if len(self._code):  # type: ignore[attr-defined]  # a page still open, as reportlab's save would finish it
                self.showPage()
            write_tagged(self, self.marker.structure)
        super().save()


def artifact(canvas: Canvas, kind: str | None = None) -> AbstractContextManager[None]:
    """Mark what the block draws as an artifact: kind is "header", "footer", "page" (fold and cut marks), "layout" or None."""
    marker = getattr(canvas, "marker", None)
    return nullcontext() if marker is None else marker.artifact(kind)


def content(canvas: Canvas, node: Node) -> AbstractContextManager[None]:
    """Mark what the block draws as content of node (a layout's own real content: its footer on one page)."""
    marker = getattr(canvas, "marker", None)
    return nullcontext() if marker is None else marker.content(node)


def page_operators(canvas: Canvas, start: int) -> list[str]:
    """The operators drawn on the page since `start` (a length of its content), without this module's marks: the same
    drawing again, for an artifact copy of it. Raises where a mark sits inside a text object and cannot be left out."""
    marker = getattr(canvas, "marker", None)
    if marker is not None and marker.inside_text:
        raise TaggingError("a drawing with link text marked inside its text objects cannot be copied as an artifact")
    code: list[str] = canvas._code  # type: ignore[attr-defined]
    return [operator for operator in code[start:] if not isinstance(operator, Mark)]


def code_length(canvas: Canvas) -> int:
    """How many operators the page has so far (where a copy of what follows starts)."""
    return len(canvas._code)  # type: ignore[attr-defined]


def add_operators(canvas: Canvas, operators: list[str]) -> None:
    """Write operators into the page's content as they are."""
    canvas._code.extend(operators)  # type: ignore[attr-defined]


# -- marking flowables ------------------------------------------------------------------------------------------------

class MarkedFlowable(Flowable):
    """A flowable whose drawing is marked (made by `tag` and friends from the flowable's own class)."""

    _marking: Marking

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802,N803 - reportlab's names
        """Draw inside the flowable's marks."""
        marker = getattr(canvas, "marker", None)
        draw: Callable[..., None] = super().drawOn  # reportlab's drawOn takes _sW too; its stubs leave it out
        if marker is None:
            draw(canvas, x, y, _sW)
            return
        marking = self._marking
        if marking.kind == "text" and not getattr(self, "_marked_drawn", False):  # most flowables: as marker.flowable does
            self._marked_drawn = True
            marker.begin_paragraph(marking, self)
            try:
                draw(canvas, x, y, _sW)
            finally:
                marker.end_paragraph()
            return
        with marker.flowable(marking, self):
            draw(canvas, x, y, _sW)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N802,N803 - reportlab's names
        """The parts stay with the element; only the first part draws a list item's label."""
        parts = super().split(availWidth, availHeight)
        for i, part in enumerate(parts):
            _mark(part, self._marking if i == 0 else replace(self._marking, label=None))
        return parts


_MARKED: dict[type, type] = {}


def _mark(flowable: F, marking: Marking) -> F:
    """The flowable, its class swapped for a marked subclass of it, carrying its marking."""
    cls = type(flowable)
    if not issubclass(cls, MarkedFlowable):
        if cls not in _MARKED:
            _MARKED[cls] = type(cls.__name__, (MarkedFlowable, cls), {"__module__": cls.__module__, "__doc__": cls.__doc__})
        # Past the flowable's own __setattr__: a Drawing's (an SVG picture) keeps what it is given in its __dict__.
        object.__setattr__(flowable, "__class__", _MARKED[cls])
    object.__setattr__(flowable, "_marking", marking)
    return flowable


def tag(flowable: F, node: Node) -> F:
    """Mark the flowable's drawing as node's content (a paragraph: its text; its underlines are artifacts)."""
    if isinstance(flowable, Paragraph):
        _say_logical_order(flowable, node)
        return _mark(flowable, Marking("text", node))
    return _mark(flowable, Marking("content", node))


def tag_item(paragraph: F, label: Node, body: Node) -> F:
    """Mark a list item's paragraph: the bullet or number it draws first is label's content, its text body's."""
    _say_logical_order(paragraph, body)
    return _mark(paragraph, Marking("text", body, label))


def _say_logical_order(paragraph: Flowable, node: Node) -> None:
    """A paragraph with right-to-left words is drawn line by line in visual order, each word shaped (its glyphs read back
    as presentation forms, right to left): its text in logical order, read before it is laid out, is what node says."""
    words = _plain_text(paragraph)
    if words and has_rtl(words):
        said = " ".join(words.split())
        node.actual_text = f"{node.actual_text} {said}" if node.actual_text else said


def tag_artifact(flowable: F) -> F:
    """Mark the flowable's drawing as an artifact (a decorative drawing beside text that says the same)."""
    return _mark(flowable, ARTIFACT)


def tag_field(flowable: F, node: Node) -> F:
    """Mark a form field: its widget annotation belongs to node (a Form element)."""
    return _mark(flowable, Marking("field", node))


def marking_of(flowable: Flowable) -> Marking | None:
    """How a flowable is marked (None when it is not)."""
    return getattr(flowable, "_marking", None)


class TableMarks(TableRenderCB):
    """Reportlab's table render callback: a table's own graphics are artifacts; a cell of plain text cannot be marked."""

    def startTable(self, T: Any) -> None:  # noqa: N802,N803 - reportlab's names
        marker = getattr(T.canv, "marker", None)
        if marker is not None:
            marker.begin_table()

    def endTable(self, T: Any) -> None:  # noqa: N802,N803
        marker = getattr(T.canv, "marker", None)
        if marker is not None:
            marker.end_table()

    def startCell(self, T: Any, rowNo: int, colNo: int, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802,N803
        if isinstance(cellval, str) and cellval.strip():
            raise TaggingError(f"a table cell of plain text ('{cellval[:30]}'): make it a tagged paragraph")
        marker = getattr(T.canv, "marker", None)
        if marker is not None:
            marker.blank_cell = isinstance(cellval, str)

    def startBG(self, T: Any) -> None:  # noqa: N802,N803
        """Backgrounds are drawn inside the table's artifact."""

    def endBG(self, T: Any) -> None:  # noqa: N802,N803
        """Backgrounds are drawn inside the table's artifact."""

    def startRow(self, T: Any, rowNo: int) -> None:  # noqa: N802,N803
        """Rows need nothing."""

    def endRow(self, T: Any) -> None:  # noqa: N802,N803
        """Rows need nothing."""

    def endCell(self, T: Any) -> None:  # noqa: N802,N803
        marker = getattr(T.canv, "marker", None)
        if marker is not None:
            marker.blank_cell = False

    def startLines(self, T: Any) -> None:  # noqa: N802,N803
        """Rules are drawn inside the table's artifact."""

    def endLines(self, T: Any) -> None:  # noqa: N802,N803
        """Rules are drawn inside the table's artifact."""


TABLE = TableMarks()
