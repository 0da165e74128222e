"""The language-help block: twelve languages, each in its own words and script, on one page, with the clinic's number."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CONTENT, check_pdf
from handouts import i18n

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once in the run

PHONE = "(555) 010-0000"


def overview(tree: Path, block: str = "  - include: snippets/language-help\n") -> None:
    """The demo overview made of the shipped language-help snippet alone."""
    shutil.copy(CONTENT / "snippets/language-help.en.yaml", tree / "snippets")
    (tree / "demo/overview.en.yaml").write_text("id: demo-overview\ntreatment: Demo\nkind: overview\ntitle: Language help\n"
                                                "language: en\nversion: \"1\"\nreviewed: \"2026-11-01\"\nreviewed_by: Clinical lead\n"
                                                "blocks:\n" + block, encoding="utf-8")


def test_twelve_languages_fit_one_page_with_every_script(run, tree: Path, tmp_path: Path) -> None:
    overview(tree)
    out = tmp_path / "help.pdf"
    result = run("handout", "demo/overview", "--brand", "plain", "--content", tree, "-o", out)
    assert result.code == 0 and "(1 page)" in result.out, result.err
    text = " ".join(" ".join(page.split()) for page in check_pdf(out))
    for tag in i18n.catalogue_tags():
        words = i18n.strings(tag)
        if tag == "ar":
            continue  # a line that mixes Arabic and a phone number: pypdf cannot order it (read with pdftotext below)
        assert words.name in text and words.language_help.format(phone=PHONE) in text, tag
    if shutil.which("pdftotext"):
        plain = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout)
        assert "تتوفر لك خدمات المساعدة اللغوية مجانا" in plain and "اتصل على" in plain
    # Every script is drawn from an embedded font: the bundled family and the five script fonts in use.
    fonts = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(font.get_object()["/BaseFont"].split("+", 1)[-1])
    assert {"HandoutsSansArabic-Regular", "HandoutsSansSC1-Bold", "HandoutsSansTC-Regular", "HandoutsSansKR-Regular"} <= fonts, fonts


def test_a_language_without_a_catalogue_is_refused_at_its_line(run, tree: Path) -> None:
    overview(tree, "  - language_help: {languages: [es, de, zh_Hant]}\n")
    result = run("check", "--content", tree)
    path = tree / "demo/overview.en.yaml"
    assert result.code == 1
    assert (f"{path}:10: blocks[0].language_help.languages: language 'de' has no catalogue of layout words") in result.err
    assert (f"{path}:10: blocks[0].language_help.languages: 'zh_Hant' is not a language tag: its parts are joined by '-', not '_' "
            "('zh-Hant')") in result.err
