"""What the proof found for each combination, kept between runs of `check`, so that after an edit only the sheets
made from a changed file are rendered again.

An entry is named by the combination's build fingerprint (`fingerprint.fingerprint`: the handout, its snippets,
settings, record and pictures, every file of the brand chain, the layout, the engine's code, fonts and libraries,
`SOURCE_DATE_EPOCH`), so any change that could change what is drawn gives a new name, and an old entry is never
read again. The proof depends on nothing else: its worst-case patient and dates are fixed by the sheet's language and
fonts, not by today's date. Problems are kept with their paths relative to the content tree, so a copy of the same tree
elsewhere finds them too.

The folder is `$HANDOUTS_CACHE` if set, else `$XDG_CACHE_HOME/handouts` (`~/.cache/handouts`); `check --no-cache`
uses none. Entries are written whole (a temporary file renamed) so two checks at once never read half of one; an
entry that cannot be read is proven again, and a folder that cannot be written is simply not used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .content import display_path
from .errors import Problem
from .files import write_atomic

if TYPE_CHECKING:
    from .content import Catalogue
    from .jobs import Job

PROOF_OPTIONS = "proof"  # the fingerprint's options part: the proof renders every variant itself


class ProofCache:
    """The proof's findings by combination fingerprint, in one folder."""

    def __init__(self, folder: Path, catalogue: Catalogue, pdfua: bool = False):
        self.folder = folder / "proof"
        self.catalogue = catalogue
        self.root = display_path(catalogue.root)
        self.hashes: dict[Path, str] = {}
        self.options = PROOF_OPTIONS
        if pdfua:  # what the validator found is kept apart, by the validator's version
            from .conformance import validator

            self.options += f" pdfua {validator()}"

    def key(self, job: Job) -> str:
        """The combination's fingerprint (with --pdfua, the validator's version too)."""
        from .fingerprint import fingerprint

        return fingerprint(self.catalogue, job, self.options, self.hashes)

    def get(self, key: str) -> list[Problem] | None:
        """The problems found for this fingerprint before, or None if it has not been proven (or cannot be read)."""
        try:
            entries = json.loads((self.folder / key[:2] / f"{key}.json").read_text(encoding="utf-8"))
            return [Problem(self._outside(e["path"]), e["line"], e["message"], e["expected"], e["severity"]) for e in entries]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, problems: list[Problem]) -> None:
        """Keep what the proof found for this fingerprint; a folder that cannot be written is left alone."""
        entries = [{"path": self._inside(p.path), "line": p.line, "message": p.message, "expected": p.expected,
                    "severity": p.severity} for p in problems]
        target = self.folder / key[:2] / f"{key}.json"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, json.dumps(entries, ensure_ascii=False, sort_keys=True).encode())
        except OSError:
            pass

    def _inside(self, path: str) -> str:
        if self.root == ".":
            return path if os.path.isabs(path) or path.startswith("..") else "./" + path
        prefix = self.root.rstrip("/") + "/"
        return "./" + path[len(prefix):] if path.startswith(prefix) else path

    def _outside(self, path: str) -> str:
        return display_path(self.catalogue.root / path[2:]) if path.startswith("./") else path
