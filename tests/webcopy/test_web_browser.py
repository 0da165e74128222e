"""The shipped web copies in a real browser: axe-core finds no WCAG 2.1 AA problem (nor a best-practice one), every page reflows at 400 % zoom,
and every sentence of each PDF is on its copy, in the same order."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CONTENT, ROOT, assert_in_order, squash

sys.path.append(str(ROOT / "tests/desk"))
from desk_support import chromium as start_chromium  # noqa: E402 - the front desk's tests start Chromium the same way
from handouts.cli import main
from handouts.htmlcopy import ASSETS

AXE = ROOT / "node_modules/axe-core/axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]  # best practice too: headings in order, landmarks
RUN_AXE = ("const done = arguments[arguments.length - 1];"
           "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
           ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))}))"
           ".catch(e => done({error: String(e)}));")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory):
    """One headless Chromium for every test here."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium-webcopy"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built once: every brand's PDFs (default layouts) and web copies."""
    out = tmp_path_factory.mktemp("shipped")
    assert main(["build", "--content", str(CONTENT), "--out", str(out), "--jobs", "2"]) == 0
    return out


@pytest.fixture(scope="module")
def site(shipped: Path):
    """The build's folder served on this computer, as a clinic's web host would serve it; yields its address."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(shipped)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's script, installed from the npm registry by .ci/run (npm ci) at the version package-lock.json pins."""
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: .ci/run installs it with npm ci")
        pytest.skip("axe-core is not installed (run: npm ci)")
    return AXE.read_text(encoding="utf-8")


def violations(browser, axe: str, url: str, tags: list[str] = WCAG_AA) -> list[dict]:
    """What axe-core reports on a page."""
    browser.get(url)
    browser.execute_script(axe)
    result = browser.execute_async_script(RUN_AXE, tags)
    assert "error" not in result, result
    return result["violations"]


def viewport(browser, width: int, scale: int = 1) -> None:
    """A viewport of so many CSS pixels: 320 at scale 4 is a 1280-pixel window zoomed to 400 %."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 800, "deviceScaleFactor": scale, "mobile": False})


def pages_of(out: Path) -> list[Path]:
    return sorted(out.glob("*/html/**/*.html"))


def test_axe_finds_no_problem_in_any_shipped_copy(chromium, axe: str, shipped: Path, site: str) -> None:
    pages = pages_of(shipped)
    # per brand and language (en, es, vi, zh-Hans, ko, ar): 3 handouts and an index; and a language list
    assert len(pages) == 2 * (6 * (3 + 1) + 1), [p.relative_to(shipped) for p in pages]
    found = {}
    for width, scale in ((1280, 1), (320, 4)):
        viewport(chromium, width, scale)
        for page in pages:
            problems = violations(chromium, axe, f"{site}/{page.relative_to(shipped).as_posix()}")
            levels = chromium.execute_script("return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1])")
            if levels[:1] != [1] or levels.count(1) != 1 or any(b > a + 1 for a, b in zip(levels, levels[1:])):
                problems.append({"id": "headings out of order", "levels": levels})
            if problems:
                found[f"{page.relative_to(shipped)} at {width} px"] = problems
    viewport(chromium, 1280)
    assert not found, found


def test_axe_reports_a_missing_alt_text_and_a_missing_language(chromium, axe: str, shipped: Path, site: str) -> None:
    source = shipped / "lumen/html/en/microneedling-overview.html"
    broken = source.parent / "broken.html"
    html = source.read_text()
    assert ' alt="A row of tiny needles' in html and '<html lang="en"' in html
    broken.write_text(re.sub(r' alt="[^"]*"', "", html).replace(' lang="en" dir="ltr"', ""))
    try:
        viewport(chromium, 1280)
        found = {v["id"]: v for v in violations(chromium, axe, f"{site}/lumen/html/en/broken.html")}
    finally:
        broken.unlink()
    assert found["image-alt"]["impact"] == "critical" and len(found["image-alt"]["nodes"]) == 2  # the picture and the logo
    assert found["html-has-lang"]["impact"] == "serious"


def test_every_copy_reflows_at_400_percent_zoom_and_loads_only_its_own_files(chromium, shipped: Path, site: str) -> None:
    viewport(chromium, 320, 4)
    try:
        for page in pages_of(shipped):
            chromium.get(f"{site}/{page.relative_to(shipped).as_posix()}")
            wide = chromium.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert wide <= 0, f"{page.relative_to(shipped)} scrolls sideways by {wide} px at 400 % zoom"
            loaded = chromium.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
            folder = f"{site}/{page.relative_to(shipped).parts[0]}/html/{ASSETS}/"
            assert len(loaded) >= 4 and all(url.startswith(folder) for url in loaded), loaded  # style sheets, fonts, logo
            assert chromium.execute_script("return document.fonts.check('1em Handout')"), "the brand font did not load"
    finally:
        viewport(chromium, 1280)


def test_every_sentence_of_the_pdf_is_in_the_copy_in_order(chromium, shipped: Path, site: str) -> None:
    import json

    from handouts.content import load_catalogue
    from handouts.i18n import LANGUAGES
    from handouts.sheet import revision_line

    catalogue = load_catalogue(CONTENT)
    entries = json.loads((shipped / "manifest.json").read_text())["handouts"]
    assert len(entries) == 2 * 3 * 6  # two brands, three handouts, six languages
    for entry in entries:
        brand = catalogue.brands[entry["brand"]].localised(entry["language"])
        handout = catalogue.treatments[entry["treatment"]].handouts[(entry["kind"], entry["language"])]
        revision = revision_line(handout, catalogue.settings_for(entry["treatment"], catalogue.brands[entry["brand"]]), LANGUAGES[entry["language"]])
        chromium.get(f"{site}/{entry['brand']}/html/{entry['language']}/{entry['treatment']}-{entry['kind']}.html")
        assert chromium.find_element("tag name", "h1").text == handout.title
        sentences = pdf_sentences(shipped / entry["path"], brand, handout, LANGUAGES[entry["language"]], revision)
        assert len(sentences) > 20
        shown = squash(chromium.find_element("tag name", "main").text)
        if LANGUAGES[entry["language"]].breaks_between_characters:  # a Chinese line ends anywhere: compare without spaces
            shown, sentences = shown.replace(" ", ""), [s.replace(" ", "") for s in sentences]
        assert_in_order(shown, sentences)


def pdf_sentences(path: Path, brand, handout, strings, revision: str) -> list[str]:  # noqa: ANN001 - engine types
    """The sentences of a PDF's content: its text read back, less the chrome the copy has elsewhere or not at all
    (the band and page headers, footers, page numbers, the lines for the patient's details and the QR code's 'scan').

    Arabic is drawn shaped, in visual order: read back from the page it comes out as presentation forms, each line's
    words reversed. Its text is read as a screen reader reads it instead: the tagged structure, in order, with the
    logical text each element says (its ActualText), which has no chrome but the first page's footer."""
    if strings.rtl:
        pages = [squash(logical_text(path.read_bytes()))]
    else:
        pages = [squash(page.extract_text()) for page in PdfReader(path).pages]
    phone = brand.contact.get("phone", "")
    kinds = strings.kinds[handout.kind]
    text = []
    for number, page in enumerate(pages, 1):
        for chrome in (f"{brand.footer} · {strings.phone} {phone}", revision,
                       brand.disclaimer,
                       f"{strings.patient} {strings.treatment_date} {strings.provider}", strings.scan, strings.read_online):
            page = page.replace(chrome, "")
        # The page total is drawn once the sheet's length is known, after the rest of its line: read back with a space before it.
        page = re.sub(re.escape(strings.page.format(page=number, total="\0")).replace("\0", rf"\s*{len(pages)}"), "", page)
        # The band of page one, the light header of the others (artifacts, not in the structure); the title is the copy's
        # h1, checked on its own.
        band = [] if strings.rtl else [brand.name] + ([f"{strings.phone} {phone}", f"{handout.treatment} · {kinds}"] if number == 1 else [])
        for chrome in [handout.title, *band]:
            page = page.replace(chrome, "", 1)
        text.append(page)
    text = [re.sub(r"\S*/handouts/\S*\.html", "", page) for page in text]  # the address of the web copy itself, on a hosted brand's sheet
    pieces = re.split(r"(?<=[.!?])\s+|(?<=[。！？])", squash(" ".join(text)))
    # List labels: bullets, numbers, and a checklist's box (read as a label in the structure; a form control on the copy).
    return [squash(re.sub(r"(^|\s)(•|☐|\d+\.)(?=\s|$)", " ", piece)) for piece in pieces if re.search(r"\w\w", piece)]


def logical_text(data: bytes) -> str:
    """A tagged PDF's text in reading order as its structure says it: an element's ActualText where it has one (and
    nothing more from below it), else its own text and its kids' in turn."""
    from tagged_support import entries, structure

    said = iter(entries(data))
    parts: list[str] = []

    def visit(element) -> None:  # noqa: ANN001 - tagged_support's Element
        entry = next(said)
        assert entry["S"] == element.role, (entry, element.role)  # poppler's tree and pikepdf's walk the same elements
        if "ActualText" in entry:
            parts.append(entry["ActualText"])
            for _ in list(element.walk())[1:]:
                next(said)
            return
        for item in element.items:
            if isinstance(item, str):
                parts.append(item)
            else:
                visit(item)

    visit(structure(data))
    assert next(said, None) is None
    return " ".join(parts)


LOADED_FONTS = ("const done = arguments[arguments.length - 1];"
                "document.fonts.ready.then(() => done([...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))));")
MIRRORED = """const main = document.querySelector('main').getBoundingClientRect();
const range = document.createRange(); range.selectNodeContents(document.querySelector('h1'));
const title = range.getBoundingClientRect(), list = getComputedStyle(document.querySelector('ul.bullets'));
return {main: [main.left, main.right], title: [title.left, title.right], pad: [parseFloat(list.paddingLeft), parseFloat(list.paddingRight)],
        dir: getComputedStyle(document.body).direction};"""


def test_each_script_shows_in_its_bundled_font_and_the_arabic_copy_reads_from_the_right(chromium, shipped: Path, site: str) -> None:
    viewport(chromium, 1280)
    for lang, family in (("ar", "Handout Arabic"), ("zh-Hans", "Handout SC1"), ("ko", "Handout KR"), ("vi", "Handout")):
        chromium.get(f"{site}/lumen/html/{lang}/microneedling-aftercare.html")
        loaded = chromium.execute_async_script(LOADED_FONTS)
        assert family in loaded, (lang, loaded)
    for lang in ("ar", "en"):
        chromium.get(f"{site}/lumen/html/{lang}/microneedling-aftercare.html")
        shape = chromium.execute_script(MIRRORED)
        (main_left, main_right), (title_left, title_right), (pad_left, pad_right) = shape["main"], shape["title"], shape["pad"]
        if lang == "ar":  # the title stands at the right of the column, bullets are indented from the right
            assert shape["dir"] == "rtl" and main_right - title_right < 40 < title_left - main_left and pad_right > pad_left > -1, shape
        else:
            assert shape["dir"] == "ltr" and title_left - main_left < 40 < main_right - title_right and pad_left > pad_right, shape
