"""The shipped microneedling content: it checks clean, reads at grade 8 or below, and every fact reaches the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CONTENT, page_texts, pdf_text, qpdf_check

KINDS = ("overview", "pre-treatment", "aftercare")

# The facts each handout must print with the default settings (brand `default`), in the order they appear.
FACTS_EN = {
    "overview": ["tiny needles", "top layer of skin", "collagen", "elastin", "proteins that keep skin firm and smooth",
                 "Fine lines and wrinkles", "Acne scars", "Large pores", "Stretch marks", "stomach or thighs",
                 "every 4 to 6 weeks", "3 to 6 sessions", "mild sunburn", "a day or two"],
    "pre-treatment": ["isotretinoin", "last 6 months", "pregnant or breastfeeding", "skin infection, a cold sore or open cuts",
                      "acne that is active", "bleeding problem", "keloids", "eczema", "rosacea",
                      "blood thinner", "never stop it on your own",
                      "retinoids", "acids (AHA or BHA)", "benzoyl peroxide", "face scrubs",
                      "Stay out of the sun", "tanning beds", "sunburn", "cold sores", "antiviral",
                      "do not wear makeup", "Patient signature"],
    "aftercare": ["Do not wear makeup for 24 hours", "Day 0", "like a mild sunburn", "Days 1–3", "tight and dry", "flake",
                  "Week 1", "smoother and brighter", "3 to 6 sessions, 4 to 6 weeks apart",
                  "gentle cleanser and lukewarm water", "plain moisturizer", "mineral sunscreen", "SPF 30 or higher",
                  "shade as much as you can for 7 days",
                  "Wear makeup for 24 hours", "swim for 48 hours", "Pick, scratch or scrub", "retinol for 5 days",
                  "prescription retinoid", "for 7 days",
                  "Call us right away", "worse after day 3", "Pus, or yellow crusts", "A fever", "Blisters, or a cold sore",
                  "Bad pain", "Bleeding that will not stop", "bruising", "Dark patches",
                  "(555) 010-0100", "(555) 010-0199", "Your next appointment", "Book your next session"],
}
FACTS_ES = {
    "overview": ["agujas muy pequeñas", "capa de arriba de la piel", "colágeno", "elastina", "Arrugas finas", "Cicatrices de acné",
                 "Poros grandes", "Estrías", "cada 4 a 6 semanas", "de 3 a 6 sesiones", "quemadura de sol leve"],
    "pre-treatment": ["isotretinoína", "últimos 6 meses", "embarazada", "queloides", "anticoagulante", "nunca lo deje",
                      "retinoides", "peróxido de benzoilo", "No tome el sol", "antiviral", "Firma del paciente"],
    "aftercare": ["No use maquillaje durante 24 horas", "Día 0", "Días 1–3", "Semana 1", "de 3 a 6 sesiones, cada 4 a 6 semanas",
                  "FPS 30 o más", "durante 7 días", "nadar durante 48 horas", "retinol durante 5 días",
                  "Llámenos de inmediato", "después del día 3", "Fiebre", "Manchas oscuras", "Su próxima cita"],
}
# Words the layout adds in English; none may appear on a Spanish sheet.
LAYOUT_ENGLISH = ["Page ", " of ", "Version", "Reviewed", "Phone", "After hours", "Email", "Website", "Address", "Patient",
                  "Treatment date", "Provider", "Date", "Time", "With", "Scan with", "Don't", "Day ", "Days ", "Aftercare",
                  "Before your", "About your", "Patient information", "This sheet"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped handout for every brand, built once."""
    from handouts.cli import main

    out = tmp_path_factory.mktemp("content") / "build"
    assert main(["build", "--content", str(CONTENT), "--out", str(out), "--jobs", "1"]) == 0
    return out


def test_check_is_clean_and_grades_are_plain(run) -> None:
    result = run("check", "--content", CONTENT)
    assert result.code == 0, result.err
    assert "0 errors, 0 warnings" in result.out
    grades = {}
    for line in result.out.splitlines():
        match = re.match(r"content/microneedling/(\S+)\.yaml: grade (\d+\.\d) \((Flesch-Kincaid|Fernández-Huerta [\d.]+), limit 8\) ok$",
                         line.replace(str(CONTENT), "content"))
        if match:
            grades[match[1]] = (float(match[2]), match[3])
    assert sorted(grades) == sorted(f"{kind}.{lang}" for kind in KINDS for lang in ("en", "es"))
    for name, (value, measure) in grades.items():
        assert 1 <= value <= 8, name
        if name.endswith(".es"):
            assert float(measure.split()[1]) >= 68, f"{name}: Fernández-Huerta {measure} is harder than grade 8"


def test_every_pdf_passes_qpdf_and_keeps_to_two_pages(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())["handouts"]
    assert len(manifest) == 2 * 3 * 2
    for entry in manifest:
        assert entry["pages"] <= 2, entry["path"]
        qpdf_check(built / entry["path"])


@pytest.mark.parametrize("kind", KINDS)
def test_english_facts_reach_the_page(built: Path, kind: str) -> None:
    text = pdf_text(built / f"default/microneedling-{kind}.en.standard.pdf")
    position = 0
    for fact in FACTS_EN[kind]:
        found = text.find(fact, position)
        assert found >= 0, f"{kind}: {fact!r} is missing or out of order"
        position = found


@pytest.mark.parametrize("kind", KINDS)
def test_spanish_facts_reach_the_page(built: Path, kind: str) -> None:
    text = pdf_text(built / f"default/microneedling-{kind}.es.standard.pdf")
    for fact in FACTS_ES[kind]:
        assert fact in text, f"{kind}: {fact!r} is missing"


def test_a_brand_setting_replaces_the_default_everywhere(built: Path) -> None:
    for kind in ("aftercare",):
        for lang, wait in (("en", "makeup for 48 hours"), ("es", "maquillaje durante 48 horas")):
            text = pdf_text(built / f"lumen/microneedling-{kind}.{lang}.standard.pdf")
            assert wait in text
            assert "24 hours" not in text and "24 horas" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_spanish_sheets_have_no_english_from_the_layout(built: Path, kind: str) -> None:
    for brand in ("default", "lumen"):
        pages = page_texts(built / f"{brand}/microneedling-{kind}.es.standard.pdf")
        for number, text in enumerate(pages, 1):
            assert f"Página {number} de {len(pages)}" in text
            assert "Versión 3 · Revisado 2026-11-01" in text
            for word in LAYOUT_ENGLISH:
                assert word not in text, f"{brand} {kind} page {number}: English {word!r}"


def test_every_number_a_clinic_may_change_is_a_setting() -> None:
    settings = (CONTENT / "microneedling/settings.yaml").read_text()
    names = set(re.findall(r"^([a-z_]+):$", settings, re.M))
    for path in sorted((CONTENT / "microneedling").glob("*.yaml")) + sorted((CONTENT / "snippets").glob("*.yaml")):
        if path.name == "settings.yaml":
            continue
        used = set(re.findall(r"\{settings\.([a-z_]+)\}", path.read_text()))
        assert used <= names, f"{path.name} uses unknown settings {used - names}"
        for line in path.read_text().splitlines():
            if re.match(r"\s*(?:-\s*)?(?:\{?days|version|reviewed|max_pages|id|#)", line) or "days: \"" in line:
                continue
            # Outside front matter and day offsets, a number in the text is a clinic value and must be a placeholder.
            stripped = re.sub(r"\{settings\.[a-z_]+\}|\{brand\.[a-z_]+\}|\$schema=\S+|width: \"\d+%\"", "", line)
            assert not re.search(r"\d", stripped), f"{path.name}: a literal number in {line.strip()!r}"


def test_every_file_has_document_control_and_sources() -> None:
    for path in sorted((CONTENT / "microneedling").glob("*.*.yaml")):
        text = path.read_text()
        for key in ("version:", "reviewed:", "reviewed_by:", "sources:"):
            assert re.search(rf"^{key}", text, re.M), f"{path.name} has no {key}"
        assert "fda.gov" in text and "source article" in text.lower() or "artículo fuente" in text.lower()
