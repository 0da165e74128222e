"""Declared options: what a brand kit, a handout's front matter, a snippet and a settings file may say, read with
exact messages at their lines, merged along `extends`, and described by the JSON Schemas from the same declarations."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts import options as o
from handouts.brand import OPTIONS, Brand
from handouts.content import HANDOUT, load_catalogue
from handouts.json_schemas import schemas

BRAND = "content/brands/teal/brand.yaml"
PLAIN = "content/brands/plain/brand.yaml"
HANDOUT_FILE = "content/demo/aftercare.en.yaml"
SNIPPET = "content/snippets/call.en.yaml"
SETTINGS = "content/demo/settings.yaml"


@pytest.fixture
def content(tree: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture tree, seen from its parent so that paths print as content/..."""
    monkeypatch.chdir(tree.parent)
    return Path("content")


def edit(rel: str, old: str, new: str) -> None:
    """Replace the first `old` in a file below the current folder."""
    path = Path(rel)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(content: Path) -> list[str]:
    """Every error the content tree gives, as printed."""
    return [str(p) for p in load_catalogue(content).problems if p.severity == "error"]


CASES = [
    ("brand-setting-not-a-mapping", BRAND, 'settings: {wait_hours: "48"}', "settings: [48]",
     f"{BRAND}:7: settings: expected a mapping, got a list "
     "(clinic values that replace the treatment defaults, e.g. {makeup_wait_hours: \"48\"})"),
    ("contact-value-with-a-placeholder", PLAIN, 'phone: "(555) 010-0000"', 'phone: "{brand.name}"',
     f"{PLAIN}:5: contact.phone: a brand value cannot hold a placeholder (plain text)"),
    ("footer-in-an-unknown-language", PLAIN, "footer: Plain Clinic · Test brand", "footer: {en: Plain, xx: Plain}",
     f"{PLAIN}:11: footer.xx: language 'xx' is not supported (one of: ar, en, es, fr, ht, ko, pt, ru, tl, vi, zh-Hans, zh-Hant)"),
    ("footer-empty-mapping", PLAIN, "footer: Plain Clinic · Test brand", "footer: {}",
     f"{PLAIN}:11: footer: is an empty mapping (one text, or one per language: {{en: ..., es: ...}})"),
    ("colour-inherited-but-missing", PLAIN, ', text: "#1B1B1B"}', "}",
     f"{PLAIN}:3: missing required key 'colors.text' (set it here or in the brand this one extends)"),
    ("a-required-key-in-no-kit", PLAIN, "page_size: letter\n", "",
     f"{PLAIN}:1: missing required key 'page_size' (set it here or in the brand this one extends)"),
    ("booking-link-not-https", PLAIN, "https://example.org/book", "mailto:book@example.org",
     f"{PLAIN}:10: booking_url: link 'mailto:book@example.org' is not https (an https:// link)"),
    ("max-pages-superscript-digit", HANDOUT_FILE, 'max_pages: "4"', "max_pages: ²",
     f"{HANDOUT_FILE}:10: max_pages: '²' is not a whole number from 1 to 20 (a number such as \"1\")"),
    ("max-pages-5000-digits", HANDOUT_FILE, 'max_pages: "4"', f"max_pages: {'9' * 5000}",
     f"{HANDOUT_FILE}:10: max_pages: '{'9' * 39}…' is not a whole number from 1 to 20 (a number such as \"1\")"),
    ("reviewed-not-a-date", HANDOUT_FILE, 'reviewed: "2026-11-01"', "reviewed: 2026-02-30",
     f"{HANDOUT_FILE}:7: reviewed: '2026-02-30' is not a date (a date as YYYY-MM-DD, e.g. \"2026-11-01\")"),
    ("kind-other-than-the-file-name", HANDOUT_FILE, "kind: aftercare", "kind: overview",
     f"{HANDOUT_FILE}:3: kind: 'overview' does not match the file name 'aftercare.en.yaml' ('aftercare', or rename the file)"),
    ("snippet-language-other-than-the-file-name", SNIPPET, "language: en", "language: es",
     f"{SNIPPET}:1: language: 'es' does not match the file name 'call.en.yaml' ('en', or rename the file)"),
    ("setting-name-not-usable", SETTINGS, "stop_days:", "Stop-Days:",
     f"{SETTINGS}:2: Stop-Days: setting name is not usable (lower-case letters, digits and '_')"),
    ("setting-without-a-description", SETTINGS, ", description: Hours before makeup", "",
     f"{SETTINGS}:1: wait_hours: missing required key 'description' (what the value means)"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_wrong_option_is_reported_at_its_line(content: Path, case: tuple[str, str, str, str, str]) -> None:
    _, rel, old, new, line = case
    edit(rel, old, new)
    assert line in errors(content)


def test_a_font_group_needs_a_regular_face_at_the_group_line(content: Path) -> None:
    from handouts.fonts import BUNDLED

    Path(BRAND).with_name("bold.ttf").write_bytes(BUNDLED["bold"].read_bytes())
    edit(BRAND, "page_size: a4", "page_size: a4\nfonts: {bold: bold.ttf}")
    assert errors(content) == [f"{BRAND}:6: missing required key 'fonts.regular' (set it here or in the brand this one extends)"]


def test_every_problem_of_a_kit_is_reported_at_once(content: Path) -> None:
    edit(PLAIN, "page_size: letter", "page_size: leter")
    edit(PLAIN, "languages: [en]", "languages: [en, xx]")
    edit(PLAIN, '"#2F5578"', '"#2F557G"')
    assert errors(content) == [
        f"{PLAIN}:3: colors.primary: '#2F557G' is not a colour (a colour such as \"#1F4E5A\")",
        f"{PLAIN}:13: page_size: 'leter' is not allowed (one of: a4, letter; did you mean 'letter'?)",
        f"{PLAIN}:14: languages: language 'xx' is not supported (one of: ar, en, es, fr, ht, ko, pt, ru, tl, vi, zh-Hans, zh-Hant)",
        f"{BRAND}:2: extends brand 'plain', which has errors (fix {PLAIN} first)",
    ]


def test_a_snippet_may_leave_its_language_to_the_file_name(content: Path) -> None:
    edit(SNIPPET, "language: en\n", "")
    assert errors(content) == []
    assert "language" not in schemas()["snippet.schema.json"].get("required", [])


def test_a_kit_that_extends_another_inherits_groups_key_by_key_and_texts_language_by_language(content: Path) -> None:
    edit(BRAND, "languages: [en, es]", "languages: [en, es]\ncontact: {email: teal@example.org}\nfooter: {es: Teal · Estudio}")
    edit(PLAIN, "footer: Plain Clinic · Test brand", "footer: {en: Plain Clinic · Test brand}")
    catalogue = load_catalogue(content)
    assert [str(p) for p in catalogue.problems if p.severity == "error"] == []
    teal = catalogue.brands["teal"]
    assert teal.contact["email"] == "teal@example.org" and teal.contact["phone"] == "(555) 010-0000"
    assert teal.colors == {"primary": "#1F4E5A", "accent": "#E8F1F2", "text": "#1B1B1B"}
    assert (teal.footer, teal.localised("es").footer) == ("Plain Clinic · Test brand", "Teal · Estudio")
    assert teal.date_format == "dmy" and catalogue.brands["plain"].date_format == "mdy"  # a4 and letter defaults
    assert [p.name for p in teal.files] == ["brand.yaml", "brand.yaml", "logo.svg"]  # the logo it prints, not the one it overrides


def test_every_brand_key_is_one_declaration_read_by_check_and_described_by_the_schema() -> None:
    brand_schema = schemas()["brand.schema.json"]
    assert list(brand_schema["properties"]) == list(OPTIONS)
    for key, declared in OPTIONS.items():
        assert brand_schema["properties"][key]["description"] == declared.doc
    assert brand_schema["then"]["required"] == ["name", "colors", "contact", "footer", "page_size", "languages"]
    assert brand_schema["then"]["properties"]["colors"]["required"] == ["primary", "accent", "text"]
    assert {f.name for f in Brand.__dataclass_fields__.values() if "handouts.option" in f.metadata} == {
        "name", "extends", "logo", "colors", "font_files", "contact", "booking_url", "footers", "disclaimers", "page_size",
        "languages", "language_help", "settings", "layout", "date_format", "web_base_url", "unreviewed_translations"}
    assert list(schemas()["handout.schema.json"]["properties"]) == list(HANDOUT)


def test_a_new_option_is_read_merged_and_described_from_its_declaration_alone(tmp_path: Path) -> None:
    from dataclasses import dataclass

    from handouts.errors import Problems
    from handouts.yamlcheck import Checker
    from handouts.yamlsafe import load_text

    @dataclass(kw_only=True)
    class Kit:
        pages: int | None = o.option(o.WholeNumber("pages per sheet", 1, 4))
        tint: dict[str, str] = o.option(o.Group("tints", {"light": o.Text("a light tint", required=True)}), key="tints")

    options = o.options_of(Kit)
    problems = Problems("kit.yaml")
    reading = o.Reading(Checker(problems), tmp_path, tmp_path, "kit.yaml")
    parent = o.read_options(load_text("pages: 2\ntints: {light: pale}\n"), options, reading)
    child = o.read_options(load_text("pages: 9\n"), options, reading)
    assert [str(p) for p in problems.items] == ["kit.yaml:1: pages: '9' is not a whole number from 1 to 4 (a number such as \"1\")"]
    assert parent is not None and child == {}
    assert Kit(**o.fields_of(Kit, o.merge(options, parent, child))) == Kit(pages=2, tint={"light": "pale"})
    assert o.object_schema(options, required=True)["properties"]["tints"]["required"] == ["light"]
