"""No sheet ends with a page that holds only the web copy's note (its QR code, 'Read this online' and the address): to a
patient such a page looks printed by mistake."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest

from conftest import CONTENT
from handouts.content import load_catalogue
from handouts.drawn import Drawn, read
from handouts.jobs import Job
from handouts.patient import Patient
from handouts.pdf import draw_pdf, make_sheet
from handouts.proof import worst_patient
from handouts.registry import layouts
from handouts.sheet import Sheet


def lumen_sheet(kind: str, lang: str, layout: str, page_size: str, personalised: bool) -> Sheet:
    """Lumen's sheet (it hosts its web copies) of the shipped microneedling handout."""
    patient = Patient("Ana Pérez", dt.date(2026, 11, 24), "Dr Lee", dt.date(2026, 12, 22)) if personalised else None
    return make_sheet(load_catalogue(CONTENT), Job("lumen", "microneedling", kind, lang, layout), patient, page_size=page_size)


def squeezed(text: str) -> str:
    """Text without spaces, with Arabic's presentation forms (as the PDF is read back) folded to plain letters."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def last_page_besides_note(sheet: Sheet, drawn: Drawn) -> list[str]:
    """The runs read back from the text frames of the sheet's last page that are not part of the web copy's note."""
    address = sheet.web_address
    assert address, "lumen no longer hosts its web copies: the test needs a brand that does"
    note = squeezed(sheet.strings.read_online + address.removeprefix("https://"))
    last = drawn.pages - 1
    frames = [use.box for use in drawn.frames if use.page == last and use.body]
    inside = [run for run in read(drawn.data)[last].runs
              if any(x <= run.x0 and run.x1 <= x + width + 1 and y <= run.baseline <= y + height for x, y, width, height in frames)]
    return [run.text for run in inside if squeezed(run.text) not in note]


# Each of these ended with a page holding the note alone (the first is the sheet staff reported).
@pytest.mark.parametrize(("kind", "lang", "layout", "page_size", "personalised"), [
    ("aftercare", "en", "large-print", "a4", False), ("pre-treatment", "vi", "large-print", "a4", False),
    ("pre-treatment", "zh-Hans", "large-print", "a4", False), ("overview", "ar", "large-print", "a4", False),
    ("aftercare", "ko", "large-print", "a4", True), ("pre-treatment", "en", "large-print", "letter", True),
    # The whole last block going over would leave page 5 under 60% full: the appointment's last row goes over instead.
    ("aftercare", "ar", "large-print", "a4", True)])
def test_the_last_page_holds_more_than_the_web_copy_note(kind: str, lang: str, layout: str, page_size: str, personalised: bool) -> None:
    sheet = lumen_sheet(kind, lang, layout, page_size, personalised)
    drawn = draw_pdf(sheet, layout)
    assert drawn.web_code is not None
    assert last_page_besides_note(sheet, drawn), f"page {drawn.pages} holds only the web copy's note"
    assert not drawn.note_alone
    least = layouts()[layout].min_fill
    short = [use.page + 1 for use in drawn.frames if use.body and use.page < drawn.pages - 1 and use.share < least - 0.005]
    assert not short, f"pages {short} left less than {least:.0%} full"
    # Never a page more than with the note left where it fell.
    as_fallen = layouts()[layout](io.BytesIO(), sheet, body_size=drawn.body_size, web_code=drawn.web_code).render_drawn()
    assert drawn.pages <= as_fallen.pages


def test_the_note_alone_is_told_apart_from_a_last_page_with_text() -> None:
    sheet = lumen_sheet("aftercare", "en", "large-print", "a4", False)
    as_fallen = layouts()["large-print"](io.BytesIO(), sheet).render_drawn().written()
    assert as_fallen.note_alone, "the reported sheet no longer ends with the note alone when left where it fell: pick another"
    assert not last_page_besides_note(sheet, as_fallen)


def test_a_smaller_code_takes_the_note_onto_the_page_before() -> None:
    # The widest patient details end this sheet with the note alone, while a smaller code fits the page before.
    blank = lumen_sheet("pre-treatment", "en", "large-print", "a4", False)
    sheet = make_sheet(load_catalogue(CONTENT), Job("lumen", "microneedling", "pre-treatment", "en", "large-print"), worst_patient(blank),
                       page_size="a4")
    as_fallen = layouts()["large-print"](io.BytesIO(), sheet).render_drawn()
    assert as_fallen.note_alone, "the sheet no longer ends with the note alone when left where it fell: pick another"
    drawn = draw_pdf(sheet, "large-print")
    assert drawn.pages == as_fallen.pages - 1
    assert drawn.web_code is True and last_page_besides_note(sheet, drawn)
