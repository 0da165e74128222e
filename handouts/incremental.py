"""Incremental builds: a fingerprint of every input of a PDF, compared with the last manifest."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from . import __version__
from .content import Catalogue

ENGINE_DIRS = (Path(__file__).parent, Path(__file__).parent.parent / "layouts")


@lru_cache(maxsize=1)
def engine_hash() -> str:
    """A hash of the tool's version and its own source, so a changed engine rebuilds everything."""
    digest = hashlib.sha256(__version__.encode())
    for folder in ENGINE_DIRS:
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _file_hash(path: Path, cache: dict[Path, str]) -> str:
    if path not in cache:
        cache[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return cache[path]


def fingerprint(catalogue: Catalogue, job: "Job", options: str, cache: dict[Path, str]) -> str:  # noqa: F821
    """The hash of everything a job's PDF depends on: content, snippets, settings, brand files, layout, engine, options."""
    treatment = catalogue.treatments[job.treatment]
    handout = treatment.handouts[(job.kind, job.language)]
    brand = catalogue.brands[job.brand]
    files = [handout.path, *handout.snippet_files, *brand.files]
    files += [path for _, block in handout.blocks for path in [getattr(block, "file", None)] if isinstance(path, Path)]
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
    try:
        return hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry.get("sha256")
    except OSError:
        return False
