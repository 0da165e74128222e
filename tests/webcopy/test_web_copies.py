"""The web copies a build writes: semantic HTML for every block type, a folder to upload, the manifest, incremental builds."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import squash


class Page(HTMLParser):
    """The elements of an HTML page, with their attributes and the text inside each."""

    VOID = {"meta", "link", "img", "input", "br", "hr", "source"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.open: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs), []))
        if tag not in self.VOID:
            self.open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.elements[self.open.pop()][0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for index in self.open:
            self.elements[index][2].append(data)

    def all(self, tag: str, **attrs: str) -> list[tuple[dict[str, str | None], str]]:
        """(attributes, text) of every element of this tag whose attributes include attrs."""
        return [(a, squash("".join(text))) for t, a, text in self.elements
                if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def text(self, tag: str, **attrs: str) -> list[str]:
        """The text of every element of this tag."""
        return [text for _, text in self.all(tag, **attrs)]


@pytest.fixture
def built(run, tree: Path, tmp_path: Path) -> Path:
    """The fixture tree (every block type, two brands) built."""
    out = tmp_path / "out"
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 0, result.err
    return out


def test_every_block_type_has_its_html_element(built: Path) -> None:
    html = (built / "teal/html/en/demo-aftercare.html").read_text()
    page = Page(html)
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">")
    assert page.text("h1") == ["Every block demo"]
    headings = [(tag, squash("".join(text))) for tag, _, text in page.elements if re.fullmatch(r"h[1-6]", tag)]
    assert headings == [("h1", "Every block demo"), ("h2", "Bravo heading"), ("h3", "Foxtrot info"), ("h3", "Golf tip"),
                        ("h3", "Hotel warning"), ("h3", "Call us right away if"), ("h3", "Papa contact"), ("h3", "Romeo appointment")]
    assert page.text("p")[2] == "Alpha paragraph with bold words, italic words and a booking link. R&D <tags> stay literal."
    assert "R&amp;D &lt;tags&gt; stay literal." in html
    assert page.text("strong")[0] == "bold words" and page.text("em") == ["italic words"]
    assert page.all("a", href="https://example.org/book")[0][1] == "booking link"
    assert page.text("ul", class_="bullets")[0] == "Charlie bullet one. Wait 48 hours before makeup."  # teal sets 48
    assert page.text("ol", class_="steps") == ["Delta step one. Delta step two."]
    boxes = page.all("input", type="checkbox")
    labels = page.all("label")
    assert [a["for"] for a, _ in labels] == [a["id"] for a, _ in boxes] and [t for _, t in labels] == ["Echo tick item.", "Stop retinol."]
    assert page.text("th", scope="row") == ["Day 0", "Days 1–2", "Week 1"]
    assert page.text("th", scope="col") == ["Do", "Don't"]
    assert page.text("td")[:2] == ["India day zero.", "Juliet days one to two."]
    assert page.text("dt")[0] == "November question?" and page.text("dd")[0] == "Oscar answer."
    assert [a for a, _ in page.all("a") if (a["href"] or "").startswith("tel:")][0]["href"] == "tel:5550100000"
    assert page.text("address")
    logo, picture = (attrs for attrs, _ in page.all("img"))
    assert logo["alt"] == "" and logo["src"].startswith("../assets/logo-")  # beside the clinic's name, so decorative
    assert picture == {"src": picture["src"], "alt": "Needles in skin", "width": "1200", "height": "600"}
    assert picture["src"].startswith("../assets/picture-") and picture["src"].endswith(".png")
    assert page.text("figcaption") == ["Sierra caption"]
    assert page.all("a", href="https://example.org/book")[-1][1].startswith("Tango booking")
    assert not [attrs for _, attrs, _ in page.elements for name in attrs if name.startswith("on")], "an event handler attribute"


def test_the_copy_loads_nothing_from_other_sites(built: Path) -> None:
    for page in sorted(built.glob("*/html/**/*.html")):
        html = page.read_text()
        assert "<script" not in html.lower(), page
        for tag, attrs, _ in Page(html).elements:
            for name in ("src", "href"):
                value = attrs.get(name)
                if value is None or (tag == "a" and name == "href") or value == "data:,":
                    continue  # a link the reader may follow is not a request; nor is an empty icon
                assert "://" not in value and not value.startswith("//"), f"{page}: <{tag} {name}={value}>"
                assert (page.parent / value).is_file(), f"{page}: <{tag} {name}={value}> names no file"
    for css in sorted(built.glob("*/html/assets/*.css")):
        for url in re.findall(r"url\(\"?([^\")]+)", css.read_text()):
            assert "://" not in url and (css.parent / url).is_file(), f"{css}: url({url})"
        assert "@import" not in css.read_text()


def test_spanish_copy_links_to_the_english_one_and_back(built: Path) -> None:
    english = Page((built / "teal/html/en/demo-aftercare.html").read_text())
    spanish = Page((built / "teal/html/es/demo-aftercare.html").read_text())
    assert english.all("a", hreflang="es") == [({"href": "../es/demo-aftercare.html", "hreflang": "es", "lang": "es", "dir": "ltr"}, "Español")]
    assert spanish.all("a", hreflang="en")[0][1] == "English"
    assert (built / "teal/html/es/demo-aftercare.html").read_text().startswith('<!DOCTYPE html>\n<html lang="es" dir="ltr">')
    index = Page((built / "teal/html/es/index.html").read_text())
    assert index.text("h1") == ["Información para pacientes"] and index.all("a", href="demo-aftercare.html")
    home = Page((built / "teal/html/index.html").read_text())
    assert [a["href"] for a, _ in home.all("a") if a.get("hreflang")] == ["en/index.html", "es/index.html"]
    plain = sorted(p.relative_to(built).as_posix() for p in (built / "plain/html").rglob("*.html"))
    assert plain == ["plain/html/en/demo-aftercare.html", "plain/html/en/index.html", "plain/html/index.html"]


def test_copies_are_in_the_manifest_and_byte_identical(run, built: Path, tree: Path, tmp_path: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    on_disk = {p.relative_to(built).as_posix() for p in built.glob("*/html/**/*") if p.is_file()}
    listed = {entry["path"]: entry for entry in manifest["copies"]}
    assert set(listed) == on_disk
    import hashlib

    for path, entry in listed.items():
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == entry["sha256"]
    page = listed["teal/html/es/demo-aftercare.html"]
    assert page == {"path": "teal/html/es/demo-aftercare.html", "brand": "teal", "role": "page", "sha256": page["sha256"],
                    "treatment": "demo", "kind": "aftercare", "language": "es", "title": "Demostración de cuidados"}
    assert {listed[p]["role"] for p in listed if p.endswith("index.html")} == {"index"}
    assert any(p.startswith("teal/html/assets/fonts/NotoSans-Regular-") for p in listed)
    again = tmp_path / "again"
    assert run("build", "--content", tree, "--out", again, "--jobs", "2").code == 0
    for path in on_disk:
        assert (again / path).read_bytes() == (built / path).read_bytes(), path
    assert json.loads((again / "manifest.json").read_text())["copies"] == manifest["copies"]


def test_a_second_build_writes_nothing_and_a_lost_page_comes_back(run, built: Path, tree: Path) -> None:
    page = built / "teal/html/en/demo-aftercare.html"
    original = page.read_bytes()
    page.unlink()
    result = run("build", "--content", tree, "--out", built, "--jobs", "1")
    assert result.code == 0 and page.read_bytes() == original
    assert "Web copies: 3 pages, 1 file written" in result.out
    result = run("build", "--content", tree, "--out", built, "--jobs", "1")
    assert "Built 0 PDFs, 3 unchanged" in result.out


def test_edited_and_removed_handouts_change_the_copies(run, built: Path, tree: Path) -> None:
    source = tree / "demo/aftercare.en.yaml"
    source.write_text(source.read_text().replace("Charlie bullet one.", "Charlie bullet changed."))
    (tree / "demo/aftercare.es.yaml").unlink()
    result = run("build", "--content", tree, "--out", built, "--jobs", "1")
    assert result.code == 0, result.err
    assert "Charlie bullet changed." in (built / "teal/html/en/demo-aftercare.html").read_text()
    assert not (built / "teal/html/es/demo-aftercare.html").exists()
    assert "Español" not in (built / "teal/html/en/demo-aftercare.html").read_text()
    listed = {e["path"] for e in json.loads((built / "manifest.json").read_text())["copies"]}
    assert "teal/html/es/demo-aftercare.html" not in listed and "teal/html/es/index.html" in listed


def test_a_filtered_build_keeps_the_other_brands_copies(run, built: Path, tree: Path) -> None:
    before = json.loads((built / "manifest.json").read_text())["copies"]
    result = run("build", "--content", tree, "--out", built, "--jobs", "1", "--brand", "plain", "--force")
    assert result.code == 0, result.err
    assert json.loads((built / "manifest.json").read_text())["copies"] == before
    shutil.rmtree(tree / "brands/teal")
    assert run("build", "--content", tree, "--out", built, "--jobs", "1").code == 0
    assert not (built / "teal/html").exists() or not any((built / "teal/html").rglob("*.html"))
    assert not [e for e in json.loads((built / "manifest.json").read_text())["copies"] if e["brand"] == "teal"]


def test_a_block_type_without_an_html_form_is_refused_at_import() -> None:
    from dataclasses import dataclass

    from handouts import blocks, htmlcopy

    @dataclass
    class Sketch(blocks.Block):
        """A block type some branch might add."""

    blocks.BLOCK_TYPES["sketch"] = Sketch
    try:
        with pytest.raises(RuntimeError, match=r"block types without an HTML form in .*blocks\.html: \['sketch'\]"):
            htmlcopy._check_registry()
    finally:
        del blocks.BLOCK_TYPES["sketch"]
    htmlcopy._check_registry()


def test_a_base_address_gives_each_copy_its_address(run, tree: Path, tmp_path: Path) -> None:
    kit = tree / "brands/teal/brand.yaml"
    kit.write_text(kit.read_text() + "web_base_url: https://teal.example/patients\n")
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    page = Page((out / "teal/html/es/demo-aftercare.html").read_text())
    assert page.all("link", rel="canonical")[0][0]["href"] == "https://teal.example/patients/es/demo-aftercare.html"
    assert [a["href"] for a, _ in page.all("link", rel="alternate")] == ["https://teal.example/patients/en/demo-aftercare.html",
                                                                         "https://teal.example/patients/es/demo-aftercare.html"]
    entries = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["copies"]}
    assert entries["teal/html/en/demo-aftercare.html"]["url"] == "https://teal.example/patients/en/demo-aftercare.html"
    assert "url" not in entries["plain/html/en/demo-aftercare.html"] and not Page((out / "plain/html/en/demo-aftercare.html").read_text()).all("link", rel="canonical")


@pytest.mark.parametrize("value, message", [
    ("http://teal.example/", "'http://teal.example/' is not an https:// address"),
    ("https://teal.example/?lang=en", "'https://teal.example/?lang=en' has a query or fragment"),
    ("https://teal.example/pätients/", "'https://teal.example/pätients/' has spaces or characters outside ASCII"),
    ("https://teal.example/" + "a" * 40, "'https://teal.example/" + "a" * 39 + "…' is longer than 60 characters, too long for the small QR code "
                                          "on each sheet"),
])
def test_a_bad_base_address_is_reported_at_its_line(run, tree: Path, tmp_path: Path, value: str, message: str) -> None:
    kit = tree / "brands/teal/brand.yaml"
    lines = kit.read_text().splitlines()
    kit.write_text("\n".join(lines + [f'web_base_url: "{value}"']) + "\n")
    result = run("check", "--content", tree)
    assert result.code == 1
    assert f"{kit}:{len(lines) + 1}: web_base_url: {message} (an https:// address without ? or #, e.g. https://example.com/handouts/)" \
        in squash(result.err)


def test_a_base_address_is_not_inherited(run, tree: Path, tmp_path: Path) -> None:
    kit = tree / "brands/plain/brand.yaml"  # teal extends plain, but is hosted elsewhere (or nowhere)
    kit.write_text(kit.read_text() + "web_base_url: https://plain.example/\n")
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    urls = {e["path"]: e.get("url") for e in json.loads((out / "manifest.json").read_text())["copies"] if e["role"] == "page"}
    assert urls == {"plain/html/en/demo-aftercare.html": "https://plain.example/en/demo-aftercare.html",
                    "teal/html/en/demo-aftercare.html": None, "teal/html/es/demo-aftercare.html": None}
