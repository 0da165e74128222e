"""Links and QR codes with characters outside ASCII, links checked again once placeholders are filled, and QR codes
that a link too long for them would overflow."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import pdf_for

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once in the run

ADDRESS = "https://exämple.org/€/büchen?für=dich"
AS_URI = "https://xn--exmple-cua.org/%E2%82%AC/b%C3%BCchen?f%C3%BCr=dich"


def _blocks(tree: Path, *blocks: str) -> Path:
    """The demo handout's blocks replaced by these (YAML lines without the leading '  - ')."""
    path = tree / "demo/aftercare.en.yaml"
    head = path.read_text(encoding="utf-8").split("blocks:\n")[0]
    path.write_text(head + "blocks:\n" + "".join(f"  - {block}\n" for block in blocks), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _uris(data: bytes) -> list[str]:
    import io

    reader = PdfReader(io.BytesIO(data))
    return [annot.get_object()["/A"]["/URI"] for page in reader.pages for annot in page.get("/Annots", [])
            if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]]


def test_a_link_with_characters_outside_ascii_is_written_as_a_uri(tree: Path) -> None:
    _blocks(tree, f'paragraph: "Prices: [our prices]({ADDRESS}), or [write to us](mailto:josé@exämple.org)."')
    data = pdf_for(tree, "plain", "standard")
    assert _uris(data) == [AS_URI, "mailto:jos%C3%A9@xn--exmple-cua.org"]
    assert all(uri.isascii() for uri in _uris(data))


def _scan(data: bytes, tmp_path: Path) -> set[str]:
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg is needed (Debian package zbar-tools)")
    import pypdfium2 as pdfium

    found: set[str] = set()
    document = pdfium.PdfDocument(data)
    try:
        for number in range(len(document)):
            png = tmp_path / f"page{number}.png"
            document[number].render(scale=150 / 72).to_pil().save(png)
            done = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, timeout=60)
            found |= {line.strip() for line in done.stdout.splitlines() if line.strip()}
    finally:
        document.close()
    return found


def test_a_qr_code_of_a_link_outside_ascii_scans_back_as_its_uri(tree: Path, tmp_path: Path) -> None:
    from conftest import pdf_text

    _blocks(tree, f'qr: {{url: "{ADDRESS}", caption: Our prices}}')
    data = pdf_for(tree, "plain", "standard")
    assert _scan(data, tmp_path) == {AS_URI}
    (tmp_path / "sheet.pdf").write_bytes(data)
    assert "exämple.org/€/büchen?für=dich" in pdf_text(tmp_path / "sheet.pdf")  # people read the link as written


def test_a_link_filled_in_from_a_setting_is_checked_again(run, tree: Path) -> None:
    settings = tree / "demo/settings.yaml"
    settings.write_text(settings.read_text() + 'prices: {default: "javascript:alert(1)", description: Where our prices are}\n')
    handout = _blocks(tree, 'heading: Prices', 'paragraph: "See [our prices]({settings.prices})."')
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{handout}:{_line(handout, 'paragraph')}: link 'javascript:alert(1)' is not allowed "
            "(a link starting with https:, mailto:, tel:)") in result.err
    _blocks(tree, 'heading: Prices', 'qr: {url: "{settings.prices}", caption: Prices}')
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{handout}:{_line(handout, 'qr:')}: link 'javascript:alert(1)' is not allowed "
            "(an https: link, e.g. the brand's booking_url)") in result.err
    assert "internal error" not in result.err


def test_a_qr_link_too_long_once_its_placeholders_are_filled_is_an_error_at_its_line(run, tree: Path, tmp_path: Path) -> None:
    settings = tree / "demo/settings.yaml"
    settings.write_text(settings.read_text() + f'page: {{default: "{"p" * 150}", description: A long page name}}\n')
    handout = _blocks(tree, 'qr: {url: "https://example.org/{settings.page}/{settings.page}", caption: Book}')
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1", "--brand", "plain")
    assert result.code == 1
    assert (f"{handout}:{_line(handout, 'qr:')}: qr.url: the link is 321 characters long as a URI "
            "('https://example.org/pppppppppppppppppppppppppppppp…'), more than a QR code a phone reads at this size holds "
            "once its placeholders are filled (a link of at most 213 characters)") in result.err
    assert "internal error" not in result.err and "Traceback" not in result.err


def test_a_qr_link_too_long_as_written_is_an_error_of_the_handout(run, tree: Path) -> None:
    long = "https://example.org/" + "ü" * 80
    handout = _blocks(tree, f'qr: {{url: "{long}", caption: Book}}')
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{handout}:{_line(handout, 'qr:')}: blocks[0].qr.url: the link is 500 characters long as a URI "
            f"('{long[:50]}…'), more than a QR code a phone reads at this size holds (a link of at most 213 characters)") in result.err


def test_a_booking_url_too_long_for_a_qr_code_is_an_error_of_the_brand_kit(run, tree: Path) -> None:
    brand = tree / "brands/plain/brand.yaml"
    long = "https://example.org/book/" + "x" * 250
    brand.write_text(brand.read_text().replace("booking_url: https://example.org/book", f"booking_url: {long}"))
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{brand}:{_line(brand, 'booking_url')}: booking_url: the link is 275 characters long as a URI ('{long[:50]}…'), "
            "more than a QR code a phone reads at this size holds (a link of at most 213 characters)") in result.err


@pytest.mark.parametrize("fill", ["a", "A", "7", "é"])
def test_a_link_within_the_bytes_that_always_fit_fits_and_one_byte_more_in_byte_mode_may_not(fill: str) -> None:
    from handouts import links

    base = "https://example.org/"
    for length in (links.QR_MAX_BYTES - 1, links.QR_MAX_BYTES):
        link = base + fill * ((length - len(base)) // len(links.uri(fill).encode()))
        assert len(links.uri(link).encode()) <= links.QR_MAX_BYTES
        assert links._qr_code(links.uri(link)).calculate_version() <= links.QR_MAX_VERSION, link
    over = base + "a" * (links.QR_MAX_BYTES + 1 - len(base))  # lowercase letters: byte mode, the roomiest form
    assert links._qr_code(links.uri(over)).calculate_version() > links.QR_MAX_VERSION
    assert links.qr_problem(over) is not None
