"""The printed sheet points to its web copy when the brand hosts its copies: a small QR code that scans to the copy's
address (or the address alone where a second code has no room), and nothing at all without a base address."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import pdf_for, scanned_codes, squash

BASE = "https://teal.example/patients/"
ADDRESS = {"en": BASE + "en/demo-aftercare.html", "es": BASE + "es/demo-aftercare.html"}


def text_of(data: bytes) -> str:
    """A PDF's text, whitespace collapsed."""
    import io

    from pypdf import PdfReader

    return squash(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def hosted(tree: Path) -> Path:
    """The fixture tree with the teal brand hosting its web copies."""
    kit = tree / "brands/teal/brand.yaml"
    kit.write_text(kit.read_text() + f"web_base_url: {BASE}\n")
    return tree


@pytest.mark.parametrize("layout", ["standard", "large-print", "two-column", "trifold"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sheets_code_scans_to_its_web_copy(hosted: Path, tmp_path: Path, layout: str, lang: str) -> None:
    data = pdf_for(hosted, "teal", layout, lang)
    found = scanned_codes(data)
    assert ADDRESS[lang] in found, found
    text = text_of(data)
    words = {"en": "Read this online or in other languages", "es": "Lea esta hoja en línea o en otros idiomas"}[lang]
    assert words in text and ADDRESS[lang].removeprefix("https://") in text.replace(" ", "")


def test_a_brand_without_a_base_address_prints_nothing(hosted: Path, tmp_path: Path) -> None:
    plain = pdf_for(hosted, "plain", "standard")  # teal extends plain; plain hosts nothing
    assert scanned_codes(plain) == {"https://example.org/book"}
    assert "Read this online" not in text_of(plain)


def test_a_personalised_sheet_points_to_the_same_generic_copy(hosted: Path, tmp_path: Path, run) -> None:
    out = tmp_path / "sheet.pdf"
    result = run("handout", "demo/aftercare", "--content", hosted, "--brand", "teal", "--patient", "Ana Pérez", "--date", "2026-11-24",
                 "-o", out)
    assert result.code == 0, result.err
    assert ADDRESS["en"] in scanned_codes(out.read_bytes())


@pytest.mark.parametrize("lang", ["en", "es", "vi", "zh-Hans", "ko", "ar"])
def test_the_read_online_line_prints_in_every_language_beside_its_code_mirrored_right_to_left(tmp_path: Path, lang: str) -> None:
    import unicodedata

    from conftest import CONTENT
    from handouts import drawn
    from handouts.content import load_catalogue
    from handouts.i18n import strings
    from handouts.jobs import Job
    from handouts.pdf import make_sheet, render_pdf

    catalogue = load_catalogue(CONTENT)  # Lumen hosts its copies
    data = render_pdf(make_sheet(catalogue, Job("lumen", "microneedling", "aftercare", lang, "standard")), "standard").data
    address = catalogue.brands["lumen"].web_address("microneedling", "aftercare", lang)
    coded = address in scanned_codes(data)  # else the address alone, where the code would cost the sheet a page
    assert coded or lang != "ar"
    assert address.removeprefix("https://") in text_of(data).replace(" ", "")
    page = drawn.read(data)[-1]
    words = unicodedata.normalize("NFKC", strings(lang).read_online)
    line = [run for run in page.runs if unicodedata.normalize("NFKC", run.text).strip() == words]
    assert len(line) == 1, [run.text for run in page.runs]
    left, right = min(run.x0 for run in page.runs), max(run.x1 for run in page.runs)
    if not coded:
        return
    if lang == "ar":  # the code at the right of the column, the words at its left, ending where the code begins
        assert right - line[0].x1 > 40 and line[0].x0 - left > 40, (left, right, line[0])
    else:
        assert line[0].x0 - left > 40, (left, line[0])
