"""Colour arithmetic shared by the contrast lint and grayscale printing (WCAG 2 relative luminance)."""

from __future__ import annotations


def linear(channel: float) -> float:
    """An sRGB channel (0–1) in linear light."""
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(red: float, green: float, blue: float) -> float:
    """WCAG relative luminance of an sRGB colour given as three channels from 0 to 1."""
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def hex_luminance(color: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    return relative_luminance(*(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)))
