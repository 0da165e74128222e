"""The large-print sheet as a reader with low vision sees it: a header that names the treatment with its phone line
clear of the rule, and a first page that is not left half empty by a long box."""

from __future__ import annotations

import io
import unicodedata

import pytest

from conftest import CONTENT
from handouts import drawn
from handouts.content import load_catalogue
from handouts.jobs import Job
from handouts.pdf import draw_pdf, make_sheet
from handouts.sheet import Sheet


def sheet_for(kind: str, lang: str, page_size: str | None = None) -> Sheet:
    """Lumen's sheet (a wide wordmark) of the shipped microneedling handout."""
    return make_sheet(load_catalogue(CONTENT), Job("lumen", "microneedling", kind, lang, "large-print"), page_size=page_size)


def header_runs(sheet: Sheet) -> tuple[list[drawn.Run], float]:
    """The text drawn in the first page's header, read back from the PDF, and the height of the rule under it."""
    from handouts.layouts.large_print import LargePrintLayout

    data = draw_pdf(sheet, "large-print").data
    doc = LargePrintLayout(io.BytesIO(), sheet)
    rule = doc.geometry.height - doc.geometry.band + 2 * 72 / 25.4
    page = drawn.read(data)[0]
    return [run for run in page.runs if run.baseline > rule], rule


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_the_header_names_the_treatment_and_keeps_its_last_line_clear_of_the_rule(lang: str, page_size: str) -> None:
    sheet = sheet_for("aftercare", lang, page_size)
    runs, rule = header_runs(sheet)
    text = unicodedata.normalize("NFKC", " ".join(run.text for run in runs))
    treatment = unicodedata.normalize("NFKC", sheet.handout.treatment)
    assert all(word in text for word in treatment.split()), f"the header {text!r} does not name {treatment!r}"
    lowest = min(run.bottom for run in runs)  # the descenders of the header's last line
    assert lowest - rule >= 2.5 * 72 / 25.4, f"the header's last line ends {(lowest - rule) / 72 * 25.4:.1f} mm above its rule"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_box_longer_than_a_page_leaves_no_page_short_and_repeats_its_title_where_it_goes_on(lang: str) -> None:
    sheet = sheet_for("pre-treatment", lang)
    result = draw_pdf(sheet, "large-print")
    first = [use for use in result.frames if use.body][0]
    assert first.share >= 0.85, f"page 1 is only {first.share:.0%} full"
    pages = drawn.read(result.data)
    title = unicodedata.normalize("NFKC", {"en": "Tell us before you book", "ar": "أخبرنا قبل أن تحجز"}[lang])
    holding = [n for n, page in enumerate(pages) if any(unicodedata.normalize("NFKC", run.text).strip() == title for run in page.runs)]
    # Longer than a page, the box is split: its title opens it and opens the part on the next page.
    assert len(holding) == 2 and holding[1] == holding[0] + 1, f"the box's title is on pages {holding}"
    assert lang != "ar" or holding[0] == 0, "the box was moved off page 1 (whose last third was left blank)"
