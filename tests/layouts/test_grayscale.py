"""--grayscale: every colour in every layout becomes a grey of the same luminance, logos included."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.colors import HexColor

from handouts.layouts import LAYOUTS
from handouts.layouts.grayscale import gray_level

from conftest import add_spanish_card

# Operators that set a colour other than a grey: RGB, CMYK and colour spaces with their components.
COLOUR_OPERATORS = {b"rg", b"RG", b"k", b"K", b"sc", b"SC", b"scn", b"SCN", b"cs", b"CS"}


def colours_used(pdf: Path) -> list[str]:
    """Every colour operator and non-grey image in the page streams and the forms they draw, described."""
    reader = PdfReader(pdf)
    found: list[str] = []
    seen: set[int] = set()

    def walk(owner, contents) -> None:  # noqa: ANN001 - pypdf objects
        for operands, operator in ContentStream(contents, reader).operations:
            if operator in COLOUR_OPERATORS:
                found.append(f"{operator.decode()} {[float(v) for v in operands if isinstance(v, (int, float))]}")
        for xobject in ((owner.get("/Resources") or {}).get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if id(xobject) in seen:
                continue
            seen.add(id(xobject))
            if xobject["/Subtype"] == "/Form":
                walk(xobject, xobject)
            elif xobject.get("/ColorSpace") != "/DeviceGray":
                found.append(f"image in {xobject.get('/ColorSpace')}")

    for page in reader.pages:
        walk(page, page.get_contents())
    return found


def test_gray_level_keeps_the_luminance_and_so_the_contrast() -> None:
    assert gray_level(HexColor("#FFFFFF")) == 1 and gray_level(HexColor("#000000")) == 0
    assert gray_level((0.5, 0.5, 0.5)) == pytest.approx(0.5, abs=1e-4)

    def luminance(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    teal = HexColor("#1F4E5A")
    r, g, b = (luminance(c) for c in teal.rgb())
    assert luminance(gray_level(teal)) == pytest.approx(0.2126 * r + 0.7152 * g + 0.0722 * b, abs=1e-3)
    assert gray_level(HexColor("#E8F1F2")) > gray_level(teal), "light stays light, dark stays dark"


def test_grayscale_builds_use_only_grey_operators(run, tree: Path, tmp_path: Path) -> None:
    """Both brands (a PNG and an SVG logo), every layout; the demo has a PNG picture and every block's colours."""
    en = tree / "demo/aftercare.en.yaml"
    en.write_text(en.read_text().replace("max_pages: \"4\"\n", ""))
    layouts = [a for name in sorted(LAYOUTS) if name != "card" for a in ("--layout", name)]
    colour, grey = tmp_path / "colour", tmp_path / "grey"
    assert run("build", "--content", tree, "--out", colour, "--jobs", "1", "--layout", "trifold").code == 0
    assert any(c.startswith("rg") for c in colours_used(colour / "teal/demo-aftercare.en.trifold.pdf")), "the check sees colour"
    result = run("build", "--content", tree, "--out", grey, "--jobs", "1", "--grayscale", *layouts)
    assert result.code == 0, result.err
    add_spanish_card(tree)
    assert run("build", "--content", tree, "--out", grey, "--jobs", "1", "--grayscale", "--layout", "card", "--lang", "es").code == 0
    pdfs = sorted(grey.rglob("*.pdf"))
    assert len(pdfs) == 13
    for pdf in pdfs:
        assert colours_used(pdf) == [], pdf.name


def test_grayscale_is_part_of_the_fingerprint(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "plain").code == 0
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "plain", "--grayscale")
    assert "Built 1 PDF, 0 unchanged" in result.out
    assert colours_used(out / "plain/demo-aftercare.en.standard.pdf") == []


def test_one_handout_for_a_patient_prints_in_greys(run, tree: Path, tmp_path: Path) -> None:
    add_spanish_card(tree)
    pdf = tmp_path / "one.pdf"
    result = run("handout", "demo/aftercare", "--content", tree, "--brand", "teal", "--lang", "es", "--layout", "card",
                 "--patient", "Ana Díaz", "--grayscale", "-o", pdf)
    assert result.code == 0, result.err
    assert colours_used(pdf) == []


def test_warning_and_urgent_callouts_stay_distinct_from_info_and_tip_without_colour(tree: Path) -> None:
    """In greys, the fill of an urgent box is as light as that of a key-points box; what tells them apart is drawn: a rule
    more than twice as heavy, a warning sign before the title, and for urgent a frame. Measured as dark ink in the strip
    left of each title and along the box's foot."""
    from handouts import drawn
    from handouts.content import load_catalogue
    from handouts.jobs import Job
    from handouts.pdf import make_sheet, render_pdf
    from handouts.preview import pages_to_png

    path = tree / "demo/aftercare.en.yaml"
    text = path.read_text(encoding="utf-8")
    boxes = "".join(f"  - callout: {{tone: {tone}, title: {tone.title()} box, items: [A line of text in the box.]}}\n"
                    for tone in ("info", "tip", "warning", "urgent"))
    path.write_text(text[:text.index("blocks:")] + "blocks:\n" + boxes, encoding="utf-8")
    sheet = make_sheet(load_catalogue(tree), Job("teal", "demo", "aftercare", "en", "standard"), grayscale=True)
    data = render_pdf(sheet, "standard").data
    scale = 100 / 72
    image = pages_to_png(data, 100, False)[0].convert("L")
    page = drawn.read(data)[0]
    ink = {}
    for tone in ("info", "tip", "warning", "urgent"):
        title = next(run for run in page.runs if run.text.endswith(f"{tone.title()} box"))
        top = image.height - title.top * scale - 6
        strip = image.crop((int((title.x0 - 36) * scale), int(top), int((title.x0 - 1) * scale), int(top + 40 * scale)))
        ink[tone] = sum(strip.histogram()[:110])
    assert ink["warning"] > 2 * max(ink["info"], ink["tip"]) and ink["urgent"] > 2 * max(ink["info"], ink["tip"]), ink
    from handouts.styles import TONES

    urgent_fill, info_fill = gray_level(HexColor(TONES["urgent"][0])), gray_level(HexColor(sheet.brand.colors["accent"]))
    assert abs(urgent_fill - info_fill) < 0.05, "in greys the fills alone do not tell the boxes apart"
