"""The layout family: page sizes, large print's type, the card's two halves, the trifold's panel order, page budgets."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import inch

from handouts.jobs import Job
from handouts.pdf import make_sheet
from handouts.content import load_catalogue
from handouts.layouts import LAYOUTS
from handouts.layouts.large_print import LargePrintLayout
from handouts.layouts.trifold import Panels

from conftest import FIXTURES, add_spanish_card, assert_in_order, boxed_text, demo_front, pdf_for, qpdf_check

FRONT = demo_front("Long demo", max_pages="2")
DEMO_ORDER = ["Every block demo", "Alpha paragraph", "Bravo heading", "Charlie bullet", "Delta step one", "Echo tick item",
              "Foxtrot info", "Golf tip", "Hotel warning", "Call us right away if", "India day zero", "Juliet days",
              "Kilo week one", "Lima do", "Mike dont", "November question", "Oscar answer", "Quebec statement",
              "Romeo appointment", "Sierra caption"]


def long_handout(tree: Path, items: int) -> None:
    """Replace the demo with numbered paragraphs ('Item 01 …') of thirty words each, and a budget of two pages."""
    (tree / "demo/aftercare.es.yaml").unlink()
    body = "".join(f"  - paragraph: Item {n:02d} {' '.join(['word'] * 30)}.\n" for n in range(1, items + 1))
    (tree / "demo/aftercare.en.yaml").write_text(FRONT + body, encoding="utf-8")


@pytest.mark.parametrize("layout, page_size, size", [
    ("standard", "letter", LETTER), ("large-print", "letter", LETTER), ("two-column", "a4", A4),
    ("card", "letter", landscape(LETTER)), ("card", "a4", landscape(A4)),
    ("trifold", "letter", landscape(LETTER)), ("trifold", "a4", landscape(A4)),
])
def test_each_layout_has_its_page_size_and_orientation(layout: str, page_size: str, size: tuple[float, float]) -> None:
    reader = PdfReader(io.BytesIO(pdf_for(FIXTURES / "tree", "teal", layout, "es", page_size)))
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox[2:]] == [round(size[0]), round(size[1])]


def test_registry_names_every_layout_and_the_docs_list_them() -> None:
    from handouts.brand import OPTIONS as FIELDS
    from handouts.content import HANDOUT

    assert sorted(LAYOUTS) == ["card", "large-print", "standard", "trifold", "two-column"]
    for name in LAYOUTS:
        assert name in HANDOUT["layout"].doc and name in FIELDS["layout"].doc


@pytest.mark.parametrize("brand, pagesize", [("plain", LETTER), ("teal", A4)])
def test_large_print_geometry_has_inch_margins_and_short_lines(brand: str, pagesize: tuple[float, float]) -> None:
    catalogue = load_catalogue(FIXTURES / "tree")
    doc = LargePrintLayout(io.BytesIO(), make_sheet(catalogue, Job(brand, "demo", "aftercare", "en", "large-print")))
    g = doc.geometry
    assert g.margin >= inch and g.text_width <= 6 * inch
    assert g.height - (g.first_frame[1] + g.first_frame[3]) >= inch and g.first_frame[1] >= inch
    assert doc.theme.body_size >= 18 and doc.theme.heading_size > doc.theme.body_size and doc.theme.leading >= 1.25
    assert not doc.theme.shaded, "no text on tinted backgrounds"
    assert all(not style.hyphenationLang for style in doc.styles.values()), "no hyphenation"
    assert all(style.fontSize >= 18 for style in doc.styles.values())


def test_large_print_body_text_is_18_points_or_more(tree: Path) -> None:
    """Every piece of text between the header and the footer, read back from the PDF, is set at 18 pt or more."""
    data = pdf_for(tree, "plain", "large-print")
    catalogue = load_catalogue(tree)
    g = LargePrintLayout(io.BytesIO(), make_sheet(catalogue, Job("plain", "demo", "aftercare", "en", "large-print"))).geometry
    sizes: dict[str, float] = {}
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        _, bottom, _, height = g.first_frame if number == 0 else g.later_frame

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip() and bottom <= tm[5] * cm[3] + cm[5] <= bottom + height:  # noqa: B023 - called during this page's extraction
                sizes[text.strip()] = min(sizes.get(text.strip(), 99), size * tm[3] * cm[3])

        page.extract_text(visitor_text=visit)
    assert any("Alpha paragraph" in text for text in sizes) and any("Sierra caption" in text for text in sizes)
    small = {text: size for text, size in sizes.items() if size < 18 - 0.01}
    assert not small, f"text under 18 pt: {small}"


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_the_card_prints_the_same_face_on_both_halves(tree: Path, page_size: str) -> None:
    long_handout(tree, 12)  # two faces
    data = pdf_for(tree, "plain", "card", "en", page_size)
    reader = PdfReader(io.BytesIO(data))
    width = float(reader.pages[0].mediabox[2])
    for number in range(len(reader.pages)):
        left, right = boxed_text(data, number, [(0, width / 2), (width / 2, width)])
        assert len(left) > 100
        assert re.sub(r"\s", "", left) == re.sub(r"\s", "", right)
    assert len(reader.pages) == 2


def test_the_card_has_a_dashed_cut_line_down_the_middle() -> None:
    data = pdf_for(FIXTURES / "tree", "teal", "card", "es", "letter")
    stream = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    middle = f"{LETTER[1] / 2:g}"
    assert re.search(r"\[5 4\] 0 d\s+[^\n]*?" + re.escape(middle) + r" 0 m " + re.escape(middle) + r" 612 l S", stream), stream[-400:]


def test_trifold_panels_read_in_folded_order(tree: Path) -> None:
    """Panels read back by position, in the order a folded brochure is read, give the text in content order."""
    long_handout(tree, 34)
    text = (tree / "demo/aftercare.en.yaml").read_text(encoding="utf-8")
    (tree / "demo/aftercare.en.yaml").write_text(text + "  - contact: {title: Papa contact}\n", encoding="utf-8")
    data = pdf_for(tree, "plain", "trifold")
    panels = Panels.for_sheet(landscape(LETTER))
    outside = dict(zip(panels.outside, boxed_text(data, 0, [(x, x + w) for x, w in panels.outside.values()])))
    inside = dict(zip(panels.inside, boxed_text(data, 1, [(x, x + w) for x, w in panels.inside.values()])))
    folded = [outside["cover"], outside["flap"], inside["left"], inside["middle"], inside["right"], outside["back"]]
    assert "Long demo" in outside["cover"] and "Item" not in outside["cover"]
    assert outside["flap"].startswith("Item 01 ")
    assert all("Item" in panel for panel in folded[1:5]), "every panel of the flow holds text"
    assert "Papa contact" in outside["back"] and "Scan with your phone camera" in outside["back"]
    assert_in_order(" ".join(folded), ["Long demo"] + [f"Item {n:02d} " for n in range(1, 35)] + ["Papa contact", "Book your next visit"])
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_trifold_puts_the_title_on_the_cover_and_contact_on_the_back() -> None:
    data = pdf_for(FIXTURES / "tree", "teal", "trifold")
    panels = Panels.for_sheet(landscape(A4))
    flap, back, cover = boxed_text(data, 0, [(x, x + w) for x, w in panels.outside.values()])
    assert "Teal Studio" in cover and "Every block demo" in cover
    assert flap.startswith("Alpha paragraph")
    assert "Papa contact" in back and "Tango booking" in back and "Papa contact" not in flap
    inside = " ".join(boxed_text(data, 1, [(0, panels.width)]))
    assert_in_order(" ".join([cover, flap, inside]), [t for t in DEMO_ORDER if t not in ("Papa contact",)])


def test_trifold_geometry_folds_the_flap_inside() -> None:
    p = Panels.for_sheet(landscape(LETTER))
    assert p.flap < p.panel and p.flap + 2 * p.panel == pytest.approx(p.width)
    assert p.outside["cover"][0] + p.panel == pytest.approx(p.width), "the cover is the right-hand outside panel"
    assert p.inside["left"][1] == p.outside["cover"][1], "the inside left backs the cover"
    assert p.inside["right"][1] == p.outside["flap"][1], "the inside right backs the flap"
    assert set(p.folds("outside")) == {p.flap, p.flap + p.panel} and set(p.folds("inside")) == {p.panel, 2 * p.panel}


def test_trifold_back_panel_that_overflows_is_an_error(run, tree: Path, tmp_path: Path) -> None:
    text = (tree / "demo/aftercare.en.yaml").read_text(encoding="utf-8")
    extra = "".join(f"  - qr: {{url: \"https://example.org/{n}\", caption: Link {n}}}\n" for n in range(8))
    (tree / "demo/aftercare.en.yaml").write_text(text + extra, encoding="utf-8")
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--layout", "trifold", "--brand", "plain", "--jobs", "1")
    assert result.code == 1
    assert (f"{tree}/demo/aftercare.en.yaml:31: the contact box and QR codes do not fit on the back panel of the trifold "
            "(one contact box and one QR code with short captions)") in result.err


def test_spanish_sheets_have_no_english_words_from_the_layouts(tree: Path) -> None:
    english = ("Page ", "Phone", "Book your", "Questions?", "Patient", "Provider", "Scan with", "Version", "Reviewed")
    for layout in sorted(LAYOUTS):
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf_for(tree, "teal", layout, "es"))).pages)
        assert "Página 1 de" in text and "Teléfono" in text, layout
        found = [word for word in english if word in text]
        assert not found, f"{layout}: {found}"
    back = pdf_for(tree, "teal", "trifold", "es")
    assert "Reserve su próxima cita" in " ".join(PdfReader(io.BytesIO(back)).pages[0].extract_text().split())


def test_every_layout_builds_the_demo_and_passes_qpdf(run, tree: Path, tmp_path: Path) -> None:
    (tree / "demo/aftercare.en.yaml").write_text((tree / "demo/aftercare.en.yaml").read_text().replace("max_pages: \"4\"\n", ""))
    out = tmp_path / "out"
    args = [a for name in sorted(LAYOUTS) if name != "card" for a in ("--layout", name)]
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", *args)
    assert result.code == 0, result.err
    markers = DEMO_ORDER + ["Papa contact", "Tango booking", "Espere", "Deje el retinol", "La piel", "He leído", "Su próxima cita"]
    for pdf in sorted(out.rglob("*.pdf")):
        qpdf_check(pdf)
        reader = PdfReader(pdf)
        assert reader.metadata.title in ("Every block demo", "Demostración de cuidados")
        if pdf.name == "demo-aftercare.es.trifold.pdf":
            continue  # the Spanish demo fits on the outside of a brochure, whose inside is left blank (the proof warns of it)
        for number, page in enumerate(reader.pages, 1):
            text = " ".join(page.extract_text().split())
            assert any(marker in text for marker in markers), f"{pdf.name}: page {number} holds no content"


def test_page_budgets_name_the_handout_the_layout_and_the_pages_needed(run, tree: Path, tmp_path: Path) -> None:
    long_handout(tree, 60)
    out = tmp_path / "out"
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "plain",
                 *[a for name in sorted(LAYOUTS) for a in ("--layout", name)])
    assert result.code == 1
    path = f"{tree}/demo/aftercare.en.yaml"
    errors = [line for line in result.err.splitlines() if line.startswith(path)]
    assert errors == [f"{path}: needs 3 pages in trifold, limit 2", f"{path}: needs 3 pages in two-column, limit 2",
                      f"{path}: needs 4 pages in standard, limit 2",
                      f"{path}: notice: skipped in card: it has no card: section (a card: section to print it as a card)"]
    assert sorted(p.name for p in out.rglob("*.pdf")) == ["demo-aftercare.en.large-print.pdf"], "large print may take more pages"
    assert len(PdfReader(out / "plain/demo-aftercare.en.large-print.pdf").pages) > 2


def test_a_layout_shrinks_only_to_its_smallest_size() -> None:
    for name, cls in LAYOUTS.items():
        assert list(cls.body_sizes) == sorted(cls.body_sizes, reverse=True), name
    assert min(LAYOUTS["card"].body_sizes) >= 9 and min(LAYOUTS["trifold"].body_sizes) >= 8.5
    assert min(LAYOUTS["two-column"].body_sizes) >= 8.5 and LAYOUTS["large-print"].body_sizes == (18.0,)


def test_layout_comes_from_the_handout_then_the_brand_then_the_command_line(run, tree: Path, tmp_path: Path) -> None:
    import json

    handout = tree / "demo/aftercare.en.yaml"
    handout.write_text(handout.read_text().replace("layout: standard\n", "layout: two-column\n"))
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text() + "layout: large-print\n")
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert {e["path"]: e["layout"] for e in manifest["handouts"]} == {
        "plain/demo-aftercare.en.two-column.pdf": "two-column", "teal/demo-aftercare.en.two-column.pdf": "two-column",
        "teal/demo-aftercare.es.large-print.pdf": "large-print"}
    out2 = tmp_path / "out2"
    add_spanish_card(tree)
    assert run("build", "--content", tree, "--out", out2, "--jobs", "1", "--brand", "teal", "--lang", "es",
               "--layout", "card", "--layout", "trifold").code == 0
    manifest = json.loads((out2 / "manifest.json").read_text())
    assert [(e["path"], e["layout"]) for e in manifest["handouts"]] == [("teal/demo-aftercare.es.card.pdf", "card"),
                                                                          ("teal/demo-aftercare.es.trifold.pdf", "trifold")]
    one = tmp_path / "one.pdf"
    assert run("handout", "demo/aftercare", "--content", tree, "--brand", "teal", "--lang", "es", "--layout", "card", "-o", one).code == 0
    assert [round(float(v)) for v in PdfReader(one).pages[0].mediabox[2:]] == [842, 595]


def test_an_unknown_layout_name_is_reported_with_its_line(run, tree: Path) -> None:
    handout = tree / "demo/aftercare.en.yaml"
    handout.write_text(handout.read_text().replace("layout: standard\n", "layout: tri-fold\n"))
    brand = tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text() + "layout: big\n")
    result = run("check", "--content", tree)
    assert result.code == 1
    names = "card, large-print, standard, trifold, two-column"
    assert f"{tree}/demo/aftercare.en.yaml:9: layout: 'tri-fold' is not allowed (one of: {names}; did you mean 'trifold'?)" in result.err
    assert f"{tree}/brands/plain/brand.yaml:15: layout: 'big' is not allowed (one of: {names})" in result.err


def test_a_footer_too_long_for_its_line_wraps_whole_with_the_phone_number(tree: Path) -> None:
    def first_page(layout: str) -> str:
        return " ".join(PdfReader(io.BytesIO(pdf_for(tree, "plain", layout))).pages[0].extract_text().split()).replace("\u00a0", " ")

    assert "Plain Clinic · Test brand · Phone (555) 010-0000" in first_page("large-print")
    brand = tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text().replace("footer: Plain Clinic · Test brand",
                                               "footer: Plain Clinic · Skin care for the whole family in three locations"))
    text = first_page("large-print")
    assert "Plain Clinic · Skin care for the whole family in" in text and "locations · Phone (555) 010-0000" in text
    assert "…" not in text


def body_size_of(data: bytes, needle: str) -> float:
    """The font size the first text run starting with needle is set in."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.startswith(needle):
            sizes.append(size * tm[3] * cm[3])

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return sizes[0]


@pytest.mark.parametrize("items, pages, size", [(20, 1, 8.5), (21, 2, 11.0)])
def test_two_column_goes_smaller_only_to_get_onto_one_page_and_larger_to_fill_two(tree: Path, items: int, pages: int, size: float) -> None:
    long_handout(tree, items)
    data = pdf_for(tree, "plain", "two-column")
    assert len(PdfReader(io.BytesIO(data)).pages) == pages
    assert body_size_of(data, "Item 01") == pytest.approx(size)


def test_every_frame_of_every_layout_has_no_padding_of_its_own() -> None:
    catalogue = load_catalogue(FIXTURES / "tree")
    for name, cls in LAYOUTS.items():
        doc = cls(io.BytesIO(), make_sheet(catalogue, Job("teal", "demo", "aftercare", "es", name)))
        for template in doc.pageTemplates:
            for frame in template.frames:
                assert (frame._leftPadding, frame._rightPadding, frame._topPadding, frame._bottomPadding) == (0, 0, 0, 0), name
                assert frame._width == pytest.approx(doc.content_width) or name == "two-column" and frame.id == "head"
