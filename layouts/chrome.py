"""Brand chrome shared by the layouts: the logo, text fitted to a width, and 'Page X of Y'."""

from __future__ import annotations

import io
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from handouts import images
from handouts.i18n import Strings
from handouts.flowables import opened

from .base import TOTAL_FORM


class Logo:
    """A brand logo prepared once, drawn centred in a square box of a fixed size."""

    def __init__(self, picture: images.Picture | None, box: float, font: str):
        self.picture, self.box = picture, box
        self._drawable: Any = None
        if isinstance(picture, images.Vector):
            self._drawable = images.drawing(picture, box, box, font)
        elif picture is not None:
            self._drawable = ImageReader(io.BytesIO(picture.data))

    def draw(self, canvas: Canvas, x: float, y: float) -> None:
        """Draw the logo in the box whose lower-left corner is (x, y); nothing when the brand has none."""
        picture, box = self.picture, self.box
        if isinstance(picture, images.Vector):
            drawing = self._drawable
            renderPDF.draw(drawing, canvas, x + (box - drawing.width) / 2, y + (box - drawing.height) / 2)
        elif picture is not None:
            w, h = (box, box * picture.aspect) if picture.aspect <= 1 else (box / picture.aspect, box)
            canvas.drawImage(self._drawable, x + (box - w) / 2, y + (box - h) / 2, w, h, mask="auto")


def fit(text: str, font: str, size: float, width: float) -> str:
    """Text shortened with an ellipsis to fit a width (chrome only; content is never cut)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def page_label_width(strings: Strings, font: str, size: float) -> float:
    """Room to leave for 'Page X of Y' with two-digit numbers."""
    return stringWidth(strings.page.format(page=88, total=88), font, size)


def draw_page_label(canvas: Canvas, strings: Strings, x: float, y: float, font: str, size: float) -> None:
    """'Page X of ' at (x, y) followed by the page total, which is known only when the file is saved."""
    label = strings.page.format(page=canvas.getPageNumber(), total="")
    canvas.setFont(font, size)
    canvas.drawString(x, y, label)
    canvas.saveState()
    canvas.translate(x + stringWidth(label, font, size), y)
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
