"""A whole build that can have nothing to do, answered without loading the content at all.

After a build with no errors, `BuildRecord` records beside the manifest a hash of every file in the content tree,
of the request (filters, options, engine, libraries) and of the manifest; a later build with the same hashes, whose
PDFs all still have their recorded sha256, is a no-op. Any difference (an edited file, a new file, another filter,
a damaged or missing PDF) falls back to the per-PDF check (fingerprint.py).

This module imports nothing heavy, so that a no-op build costs little more than starting Python.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any, Callable

from .files import sha256_file, write_record
from .fingerprint import engine_hash
from .hashcache import HashCache
from .manifest import MANIFEST, intact, listed_copies, previous_entries, unchanged

STATE_FILE = ".handouts-build.json"
HASH_FILE = ".handouts-hashes.json"  # the sha256 of each file the record checks, by its stat (hashcache.py)
STATE_VERSION = 1
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__"})


def tree_digest(root: Path, skip: Path | None = None, hasher: Callable[[Path], str] = sha256_file) -> str | None:
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
                digest.update(hasher(Path(path)).encode() if stat.S_ISREG(info.st_mode) else b"special")
                digest.update(b"\n")
    except OSError:
        return None
    return digest.hexdigest()


def _raise(error: OSError) -> None:
    raise error


def _writable(folder: Path) -> bool:
    """True when a file can be created in folder (tried, not inferred from permission bits, which root ignores)."""
    probe = folder / f".write-test-{os.getpid()}.tmp"
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
        self.hashes = HashCache(self.out / HASH_FILE)
        text = json.dumps({"request": request, "content": os.path.realpath(content),
                           "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"), "engine": engine_hash(self.hashes.sha256),
                           "state": STATE_VERSION}, sort_keys=True, ensure_ascii=False, default=str)
        self.key = hashlib.sha256(text.encode()).hexdigest()
        self.tree = tree_digest(Path(content), skip=self.out, hasher=self.hashes.sha256)

    def replay(self) -> dict[str, Any] | None:
        """The recorded state when the request, the engine, the content tree, the manifest and every PDF it lists are as recorded."""
        if self.tree is None or not _writable(self.out):  # an unwritable folder is an error the full path reports
            return None
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(state, dict) or state.get("key") != self.key or state.get("tree") != self.tree:
                return None
            manifest = (self.out / MANIFEST).read_bytes()
            if hashlib.sha256(manifest).hexdigest() != state.get("manifest"):
                return None
            entries = previous_entries(self.out)  # this build's PDFs, and those earlier filtered builds left
            outputs = state.get("outputs")
            if not isinstance(outputs, list) or not set(outputs) <= set(entries) or not isinstance(state.get("warnings"), list):
                return None
            if not all(unchanged(entry, entry.get("inputs", ""), self.out, self.hashes.sha256) for entry in entries.values()):
                return None
            if not all(intact(self.out, entry, self.hashes.sha256) for entry in listed_copies(self.out / MANIFEST).values()):
                return None
        except (OSError, ValueError, TypeError, KeyError):
            return None
        self.hashes.save()
        return state

    def forget(self) -> None:
        """Remove the record: the folder is about to change."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        self.hashes.forget()

    def save(self, outputs: list[str], warnings: list[str]) -> None:
        """Record a build with no errors, after its manifest is written: its PDFs in job order and the warning lines it printed."""
        if self.tree is None:
            return
        try:
            manifest = hashlib.sha256((self.out / MANIFEST).read_bytes()).hexdigest()
        except OSError:
            return
        body = {"key": self.key, "tree": self.tree, "manifest": manifest, "outputs": outputs, "warnings": warnings}
        write_record(self.path, json.dumps(body, indent=1, ensure_ascii=False) + "\n")
