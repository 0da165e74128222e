"""What a sheet drew: the layout's record of where its story went, and the PDF's text read back with pdfium as runs,
each a stretch of text on one baseline without a gap.

A run is what a reader sees as one piece of a line: a table's cells on the same baseline are separate runs because
of the gap between them, while bold and plain words of one line join into one run. Runs come in drawing order,
which for a paragraph is its lines from the first to the last.

Right-to-left text comes back from pdfium in logical order, each character placed to the left of the one before: a
run goes on leftwards as well as rightwards, in the one direction it started in (a left-to-right number inside an
Arabic line is a run of its own, and so is the Arabic after it).
"""

from __future__ import annotations

import unicodedata
from dataclasses import field, replace
from typing import Any, Callable

from .compiled import dataclass

GAP = 0.9  # a gap wider than this many font sizes (about three word spaces) ends a run
BASELINE = 0.5  # points a baseline may wander within a run


@dataclass
class FrameUse:
    """One text frame on one page and how far down it was filled."""

    page: int  # from 0
    frame: str
    box: tuple[float, float, float, float]  # x, y, width, height
    used: float = 0.0  # points from the frame's top to the foot of its last flowable
    body: bool = True  # False for frames that hold only the title and patient strip
    full: float = 0.0  # the height of the page area the frame stands for (a balanced brochure panel is set shorter)

    @property
    def share(self) -> float:
        """The filled share of the page area's height (0 to 1)."""
        height = self.full or self.box[3]
        return min(1.0, self.used / height) if height else 1.0


@dataclass
class Placed:
    """One flowable of the story, where it was drawn."""

    page: int
    frame: str
    top: float
    bottom: float
    heading: str | None = None  # the heading's text, for a heading


@dataclass
class Drawn:
    """A rendered sheet and a record of where its story went, for the proof to read with the PDF."""

    data: bytes
    pages: int
    body_size: float
    heading_size: float
    frames: list[FrameUse] = field(default_factory=list)
    placed: list[Placed] = field(default_factory=list)
    logo: tuple[float, float] | None = None  # the printed width and height of the logo, in points
    notes: list[tuple[str, str]] = field(default_factory=list)  # (what was squeezed, the smallest it may be) from the chrome
    web_code: bool | None = None  # whether the web copy's QR code was printed (False: its address alone; None: neither)
    write: Callable[[], bytes] | None = None  # writes the file of a sheet drawn but not yet written (data is empty until then)
    note_alone: bool = False  # whether the last page holds nothing but the web copy's note (QR code and address)
    content_pages: int = 0  # the pages up to the last with something of the story other than the web copy's note

    def written(self) -> "Drawn":
        """The sheet with its file written: a layout draws a sheet at several sizes and writes only the one it chooses."""
        return self if self.write is None else replace(self, data=self.write(), write=None)


@dataclass(frozen=True)
class Run:
    """Text drawn on one baseline, with its box in PDF points (origin at the foot of the page)."""

    page: int  # from 0
    text: str
    x0: float
    x1: float
    baseline: float
    bottom: float
    top: float
    size: float  # the largest font size in the run

    def overlaps(self, other: "Run", slack: float = 0.5) -> bool:
        """True when the two runs' boxes cover a common area (beyond a little slack)."""
        return (self.page == other.page and min(self.x1, other.x1) - max(self.x0, other.x0) > slack
                and min(self.top, other.top) - max(self.bottom, other.bottom) > slack)


@dataclass(frozen=True)
class Page:
    """One page's size and the runs drawn on it."""

    width: float
    height: float
    runs: tuple[Run, ...]


def read(data: bytes) -> list[Page]:
    """Every page of a PDF with its runs in drawing order."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    pages = []
    try:
        for number in range(len(document)):
            page = document[number]
            text = page.get_textpage()
            try:
                pages.append(Page(page.get_width(), page.get_height(), tuple(_runs(raw, text.raw, number))))
            finally:
                text.close()
                page.close()
    finally:
        document.close()
    return pages


def _runs(raw: Any, text: Any, number: int) -> list[Run]:  # pdfium's ctypes module and text page handle
    import ctypes  # only the proof reads PDFs back

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_double(), ctypes.c_double()
    pieces: list[_Piece] = []
    piece: _Piece | None = None
    for index in range(raw.FPDFText_CountChars(text)):
        code = raw.FPDFText_GetUnicode(text, index)
        if code in (10, 13, 0xFFFE) or (raw.FPDFText_IsGenerated(text, index) and code != 32):
            continue
        char = chr(code)
        raw.FPDFText_GetCharOrigin(text, index, x, y)
        size = raw.FPDFText_GetFontSize(text, index)
        raw.FPDFText_GetCharBox(text, index, left, right, bottom, top)
        if char.isspace():
            if piece is not None and piece.chars:
                piece.chars.append(" " if code == 32 else char)
            continue
        heading = piece.goes_on(char, x.value, right.value, y.value, size) if piece is not None else 0
        if not heading:
            piece = _Piece([x.value, right.value, y.value, bottom.value, top.value, size])
            pieces.append(piece)
        piece.add(char, heading, x.value, left.value, right.value, bottom.value, top.value, size)  # type: ignore[union-attr]  # set just above
    runs: list[Run] = []
    merged: list[_Piece] = []
    rtl_lines = sorted({each.box[2] for each in pieces if any(map(_rtl, each.chars))})
    for each in pieces:
        if merged and merged[-1].takes(each, rtl_lines):
            merged[-1].absorb(each)
        else:
            merged.append(each)
    for each in merged:
        body = "".join(each.chars).strip()
        if body:
            runs.append(Run(number, body, *each.box))
    return runs


class _Piece:
    """Characters read one after another in one direction without a gap: a run, or part of a run of mixed direction."""

    def __init__(self, box: list[float]):
        self.box = box  # x0, x1, baseline, bottom, top, size
        self.chars: list[str] = []
        self.spans: list[tuple[float, float]] = []  # each drawn character's left and right
        self.origin = box[0]  # where the last character was placed (a glyph such as 'f' may reach past the next one's origin)
        self.heading = 0  # 1 rightwards, -1 leftwards, once known

    def goes_on(self, char: str, x: float, right_edge: float, baseline: float, size: float) -> int:
        """The direction in which a character at x carries this piece on, or 0 when it starts a new one."""
        box, gap = self.box, GAP * max(size, self.box[5])
        if abs(baseline - box[2]) > BASELINE:
            return 0
        if abs(x - self.origin) <= 0.5 or unicodedata.category(char) == "Mn":  # a ligature's second letter, or a mark
            return self.heading or 1
        if self.heading >= 0 and x >= self.origin - 0.5 and x - box[1] <= gap:
            return 1
        if self.heading <= 0 and x <= self.origin + 0.5 and box[0] - right_edge <= gap and right_edge <= box[0] + 0.5 * size:
            return -1
        return 0

    def add(self, char: str, heading: int, x: float, left: float, right: float, bottom: float, top: float, size: float) -> None:
        """Take one character."""
        box = self.box
        if self.chars:
            self.heading = heading if abs(x - self.origin) > 0.5 else self.heading
            box[0], box[1] = min(box[0], x), max(box[1], right)
            box[3], box[4], box[5] = min(box[3], bottom), max(box[4], top), max(box[5], size)
        self.origin = x
        self.chars.append(char)
        if unicodedata.category(char) != "Mn":
            self.spans.append((max(left, x), right))

    def takes(self, other: "_Piece", rtl_lines: list[float]) -> bool:
        """Whether a piece read next belongs to this one's run: a line with right-to-left text and numbers or Latin words
        in it comes back in pieces that sit beside each other on one baseline without covering each other."""
        if abs(other.box[2] - self.box[2]) > BASELINE or not any(abs(line - self.box[2]) <= BASELINE for line in rtl_lines):
            return False
        size = max(self.box[5], other.box[5])
        slack, gap = 0.15 * size, GAP * size
        if any(min(r, r2) - max(l, l2) > slack for l, r in other.spans for l2, r2 in self.spans):
            return False
        return min(max(l2 - r, l - r2) for l, r in other.spans for l2, r2 in self.spans) <= gap

    def absorb(self, other: "_Piece") -> None:
        """Join a piece read next to this one."""
        box, more = self.box, other.box
        box[0], box[1] = min(box[0], more[0]), max(box[1], more[1])
        box[3], box[4], box[5] = min(box[3], more[3]), max(box[4], more[4]), max(box[5], more[5])
        self.chars += other.chars
        self.spans += other.spans


def _rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")
