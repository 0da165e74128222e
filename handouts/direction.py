"""Text direction: right-to-left scripts (Arabic, Hebrew, Syriac, Thaana, N'Ko, …) are refused in every text a sheet
prints, from a YAML file or from a patient's details, until the layouts can shape, reorder and mirror them.

This is the one place that decides: lifting the refusal means changing `right_to_left` alone.
"""

from __future__ import annotations

import unicodedata

EXPECTED = "left-to-right text"


def right_to_left(text: str) -> str | None:
    """The first character of text written right to left (bidirectional class R or AL), or None."""
    return next((char for char in text if unicodedata.bidirectional(char) in ("R", "AL")), None)


def refusal(char: str, quote: bool = True) -> str:
    """What is wrong, for the first right-to-left character of a text (quote=False: the character is not shown)."""
    shown = f" ('{char}', U+{ord(char):04X})" if quote else ""
    return f"right-to-left text{shown} is not supported yet"
