"""Pictures as hostile or unusual files make them: 16-bit greys, SVG sizes that are not numbers, references to files,
<use> bombs, SVGs of no size, and text inside an SVG (drawn in the brand's embedded fonts, or refused)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import pdf_for

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once per process

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50"{}>{}</svg>\n'
PLAIN_SVG = "a plain SVG file with shapes and paths"


def _png16(grey: int, size: int = 400) -> bytes:
    """A 16-bit greyscale PNG of one grey (0 to 65535)."""
    row = b"\x00" + struct.pack(">H", grey) * size
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 16, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b""))


def _images(data: bytes) -> list:
    return [image.image for page in PdfReader(io.BytesIO(data)).pages for image in page.images]


def test_a_16_bit_grey_png_prints_its_grey(tree: Path) -> None:
    (tree / "demo/images/diagram.png").write_bytes(_png16(32768))  # 50 % grey
    pictures = [image for image in _images(pdf_for(tree, "plain", "standard")) if image.size == (400, 400)]
    assert len(pictures) == 1
    assert pictures[0].convert("L").getpixel((200, 200)) == 128


def _logo(tree: Path, svg: str) -> Path:
    (tree / "brands/teal/logo.svg").write_text(svg, encoding="utf-8")
    return tree / "brands/teal/brand.yaml"


@pytest.mark.parametrize(("svg", "message"), [
    (SVG.format(' width="inf" height="50"', '<rect width="100" height="50"/>'),
     f"logo: 'logo.svg' has width=\"inf\", which is not a number ({PLAIN_SVG} whose sizes and positions are finite numbers)"),
    (SVG.format("", '<rect width="100" height="50" style="fill:url(file:///x#y)"/>'),
     f"logo: 'logo.svg' refers to another file or address ('fill:url(file:///x#y)') ({PLAIN_SVG} that names no other file (url(#id) only))"),
    (SVG.format("", '<style>@import url("https://example.org/a.css");</style><rect width="100" height="50"/>'),
     f"logo: 'logo.svg' has a <style> that refers to another file or address ({PLAIN_SVG} that names no other file)"),
    (SVG.format(' width="0" height="0"', '<rect width="100" height="50"/>'),
     "logo: 'logo.svg' has width '0', which is not a size (a positive width such as 200 or 200px, or none beside a viewBox)"),
    (SVG.format("", '<g id="a"><use xlink:href="#a"/></g>'),
     f"logo: 'logo.svg' has a <use> element that contains itself ({PLAIN_SVG})"),
    (SVG.format("", '<defs><rect id="a0" width="1" height="1"/>' + "".join(
        f'<g id="a{i}">' + f'<use xlink:href="#a{i - 1}"/>' * 10 + "</g>" for i in range(1, 12)) + '</defs><use xlink:href="#a11"/>'),
     f"logo: 'logo.svg' has more than 5,000 elements (each <use> counted as what it repeats) "
     f"({PLAIN_SVG}; at most 5,000 elements, e.g. simplified in an editor)"),
    (SVG.format("", '<text x="5" y="30"><textPath xlink:href="#p">Teal</textPath></text>'),
     f"logo: 'logo.svg' contains <textPath> ({PLAIN_SVG}; text on a path is not drawn)"),
], ids=["width-inf", "url-file", "style-import", "zero-size", "use-itself", "use-bomb", "text-path"])
def test_a_hostile_svg_logo_is_an_error_of_the_brand_kit_at_its_line(run, tree: Path, svg: str, message: str) -> None:
    brand = _logo(tree, svg)
    result = run("check", "--content", tree)
    assert result.code == 1
    assert f"{brand}:3: {message}" in result.err.splitlines(), result.err
    assert "internal error" not in result.err and "Traceback" not in result.err


def _fonts_of(data: bytes) -> set[str]:
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page["/Resources"]
        forms = [x.get_object() for x in (resources.get("/XObject") or {}).values()]
        for holder in [resources] + [form.get("/Resources", {}) for form in forms]:
            for font in (holder.get("/Font") or {}).values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                embedded = "/FontDescriptor" in descendant and "/FontFile2" in descendant["/FontDescriptor"].get_object()
                found.add(str(font["/BaseFont"]) + ("" if embedded else " (not embedded)"))
    return found


def test_text_in_an_svg_is_drawn_in_the_brands_embedded_fonts(tree: Path, tmp_path: Path) -> None:
    from conftest import pdf_text

    _logo(tree, SVG.format("", '<text x="5" y="20" font-family="Arial">Teal Zoë</text>'
                               '<text x="5" y="45" font-family="Times" font-weight="bold">Studio</text>'))
    data = pdf_for(tree, "teal", "standard")
    fonts = _fonts_of(data)
    assert not [font for font in fonts if "not embedded" in font or "Helvetica" in font or "Times" in font], fonts
    assert any(font.endswith("+NotoSans-Bold") or "NotoSans-Bold" in font for font in fonts), fonts
    (tmp_path / "sheet.pdf").write_bytes(data)
    assert "Teal Zoë" in pdf_text(tmp_path / "sheet.pdf") and "Studio" in pdf_text(tmp_path / "sheet.pdf")


def test_text_in_an_svg_logo_with_a_character_the_fonts_lack_is_an_error_of_the_brand_kit(run, tree: Path) -> None:
    brand = _logo(tree, SVG.format("", '<text x="5" y="30">Teal ☃</text>'))
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{brand}:3: logo: text in 'logo.svg': character '☃' (U+2603) is not in the bundled Noto Sans "
            "(text the brand's font can print, or a brand font that has this character)") in result.err.splitlines()


def test_text_in_an_svg_picture_with_a_character_the_fonts_lack_is_an_error_at_its_block(run, tree: Path) -> None:
    (tree / "demo/images/label.svg").write_text(SVG.format("", '<text x="5" y="30">Épiderme 中</text>'), encoding="utf-8")
    handout = tree / "demo/aftercare.en.yaml"
    handout.write_text(handout.read_text().replace("file: images/diagram.png", "file: images/label.svg"))
    line = next(n for n, text in enumerate(handout.read_text().splitlines(), 1) if "label.svg" in text)
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{handout}:{line}: image: text in 'label.svg': character '中' (U+4E2D) is not in the bundled Noto Sans "
            "(text the brand's font can print, or a brand font that has this character)") in result.err.splitlines()


@pytest.mark.parametrize("body, conversions", [('<rect width="10" height="10"/>', 1), ('<text x="5" y="20">Teal</text>', 2)])
def test_an_svg_without_text_is_converted_once_for_its_check_and_its_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                            body: str, conversions: int) -> None:
    from svglib import svglib

    from handouts import fonts, images

    path = tmp_path / "logo.svg"
    path.write_text(SVG.format("", body))
    calls: list[str] = []
    render = svglib.SvgRenderer.render
    monkeypatch.setattr(svglib.SvgRenderer, "render", lambda self, node: calls.append(str(node)) or render(self, node))
    vector = images.load(path)
    family = fonts.family(None)
    drawn = [images.drawing(vector, 50, 25, font) for font in (family.regular, family.regular, images.SVG_TEXT_FONT)]
    assert len(calls) == conversions  # the check's drawing (in SVG_TEXT_FONT), and the sheet's font only where there is text
    assert all(d.width == 50 for d in drawn)
