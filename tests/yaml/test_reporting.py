"""A brand kit that fails to load is reported as what is wrong in it, by every command; files in UTF-16, fonts whose
licence forbids embedding, and right-to-left text are refused with one clear message wherever they appear."""

from __future__ import annotations

import shutil
import unicodedata
import struct
from pathlib import Path

import pytest

from handouts.fonts import BUNDLED

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once per process

TEAL = "brands/teal/brand.yaml"
GLYPH_HINT = "text the brand's font can print, or a brand font that has this character"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_fs_type(data: bytes, fs_type: int) -> bytes:
    """A TrueType file with its OS/2 fsType (embedding licence) set, the table's checksum kept right."""
    data = bytearray(data)
    for index in range(struct.unpack(">H", data[4:6])[0]):
        record = 12 + 16 * index
        if data[record:record + 4] == b"OS/2":
            offset, length = struct.unpack(">II", data[record + 8:record + 16])
            data[offset + 8:offset + 10] = struct.pack(">H", fs_type)
            table = bytes(data[offset:offset + length]) + b"\0" * (-length % 4)
            data[record + 4:record + 8] = struct.pack(">I", sum(struct.unpack(f">{len(table) // 4}I", table)) & 0xFFFFFFFF)
    return bytes(data)


def _bad_colour(tree: Path) -> str:
    _edit(tree / TEAL, 'primary: "#1F4E5A"', 'primary: "#1F4E5Z"')
    return f"{tree / TEAL}:4: colors.primary: '#1F4E5Z' is not a colour (a colour such as \"#1F4E5A\")"


def _bad_utf8(tree: Path) -> str:
    (tree / TEAL).write_bytes((tree / TEAL).read_bytes().replace(b"Teal Studio", b"Teal \xff Studio"))
    return f"{tree / TEAL}:1: file is not UTF-8: byte 0xFF cannot be decoded (save the file as UTF-8)"


def _web_font(tree: Path) -> str:
    (tree / "brands/teal/Body.ttf").write_bytes(b"wOF2" + b"\0" * 100)  # a web font renamed
    (tree / TEAL).write_text((tree / TEAL).read_text() + "fonts: {regular: Body.ttf}\n")
    return f"{tree / TEAL}:8: fonts.regular: 'Body.ttf' is a WOFF2 web font, not a TrueType font (a TrueType (.ttf) font file)"


def _emoji(tree: Path) -> str:
    _edit(tree / TEAL, "name: Teal Studio", "name: Teal Studio 🌿")
    return f"{tree / TEAL}:1: name: character '🌿' (U+1F33F, emoji and symbols) is not in the bundled Noto Sans or the bundled script fonts ({GLYPH_HINT})"


def _utf16(tree: Path) -> str:
    (tree / TEAL).write_bytes((tree / TEAL).read_text().encode("utf-16-le"))
    return (f"{tree / TEAL}: file is not UTF-8: it is UTF-16 text (little-endian, without a byte-order mark) "
            "(save the file as UTF-8)")


def _licence(tree: Path) -> str:
    (tree / "brands/teal/Body.ttf").write_bytes(_with_fs_type(BUNDLED["regular"].read_bytes(), 0x0002))
    (tree / TEAL).write_text((tree / TEAL).read_text() + "fonts: {regular: Body.ttf}\n")
    return (f"{tree / TEAL}:8: fonts.regular: 'Body.ttf' may not be embedded in documents (its licence: OS/2 fsType 2, "
            "restricted licence embedding) (a font whose licence allows embedding in documents)")


BREAKS = {"colour": _bad_colour, "invalid UTF-8": _bad_utf8, "web font": _web_font, "emoji": _emoji, "UTF-16": _utf16,
          "font licence": _licence}


@pytest.mark.parametrize("command", ["handout", "build"])
@pytest.mark.parametrize("fault", BREAKS)
def test_a_brand_kit_that_fails_is_reported_by_what_is_wrong_in_it(run, tree: Path, tmp_path: Path, fault: str, command: str) -> None:
    line = BREAKS[fault](tree)
    if command == "handout":
        result = run("handout", "demo/aftercare", "--brand", "teal", "--content", tree, "-o", tmp_path / "sheet.pdf")
    else:
        result = run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "teal", "--jobs", "1")
    assert result.code == 1, result.err
    assert line in result.err.splitlines(), result.err
    assert "unknown brand" not in result.err and "internal error" not in result.err and "Traceback" not in result.err


def test_a_brand_extending_a_broken_one_shows_both(run, tree: Path, tmp_path: Path) -> None:
    _edit(tree / "brands/plain/brand.yaml", 'text: "#1B1B1B"', 'text: "black"')
    result = run("handout", "demo/aftercare", "--brand", "teal", "--content", tree, "-o", tmp_path / "sheet.pdf")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{tree}/brands/plain/brand.yaml:3: colors.text: 'black' is not a colour (a colour such as \"#1F4E5A\")",
        f"{tree / TEAL}:2: extends brand 'plain', which has errors (fix {tree}/brands/plain/brand.yaml first)"]


def test_an_unknown_brand_still_lists_the_kits_that_exist(run, tree: Path, tmp_path: Path) -> None:
    _bad_colour(tree)
    result = run("handout", "demo/aftercare", "--brand", "tael", "--content", tree, "-o", tmp_path / "sheet.pdf")
    assert result.code == 2
    assert result.err == "error: unknown brand 'tael' (one of: plain, teal; did you mean 'teal'?)\n"


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16", "utf-32-le"])
def test_a_handout_in_utf16_or_utf32_is_not_utf8(run, tree: Path, encoding: str) -> None:
    handout = tree / "demo/aftercare.en.yaml"
    handout.write_bytes(handout.read_text().encode(encoding))
    result = run("check", "--content", tree)
    assert result.code == 1
    assert f"{handout}: file is not UTF-8: it is UTF-" in result.err
    assert "control character" not in result.err


HEBREW = "(U+05E9, Hebrew) is not in "  # right-to-left text prints; Hebrew has no bundled font, which the glyph check says


@pytest.mark.parametrize(("where", "old", "new"), [
    ("demo/aftercare.en.yaml", "title: Every block demo", "title: Every block demo שלום"),
    ("demo/aftercare.en.yaml", "Bravo heading", "Bravo שלום heading"),
    (TEAL, "name: Teal Studio", "name: Teal Studio שלום"),
    ("brands/plain/brand.yaml", "address: 1 Test Street", "address: 1 Test Street שלום"),
    ("demo/settings.yaml", 'default: "24"', 'default: "24 שעות"'),
    (TEAL, 'settings: {wait_hours: "48"}', 'settings: {wait_hours: "48 שעות"}'),
])
def test_a_right_to_left_script_without_a_font_is_reported_wherever_it_would_print(run, tree: Path, where: str, old: str, new: str) -> None:
    _edit(tree / where, old, new)
    result = run("check", "--content", tree)
    assert result.code == 1
    assert HEBREW in result.err and "right-to-left text" not in result.err, result.err


def test_an_arabic_name_prints_and_a_hebrew_one_is_reported(run, tree: Path, tmp_path: Path) -> None:
    from conftest import pdf_text

    sheet = tmp_path / "sheet.pdf"
    result = run("handout", "demo/aftercare", "--brand", "teal", "--content", tree, "-o", sheet, "--patient", "ليلى حداد")
    assert result.code == 0, result.err
    assert "حداد ليلى" in unicodedata.normalize("NFKC", pdf_text(sheet)) or "ليلى حداد" in unicodedata.normalize("NFKC", pdf_text(sheet))
    result = run("handout", "demo/aftercare", "--brand", "teal", "--content", tree, "-o", tmp_path / "other.pdf", "--provider", "Dana שלום")
    assert result.code == 1 and HEBREW in result.err and not (tmp_path / "other.pdf").exists()


def test_a_font_that_allows_embedding_for_print_is_accepted(run, tree: Path, tmp_path: Path) -> None:
    (tree / "brands/teal/Body.ttf").write_bytes(_with_fs_type(BUNDLED["regular"].read_bytes(), 0x0004))  # preview and print
    (tree / TEAL).write_text((tree / TEAL).read_text() + "fonts: {regular: Body.ttf}\n")
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "teal", "--jobs", "1")
    assert result.code == 0, result.err


def test_patient_details_from_a_file_refuse_utf16_without_quoting_them(run, tree: Path, tmp_path: Path) -> None:
    details = tmp_path / "patient.yaml"
    details.write_bytes("name: Dana Lee\n".encode("utf-16-le"))
    result = run("handout", "demo/aftercare", "--brand", "teal", "--content", tree, "-o", tmp_path / "sheet.pdf", "--patient-from", details)
    assert result.code == 2
    assert result.err == (f"error: --patient-from: {details}: is not UTF-8 text: it is UTF-16 text (little-endian, without a "
                          "byte-order mark) (save it as UTF-8)\n")
    assert not (tmp_path / "sheet.pdf").exists()
