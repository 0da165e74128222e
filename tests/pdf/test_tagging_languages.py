"""Tagged PDFs in every script: each sheet says its language (a BCP 47 tag), a row of the language-help block in another
language says its own, shaped right-to-left text reads back in logical order through ActualText, Chinese, Korean and
Vietnamese read back through the fonts' Unicode maps as written, the mirrored chrome of a right-to-left sheet stays
artifacts, and every shipped language passes PDF/UA-1."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pikepdf
import pytest

from handouts import blocks as b
from handouts import conformance, i18n, inline
from handouts.content import load_catalogue
from handouts.jobs import Job
from handouts.pdf import make_sheet, render_pdf

from conftest import CONTENT
from tagged_support import entries, page_text, structure, without_artifacts

LANGUAGES = ["ar", "en", "es", "ko", "vi", "zh-Hans"]  # the shipped handouts' languages


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    return load_catalogue(CONTENT)


def _aftercare(catalogue, language: str, layout: str = "standard") -> bytes:  # type: ignore[no-untyped-def]
    return render_pdf(make_sheet(catalogue, Job("lumen", "microneedling", "aftercare", language, layout)), layout).data


def _paragraphs(catalogue, language: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The plain text of each paragraph block of the aftercare handout that has no placeholder, as written in its file."""
    handout = catalogue.treatments["microneedling"].handouts[("aftercare", language)]
    found = [inline.plain(list(block.text.spans)) for _, block in handout.blocks if isinstance(block, b.Paragraph)]
    return [" ".join(text.split()) for text in found if "{" not in text]


@pytest.mark.timeout(240)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_sheet_says_its_language_and_passes_pdfua(catalogue, language: str) -> None:
    data = _aftercare(catalogue, language)
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.Root.Lang) == language
    with pdf.open_metadata() as meta:
        assert meta["dc:language"] == [language] or meta["dc:language"] == {language}
    assert not [e for e in entries(data) if "Lang" in e], "the sheet is all in its own language"
    assert conformance.failures(data) == []


def test_a_row_of_the_language_help_in_another_language_says_its_own(run, tree: Path, tmp_path: Path) -> None:
    (tree / "snippets/language-help.en.yaml").write_bytes((CONTENT / "snippets/language-help.en.yaml").read_bytes())
    (tree / "demo/overview.en.yaml").write_text("id: demo-overview\ntreatment: Demo\nkind: overview\ntitle: Language help\n"
                                                "language: en\nversion: \"1\"\nreviewed: \"2026-11-01\"\nreviewed_by: Clinical lead\n"
                                                "blocks:\n  - include: snippets/language-help\n", encoding="utf-8")
    out = tmp_path / "help.pdf"
    assert run("handout", "demo/overview", "--brand", "plain", "--content", tree, "-o", out).code == 0
    data = out.read_bytes()
    cells = [e for e in entries(data) if e["S"] in ("TH", "TD")]
    tags = i18n.catalogue_tags()
    assert [(e["S"], e.get("Lang")) for e in cells] == [(cell, tag if tag != "en" else None) for tag in tags for cell in ("TH", "TD")]
    table = structure(data).find("Table")[0]
    names = [row.kids[0] for row in table.kids]
    assert [name.text for name in names if name.text.isascii()] == [i18n.strings(tag).name for tag in tags if i18n.strings(tag).name.isascii()]
    assert conformance.failures(data) == []


def test_shaped_arabic_reads_back_in_logical_order_through_actual_text(catalogue) -> None:
    data = _aftercare(catalogue, "ar")
    found = entries(data)
    said = {e["ActualText"] for e in found if "ActualText" in e}
    handout = catalogue.treatments["microneedling"].handouts[("aftercare", "ar")]
    assert next(e for e in found if e["S"] == "H1").get("ActualText") == handout.title
    paragraphs = _paragraphs(catalogue, "ar")
    assert paragraphs and all(text in said for text in paragraphs), "each paragraph, in the order it is written"
    assert all(unicodedata.normalize("NFKC", text) == text for text in said), "letters, not their shaped presentation forms"
    footer = [e.get("ActualText") for e in found if e["S"] == "P"][-3:]
    assert all(footer) and footer[-1] == make_sheet(catalogue, Job("lumen", "microneedling", "aftercare", "ar", "standard")).brand.disclaimer
    # The content itself, read in its order as the structure holds it, is the glyphs right to left as presentation forms:
    # without the ActualText the words would be wrong.
    drawn = unicodedata.normalize("NFKC", structure(data).kids[0].text)
    assert drawn != handout.title and drawn[::-1].split()[0] == handout.title.split()[0]


@pytest.mark.parametrize("language", ["zh-Hans", "ko", "vi"])
def test_chinese_korean_and_vietnamese_read_back_as_written(catalogue, language: str) -> None:
    data = _aftercare(catalogue, language)
    document = structure(data)
    texts = {element.text for element in document.walk()}
    paragraphs = _paragraphs(catalogue, language)
    assert paragraphs and all(unicodedata.normalize("NFC", text) in texts for text in paragraphs), \
        "each paragraph through the fonts' Unicode maps, in order, with no space added where a line breaks between characters"
    assert document.kids[0].text == catalogue.treatments["microneedling"].handouts[("aftercare", language)].title
    assert not [e for e in entries(data) if "ActualText" in e and e["S"] != "Lbl"], "nothing needs an ActualText"


@pytest.mark.parametrize("layout", ["standard", "large-print", "two-column", "trifold"])
def test_the_mirrored_chrome_of_an_arabic_sheet_stays_artifacts(catalogue, layout: str) -> None:
    data = _aftercare(catalogue, "ar", layout)
    read = without_artifacts(data)
    pages = len(pikepdf.open(io.BytesIO(data)).pages)
    clinic = "Lumen Skin Studio"  # in the band, the running heads and the footers: real content once, in the first footer
    assert sum(page_text(read, page).count(clinic) for page in range(pages)) == 1
    assert sum(page_text(data, page).count(clinic) for page in range(pages)) > 1
    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        inside = 0
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                inside += 1 if inside or str(operands[0]) == "/Artifact" else 0
            elif name == "EMC" and inside:
                inside -= 1
            elif name == "Do" and str(operands[0]).startswith("/FormXob.page-"):
                assert inside, f"the page label {operands[0]} is drawn as an artifact"
    assert conformance.failures(data) == []


@pytest.mark.timeout(240)
@pytest.mark.parametrize("layout", ["standard", "trifold"])
def test_arabic_and_chinese_pages_look_exactly_as_they_do_untagged(catalogue, layout: str) -> None:
    from dataclasses import replace

    from handouts.preview import pages_to_png

    for language in ("ar", "zh-Hans"):
        sheet = make_sheet(catalogue, Job("lumen", "microneedling", "aftercare", language, layout))
        tagged, untagged = render_pdf(sheet, layout).data, render_pdf(replace(sheet, tagged=False), layout).data
        assert pages_to_png(tagged, 100, True) == pages_to_png(untagged, 100, True), language
