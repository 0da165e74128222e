"""Web and e-mail addresses on the sheets break only where an address may (after a '/', before a '.', '-' or '@'), set
smaller where a piece is still too wide, never inside a word; and the proof reports one broken inside a word at the
file and line it comes from."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, FIXTURES
from handouts import addresses, drawn, flowables
from handouts.addresses import Address, address_lines, may_break
from handouts.content import load_catalogue
from handouts.jobs import Job
from handouts.paragraphs import Paragraph
from handouts.pdf import draw_pdf, make_sheet
from handouts.proof import prove_job, worst_patient

pytestmark = pytest.mark.timeout(120)
FONT = "Helvetica"
EXPECTED = "a web or e-mail address broken only after a '/' or before a '.', '-' or '@', or set smaller"


def test_an_address_breaks_after_its_slashes_and_only_then_before_its_dots_hyphens_and_at_sign() -> None:
    url = "lumen.example/handouts/ko/microneedling-aftercare.html"
    width = max(addresses.text_width(piece, FONT, 8) for piece in ("lumen.example/handouts/ko/", "microneedling-aftercare.html"))
    assert address_lines(url, FONT, 8, width) == ["lumen.example/handouts/ko/", "microneedling-aftercare.html"]
    assert address_lines(url, FONT, 8, 1000) == [url]
    narrow = addresses.text_width("microneedling-aftercare", FONT, 8)
    assert address_lines(url, FONT, 8, narrow) == ["lumen.example/", "handouts/ko/", "microneedling-aftercare", ".html"]
    assert address_lines("appointments.and.questions@northside-dermatology.example", FONT, 8,
                         addresses.text_width("appointments.and.questions", FONT, 8)) == [
        "appointments.and.questions", "@northside-dermatology", ".example"]
    assert address_lines(url, FONT, 8, addresses.text_width("microneedl", FONT, 8)) is None, "a piece too wide even broken"
    assert not may_break("https://x.org", 7) and may_break("https://x.org", 8), "never between the two slashes of '//'"
    assert not may_break(url, 0) and not may_break(url, len(url)) and not may_break(url, url.index("aftercare") + 3)


def test_an_address_too_wide_for_its_pieces_is_set_smaller_not_broken_inside_a_word() -> None:
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=12)
    url = "example.org/microneedling-aftercare"
    width = addresses.text_width("microneedling", FONT, 8) + 0.5  # room for the longest piece at 8 pt, not at 9
    paragraph = Address.of(url, style, "https://" + url)
    paragraph.wrap(width, 1000)
    assert paragraph.style.fontSize == 8 and len(paragraph.blPara.lines) == 3  # example.org/ · microneedling · -aftercare
    assert paragraph.getPlainText() == url, "one word, read back whole"


def _printed(data: bytes) -> str:
    """Every run of the PDF read back, one line to a run."""
    return "\n".join(run.text for page in drawn.read(data) for run in page.runs)


def _breaks(address: str, text: str) -> list[int]:
    """Where the address is broken across lines in text read back (it must be there, whole or broken)."""
    found = re.search("\n?".join(re.escape(char) for char in address), text)
    assert found, f"{address} is not printed"
    at, breaks = 0, []
    for char in found.group():
        if char == "\n":
            breaks.append(at)
        else:
            at += 1
    return breaks


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CONTENT)


@pytest.mark.parametrize("layout, language, page_size, personalised", [
    ("trifold", "ko", "a4", False), ("trifold", "en", "letter", True), ("trifold", "zh-Hans", "letter", True),
    ("trifold", "ar", "a4", True), ("two-column", "ko", "a4", False), ("two-column", "zh-Hans", "a4", False)])
def test_the_read_online_address_is_never_broken_inside_a_word(catalogue, layout: str, language: str, page_size: str, personalised: bool) -> None:
    job = Job("lumen", "microneedling", "aftercare", language, layout)
    sheet = make_sheet(catalogue, job, page_size=page_size)
    if personalised:
        sheet = make_sheet(catalogue, job, worst_patient(sheet), page_size=page_size)
    address = sheet.web_address.removeprefix("https://")
    breaks = _breaks(address, _printed(draw_pdf(sheet, layout).data))
    assert all(may_break(address, at) for at in breaks), [address[:at] for at in breaks]


def _teal_hosting(tree: Path) -> tuple[Path, int]:
    """The teal kit hosting its web copies at a long address; the kit and the line that says so."""
    kit = tree / "brands/teal/brand.yaml"
    text = kit.read_text(encoding="utf-8")
    kit.write_text(text + "web_base_url: https://teal.example/patient-information/handouts/\n", encoding="utf-8")
    return kit, len(text.splitlines()) + 1


def test_an_address_broken_inside_a_word_is_reported_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "tree", tree)
    kit, line = _teal_hosting(tree)
    job = Job("teal", "demo", "aftercare", "en", "trifold")
    assert prove_job(load_catalogue(tree), job) == []
    # As the sheets printed it before: a paragraph that breaks the address wherever the line is full.
    monkeypatch.setattr(flowables.Address, "of", classmethod(lambda cls, address, style, href=None, color="#000000", bold=False:
                                                             Paragraph(flowables.inline.to_markup([flowables.inline.Span(address, bold=bold, href=href)], color), style)))
    address = "teal.example/patient-information/handouts/en/demo-aftercare.html"
    found = [str(p) for p in prove_job(load_catalogue(tree), job) if address in p.message]
    assert found and all(p.startswith(f"{kit}:{line}: in trifold for teal (en, ") and f"'{address}' is broken inside a word ('" in p
                         and p.endswith(f"') ({EXPECTED})") for p in found), found
    assert f"{kit}:{line}: in trifold for teal (en, blank): '{address}' is broken inside a word" in "\n".join(found)
