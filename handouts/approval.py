"""What an approval covers: the text a patient reads, its hash per distinct settings, and what check and approve decide."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from . import inline, placeholders, program
from .content import display_path, merged_settings
from .errors import WARNING, Problem
from .records import Approval, Line, Variant, dump_record, record_path

if TYPE_CHECKING:
    from .brand import Brand
    from .content import Catalogue, Handout, Treatment


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


# --- what check reports ------------------------------------------------------------------------------------------------

def approve_hint(handout: "Handout") -> str:
    """The commands that show the change and approve it."""
    return (f"run '{program.name()} diff {handout.key} --lang {handout.language}', then "
            f"'{program.name()} approve {handout.key} --lang {handout.language} --by NAME'")


def check_approvals(catalogue: "Catalogue") -> list[Problem]:
    """Every handout's text against its latest approval: changed text, unapproved brand settings, front matter that disagrees."""
    problems: list[Problem] = []
    for handout in catalogue.handouts:
        record = handout.record
        latest = record.latest if record else None
        if record is None or latest is None:
            if handout.translation is None:  # a translation nobody has approved yet is a warning of its own (translation.py)
                problems.append(_unapproved(handout))
            continue
        current = current_variants(catalogue, handout)
        if current[0].sha256 not in latest.hashes:
            problems.append(Problem(handout.display, None, f"changed since approved on {latest.date} by {latest.by}; "
                                                            f"run '{program.name()} diff' and approve it again"))
        else:
            for variant in current[1:]:
                if variant.sha256 not in latest.hashes:
                    problems += _brand_problems(catalogue, handout, variant, latest)
        for key, value in (("reviewed", latest.date), ("reviewed_by", latest.by)):
            typed = getattr(handout, f"typed_{key}")
            if typed and typed != value:
                problems.append(Problem(handout.display, handout.lines.get(key), f"{key}: '{typed}' disagrees with the approval record "
                                        f"({latest.date} by {latest.by}, in {record.display})",
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
        hint = f"run '{program.name()} diff {handout.key} --lang {handout.language} --brand {slug}' and approve it again"
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
