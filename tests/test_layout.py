"""Layout geometry, computed before anything is drawn."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from handouts.build import Job, make_sheet
from handouts.content import load_catalogue
from layouts import LAYOUTS
from layouts.standard import Geometry, StandardLayout

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
