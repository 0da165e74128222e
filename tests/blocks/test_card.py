"""A handout's `card` section: the short version the card layout prints in place of its blocks, checked like its blocks."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

from handouts.jobs import Job
from handouts import drawn
from handouts.pdf import draw_pdf, make_sheet, render_pdf
from handouts.proof import worst_patient
from handouts.content import load_catalogue
from handouts.fingerprint import fingerprint
from handouts.json_schemas import schemas
from handouts.yamlsafe import load_text
from handouts.layouts import LAYOUTS

from conftest import CONTENT, boxed_text, pdf_for

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once in the run

CARD = """\
card:
  - callout: {tone: info, title: Uniform key points, items: ["Victor wait {settings.wait_hours} hours."]}
  - include: snippets/call
  - contact: {title: Whiskey contact}
  - appointment: {title: Xray appointment}
"""
CARD_TEXT = ["Uniform key points", "Victor wait", "Call us right away if", "Whiskey contact", "Xray appointment"]
MAIN_ONLY = ["Alpha paragraph", "Bravo heading", "Charlie bullet", "Delta step", "Echo tick item", "Foxtrot info", "Golf tip",
             "Hotel warning", "India day zero", "Lima do", "Mike dont", "November question", "Papa contact", "Quebec statement",
             "Romeo appointment", "Sierra caption", "Tango booking"]
HANDOUT = "demo/aftercare.en.yaml"
CARD_ONLY = ("--layout", "card")  # the checks here are of the card: its proof, and the lints every check runs


def add_card(tree: Path, card: str = CARD) -> Path:
    """Give the English demo handout a card section (after its blocks); return the handout's path."""
    path = tree / HANDOUT
    path.write_text(path.read_text(encoding="utf-8") + card, encoding="utf-8")
    return path


def text_of(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("brand, page_size", [("plain", "letter"), ("teal", "a4")])
def test_the_card_prints_the_card_section_on_both_halves_and_nothing_of_the_blocks(tree: Path, brand: str, page_size: str) -> None:
    add_card(tree)
    data = pdf_for(tree, brand, "card", "en", page_size)
    reader = PdfReader(io.BytesIO(data))
    width = float(reader.pages[0].mediabox[2])
    halves = [boxed_text(data, number, [(0, width / 2), (width / 2, width)]) for number in range(len(reader.pages))]
    for left, right in halves:
        assert re.sub(r"\s", "", left) == re.sub(r"\s", "", right)
    card = " ".join(left for left, _ in halves)
    wait = "48" if brand == "teal" else "24"
    assert all(text in card for text in CARD_TEXT) and f"Victor wait {wait} hours." in card, card
    assert "Every block demo" in card, "the title opens the card"
    assert not [text for text in MAIN_ONLY if text in card], card


def test_the_other_layouts_print_the_blocks_and_nothing_of_the_card(tree: Path) -> None:
    add_card(tree)
    for layout in sorted(set(LAYOUTS) - {"card"}):
        text = text_of(pdf_for(tree, "plain", layout))
        assert "Alpha paragraph" in text and "Papa contact" in text, layout
        assert not [t for t in ("Uniform key points", "Victor wait", "Whiskey contact", "Xray appointment") if t in text], layout


def test_without_a_card_section_the_card_prints_every_block(tree: Path) -> None:
    text = text_of(pdf_for(tree, "teal", "card", "es"))
    assert "Deje el retinol" in text and "Su próxima cita" in text


def test_mistakes_in_the_card_section_are_reported_with_their_lines_together_with_the_rest(run, tree: Path) -> None:
    path = add_card(tree, (
        "card:\n"
        "  - calout: {tone: info, title: Uniform}\n"
        "  - callout: {tone: info, titel: Uniform, items: [\"Wait {settings.wait_hourz} hours.\"]}\n"
        "  - include: snippets/cal\n"
        "  - timeline:\n"
        "      - {days: soon, text: Victor.}\n"))
    path.write_text(path.read_text(encoding="utf-8").replace("  - heading: Bravo heading", "  - headin: Bravo heading"), encoding="utf-8")
    first = path.read_text(encoding="utf-8").splitlines().index("card:") + 2
    result = run("check", "--content", tree, *CARD_ONLY)
    assert result.code == 1 and "Traceback" not in result.err
    types = ("acknowledgement, appointment, bullets, callout, checklist, contact, do_dont, faq, heading, image, include, "
             "language_help, paragraph, qr, steps, timeline, when_can_i")
    expected = [
        f"{path}:13: blocks[1]: unknown block type 'headin' (one of: {types}; did you mean 'heading'?)",
        f"{path}:{first}: card[0]: unknown block type 'calout' (one of: {types}; did you mean 'callout'?)",
        f"{path}:{first + 1}: card[1].callout.items[0]: unknown placeholder '{{settings.wait_hourz}}' "
        "(one of: settings.stop_days, settings.wait_hours; did you mean 'settings.wait_hours'?)",
        f"{path}:{first + 1}: card[1].callout: unknown key 'titel' (one of: items, text, title, tone; did you mean 'title'?)",
        f"{path}:{first + 2}: snippet 'snippets/cal' does not exist in language 'en' (a file snippets/cal.en.yaml; did you mean 'call'?)",
        f"{path}:{first + 4}: card[3].timeline[0].days: 'soon' is not a day or a range of days "
        "(a number such as \"3\" or a range such as \"1-2\")",
    ]
    lines = result.err.splitlines()
    assert [line for line in expected if line not in lines] == [], result.err


def test_a_card_section_that_is_not_a_list_of_blocks_is_reported(run, tree: Path) -> None:
    path = add_card(tree, "card: Uniform\n")
    result = run("check", "--content", tree, *CARD_ONLY)
    assert result.code == 1
    line = path.read_text(encoding="utf-8").splitlines().index("card: Uniform") + 1
    assert f"{path}:{line}: card: expected a list, got 'Uniform' (a list of blocks, each like '- paragraph: text')" in result.err, result.err


def test_a_character_the_font_lacks_in_the_card_stops_the_card_only_and_check_finds_it(run, tree: Path, tmp_path: Path) -> None:
    path = add_card(tree, "card:\n  - paragraph: Uniform ก sign.\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    message = (f"{path}:{line}: card[0].paragraph: character 'ก' (U+0E01, Thai) is not in the bundled Noto Sans or the bundled script fonts "
               "(text the brand's font can print, or a brand font that has this character)")
    out = tmp_path / "out"
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "plain", "--layout", "standard", "--layout", "card")
    assert result.code == 1 and message in result.err.splitlines(), result.err
    assert sorted(p.name for p in out.rglob("*.pdf")) == ["demo-aftercare.en.standard.pdf"]
    check = run("check", "--content", tree, *CARD_ONLY)
    assert check.code == 1 and message in check.err.splitlines(), check.err


def test_check_renders_the_card_of_a_handout_that_has_one(run, tree: Path) -> None:
    path = add_card(tree, "card:\n" + "".join(f"  - paragraph: Item {n:02d} {' '.join(['word'] * 30)}.\n" for n in range(60)))
    result = run("check", "--content", tree, *CARD_ONLY)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": needs " in line]
    assert [re.sub(r"needs \d+", "needs N", line) for line in errors] == [
        f"{path}: needs N pages in card for {brand} (en, blank), limit 2: the content is too long for it "
        "(content that fits the layout's page budget, or another layout)" for brand in ("plain", "teal")], result.err


def test_day_settings_in_the_card_are_checked_with_each_brand(run, tree: Path) -> None:
    path = add_card(tree, "card:\n  - heading: Uniform\n  - timeline:\n      - {days: \"{settings.wait_hours}\", text: Victor.}\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    brand = tree / "brands/teal/brand.yaml"
    assert run("check", "--content", tree, *CARD_ONLY).code == 0  # 24 (plain) and 48 (teal) are numbers of days
    brand.write_text(brand.read_text().replace('settings: {wait_hours: "48"}', 'settings: {wait_hours: "two"}'))
    result = run("check", "--content", tree, *CARD_ONLY)
    assert result.code == 1
    assert (f"{brand}:7: settings.wait_hours: 'two' is not a number of days, and '{{settings.wait_hours}}' in {path}:{line} "
            "uses it as one (a whole number of days, e.g. \"5\")") in result.err, result.err


def test_plain_language_lints_read_the_card_on_its_own(run, tree: Path) -> None:
    path = add_card(tree, "card:\n  - paragraph: Stop isotretinoin first.\n  - paragraph: The patient rests.\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - paragraph: Alpha paragraph", "  - paragraph: \"Avoid isotretinoin: a strong acne pill.\"\n"
                                                                  "  - paragraph: Alpha paragraph"), encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines()) - 1
    result = run("check", "--content", tree, *CARD_ONLY)
    assert result.code == 0, result.err
    err = result.err
    assert (f"{path}:{line}: warning: the card opens with a paragraph, not a short list of key points "
            "(a first block such as a 'Key points' callout with 3 to 5 items; PEMAT-P)") in err
    assert (f"{path}:{line}: warning: card[0].paragraph: the medical word 'isotretinoin' is never explained "
            "(plain words after it where it first appears, in brackets or after a dash; PEMAT-P)") in err, "the card explains its own words"
    assert (f"{path}:{line + 1}: warning: card[1].paragraph: 'The patient' speaks about the reader (speak to the reader as 'you'; PEMAT-P)") in err
    assert "blocks[0].paragraph: the medical word" not in err, "the blocks explain the word"


def test_the_fingerprint_of_a_pdf_covers_the_snippets_and_pictures_of_the_card(tree: Path) -> None:
    (tree / "snippets/card-only.en.yaml").write_text("language: en\nblocks:\n  - paragraph: Yankee snippet.\n", encoding="utf-8")
    shutil.copy(tree / "demo/images/diagram.png", tree / "demo/images/card.png")
    add_card(tree, "card:\n  - include: snippets/card-only\n  - image: {file: images/card.png, alt: A card picture}\n")
    job = Job("plain", "demo", "aftercare", "en", "card")

    def current() -> str:
        return fingerprint(load_catalogue(tree), job, "", {})

    before = current()
    assert current() == before
    snippet = tree / "snippets/card-only.en.yaml"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace("Yankee", "Zulu"), encoding="utf-8")
    edited = current()
    assert edited != before
    picture = tree / "demo/images/card.png"
    picture.write_bytes(picture.read_bytes() + b"\0")
    assert current() != edited


def test_the_json_schema_knows_the_card_section(tree: Path) -> None:
    schema = schemas()["handout.schema.json"]
    handout = load_text(add_card(tree).read_text(encoding="utf-8"))
    jsonschema.validate(handout, schema)
    handout["card"].append({"calout": {"tone": "info"}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(handout, schema)


SHIPPED_CARDS = [(brand, kind, lang, size) for brand in ("default", "lumen") for kind in ("aftercare", "pre-treatment")
                 for lang in ("en", "es") for size in ("letter", "a4")]


@pytest.mark.skipif(not (CONTENT / "brands").is_dir(), reason="no shipped content/ in this checkout")
@pytest.mark.parametrize("brand, kind, lang, page_size", SHIPPED_CARDS)
def test_the_shipped_instructions_print_as_a_card_within_two_faces(brand: str, kind: str, lang: str, page_size: str) -> None:
    catalogue = load_catalogue(CONTENT)
    handout = catalogue.treatments["microneedling"].handouts[(kind, lang)]
    assert handout.card_blocks, f"{handout.display} has a card section"
    sheet = make_sheet(catalogue, Job(brand, "microneedling", kind, lang, "card"), page_size=page_size)
    rendered = render_pdf(sheet, "card")
    assert rendered.pages <= 2
    reader = PdfReader(io.BytesIO(rendered.data))
    width = float(reader.pages[0].mediabox[2])
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        sizes[round(size * tm[3] * cm[3], 2)] += len(text.strip())

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    body = sizes.most_common(1)[0][0]
    assert body >= min(LAYOUTS["card"].body_sizes), f"body text at {body} pt, under the card's smallest size"
    halves = [boxed_text(rendered.data, n, [(0, width / 2), (width / 2, width)]) for n in range(len(reader.pages))]
    assert all(re.sub(r"\s", "", left) == re.sub(r"\s", "", right) for left, right in halves)
    card = " ".join(left for left, _ in halves)
    phone = catalogue.brands[brand].contact["phone"]
    key_points, call = {"en": ("Key points", "Call us"), "es": ("Lo más importante", "Llámenos")}[lang]
    assert key_points in card and call in card and phone in card, card
    assert "{" not in card, "every placeholder is filled"
    main_only = {"en": ["How your skin heals", "Questions people ask", "Patient signature"],
                 "es": ["Cómo se cura su piel", "Preguntas frecuentes", "Firma del paciente"]}[lang]
    assert not [text for text in main_only if text in card], card


@pytest.mark.skipif(not (CONTENT / "brands").is_dir(), reason="no shipped content/ in this checkout")
@pytest.mark.parametrize("lang", ["es", "vi", "ar"])
def test_a_provider_too_long_for_any_line_leaves_the_date_and_time_of_the_card_on_one_row(lang: str) -> None:
    catalogue = load_catalogue(CONTENT)
    job = Job("default", "microneedling", "aftercare", lang, "card")
    sheet = make_sheet(catalogue, job, worst_patient(make_sheet(catalogue, job)))
    result = draw_pdf(sheet, "card")
    labels = {unicodedata.normalize("NFKC", label) for label in (sheet.strings.date, sheet.strings.time)}
    baselines = {round(run.baseline, 1) for page in drawn.read(result.data) for run in page.runs
                 if run.x1 < page.width / 2 and unicodedata.normalize("NFKC", run.text).strip() in labels}
    assert len(baselines) == 1, f"the date's and the time's labels stand on {len(baselines)} rows: {sorted(baselines)}"
    assert result.pages <= 2
