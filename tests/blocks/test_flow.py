"""How blocks flow over pages: headings stay with what follows, small boxes are never cut in two."""

from __future__ import annotations

from pathlib import Path

from conftest import demo_front, page_texts

FRONT = demo_front("Flow test")
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



def pages_of_a_box(boxes_whole: bool) -> list[int]:
    """The pages a 20-line box lands on after a paragraph that leaves 55% of a 400 pt frame (as a balancing column is)."""
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

    from handouts.flowables import Keep

    style = ParagraphStyle("p", fontSize=10, leading=12)
    lines = [Paragraph(f"Line {n} of a box.", style) for n in range(20)]  # 240 pt: more than the 220 left
    frame = Frame(0, 0, 200, 400, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame.boxes_whole = boxes_whole  # type: ignore[attr-defined]
    pages: list[int] = []

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab's name
            if flowable in lines:
                pages.append(self.page)

    doc = Doc(io.BytesIO(), pagesize=(200, 400), pageTemplates=[PageTemplate("p", [frame])])
    doc.build([Spacer(200, 180), Keep(lines)])
    return pages


def test_in_a_column_set_short_to_balance_a_page_a_box_moves_on_whole_instead_of_splitting() -> None:
    assert set(pages_of_a_box(False)) == {1, 2}, "an ordinary frame splits a long box where it stands"
    assert set(pages_of_a_box(True)) == {2}, "the box was split in a column set short to balance the last page"


def test_a_callout_split_over_pages_repeats_its_title_above_the_part_that_goes_on(run, tree: Path, tmp_path: Path) -> None:
    items = ", ".join(f"Xray item {n} is one of many signs in a long list." for n in range(1, 61))
    blocks = f"  - callout: {{tone: urgent, title: Yankee urgent box, items: [{items}]}}\n"
    pages = build_pages(run, tree, tmp_path, blocks, 6)
    holding = [n for n, text in enumerate(pages, 1) if "Xray item" in text]
    assert len(holding) >= 2, "the 60-item box should need more than one page"
    for n in holding:  # every page with part of the box opens that part with its title
        text = pages[n - 1]
        assert "Yankee urgent box" in text, f"page {n} continues the urgent box without its title"
        assert text.index("Yankee urgent box") < text.index("Xray item"), f"the title on page {n} is not above the items"


def test_a_box_taller_than_a_page_starts_where_it_stands_instead_of_leaving_the_page_short(run, tree: Path, tmp_path: Path) -> None:
    items = ", ".join(f"Xray item {n} is one of many signs in a long list." for n in range(1, 61))
    blocks = f"  - callout: {{tone: warning, title: Yankee box, items: [{items}]}}\n"
    # 20 filler lines leave about four lines of the first page: a box that fits a page would move on whole, this one may not.
    pages = build_pages(run, tree, tmp_path, blocks, 20)
    assert page_of(pages, "Xray item 1 is") == 1, "a box longer than a page was moved whole to the next page"


def test_a_box_whose_title_alone_would_stay_splits_between_its_lines_instead_of_leaving_the_page_short(run, tree: Path,
                                                                                                        tmp_path: Path) -> None:
    text = " ".join(f"Xray sentence {n} says one more thing the patient should know." for n in range(1, 41))
    blocks = f"  - callout: {{tone: warning, title: Yankee box, text: '{text}'}}\n"
    # About half the first page is left: the box (a title and one long paragraph, shorter than a page) has no split
    # between its rows but after its title, so it splits between the lines of its paragraph, its title repeated.
    pages = build_pages(run, tree, tmp_path, blocks, 10)
    assert page_of(pages, "Xray sentence 1 says") == 1, "the box was moved whole to the next page, leaving the first half empty"
    assert page_of(pages, "Xray sentence 40 says") == 2
    assert "Yankee box" in pages[1] and pages[1].index("Yankee box") < pages[1].index("Xray sentence 40"), \
        "the part that goes on does not open with the box's title"
