"""Clinical approval records: who approved what a patient reads, and when, tied to the words themselves.

A handout file `<treatment>/<kind>.<lang>.yaml` has its record in `<treatment>/approved/<kind>.<lang>.yaml`, next to
the words it approves, so that an approval goes through the same code review as the change it approves, travels with
a clinic's own content tree, and needs no database and no version-control history (a shallow CI clone has none).

Each approval in a record holds the approver, role, date and version, the text as the author wrote it (placeholders
still in it), and one sha256 per distinct text that patients read: the text with the settings filled in, once with the
treatment's defaults and once per brand whose own settings change it. `check` recomputes those hashes; a text whose hash
is not in the latest approval has changed since it was approved. The stored text lets `diff` show what changed
without reading old commits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from . import inline, placeholders
from .errors import WARNING, Problem, Problems
from .yamlcheck import Checker, Field
from .yamlsafe import Mapping, Sequence, Text, load_file

if TYPE_CHECKING:
    from .brand import Brand
    from .content import Catalogue, Handout, Treatment

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


# --- what a patient reads ----------------------------------------------------------------------------------------------

def text_lines(handout: "Handout") -> list[Line]:
    """Everything a patient may read on any layout, in order, as (kind, text) with placeholders left in.

    Front matter that prints (title, treatment), then every block and the card's blocks, walked field by field, so a
    block type added later is covered without being listed here. Pictures count by their bytes.
    """
    lines: list[Line] = [("title", handout.title), ("treatment", handout.treatment)]
    for section, blocks in (("blocks", handout.blocks), ("card", handout.card_blocks)):
        if blocks is None:
            continue
        if section == "card":
            lines.append(("card", ""))
        for _, block in blocks:
            lines += _walk(block, block.type_name)
    return lines


def _walk(value: object, kind: str) -> list[Line]:
    from .blocks import Rich

    if value is None or isinstance(value, (bool, int, float)):
        return []  # line numbers and print sizes are not words
    if isinstance(value, Rich):
        return [(kind, value.raw)]
    if isinstance(value, str):
        return [(kind, str(value))]
    if isinstance(value, Path):
        digest = hashlib.sha256(value.read_bytes()).hexdigest() if value.is_file() else "missing"
        return [(kind, f"{value.name} sha256:{digest[:16]}")]
    if isinstance(value, list):
        return [line for item in value for line in _walk(item, kind)]
    if isinstance(value, tuple):
        return [line for i, item in enumerate(value) for line in _walk(item, f"{kind}.{i}")]
    if dataclasses.is_dataclass(value):
        return [line for f in dataclasses.fields(value) if f.name != "line" for line in _walk(getattr(value, f.name), f"{kind}.{f.name}")]
    return []


def settings_used(lines: Iterable[Line]) -> list[str]:
    """The settings a text uses, in order of first use."""
    found: dict[str, None] = {}
    for _, text in lines:
        try:
            for space, key in placeholders.names(text):
                if space == "settings":
                    found.setdefault(key, None)
        except placeholders.PlaceholderError:
            continue
    return list(found)


def fill(lines: Iterable[Line], settings: dict[str, str]) -> list[Line]:
    """The lines with settings filled in; brand and patient placeholders stay as they are."""
    def lookup(space: str, key: str) -> str:
        if space == "settings" and key in settings:
            return settings[key]
        return f"{{{space}.{key}}}"

    out = []
    for kind, text in lines:
        try:
            out.append((kind, placeholders.expand(text, lookup)))
        except placeholders.PlaceholderError:
            out.append((kind, text))
    return out


def text_hash(version: str, lines: Iterable[Line], settings: dict[str, str]) -> str:
    """The sha256 of a version and its filled text."""
    body = json.dumps({"version": version, "text": [list(line) for line in fill(lines, settings)]}, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def plain(text: str) -> str:
    """Text without inline markup, as a reader sees it."""
    try:
        return inline.plain(inline.parse(text))
    except inline.InlineError:
        return text


# --- variants: one text per distinct set of settings -----------------------------------------------------------------

def current_variants(catalogue: "Catalogue", handout: "Handout") -> list[Variant]:
    """Today's variants: the treatment's defaults first, then one per distinct text among the brands that print the handout."""
    from .content import merged_settings

    treatment = catalogue.treatments[handout.treatment_slug]
    lines = text_lines(handout)
    used = settings_used(lines)
    order: list[str] = []
    found: dict[str, Variant] = {}

    def add(settings: dict[str, str], brand: str | None) -> None:
        chosen = {key: settings[key] for key in used if key in settings}
        digest = text_hash(handout.version, lines, chosen)
        known = found.get(digest)
        if known is None:
            order.append(digest)
            found[digest] = Variant(digest, (brand,) if brand else (), chosen, brand is None)
        elif brand:
            found[digest] = dataclasses.replace(known, brands=known.brands + (brand,))

    add(treatment.settings, None)
    for slug, brand in sorted(catalogue.brands.items()):
        if handout.language in brand.languages:
            add(merged_settings(treatment, brand), slug)
    return [found[digest] for digest in order]


def approval_for(handout: "Handout", settings: dict[str, str]) -> Approval | None:
    """The approval in force for the text a sheet prints with these settings, or None when that text is not approved."""
    record = handout.record
    latest = record.latest if record else None
    if latest is None:
        return None
    lines = text_lines(handout)
    chosen = {key: settings[key] for key in settings_used(lines) if key in settings}
    return latest if text_hash(handout.version, lines, chosen) in latest.hashes else None


# --- reading and writing records -------------------------------------------------------------------------------------

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


def _approval(node: object, where: str, check: Checker) -> Approval | None:
    item = check.mapping(node, where, APPROVAL)  # type: ignore[arg-type]
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


# --- what check reports ------------------------------------------------------------------------------------------------

def approve_hint(handout: "Handout") -> str:
    """The commands that show the change and approve it."""
    return (f"run 'generate.py diff {handout.key} --lang {handout.language}', then "
            f"'generate.py approve {handout.key} --lang {handout.language} --by NAME'")


def check_approvals(catalogue: "Catalogue") -> list[Problem]:
    """Every handout's text against its latest approval: changed text, unapproved brand settings, front matter that disagrees."""
    problems: list[Problem] = []
    for handout in catalogue.handouts:
        latest = handout.record.latest if handout.record else None
        if latest is None:
            problems.append(_unapproved(handout))
            continue
        current = current_variants(catalogue, handout)
        if current[0].sha256 not in latest.hashes:
            problems.append(Problem(handout.display, None, f"changed since approved on {latest.date} by {latest.by}; "
                                                            "run 'generate.py diff' and approve it again"))
        else:
            for variant in current[1:]:
                if variant.sha256 not in latest.hashes:
                    problems += _brand_problems(catalogue, handout, variant, latest)
        for key, value in (("reviewed", latest.date), ("reviewed_by", latest.by)):
            typed = getattr(handout, f"typed_{key}")
            if typed and typed != value:
                problems.append(Problem(handout.display, handout.lines.get(key), f"{key}: '{typed}' disagrees with the approval record "
                                        f"({latest.date} by {latest.by}, in {handout.record.display})",
                                        f"remove '{key}': the sheet prints the record's", WARNING))
    return problems


def _unapproved(handout: "Handout") -> Problem:
    if handout.approvals_required:
        return Problem(handout.display, None, "not approved: no clinician has approved this text", approve_hint(handout))
    if handout.typed_reviewed:
        return Problem(handout.display, handout.lines.get("reviewed"), f"reviewed {handout.typed_reviewed} is typed by hand, not tied to the words",
                       f"an approval record: {approve_hint(handout)}", WARNING)
    return Problem(handout.display, None, "not approved, and the sheet says so", approve_hint(handout), WARNING)


def _brand_problems(catalogue: "Catalogue", handout: "Handout", variant: Variant, latest: Approval) -> list[Problem]:
    """A brand whose settings change the text into one no clinician approved: reported at the settings that do it."""
    problems = []
    for slug in variant.brands:
        brand: Brand = catalogue.brands[slug]
        before = latest.variant_for(slug).settings
        changed = [key for key, value in variant.settings.items() if before.get(key) != value]
        hint = f"run 'generate.py diff {handout.key} --lang {handout.language} --brand {slug}' and approve it again"
        if not changed:
            problems.append(Problem(handout.display, None, f"the text printed for brand {slug} is not approved", hint))
        for key in changed:
            line = getattr(brand.settings.get(key), "line", None) or None
            where = brand.display if key in brand.settings else _settings_display(catalogue.treatments[handout.treatment_slug], handout)
            problems.append(Problem(where, line if key in brand.settings else None,
                                    f"settings.{key}: '{variant.settings[key]}' changes what {handout.display} prints for {slug}, "
                                    f"and that text is not approved", hint))
    return problems


def _settings_display(treatment: "Treatment", handout: "Handout") -> str:
    from .content import display_path

    return display_path(treatment.settings_path) if treatment.settings_path else handout.display


# --- approving -------------------------------------------------------------------------------------------------------------

def next_version(version: str) -> str:
    """A suggestion for the version after this one: '3' → '4', '2.1' → '2.2', 'draft' → 'draft.1'."""
    match = re.fullmatch(r"(.*?)(\d+)", version)
    return f"{match.group(1)}{int(match.group(2)) + 1}" if match else f"{version}.1"


def new_approval(catalogue: "Catalogue", handout: "Handout", by: str, role: str, date: str) -> Approval | None:
    """The approval of every text the handout prints now; None when the approval in force already covers them all.

    Raises ContentError when the words changed but the version did not: the printed revision line is the only thing that
    tells two texts apart on paper.
    """
    from .errors import ContentError

    variants = current_variants(catalogue, handout)
    latest = handout.record.latest if handout.record else None
    if latest is not None and {v.sha256 for v in variants} <= latest.hashes:
        return None
    if latest is not None and latest.version == handout.version and variants[0].sha256 not in latest.hashes:
        raise ContentError([Problem(handout.display, handout.lines.get("version"),
                                    f"version: '{handout.version}' was approved on {latest.date} by {latest.by} with other words",
                                    f"raise the version (e.g. \"{next_version(handout.version)}\") so the printed revision line "
                                    "tells the two texts apart, then approve")])
    if latest is not None and date < latest.date:
        raise ContentError([Problem(handout.record.display if handout.record else handout.display, latest.line,
                                    f"the approval in force is dated {latest.date}, after {date}", "the date of this approval, on or after it")])
    return Approval(handout.version, date, by, role, tuple(variants), tuple(text_lines(handout)))


def record_approval(handout: "Handout", approval: Approval) -> Path:
    """Append an approval to the handout's record file (created if needed), written whole or not at all."""
    from .files import write_atomic

    path = record_path(handout.path)
    earlier = handout.record.approvals if handout.record else ()
    text = dump_record(handout.path.name, f"{handout.treatment_slug}/{handout.path.name}", (*earlier, approval))
    write_atomic(path, text.encode("utf-8"))
    return path
