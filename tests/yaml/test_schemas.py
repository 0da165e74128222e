"""The JSON Schemas editors use agree with `check`: shipped, generated from the same declarations, and accepting a
file exactly when `check` accepts it, in a YAML 1.2 reading (numbers) and a YAML 1.1 one (dates and yes/no too).

What no schema can know is left to `check` alone and not compared here: whether a `kind:` or `language:` agrees with
the file's name, whether a named file or snippet exists, which settings and placeholders a treatment defines, which
kit a kit extends and what that one gives.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from handouts.json_schemas import schemas
from handouts.yamlsafe import load_text

from conftest import CONTENT, FIXTURES, ROOT
from schema_support import assert_agree, kind_of, schema_verdicts

TREES = {"fixtures": FIXTURES / "tree", "content": CONTENT}


def test_shipped_schemas_are_up_to_date() -> None:
    for name, body in schemas().items():
        assert json.loads((ROOT / "schemas" / name).read_text()) == body, f"run: python generate.py schema ({name} is stale)"


def _shipped() -> list[tuple[str, str]]:
    return [(tree, path.relative_to(root).as_posix()) for tree, root in TREES.items() for path in sorted(root.rglob("*.yaml"))
            if kind_of(path.relative_to(root).as_posix())]


@pytest.mark.parametrize("tree, rel", _shipped(), ids=[f"{t}/{r}" for t, r in _shipped()])
def test_every_shipped_file_passes_check_and_its_schema_in_every_reading(tree: str, rel: str) -> None:
    assert assert_agree(TREES[tree], rel) == []


HANDOUT = "demo/aftercare.en.yaml"
PLAIN = "brands/plain/brand.yaml"
TEAL = "brands/teal/brand.yaml"
SETTINGS = "demo/settings.yaml"
SNIPPET = "snippets/call.en.yaml"
EDITS = [  # (id, file, old, new, whether check accepts it)
    ("version-as-a-number", HANDOUT, 'version: "7"', "version: 7", True),
    ("version-as-a-decimal", HANDOUT, 'version: "7"', "version: 7.1", True),
    ("max-pages-as-a-number", HANDOUT, 'max_pages: "4"', "max_pages: 2", True),
    ("max-pages-with-a-leading-zero", HANDOUT, 'max_pages: "4"', 'max_pages: "04"', True),
    ("max-pages-over-the-limit", HANDOUT, 'max_pages: "4"', "max_pages: 21", False),
    ("max-pages-in-words", HANDOUT, 'max_pages: "4"', "max_pages: two", False),
    ("reviewed-unquoted", HANDOUT, 'reviewed: "2026-11-01"', "reviewed: 2026-11-20", True),
    ("reviewed-a-day-that-does-not-exist", HANDOUT, 'reviewed: "2026-11-01"', "reviewed: 2026-02-30", False),
    ("reviewed-day-first", HANDOUT, 'reviewed: "2026-11-01"', "reviewed: 01/11/2026", False),
    ("title-a-number", HANDOUT, "title: Every block demo", "title: 2026", True),
    ("title-yes", HANDOUT, "title: Every block demo", "title: yes", True),
    ("title-empty", HANDOUT, "title: Every block demo", "title:", False),
    ("title-a-list", HANDOUT, "title: Every block demo", "title: [Every, block]", False),
    ("unknown-front-matter-key", HANDOUT, "title: Every", "titel: Every", False),
    ("unknown-layout", HANDOUT, "layout: standard", "layout: poster", False),
    ("sources-a-single-text", HANDOUT, "layout: standard", "layout: standard\nsources: One article", False),
    ("sources-a-list", HANDOUT, "layout: standard", "layout: standard\nsources: [One article, 2024]", True),
    ("timeline-day-as-a-number", HANDOUT, 'days: "1-2"', "days: 3", True),
    ("unknown-block-type", HANDOUT, "callout: {tone: tip", "calout: {tone: tip", False),
    ("unknown-callout-tone", HANDOUT, "callout: {tone: tip", "callout: {tone: loud", False),
    ("snippet-without-its-language", SNIPPET, "language: en\n", "", True),
    ("snippet-without-blocks", SNIPPET, "blocks:", "blocs:", False),
    ("setting-default-as-a-number", SETTINGS, 'default: "24"', "default: 24", True),
    ("setting-default-with-a-placeholder", SETTINGS, 'default: "24"', 'default: "{settings.stop_days}"', False),
    ("setting-without-a-description", SETTINGS, ", description: Hours before makeup", "", False),
    ("setting-name-in-capitals", SETTINGS, "stop_days:", "Stop_days:", False),
    ("setting-with-its-source", SETTINGS, "description: Hours before makeup", "description: Hours before makeup, source: clinic protocol", True),
    ("page-size-unknown", PLAIN, "page_size: letter", "page_size: a5", False),
    ("colour-not-hex", PLAIN, '"#2F5578"', '"#2F557G"', False),
    ("colour-three-digits", PLAIN, '"#2F5578"', '"#25F"', True),
    ("languages-not-a-list", PLAIN, "languages: [en]", "languages: en", False),
    ("language-unknown", PLAIN, "languages: [en]", "languages: [en, xx]", False),
    ("booking-link-not-https", PLAIN, "https://example.org/book", "mailto:book@example.org", False),
    ("footer-per-language", PLAIN, "footer: Plain Clinic · Test brand", "footer: {en: Plain Clinic · Test brand}", True),
    ("footer-empty-mapping", PLAIN, "footer: Plain Clinic · Test brand", "footer: {}", False),
    ("footer-with-a-placeholder", PLAIN, "footer: Plain Clinic · Test brand", "footer: Plain {brand.name}", False),
    ("a-kit-without-extends-lacks-a-required-key", PLAIN, "page_size: letter\n", "", False),
    ("a-kit-without-extends-lacks-a-colour", PLAIN, ', text: "#1B1B1B"}', "}", False),
    ("a-kit-that-extends-leaves-a-key-to-its-base", TEAL, "page_size: a4\n", "", True),
    ("a-kit-that-extends-names-only-its-own-keys", TEAL, "name: Teal Studio\n", "", True),
    ("brand-setting-as-a-number", TEAL, 'settings: {wait_hours: "48"}', "settings: {wait_hours: 48}", True),
    ("date-format-unknown", TEAL, "page_size: a4", "page_size: a4\ndate_format: ymd", False),
]


@pytest.mark.parametrize("case", EDITS, ids=[e[0] for e in EDITS])
def test_schema_and_check_agree_on_an_edited_file(tree: Path, case: tuple[str, str, str, str, bool]) -> None:
    _, rel, old, new, accepted = case
    path = tree / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    errors = assert_agree(tree, rel)
    assert (errors == []) is accepted, errors or "check accepts it"


def test_a_file_without_a_place_is_compared_nowhere(tmp_path: Path) -> None:
    assert [kind_of(p) for p in ("brands/x/brand.yaml", "snippets/a.en.yaml", "t/settings.yaml", "t/aftercare.en.yaml",
                                 "t/approved/aftercare.en.yaml", "brands/x/logo.svg")] == [
        "brand", "snippet", "settings", "handout", None, None]


def test_the_schema_names_what_it_rejects_in_each_reading() -> None:
    text = (FIXTURES / "tree" / HANDOUT).read_text(encoding="utf-8").replace('max_pages: "4"', "max_pages: 0")
    verdicts = schema_verdicts("handout", text)
    assert list(verdicts) == ["yaml 1.2", "yaml 1.1"]
    assert all(any(line.startswith("max_pages: ") for line in complaints) for complaints in verdicts.values()), verdicts


def test_schema_rejects_an_unknown_block() -> None:
    handout = load_text((FIXTURES / "tree" / HANDOUT).read_text())
    handout["blocks"].append({"calout": "x"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(handout, schemas()["handout.schema.json"])


def test_a_schema_written_for_a_copy_of_the_tree_is_the_shipped_one(run, tmp_path: Path) -> None:
    result = run("schema", "--out", tmp_path / "schemas")
    assert result.code == 0, result.err
    assert {p.name: p.read_bytes() for p in (tmp_path / "schemas").iterdir()} == {
        p.name: p.read_bytes() for p in (ROOT / "schemas").iterdir()}
    shutil.rmtree(tmp_path / "schemas")
