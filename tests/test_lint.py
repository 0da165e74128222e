"""The lints of `check`: contrast, print resolution, translations, review dates, reading grade."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from handouts.lint import contrast
from handouts.readability import crawford, flesch_kincaid


def test_wcag_contrast_ratios() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_low_contrast_brand_fails_check_with_pair_and_ratio(run, tree: Path) -> None:
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text().replace('accent: "#E8F1F2"', 'accent: "#3F6E7A"'))
    result = run("check", "--content", tree)
    assert result.code == 1
    assert ("brands/teal/brand.yaml: colours: callout and contact text on its fill (colors.text #1B1B1B on #3F6E7A) has contrast 3.05:1 "
            "(at least 4.5:1 (WCAG AA); darken or lighten one of them)") in result.err


def test_low_resolution_logo(run, tree: Path) -> None:
    Image.new("RGB", (100, 100), (40, 80, 120)).save(tree / "brands/plain/logo.png")
    result = run("check", "--content", tree)
    assert result.code == 1
    assert "brands/plain/brand.yaml: logo 'logo.png' prints at 125 dpi (100 px across 0.8 in) (at least 300 dpi: 240 px wide or more)" in result.err
    Image.new("RGB", (200, 200), (40, 80, 120)).save(tree / "brands/plain/logo.png")
    result = run("check", "--content", tree)
    assert result.code == 0
    assert "brands/plain/brand.yaml: warning: logo 'logo.png' prints at 250 dpi" in result.err


def test_missing_translation_and_snippet_language(run, tree: Path) -> None:
    (tree / "snippets/extra.es.yaml").write_text("language: es\nblocks:\n  - paragraph: Hola.\n")
    plain = tree / "brands/plain/brand.yaml"
    plain.write_text(plain.read_text().replace("languages: [en]", "languages: [en, es]"))
    (tree / "demo/overview.en.yaml").write_text((tree / "demo/aftercare.en.yaml").read_text()
                                                 .replace("kind: aftercare", "kind: overview").replace("demo-aftercare", "demo-overview"))
    result = run("check", "--content", tree)
    assert result.code == 0, result.err
    assert "brands/plain/brand.yaml: warning: demo/overview exists in en but not in es (demo/overview.es.yaml, or remove the language from this brand)" in result.err
    assert "snippets/extra.en.yaml: warning: snippet 'extra' has no 'en' version (the same snippet in every language (en, es))" in result.err
    assert "snippets/call.es.yaml: warning: snippet 'call' has no 'es' version" in result.err


def test_old_review_is_a_warning(run, tree: Path) -> None:
    handout = tree / "demo/aftercare.en.yaml"
    handout.write_text(handout.read_text().replace('reviewed: "2026-11-01"', 'reviewed: "2020-01-15"'))
    result = run("check", "--content", tree)
    months = (dt.date.today().year - 2020) * 12 + dt.date.today().month - 1 - (dt.date.today().day < 15)
    assert f"aftercare.en.yaml:7: warning: reviewed 2020-01-15, {months} months ago (a clinical review at least every 24 months)" in result.err
    assert result.code == 0


def test_reading_grades_follow_difficulty() -> None:
    easy = "Wash your face. Pat it dry. Use the cream we gave you."
    hard = ("Microneedling stimulates collagen production through controlled microinjury, precipitating "
            "neocollagenesis and dermal remodeling over subsequent therapeutic intervals.")
    assert flesch_kincaid(easy) < 3 < 16 < flesch_kincaid(hard)
    assert crawford("Lave su cara. Séquela con cuidado.") < crawford(
        "La microagujas estimula la producción de colágeno mediante microlesiones controladas que precipitan la remodelación dérmica.")


def test_dense_paragraph_fails_check_with_its_grade(run, tree: Path) -> None:
    handout = tree / "demo/aftercare.en.yaml"
    dense = ("  - paragraph: Percutaneous collagen induction therapy utilises microscopic, sterile, precisely calibrated needles "
             "to generate controlled dermal microinjuries, thereby initiating inflammatory, proliferative and remodelling "
             "cascades that ultimately culminate in neocollagenesis, neoelastogenesis and comprehensive epidermal rejuvenation")
    text = handout.read_text().replace("blocks:\n", "blocks:\n" + dense * 1 + "\n" + (dense + "\n") * 12, 1)
    handout.write_text(text)
    result = run("check", "--content", tree)
    assert result.code == 1
    line = next(l for l in result.out.splitlines() if l.endswith("too hard"))
    grade = float(line.split("grade ")[1].split(" ")[0])
    assert grade > 8
    assert f"aftercare.en.yaml: reading grade {grade:.1f} (Flesch-Kincaid) is above 8 (shorter sentences and everyday words)" in result.err
