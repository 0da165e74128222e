"""The translation workflow: export to PO or XLIFF 2.0, import back to YAML, the stale-translation gate, placeholders
that must survive, unreviewed translations marked and refusable, and no invented reading grade."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import pdf_text

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once per process

HANDOUT = "demo/aftercare.en.yaml"


def translate(run, tree: Path, tmp_path: Path, form: str = "po", fill=lambda text: "Dịch: " + text) -> Path:
    """Export the demo aftercare for Vietnamese, 'translate' every unit with fill, import it; return the exchange file."""
    exported = tmp_path / f"demo.{form}"
    assert run("translate", "export", "demo/aftercare", "--lang", "vi", "--format", form, "--content", tree, "-o", exported).code == 0
    if form == "po":
        catalog = read_po(io.StringIO(exported.read_text(encoding="utf-8")))
        for message in catalog:
            if message.id:
                message.string = fill(message.id)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=0)
        exported.write_bytes(buffer.getvalue())
    else:
        text = exported.read_text(encoding="utf-8")
        text = re.sub(r"<source>(.*?)</source>", lambda m: f"<source>{m.group(1)}</source>\n          <target>{fill(m.group(1))}</target>", text)
        exported.write_text(text, encoding="utf-8")
    result = run("translate", "import", exported, "--content", tree)
    assert result.code == 0, result.err
    return exported


@pytest.fixture
def vi_tree(tree: Path) -> Path:
    """The fixture tree with a brand that prints Vietnamese."""
    brand = tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, vi]"), encoding="utf-8")
    return tree


@pytest.mark.parametrize("form", ["po", "xliff"])
def test_export_then_import_without_changes_gives_the_same_yaml_bytes(run, vi_tree: Path, tmp_path: Path, form: str) -> None:
    translate(run, vi_tree, tmp_path, form)
    translated = vi_tree / "demo/aftercare.vi.yaml"
    # A translator's own touches: a comment, single quotes, a folded block. An unchanged text keeps its bytes.
    text = translated.read_text(encoding="utf-8")
    text = text.replace('  - steps: ["Dịch: Delta step one.", "Dịch: Delta step two."]',
                        "  # checked with the clinic\n  - steps: ['Dịch: Delta step one.', 'Dịch: Delta step two.']")
    text = text.replace('  - heading: "Dịch: Bravo heading"', "  - heading: >-\n      Dịch: Bravo\n      heading")
    assert text != translated.read_text(encoding="utf-8")
    translated.write_text(text, encoding="utf-8")
    before = translated.read_bytes()
    again = tmp_path / f"again.{form}"
    assert run("translate", "export", "demo/aftercare", "--lang", "vi", "--format", form, "--content", vi_tree, "-o", again).code == 0
    assert "Dịch: Alpha paragraph" in again.read_text(encoding="utf-8")  # the translation so far travels with the export
    assert run("translate", "import", again, "--content", vi_tree).code == 0
    assert translated.read_bytes() == before


def test_an_imported_translation_builds_and_is_marked_as_not_yet_reviewed(run, vi_tree: Path, tmp_path: Path) -> None:
    translate(run, vi_tree, tmp_path)
    text = (vi_tree / "demo/aftercare.vi.yaml").read_text(encoding="utf-8")
    assert 'translation: {source: aftercare.en.yaml, version: "7"}' in text and "reviewed_by" not in text
    assert '- paragraph: "Dịch: Alpha paragraph with **bold words**' in text  # markup and links kept
    check = run("check", "--content", vi_tree)
    line = text.splitlines().index('translation: {source: aftercare.en.yaml, version: "7"}') + 1
    assert (f"{vi_tree}/demo/aftercare.vi.yaml:{line}: warning: translation not yet reviewed by a clinician "
            "(a clinician's review: reviewed and reviewed_by)") in check.err
    assert f"{vi_tree}/demo/aftercare.vi.yaml: no formula (no validated reading-grade formula for 'vi')" in check.out
    out = tmp_path / "vi.pdf"
    assert run("handout", "demo/aftercare", "--brand", "plain", "--lang", "vi", "--content", vi_tree, "-o", out).code == 0
    assert "Phiên bản 7 · Bản dịch chưa được bác sĩ duyệt" in pdf_text(out)


def test_a_translation_of_an_older_version_is_refused_with_the_exact_error(run, vi_tree: Path, tmp_path: Path) -> None:
    translate(run, vi_tree, tmp_path)
    source = vi_tree / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace('version: "7"', 'version: "8"'), encoding="utf-8")
    translated = vi_tree / "demo/aftercare.vi.yaml"
    line = translated.read_text(encoding="utf-8").splitlines().index('translation: {source: aftercare.en.yaml, version: "7"}') + 1
    message = (f"{vi_tree}/demo/aftercare.vi.yaml:{line}: translated from version 7; the English is now version 8 "
               "(translate the changes, then set translation.version to \"8\")")
    check = run("check", "--content", vi_tree)
    assert check.code == 1 and message in check.err.splitlines()
    out = tmp_path / "out"
    build = run("build", "--content", vi_tree, "--out", out, "--jobs", "1", "--lang", "vi")
    assert build.code == 1 and message in build.err.splitlines()
    assert not list(out.rglob("*.vi.*.pdf"))  # a stale translation is never printed


def test_a_translation_that_drops_a_placeholder_is_an_error_at_its_line(run, vi_tree: Path, tmp_path: Path) -> None:
    translate(run, vi_tree, tmp_path)
    translated = vi_tree / "demo/aftercare.vi.yaml"
    text = translated.read_text(encoding="utf-8").replace("Dịch: Wait {settings.wait_hours} hours before makeup.", "Dịch: Wait a day.")
    translated.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Dịch: Wait a day." in row)
    source_line = next(n for n, row in enumerate((vi_tree / HANDOUT).read_text().splitlines(), 1) if "{settings.wait_hours}" in row)
    check = run("check", "--content", vi_tree)
    assert check.code == 1
    assert (f"{vi_tree}/demo/aftercare.vi.yaml:{line}: blocks[2].bullets[1]: the translation drops {{settings.wait_hours}} "
            f"(the placeholders and links of aftercare.en.yaml line {source_line}: {{settings.wait_hours}})") in check.err.splitlines()


def test_an_import_that_drops_a_placeholder_or_a_link_writes_nothing(run, vi_tree: Path, tmp_path: Path) -> None:
    exported = tmp_path / "demo.po"
    run("translate", "export", "demo/aftercare", "--lang", "vi", "--content", vi_tree, "-o", exported)
    catalog = read_po(io.StringIO(exported.read_text(encoding="utf-8")))
    for message in catalog:
        if message.id:
            message.string = re.sub(r"\{settings\.\w+\}|\(https://example\.org/book\)", "", message.id)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    exported.write_bytes(buffer.getvalue())
    lines = exported.read_text(encoding="utf-8").splitlines()
    result = run("translate", "import", exported, "--content", vi_tree)
    assert result.code == 1 and not (vi_tree / "demo/aftercare.vi.yaml").exists()
    at = next(n for n, row in enumerate(lines, 1) if row == 'msgid "Wait {settings.wait_hours} hours before makeup."')
    assert (f"{exported}:{at}: demo/aftercare.en.yaml#blocks[2].bullets[1]: the translation drops {{settings.wait_hours}} "
            "(every {placeholder} and link of the source, unchanged)") in result.err.splitlines()
    assert "demo/aftercare.en.yaml#blocks[0].paragraph: the translation drops link https://example.org/book" in result.err


def test_a_brand_may_refuse_unreviewed_translations(run, vi_tree: Path, tmp_path: Path) -> None:
    translate(run, vi_tree, tmp_path)
    brand = vi_tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "unreviewed_translations: refuse\n", encoding="utf-8")
    result = run("handout", "demo/aftercare", "--brand", "plain", "--lang", "vi", "--content", vi_tree, "-o", tmp_path / "x.pdf")
    assert result.code == 1 and not (tmp_path / "x.pdf").exists()
    assert (f"{vi_tree}/brands/plain/brand.yaml: {vi_tree}/demo/aftercare.vi.yaml is a translation no clinician has reviewed yet, "
            "and this brand does not print those (a clinician's review of it, or unreviewed_translations: print)") in result.err
    translated = vi_tree / "demo/aftercare.vi.yaml"
    translated.write_text(translated.read_text(encoding="utf-8").replace("language: vi\n", "language: vi\nreviewed: \"2026-11-20\"\n"
                                                                                                       "reviewed_by: Dr Tran\n"), encoding="utf-8")
    assert run("handout", "demo/aftercare", "--brand", "plain", "--lang", "vi", "--content", vi_tree, "-o", tmp_path / "x.pdf").code == 0
