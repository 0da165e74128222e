"""A fingerprint of every input of one PDF: its handout, snippets, settings, brand files, pictures, layout, engine, libraries,
options and SOURCE_DATE_EPOCH.

A job whose fingerprint matches the one the manifest recorded, and whose file still has the recorded sha256, is skipped.
This module imports nothing heavy, so that a no-op build costs little more than starting Python.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import __version__, registry
from .files import sha256_file

if TYPE_CHECKING:
    from .content import Catalogue
    from .jobs import Job

PACKAGE = Path(__file__).parent
NOT_IN_PDFS = frozenset({"__pycache__", "web"})  # folders of the package whose files never reach a PDF (web: the front desk)
# Whose version can change the bytes of a PDF. _rl_accel, reportlab's C accelerator, rounds a rare coordinate's last
# digit the other way from reportlab's Python fallback (147.8357 against 147.8358): with it or without it is another PDF.
LIBRARIES = ("reportlab", "_rl_accel", "svglib", "PIL", "lxml", "yaml", "uharfbuzz", "babel")


@lru_cache(maxsize=1)
def environment() -> str:
    """The Python version and where (and from which file version) each library that shapes a PDF is installed."""
    parts = [sys.version]
    for name in LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = getattr(spec, "origin", None)
        if origin:
            info = os.stat(origin)
            parts.append(f"{name}={origin}:{info.st_size}:{info.st_mtime_ns}")
        else:
            parts.append(f"{name}=absent")
    return "\n".join(parts)


_HASHER: ContextVar[Callable[[Path], str]] = ContextVar("hasher", default=sha256_file)


def engine_hash(hasher: Callable[[Path], str] | None = None) -> str:
    """A hash of the tool's version, every file of the package (code, bundled fonts, any other data) and the layouts'
    code, and of the libraries, so a changed engine rebuilds everything. Worked out once per process; hasher, when
    given, is how the files are hashed that time (a HashCache), which never changes the result."""
    code = (PACKAGE, *registry.sources())
    if hasher is None:
        return _engine_hash(code)
    token = _HASHER.set(hasher)
    try:
        return _engine_hash(code)
    finally:
        _HASHER.reset(token)


@lru_cache(maxsize=4)
def _engine_hash(code: tuple[Path, ...]) -> str:
    hasher = _HASHER.get()
    digest = hashlib.sha256(f"{__version__}\n{environment()}".encode())
    for index, folder in enumerate(code):
        for path in _files_under(folder):
            digest.update(f"{index}:{path.relative_to(folder).as_posix()}\0".encode() + hasher(path).encode())
    return digest.hexdigest()


def _files_under(folder: Path) -> list[Path]:
    """Every file below folder, in a stable order, leaving out the folders whose files never reach a PDF."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in NOT_IN_PDFS)
        found += [Path(root) / name for name in sorted(files) if not name.endswith((".pyc", ".pyo"))]
    return found


def _file_hash(path: Path, cache: dict[Path, str]) -> str:
    if path not in cache:
        cache[path] = sha256_file(path)
    return cache[path]


def fingerprint(catalogue: Catalogue, job: Job, options: str, cache: dict[Path, str]) -> str:
    """The hash of everything a job's PDF depends on: content, snippets, settings, brand files, layout, engine, options and
    SOURCE_DATE_EPOCH (the dates in the PDF's metadata)."""
    treatment = catalogue.treatments[job.treatment]
    handout = treatment.handouts[(job.kind, job.language)]
    brand = catalogue.brands[job.brand]
    files = [handout.path, *handout.snippet_files, *brand.files, *([handout.record.path] if handout.record else [])]
    files += [path for _, block in handout.every_block for path in [getattr(block, "file", None)] if isinstance(path, Path)]
    if treatment.settings_path:
        files.append(treatment.settings_path)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    digest = hashlib.sha256(f"{engine_hash()}|{job}|{options}|SOURCE_DATE_EPOCH={epoch}".encode())
    for path in files:
        digest.update(f"{path.relative_to(catalogue.root) if path.is_relative_to(catalogue.root) else path}:".encode())
        digest.update(_file_hash(path, cache).encode())
    return digest.hexdigest()
