"""Shared helpers: run the CLI in-process, read PDFs back, check them with qpdf.

Every PDF a test leaves under its tmp_path (or under a folder it registers with
`pdf_roots`, or anywhere in the session's temporary folders) must pass
`qpdf --check` and open in pypdf's strict mode, every page's text read, without
a single warning.  The check runs after each test (and once more over all
temporary folders at the end of the session); identical PDFs are checked once in the run.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pytest
from pypdf import PdfReader

from handouts.cli import main
from handouts.plugins import use_shipped_layouts

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTENT = ROOT / "content"

use_shipped_layouts()  # tests call the engine directly, so they plug the layouts in as the command layer does


def demo_front(title: str, max_pages: str | None = None) -> str:
    """The top of the fixture tree's demo aftercare in English, up to its `blocks:` line, for tests that write its blocks."""
    pages = f'max_pages: "{max_pages}"\n' if max_pages else ""
    return ("id: demo-aftercare\ntreatment: Demo\nkind: aftercare\n"
            f'title: {title}\nlanguage: en\nversion: "1"\nreviewed: "2026-11-01"\nreviewed_by: Clinical lead\n{pages}blocks:\n')


@dataclass
class Result:
    """What a CLI run returned and printed."""

    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run generate.py's main in-process and capture its output."""
    def _run(*args: str) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)
    return _run


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A writable copy of the fixture content tree (every block type, two brands)."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "tree", target)
    return target


def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace normalised to single spaces."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@contextmanager
def grey_pages(data: bytes, dpi: int) -> Iterator[list[Path]]:
    """A PDF's pages rendered by poppler at dpi, in greys, as uncompressed PGM files (made many times faster than PNGs),
    which exist until the block ends."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is needed (Debian package poppler-utils)")
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "sheet.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "sheet.pdf", "page"], cwd=folder, check=True, timeout=120)
        yield sorted(Path(folder).glob("page*.pgm"))


def scanned_codes(data: bytes, dpi: int = 300) -> set[str]:
    """Every QR code on a PDF's pages, read back with zbarimg from a rendering at dpi (300: print resolution), in greys (a
    code is black on white)."""
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg is needed (Debian package zbar-tools)")
    with grey_pages(data, dpi) as pages:
        found = [subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, timeout=60).stdout
                 for page in pages]
    return {line.strip() for out in found for line in out.splitlines() if line.strip()}


def page_texts(path: Path) -> list[str]:
    """Each page's text, whitespace normalised."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def assert_in_order(text: str, needles: list[str]) -> None:
    """Every needle occurs in text, each after the previous one."""
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} not found after position {position} in: {text[position:position + 300]!r}"
        position = found + len(needle)


SHIPPED_LANGUAGES = ("en", "es", "vi", "zh-Hans", "ko", "ar")


def copy_content(target: Path, languages: tuple[str, ...] = SHIPPED_LANGUAGES, ignore: tuple[str, ...] = ()) -> Path:
    """A copy of the shipped content whose brands print only the given languages (the files of the others left out).

    A test that runs `check` or `build` over a copy many times needs a representative few: check's proof of the shipped
    catalogue itself renders every language. `ignore` names more files to leave out (shutil.ignore_patterns).
    """
    others = [f"*.{tag}.yaml" for tag in SHIPPED_LANGUAGES if tag not in languages]
    shutil.copytree(CONTENT, target, ignore=shutil.ignore_patterns(*others, *ignore))
    every, kept = f"languages: [{', '.join(SHIPPED_LANGUAGES)}]", f"languages: [{', '.join(languages)}]"
    for brand in target.glob("brands/*/brand.yaml"):
        text = brand.read_text(encoding="utf-8")
        assert every in text, f"{brand}: the shipped brands print {SHIPPED_LANGUAGES}"
        brand.write_text(text.replace(every, kept), encoding="utf-8")
    return target


def pdf_for(tree: Path, brand: str, layout: str, lang: str = "en", page_size: str | None = None) -> bytes:
    """The demo aftercare handout of a tree, rendered in memory."""
    from handouts.content import load_catalogue
    from handouts.jobs import Job
    from handouts.pdf import make_sheet, render_pdf

    catalogue = load_catalogue(tree)
    return render_pdf(make_sheet(catalogue, Job(brand, "demo", "aftercare", lang, layout), page_size=page_size), layout).data


def boxed_text(data: bytes, page: int, spans: list[tuple[float, float]]) -> list[str]:
    """The text in each vertical strip (x from, x to) of a page, as pdfium lays it out, whitespace collapsed."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        sheet = document[page]
        height = sheet.get_height()
        text = sheet.get_textpage()
        return [" ".join(text.get_text_bounded(left, 0, right, height).split()) for left, right in spans]
    finally:
        document.close()


def qpdf_check(path: Path) -> None:
    """qpdf --check must accept the file without errors or warnings."""
    if not shutil.which("qpdf"):
        pytest.skip("qpdf is not installed (Debian package qpdf)")
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


_CHECKED: set[str] = set()  # sha256 of every PDF already found sound in this process
_CHECKED_IN_RUN: list[Path] = []  # the folder where every test process of the run notes the PDFs it found sound


class _Records(logging.Handler):
    """Collects pypdf's log records (it reports many problems as warnings in its log, not as exceptions)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def check_pdf(path: Path) -> list[str]:
    """qpdf --check passes (skipped without qpdf) and pypdf reads every page's text in strict mode without warnings.

    Returns the text of each page as that strict reading found it.
    """
    data = path.read_bytes()
    qpdf = shutil.which("qpdf")
    process = subprocess.Popen([qpdf, "--check", str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) if qpdf else None
    try:
        texts = _pypdf_strict(path, data)
    finally:
        output = process.communicate()[0] if process else ""
    assert process is None or process.returncode == 0, f"{path}: qpdf --check failed:\n{output}"
    _note_checked([hashlib.sha256(data).hexdigest()])
    return texts


def check_pdfs_under(*roots: Path) -> None:
    """check_pdf for every *.pdf file below the given folders (qpdf runs on several at once)."""
    _check_new(_unchecked(path for root in roots if root.is_dir() for path in sorted(root.rglob("*.pdf")) if path.is_file()))


def _unchecked(paths: Iterable[Path]) -> dict[str, tuple[Path, bytes]]:
    found: dict[str, tuple[Path, bytes]] = {}
    for path in paths:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in _CHECKED and not (_CHECKED_IN_RUN and (_CHECKED_IN_RUN[0] / digest).exists()):
            found.setdefault(digest, (path, data))
    return found


def _note_checked(digests: Iterable[str]) -> None:
    """Remember sound PDFs in this process and for the other test processes of the run (same bytes, same verdict)."""
    for digest in digests:
        _CHECKED.add(digest)
        if _CHECKED_IN_RUN:
            (_CHECKED_IN_RUN[0] / digest).touch()


def _check_new(pdfs: dict[str, tuple[Path, bytes]], batch: int = 16) -> None:
    items = list(pdfs.items())
    qpdf = shutil.which("qpdf")
    for start in range(0, len(items), batch):
        chunk = items[start:start + batch]
        running = [subprocess.Popen([qpdf, "--check", str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                   for _, (path, _) in chunk] if qpdf else []
        try:
            for _, (path, data) in chunk:
                _pypdf_strict(path, data)
        finally:
            outputs = [process.communicate()[0] for process in running]
        for (_, (path, _)), process, output in zip(chunk, running, outputs):
            assert process.returncode == 0, f"{path}: qpdf --check failed:\n{output}"
        _note_checked(digest for digest, _ in chunk)


def _pypdf_strict(path: Path, data: bytes) -> list[str]:
    records = _Records()
    logger = logging.getLogger("pypdf")
    logger.addHandler(records)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            reader = PdfReader(io.BytesIO(data), strict=True)
            assert reader.pages, f"{path}: no pages"
            texts = [page.extract_text() for page in reader.pages]
    finally:
        logger.removeHandler(records)
    assert not records.records, f"{path}: pypdf warned: " + "; ".join(r.getMessage() for r in records.records)
    return texts


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201 - pytest hook
    """Remember whether the test itself failed, so the PDF check does not pile onto a failure."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def pdf_roots() -> list[Path]:
    """Folders outside tmp_path whose PDFs the test wants checked: append to this list."""
    return []


@pytest.fixture(autouse=True)
def _every_pdf_is_sound(request: pytest.FixtureRequest):
    """After each test, every PDF under its tmp_path and registered folders passes qpdf and strict pypdf."""
    # Asked for now, so that they are torn down after this check (the test uses them anyway).
    registered = request.getfixturevalue("pdf_roots") if "pdf_roots" in request.fixturenames else []
    tmp = [request.getfixturevalue("tmp_path")] if "tmp_path" in request.fixturenames else []
    yield
    if not request.node.stash.get(_FAILED, True):
        check_pdfs_under(*registered, *tmp)


@pytest.fixture(autouse=True)
def _a_proof_cache_of_its_own(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's `check` keeps its proof in a folder of its own: a test that changes the engine in-process (a broken
    lint, a monkeypatched layout) must never be answered from what another test proved. Tests marked
    shared_proof_cache, which change only files, share the run's one (below): their edits change the fingerprints of
    what they touch."""
    if request.node.get_closest_marker("shared_proof_cache"):
        folder = request.getfixturevalue("shared_proof_cache")
    else:
        folder = tmp_path_factory.mktemp("proof-cache")
    monkeypatch.setenv("HANDOUTS_CACHE", str(folder))


def _run_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder that every test process of the run shares (xdist gives each its own basetemp below one parent)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def shared_proof_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The proof cache that every test process of the run shares, for the session fixtures (the desk's start-up proof)
    and for tests that check copies of content and never change the engine in-process (set HANDOUTS_CACHE to it, or
    mark the test shared_proof_cache): each combination is proven once in the run, not once per test.

    It is safe because nothing else can change what such a check draws: an entry is named by the combination's
    fingerprint, which covers every input file by its content, the layout and the engine's code, fonts and libraries as
    imported from disk; a test that patches the engine in memory would not change that name, so such tests keep a cache
    of their own. Entries are written whole (renamed into place), so the processes never read half of one."""
    return _run_folder(tmp_path_factory, "run-proof-cache")


@pytest.fixture(scope="session", autouse=True)
def _fixtures_share_a_proof_cache(shared_proof_cache: Path) -> Iterator[None]:
    """Session and module fixtures (the desk's start-up proof) keep their proof in the run's shared cache, never in the
    user's own; each test still gets its own (above) unless it is marked shared_proof_cache. They start the desk's
    worker processes afresh, which no test's in-process change reaches."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDOUTS_CACHE", str(shared_proof_cache))
        yield


@pytest.fixture(scope="session", autouse=True)
def _sound_pdfs_are_noted_for_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The test processes of the run tell each other which PDFs (by their bytes' sha256) were found sound, so that
    identical PDFs made in two processes are checked once."""
    _CHECKED_IN_RUN.append(_run_folder(tmp_path_factory, "sound-pdfs"))
    yield
    _CHECKED_IN_RUN.clear()


@pytest.fixture(scope="session", autouse=True)
def _every_pdf_of_the_session_is_sound(tmp_path_factory: pytest.TempPathFactory):
    """At the end, the PDFs under every temporary folder of the session (tmp_path_factory users included)."""
    yield
    check_pdfs_under(tmp_path_factory.getbasetemp())


def squash(text: str) -> str:
    """Whitespace collapsed, for comparing messages."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def desk_service():
    """The front desk's rendering service over the fixture tree, started once: its worker processes take a while to start."""
    from handouts.desk.app import load

    service = load(FIXTURES / "tree", workers=2)
    yield service
    service.close()


SPANISH_CARD = """card:
  - paragraph: Espere {settings.wait_hours} horas antes de maquillarse.
  - checklist:
      - {text: Deje el retinol., days_before: "{settings.stop_days}"}
  - appointment: {}
"""


def add_spanish_card(tree: Path) -> None:
    """Give the Spanish demo a card section, so that it prints as a card."""
    path = tree / "demo/aftercare.es.yaml"
    path.write_text(path.read_text(encoding="utf-8") + SPANISH_CARD, encoding="utf-8")
