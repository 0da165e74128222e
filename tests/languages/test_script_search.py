"""The searches that tell whether a text holds Arabic or right-to-left characters agree with the per-character tests for
every code point, so a sheet is shaped and reordered exactly when it was before they were searches."""

from __future__ import annotations

import sys

from handouts.writing import has_arabic, has_rtl, is_arabic, is_rtl

EVERY = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]


def test_has_rtl_finds_every_right_to_left_character_alone_and_in_latin_text() -> None:
    rtl = [char for char in EVERY if is_rtl(char)]
    assert len(rtl) > 1000
    assert all(has_rtl(char) for char in rtl)
    assert all(has_rtl(f"Wash – then ‘rest’ {char} …") for char in rtl)
    assert not any(has_rtl(char) for char in EVERY if not is_rtl(char))


def test_has_arabic_is_is_arabic_of_any_character() -> None:
    assert [char for char in EVERY if has_arabic(char)] == [char for char in EVERY if is_arabic(char)]
    assert has_arabic("Call us · اتصل بنا") and not has_arabic("Call us – 24 hours • ½ day")
