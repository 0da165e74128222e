"""The web copy's QR code stays on the sheet wherever a type size step gives it room, and a sheet that prints the copy's
address alone is named by `check`, never left so silently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import CONTENT, demo_front
from handouts.content import load_catalogue
from handouts.drawn import Drawn
from handouts.i18n import strings
from handouts.jobs import Job
from handouts.patient import Patient
from handouts.pdf import draw_pdf, make_sheet
from handouts.proof import worst_patient
from tagged_support import entries

LONG_NAME = "Maximiliana Alexandrovna Papadopoulou-Rodríguez"
FRONT = demo_front("Flow test", max_pages="1")
# One page holds this many one-line paragraphs with the web copy's address, but not with its code at any size.
ADDRESS_ONLY_FILLER = 27


def lumen(kind: str, lang: str, layout: str, page_size: str, personalised: bool) -> Drawn:
    """Lumen's sheet (a wide wordmark; it hosts its web copies) of the shipped microneedling handout."""
    patient = Patient(LONG_NAME, dt.date(2026, 11, 24), "Dr Lee", dt.date(2026, 12, 22)) if personalised else None
    sheet = make_sheet(load_catalogue(CONTENT), Job("lumen", "microneedling", kind, lang, layout), patient, page_size=page_size)
    return draw_pdf(sheet, layout)


def code_figures(data: bytes, lang: str) -> int:
    """How many figures in the PDF's structure are the web copy's code (a figure whose alternative is 'Read this online')."""
    return sum(1 for entry in entries(data) if entry["S"] == "Figure" and entry.get("Alt") == strings(lang).read_online)


@pytest.mark.parametrize(("layout", "lang", "page_size", "personalised"), [
    ("standard", "ar", "letter", True), ("standard", "zh-Hans", "letter", True), ("standard", "en", "letter", False),
    ("standard", "vi", "a4", False), ("trifold", "ar", "a4", False), ("trifold", "en", "a4", True)])
def test_the_web_copy_code_prints_where_a_type_size_step_has_room_for_it(layout: str, lang: str, page_size: str, personalised: bool) -> None:
    drawn = lumen("aftercare", lang, layout, page_size, personalised)
    assert drawn.pages <= 2
    assert drawn.web_code is True and code_figures(drawn.data, lang) == 1, "the sheet prints the web copy's address without its code"


def test_check_names_a_sheet_that_has_room_for_the_address_alone(run, tree: Path, tmp_path: Path) -> None:
    kit = tree / "brands/teal/brand.yaml"
    kit.write_text(kit.read_text(encoding="utf-8") + "web_base_url: https://teal.example/patients/\n", encoding="utf-8")
    (tree / "demo/aftercare.es.yaml").unlink()
    filler = "".join(f"  - paragraph: Filler paragraph number {n} has a few words so that it takes one line.\n" for n in range(ADDRESS_ONLY_FILLER))
    (tree / "demo/aftercare.en.yaml").write_text(FRONT + filler, encoding="utf-8")
    drawn = draw_pdf(make_sheet(load_catalogue(tree), Job("teal", "demo", "aftercare", "en", "standard")), "standard")
    assert drawn.pages == 1 and drawn.web_code is False, "the filler no longer leaves room for the address alone: adjust it"
    assert code_figures(drawn.data, "en") == 0
    result = run("check", "--content", tree, "--layout", "standard")
    notices = [line for line in (result.out + result.err).splitlines() if "address-only sheet" in line]
    assert any("demo/aftercare.en.yaml: notice: in standard for teal (en, blank)" in line for line in notices), result.out + result.err
    assert not any("for plain" in line for line in notices), "a brand that hosts no web copies has no address to print"


@pytest.mark.parametrize(("layout", "kind", "lang", "personalised", "pages"), [
    ("standard", "aftercare", "en", True, 2), ("standard", "aftercare", "zh-Hans", True, 2), ("two-column", "overview", "en", False, 1)])
def test_the_code_sits_in_its_quiet_zone_where_the_page_has_room_for_no_more(layout: str, kind: str, lang: str, personalised: bool,
                                                                            pages: int) -> None:
    # The proof's worst case on Letter: the last page has room for a 17 mm code only without padding around its quiet zone.
    job = Job("lumen", "microneedling", kind, lang, layout)
    catalogue = load_catalogue(CONTENT)
    sheet = make_sheet(catalogue, job, page_size="letter")
    if personalised:
        sheet = make_sheet(catalogue, job, worst_patient(sheet), page_size="letter")
    drawn = draw_pdf(sheet, layout)
    assert drawn.pages == pages and drawn.web_code is True and code_figures(drawn.data, lang) == 1


# One page holds this many one-line paragraphs at the largest type with the web copy's code at 17 mm, not at its size.
SMALLER_CODE_FILLER = 24


def test_a_type_size_step_tries_the_code_smaller_before_the_next_step(tree: Path) -> None:
    kit = tree / "brands/teal/brand.yaml"
    kit.write_text(kit.read_text(encoding="utf-8") + "web_base_url: https://teal.example/patients/\n", encoding="utf-8")
    filler = "".join(f"  - paragraph: Filler paragraph number {n} has a few words so that it takes one line.\n" for n in range(SMALLER_CODE_FILLER))
    (tree / "demo/aftercare.en.yaml").write_text(FRONT + filler, encoding="utf-8")
    drawn = draw_pdf(make_sheet(load_catalogue(tree), Job("teal", "demo", "aftercare", "en", "standard")), "standard")
    assert drawn.pages == 1 and drawn.web_code is True and code_figures(drawn.data, "en") == 1
    assert drawn.body_size == 10.5, "the code made smaller keeps the largest type"
