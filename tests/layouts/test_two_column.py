"""The two-column layout's last page: its columns balanced instead of the column read last left empty, with the same
lines as before in the same order (no box split anew, nothing moved to another page), read column by column (the right
one first in Arabic), the tagged structure read exactly as before; and the proof's lint that reports a last page whose
lines all stand in one column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, FIXTURES
from handouts import conformance, drawn
from handouts.content import load_catalogue
from handouts.jobs import Job
from handouts.layouts.two_column import TwoColumnLayout
from handouts.pdf import draw_pdf, make_sheet
from handouts.proof import prove_job, worst_patient
from tagged_support import structure

pytestmark = pytest.mark.timeout(120)
LINT = ("holds all {lines} lines of the last page, the other column none (the last page's lines shared between its columns, "
        "which end level in two-column)")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CONTENT)


def unbalanced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch the balancing off: the last page is drawn as the columns fill, the left one first."""
    monkeypatch.setattr(TwoColumnLayout, "balanced", classmethod(lambda cls, sheet, result: result))


def columns(result: drawn.Drawn) -> tuple[list[drawn.FrameUse], list[list[drawn.Run]], list[drawn.Run]]:
    """The last page's columns in reading order, the runs drawn in each, and all its runs in drawing order."""
    page = drawn.read(result.data)[result.pages - 1]
    frames = [use for use in result.frames if use.page == result.pages - 1 and use.body]

    def inside(run: drawn.Run, box: tuple[float, float, float, float]) -> bool:
        x, y, width, height = box
        return x - 1 <= run.x0 <= x + width and y - run.size <= run.baseline <= y + height + 1

    return frames, [[run for run in page.runs if inside(run, use.box)] for use in frames], list(page.runs)


def lines(runs: list[drawn.Run]) -> int:
    return len({round(run.baseline * 2) for run in runs})


@pytest.mark.parametrize("brand, kind, language, page_size, personalised", [
    ("lumen", "aftercare", "ko", "a4", False), ("default", "aftercare", "en", "a4", False), ("default", "aftercare", "ar", "letter", False),
    ("lumen", "aftercare", "zh-Hans", "letter", False), ("default", "pre-treatment", "en", "letter", True),
    ("lumen", "pre-treatment", "ko", "letter", False), ("lumen", "pre-treatment", "ar", "letter", True)])
def test_the_last_page_shares_its_lines_between_its_columns_in_reading_order(catalogue, monkeypatch: pytest.MonkeyPatch, brand: str, kind: str,
                                                                             language: str, page_size: str, personalised: bool) -> None:
    job = Job(brand, "microneedling", kind, language, "two-column")
    sheet = make_sheet(catalogue, job, page_size=page_size)
    if personalised:
        sheet = make_sheet(catalogue, job, worst_patient(sheet), page_size=page_size)
    balanced = draw_pdf(sheet, "two-column")
    unbalanced(monkeypatch)
    plain = draw_pdf(sheet, "two-column")
    assert balanced.pages == plain.pages == 2, "balancing costs no page"
    _, before, _ = columns(plain)
    frames, after, drawing = columns(balanced)
    assert lines(before[1]) <= 4 < lines(before[0]), "as it was: the column read last (nearly) empty"
    depths = [use.used for use in frames]
    assert min(depths) >= sum(depths) / 4 and min(lines(column) for column in after) > 4, f"both columns hold a fair share: {depths}"
    # The same lines in the same order: no box or paragraph split anew, nothing moved to or from another page.
    assert [run.text for column in after for run in column] == [run.text for column in before for run in column]
    # Read column by column: every line of the column read first is drawn (and marked) before the other column's.
    order = {id(run): i for i, run in enumerate(drawing)}
    assert max(order[id(run)] for run in after[0]) < min(order[id(run)] for run in after[1])
    assert (frames[0].box[0] > frames[1].box[0]) == (language == "ar"), "the right column first in Arabic, else the left"
    # A screen reader reads exactly what it read before.
    assert structure(balanced.data).text == structure(plain.data).text


def test_a_balanced_sheet_passes_the_proof_and_pdf_ua(catalogue) -> None:
    """The proof's lints (headings kept with their sections, nothing past a column's side, no column underfilled) find
    nothing on the balanced Korean sheet, and the copy is PDF/UA-1."""
    job = Job("lumen", "microneedling", "aftercare", "ko", "two-column")
    assert prove_job(catalogue, job) == []
    assert conformance.failures(draw_pdf(make_sheet(catalogue, job), "two-column").data) == []


def long_sheet(tree: Path, items: int) -> Path:
    """The demo as numbered paragraphs and a warning box, in a budget of two pages (English only)."""
    (tree / "demo/aftercare.es.yaml").unlink()
    path = tree / "demo/aftercare.en.yaml"
    front = path.read_text(encoding="utf-8").split("blocks:")[0].replace('max_pages: "4"', 'max_pages: "2"')
    body = "".join(f"  - paragraph: Item {n:02d} {' '.join(['word'] * 30)}.\n" for n in range(1, items + 1))
    box = ", ".join(f"Zulu item {n} {' '.join(['word'] * 8)}." for n in range(1, 5))
    path.write_text(front + "blocks:\n" + body + f"  - callout: {{tone: warning, title: Zulu box, items: [{box}]}}\n", encoding="utf-8")
    return path


def test_a_last_page_left_in_one_column_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "tree", tree)
    path = long_sheet(tree, 20)
    job = Job("plain", "demo", "aftercare", "en", "two-column")
    assert prove_job(load_catalogue(tree), job) == []
    unbalanced(monkeypatch)
    where = f"{path}: in two-column for plain (en,"
    assert [str(p) for p in prove_job(load_catalogue(tree), job)] == [
        f"{where} blank): the left column of page 2 {LINT.format(lines=29)}",
        f"{where} personalised): the left column of page 2 {LINT.format(lines=33)}"]
