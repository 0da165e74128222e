"""What a reader of the brochure sees on its panels: an urgent box that goes on to the next panel keeps its title there,
and the next appointment's lines are one line tall however long the date is written in the sheet's language."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from conftest import CONTENT, demo_front, grey_pages
from handouts import drawn
from handouts.content import load_catalogue
from handouts.jobs import Job
from handouts.patient import Patient
from handouts.pdf import draw_pdf, make_sheet

FRONT = demo_front("Brochure test")


def panel_texts(result: drawn.Drawn) -> list[list[drawn.Run]]:
    """The runs of text on each flow panel, in reading order, each panel's runs from the top."""
    pages = drawn.read(result.data)
    panels = []
    for use in (use for use in result.frames if use.body):
        x, _, width, _ = use.box
        runs = [run for run in pages[use.page].runs if x - 1 <= run.x0 and run.x1 <= x + width + 1]
        panels.append(sorted(runs, key=lambda run: -run.baseline))
    return panels


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_an_urgent_box_that_goes_on_to_the_next_panel_repeats_its_title_there(tree: Path, page_size: str) -> None:
    (tree / "demo/aftercare.es.yaml").unlink()
    filler = "".join(f"  - paragraph: Filler paragraph number {n} has a few words so that it takes a line or two.\n" for n in range(14))
    items = ", ".join(f"Xray sign {n} of a long list" for n in range(1, 31))
    (tree / "demo/aftercare.en.yaml").write_text(
        FRONT + filler + f"  - callout: {{tone: urgent, title: Yankee urgent box, items: [{items}]}}\n", encoding="utf-8")
    result = draw_pdf(make_sheet(load_catalogue(tree), Job("plain", "demo", "aftercare", "en", "trifold"), page_size=page_size), "trifold")
    holding = [runs for runs in panel_texts(result) if any("Xray sign" in run.text for run in runs)]
    assert len(holding) >= 2, "the box should go on to a second panel"
    for runs in holding:
        texts = [run.text for run in runs]
        first_item = next(i for i, text in enumerate(texts) if "Xray sign" in text)
        assert "Yankee urgent box" in " ".join(texts[:first_item]), f"a panel continues the urgent box without its title: {texts[:4]}"
    # The part left on the first panel is closed by the box's rule under its last line; the part that goes on has none
    # under its repeated title (its box starts at its top).
    pages = greys(result.data)
    first, then = holding[0], holding[1]
    page = pages[first[0].page]
    assert rules_between(page, first[0], first[-1].baseline - 2, first[-1].baseline - 30), "the box's first part is left open"
    title = next(run for run in then if "Yankee urgent box" in run.text)
    item = next(run for run in then if "Xray sign" in run.text)
    assert not rules_between(pages[then[0].page], then[0], title.baseline - 2, item.baseline + 10), "a rule under the repeated title"


def greys(data: bytes, dpi: int = 144) -> list[tuple[int, int, bytes, float]]:
    """Each page as (width, height, grey pixels, pixels per point)."""
    out = []
    with grey_pages(data, dpi) as pages:
        for page in pages:
            header, _, rest = page.read_bytes().partition(b"\n255\n")
            width, height = (int(n) for n in header.split()[1:3])
            out.append((width, height, rest, dpi / 72))
    return out


def rules_between(page: tuple[int, int, bytes, float], run: drawn.Run, top: float, bottom: float) -> bool:
    """Whether a dark line runs across most of the panel that holds run, between two heights (points from the foot)."""
    width, height, pixels, scale = page
    x0, x1 = int(run.x0 * scale), int((run.x0 + 100) * scale)  # the panel's first 100 points from its text's left edge
    for y in range(int((height / scale - top) * scale), int((height / scale - bottom) * scale)):
        row = pixels[y * width + x0:y * width + x1]
        if sum(1 for value in row if value < 140) > 0.9 * len(row):  # the urgent rule, #A1201A, is about 70 in grey
            return True
    return False


@pytest.mark.parametrize("lang", ["en", "vi", "ar", "zh-Hans"])
@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_the_next_appointments_date_is_written_on_one_line_so_its_time_line_stays_one_line_tall(lang: str, page_size: str) -> None:
    patient = Patient("Maximiliana Alexandrovna Papadopoulou-Rodríguez", dt.date(2026, 11, 24), "Dr Lee", dt.date(2026, 12, 22))
    sheet = make_sheet(load_catalogue(CONTENT), Job("lumen", "microneedling", "aftercare", lang, "trifold"), patient, page_size=page_size)
    result = draw_pdf(sheet, "trifold")
    date = unicodedata.normalize("NFKC", sheet.strings.long_date(patient.follow_up, sheet.brand.date_format))
    lines = [unicodedata.normalize("NFKC", run.text).strip() for page in drawn.read(result.data) for run in page.runs]
    assert date in lines, f"the date {date!r} is not written whole on one line: {[line for line in lines if line[:3] in date]}"
