"""How blocks flow over pages: headings stay with what follows, small boxes are never cut in two."""

from __future__ import annotations

from pathlib import Path

from conftest import page_texts

FRONT = """\
id: demo-aftercare
treatment: Demo
kind: aftercare
title: Flow test
language: en
version: "1"
reviewed: "2026-11-01"
reviewed_by: Clinical lead
blocks:
"""
FILLER = "".join(f"  - paragraph: Filler paragraph number {n} has a few words so that it takes one line of the page.\n" for n in range(1, 200))


def build_pages(run, tree: Path, tmp_path: Path, blocks: str, fill: int) -> list[str]:
    """Pages of a handout whose blocks follow `fill` one-line filler paragraphs."""
    (tree / "demo/aftercare.es.yaml").unlink(missing_ok=True)
    filler = "".join(FILLER.splitlines(keepends=True)[:fill])
    (tree / "demo/aftercare.en.yaml").write_text(FRONT + filler + blocks, encoding="utf-8")
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "plain", "--jobs", "1")
    assert result.code == 0, result.err
    return page_texts(tmp_path / "out/plain/demo-aftercare.en.standard.pdf")


def page_of(pages: list[str], needle: str) -> int:
    """The number of the only page holding the needle."""
    found = [n for n, text in enumerate(pages, 1) if needle in text]
    assert len(found) == 1, f"{needle!r} is on pages {found}"
    return found[0]


def test_a_heading_never_ends_a_page_and_a_short_callout_is_never_split(run, tree: Path, tmp_path: Path) -> None:
    blocks = ("  - heading: Zulu heading\n"
              "  - callout: {tone: warning, title: Yankee box, items: [Xray one., Xray two., Xray three., Xray four., Xray five.]}\n")
    # Move the heading down the first page line by line: wherever the page break falls, the heading, the
    # callout's title and every one of its items land on one page.
    breaks = set()
    for fill in range(4, 24):
        pages = build_pages(run, tree, tmp_path, blocks, fill)
        where = {page_of(pages, text) for text in ("Zulu heading", "Yankee box", "Xray one.", "Xray five.")}
        assert len(where) == 1, f"with {fill} filler lines the heading and its box are split over pages {where}"
        breaks.add(where.pop())
    assert breaks == {1, 2}, "the range of filler lines should cross the first page break"


def test_a_long_table_starts_under_its_heading_without_leaving_the_page_blank(run, tree: Path, tmp_path: Path) -> None:
    rows = "".join(f"      - {{days: \"{n}\", text: Victor row {n} says what happens on this day.}}\n" for n in range(1, 41))
    blocks = "  - heading: Zulu heading\n  - timeline:\n" + rows
    for fill in range(4, 20, 3):
        pages = build_pages(run, tree, tmp_path, blocks, fill)
        heading, first = page_of(pages, "Zulu heading"), page_of(pages, "Victor row 1 says")
        assert heading == first, f"with {fill} filler lines the heading is on page {heading} and the first row on {first}"
        # The table is too long for one page, so it starts right under the heading on the first page.
        assert heading == 1, f"with {fill} filler lines the table was pushed to page {heading}"
        assert page_of(pages, "Victor row 40 says") > 1
