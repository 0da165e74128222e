"""The layout's words as data: twelve catalogues, dates written by CLDR per language, BCP 47 tags checked."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from handouts import i18n
from handouts.errors import ContentError
from handouts.fingerprint import environment
from handouts.tags import TagError, check, lookup_chain

THURSDAY = dt.date(2026, 3, 5)
SHIPPED = ["ar", "en", "es", "fr", "ht", "ko", "pt", "ru", "tl", "vi", "zh-Hans", "zh-Hant"]


def test_the_twelve_languages_ship_with_every_word() -> None:
    assert list(i18n.LANGUAGES) == SHIPPED
    for tag in SHIPPED:
        words = i18n.strings(tag)
        assert words.language == tag and words.name and set(words.kinds) == {"pre-treatment", "aftercare", "overview"}
        assert "{phone}" in words.language_help and "{total}" in words.page
    assert i18n.strings("ar").rtl and not i18n.strings("he" if "he" in i18n.LANGUAGES else "en").rtl
    assert i18n.strings("zh-Hant").breaks_between_characters and not i18n.strings("ko").breaks_between_characters


# A Thursday, written short (a timeline's dates) and long (the treatment date) with the brand's order where the
# language has one. Each line is what a reader of that language expects; CLDR 49 (Babel 2.19.0) writes them.
DATES = {
    ("en", "mdy"): ("Thu Mar 5", "Thu Mar 5, 2026"),
    ("en", "dmy"): ("Thu 5 Mar", "Thu 5 Mar 2026"),
    ("es", "dmy"): ("jue 5 mar", "jue 5 mar 2026"),
    ("zh-Hans", "dmy"): ("3月5日周四", "2026年3月5日周四"),
    ("zh-Hant", "dmy"): ("3月5日週四", "2026年3月5日週四"),
    ("vi", "dmy"): ("Thứ 5, 5 thg 3", "Thứ 5, 5 thg 3, 2026"),
    ("ko", "dmy"): ("3월 5일 (목)", "2026년 3월 5일 (목)"),
    ("tl", "mdy"): ("Huw, Mar 5", "Huw, Mar 5, 2026"),
    ("ru", "dmy"): ("чт, 5 мар.", "чт, 5 мар. 2026\u202fг."),
    ("ar", "dmy"): ("الخميس، 5 مارس", "الخميس، 5 مارس 2026"),
    ("ht", "dmy"): ("jedi 5 mas", "jedi 5 mas 2026"),
    ("pt", "dmy"): ("qui., 5 de mar.", "qui., 5 de mar. de 2026"),
    ("fr", "dmy"): ("jeu. 5 mars", "jeu. 5 mars 2026"),
    ("pt-BR", "mdy"): ("qui., 5 de mar.", "qui., 5 de mar. de 2026"),
}


@pytest.mark.parametrize("tag, order", sorted(DATES))
def test_dates_are_written_as_each_language_writes_them(tag: str, order: str) -> None:
    words = i18n.strings(tag)
    assert (words.short_date(THURSDAY, order), words.long_date(THURSDAY, order)) == DATES[(tag, order)]


def test_day_labels_and_numbers_follow_the_language() -> None:
    assert i18n.strings("ko").day_label(1, 2) == "1–2일차"
    assert i18n.strings("zh-Hans").day_label(3, 3) == "第3天"
    assert i18n.strings("ru").number(12345) == "12\xa0345"


def test_babel_is_part_of_every_fingerprint() -> None:
    # Another Babel (another CLDR) may write a date differently: a PDF built with it is not the same PDF.
    assert "babel=" in environment() and "babel=absent" not in environment()
    assert "uharfbuzz=" in environment()


@pytest.mark.parametrize("tag, message, expected", [
    ("zh_Hans", "'zh_Hans' is not a language tag: its parts are joined by '-', not '_'", "'zh-Hans'"),
    ("zh-hans", "language tag 'zh-hans' is not written in its usual case", "'zh-Hans'"),
    ("pt-br", "language tag 'pt-br' is not written in its usual case", "'pt-BR'"),
    ("12", "'12' is not a language tag", "a BCP 47 language tag such as en, es, zh-Hans, zh-Hant or pt-BR"),
    ("e", "'e' is not a language tag", "a BCP 47 language tag such as en, es, zh-Hans, zh-Hant or pt-BR"),
])
def test_a_malformed_tag_says_what_it_should_be(tag: str, message: str, expected: str) -> None:
    with pytest.raises(TagError) as caught:
        check(tag)
    assert (caught.value.message, caught.value.expected) == (message, expected)


def test_regional_tags_fall_back_to_their_language() -> None:
    assert lookup_chain("zh-Hant-TW") == ["zh-Hant-TW", "zh-Hant", "zh"]
    assert "pt-BR" in i18n.LANGUAGES and "en-GB" in i18n.LANGUAGES and "zh-CN" not in i18n.LANGUAGES
    assert i18n.strings("pt-BR").do == i18n.strings("pt").do
    assert i18n.language_problem("de") == ("language 'de' has no catalogue of layout words",
                                           "one of: ar, en, es, fr, ht, ko, pt, ru, tl, vi, zh-Hans, zh-Hant, or a tag that falls "
                                           "back to one (e.g. pt-BR); or add handouts/languages/de.yaml")


def test_a_handout_file_named_with_a_bad_tag_is_reported(run, tree: Path) -> None:
    shutil.copy(tree / "demo/aftercare.en.yaml", tree / "demo/aftercare.zh_Hans.yaml")
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{tree}/demo/aftercare.zh_Hans.yaml: file name 'aftercare.zh_Hans.yaml': 'zh_Hans' is not a language tag: its "
            "parts are joined by '-', not '_' ('zh-Hans')") in result.err


@pytest.fixture
def catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the catalogues, read instead of the shipped ones."""
    folder = tmp_path / "languages"
    shutil.copytree(i18n.CATALOGUES, folder)
    monkeypatch.setattr(i18n, "CATALOGUES", folder)
    i18n.strings.cache_clear()
    i18n._catalogue_tags.cache_clear()
    yield folder
    i18n.strings.cache_clear()
    i18n._catalogue_tags.cache_clear()


def test_a_translator_who_drops_a_placeholder_or_a_word_is_told_where(catalogues: Path) -> None:
    path = catalogues / "vi.yaml"
    text = path.read_text(encoding="utf-8").replace("Trang {page}/{total}", "Trang {page}").replace("  do: Nên làm\n", "")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  page: Trang {page}") + 1
    with pytest.raises(ContentError) as caught:
        i18n.strings("vi")
    assert [str(p) for p in caught.value.problems] == [
        "handouts/languages/vi.yaml:8: words: missing required key 'do' (the heading of the 'do' column)",
        f"handouts/languages/vi.yaml:{line}: words.page: must keep {{total}} (the placeholders {{page}}, {{total}} exactly as the English has them)",
    ]


def test_page_words_that_do_not_end_with_the_total_are_refused(catalogues: Path) -> None:
    # The total is known only when the sheet is saved: it is drawn after the rest of the line, so nothing may follow it.
    path = catalogues / "zh-Hans.yaml"
    text = path.read_text(encoding="utf-8").replace("页码 {page}/{total}", "第 {page} 页，共 {total} 页")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  page: 第 {page} 页，共 {total} 页") + 1
    with pytest.raises(ContentError) as caught:
        i18n.strings("zh-Hans")
    assert [str(p) for p in caught.value.problems] == [
        f"handouts/languages/zh-Hans.yaml:{line}: words.page: must end with {{total}} (the page total last, e.g. 'Página {{page}} de "
        "{total}': it is drawn after the rest of the line, once the sheet's length is known)"]


@pytest.mark.parametrize("tag", SHIPPED)
def test_every_word_of_a_catalogue_prints_with_the_bundled_fonts(tag: str) -> None:
    from dataclasses import fields

    from handouts import fonts
    from handouts.writing import writing_for

    words = i18n.strings(tag)
    texts = [value for f in fields(words) for value in [getattr(words, f.name)] if isinstance(value, str)]
    texts += list(words.kinds.values()) + list(words.wait_hours.values()) + list(words.wait_days.values())
    texts += [words.long_date(THURSDAY, order) for order in ("mdy", "dmy")]
    assert writing_for(fonts.family(), tag).missing("".join(texts)) == []
