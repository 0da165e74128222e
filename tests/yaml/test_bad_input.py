"""Broken input: each case breaks ONE file of the fixture tree and builds everything.

Every case checks the exact `path:line: what is wrong (what was expected)` line,
exit code 1, no traceback, no PDF (and no manifest entry) for what is broken,
and that everything else is still built.  Paths print relative to the current
folder, so each test runs inside tmp_path with `--content content`.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import FIXTURES, Result, pdf_text

HANDOUT = "demo/aftercare.en.yaml"
BRAND = "brands/teal/brand.yaml"
ALL = {
    "plain/demo-aftercare.en.standard.pdf",
    "plain/demo-overview.en.standard.pdf",
    "teal/demo-aftercare.en.standard.pdf",
    "teal/demo-aftercare.es.standard.pdf",
    "teal/demo-overview.en.standard.pdf",
}
BROKEN_HANDOUT = {"plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf"}
BROKEN_BRAND = {p for p in ALL if p.startswith("teal/")}
BLOCK_TYPES = ("acknowledgement, appointment, bullets, callout, checklist, contact, do_dont, faq, heading, image, "
               "include, language_help, paragraph, qr, steps, timeline, when_can_i")
HANDOUT_KEYS = "blocks, card, id, kind, language, layout, max_pages, reviewed, reviewed_by, sources, title, translation, treatment, version"
INSIDE = "a file inside the content folder, named relative to this file"
BRACES = "{settings.name}, {brand.name}, {patient.name}, or '{{' for a literal brace"
FRONT = """id: demo-aftercare
treatment: Demo
kind: aftercare
title: Every block demo
language: en
version: "7"
reviewed: "2026-11-01"
reviewed_by: Clinical lead
layout: standard
max_pages: "4"
"""
OVERVIEW = """id: demo-overview
treatment: Demo
kind: overview
title: Overview demo
language: en
version: "1"
reviewed: "2026-11-01"
reviewed_by: Clinical lead
blocks:
  - paragraph: Zulu overview paragraph.
  - bullets: ["Wait {settings.wait_hours} hours."]
"""
BILLION_LAUGHS = "".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
    + [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")]
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{}</svg>\n'


@pytest.fixture
def content(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture tree with a second, brand-independent good handout, seen from inside tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tree / "demo/overview.en.yaml").write_text(OVERVIEW, encoding="utf-8")
    return Path("content")


def build(run: Callable[..., Result]) -> Result:
    """Build everything from ./content into ./out."""
    return run("build", "--content", "content", "--out", "out", "--jobs", "1")


def built() -> set[str]:
    """PDFs under ./out, relative to it."""
    return {p.relative_to("out").as_posix() for p in Path("out").rglob("*.pdf")} if Path("out").is_dir() else set()


def assert_refused(result: Result, line: str, broken: set[str]) -> None:
    """Exit 1, the exact problem line once, no traceback; broken PDFs absent, every other one built and in the manifest."""
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert line in result.err.splitlines(), f"wanted:\n{line}\ngot:\n{result.err}"
    assert result.err.count(line) == 1, result.err
    assert built() == ALL - broken, result.err
    manifest = json.loads(Path("out/manifest.json").read_text(encoding="utf-8"))
    assert {e["path"] for e in manifest["handouts"]} == ALL - broken
    copies = {e["path"] for e in manifest["copies"]}  # the web copies' files, each listed
    assert not [p for p in Path("out").rglob("*") if p.is_file() and p.suffix not in (".pdf", ".json") and p.relative_to("out").as_posix() not in copies]


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    """A mutation: replace the first `old` in a file of the tree."""
    def mutate(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    """A mutation: overwrite a file of the tree."""
    def mutate(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return mutate


def both(*mutations: Callable[[Path], None]) -> Callable[[Path], None]:
    """Several edits of the same file (or a file and what it names)."""
    def mutate(root: Path) -> None:
        for m in mutations:
            m(root)
    return mutate


@dataclass(frozen=True)
class Case:
    """One broken input and the exact line it must produce."""

    id: str
    mutate: Callable[[Path], None]
    line: str


def _h(line: int | None, message: str) -> str:
    return f"content/{HANDOUT}:{line}: {message}" if line else f"content/{HANDOUT}: {message}"


SNIPPET = "snippets/call.en.yaml"  # included by the handout on line 22; its one block is on line 4
SNIPPET_INSIDE = "a regular file inside the content folder"
GLYPH_HINT = "text the brand's font can print, or a brand font that has this character"
SVG_HINT = "an SVG with a viewBox such as '0 0 200 200' with a positive, sensible size"


def _snippet_replaced_by(make: Callable[[Path, Path], None]) -> Callable[[Path], None]:
    """A mutation: the snippet file becomes whatever make(root, path) puts in its place."""
    def mutate(root: Path) -> None:
        path = root / SNIPPET
        path.unlink()
        make(root, path)
    return mutate


def _link_outside(root: Path, path: Path) -> None:
    outside = root.parent / "outside.en.yaml"  # beside the content folder, outside it
    shutil.copyfile(FIXTURE_SNIPPET, outside)
    os.symlink(outside.resolve(), path)


def _image(name: str, data: str | bytes) -> Callable[[Path], None]:
    """A mutation: the handout's image block shows demo/NAME with these bytes."""
    return both(write(f"demo/{name}", data), replace(HANDOUT, "images/diagram.png", name))


def _svg_box(box: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}"><rect width="10" height="10"/></svg>\n'


FIXTURE_SNIPPET = FIXTURES / "tree" / SNIPPET
BIG_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">' + '<rect width="1" height="1"/>' * 200_000 + "</svg>\n"
LONG_PARAGRAPH = " ".join(f"w{i % 10}" for i in range(100_000))  # 100,000 words


HANDOUT_CASES = [
    Case("yaml-syntax-line-and-column", replace(HANDOUT, "title: Every block demo", "title: Every: block demo"),
         _h(4, "YAML syntax error: mapping values are not allowed here at column 13 (valid YAML; check indentation, colons and quotes)")),
    Case("tab-indentation", replace(HANDOUT, "  - heading: Bravo heading", "\t- heading: Bravo heading"),
         _h(13, "tab used for indentation (spaces)")),
    Case("unknown-block-near-miss", replace(HANDOUT, "callout: {tone: tip", "calout: {tone: tip"),
         _h(20, f"blocks[6]: unknown block type 'calout' (one of: {BLOCK_TYPES}; did you mean 'callout'?)")),
    Case("unknown-front-matter-key-near-miss", replace(HANDOUT, "title: Every", "titel: Every"),
         _h(4, f"unknown key 'titel' (one of: {HANDOUT_KEYS}; did you mean 'title'?)")),
    Case("missing-required-key", replace(HANDOUT, "version: \"7\"\n", ""),
         _h(1, "missing required key 'version' (the content version, e.g. \"3\")")),
    Case("missing-required-block-key", replace(HANDOUT, "{tone: info, title: Foxtrot info, text: Info text.}", "{tone: info, text: Info text.}"),
         _h(19, "blocks[5].callout: missing required key 'title' (a short title)")),
    Case("anchor", replace(HANDOUT, "  - heading: Bravo heading", "  - heading: &h Bravo heading"),
         _h(13, "anchor '&h' is not allowed (write each value out in full; use 'include' to reuse blocks)")),
    Case("alias", replace(HANDOUT, "  - heading: Bravo heading", "  - heading: *h"),
         _h(13, "alias '*h' is not allowed (write the value out in full)")),
    Case("duplicate-key", replace(HANDOUT, "reviewed_by: Clinical lead\n", "reviewed_by: Clinical lead\ntitle: Again\n"),
         _h(9, "duplicate key 'title', already on line 4 (each key once)")),
    Case("deep-nesting", write(HANDOUT, FRONT + "blocks: " + "[" * 30_000 + "]" * 30_000 + "\n"),
         _h(11, "nesting is deeper than 32 levels (at most 32 levels of nesting)")),
    Case("nul-byte", replace(HANDOUT, "Bravo heading", "Bravo\x00heading"),
         _h(13, "control character U+0000 in file (printable text only; remove it)")),
    Case("nul-escape", replace(HANDOUT, "Bravo heading", '"Bravo\\0heading"'),
         _h(13, "control character U+0000 in a value (written as an escape) (printable text only; remove it)")),
    Case("bidi-override-escape", replace(HANDOUT, "Bravo heading", '"Bravo \\u202Eheading"'),
         _h(13, "control character U+202E (RIGHT-TO-LEFT OVERRIDE) in a value (written as an escape) (printable text only; remove it)")),
    Case("not-utf8", lambda root: (root / HANDOUT).write_bytes((root / HANDOUT).read_bytes().replace(b"Bravo heading", b"Bravo \xe9heading")),
         _h(13, "file is not UTF-8: byte 0xE9 cannot be decoded (save the file as UTF-8)")),
    Case("empty-file", write(HANDOUT, ""), _h(None, "file is empty (a mapping of keys and values)")),
    Case("only-a-comment", write(HANDOUT, "# nothing yet\n"), _h(None, "file is empty (a mapping of keys and values)")),
    Case("file-is-a-list", write(HANDOUT, "- paragraph: one\n- paragraph: two\n"),
         _h(1, "expected a mapping, got a list (keys: id, treatment, kind, title, language, version, reviewed, reviewed_by, "
               "translation, layout, max_pages, sources, blocks, card)")),
    Case("two-megabytes", write(HANDOUT, FRONT + ("# " + "x" * 1021 + "\n") * 2048),
         _h(None, f"file is too large: {len(FRONT) + 2 * 1024 * 1024:,} bytes (at most 1,000,000 bytes)")),
    Case("missing-snippet-near-miss", replace(HANDOUT, "include: snippets/call", "include: snippets/cal"),
         _h(22, "snippet 'snippets/cal' does not exist in language 'en' (a file snippets/cal.en.yaml; did you mean 'call'?)")),
    Case("unknown-placeholder-near-miss", replace(HANDOUT, "{settings.wait_hours}", "{settings.wait_hour}"),
         _h(14, "blocks[2].bullets[1]: unknown placeholder '{settings.wait_hour}' "
                "(one of: settings.stop_days, settings.wait_hours; did you mean 'settings.wait_hours'?)")),
    Case("unknown-placeholder-in-qr-url", replace(HANDOUT, "{brand.booking_url}", "{brand.bookng_url}"),
         _h(35, "blocks[16].qr.url: unknown placeholder '{brand.bookng_url}' (one of: brand.address, brand.after_hours, "
                "brand.booking_url, brand.email, brand.name, brand.phone, brand.website; did you mean 'brand.booking_url'?)")),
    Case("unclosed-brace", replace(HANDOUT, "Bravo heading", "Bravo {settings.wait_hours heading"),
         _h(13, f"blocks[1].heading: unclosed '{{' ({BRACES})")),
    Case("javascript-link", replace(HANDOUT, "(https://example.org/book)", "(javascript:alert(1))"),
         _h(12, "blocks[0].paragraph: link 'javascript:alert(1)' is not allowed (a link starting with https:, mailto:, tel:)")),
    Case("thai-character-not-in-any-font", replace(HANDOUT, "Bravo heading", "Bravo ก heading"),
         _h(13, "blocks[1].heading: character 'ก' (U+0E01, Thai) is not in the bundled Noto Sans or the bundled script fonts "
                "(text the brand's font can print, or a brand font that has this character)")),
    Case("hebrew-not-in-any-font", replace(HANDOUT, "Bravo heading", "Bravo שלום heading"),
         _h(13, f"blocks[1].heading: character 'ש' (U+05E9, Hebrew) is not in the bundled Noto Sans or the bundled script fonts ({GLYPH_HINT})")),
    Case("timeline-bad-days", replace(HANDOUT, 'days: "1-2"', 'days: "soon"'),
         _h(25, "blocks[9].timeline[1].days: 'soon' is not a day or a range of days (a number such as \"3\" or a range such as \"1-2\")")),
    Case("timeline-days-backwards", replace(HANDOUT, 'days: "1-2"', 'days: "2-1"'),
         _h(25, "blocks[9].timeline[1].days: '2-1' is not a day or a range of days (a number such as \"3\" or a range such as \"1-2\")")),
    Case("image-block-svg-with-external-image", both(
            write("demo/images/x.svg", SVG.format('<image href="../../secret.png" width="10" height="10"/>')),
            replace(HANDOUT, "images/diagram.png", "images/x.svg")),
         _h(34, "blocks[15].image.file: 'x.svg' refers to another file or address ('../../secret.png') (a plain SVG file with shapes and paths that names no other file)")),
    Case("image-block-file-missing-near-miss", replace(HANDOUT, "images/diagram.png", "images/diagrm.png"),
         _h(34, f"blocks[15].image.file: file 'images/diagrm.png' does not exist ({INSIDE})")),
    Case("include-cycle-reported-where-the-include-is", both(
            write("snippets/loop.en.yaml", "language: en\nblocks:\n  - paragraph: Loop text.\n  - include: snippets/call\n"),
            lambda root: (root / SNIPPET).write_text(FIXTURE_SNIPPET.read_text() + "  - include: snippets/loop\n")),
         "content/snippets/loop.en.yaml:4: include of 'snippets/call' goes round in a circle: call → loop → call "
         "(snippets that do not include each other in a loop)"),
    Case("include-of-itself", lambda root: (root / SNIPPET).write_text(FIXTURE_SNIPPET.read_text() + "  - include: snippets/call\n"),
         "content/snippets/call.en.yaml:5: include of 'snippets/call' goes round in a circle: call → call "
         "(snippets that do not include each other in a loop)"),
    Case("missing-snippet-inside-a-snippet", lambda root: (root / SNIPPET).write_text(FIXTURE_SNIPPET.read_text() + "  - include: snippets/nope\n"),
         "content/snippets/call.en.yaml:5: snippet 'snippets/nope' does not exist in language 'en' (a file snippets/nope.en.yaml)"),
    Case("snippet-symlink-out-of-tree", _snippet_replaced_by(_link_outside),
         _h(22, f"snippet 'snippets/call': file 'call.en.yaml' points outside the content folder ({SNIPPET_INSIDE})")),
    Case("snippet-symlink-to-dev-zero", _snippet_replaced_by(lambda _root, path: os.symlink("/dev/zero", path)),
         _h(22, f"snippet 'snippets/call': file 'call.en.yaml' points outside the content folder ({SNIPPET_INSIDE})")),
    Case("snippet-is-a-directory", _snippet_replaced_by(lambda _root, path: path.mkdir()),
         _h(22, f"snippet 'snippets/call': 'call.en.yaml' is not a regular file ({SNIPPET_INSIDE})")),
    Case("image-is-a-directory", both(lambda root: (root / "demo/images/folder.png").mkdir(), replace(HANDOUT, "images/diagram.png", "images/folder.png")),
         _h(34, f"blocks[15].image.file: 'images/folder.png' is not a regular file ({INSIDE})")),
    Case("svg-zero-viewbox", _image("x.svg", _svg_box("0 0 0 0")), _h(34, f"blocks[15].image.file: SVG size 0 × 0 is not usable ({SVG_HINT})")),
    Case("svg-nan-viewbox", _image("x.svg", _svg_box("0 0 NaN NaN")), _h(34, f"blocks[15].image.file: SVG size nan × nan is not usable ({SVG_HINT})")),
    Case("svg-huge-viewbox", _image("x.svg", _svg_box("0 0 1e9 1e9")), _h(34, f"blocks[15].image.file: SVG size 1e+09 × 1e+09 is not usable ({SVG_HINT})")),
    Case("svg-five-megabytes", _image("x.svg", BIG_SVG),
         _h(34, f"blocks[15].image.file: SVG file is too large ({len(BIG_SVG):,} bytes) (at most 2,000,000 bytes)")),
    Case("paragraph-of-100000-words", replace(HANDOUT, "  - heading: Bravo heading", f"  - paragraph: {LONG_PARAGRAPH}"),
         _h(13, f"blocks[1].paragraph: text is too long: {len(LONG_PARAGRAPH):,} characters (at most 5,000; split it into several blocks)")),
    Case("paragraph-of-10000-line-breaks", replace(HANDOUT, "  - heading: Bravo heading", "  - paragraph: |\n" + "      line\n" * 10_000),
         _h(13, "blocks[1].paragraph: text is too long: 50,000 characters (at most 5,000; split it into several blocks)")),
    Case("emoji-not-in-font", replace(HANDOUT, "Bravo heading", "Bravo 😀 heading"),
         _h(13, f"blocks[1].heading: character '😀' (U+1F600, emoji and symbols) is not in the bundled Noto Sans or the bundled script "
                f"fonts ({GLYPH_HINT})")),
    Case("image-alt-text-not-in-font", replace(HANDOUT, "alt: Needles in skin, caption: Sierra caption,", "alt: Needles क skin,"),
         _h(34, f"blocks[15].image.alt: character 'क' (U+0915, Devanagari) is not in the bundled Noto Sans or the bundled script fonts ({GLYPH_HINT})")),
]


@pytest.mark.parametrize("case", HANDOUT_CASES, ids=[c.id for c in HANDOUT_CASES])
def test_broken_handout(run, content: Path, case: Case) -> None:
    case.mutate(content)
    assert_refused(build(run), case.line, BROKEN_HANDOUT)


def test_billion_laughs_fails_fast_on_the_first_anchor(run, content: Path) -> None:
    write(HANDOUT, BILLION_LAUGHS)(content)
    started = time.monotonic()
    result = build(run)
    assert time.monotonic() - started < 5
    assert_refused(result, _h(1, "anchor '&a' is not allowed (write each value out in full; use 'include' to reuse blocks)"), BROKEN_HANDOUT)


def test_python_tag_is_refused_and_never_run(run, content: Path) -> None:
    replace(HANDOUT, "title: Every block demo", 'title: !!python/object/apply:os.system ["touch PWNED"]')(content)
    result = build(run)
    assert_refused(result, _h(4, "tag '!!python/object/apply:os.system' is not allowed (plain values without '!' tags)"), BROKEN_HANDOUT)
    assert not Path("PWNED").exists() and not (content / "PWNED").exists()


def test_front_matter_near_miss_also_says_the_real_key_is_missing(run, content: Path) -> None:
    replace(HANDOUT, "title: Every", "titel: Every")(content)
    result = build(run)
    assert_refused(result, _h(1, "missing required key 'title' (the title printed at the top of the sheet)"), BROKEN_HANDOUT)


def _b(line: int, message: str) -> str:
    return f"content/{BRAND}:{line}: {message}"


def _logo(name: str, data: bytes | str) -> Callable[[Path], None]:
    return both(write(f"brands/teal/{name}", data), replace(BRAND, "logo: logo.svg", f"logo: {name}"))


def _symlinked_logo(root: Path) -> None:
    secret = root.parent / "secret.png"  # beside the content folder, outside it
    shutil.copyfile(root / "brands/plain/logo.png", secret)
    os.symlink(secret.resolve(), root / "brands/teal/evil.png")
    replace(BRAND, "logo: logo.svg", "logo: evil.png")(root)


def _font(data: Callable[[Path], bytes]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        write("brands/teal/fonts/Body.ttf", data(root))(root)
        (root / BRAND).write_text((root / BRAND).read_text(encoding="utf-8") + "fonts: {regular: fonts/Body.ttf}\n", encoding="utf-8")
    return mutate


def _noto_head(_root: Path) -> bytes:
    from handouts.fonts import BUNDLED

    return BUNDLED["regular"].read_bytes()[:4000]


PNG = FIXTURES / "tree/brands/plain/logo.png"
HB_TEST_FONT = Path(__import__("reportlab").__file__).parent / "fonts/hb-test.ttf"  # a real TrueType font of 9 characters
DAMAGED_FONT = "(a TrueType (.ttf) font file)"
BRAND_CASES = [
    Case("logo-dotdot", replace(BRAND, "logo: logo.svg", "logo: ../../../secret.png"),
         _b(3, f"logo: path '../../../secret.png' leaves its folder with '..' ({INSIDE})")),
    Case("logo-absolute", replace(BRAND, "logo: logo.svg", "logo: /etc/passwd.png"),
         _b(3, f"logo: absolute path '/etc/passwd.png' is not allowed ({INSIDE})")),
    Case("logo-symlink-out-of-tree", _symlinked_logo,
         _b(3, f"logo: file 'evil.png' points outside the content folder ({INSIDE})")),
    Case("logo-truncated-png", _logo("logo.png", PNG.read_bytes()[:200]),
         _b(3, "logo: 'logo.png' is damaged or not a PNG image (the file is cut short) (a valid PNG file)")),
    Case("logo-html-saved-as-png", _logo("logo.png", "<!DOCTYPE html><html><body>Sign in</body></html>\n"),
         _b(3, "logo: 'logo.png' is not a PNG file (its contents do not match its name) (a valid PNG file)")),
    Case("logo-svg-external-image", write("brands/teal/logo.svg", SVG.format('<image href="../../secret.png" width="10" height="10"/>')),
         _b(3, "logo: 'logo.svg' refers to another file or address ('../../secret.png') "
               "(a plain SVG file with shapes and paths that names no other file)")),
    Case("logo-svg-doctype-entity", write("brands/teal/logo.svg", '<?xml version="1.0"?>\n'
                                          '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                                          + SVG.format("<text>&xxe;</text>")),
         _b(3, "logo: 'logo.svg' declares a DOCTYPE or entities (a plain SVG file with shapes and paths, without a DOCTYPE)")),
    Case("font-random-bytes", _font(lambda _r: bytes(range(256)) * 16),
         _b(8, f"fonts.regular: 'Body.ttf' is not a font file {DAMAGED_FONT}")),
    Case("font-etc-passwd", _font(lambda _r: Path("/etc/passwd").read_bytes() if Path("/etc/passwd").is_file() else b"root:x:0:0:root:/root:/bin/sh\n"),
         _b(8, f"fonts.regular: 'Body.ttf' is not a font file {DAMAGED_FONT}")),
    Case("font-truncated-truetype", _font(_noto_head),
         _b(8, f"fonts.regular: 'Body.ttf' is a damaged TrueType font (its tables cannot be read) {DAMAGED_FONT}")),
    Case("bad-colour", replace(BRAND, '"#1F4E5A"', '"#1F4E5G"'),
         _b(4, "colors.primary: '#1F4E5G' is not a colour (a colour such as \"#1F4E5A\")")),
    Case("unknown-page-size", replace(BRAND, "page_size: a4", "page_size: a5"),
         _b(5, "page_size: 'a5' is not allowed (one of: a4, letter)")),
    Case("page-size-near-miss", replace(BRAND, "page_size: a4", "page_size: leter"),
         _b(5, "page_size: 'leter' is not allowed (one of: a4, letter; did you mean 'letter'?)")),
    Case("font-woff2-renamed-ttf", _font(lambda _r: b"wOF2\x00\x01\x00\x00" + bytes(500)),
         _b(8, f"fonts.regular: 'Body.ttf' is a WOFF2 web font, not a TrueType font {DAMAGED_FONT}")),
    Case("font-without-the-characters-layouts-print", _font(lambda _r: HB_TEST_FONT.read_bytes()),
         _b(8, "fonts.regular: 'Body.ttf' has no '•' (U+2022), '–' (U+2013), '·' (U+00B7), '…' (U+2026), which the layouts print "
               "(a font with • – · …)")),
    Case("setting-value-that-is-a-placeholder", replace(BRAND, 'wait_hours: "48"', 'wait_hours: "{settings.stop_days}"'),
         _b(7, "settings.wait_hours: a setting's value cannot hold a placeholder (plain text such as \"48\")")),
]


@pytest.mark.parametrize("case", BRAND_CASES, ids=[c.id for c in BRAND_CASES])
def test_broken_brand(run, content: Path, case: Case) -> None:
    case.mutate(content)
    result = build(run)
    assert_refused(result, case.line, BROKEN_BRAND)
    assert "root:" not in result.err and "/bin/" not in result.err  # never echo a file's bytes
    assert str(Path.cwd()) not in result.err  # nor an absolute path


def test_invalid_source_date_epoch(run, content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    result = build(run)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "error: SOURCE_DATE_EPOCH is 'abc' (expected a whole number of seconds since 1970, e.g. 1767225600)" in result.err.splitlines()
    assert built() == set()


def test_output_folder_that_is_a_file(run, content: Path) -> None:
    Path("out").write_text("keep me\n", encoding="utf-8")
    result = build(run)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "error: out: output folder is a file (expected a folder to write PDFs into)" in result.err.splitlines()
    assert Path("out").read_text(encoding="utf-8") == "keep me\n"


def test_every_problem_is_reported_at_once(run, content: Path) -> None:
    replace(HANDOUT, "callout: {tone: tip", "calout: {tone: tip")(content)
    replace(BRAND, "page_size: a4", "page_size: leter")(content)
    result = build(run)
    lines = [
        _h(20, f"blocks[6]: unknown block type 'calout' (one of: {BLOCK_TYPES}; did you mean 'callout'?)"),
        _b(5, "page_size: 'leter' is not allowed (one of: a4, letter; did you mean 'letter'?)"),
    ]
    assert result.code == 1 and "Traceback" not in result.err
    for line in lines:
        assert result.err.splitlines().count(line) == 1, result.err
    assert built() == {"plain/demo-overview.en.standard.pdf"}


def test_a_handout_broken_after_a_good_build_loses_its_old_pdf(run, content: Path) -> None:
    assert build(run).code == 0
    assert built() == ALL
    replace(HANDOUT, "callout: {tone: tip", "calout: {tone: tip")(content)
    assert_refused(build(run), _h(20, f"blocks[6]: unknown block type 'calout' (one of: {BLOCK_TYPES}; did you mean 'callout'?)"),
                   BROKEN_HANDOUT)


def test_yaml_1_1_booleans_times_and_octals_stay_text(run, content: Path) -> None:
    replace(HANDOUT, "  - heading: Bravo heading",
            "  - heading: Bravo heading\n  - bullets: [No, 12:30, 0123, yes, off, ~, null, 1e3, 0x1F, .inf, 2026-11-24]")(content)
    result = build(run)
    assert result.code == 0, result.err
    text = pdf_text(Path("out/plain/demo-aftercare.en.standard.pdf"))
    assert "• No • 12:30 • 0123 • yes • off • ~ • null • 1e3 • 0x1F • .inf • 2026-11-24 • Charlie bullet one." in text


def test_markup_like_text_prints_literally(run, content: Path) -> None:
    literal = '<img src="/etc/passwd"/> &amp; <font size=900>big</font> Q&A & done'
    replace(HANDOUT, "  - heading: Bravo heading", f"  - heading: Bravo heading\n  - paragraph: '{literal}'")(content)
    result = build(run)
    assert result.code == 0, result.err
    text = pdf_text(Path("out/plain/demo-aftercare.en.standard.pdf"))
    assert f"Bravo heading {literal} • Charlie" in text
    assert "root:" not in text
