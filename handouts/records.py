"""Approval records: the file beside a handout that says who approved which text, when, for which settings.

A handout file `<treatment>/<kind>.<lang>.yaml` has its record in `<treatment>/approved/<kind>.<lang>.yaml`, next to
the words it approves, so that an approval goes through the same code review as the change it approves, travels with
a clinic's own content tree, and needs no database and no version-control history (a shallow CI clone has none).

Each approval in a record holds the approver, role, date and version, the text as the author wrote it (placeholders
still in it), and one sha256 per distinct text that patients read: the text with the settings filled in, once with the
treatment's defaults and once per brand whose own settings change it. The stored text lets `diff` show what changed
without reading old commits. This module reads and writes records; `approval` decides what they approve.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Iterable

from .compiled import dataclass
from .errors import Problems
from .yamlcheck import Checker, Field
from .yamlcache import load_file
from .yamlsafe import Mapping, Node, Sequence, Text

FOLDER = "approved"
HEADER = ("# Clinical approvals of {handout}, newest last: written by `generate.py approve`, read by `check`.\n"
          "# Each approval holds the text as approved and a sha256 of each text patients read (per distinct brand settings).\n"
          "# Do not edit it by hand: approve again instead.\n")
MAX_NAME = 100
RECORD = {"handout": Field("the handout file this record approves, e.g. aftercare.en.yaml", True),
          "approvals": Field("the approvals, oldest first", True)}
APPROVAL = {"version": Field("the handout's version when it was approved", True), "date": Field("YYYY-MM-DD", True),
            "by": Field("who approved it", True), "role": Field("their role, e.g. Medical director"),
            "variants": Field("one entry per distinct text patients read: sha256, brands, settings", True),
            "text": Field("the approved text as [kind, text] pairs", True)}
VARIANT = {"sha256": Field("the hash of the filled text", True), "brands": Field("the brands that printed this text", True),
           "settings": Field("the settings that filled it", True), "defaults": Field("\"yes\" for the treatment's own defaults")}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Line = tuple[str, str]  # (kind, text): e.g. ("do_dont.dont", "Do not wear makeup for {settings.makeup_wait_hours} hours.")


@dataclass(frozen=True)
class Variant:
    """One distinct text patients read: its hash, the brands that print it and the settings that fill it."""

    sha256: str
    brands: tuple[str, ...]
    settings: dict[str, str]
    defaults: bool = False


@dataclass(frozen=True)
class Approval:
    """One clinician's approval of one version of a handout, in every variant current at the time."""

    version: str
    date: str
    by: str
    role: str
    variants: tuple[Variant, ...]
    text: tuple[Line, ...]
    line: int = 0  # where it starts in the record

    @property
    def hashes(self) -> set[str]:
        """The sha256 of every text this approval covers."""
        return {v.sha256 for v in self.variants}

    @property
    def who(self) -> str:
        """'Dr Lee (Medical director)' or 'Dr Lee'."""
        return f"{self.by} ({self.role})" if self.role else self.by

    def variant_for(self, brand: str | None) -> Variant:
        """The variant a brand printed when this was approved (the defaults for a brand it did not list)."""
        found = next((v for v in self.variants if brand is not None and brand in v.brands), None)
        return found or next((v for v in self.variants if v.defaults), self.variants[0])


@dataclass(frozen=True)
class Record:
    """The approval record of one handout file."""

    path: Path
    display: str
    approvals: tuple[Approval, ...]

    @property
    def latest(self) -> Approval | None:
        """The approval in force: the newest."""
        return self.approvals[-1] if self.approvals else None


def record_path(handout_path: Path) -> Path:
    """Where the record of a handout file lives."""
    return handout_path.parent / FOLDER / handout_path.name


def load_record(root: Path, path: Path, handout_name: str, problems: Problems) -> Record | None:
    """Read and validate one record; problems are recorded, None when it cannot be used."""
    node = load_file(path, problems.path, problems, root)
    if node is None:
        return None
    check = Checker(problems)
    data = check.mapping(node, "", RECORD)
    if data is None:
        return None
    if "handout" in data:
        name = check.text(data["handout"], "handout", data.line_of("handout"))
        if name is not None and name != handout_name:
            check.error(name, "handout", f"'{name}' does not match the record's file name", f"'{handout_name}'")
    approvals = []
    items = check.sequence(data.get("approvals"), "approvals", "a list of approvals", data.line_of("approvals")) if "approvals" in data else Sequence()
    for i, item in enumerate(items):
        approval = _approval(item, f"approvals[{i}]", check)
        if approval is not None:
            approvals.append(approval)
    if problems.errors:
        return None
    return Record(path, problems.path, tuple(approvals))


def _approval(node: Node, where: str, check: Checker) -> Approval | None:
    item = check.mapping(node, where, APPROVAL)
    if item is None:
        return None
    values = {key: check.text(item.get(key), f"{where}.{key}", item.line_of(key), max_len=MAX_NAME) if key in item else None
              for key in ("version", "date", "by", "role")}
    date = values["date"]
    if date is not None and not valid_date(date):
        check.error(date, f"{where}.date", f"'{date}' is not a date", "YYYY-MM-DD")
    variants = []
    for j, entry in enumerate(check.sequence(item.get("variants"), f"{where}.variants", "a list of variants", item.line_of("variants"))
                              if "variants" in item else []):
        at = f"{where}.variants[{j}]"
        body = check.mapping(entry, at, VARIANT, item.line_of("variants"))
        if body is None:
            continue
        digest = check.text(body.get("sha256"), f"{at}.sha256", body.line)
        if digest is not None and not re.fullmatch(r"[0-9a-f]{64}", digest):
            check.error(digest, f"{at}.sha256", "is not a sha256", "64 hexadecimal digits")
        brands = check.sequence(body.get("brands"), f"{at}.brands", "a list of brand names", body.line) if "brands" in body else []
        settings = body.get("settings")
        if not isinstance(settings, Mapping) or not all(isinstance(v, Text) for v in settings.values()):
            check.error(settings, f"{at}.settings", "expected a mapping of setting names to values", "{name: \"value\"}", body.line)
            continue
        if digest is not None:
            variants.append(Variant(str(digest), tuple(str(b) for b in brands if isinstance(b, Text)), {k: str(v) for k, v in settings.items()},
                                    str(body.get("defaults", "")) == "yes"))
    text = []
    for j, pair in enumerate(check.sequence(item.get("text"), f"{where}.text", "a list of [kind, text] pairs", item.line_of("text"))
                             if "text" in item else []):
        if not (isinstance(pair, Sequence) and len(pair) == 2 and all(isinstance(v, Text) for v in pair)):
            check.error(pair, f"{where}.text[{j}]", "expected a [kind, text] pair", "[\"paragraph\", \"Some text.\"]", item.line_of("text"))
            continue
        text.append((str(pair[0]), str(pair[1])))
    if any(values[key] is None for key in ("version", "date", "by")) or not variants:
        if not variants and "variants" in item:
            check.error(item, f"{where}.variants", "has no usable variant", "at least one {sha256, brands, settings}")
        return None
    return Approval(str(values["version"]), str(values["date"]), str(values["by"]), str(values["role"] or ""), tuple(variants),
                    tuple(text), item.line)


def valid_date(text: str) -> bool:
    """True for an existing date written YYYY-MM-DD."""
    if not _DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's quoting is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def dump_record(handout_name: str, display: str, approvals: Iterable[Approval]) -> str:
    """The text of a record file: one line per text line, so a code review shows exactly what was approved."""
    out = [HEADER.format(handout=display), f"handout: {_q(handout_name)}\n", "approvals:\n"]
    for a in approvals:
        out.append(f"  - version: {_q(a.version)}\n    date: {_q(a.date)}\n    by: {_q(a.by)}\n")
        if a.role:
            out.append(f"    role: {_q(a.role)}\n")
        out.append("    variants:\n")
        for v in a.variants:
            settings = ", ".join(f"{_q(k)}: {_q(val)}" for k, val in v.settings.items())
            defaults = ", defaults: \"yes\"" if v.defaults else ""
            out.append(f"      - {{sha256: {_q(v.sha256)}, brands: [{', '.join(_q(b) for b in v.brands)}]{defaults}, settings: {{{settings}}}}}\n")
        out.append("    text:\n")
        out += [f"      - [{_q(kind)}, {_q(text)}]\n" for kind, text in a.text]
    return "".join(out)


