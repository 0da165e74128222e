"""The logical structure of a sheet: PDF structure elements (ISO 32000-1 §14.8) in reading order, made by the block
renderers and the layouts as they build the story, each holding what was drawn for it.

A renderer knows what its block is (a heading, a list, a table with row and column headers, a figure with its
alternative text) and says so by making nodes here; marking (`handouts.marking`) records the marked content and the
annotations drawn for each node; `handouts.pdfua` writes the tree into the PDF as it is saved. Nothing is guessed from the page
afterwards, so the reading order is the order of the blocks, whatever order the layout paints them in.
"""

from __future__ import annotations

from dataclasses import field
from typing import Iterator, Union

from .compiled import dataclass

# The standard structure types of PDF 1.7 (ISO 32000-1 §14.8.4) that the sheets use; no role map is needed.
ROLES = frozenset({
    "Document", "Part", "Sect", "Div", "P", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody",
    "Table", "TR", "TH", "TD", "Figure", "Caption", "Link", "Form", "Span", "Note",
})
LIST_NUMBERING = frozenset({"None", "Disc", "Circle", "Square", "Decimal", "UpperRoman", "LowerRoman", "UpperAlpha", "LowerAlpha"})
SCOPES = frozenset({"Row", "Column", "Both"})
UNCHECKED_BOX = "\u2610"  # what a screen reader says for an empty tick box: "ballot box"


class TaggingError(RuntimeError):
    """Drawing that cannot be marked correctly (an engine mistake, never a content problem)."""


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: its page (from 0) and its MCID on that page."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotated:
    """An annotation (a link or a form field): its page (from 0) and its place in the page's /Annots."""

    page: int
    index: int


Kid = Union["Node", Marked, Annotated]


@dataclass(eq=False)
class Node:
    """One structure element: its type, attributes and kids (elements, marked content and annotations) in order."""

    role: str
    parent: "Node | None" = None
    alt: str | None = None  # alternative text (a figure)
    actual_text: str | None = None  # what the content says (a drawn tick box)
    lang: str | None = None  # a language other than the document's
    numbering: str | None = None  # a list's numbering (ListNumbering)
    scope: str | None = None  # a header cell's scope (Row, Column)
    kids: list[Kid] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # the text drawn as this element's own content, in drawing order
    placed: bool = True  # False while made but not yet put among its parent's kids (a link, until its text is drawn)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"'{self.role}' is not a structure type the sheets use ({', '.join(sorted(ROLES))})")
        if self.numbering is not None and self.numbering not in LIST_NUMBERING:
            raise ValueError(f"'{self.numbering}' is not a list numbering")
        if self.scope is not None and self.scope not in SCOPES:
            raise ValueError(f"'{self.scope}' is not a header cell scope")

    def add(self, role: str, **attributes: str | None) -> "Node":
        """A new element at the end of this one's kids."""
        child = Node(role, self, **attributes)  # type: ignore[arg-type]  # the attributes are the optional str fields
        self.kids.append(child)
        return child

    def later(self, role: str, **attributes: str | None) -> "Node":
        """A new element that takes its place among this one's kids only when its first content is drawn."""
        child = Node(role, self, placed=False, **attributes)  # type: ignore[arg-type]
        return child

    def place(self) -> None:
        """Put an element made with `later` at the end of its parent's kids (once)."""
        if not self.placed and self.parent is not None:
            self.parent.kids.append(self)
            self.placed = True

    def elements(self) -> Iterator["Node"]:
        """The element kids, in order."""
        return (kid for kid in self.kids if isinstance(kid, Node))

    def walk(self) -> Iterator["Node"]:
        """This element and every element below it, in reading order."""
        yield self
        for kid in self.elements():
            yield from kid.walk()

    def text(self) -> str:
        """The text drawn for this element and every element below it, in reading order (for a link's description)."""
        parts = ["".join(self.texts)] + [kid.text() for kid in self.elements()]  # its own pieces hold their own spaces
        return " ".join(" ".join(part.split()) for part in parts if part.strip())

    def prune(self) -> None:
        """Drop the elements below this one that nothing was drawn for (made to measure a story, or left unused); a row
        keeps its empty cells (a line left blank to write on), so that every row of a table has all its columns."""
        self._prune()

    def _prune(self) -> bool:
        """Prune below this element; whether anything was drawn for it or below it."""
        kept, found = [], False
        for kid in self.kids:
            drawn = not isinstance(kid, Node) or kid._prune()
            found = found or drawn
            if drawn or self.role == "TR":
                kept.append(kid)
        self.kids = kept
        return found


class Structure:
    """The structure tree of one sheet, and the document facts its root carries."""

    def __init__(self, lang: str):
        self.root = Node("Document")
        self.lang = lang

    def heading(self, level: int) -> str:
        """The heading type of a level (1 to 6)."""
        return f"H{min(max(level, 1), 6)}"
