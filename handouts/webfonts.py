"""The script fonts of a brand's web copy: the bundled Arabic, Chinese and Korean fonts the pages need, as the sheets
print them, copied beside the pages with @font-face rules and a family order per language.

A browser downloads a face only for characters in its unicode-range that the faces before it lack, so a page in
English never loads the Chinese fonts; a font is copied at all only when some page of the brand shows a character of
it that the brand's own family lacks (a brand printing only Latin languages copies none).
"""

from __future__ import annotations

from typing import Callable

from markupsafe import Markup

from . import fonts, writing

FAMILY = "Handout"  # the brand's own family, as the copy's style sheets name it
_HAN = ((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
_HANGUL = ((0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F), (0xAC00, 0xD7AF), (0xFF00, 0xFFEF))
# The characters each script font is used for on a page (its unicode-range): the script's own blocks, nothing Latin.
RANGES = {"arabic": writing._ARABIC_BLOCKS, "sc1": _HAN, "sc2": _HAN, "tc": _HAN, "kr": _HANGUL}
# A language whose own script font comes before the others (Traditional forms for zh-Hant, Korean punctuation for ko).
FIRST = {"zh-Hant": "tc", "ko": "kr"}


def family_name(key: str) -> str:
    """The CSS family of a script font, e.g. 'Handout SC1'."""
    return f"{FAMILY} {key.upper() if key != 'arabic' else 'Arabic'}"


def script_fonts(brand_regular: str, languages: tuple[str, ...], text: str) -> list[str]:
    """The keys of the script fonts a brand's pages need (in chain order): those that print a character of the pages the
    brand's family lacks and no font before them has; a language's own first font whenever its script is on a page."""
    needed = {ord(char) for char in text if not char.isspace()} - fonts._charset(brand_regular)
    chosen = []
    for font in writing._chain("en"):
        has = fonts._charset(font.family.regular) & _in_ranges(needed, RANGES[font.key])
        firsts = {FIRST[lang] for lang in languages if lang in FIRST}
        if has or (font.key in firsts and _in_ranges(needed, RANGES[font.key])):
            chosen.append(font.key)
            needed -= has
    return chosen


def load_charsets(brand_regular: str) -> None:
    """Read the characters of the brand's family and of every script font, as script_fonts will ask for them."""
    fonts._charset(brand_regular)
    for font in writing._chain("en"):
        fonts._charset(font.family.regular)


def faces_css(keys: list[str], languages: tuple[str, ...], add: Callable[[str, str, bytes], str]) -> Markup:
    """@font-face rules for the chosen script fonts (regular and bold, each file added with add(stem, suffix, bytes)),
    then the family order of the pages and of each language that puts its own script font first."""
    rules = []
    for key in keys:
        stem = writing.SCRIPT_FONTS[key][0]
        ranges = ", ".join(f"U+{low:04X}-{high:04X}" for low, high in RANGES[key])
        for style, weight in (("Regular", 400), ("Bold", 700)):
            name = add(f"fonts/{stem}-{style}", ".ttf", (fonts.BUNDLED_DIR / f"{stem}-{style}.ttf").read_bytes())
            rules.append(Markup('@font-face { font-family: "%s"; src: url("%s") format("truetype"); font-weight: %d; '
                                'unicode-range: %s; font-display: swap; }') % (family_name(key), name, weight, ranges))
    if keys:
        rules.append(Markup("body { font-family: %s; }") % _stack(keys, None))
        for lang in sorted({lang for lang in languages if FIRST.get(lang) in keys}):
            rules.append(Markup(":lang(%s) { font-family: %s; }") % (lang, _stack(keys, FIRST[lang])))
    return Markup("\n").join(rules)


def _stack(keys: list[str], first: str | None) -> Markup:
    ordered = ([first] if first else []) + [key for key in keys if key != first]
    return Markup(", ".join(f'"{name}"' for name in (FAMILY, *map(family_name, ordered))) + ", sans-serif")


def _in_ranges(codes: set[int], ranges: tuple[tuple[int, int], ...]) -> set[int]:
    return {code for code in codes if any(low <= code <= high for low, high in ranges)}
