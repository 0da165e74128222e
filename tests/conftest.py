"""Shared helpers: run the CLI in-process, read PDFs back, check them with qpdf."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTENT = ROOT / "content"


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


def qpdf_check(path: Path) -> None:
    """qpdf --check must accept the file without errors or warnings."""
    if not shutil.which("qpdf"):
        pytest.skip("qpdf is not installed (Debian package qpdf)")
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def squash(text: str) -> str:
    """Whitespace collapsed, for comparing messages."""
    return re.sub(r"\s+", " ", text).strip()
