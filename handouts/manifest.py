"""The manifest (out/manifest.json): read it, keep it true to the folder, merge shards' manifests, write it atomically."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import WARNING, ContentError, HandoutsError, Problem
from .files import remove, sha256_file, write_atomic
from .fingerprint import fingerprint
from .jobs import Job, Options
from .registry import layouts

if TYPE_CHECKING:
    from .content import Catalogue

MANIFEST = "manifest.json"


def previous_entries(out: Path) -> dict[str, dict]:
    """Entries of the manifest a previous build left in out/, by path (empty when there is none or it is unreadable)."""
    try:
        body = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in body["handouts"] if isinstance(entry, dict) and "path" in entry}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def unchanged(entry: dict | None, inputs: str | None, out: Path) -> bool:
    """True when the recorded inputs match and the file on disk still has the recorded sha256."""
    if not entry or entry.get("inputs") != inputs:
        return False
    target = pdf_in(out, entry.get("path"))
    try:
        return target is not None and sha256_file(target) == entry.get("sha256")
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


def reconcile_manifest(catalogue: Catalogue, out: Path, entries: list[dict]) -> tuple[list[dict], list[Problem]]:
    """This run's entries plus earlier ones that are still true, and a warning for each earlier PDF now out of date.

    A filtered or sharded build keeps what it did not touch, so the manifest always lists every good PDF in the
    folder; a PDF made from a brand kit or handout that is now broken or gone is removed, so nobody prints it; one
    whose inputs changed since it was built stays, marked "stale", until a build that selects it makes it again.
    """
    current = {entry["path"]: entry for entry in entries}
    loaded = {(h.treatment_slug, h.kind, h.language) for h in catalogue.handouts}
    kept, warnings = [], []
    cache: dict[Path, str] = {}
    for path, entry in sorted(previous_entries(out).items()):
        if path in current:
            continue
        brand = catalogue.brands.get(str(entry.get("brand")))
        source = (entry.get("treatment"), entry.get("kind"), entry.get("language"))
        if brand is None or source not in loaded or entry.get("language") not in brand.languages:
            target = pdf_in(out, path)
            if target is not None:
                remove(target)
            continue
        job = Job(brand.slug, *source, str(entry.get("layout")))  # type: ignore[arg-type]
        fresh = job.layout in layouts() and fingerprint(catalogue, job, str(entry.get("options", Options().key())), cache) == entry.get("inputs")
        entry = {k: v for k, v in entry.items() if k != "stale"} if fresh else {**entry, "stale": True}
        if not fresh:
            warnings.append(Problem(str(out / path), None, "is out of date with the content and marked stale in the manifest",
                                    "a build that includes it, e.g. without --brand/--handout/--lang/--shard", WARNING))
        kept.append(entry)
    return list(current.values()) + entries_on_disk(out, {e["path"]: e for e in kept}), warnings


def entries_on_disk(out: Path, entries: dict[str, dict]) -> list[dict]:
    """The entries whose file is on disk with the recorded sha256 (used after an interruption)."""
    return [entry for entry in entries.values() if unchanged(entry, entry.get("inputs", ""), out)]


def write_interrupted_manifest(out: Path, finished: list[dict]) -> Path:
    """After an interrupted build: a manifest of what finished and the earlier PDFs that are still intact."""
    known = previous_entries(out)
    known.update({entry["path"]: entry for entry in finished})
    return write_manifest(out, entries_on_disk(out, known))


def merge_manifests(out: Path, manifests: list[Path]) -> list[dict]:
    """The entries of shard manifests, merged; the same path with different bytes, or a PDF missing from out, is an error."""
    merged: dict[str, dict] = {}
    problems = []
    for path in manifests:
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))["handouts"]
            if not isinstance(entries, list):
                raise TypeError
        except (OSError, ValueError, KeyError, TypeError):
            raise HandoutsError(f"{path}: not a handouts manifest (the manifest.json a build writes)") from None
        for number, entry in enumerate(entries, 1):
            if not (isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str)):
                problems.append(Problem(str(path), None, f"entry {number} has no path and sha256", "entries as a build writes them"))
                continue
            known = merged.get(entry["path"])
            if known and known["sha256"] != entry["sha256"]:
                problems.append(Problem(str(path), None, f"{entry['path']} differs from another shard's copy", "identical bytes for the same PDF"))
            merged[entry["path"]] = entry
    for entry in merged.values():
        if not unchanged(entry, entry.get("inputs"), out):
            problems.append(Problem(str(out / entry["path"]), None, "is missing or differs from its manifest entry",
                                    "the PDFs of every shard copied into the merged folder"))
    if problems:
        raise ContentError(problems)
    return list(merged.values())


def write_manifest(out: Path, entries: list[dict]) -> Path:
    """Write manifest.json (sorted by path) atomically."""
    path = out / MANIFEST
    body = {"generator": "handouts", "handouts": sorted(entries, key=lambda e: e["path"])}
    try:
        write_atomic(path, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    except OSError as exc:
        raise HandoutsError(f"{path}: cannot write the manifest: {exc.strerror or exc} (a writable output folder with free space)") from None
    return path
