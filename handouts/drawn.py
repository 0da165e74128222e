"""What a sheet drew: the layout's record of where its story went, and the PDF's text read back with pdfium as runs,
each a stretch of text on one baseline without a gap.

A run is what a reader sees as one piece of a line: a table's cells on the same baseline are separate runs because
of the gap between them, while bold and plain words of one line join into one run. Runs come in drawing order,
which for a paragraph is its lines from the first to the last.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Any

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
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_double(), ctypes.c_double()
    runs: list[Run] = []
    chars: list[str] = []
    box: list[float] = []  # x0, x1, baseline, bottom, top, size of the run being read
    origin = 0.0  # where the last character was placed (a glyph such as 'f' may reach past the next one's origin)

    def flush() -> None:
        body = "".join(chars).strip()
        if body:
            runs.append(Run(number, body, *box))
        chars.clear()

    for index in range(raw.FPDFText_CountChars(text)):
        code = raw.FPDFText_GetUnicode(text, index)
        if code in (10, 13, 0xFFFE) or (raw.FPDFText_IsGenerated(text, index) and code != 32):
            continue
        char = chr(code)
        raw.FPDFText_GetCharOrigin(text, index, x, y)
        size = raw.FPDFText_GetFontSize(text, index)
        raw.FPDFText_GetCharBox(text, index, left, right, bottom, top)
        if char.isspace():
            if chars:
                chars.append(" " if code == 32 else char)
            continue
        starts_new = (not chars or abs(y.value - box[2]) > BASELINE or x.value < origin - 0.5
                      or x.value - box[1] > GAP * max(size, box[5]))
        origin = x.value
        if starts_new:
            flush()
            box[:] = [x.value, right.value, y.value, bottom.value, top.value, size]
        else:
            box[1] = max(box[1], right.value)
            box[3], box[4], box[5] = min(box[3], bottom.value), max(box[4], top.value), max(box[5], size)
        chars.append(char)
    flush()
    return runs
