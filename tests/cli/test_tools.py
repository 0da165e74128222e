"""Tools for marketing and editors: new-brand scaffolding and previews (the JSON Schemas: tests/yaml/test_schemas.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import pdf_text


@pytest.mark.shared_proof_cache  # it changes files only: the fixture tree's own brands are proven once in the run
def test_new_brand_builds_at_once_and_passes_check(run, tree: Path, tmp_path: Path) -> None:
    shutil.copytree(tree / "brands/plain", tree / "brands/default")
    result = run("new-brand", "northside", "--name", "Northside: Skin & Laser", "--content", tree)
    assert result.code == 0, result.err
    brand = tree / "brands/northside/brand.yaml"
    assert brand.read_text().count("\n# ") >= 8, "every field is explained"
    check = run("check", "--content", tree)
    assert check.code == 0, check.err
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--brand", "northside", "--jobs", "1").code == 0
    assert "Northside: Skin & Laser" in pdf_text(out / "northside/demo-aftercare.en.standard.pdf")
    again = run("new-brand", "northside", "--content", tree)
    assert again.code == 2 and "already exists" in again.err


def test_new_brand_rejects_a_bad_slug(run, tree: Path) -> None:
    result = run("new-brand", "North Side", "--content", tree)
    assert result.code == 2
    assert "brand name 'North Side' is not usable (expected lower-case letters, digits, '-' and '_', e.g. northside)" in result.err


def test_preview_writes_pages_and_a_contact_sheet(run, tree: Path, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "preview"
    result = run("preview", "--content", tree, "--out", out, "--brand", "teal", "--all-pages", "--dpi", "40")
    assert result.code == 0, result.err
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*-p*.png"))
    assert pages[0] == "teal/demo-aftercare.en.standard-p1.png"
    assert "teal/demo-aftercare.es.standard-p1.png" in pages
    assert not list(out.rglob("*.pdf"))
    sheet = Image.open(out / "teal/contact-sheet.png")
    assert sheet.width > 2 * 260 and sheet.height > 300
    first = Image.open(out / "teal/demo-aftercare.en.standard-p1.png").convert("RGB")
    assert first.size == (round(595 * 40 / 72), round(842 * 40 / 72))
    band = first.getpixel((first.width // 2, 5))
    assert band == (0x1F, 0x4E, 0x5A) or sum(abs(a - b) for a, b in zip(band, (0x1F, 0x4E, 0x5A))) < 12, "brand colour band on top"
