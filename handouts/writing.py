"""Writing systems: the script fonts behind a brand's family, which script a character belongs to, and the direction
and line breaking a language needs.

A brand's family (or the bundled Noto Sans) prints what it can; each other character falls back along a chain of
script fonts shipped in handouts/fonts/ (Arabic; Simplified Chinese in two halves; Traditional Chinese; Korean). A word
with Arabic letters is set in one font, because harfbuzz shapes a word with the font of its first letter.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable

from .compiled import dataclass
from . import fonts
from .fonts import Family
from .private import memo

# (file stem, scripts it serves, label): the bundled script fonts, each a Regular and a Bold file.
SCRIPT_FONTS = {
    "arabic": ("HandoutsArabic", "Arabic"),
    "sc1": ("HandoutsSC1", "Simplified Chinese"),
    "sc2": ("HandoutsSC2", "Simplified Chinese"),
    "tc": ("HandoutsTC", "Traditional Chinese"),
    "kr": ("HandoutsKR", "Korean"),
}
# Which script fonts a language tries first for Han characters: Traditional forms for zh-Hant, Simplified otherwise.
HAN_ORDER = {"zh-Hant": ("tc", "sc1", "sc2"), "default": ("sc1", "sc2", "tc")}
_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# Unicode blocks whose characters' names do not start with their script's name, and a few that do but read badly.
_BLOCK_NAMES = (((0x2E80, 0x2FDF), "Han"), ((0x3000, 0x303F), "CJK punctuation"), ((0x3040, 0x30FF), "Japanese kana"),
                ((0x3100, 0x312F), "Bopomofo"), ((0x3130, 0x318F), "Hangul"), ((0x3400, 0x4DBF), "Han"),
                ((0x4E00, 0x9FFF), "Han"), ((0xAC00, 0xD7AF), "Hangul"), ((0x1100, 0x11FF), "Hangul"),
                ((0xF900, 0xFAFF), "Han"), ((0xFF00, 0xFFEF), "fullwidth forms"), ((0x20000, 0x3FFFF), "Han"),
                ((0x1F000, 0x1FAFF), "emoji and symbols"), ((0x2000, 0x206F), "punctuation"))


_ARABIC = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ARABIC_BLOCKS) + "]")
# Every strong right-to-left character lies in these blocks (Hebrew to Arabic Extended-A, the right-to-left mark, the
# Hebrew and Arabic presentation forms, and the right-to-left scripts of the supplementary planes); a test checks it
# against every code point Python knows.
_MAYBE_RTL = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


def is_arabic(char: str) -> bool:
    """True for a letter, mark or digit of the Arabic script (presentation forms included)."""
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_BLOCKS)


def has_arabic(text: str) -> bool:
    """True when any character of text is_arabic (one search of the text, not a call per character)."""
    return _ARABIC.search(text) is not None


def is_rtl(char: str) -> bool:
    """True for a strong right-to-left character (Arabic, Hebrew and the other right-to-left scripts)."""
    return unicodedata.bidirectional(char) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """True when any character of text is_rtl; text without a character of a right-to-left block is not looked at
    character by character."""
    return _MAYBE_RTL.search(text) is not None and any(map(is_rtl, text))


def is_cjk(char: str) -> bool:
    """True for a character the Chinese and Korean fonts serve: Han, Hangul, kana, CJK punctuation, fullwidth forms."""
    code = ord(char)
    return code >= 0x2E80 or 0x1100 <= code <= 0x11FF


def script_name(char: str) -> str:
    """The writing system a character belongs to, for messages: 'Arabic', 'Han', 'Hangul', 'Cyrillic', 'Latin'…"""
    code = ord(char)
    for (low, high), name in _BLOCK_NAMES:
        if low <= code <= high:
            return name
    if is_arabic(char):
        return "Arabic"
    name = unicodedata.name(char, "")
    if unicodedata.category(char)[0] in "LM" and name:
        return name.split()[0].title()
    return "symbol" if unicodedata.category(char)[0] == "S" else "punctuation" if unicodedata.category(char)[0] == "P" else "other"


@dataclass(frozen=True)
class ScriptFont:
    """One script font of the chain: its registered family and the characters it is used for."""

    key: str
    family: Family
    label: str
    serves: Callable[[str], bool]


@lru_cache(maxsize=None)
def script_font(key: str) -> ScriptFont:
    """A bundled script font, registered once per process."""
    stem, label = SCRIPT_FONTS[key]
    family = fonts.family({"regular": fonts.BUNDLED_DIR / f"{stem}-Regular.ttf", "bold": fonts.BUNDLED_DIR / f"{stem}-Bold.ttf"})
    return ScriptFont(key, family, label, is_arabic if key == "arabic" else is_cjk)


@dataclass(frozen=True)
class Writing(Family):
    """A brand's family set up for one language: the script fonts behind it, the direction and the line breaking.

    It is the family itself (its four faces and label), so every part of a layout that asks for a face gets the brand's.
    """

    language: str = "en"
    direction: str = "ltr"
    breaks_between_characters: bool = False

    @property
    def rtl(self) -> bool:
        """True for a right-to-left language."""
        return self.direction == "rtl"

    @property
    def chain(self) -> tuple[ScriptFont, ...]:
        """The script fonts in the order this language tries them."""
        return _chain(self.language)

    def face_for(self, text: str, face: str) -> list[tuple[str | None, str]]:
        """Text cut into runs of (font name, text): None keeps the given face; a run the chain cannot print keeps it too
        (the glyph check has reported it before anything is drawn)."""
        if fonts._charset(face).issuperset(map(ord, text)):
            return [(None, text)]
        return list(_runs(self, text, face))

    def missing(self, text: str) -> list[str]:
        """Characters of text that neither the brand's family (every face) nor a script font can print, once each."""
        lacking = super().missing(text)
        return list(_not_in_chain(self.language, tuple(lacking))) if lacking else lacking


@memo(4096)
def _runs(writing: Writing, text: str, face: str) -> tuple[tuple[str | None, str], ...]:
    """Writing.face_for of text the face does not cover alone, worked out once per process for each writing, text and face."""
    covered = fonts._charset(face)
    bold = face in (writing.bold, writing.bold_italic)
    chain = writing.chain
    runs: list[tuple[str | None, str]] = []
    for word in _words(text):
        if word.isspace() and runs and runs[-1][0] is not None and fonts._charset(runs[-1][0]).issuperset(map(ord, word)):
            _add(runs, runs[-1][0], word)  # the space between two words of a script font stays in it: one run, one font
            continue
        if not word.isspace() and has_arabic(word) and not covered.issuperset(map(ord, word)):
            whole = next((f for f in chain if f.key == "arabic" and _covers_all(f, bold, word)), None)
            if whole is not None:
                _add(runs, _face(whole, bold), word)
                continue
        for char in word:
            if ord(char) in covered or char.isspace():
                _add(runs, None, char)
                continue
            found = next((f for f in chain if f.serves(char) and ord(char) in fonts._charset(_face(f, bold))), None)
            _add(runs, _face(found, bold) if found else None, char)
    return tuple(runs)


@lru_cache(maxsize=4096)
def _not_in_chain(language: str, chars: tuple[str, ...]) -> tuple[str, ...]:
    """The characters no script font of a language's chain serves and prints in both its faces."""
    chain = [(f.serves, _both_faces(f)) for f in _chain(language)]
    return tuple(char for char in chars if not any(serves(char) and ord(char) in both for serves, both in chain))


@lru_cache(maxsize=None)
def _chain(language: str) -> tuple[ScriptFont, ...]:
    han = HAN_ORDER.get(language, HAN_ORDER["default"])
    return tuple(script_font(key) for key in ("arabic", *han, "kr"))


def _face(font: ScriptFont, bold: bool) -> str:
    return font.family.bold if bold else font.family.regular


def _covers_all(font: ScriptFont, bold: bool, word: str) -> bool:
    return fonts._charset(_face(font, bold)).issuperset(map(ord, word))


@lru_cache(maxsize=None)
def _both_faces(font: ScriptFont) -> frozenset[int]:
    return fonts._charset(font.family.regular) & fonts._charset(font.family.bold)


def _words(text: str) -> list[str]:
    """Text cut into words and the white space between them, in order."""
    out: list[str] = []
    for char in text:
        if out and out[-1][-1].isspace() == char.isspace():
            out[-1] += char
        else:
            out.append(char)
    return out


def _add(runs: list[tuple[str | None, str]], font: str | None, text: str) -> None:
    if runs and runs[-1][0] == font:
        runs[-1] = (font, runs[-1][1] + text)
    else:
        runs.append((font, text))


_GLUED = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9][\u0600-\u065f\u066e-\u06ef\u06fa-\u06ff]|[\u0600-\u065f\u066e-\u06ef\u06fa-\u06ff][0-9\u0660-\u0669\u06f0-\u06f9]")
_ARABIC_DIGITS = re.compile(r"[\u0660-\u0669\u06f0-\u06f9]")


def shaping_problem(text: str) -> tuple[str, str] | None:
    """(what is wrong, what was expected) for Arabic text that would print its digits in reverse order, else None.

    harfbuzz shapes a word in one direction: Arabic-Indic digits, or digits joined to Arabic letters, are shaped right to
    left and come out reversed (٢٤ as ٤٢).
    """
    glued = _GLUED.search(text)
    if glued:
        return (f"digits joined to Arabic letters ('{glued.group()}') print in reverse order",
                "a space between the number and the word, e.g. '24 ساعة'")
    digits = _ARABIC_DIGITS.search(text)
    if digits:
        return (f"Arabic-Indic digit '{digits.group()}' (U+{ord(digits.group()):04X}) prints in reverse order",
                "the digits 0-9, which Arabic sheets use (CLDR's Arabic numbers)")
    unnamed = next((word for word in _ARABIC_WORD.findall(text) if _unnamed_glyph(word)), None)
    if unnamed:
        return (f"'{unnamed}' is shaped into a letter form that has no Unicode value, so the sheet's text would read back "
                "wrong (in a screen reader, a search, a copy)", "letters whose joined forms Unicode names: those of Arabic itself")
    return None


_ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+")


@memo(8192)
def _unnamed_glyph(word: str) -> bool:
    """True when harfbuzz shapes the word, in the Arabic font's regular or bold face, into a glyph without a Unicode value
    (reportlab then writes a private-use character for it)."""
    from reportlab.pdfbase.ttfonts import shapeStr

    family = script_font("arabic").family
    return any(0xE000 <= ord(char) <= 0xF8FF for face in (family.regular, family.bold) for char in str(shapeStr(word, face, 10)))


def text_width(text: str, font: str, size: float) -> float:
    """The width of text in a font as it prints: each character the font lacks counted at the width of the script font
    that prints it (so a table column sized for Chinese or Arabic words is wide enough), and Arabic words as harfbuzz
    shapes them (joined letters are narrower than the letters alone)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if fonts._charset(font).issuperset(map(ord, text)) and not has_arabic(text):
        return stringWidth(text, font, size)
    return _width_by_script(text, font) * size


@memo(4096)
def _width_by_script(text: str, font: str) -> float:
    """The width of text at 1 pt, run by run in the fonts that print it."""
    from reportlab.lib.fonts import ps2tt
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

    try:
        bold = bool(ps2tt(font)[1])
    except ValueError:  # a face registered without a family mapping
        bold = False
    writing = Writing(font, font if bold else "", font, font if bold else "", "")
    total = 0.0
    for face, piece in writing.face_for(text, font):
        face = face or font
        shaped = shapeStr(piece, face, 1000) if has_arabic(piece) else piece
        if isinstance(shaped, ShapedStr):
            total += sum(data.x_advance for data in shaped.__shapeData__) / 1000  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        else:
            total += stringWidth(piece, face, 1)
    return total


def writing_for(base: Family, language: str) -> Writing:
    """The writing rules of a language (from its catalogue) over a brand's family."""
    from .i18n import strings

    words = strings(language)
    return Writing(base.regular, base.bold, base.italic, base.bold_italic, base.label, language, words.direction,
                   words.breaks_between_characters)
