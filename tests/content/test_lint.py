"""The lints of `check`: contrast, print resolution, translations, review dates, reading grade."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from handouts.lint import contrast
from handouts.readability import ease_to_grade, fernandez_huerta, flesch_kincaid

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once per process
# The lints here read the content, not what a layout drew: their checks prove the standard layout only (the logo's, every one).
STANDARD = ("--layout", "standard")


def test_wcag_contrast_ratios() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_low_contrast_brand_fails_check_with_pair_and_ratio(run, tree: Path) -> None:
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text().replace('accent: "#E8F1F2"', 'accent: "#3F6E7A"'))
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 1
    assert ("brands/teal/brand.yaml: colours: callout and contact text on its fill (colors.text #1B1B1B on #3F6E7A) has contrast 3.05:1 "
            "(at least 4.5:1 (WCAG AA); darken or lighten one of them)") in result.err


def test_low_resolution_logo(run, tree: Path) -> None:
    Image.new("RGB", (100, 100), (40, 80, 120)).save(tree / "brands/plain/logo.png")
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{tree}/brands/plain/brand.yaml: logo 'logo.png' prints at 115 dpi (100 px across 0.87 in, in trifold) "
            "(at least 300 dpi: 260 px wide or more)") in result.err.splitlines()
    Image.new("RGB", (200, 200), (40, 80, 120)).save(tree / "brands/plain/logo.png")
    result = run("check", "--content", tree)
    assert result.code == 0
    assert "brands/plain/brand.yaml: warning: logo 'logo.png' prints at 231 dpi" in result.err


def test_missing_translation_and_snippet_language(run, tree: Path) -> None:
    (tree / "snippets/extra.es.yaml").write_text("language: es\nblocks:\n  - paragraph: Hola.\n")
    plain = tree / "brands/plain/brand.yaml"
    plain.write_text(plain.read_text().replace("languages: [en]", "languages: [en, es]"))
    (tree / "demo/overview.en.yaml").write_text((tree / "demo/aftercare.en.yaml").read_text()
                                                 .replace("kind: aftercare", "kind: overview").replace("demo-aftercare", "demo-overview"))
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 0, result.err
    assert "brands/plain/brand.yaml: warning: demo/overview exists in en but not in es (demo/overview.es.yaml, or remove the language from this brand)" in result.err
    assert "snippets/extra.en.yaml: warning: snippet 'extra' has no 'en' version (the same snippet in every language (en, es))" in result.err
    assert "snippets/call.es.yaml: warning: snippet 'call' has no 'es' version" in result.err


def test_old_review_is_a_warning(run, tree: Path) -> None:
    handout = tree / "demo/aftercare.en.yaml"
    handout.write_text(handout.read_text().replace('reviewed: "2026-11-01"', 'reviewed: "2020-01-15"'))
    result = run("check", "--content", tree, *STANDARD)
    months = (dt.date.today().year - 2020) * 12 + dt.date.today().month - 1 - (dt.date.today().day < 15)
    assert f"aftercare.en.yaml:7: warning: reviewed 2020-01-15, {months} months ago (a clinical review at least every 24 months)" in result.err
    assert result.code == 0


def test_reading_grades_follow_difficulty() -> None:
    easy = "Wash your face. Pat it dry. Use the cream we gave you."
    hard = ("Microneedling stimulates collagen production through controlled microinjury, precipitating "
            "neocollagenesis and dermal remodeling over subsequent therapeutic intervals.")
    assert flesch_kincaid(easy) < 3 < 16 < flesch_kincaid(hard)
    easy_es = fernandez_huerta("Lave su cara. Séquela con cuidado.")
    hard_es = fernandez_huerta("La microagujas estimula la producción de colágeno mediante microlesiones controladas que precipitan "
                               "la remodelación dérmica.")
    assert hard_es < 40 < 80 < easy_es
    assert ease_to_grade(easy_es) <= 6.5 < 14 <= ease_to_grade(hard_es)


def test_reading_ease_maps_to_grades_on_flesch_table() -> None:
    assert [ease_to_grade(e) for e in (100, 95, 85, 80, 75, 65, 55, 40, 15, 0)] == [5, 5, 6, 6.5, 7, 8.5, 11, 14, 17, 17]


def test_dense_paragraph_fails_check_with_its_grade(run, tree: Path) -> None:
    handout = tree / "demo/aftercare.en.yaml"
    dense = ("  - paragraph: Percutaneous collagen induction therapy utilises microscopic, sterile, precisely calibrated needles "
             "to generate controlled dermal microinjuries, thereby initiating inflammatory, proliferative and remodelling "
             "cascades that ultimately culminate in neocollagenesis, neoelastogenesis and comprehensive epidermal rejuvenation")
    text = handout.read_text().replace("blocks:\n", "blocks:\n" + dense * 1 + "\n" + (dense + "\n") * 12, 1)
    handout.write_text(text)
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 1
    line = next(l for l in result.out.splitlines() if l.endswith("too hard"))
    grade = float(line.split("grade ")[1].split(" ")[0])
    assert grade > 8
    assert f"aftercare.en.yaml: reading grade {grade:.1f} (Flesch-Kincaid) is above 8 (shorter sentences and everyday words)" in result.err


def test_reading_limit_comes_from_settings(run, tree: Path) -> None:
    settings = tree / "demo/settings.yaml"
    settings.write_text(settings.read_text() + 'max_reading_grade: {default: "2", description: Highest grade}\n')
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 1
    assert "demo/aftercare.en.yaml: grade 3.7 (Flesch-Kincaid, limit 2) too hard" in result.out
    assert "demo/aftercare.en.yaml: reading grade 3.7 (Flesch-Kincaid) is above 2 (shorter sentences and everyday words)" in result.err
    settings.write_text(settings.read_text().replace('default: "2"', 'default: "easy"'))
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 1
    assert "demo/settings.yaml: max_reading_grade: 'easy' is not a reading grade (a school grade from 1 to 16, e.g. \"8\")" in result.err


def test_spanish_grade_is_fernandez_huerta_with_its_score(run, tree: Path) -> None:
    result = run("check", "--content", tree, *STANDARD)
    # The fixture's Spanish text: 82.6 on Fernández-Huerta's scale lies between 85 (grade 6) and 75 (grade 7).
    assert f"{tree}/demo/aftercare.es.yaml: grade 6.2 (Fernández-Huerta 82.6, limit 8) ok" in result.out


def write_blocks(tree: Path, blocks: str) -> Path:
    """Replace the English demo handout's blocks."""
    handout = tree / "demo/aftercare.en.yaml"
    text = handout.read_text()
    handout.write_text(text[:text.index("blocks:\n")] + "blocks:\n" + blocks)
    return handout


def test_plain_language_lints(run, tree: Path) -> None:
    write_blocks(tree, (
        "  - paragraph: The patient should stop isotretinoin before treatment.\n"
        "  - paragraph: Your skin makes **collagen**. These are proteins that keep skin firm.\n"
        "  - paragraph: Some people get keloids after a cut.\n"
        "  - paragraph: Rosacea can flare.\n"
        "  - bullets: [One more block without a heading.]\n"))
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 0, result.err
    err = result.err
    assert ("demo/aftercare.en.yaml:12: warning: the handout opens with a paragraph, not a short list of key points "
            "(a first block such as a 'Key points' callout with 3 to 5 items; PEMAT-P)") in err
    assert ("demo/aftercare.en.yaml:12: warning: 4 blocks in a row have no heading "
            "(a heading that says what the section is about at least every 3 blocks; PEMAT-P)") in err
    assert ("demo/aftercare.en.yaml:12: warning: blocks[0].paragraph: 'The patient' speaks about the reader "
            "(speak to the reader as 'you'; PEMAT-P)") in err
    for line, term in ((12, "isotretinoin"), (14, "keloid"), (15, "rosacea")):
        assert (f"demo/aftercare.en.yaml:{line}: warning: blocks[{line - 12}].paragraph: the medical word '{term}' is never explained "
                "(plain words after it where it first appears, in brackets or after a dash; PEMAT-P)") in err
    assert "'collagen'" not in err


def test_explained_terms_and_key_points_pass(run, tree: Path) -> None:
    write_blocks(tree, (
        "  - callout: {tone: info, title: Key points, items: [Stop **retinoids** (vitamin A creams) first., Wear sunscreen.]}\n"
        "  - heading: Why\n"
        "  - paragraph: \"Avoid isotretinoin: a strong acne pill.\"\n"
        "  - paragraph: Tell us about eczema or rosacea (red, itchy skin).\n"))
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 0, result.err
    assert not [line for line in result.err.splitlines() if "demo/aftercare.en.yaml" in line and "PEMAT" in line], result.err


def test_a_brand_setting_that_is_not_a_number_of_days_fails_check_and_build(run, tree: Path, tmp_path: Path) -> None:
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text().replace('settings: {wait_hours: "48"}', 'settings: {wait_hours: "48", stop_days: "five"}'))
    message = (f"{brand}:7: settings.stop_days: 'five' is not a number of days, and '{{settings.stop_days}}' in "
               f"{tree}/demo/aftercare.en.yaml:18 uses it as one (a whole number of days, e.g. \"5\")")
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 1
    assert message in result.err
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1")
    assert result.code == 1
    assert message in result.err
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.pdf")) == [
        "plain/demo-aftercare.en.standard.pdf"]


def test_a_brand_cannot_relax_the_reading_grade(run, tree: Path) -> None:
    settings = tree / "demo/settings.yaml"
    settings.write_text(settings.read_text() + 'max_reading_grade: {default: "8", description: Highest grade}\n')
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text().replace('settings: {wait_hours: "48"}', 'settings: {wait_hours: "48", max_reading_grade: "12"}'))
    result = run("check", "--content", tree, *STANDARD)
    assert result.code == 1
    assert (f"{brand}:7: settings.max_reading_grade: a brand cannot change 'max_reading_grade' "
            "(the clinical lead sets it in the treatment's settings.yaml)") in result.err
