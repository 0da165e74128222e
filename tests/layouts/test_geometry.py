"""Layout geometry, computed before anything is drawn."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from handouts.jobs import Job
from handouts.pdf import make_sheet
from handouts.content import load_catalogue
from handouts.layouts import LAYOUTS
from handouts.layouts.standard import Geometry, StandardLayout

from conftest import FIXTURES


@pytest.mark.parametrize("pagesize", [LETTER, A4])
def test_standard_frames_sit_between_band_and_footer(pagesize: tuple[float, float]) -> None:
    g = Geometry.for_page(pagesize, footer_lines=3, footer_size=7.8)
    x, y, w, h = g.first_frame
    assert x == pytest.approx(18 * mm) and w == pytest.approx(pagesize[0] - 36 * mm)
    assert y == pytest.approx(g.footer + g.gap)
    assert y + h == pytest.approx(pagesize[1] - g.band - g.gap)
    lx, ly, lw, lh = g.later_frame
    assert (lx, ly, lw) == (x, y, w)
    assert lh > h, "later pages have a lighter header and so more room"
    assert g.footer > 3 * 7.8 * 1.4


def test_layout_registry_names_standard() -> None:
    assert LAYOUTS["standard"] is StandardLayout


def test_layout_geometry_follows_the_brand() -> None:
    catalogue = load_catalogue(FIXTURES / "tree")
    letter = StandardLayout(io.BytesIO(), make_sheet(catalogue, Job("plain", "demo", "aftercare", "en", "standard")))
    a4 = StandardLayout(io.BytesIO(), make_sheet(catalogue, Job("teal", "demo", "aftercare", "en", "standard")))
    assert letter.pagesize == LETTER and a4.pagesize == A4
    assert [t.id for t in letter.pageTemplates] == ["first", "later"]
    assert letter.content_width == pytest.approx(LETTER[0] - 36 * mm)
    for template in letter.pageTemplates:
        frame = template.frames[0]
        assert (frame._leftPadding, frame._rightPadding, frame._topPadding, frame._bottomPadding) == (0, 0, 0, 0)


def _word_boxes(pdf: "Path", page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """(word, x min, y min, x max, y max) of each word on a page, from poppler's pdftotext."""
    import re
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is needed (Debian package poppler-utils)")
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def test_a_long_clinic_name_never_runs_into_the_phone_number(run, tree: "Path", tmp_path: "Path") -> None:
    brand = tree / "brands/plain/brand.yaml"
    name = "The Northside Dermatology and Aesthetic Medicine Partners of Greater Springfield"
    brand.write_text(brand.read_text().replace("name: Plain Clinic", f"name: {name}"))
    assert run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "plain", "--jobs", "1").code == 0
    pdf = tmp_path / "out/plain/demo-aftercare.en.standard.pdf"
    # Page one: the name beside the phone number in the band; page two: the name beside the title in the light header.
    for page, neighbour in ((1, "(555)"), (2, "Every")):
        words = _word_boxes(pdf, page)
        first = next(w for w in words if w[0] == "Northside")
        name_words = [w for w in words if w[0] in name.split() and w[2] >= first[2] - 30 and w[4] <= first[4] + 30 and w[1] < first[1] + 400]
        assert " ".join(w[0] for w in name_words) == name, f"page {page}: the name is not printed whole: {[w[0] for w in name_words]}"
        assert not any("…" in w[0] for w in words)
        other = next(v for v in words if v[0] == neighbour)
        assert all(w[3] < other[1] - 10 or w[4] < other[2] or w[2] > other[4] for w in name_words), f"page {page}: the name runs into {neighbour}"
