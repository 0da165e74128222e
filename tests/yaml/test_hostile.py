"""Hostile and broken input that needs more than one message line to prove: pictures that must print the right
way up, text that must stay literal and inside the page, special files, brands built on broken brands, the
environment, and an output folder that cannot be written.

Like test_bad_input (whose helpers these tests share), every test runs inside tmp_path with `--content content`.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import pytest
from pypdf.errors import PdfReadError
from PIL import Image
from pypdf import PdfReader

from conftest import ROOT, check_pdf, pdf_text
from test_bad_input import (ALL, BRAND, GLYPH_HINT, HANDOUT, _b, _h, assert_refused, build, built, content,  # noqa: F401 - content is a fixture
                            replace, write)
from handouts.yamlsafe import YamlError, read_capped

PLAIN = "brands/plain/brand.yaml"
RED, GREEN = (230, 0, 0), (0, 200, 0)


def one_sheet(run, *extra: str):  # noqa: ANN001, ANN201 - the run fixture and its Result
    """Build the plain brand's aftercare sheet to ./sheet.pdf."""
    return run("handout", "demo/aftercare", "--brand", "plain", "--content", "content", "-o", "sheet.pdf", *extra)


def render_pages(pdf: Path, dpi: int = 50) -> list[Image.Image]:
    """Every page as an RGB picture (poppler's pdftoppm)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is needed (Debian package poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), "page"], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(Path.cwd().glob("page-*.png"))]


def pixels_like(page: Image.Image, colour: tuple[int, int, int], tolerance: int = 60) -> list[tuple[int, int]]:
    """(x, y) of every pixel within tolerance of a colour."""
    width = page.width
    return [(i % width, i // width) for i, px in enumerate(page.get_flattened_data() if hasattr(page, "get_flattened_data") else page.getdata())
            if all(abs(a - b) <= tolerance for a, b in zip(px, colour))]


# --- brands built on broken brands, and every face of a font ---------------------------------------------------

def test_a_brand_extending_a_broken_brand_says_so(run, content: Path) -> None:
    replace(PLAIN, "page_size: letter", "page_size: a5")(content)
    result = build(run)
    assert_refused(result, _b(2, "extends brand 'plain', which has errors (fix content/brands/plain/brand.yaml first)"), ALL)
    assert "content/brands/plain/brand.yaml:13: page_size: 'a5' is not allowed (one of: a4, letter)" in result.err.splitlines()
    assert "unknown brand" not in result.err


def test_a_brand_extending_a_missing_brand_offers_the_near_miss(run, content: Path) -> None:
    replace(BRAND, "extends: plain", "extends: plan")(content)
    assert_refused(build(run), _b(2, "extends unknown brand 'plan' (one of: plain; did you mean 'plain'?)"),
                   {p for p in ALL if p.startswith("teal/")})


def test_every_face_of_a_brand_font_is_checked(run, content: Path) -> None:
    """The italic face prints captions and the disclaimer: a character it lacks is reported, not drawn as a box."""
    from handouts.fonts import BUNDLED

    fonts = content / "brands/teal/fonts"
    fonts.mkdir()
    shutil.copyfile(BUNDLED["regular"], fonts / "Body.ttf")
    shutil.copyfile(Path(__import__("reportlab").__file__).parent / "fonts/VeraIt.ttf", fonts / "Italic.ttf")  # no 'ș'
    with (content / BRAND).open("a", encoding="utf-8") as brand:
        brand.write("fonts: {regular: fonts/Body.ttf, italic: fonts/Italic.ttf}\n")
    replace(HANDOUT, "Bravo heading", "Bravo ș heading")(content)
    line = _h(13, f"blocks[1].heading: character 'ș' (U+0219, Latin) is not in the brand's fonts (Body.ttf, Italic.ttf) or the bundled script fonts ({GLYPH_HINT})")
    assert_refused(build(run), line, {"teal/demo-aftercare.en.standard.pdf"})


# --- special files --------------------------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_handout_file_that_is_a_pipe_is_refused_without_waiting(run, content: Path) -> None:
    os.mkfifo(content / "demo/pre-treatment.en.yaml")
    assert_refused(build(run), "content/demo/pre-treatment.en.yaml: this is a pipe, not a regular file (a YAML text file)", set())


def test_reading_stops_at_the_cap_whatever_the_file_says() -> None:
    with pytest.raises(YamlError, match="^this is a device, not a regular file$"):
        read_capped(Path("/dev/zero"), 1000)
    status = Path("/proc/self/status")  # a regular file whose size reads as 0
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("no /proc here")
    with pytest.raises(YamlError, match="^file is too large: more than 10 bytes$"):
        read_capped(status, 10)


# --- pictures -------------------------------------------------------------------------------------------------

def _photo(root: Path, name: str, image: Image.Image, **save) -> None:
    image.save(root / "demo/images" / name, **save)
    replace(HANDOUT, "images/diagram.png", f"images/{name}")(root)


def test_exif_rotated_photo_prints_upright(run, content: Path) -> None:
    """Stored lying on its side (red left, green right) with EXIF orientation 6: printed standing, red on top."""
    stored = Image.new("RGB", (600, 300), GREEN)
    stored.paste(RED, (0, 0, 300, 300))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    _photo(content, "photo.jpg", stored, quality=95, exif=exif.tobytes())
    assert one_sheet(run).code == 0
    for page in render_pages(Path("sheet.pdf")):
        red, green = pixels_like(page, RED), pixels_like(page, GREEN)
        if len(red) > 50 and len(green) > 50:
            break
    else:
        pytest.fail("the photo was not found on any page")
    xs, ys = [x for x, _ in red + green], [y for _, y in red + green]
    assert max(ys) - min(ys) > 1.5 * (max(xs) - min(xs)), "the photo prints lying on its side"
    assert max(y for _, y in red) < min(y for _, y in green) + 2, "the photo prints upside down"


def test_cmyk_jpeg_prints_in_its_colours(run, content: Path) -> None:
    _photo(content, "print.jpg", Image.new("CMYK", (600, 300), (0, 255, 255, 0)), quality=95)  # red in ink
    assert one_sheet(run).code == 0
    assert any(len(pixels_like(page, (255, 0, 0))) > 100 for page in render_pages(Path("sheet.pdf")))
    spaces = {str(x.get_object().get("/ColorSpace")) for page in PdfReader("sheet.pdf").pages
              for x in (page["/Resources"].get("/XObject") or {}).values() if x.get_object().get("/Subtype") == "/Image"}
    assert spaces <= {"/DeviceRGB", "/DeviceGray"}, spaces


@functools.lru_cache(maxsize=None)
def _bilevel_png(width: int, height: int) -> bytes:
    """A black-and-white PNG of any size, a few kilobytes on disk: a decompression bomb."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    row = b"\x00" + bytes((width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row * 500) for _ in range(height // 500)) + packer.compress(row * (height % 500)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def test_a_144_megapixel_png_is_too_large(run, content: Path) -> None:
    write("demo/images/bomb.png", _bilevel_png(12_000, 12_000))(content)
    replace(HANDOUT, "images/diagram.png", "images/bomb.png")(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build(run)
    assert_refused(result, _h(34, "blocks[15].image.file: image is too large: 12000 × 12000 pixels (at most 25 million pixels)"),
                   {"plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf"})


def test_a_decompression_bomb_png_raises_no_library_warning(run, content: Path) -> None:
    write("demo/images/bomb.png", _bilevel_png(12_000, 12_000))(content)
    replace(HANDOUT, "images/diagram.png", "images/bomb.png")(content)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build(run)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)], "Pillow's warning escapes"


def test_a_400_megapixel_png_is_too_large_not_damaged(run, content: Path) -> None:
    write("demo/images/bomb.png", _bilevel_png(20_000, 20_000))(content)
    replace(HANDOUT, "images/diagram.png", "images/bomb.png")(content)
    assert_refused(build(run), _h(34, "blocks[15].image.file: image is too large: 20000 × 20000 pixels (at most 25 million pixels)"),
                   {"plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf"})


# --- text -----------------------------------------------------------------------------------------------------

def test_decomposed_text_prints_composed(run, content: Path) -> None:
    replace(HANDOUT, "  - heading: Bravo heading", "  - heading: Bravo heading\n  - paragraph: Cafe\u0301 and pin\u0303a")(content)
    assert one_sheet(run).code == 0
    text = pdf_text(Path("sheet.pdf"))
    assert "Caf\u00e9 and pi\u00f1a" in text
    assert "\u0301" not in text and "\u0303" not in text


def test_an_unbroken_500_character_word_or_link_wraps_inside_the_frame(run, content: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is needed (Debian package poppler-utils)")
    word, url = "Unbreakable" * 46, "https://example.org/" + "x" * 480
    replace(HANDOUT, "  - heading: Bravo heading",
            f"  - heading: Bravo heading\n  - paragraph: 'Word {word} end'\n  - paragraph: 'See {url} or [{url}]({url}) end'")(content)
    assert one_sheet(run).code == 0
    boxes = subprocess.run(["pdftotext", "-bbox", "sheet.pdf", "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    long_words = [(float(a), float(b), w) for a, b, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', boxes)
                  if "Unbreakable" in w or "xxxx" in w]
    assert sum(len(w) for _, _, w in long_words) >= len(word) + 2 * 480, "the long words are not all on the page"
    assert len(long_words) >= 12, "the long words were not broken into lines"
    for x_min, x_max, w in long_words:
        assert 36 <= x_min and x_max <= width - 36, f"{w[:30]}… runs from {x_min} to {x_max} on a page {width} wide"


def test_cdata_end_and_raw_link_markup_print_literally_and_never_link(run, content: Path) -> None:
    literal = ']]> <a href="javascript:alert(1)">click</a> <a href="file:///etc/passwd">x</a>'
    replace(HANDOUT, "  - heading: Bravo heading", f"  - heading: Bravo heading\n  - paragraph: '{literal}'")(content)
    assert one_sheet(run).code == 0
    assert literal in pdf_text(Path("sheet.pdf"))
    targets = [a.get_object()["/A"].get("/URI", "") for page in PdfReader("sheet.pdf").pages for a in page.get("/Annots") or []
               if "/A" in a.get_object()]
    assert targets and all(t.startswith(("https:", "mailto:", "tel:")) for t in targets), targets
    assert b"/JavaScript" not in Path("sheet.pdf").read_bytes()


def test_a_value_that_looks_like_a_placeholder_is_printed_not_expanded(run, content: Path) -> None:
    replace(HANDOUT, "  - heading: Bravo heading", "  - heading: Bravo heading\n  - paragraph: 'Dear {patient.name}, see {{brand.phone}}.'")(content)
    assert one_sheet(run, "--patient", "{brand.phone} {{settings.wait_hours}}").code == 0
    assert "Dear {brand.phone} {{settings.wait_hours}}, see {brand.phone}." in pdf_text(Path("sheet.pdf"))


# --- personal details, lints and the command line -------------------------------------------------------------

@pytest.mark.parametrize(("args", "line"), [
    (["--date", "9999-12-31"], "error: --date: '9999-12-31' is outside the years 1900 to 2200 (expected a date such as 2026-11-24)"),
    (["--date", "1899-12-31"], "error: --date: '1899-12-31' is outside the years 1900 to 2200 (expected a date such as 2026-11-24)"),
    (["--date", "2026-W48-2"], "error: --date: '2026-W48-2' is not a date that exists (expected YYYY-MM-DD, e.g. 2026-11-24)"),
    (["--date", "20261124"], "error: --date: '20261124' is not a date that exists (expected YYYY-MM-DD, e.g. 2026-11-24)"),
    (["--date", "2026-11-24", "--follow-up", "2201-01-01"],
     "error: --follow-up: '2201-01-01' is outside the years 1900 to 2200 (expected a date such as 2026-11-24)"),
])
def test_dates_out_of_range_or_in_other_forms_are_refused(run, content: Path, args: list[str], line: str) -> None:
    result = one_sheet(run, *args)
    assert result.code == 2 and line in result.err.splitlines(), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert not Path("sheet.pdf").exists()


def test_dates_at_the_ends_of_the_range_work(run, content: Path) -> None:
    assert one_sheet(run, "--date", "2200-12-31", "--follow-up", "2200-12-31").code == 0
    assert run("handout", "demo/aftercare", "--brand", "plain", "--content", "content", "-o", "early.pdf", "--date", "1900-01-01").code == 0


def test_a_broken_translation_is_an_error_not_a_missing_one(run, content: Path) -> None:
    replace(HANDOUT, "title: Every block demo", "title: [broken")(content)
    result = run("check", "--content", "content")
    assert result.code == 1
    assert "exists in es but not in en" not in result.err + result.out
    assert (f"content/{HANDOUT}:5: YAML syntax error: expected ',' or ']', but got ':' at column 9 "
            "(valid YAML; check indentation, colons and quotes)") in result.err.splitlines(), result.err


def test_a_brand_called_like_a_command_is_still_a_build(run, content: Path) -> None:
    result = run("--content", "content", "--brand", "list", "--out", "out")
    assert result.code == 2
    assert result.err.splitlines() == ["error: unknown brand 'list' (one of: plain, teal)"]
    assert "Brands" not in result.out
    listed = run("--debug", "list", "--content", "content")
    assert listed.code == 0 and "Brands" in listed.out


# --- environment and output -----------------------------------------------------------------------------------

def _deny_writes_below(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make folder read-only for this process, as chmod would for anyone but root."""
    real_open, real_mkdir = os.open, os.mkdir
    inside = folder.resolve()

    def denied(path: object) -> bool:
        try:
            return inside in Path(os.fsdecode(path)).resolve().parents  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False

    def guarded_open(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and denied(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def guarded_mkdir(path, *args, **kwargs):  # noqa: ANN001, ANN202
        if denied(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "mkdir", guarded_mkdir)


def test_an_output_folder_without_write_permission(run, content: Path) -> None:
    assert build(run).code == 0
    before = {p: p.read_bytes() for p in Path("out").rglob("*") if p.is_file()}
    folders = [Path("out"), *[p for p in Path("out").rglob("*") if p.is_dir()]]
    with pytest.MonkeyPatch.context() as patch:
        if os.geteuid() == 0:  # root writes anyway: take the permission away inside this process instead
            _deny_writes_below(Path("out"), patch)
        else:
            for folder in folders:
                folder.chmod(0o555)
        try:
            result = build(run)
        finally:
            for folder in folders:
                folder.chmod(0o755)
    assert result.code == 1
    assert result.err.splitlines() == ["error: out: output folder cannot be written (Permission denied)"], result.err
    assert {p: p.read_bytes() for p in Path("out").rglob("*") if p.is_file()} == before  # nothing emptied, nothing added


def test_reportlab_trusted_hosts_stay_empty_whatever_the_environment_says(tree: Path, tmp_path: Path) -> None:
    env = {**os.environ, "RL_trustedHosts": "example.com", "PYTHONPATH": str(ROOT)}
    probe = "from reportlab import rl_config; print(repr(rl_config.trustedHosts))"
    alone = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert "example.com" in alone.stdout, "the environment variable no longer reaches reportlab: this test proves nothing"
    script = ("from handouts.cli import main\n"
              f"code = main(['handout', 'demo/aftercare', '--brand', 'plain', '--content', {str(tree)!r}, '-o', 'x.pdf'])\n"
              + probe.replace("print(", "print(code, "))
    after = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert after.stdout.splitlines()[-1] in ("0 None", "0 []"), after.stdout + after.stderr


# --- the suite's own PDF check --------------------------------------------------------------------------------

def test_the_pdf_check_refuses_a_cut_short_pdf(run, content: Path) -> None:
    assert one_sheet(run).code == 0
    check_pdf(Path("sheet.pdf"))
    cut = Path("cut.pdf.part")
    cut.write_bytes(Path("sheet.pdf").read_bytes()[:-2000])
    # pypdf's strict reading or qpdf's verdict, whichever comes first: either names the damage.
    with pytest.raises((AssertionError, PdfReadError), match=r"qpdf --check failed|EOF|startxref|xref|trailer|stream"):
        check_pdf(cut)
    cut.unlink()


@pytest.mark.parametrize("inside", ["demo/aftercare.en.yaml", "demo/settings.yaml", "brands/teal/brand.yaml"])
def test_a_yaml_file_linked_from_outside_the_tree_is_refused(run, tree: Path, tmp_path: Path, inside: str) -> None:
    outside = tmp_path / "elsewhere.yaml"
    target = tree / inside
    outside.write_text(target.read_text())
    target.unlink()
    os.symlink(outside, target)
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1")
    assert result.code == 1
    assert (f"{target}: file points outside the content folder (a symbolic link?) (a file inside the content folder)"
            in result.err.replace(str(Path.cwd()) + "/", ""))
    assert "Traceback" not in result.err


def test_a_symbolic_link_loop_is_a_clear_error(run, tree: Path, tmp_path: Path) -> None:
    target = tree / "demo/aftercare.es.yaml"
    target.unlink()
    os.symlink("loop", target)
    os.symlink(target.name, tree / "demo/loop")
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1")
    assert result.code == 1
    assert f"{target}: cannot read file: Too many levels of symbolic links" in result.err
    assert "internal error" not in result.err
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.pdf")) == ["demo-aftercare.en.standard.pdf"] * 2


def test_a_manifest_naming_a_device_or_a_path_outside_is_ignored(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    for odd in ("/dev/zero", "../../outside.pdf", "plain/../../x.pdf"):
        manifest["handouts"].append(dict(manifest["handouts"][0], path=odd, brand="plain"))
    (out / "manifest.json").write_text(json.dumps(manifest))
    # Neither a filtered build nor a merge reads /dev/zero (it would never end) or trusts a path out of the folder.
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "teal")
    assert result.code == 0, result.err
    assert sorted(e["path"] for e in json.loads((out / "manifest.json").read_text())["handouts"]) == [
        "plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.es.standard.pdf"]
    # A merge takes only the PDFs of the shard's own share; named there, the odd paths are refused, never read.
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = run("merge", out, out / "manifest.json")
    assert result.code == 0, result.err
    assert len(json.loads((out / "manifest.json").read_text())["handouts"]) == 3
    manifest["build"]["jobs"] += ["/dev/zero", "../../outside.pdf"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = run("merge", out, out / "manifest.json")
    assert result.code == 1
    assert "/dev/zero: is missing or differs from its manifest entry" in result.err
    assert f"{out}/../../outside.pdf: is missing or differs from its manifest entry" in result.err
