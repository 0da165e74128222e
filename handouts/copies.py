"""The web copies in a build: each selected brand's html folder written whole, listed in the manifest, kept true to the disk.

A brand's copies are rendered together (the pages link to each other and share one index and one set of assets),
which takes a few milliseconds per page, so a build renders them all again and compares bytes: a file whose bytes
are unchanged is left alone, a changed one is written whole, and a file a brand no longer has is removed. A build
that selects only some brands keeps the other brands' copies that are still intact on disk.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, cast

from .compiled import dataclass
from .errors import ContentError, Problem
from .files import remove, write_all_atomic, write_atomic
from .jobs import shard
from .jsontext import indented
from .manifest import COPIES, MANIFEST, copy_in, intact, listed_copies

if TYPE_CHECKING:
    from .content import Catalogue
    from .flowables import RenderError
    from .htmlcopy import PageCopy, PageKey
    from .jobs import Job



@dataclass
class CopiesResult:
    """What writing the web copies did: the manifest entries, the problems, and how many files were written."""

    entries: list[dict[str, Any]]
    problems: list[Problem]
    written: int
    pages: int


def brands_for(jobs: Iterable[Job], spec: str | None) -> list[str]:
    """The brands whose copies a build writes: those of its jobs; with --shard, each brand in one shard only."""
    brands = sorted({job.brand for job in jobs})
    return cast("list[str]", shard(cast("list[Any]", brands), spec))


def write_copies(catalogue: Catalogue, brands: list[str], out: Path, rendered: dict[PageKey, PageCopy] | None = None) -> CopiesResult:
    """Write the web copy of each brand (only files whose bytes changed), remove files of those brands it no longer has,
    and list in the manifest this run's files with the earlier ones of other brands that are still true.

    rendered: handout pages already rendered (by a build's workers); the others are rendered here."""
    from .htmlcopy import brand_site

    previous = listed_copies(out / MANIFEST)
    entries: list[dict[str, Any]] = []
    problems: list[Problem] = []
    written = pages = 0

    def report(exc: RenderError) -> None:
        problems.append(Problem(exc.path, exc.line, exc.message, exc.expected))

    for slug in brands:
        files = brand_site(catalogue, slug, report, rendered)
        produced = set()
        changed: list[tuple[Path, bytes]] = []
        listed: dict[Path, dict[str, Any]] = {}
        for file in files:
            target = out / file.path
            digest = hashlib.sha256(file.data).hexdigest()
            produced.add(file.path)
            entry = {"path": file.path, "brand": slug, "role": file.role, "sha256": digest}
            if file.handout is not None:
                pages += 1
                entry.update(treatment=file.handout.treatment_slug, kind=file.handout.kind, language=file.handout.language,
                             title=file.handout.title)
                address = catalogue.brands[slug].web_address(file.handout.treatment_slug, file.handout.kind, file.handout.language)
                if address:
                    entry["url"] = address
            entries.append(entry)
            if not intact(out, entry):
                changed.append((target, file.data))
                listed[target] = entry
        failed = write_all_atomic(changed)  # the brand's changed files synced to disk together
        written += len(changed) - len(failed)
        for target, exc in failed.items():
            entries.remove(listed[target])
            problems.append(Problem(str(target), None, f"cannot write the web copy: {exc.strerror or exc}",
                                    "a writable output folder with free space"))
        for path, entry in previous.items():
            if entry.get("brand") == slug and path not in produced:
                _remove_listed(out, path)
    problems += _record(out / MANIFEST, reconcile_copies(catalogue, out, entries, previous))
    return CopiesResult(entries, problems, written, pages)


def _record(manifest: Path, copies: list[dict[str, Any]]) -> list[Problem]:
    """Rewrite the manifest the build just committed with its list of the web copies' files."""
    try:
        body = json.loads(manifest.read_text(encoding="utf-8"))
        body[COPIES] = sorted(copies, key=lambda e: e["path"])
        write_atomic(manifest, (indented(body) + "\n").encode("utf-8"))
    except (OSError, ValueError, TypeError) as exc:
        return [Problem(str(manifest), None, f"cannot list the web copies in the manifest: {getattr(exc, 'strerror', None) or exc}",
                        "a writable output folder with free space")]
    return []


def reconcile_copies(catalogue: Catalogue, out: Path, entries: list[dict[str, Any]], previous: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """This run's copy entries plus earlier ones of brands it did not write that still exist and are intact on disk.

    An earlier brand's file that is gone from the catalogue, or damaged on disk, is removed, so nobody uploads it.
    """
    written_brands = {entry["brand"] for entry in entries}
    current = {entry["path"] for entry in entries}
    kept = []
    for path, entry in sorted(previous.items()):
        if path in current or entry.get("brand") in written_brands:
            continue
        if entry.get("brand") in catalogue.brands and intact(out, entry):
            kept.append(entry)
        else:
            _remove_listed(out, path)
    return entries + kept


def merge_copies(out: Path, manifests: list[Path]) -> list[dict[str, Any]]:
    """The copy entries of shard manifests, merged; the same path with different bytes, or a file missing from out, is an error."""
    merged: dict[str, dict[str, Any]] = {}
    problems = []
    for manifest in manifests:
        for path, entry in listed_copies(manifest).items():
            known = merged.get(path)
            if known and known.get("sha256") != entry.get("sha256"):
                problems.append(Problem(str(manifest), None, f"{path} differs from another shard's copy", "identical bytes for the same file"))
            merged[path] = entry
    problems += [Problem(str(out / path), None, "is missing or differs from its manifest entry", "the web copies of every shard copied into the merged folder")
                 for path, entry in sorted(merged.items()) if not intact(out, entry)]
    if problems:
        raise ContentError(problems)
    return list(merged.values())


def _remove_listed(out: Path, path: str) -> None:
    target = copy_in(out, path)
    if target is not None:
        remove(target)
