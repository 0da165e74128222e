"""Every input that can change a PDF's bytes is in its fingerprint: change X, and exactly these PDFs rebuild.

A build skips a PDF when its fingerprint is the one the manifest recorded (and the file still has its bytes), so the
PDFs whose fingerprint changes are exactly the PDFs the next build makes again. The tree: brands plain (en) and teal
(extends plain; its own logo and font; en, es); treatments demo (includes a snippet in English) and other (none).
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image
from pypdf import PdfReader

from handouts import fingerprint as fp
from handouts.content import load_catalogue
from handouts.fonts import BUNDLED
from handouts.jobs import Options, plan

from conftest import FIXTURES

PLAIN = {"plain/demo-aftercare.en.standard.pdf", "plain/other-aftercare.en.standard.pdf"}
TEAL = {"teal/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.es.standard.pdf", "teal/other-aftercare.en.standard.pdf",
        "teal/other-aftercare.es.standard.pdf"}
DEMO = {"plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.es.standard.pdf"}
DEMO_EN = {"plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf"}
ALL = PLAIN | TEAL


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _png(path: Path, grey: int) -> None:
    buffer = io.BytesIO()
    Image.new("L", (300, 300), grey).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The fixture tree, with a second treatment and a font of teal's own."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "tree", root)
    shutil.copytree(root / "demo", root / "other")
    for name in ("aftercare.en.yaml", "aftercare.es.yaml"):
        _edit(root / "other" / name, "id: demo-aftercare", "id: other-aftercare")
    _edit(root / "other/aftercare.en.yaml", "  - include: snippets/call\n", "")
    (root / "brands/teal/fonts").mkdir()
    shutil.copy(BUNDLED["regular"], root / "brands/teal/fonts/Body.ttf")
    (root / "brands/teal/brand.yaml").write_text((root / "brands/teal/brand.yaml").read_text() + "fonts: {regular: fonts/Body.ttf}\n")
    return root


def fingerprints(tree: Path, options: Options = Options()) -> dict[str, str]:
    """The fingerprint of every PDF a full build of the tree makes."""
    catalogue = load_catalogue(tree)
    assert not [p for p in catalogue.problems if p.severity == "error"], catalogue.problems
    return {job.output: fp.fingerprint(catalogue, job, options.key(), {}) for job in plan(catalogue)}


def rebuilt(before: dict[str, str], after: dict[str, str]) -> set[str]:
    assert set(before) == set(after)
    return {path for path in before if before[path] != after[path]}


CHANGES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "handout text": (lambda t: _edit(t / "demo/aftercare.en.yaml", "Bravo heading", "Bravo heading, revised"), DEMO_EN),
    "snippet": (lambda t: _edit(t / "snippets/call.en.yaml", "You see pus.", "You see yellow crusts."), DEMO_EN),
    "settings.yaml": (lambda t: _edit(t / "demo/settings.yaml", 'default: "24"', 'default: "12"'), DEMO),
    "picture in a block": (lambda t: _png(t / "demo/images/diagram.png", 90), DEMO_EN),  # the Spanish one has none
    "brand.yaml": (lambda t: _edit(t / "brands/teal/brand.yaml", '"48"', '"36"'), TEAL),
    "brand.yaml extended by another": (lambda t: _edit(t / "brands/plain/brand.yaml", "1 Test Street", "2 Test Street"), ALL),
    "logo": (lambda t: _png(t / "brands/plain/logo.png", 40), PLAIN),  # teal has a logo of its own
    "logo of a kit that extends another": (lambda t: _edit(t / "brands/teal/logo.svg", "#", "#1"), TEAL),
    "brand font": (lambda t: shutil.copy(BUNDLED["bold"], t / "brands/teal/fonts/Body.ttf"), TEAL),
    "nothing": (lambda t: None, set()),
}


@pytest.mark.parametrize("change", CHANGES)
def test_changing_an_input_rebuilds_exactly_the_pdfs_made_from_it(tree: Path, change: str) -> None:
    edit, expected = CHANGES[change]
    before = fingerprints(tree)
    edit(tree)
    assert rebuilt(before, fingerprints(tree)) == expected


@pytest.mark.parametrize("options", [Options(page_size="a4"), Options(page_size="letter"), Options(grayscale=True)])
def test_changing_an_option_rebuilds_every_pdf(tree: Path, options: Options) -> None:
    assert rebuilt(fingerprints(tree), fingerprints(tree, options)) == ALL


def test_changing_source_date_epoch_rebuilds_every_pdf(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = fingerprints(tree)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = fingerprints(tree)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert rebuilt(before, first) == ALL and rebuilt(first, fingerprints(tree)) == ALL


def test_a_changed_engine_or_library_rebuilds_every_pdf(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprints(tree)
    monkeypatch.setattr(fp, "environment", lambda: "reportlab=/elsewhere/reportlab/__init__.py:1:2")
    fp._engine_hash.cache_clear()
    try:
        assert rebuilt(before, fingerprints(tree)) == ALL
    finally:
        monkeypatch.undo()
        fp._engine_hash.cache_clear()


@pytest.mark.parametrize("name", ["reportlab", "uharfbuzz"])  # uharfbuzz shapes the text of some scripts
def test_the_environment_sees_a_library_installed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    import importlib.util
    from importlib.machinery import ModuleSpec

    library = tmp_path / name / "__init__.py"
    library.parent.mkdir()
    library.write_text('Version = "5.1"\n')
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda wanted, *a: ModuleSpec(wanted, None, origin=str(library)) if wanted == name
                        else real(wanted, *a))
    fp.environment.cache_clear()
    first = fp.environment()
    fp.environment.cache_clear()
    library.write_text('Version = "5.2"\n')
    os.utime(library, ns=(1, 10**18))
    second = fp.environment()
    fp.environment.cache_clear()
    assert first != second


@pytest.mark.parametrize("change", ["layout code", "bundled font", "data file"])
def test_the_engine_hash_covers_every_file_of_the_package(tmp_path: Path, change: str) -> None:
    package = tmp_path / "handouts"
    shutil.copytree(fp.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    layouts = tmp_path / "layouts"
    import handouts.layouts

    shutil.copytree(Path(handouts.layouts.__file__).parent, layouts, ignore=shutil.ignore_patterns("__pycache__"))
    before = fp._engine_hash.__wrapped__((package, layouts))
    if change == "layout code":
        _edit(layouts / "standard.py", '"""', '"""Changed. ')
    elif change == "bundled font":
        (package / "fonts/NotoSans-Regular.ttf").write_bytes((package / "fonts/NotoSans-Regular.ttf").read_bytes() + b"\0")
    else:
        (package / "fonts/extra.dat").write_bytes(b"a table a later version reads")
    assert fp._engine_hash.__wrapped__((package, layouts)) != before
    web = package / "web"
    if web.is_dir():  # the front desk's page never reaches a PDF
        after = fp._engine_hash.__wrapped__((package, layouts))
        (web / "extra.css").write_text("body {}")
        assert fp._engine_hash.__wrapped__((package, layouts)) == after


def test_source_date_epoch_rebuilds_every_pdf_with_its_dates(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "tree", tree)
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 0, result.err
    assert "Built 3 PDFs, 0 unchanged" in result.out
    for pdf in out.rglob("*.pdf"):
        assert str(PdfReader(pdf).metadata["/CreationDate"]).startswith("D:20270101")
