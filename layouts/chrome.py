"""Brand chrome shared by the layouts: the logo, text fitted to a width, and 'Page X of Y'."""

from __future__ import annotations

import io
import re
from functools import wraps
from typing import Any, Callable, TypeVar

from reportlab.graphics import renderPDF
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from handouts import images
from handouts.compiled import dataclass
from handouts.i18n import Strings
from handouts.flowables import opened
from handouts.marking import artifact
from handouts.linebreaks import PART, WORD, break_levels, line_end
from handouts.writing import is_cjk, text_width

from .base import PAGE_LABEL_FORM, TOTAL_FORM

D = TypeVar("D", bound=Callable[..., None])


def as_artifact(kind: str | None) -> Callable[[D], D]:
    """Mark everything a page callback (self, canvas, doc) draws as an artifact of this kind ("header", "footer", "page")."""
    def wrap(method: D) -> D:
        @wraps(method)
        def marked(self: Any, canvas: Canvas, *args: Any) -> None:
            with artifact(canvas, kind):
                method(self, canvas, *args)
        return marked  # type: ignore[return-value]
    return wrap


class Logo:
    """A brand logo prepared once and fitted, at its own aspect ratio, into a box of at most max_width × max_height.

    A wide wordmark takes the full height and as much width as it needs (up to max_width); a square or tall mark
    takes the full height and less width. `width` and `height` are the printed size.
    """

    def __init__(self, picture: images.Picture | None, max_width: float, max_height: float, font: str):
        self.picture = picture
        self._drawable: Any = None
        self.width = self.height = 0.0
        if picture is None:
            return
        scale = min(max_width, max_height / picture.aspect)
        self.width, self.height = scale, scale * picture.aspect
        if isinstance(picture, images.Vector):
            self._drawable = images.drawing(picture, self.width, self.height, font)
            self.width, self.height = self._drawable.width, self._drawable.height
        else:
            self._drawable = ImageReader(io.BytesIO(picture.data))

    def draw(self, canvas: Canvas, x: float, y: float) -> None:
        """Draw the logo with its lower-left corner at (x, y); nothing when the brand has none."""
        if isinstance(self.picture, images.Vector):
            renderPDF.draw(self._drawable, canvas, x, y)
        elif self.picture is not None:
            canvas.drawImage(self._drawable, x, y, self.width, self.height, mask="auto")


@dataclass(frozen=True)
class Fitted:
    """Chrome text broken into lines at one size; fits is False when even the smallest size needed more lines or room."""

    lines: tuple[str, ...]
    size: float
    fits: bool = True

    def height(self, leading: float = 1.18) -> float:
        """The height of the lines, baseline to baseline plus one line."""
        return len(self.lines) * self.size * leading


def fit_text(text: str, font: str, size: float, min_size: float, width: float, max_lines: int = 2) -> Fitted:
    """Text at the largest size from size down to min_size (half-point steps) that fits width in max_lines lines.

    Lines break at spaces, and in Chinese and Japanese between characters where their rules allow. Nothing is ever
    cut: when even min_size fails, every line is kept at min_size, fits is False, and the layout reports it (chrome is
    never shortened with an ellipsis).
    """
    if not text:
        return Fitted((), size)
    current = size
    while True:
        lines = tuple(split_lines(text, font, current, width)) or (text,)
        if len(lines) <= max_lines and all(text_width(line, font, current) <= width + 0.01 for line in lines):
            return Fitted(lines, current)
        if current <= min_size + 1e-6:
            return Fitted(lines, current, False)
        current = max(min_size, current - 0.5)


def split_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Text broken into lines no wider than width (a word wider than that has a line of its own): at spaces but not at
    no-break spaces (which hold a phone number together, and come out as plain spaces); in scripts written without
    spaces, between characters as the body text breaks (`handouts.linebreaks`: never before closing punctuation or after
    an opening bracket, a date, weekday or number with its unit kept whole where it fits)."""
    if any(map(is_cjk, text)):
        spaced = re.sub(r"[^\S\u00a0]+", " ", text.strip())  # a tab or a line break is a space, as elsewhere in chrome
        return [line.replace("\u00a0", " ") for line in _character_lines(spaced, font, size, width)]
    if "\u00a0" not in text:
        return list(simpleSplit(text, font, size, width))
    lines: list[str] = []
    line = ""
    for word in re.split(r"[^\S\u00a0]+", text.strip()):
        candidate = line + (" " if line else "") + word
        if not line or text_width(candidate, font, size) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [kept.replace("\u00a0", " ") for kept in lines + ([line] if line else [])]


def _character_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of text that mixes a script written without spaces with others, each as full as its breaks allow. A word
    (a Latin word, a number with its unit, a weekday) is never broken: one wider than the line runs past it, so that
    fit_text sets the line smaller instead."""
    levels = break_levels(text)
    for i in range(1, len(text)):  # a no-break space holds what is on either side of it together
        if "\u00a0" in (text[i - 1], text[i]):
            levels[i] = min(levels[i], WORD)
    lines: list[str] = []
    start = 0
    while start < len(text):
        end = start + 1  # the first character that no longer fits the line
        while end < len(text) and text_width(text[start:end + 1].rstrip(), font, size) <= width:
            end += 1
        cut = len(text) if end >= len(text) else line_end(levels, start, end)
        if cut < len(text) and levels[cut] < PART:  # only inside a word: the whole word, to the next break
            cut = next((i for i in range(end + 1, len(text)) if levels[i] >= PART), len(text))
        lines.append(text[start:cut].rstrip())
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
    return lines


def draw_lines(canvas: Canvas, fitted: Fitted, font: str, x: float, top: float, align: str = "left", leading: float = 1.18) -> float:
    """Draw fitted lines with the first baseline a size below top; return the y under the last line."""
    canvas.setFont(font, fitted.size)
    y = top - fitted.size
    for line in fitted.lines:
        draw_aligned(canvas, x, y, line, align)
        y -= fitted.size * leading
    return y + fitted.size * leading - fitted.size * 0.25


def draw_aligned(canvas: Canvas, x: float, y: float, text: str, align: str) -> None:
    """One line in the canvas's font with its left edge, right edge or centre at x (align: left, right or centre)."""
    if align == "right":
        canvas.drawRightString(x, y, text)
    elif align == "centre":
        canvas.drawCentredString(x, y, text)
    else:
        canvas.drawString(x, y, text)


def page_label_width(strings: Strings, font: str, size: float) -> float:
    """Room to leave for 'Page X of Y' with two-digit numbers."""
    return text_width(strings.page.format(page=88, total=88), font, size)


def draw_page_label(canvas: Canvas, strings: Strings, x: float, y: float, font: str, size: float) -> None:
    """'Page X of ' from x followed by the page total, which is known only when the file is saved (an artifact). On a
    right-to-left page x is where the label's right edge stands, and the whole label, total and all, is a form the canvas
    writes then."""
    with artifact(canvas, "footer"):
        canvas.saveState()
        if strings.rtl:
            canvas.translate(x, y)
            canvas.doForm(PAGE_LABEL_FORM.format(page=canvas.getPageNumber()))
        else:
            label = strings.page.format(page=canvas.getPageNumber(), total="")
            canvas.setFont(font, size)
            canvas.drawString(x, y, label)
            canvas.translate(x + text_width(label, font, size), y)
            canvas.doForm(TOTAL_FORM)
        canvas.restoreState()


def measure(flowables: list[Flowable], width: float) -> float:
    """The height a list of flowables takes at the top of a frame of this width, with the space between them."""
    height = 0.0
    for i, flowable in enumerate(opened(flowables)):
        # wrapOn with no canvas is enough to measure text and tables (reportlab's stubs ask for one).
        wrapped = flowable.wrapOn(None, width, 10_000)  # type: ignore[arg-type]
        height += wrapped[1] + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if i else 0)
    return height
