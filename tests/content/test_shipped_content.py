"""The shipped microneedling content: it checks clean, reads at grade 8 or below, and every fact reaches the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from handouts.layouts import LAYOUTS
from handouts.registry import names

from conftest import CONTENT, page_texts, pdf_text, qpdf_check

KINDS = ("overview", "pre-treatment", "aftercare")
LAYOUT_NAMES = names()  # every layout plugged in (conftest plugs in the shipped ones)

# The facts each handout must print with the default settings (brand `default`), in the order they appear.
FACTS_EN = {
    "overview": ["tiny needles", "top layer of skin", "collagen", "elastin", "proteins that keep skin firm and smooth",
                 "FDA", "adults aged 22 and older", "Acne scars on the face", "Wrinkles on the face", "Scars on the stomach",
                 "Our clinic also offers it", "large pores", "stretch marks", "stomach or thighs", "neck and chest",
                 "The FDA has not reviewed these uses", "Risks and side effects", "go away within a week", "An infection",
                 "Dark patches", "more likely in darker skin", "Bruising", "A cold sore", "scars", "metal in the needles",
                 "most skin types and tones", "mild sunburn", "every 4 to 6 weeks", "3 to 6 sessions"],
    "pre-treatment": ["isotretinoin", "last 6 months", "pregnant or breastfeeding", "skin infection, a cold sore or open cuts",
                      "acne that is active", "skin cancer in the area", "a mole there that has changed",
                      "chemical peel, laser treatment or filler", "last 4 weeks", "bleeding problem", "Heal slowly",
                      "diabetes that is not under control", "keloids", "eczema", "rosacea", "allergic to metal",
                      "aspirin", "ibuprofen", "fish oil", "never stop it on your own",
                      "retinoids", "acids (AHA or BHA)", "benzoyl peroxide", "scrubs",
                      "Stay out of the sun", "tanning beds", "sunburn", "cold sores", "antiviral",
                      "Do not put on makeup", "loose, soft clothes", "Patient signature"],
    "aftercare": ["red and warm", "Do not wear makeup for 24 hours", "gets worse instead of better",
                  "Day 0", "Day 0 is your treatment day", "like a mild sunburn", "Days 1–3", "tight and dry", "flake",
                  "Week 1", "smoother and brighter", "gentle cleanser and lukewarm water", "plain moisturizer",
                  "If we treated your body", "loose, soft clothes", "mineral sunscreen", "SPF 30 or higher",
                  "shade as much as you can for 7 days",
                  "When can I", "Wait", "From", "Wear makeup", "24 hours", "Day 1", "Exercise hard, swim, or use a sauna or hot tub",
                  "48 hours", "Day 2", "benzoyl peroxide", "5 days", "Day 5", "prescription retinoid", "7 days", "Day 7",
                  "Hours count from the end of your treatment",
                  "Let flaking skin come off on its own", "Do not pick, scratch or scrub the treated skin",
                  "Avoid other skin products until the day shown",
                  "Call 911 now", "trouble breathing", "Call us right away", "gets worse instead of better",
                  "Pus, yellow crusts, blisters, or a cold sore", "A fever of 100.4°F (38°C) or higher", "Bleeding that will not stop",
                  "bruising", "Dark patches", "(555) 010-0100", "(555) 010-0199", "Your next appointment"],
}
FACTS_ES = {
    "overview": ["agujas muy pequeñas", "capa de arriba de la piel", "colágeno", "elastina", "FDA", "22 años o más",
                 "Cicatrices de acné en la cara", "Arrugas en la cara", "Cicatrices en el abdomen", "Nuestra clínica también lo ofrece",
                 "poros grandes", "estrías", "La FDA no ha revisado estos usos", "Riesgos y efectos secundarios", "Manchas oscuras",
                 "piel oscura", "herpes labial", "cada 4 a 6 semanas", "de 3 a 6 sesiones", "quemadura de sol leve"],
    "pre-treatment": ["isotretinoína", "Accutane", "últimos 6 meses", "embarazada", "amamantando", "cáncer de piel", "lunar",
                      "exfoliación química", "últimas 4 semanas", "diabetes", "queloides", "comezón", "níquel", "anticoagulante",
                      "aspirina", "ibuprofeno", "aceite de pescado", "nunca lo deje", "retinoides", "peróxido de benzoilo",
                      "No tome el sol", "antiviral", "Firma del paciente"],
    "aftercare": ["No use maquillaje durante 24 horas", "Día 0", "El día 0 es el día de su tratamiento", "Días 1–3", "Semana 1",
                  "FPS 30 o más", "durante 7 días", "¿Cuándo puedo", "Espere", "Desde", "24 horas", "Día 1", "48 horas", "Día 2",
                  "5 días", "Día 5", "7 días", "Día 7", "No se rasque", "Evite otros productos", "Llame al 911 ahora", "le cuesta respirar",
                  "Llámenos de inmediato", "Fiebre de 100.4°F (38°C) o más", "Manchas oscuras", "Su próxima cita"],
}
# Words a clinical editor took out of the Spanish sheets: informal 'tú', European Spanish, a dropped 'tends to'.
NOT_ES = ["Roaccutan", "picor", "da el pecho", "formado", "Usa zinc", "Vuelve cada", "Tiene queloides"]
# Words the layout adds in English; none may appear on a Spanish sheet.
LAYOUT_ENGLISH = ["Page ", " of ", "Version", "Reviewed", "Phone", "After hours", "Email", "Website", "Address", "Patient",
                  "Treatment date", "Provider", "Date", "Time", "With", "Scan with", "Don't", "Day ", "Days ", "Aftercare",
                  "Before your", "About your", "Patient information", "This sheet", "When can I", "Wait", "From", "Hours count", "Draft"]


# The worst-case personalised sheets (the longest realistic names) whose last page has no room for a 17 mm code: check
# names each, and the sheet prints the web copy's address alone.
ADDRESS_ONLY = {
    "standard": ["content/microneedling/aftercare.es.yaml lumen (es, personalised, on Letter)",
                 "content/microneedling/aftercare.vi.yaml lumen (vi, personalised, on Letter)"],
    "two-column": ["content/microneedling/pre-treatment.ko.yaml lumen (ko, personalised)",
                   "content/microneedling/pre-treatment.zh-Hans.yaml lumen (zh-Hans, personalised)"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped English and Spanish handout for every brand, built once (check's proof renders every language, and
    the translations are read back in tests/languages)."""
    from handouts.cli import main

    out = tmp_path_factory.mktemp("content") / "build"
    assert main(["build", "--content", str(CONTENT), "--out", str(out), "--jobs", "1", "--lang", "en", "--lang", "es"]) == 0
    return out


def test_the_check_below_proves_every_layout() -> None:
    assert LAYOUT_NAMES == sorted(LAYOUTS) and len(LAYOUT_NAMES) >= 5


# The proof of the whole shipped catalogue, every brand, handout, language and layout, in one test per layout (so that
# the test processes share it out): each proves its layout's share, and every PDF of the proof passes PDF/UA-1 too.
@pytest.mark.timeout(600)
@pytest.mark.shared_proof_cache  # the shipped files as they are, the engine unchanged: proven once in the run
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_check_is_clean_and_grades_are_plain(run, layout: str) -> None:
    result = run("check", "--content", CONTENT, "--jobs", "1", "--pdfua", "--layout", layout)
    assert result.code == 0, result.err
    assert "0 errors" in result.out
    # The only warnings allowed: a handout no clinician has approved yet, and a translation no clinician has reviewed
    # yet (their sheets say so).
    others = [line for line in result.err.splitlines() if "not approved, and the sheet says so" not in line
              and "warning: translation not yet reviewed by a clinician" not in line and ": notice: " not in line]
    assert others == [], result.err  # so nothing from the proof of every brand × handout × language × layout either
    # The only notices: the worst-case sheets known to have no room for the web copy's code, which print its address.
    notices = sorted(line.split(": notice: ")[0] + " " + line.split(" for ")[1].split(")")[0] + ")"
                     for line in result.err.splitlines() if ": notice: " in line)
    assert all("an address-only sheet" in line for line in result.err.splitlines() if ": notice: " in line), result.err
    assert notices == ADDRESS_ONLY.get(layout, []), result.err
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
    assert len(manifest) == 2 * 3 * 2  # two brands, three handouts, English and Spanish
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
    for word in NOT_ES:
        assert word not in text, f"{kind}: {word!r} is back"


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
            assert re.search(r"Versión 4 · (?:Revisado \d{4}-\d{2}-\d{2}|Borrador, sin aprobar)", text), text
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
        in_sources = False
        for line in path.read_text().splitlines():
            in_sources = line.startswith("sources:") or (in_sources and line.startswith("  - "))
            if in_sources or re.match(r"\s*(?:-\s*)?(?:\{?days|version|reviewed|max_pages|id|translation|#)", line) or "days: \"" in line:
                continue
            # Outside front matter and day offsets, a number in the text is a clinic value and must be a placeholder.
            # Day 0, the treatment day, is a name for a day, not a value (in every language).
            stripped = re.sub(r"\{settings\.[a-z_]+\}|\{brand\.[a-z_]+\}|\$schema=\S+|width: \"\d+%\"|\b(?:[Dd]ay|[Dd]ía|Ngày) 0\b|第0天|0일차|اليوم 0",
                              "", line)
            assert not re.search(r"\d", stripped), f"{path.name}: a literal number in {line.strip()!r}"


def test_every_file_has_document_control_and_honest_sources() -> None:
    for path in sorted((CONTENT / "microneedling").glob("*.*.yaml")):
        text = path.read_text()
        for key in ("version:", "sources:"):
            assert re.search(rf"^{key}", text, re.M), f"{path.name} has no {key}"
        # The review date is not typed by hand: it comes from the approval record.
        assert not re.search(r"^reviewed", text, re.M), path.name
        assert ("source article" in text.lower() or "artículo fuente" in text.lower()), path.name
        # Every number printed here is the clinic's own rule or cited in settings.yaml: the sources say so.
        assert "clinic protocol" in text.lower() or "protocolo de la clínica" in text.lower(), path.name
    settings = yaml.safe_load((CONTENT / "microneedling/settings.yaml").read_text())
    assert [name for name, spec in settings.items() if not str(spec.get("source", "")).strip()] == []
