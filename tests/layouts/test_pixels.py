"""The first page of each layout, rendered small and compared with a stored picture, to catch visual regressions.

Run with HANDOUTS_REGENERATE=1 to store new pictures after an intended change (then look at them before committing).
On a failure the actual, expected and difference pictures are written to a temporary folder named in the message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from handouts.jobs import Job
from handouts.pdf import make_sheet, render_pdf
from handouts.content import load_catalogue
from handouts.preview import pages_to_png

from conftest import FIXTURES

GOLDENS = Path(__file__).resolve().parent / "goldens"
DPI = 30
CHANGED_LEVEL = 48  # a pixel counts as changed when a channel moves by more than this (anti-aliasing moves less)
MAX_CHANGED = 0.004  # share of changed pixels allowed
MAX_MEAN = 1.5  # mean difference per channel allowed, out of 255

CASES = {
    "standard": ("plain", "en", "standard", False),
    "large-print": ("plain", "en", "large-print", False),
    "two-column": ("teal", "en", "two-column", False),
    "card": ("teal", "es", "card", False),
    "trifold": ("plain", "en", "trifold", False),
    "standard-grayscale": ("teal", "en", "standard", True),
}


def first_page(brand: str, lang: str, layout: str, grayscale: bool) -> Image.Image:
    """The first page of the fixture demo, rendered with the bundled fonts embedded in the PDF."""
    catalogue = load_catalogue(FIXTURES / "tree")
    sheet = make_sheet(catalogue, Job(brand, "demo", "aftercare", lang, layout), grayscale=grayscale)
    return pages_to_png(render_pdf(sheet, layout).data, DPI, False)[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_first_page_looks_as_stored(name: str, tmp_path: Path) -> None:
    actual = first_page(*CASES[name])
    golden = GOLDENS / f"{name}.png"
    if os.environ.get("HANDOUTS_REGENERATE") == "1":
        GOLDENS.mkdir(exist_ok=True)
        actual.save(golden, optimize=True)
        return
    assert golden.exists(), f"no stored picture {golden}; run with HANDOUTS_REGENERATE=1 to create it"
    with Image.open(golden) as stored:
        expected = stored.convert("RGB")
    assert actual.size == expected.size, f"size {actual.size} differs from the stored {expected.size}"
    diff = ImageChops.difference(actual, expected)
    red, green, blue = diff.split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue).histogram()
    changed = sum(largest[CHANGED_LEVEL + 1:]) / sum(largest)
    mean = sum(ImageStat.Stat(diff).mean) / 3
    if changed > MAX_CHANGED or mean > MAX_MEAN:
        actual.save(tmp_path / f"{name}-actual.png")
        expected.save(tmp_path / f"{name}-expected.png")
        diff.point(lambda v: min(255, v * 4)).save(tmp_path / f"{name}-diff.png")
        pytest.fail(f"{name}: {changed:.2%} of pixels changed, mean difference {mean:.2f}; pictures in {tmp_path}")
