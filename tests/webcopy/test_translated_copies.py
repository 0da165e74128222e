"""The web copies of the shipped translations: each page in its own language and direction, links between every
language of a handout, an index per brand and language, the script fonts copied beside the pages, and the HTML form of
the language-help block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CONTENT, SHIPPED_LANGUAGES
from handouts.cli import main
from handouts.i18n import strings
from test_web_copies import Page

KINDS = ("overview", "pre-treatment", "aftercare")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content's web copies (every brand, handout and language), with the aftercare PDFs."""
    out = tmp_path_factory.mktemp("translated")
    assert main(["build", "--content", str(CONTENT), "--out", str(out), "--jobs", "2", "--handout", "microneedling/aftercare"]) == 0
    return out


def html_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("brand", ["default", "lumen"])
def test_each_copy_is_in_its_language_and_direction_and_links_to_the_others(shipped: Path, brand: str) -> None:
    for lang in SHIPPED_LANGUAGES:
        words = strings(lang)
        for kind in KINDS:
            html = html_of(shipped / f"{brand}/html/{lang}/microneedling-{kind}.html")
            assert html.startswith(f'<!DOCTYPE html>\n<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">'), (lang, kind)
            page = Page(html)
            assert page.text("p", class_="kicker")[0].endswith(words.kinds[kind])
            links = [(a, t) for a, t in page.all("a") if a.get("hreflang")]
            others = [lang_ for lang_ in SHIPPED_LANGUAGES if lang_ != lang]
            assert [a["hreflang"] for a, _ in links] == others, (lang, kind)
            for attrs, text in links:
                other = str(attrs["hreflang"])
                assert attrs["href"] == f"../{other}/microneedling-{kind}.html" and attrs["lang"] == other
                assert attrs["dir"] == ("rtl" if other == "ar" else "ltr") and text == strings(other).name
            assert [a for a, _ in page.all("nav") if a.get("aria-label") == words.other_languages]
            if lang not in ("en", "es"):  # a translation no clinician has reviewed says so, as its sheet does
                assert any("·" in footer and words.unreviewed.split("{version}")[1].strip(" ·") in footer for footer in page.text("footer"))


@pytest.mark.parametrize("brand", ["default", "lumen"])
def test_each_brand_has_an_index_in_each_language_and_a_list_of_languages(shipped: Path, brand: str) -> None:
    for lang in SHIPPED_LANGUAGES:
        index = Page(html_of(shipped / f"{brand}/html/{lang}/index.html"))
        assert index.text("h1") == [strings(lang).handouts_title]
        assert sorted(a["href"] for a, _ in index.all("a") if str(a["href"]).startswith("microneedling-")) == sorted(
            f"microneedling-{kind}.html" for kind in KINDS)
    home = Page(html_of(shipped / f"{brand}/html/index.html"))
    items = home.all("li")
    assert [(a["lang"], a["dir"]) for a, _ in items] == [(lang, "rtl" if lang == "ar" else "ltr") for lang in SHIPPED_LANGUAGES]
    assert [text for _, text in items] == [f"{strings(lang).handouts_title} {strings(lang).name}" for lang in SHIPPED_LANGUAGES]


def test_the_script_fonts_are_copied_beside_the_pages_each_for_its_own_script(shipped: Path, built_plain: Path) -> None:
    css = html_of(shipped / "lumen/html/assets/brand.css")
    faces = [(re.search(r'font-family: "([^"]+)"', rule)[1], re.search(r'url\("([^"]+)"\)', rule)[1],  # type: ignore[index]
              (re.findall(r"unicode-range: ([^;]+);", rule) or [""])[0]) for rule in re.findall(r"@font-face \{[^}]*\}", css)]
    families = {family for family, _, _ in faces}
    assert {"Handout", "Handout Arabic", "Handout SC1", "Handout KR"} <= families, families
    for family, url, ranges in faces:
        assert "://" not in url and (shipped / "lumen/html/assets" / url).is_file(), url
        assert (family == "Handout") == (not ranges), (family, ranges)  # a script font serves its own script alone
    assert 'body { font-family: "Handout", "Handout Arabic", "Handout SC1"' in css
    assert ':lang(ko) { font-family: "Handout", "Handout KR",' in css
    # A brand whose pages show only Latin letters copies no script font.
    assert "Handout SC1" not in html_of(next(built_plain.glob("teal/html/assets/brand.css")))
    assert not list(built_plain.glob("teal/html/assets/fonts/Handouts*"))


@pytest.fixture
def built_plain(run, tree: Path, tmp_path: Path) -> Path:
    """The fixture tree (English and Spanish) built."""
    out = tmp_path / "plain"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    return out


def test_a_language_help_block_lists_each_language_in_its_own_words_and_direction(run, tree: Path, tmp_path: Path) -> None:
    handout = tree / "demo/aftercare.en.yaml"
    handout.write_text(handout.read_text() + "  - language_help: {title: Language assistance, languages: [en, zh-Hans, ko, ar]}\n")
    out = tmp_path / "out"
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--lang", "en")
    assert result.code == 0, result.err
    page = Page(html_of(out / "teal/html/en/demo-aftercare.html"))
    assert page.all("section", class_="language-help")
    assert [text for tag, _, text in page.elements if re.fullmatch(r"h[23]", tag)][-1] == ["Language assistance"]
    items = [(a["lang"], a["dir"], text) for a, text in page.all("li") if a.get("lang")]
    phone = "(555) 010-0000"
    assert [(lang, direction) for lang, direction, _ in items] == [("en", "ltr"), ("zh-Hans", "ltr"), ("ko", "ltr"), ("ar", "rtl")]
    for (lang, _, text) in items:
        words = strings(lang)
        assert text == f"{words.name} {words.language_help.format(phone=phone)}".replace(" 。", "。"), text
    calls = [a for a, _ in page.all("a") if a.get("dir") == "ltr" and str(a["href"]).startswith("tel:")]
    assert len(calls) == 4  # the number in each line, kept left to right inside the Arabic one
    css = html_of(out / "teal/html/assets/brand.css")
    assert "Handout SC1" in css and "Handout Arabic" in css  # Chinese and Arabic on an English page: their fonts come along
