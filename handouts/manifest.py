"""The manifest (out/manifest.json): read it, keep it true to the folder, merge shards' manifests, write it atomically."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .errors import WARNING, ContentError, HandoutsError, Problem
from .files import sha256_file, write_atomic
from .fingerprint import fingerprint
from .jobs import Job, Options
from .jsontext import indented
from .registry import layouts

if TYPE_CHECKING:
    from .content import Catalogue

MANIFEST = "manifest.json"
COPIES = "copies"  # the manifest's key for the files of the web copies


def previous_entries(out: Path) -> dict[str, dict[str, Any]]:
    """Entries of the manifest a previous build left in out/, by path (empty when there is none or it is unreadable)."""
    try:
        body = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in body["handouts"] if isinstance(entry, dict) and "path" in entry}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def unchanged(entry: dict[str, Any] | None, inputs: str | None, out: Path, hasher: Callable[[Path], str] = sha256_file) -> bool:
    """True when the recorded inputs match and the file on disk still has the recorded sha256."""
    if not entry or entry.get("inputs") != inputs:
        return False
    target = pdf_in(out, entry.get("path"))
    try:
        return target is not None and hasher(target) == entry.get("sha256")
    except OSError:
        return False


def pdf_in(out: Path, path: object) -> Path | None:
    """The regular PDF file a manifest path names inside out, or None (a hand-edited manifest may name anything)."""
    return file_in(out, path) if isinstance(path, str) and path.endswith(".pdf") else None


def reconcile_manifest(catalogue: Catalogue, out: Path, listed: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]],
                       touched: set[str]) -> tuple[dict[str, dict[str, Any]], list[str], list[Problem]]:
    """The manifest after a build: this run's entries (current) plus earlier ones that are still true; the PDFs to
    remove; and a warning for each earlier PDF now out of date. Nothing on disk is changed here.

    A filtered or sharded build keeps what it did not touch, so the manifest always lists every good PDF in the
    folder; a PDF made from a brand kit or handout that is now broken or gone, or one this run could not make
    (touched, not current), is removed, so nobody prints it; one whose file no longer has its recorded bytes is
    removed too; one whose inputs changed since it was built stays, marked "stale", until a build that selects it
    makes it again.
    """
    final = dict(current)
    drops: list[str] = []
    loaded = {(h.treatment_slug, h.kind, h.language) for h in catalogue.handouts}
    warnings = []
    cache: dict[Path, str] = {}
    for path, entry in sorted(listed.items()):
        if path in current:
            continue
        brand = catalogue.brands.get(str(entry.get("brand")))
        source = (entry.get("treatment"), entry.get("kind"), entry.get("language"))
        if path in touched or brand is None or source not in loaded or entry.get("language") not in brand.languages \
                or not entries_on_disk(out, {path: entry}):
            drops.append(path)
            continue
        job = Job(brand.slug, *source, str(entry.get("layout")))
        fresh = job.layout in layouts() and fingerprint(catalogue, job, str(entry.get("options", Options().key())), cache) == entry.get("inputs")
        entry = {k: v for k, v in entry.items() if k != "stale"} if fresh else {**entry, "stale": True}
        if not fresh:
            warnings.append(Problem(str(out / path), None, "is out of date with the content and marked stale in the manifest",
                                    "a build that includes it, e.g. without --brand/--handout/--lang/--shard", WARNING))
        final[path] = entry
    return final, drops, warnings


def entries_on_disk(out: Path, entries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries whose file is on disk with the recorded sha256."""
    return [entry for entry in entries.values() if unchanged(entry, entry.get("inputs", ""), out)]


def share_record(shard: str | None, catalogue: str, jobs: list[Job]) -> dict[str, Any]:
    """What a build records of its share of the work: K/N, the catalogue it came from, and the PDFs it was to make."""
    return {"shard": shard or "1/1", "catalogue": catalogue, "jobs": sorted(job.output for job in jobs)}


def _share_of(body: object) -> tuple[int, int, str, list[str]] | None:
    share = body.get("build") if isinstance(body, dict) else None
    if not isinstance(share, dict) or not isinstance(share.get("catalogue"), str) or not isinstance(share.get("jobs"), list):
        return None
    try:
        k, n = (int(part) for part in str(share.get("shard")).split("/"))
    except ValueError:
        return None
    if not 1 <= k <= n or not all(isinstance(job, str) for job in share["jobs"]):
        return None
    return k, n, share["catalogue"], share["jobs"]


def merge_manifests(out: Path, manifests: list[Path]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The entries of the manifests of every shard of one build, merged, and the share record of the whole.

    Every shard 1/N … N/N must be there once, all from the same catalogue, each with an entry for every PDF of its
    share; the same path with different bytes, or a PDF missing from out, is an error too.
    """
    bodies = []
    for path in manifests:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(body["handouts"], list):
                raise TypeError
        except (OSError, ValueError, KeyError, TypeError):
            raise HandoutsError(f"{path}: not a handouts manifest (the manifest.json a build writes)") from None
        bodies.append((path, body))
    problems = []
    shares = []  # (manifest, its share, its entries by path), in the order given
    for path, body in bodies:
        valid = {}
        for number, entry in enumerate(body["handouts"], 1):
            if not (isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str)):
                problems.append(Problem(str(path), None, f"entry {number} has no path and sha256", "entries as a build writes them"))
                continue
            valid[entry["path"]] = entry
        share = _share_of(body)
        if share is None:
            problems.append(Problem(str(path), None, "does not record which shard of which catalogue it holds",
                                    "the manifest.json of `build --shard K/N`, as this version writes it"))
        else:
            shares.append((path, share, valid))
    catalogues = [share[2] for _, share, _ in shares]
    catalogue = max(catalogues, key=catalogues.count) if catalogues else ""  # the most common; the first on a tie
    first, count = next(((path, share[1]) for path, share, _ in shares if share[2] == catalogue), (None, 0))
    seen: dict[int, Path] = {}
    merged: dict[str, dict[str, Any]] = {}
    jobs: set[str] = set()
    for path, (k, n, their_catalogue, their_jobs), valid in shares:
        if their_catalogue != catalogue:
            problems.append(Problem(str(path), None, f"shard {k}/{n} comes from another catalogue than {first}",
                                    "shards of one build: the same content, filters and options"))
            continue
        if n != count:
            problems.append(Problem(str(path), None, f"shard {k}/{n} is one of {n} shares, {first} one of {count}",
                                    f"shards of one build, all 1/{count} … {count}/{count}"))
            continue
        if k in seen:
            problems.append(Problem(str(path), None, f"shard {k}/{n} is given twice (also {seen[k]})", "each shard once"))
            continue
        seen[k] = path
        jobs.update(their_jobs)
        for job in sorted(their_jobs):
            entry = valid.get(job)
            if entry is None or entry.get("stale"):
                problems.append(Problem(str(path), None, f"shard {k}/{n} has no {'current ' if entry else ''}{job}",
                                        "a shard build that finished without errors"))
                continue
            known = merged.get(job)
            if known and known["sha256"] != entry["sha256"]:
                problems.append(Problem(str(path), None, f"{job} differs from another shard's copy", "identical bytes for the same PDF"))
            merged[job] = entry
    for k in range(1, count + 1):
        if k not in seen:
            problems.append(Problem(str(out), None, f"shard {k}/{count} is missing", f"the manifests of all {count} shards"))
    for entry in merged.values():
        if not unchanged(entry, entry.get("inputs"), out):
            problems.append(Problem(str(out / entry["path"]), None, "is missing or differs from its manifest entry",
                                    "the PDFs of every shard copied into the merged folder"))
    if problems:
        raise ContentError(problems)
    return list(merged.values()), {"shard": "1/1", "catalogue": catalogue, "jobs": sorted(jobs)}


def write_manifest(out: Path, entries: list[dict[str, Any]], share: dict[str, Any] | None = None, raise_os_error: bool = False,
                   copies: list[dict[str, Any]] | None = None) -> Path:
    """Write manifest.json (sorted by path) atomically, with the record of the build's share when given: the PDFs, then
    the files of the web copies (None: those the manifest already lists that are still intact).

    A failure is a HandoutsError with a clear message (or, with raise_os_error, the OSError itself)."""
    path = out / MANIFEST
    if copies is None:
        copies = [entry for entry in listed_copies(path).values() if intact(out, entry)]
    body: dict[str, object] = {"generator": "handouts"}
    if share is not None:
        body["build"] = share
    body["handouts"] = sorted(entries, key=lambda e: e["path"])
    body[COPIES] = sorted(copies, key=lambda e: e["path"])
    try:
        write_atomic(path, (indented(body) + "\n").encode("utf-8"))
    except OSError as exc:
        if raise_os_error:
            raise
        raise HandoutsError(f"{path}: cannot write the manifest: {exc.strerror or exc} (a writable output folder with free space)") from None
    return path


def listed_copies(manifest: Path) -> dict[str, dict[str, Any]]:
    """The copy entries of a manifest file, by path (empty when there is none or it is unreadable)."""
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get(COPIES, [])
        return {entry["path"]: entry for entry in listed if isinstance(entry, dict) and isinstance(entry.get("path"), str)}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def copy_in(out: Path, path: object) -> Path | None:
    """The regular file a copy entry names inside a brand's html folder in out, or None (a hand-edited manifest may name anything)."""
    return file_in(out, path) if isinstance(path, str) and "/html/" in path else None


def file_in(out: Path, path: object) -> Path | None:
    """The regular file a manifest path names inside out, or None."""
    if not isinstance(path, str) or os.path.isabs(path) or ".." in Path(path).parts:
        return None
    target = Path(out) / path
    try:
        real, real_out = target.resolve(strict=True), Path(out).resolve()
        return target if real_out in real.parents and stat.S_ISREG(real.stat().st_mode) else None
    except (OSError, RuntimeError):
        return None


def intact(out: Path, entry: dict[str, Any], hasher: Callable[[Path], str] = sha256_file) -> bool:
    """True when the file an entry names is on disk with the recorded sha256."""
    target = copy_in(out, entry.get("path"))
    try:
        return target is not None and hasher(target) == entry.get("sha256")
    except OSError:
        return False
