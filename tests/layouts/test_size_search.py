"""The search for a sheet's type size tries fewer sizes than drawing every one, and always settles on the size, the form of
the web copy's note and the pages that drawing every size would choose."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from conftest import CONTENT, demo_front
from handouts.content import load_catalogue
from handouts.drawn import Drawn
from handouts.jobs import Job
from handouts.layouts import base, trifold
from handouts.layouts.base import Layout
from handouts.layouts.trifold import BackPanelFull, TrifoldLayout
from handouts.pdf import make_sheet
from handouts.proof import worst_patient
from handouts.registry import layouts
from handouts.sheet import Sheet

FILLER = "".join(f"  - paragraph: Filler paragraph number {n} has a few words so that it takes one line or two of a column.\n"
                 for n in range(200))


def every_size(cls: type[Layout], sheet: Sheet) -> Drawn:
    """The size the base layout's rule chooses, found by drawing every size with the code and then every one without it."""
    limit = cls.page_limit(sheet.handout)
    goal = min((n for n in (limit, cls.goal_pages) if n is not None), default=None)
    results = []
    for code in (True, False) if cls.web_copy_code and sheet.web_address else (cls.web_copy_code,):
        for size in cls.body_sizes:
            drawn = cls(io.BytesIO(), sheet, body_size=size, web_code=code).render_drawn()
            if code and goal is not None and drawn.pages > goal and drawn.note_alone:
                drawn = cls.note_not_alone(sheet, drawn)
            if (goal is None or drawn.pages <= goal) and cls.accept(drawn):
                return cls.note_not_alone(sheet, drawn)
            results.append(drawn)
    return cls.note_not_alone(sheet, next((drawn for drawn in results if limit is None or drawn.pages <= limit), results[-1]))


def counted(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The body sizes of every sheet drawn from now on, in order."""
    sizes: list[float] = []
    render = Layout.render_drawn

    def counting(self: Layout) -> Drawn:
        sizes.append(self.body_size)
        return render(self)
    monkeypatch.setattr(Layout, "render_drawn", counting)
    return sizes


def digest(drawn: Drawn) -> str:
    return hashlib.sha256(drawn.written().data).hexdigest()


def filled(tree: Path, paragraphs: int) -> Sheet:
    """The plain brand's demo aftercare of `paragraphs` one-line paragraphs and a last one, with a web copy (so its note has
    a code). In two columns, 32 paragraphs run onto a second page at the largest size and fit one page at the next."""
    (tree / "demo/aftercare.es.yaml").unlink(missing_ok=True)
    text = demo_front("Size test", max_pages="2") + "".join(FILLER.splitlines(keepends=True)[:paragraphs]) + "  - paragraph: The end.\n"
    (tree / "demo/aftercare.en.yaml").write_text(text, encoding="utf-8")
    brand = tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "web_base_url: https://plain.example/handouts/\n", encoding="utf-8")
    return make_sheet(load_catalogue(tree), Job("plain", "demo", "aftercare", "en", "two-column"))


@pytest.mark.timeout(300)
@pytest.mark.parametrize("paragraphs", [12, 30, 32, 34, 37, 46, 52, 58, 80])
@pytest.mark.parametrize("name", ["two-column", "standard"])
def test_the_size_search_chooses_what_drawing_every_size_chooses(tree: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                                                 paragraphs: int) -> None:
    sheet, cls = filled(tree, paragraphs), layouts()[name]
    drawn = counted(monkeypatch)
    expected = every_size(cls, sheet)
    every = len(drawn)
    drawn.clear()
    chosen = base.Layout.lay_out.__func__(cls, sheet)  # type: ignore[attr-defined]  # the base rule, not two-column's own
    assert (chosen.body_size, chosen.web_code, chosen.pages) == (expected.body_size, expected.web_code, expected.pages)
    assert digest(chosen) == digest(expected)
    assert len(drawn) <= every + 1  # at most the smallest size drawn early, where a size between is the one chosen
    if name == "two-column" and 40 <= paragraphs <= 64:  # two pages at every size: the largest and the smallest only
        assert drawn == [cls.body_sizes[0], cls.body_sizes[-1]], drawn


def first_fit(sheet: Sheet) -> float:
    """The largest trifold size whose text fits the sheet's two pages, drawing every size; then, where that size prints the
    web copy's address alone, the next smaller one that fits with its code."""
    def fits(size: float) -> Drawn | None:
        try:
            drawn = TrifoldLayout(io.BytesIO(), sheet, body_size=size).render_drawn()
        except BackPanelFull:
            return None
        return drawn if drawn.pages <= 2 else None

    fitting = [(size, drawn) for size in TrifoldLayout.body_sizes if (drawn := fits(size)) is not None]
    size, drawn = fitting[0]
    if drawn.web_code is False:
        size = next((smaller for smaller, other in fitting[1:] if other.web_code), size)
    return size


@pytest.mark.timeout(300)
@pytest.mark.parametrize("brand, language", [("lumen", "en"), ("default", "ar"), ("lumen", "zh-Hans")])
def test_the_trifold_settles_on_the_same_size_whatever_size_another_copy_found(monkeypatch: pytest.MonkeyPatch, brand: str,
                                                                               language: str) -> None:
    catalogue = load_catalogue(CONTENT)
    job = Job(brand, "microneedling", "aftercare", language, "trifold")
    sheet = make_sheet(catalogue, job, worst_patient(make_sheet(catalogue, job)))
    monkeypatch.setattr(trifold, "_SIZE_FOUND", {})
    first = TrifoldLayout.lay_out(sheet)
    assert first.body_size == first_fit(sheet)
    key = next(iter(trifold._SIZE_FOUND))
    for hint in TrifoldLayout.body_sizes:
        trifold._SIZE_FOUND[key] = hint
        assert digest(TrifoldLayout.lay_out(sheet)) == digest(first), f"another copy's size {hint} changed the sheet"
    drawn = counted(monkeypatch)
    trifold._SIZE_FOUND[key] = first.body_size
    TrifoldLayout.lay_out(sheet)
    assert len([size for size in drawn if size != first.body_size]) <= 1, drawn  # the size found and its larger neighbour


@pytest.mark.timeout(300)
def test_a_handout_too_long_for_the_trifold_at_any_size_is_laid_out_at_the_smallest_every_time(tree: Path,
                                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "demo/aftercare.es.yaml").unlink(missing_ok=True)
    (tree / "demo/aftercare.en.yaml").write_text(demo_front("Size test") + "".join(FILLER.splitlines(keepends=True)[:150]),
                                                 encoding="utf-8")
    catalogue = load_catalogue(tree)
    job = Job("plain", "demo", "aftercare", "en", "trifold")
    monkeypatch.setattr(trifold, "_SIZE_FOUND", {})
    blank = make_sheet(catalogue, job)
    for sheet in (blank, make_sheet(catalogue, job, worst_patient(blank)), blank):  # the second and third after a first
        drawn = TrifoldLayout.lay_out(sheet)
        assert (drawn.body_size, drawn.pages > 2) == (TrifoldLayout.body_sizes[-1], True)
    assert trifold._SIZE_FOUND == {}, "a size that does not fit is no hint for another copy"
