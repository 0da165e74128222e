"""Greys for office printers: every colour becomes the grey of the same luminance, so contrast is kept exactly."""

from __future__ import annotations

from typing import Any, Protocol

from reportlab.lib.colors import CMYKColor, Color, toColor
from handouts.colors import relative_luminance
from handouts.marking import TaggedTextObject


def _encode(linear: float) -> float:
    return linear * 12.92 if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055


def gray_level(color: Any) -> float:
    """The grey (0 black … 1 white) whose WCAG relative luminance equals the colour's."""
    if isinstance(color, (tuple, list)):
        color = CMYKColor(*color) if len(color) == 4 else Color(*color)
    elif isinstance(color, str):
        color = toColor(color)
    r, g, b = color.rgb()
    return round(_encode(relative_luminance(r, g, b)), 4)


class _Grays(Protocol):
    """What GrayColors needs of the canvas or text object it is mixed into."""

    def setFillGray(self, gray: float, alpha: float | None = None) -> None: ...  # noqa: N802 - reportlab's names

    def setStrokeGray(self, gray: float) -> None: ...  # noqa: N802

    def setStrokeAlpha(self, alpha: float) -> None: ...  # noqa: N802


class GrayColors:
    """A mixin for a canvas or text object: colours are written as greys with the grey operators g and G."""

    def setFillColor(self: _Grays, aColor: Any, alpha: float | None = None) -> None:  # noqa: N802,N803 - reportlab's names
        """Fill with the colour's grey."""
        self.setFillGray(gray_level(aColor), alpha if alpha is not None else getattr(aColor, "alpha", None))

    def setStrokeColor(self: _Grays, aColor: Any, alpha: float | None = None) -> None:  # noqa: N802,N803
        """Stroke with the colour's grey."""
        self.setStrokeGray(gray_level(aColor))
        alpha = alpha if alpha is not None else getattr(aColor, "alpha", None)
        if alpha is not None:
            self.setStrokeAlpha(alpha)


class GrayTextObject(GrayColors, TaggedTextObject):
    """A text object that writes its colours as greys (paragraphs set their colour here, not on the canvas)."""
