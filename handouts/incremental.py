"""Incremental builds: a fingerprint of every input of a PDF, compared with the last manifest.

Two levels:

* per PDF, `fingerprint` hashes what one job depends on (its handout, snippets, settings,
  brand files, pictures, layout, the engine and the build options), and a job is skipped when
  the manifest recorded the same fingerprint and its file still has the recorded sha256;
* per build, `BuildRecord` answers a build that can have nothing to do without loading the
  content at all: after a build with no errors it records, beside the manifest, a hash of
  every file in the content tree, of the request (filters, options, engine, libraries) and of
  the manifest; a later build with the same hashes, whose PDFs all still have their recorded
  sha256, is a no-op. Any difference (an edited file, a new file, another filter, a damaged
  or missing PDF) falls back to the per-PDF check.

This module imports nothing heavy, so that a no-op build costs little more than starting Python.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, registry

if TYPE_CHECKING:
    from .build import Job
    from .content import Catalogue

PACKAGE = Path(__file__).parent
ENGINE_DATA = (PACKAGE / "fonts",)  # bundled files whose bytes end up in PDFs
LIBRARIES = ("reportlab", "svglib", "PIL", "lxml", "yaml")  # whose version can change the bytes of a PDF
STATE_FILE = ".handouts-build.json"
STATE_VERSION = 1
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__"})


def _hash_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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


def engine_hash() -> str:
    """A hash of the tool's version, its own source and the layouts', bundled fonts and the libraries, so a changed engine
    rebuilds everything."""
    return _engine_hash((PACKAGE, *registry.sources()))


@lru_cache(maxsize=4)
def _engine_hash(code: tuple[Path, ...]) -> str:
    digest = hashlib.sha256(f"{__version__}\n{environment()}".encode())
    for folder in code:
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for folder in ENGINE_DATA:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            digest.update(path.name.encode() + b"\0" + _hash_file(path).encode())
    return digest.hexdigest()


def _file_hash(path: Path, cache: dict[Path, str]) -> str:
    if path not in cache:
        cache[path] = _hash_file(path)
    return cache[path]


def fingerprint(catalogue: "Catalogue", job: "Job", options: str, cache: dict[Path, str]) -> str:
    """The hash of everything a job's PDF depends on: content, snippets, settings, brand files, layout, engine, options."""
    treatment = catalogue.treatments[job.treatment]
    handout = treatment.handouts[(job.kind, job.language)]
    brand = catalogue.brands[job.brand]
    files = [handout.path, *handout.snippet_files, *brand.files]
    files += [path for _, block in handout.every_block for path in [getattr(block, "file", None)] if isinstance(path, Path)]
    if treatment.settings_path:
        files.append(treatment.settings_path)
    digest = hashlib.sha256(f"{engine_hash()}|{job}|{options}".encode())
    for path in files:
        digest.update(f"{path.relative_to(catalogue.root) if path.is_relative_to(catalogue.root) else path}:".encode())
        digest.update(_file_hash(path, cache).encode())
    return digest.hexdigest()


def previous_entries(out: Path) -> dict[str, dict]:
    """Entries of the manifest a previous build left in out/, by path (empty when there is none or it is unreadable)."""
    try:
        body = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in body["handouts"] if isinstance(entry, dict) and "path" in entry}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def unchanged(entry: dict | None, inputs: str, out: Path) -> bool:
    """True when the recorded inputs match and the file on disk still has the recorded sha256."""
    if not entry or entry.get("inputs") != inputs:
        return False
    target = pdf_in(out, entry.get("path"))
    try:
        return target is not None and _hash_file(target) == entry.get("sha256")
    except OSError:
        return False


def pdf_in(out: Path, path: object) -> Path | None:
    """The regular PDF file a manifest path names inside out, or None (a hand-edited manifest may name anything)."""
    if not isinstance(path, str) or not path.endswith(".pdf") or os.path.isabs(path) or ".." in Path(path).parts:
        return None
    target = Path(out) / path
    try:
        real, real_out = target.resolve(strict=True), Path(out).resolve()
        return target if real_out in real.parents and stat.S_ISREG(real.stat().st_mode) else None
    except (OSError, RuntimeError):
        return None


# --- whole builds ------------------------------------------------------------------------------------------------------

def tree_digest(root: Path, skip: Path | None = None) -> str | None:
    """A hash of every file under root: its path relative to root and its bytes (None if any cannot be read).

    Version-control folders and the folder `skip` (the build's output, should it lie inside the content) are left out;
    folders reached through symbolic links are followed once. A special file (a pipe, a device) counts by its name only.
    """
    root = Path(root)
    skip_real = os.path.realpath(skip) if skip is not None else None
    digest = hashlib.sha256()
    seen: set[str] = set()
    try:
        for folder, dirs, files in os.walk(root, followlinks=True, onerror=_raise):
            real = os.path.realpath(folder)
            if real in seen or real == skip_real:
                dirs[:] = []
                continue
            seen.add(real)
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            relative = os.path.relpath(folder, root)
            for name in sorted(files):
                path = os.path.join(folder, name)
                info = os.stat(path)
                digest.update(f"{relative}/{name}\0".encode("utf-8", "surrogateescape"))
                digest.update(_hash_file(Path(path)).encode() if stat.S_ISREG(info.st_mode) else b"special")
                digest.update(b"\n")
    except OSError:
        return None
    return digest.hexdigest()


def _raise(error: OSError) -> None:
    raise error


def _writable(folder: Path) -> bool:
    """True when a file can be created in folder (tried, not inferred from permission bits, which root ignores)."""
    probe = folder / f".write-test-{os.getpid()}"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
    except OSError:
        return False
    return True


class BuildRecord:
    """What a build without errors leaves beside its manifest, so that the same build again needs no work at all.

    Use: `record = BuildRecord(content, out, request)`; if `record.replay()` returns the state, nothing has changed
    and its "outputs" (in job order) and "warnings" (printed lines) stand for the build; otherwise call `forget()`
    before writing anything, and `save(...)` after a build with no errors.
    """

    def __init__(self, content: Path, out: Path, request: dict[str, Any]):
        self.out = Path(out)
        self.path = self.out / STATE_FILE
        text = json.dumps({"request": request, "content": os.path.realpath(content),
                           "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"), "engine": engine_hash(),
                           "state": STATE_VERSION}, sort_keys=True, ensure_ascii=False, default=str)
        self.key = hashlib.sha256(text.encode()).hexdigest()
        self.tree = tree_digest(Path(content), skip=self.out)

    def replay(self) -> dict | None:
        """The recorded state when the request, the engine, the content tree, the manifest and every PDF it lists are as recorded."""
        if self.tree is None or not _writable(self.out):  # an unwritable folder is an error the full path reports
            return None
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(state, dict) or state.get("key") != self.key or state.get("tree") != self.tree:
                return None
            manifest = (self.out / "manifest.json").read_bytes()
            if hashlib.sha256(manifest).hexdigest() != state.get("manifest"):
                return None
            entries = previous_entries(self.out)  # this build's PDFs, and those earlier filtered builds left
            outputs = state.get("outputs")
            if not isinstance(outputs, list) or not set(outputs) <= set(entries) or not isinstance(state.get("warnings"), list):
                return None
            if not all(unchanged(entry, entry.get("inputs", ""), self.out) for entry in entries.values()):
                return None
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return state

    def forget(self) -> None:
        """Remove the record: the folder is about to change."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

    def save(self, outputs: list[str], warnings: list[str]) -> None:
        """Record a build with no errors, after its manifest is written: its PDFs in job order and the warning lines it printed."""
        if self.tree is None:
            return
        try:
            manifest = hashlib.sha256((self.out / "manifest.json").read_bytes()).hexdigest()
        except OSError:
            return
        body = {"key": self.key, "tree": self.tree, "manifest": manifest, "outputs": outputs, "warnings": warnings}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:  # the record is an optimisation: a build that cannot leave one is still a good build
            try:
                tmp.unlink()
            except OSError:
                pass
