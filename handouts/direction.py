"""Text direction: the one place that decides which right-to-left text is refused in every text a sheet prints, from a
YAML file or from a patient's details.

None is, now that paragraphs shape and order right-to-left words (paragraphs.py): Arabic prints; a script no bundled or
brand font has (Hebrew, Syriac, Thaana, N'Ko, …) is reported by the glyph check, with its name.
"""

from __future__ import annotations

import unicodedata

EXPECTED = "left-to-right text"


def right_to_left(text: str) -> str | None:
    """The first right-to-left character of text that cannot be printed in order, or None: every one can be."""
    return None


def is_right_to_left(char: str) -> bool:
    """True for a character written right to left (bidirectional class R or AL)."""
    return unicodedata.bidirectional(char) in ("R", "AL")


def refusal(char: str, quote: bool = True) -> str:
    """What is wrong, for the first right-to-left character of a text (quote=False: the character is not shown)."""
    shown = f" ('{char}', U+{ord(char):04X})" if quote else ""
    return f"right-to-left text{shown} is not supported yet"
