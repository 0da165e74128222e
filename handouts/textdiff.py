"""What a patient will read differently: the text now against an approval, sentence by sentence, words marked.

Wording is compared with one set of settings on both sides, so a changed sentence means changed words; each changed
setting is listed on its own with the sentences it changes (for the treatment's defaults and for each brand).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import field
from typing import TYPE_CHECKING, Iterator

from .approval import approval_for, current_variants, fill, plain, settings_used, text_lines
from .compiled import dataclass
from .records import Approval, Line

if TYPE_CHECKING:
    from .content import Catalogue, Handout

Words = list[tuple[str, str]]  # (op, text): op is "same", "del" or "ins"

LABELS = {
    "title": "Title", "treatment": "Treatment name", "card": "Card", "heading.text": "Heading", "paragraph.text": "Paragraph",
    "bullets.items": "List", "steps.items": "Steps", "checklist.items.text": "Checklist", "checklist.items.days_before": "Checklist: days before",
    "callout.tone": "Box colour", "callout.title": "Box title", "timeline.entries.days": "Timeline: days", "do_dont.do": "Do",
    "do_dont.dont": "Don't", "do_dont.do_title": "Do (heading)", "do_dont.dont_title": "Don't (heading)", "faq.items.0": "Question",
    "faq.items.1": "Answer", "acknowledgement.text": "Statement to sign", "acknowledgement.lines": "Line to sign", "image.file": "Picture",
    "image.alt": "Picture description", "image.caption": "Caption", "qr.url": "QR code link", "qr.caption": "QR code",
    "when_can_i.title": "'When can I' table", "when_can_i.text": "'When can I' table", "when_can_i.rows.what": "'When can I' table",
    "when_can_i.rows.after": "'When can I' table: wait", "when_can_i.rows.unit": "'When can I' table: unit",
    "timeline.entries.label": "Timeline", "timeline.entries.text": "Timeline", "callout.text": "", "callout.items": "",
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")
MATCH = 0.45  # how alike two sentences must be to be shown as one changed sentence rather than one removed and one added


@dataclass(frozen=True)
class Sentence:
    """One sentence a patient reads, where it is, and what kind of text it is part of."""

    kind: str
    label: str
    text: str


@dataclass
class Change:
    """One sentence added, removed or changed; words are the marked-up words of a changed sentence."""

    what: str  # "added", "removed" or "changed"
    label: str
    words: Words

    @property
    def old(self) -> str:
        """The sentence before."""
        return " ".join(text for op, text in self.words if op != "ins")

    @property
    def new(self) -> str:
        """The sentence after."""
        return " ".join(text for op, text in self.words if op != "del")


@dataclass
class SettingChange:
    """A setting whose value changed, for the defaults or for one brand, and the sentences it changes."""

    key: str
    scope: str  # "settings defaults" or "brand lumen"
    old: str | None
    new: str | None
    effects: list[Change] = field(default_factory=list)


@dataclass
class Report:
    """Everything `diff` shows."""

    handout: "Handout"
    since: Approval | None
    wording: list[Change]
    settings: list[SettingChange]
    unapproved: list[str]  # the texts now printed that the approval in force does not cover: "settings defaults", "brand lumen"

    @property
    def empty(self) -> bool:
        """True when a patient would read nothing different."""
        return not self.wording and not self.settings and (self.since is None or self.since.version == self.handout.version)


def sentences(lines: list[Line]) -> list[Sentence]:
    """The lines as labelled sentences in reading order."""
    out = []
    section = ""
    box = ""
    for kind, text in lines:
        shown = plain(text)
        if kind == "heading.text":
            section, box = shown, ""
        elif kind == "card":
            section, box = "Card", ""
            continue
        elif kind == "callout.title":
            box = shown
        elif not kind.startswith("callout."):
            box = ""
        label = LABELS[kind] if kind in LABELS else kind.split(".")[0].replace("_", " ").capitalize()
        place = " › ".join(part for part in (section, box) if part)
        full = " › ".join(part for part in (place, label) if part) if kind not in ("heading.text", "title", "treatment") else label
        for piece in _SENTENCE.split(" ".join(shown.split())) or [""]:
            if piece:
                out.append(Sentence(kind, full, piece))
    return out


def word_diff(old: str, new: str) -> Words:
    """The words of two sentences, each marked same, deleted or inserted."""
    a, b = old.split(), new.split()
    out: Words = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", " ".join(b[j1:j2])))
    return out


def _likeness(old: str, new: str) -> float:
    return difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


def compare(old: list[Sentence], new: list[Sentence]) -> list[Change]:
    """Sentence-level changes between two texts; alike sentences of the same kind are paired and their words compared."""
    changes: list[Change] = []

    def keys(items: list[Sentence]) -> list[tuple[str, str]]:
        return [(s.kind, s.text) for s in items]

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys(old), keys(new), autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = old[i1:i2], new[j1:j2]
        if len(olds) == len(news) and all(a.kind == b.kind for a, b in zip(olds, news)):
            # As many sentences of the same kinds on both sides: each one changed in place (a number, a word).
            changes += [Change("changed", b.label, word_diff(a.text, b.text)) for a, b in zip(olds, news)]
            continue
        start = 0
        for before in olds:
            best, score = None, MATCH
            for j in range(start, len(news)):
                if news[j].kind == before.kind:
                    likeness = _likeness(before.text, news[j].text)
                    if likeness >= score:
                        best, score = j, likeness
            if best is None:
                changes.append(Change("removed", before.label, [("del", before.text)]))
                continue
            changes += [Change("added", s.label, [("ins", s.text)]) for s in news[start:best]]
            changes.append(Change("changed", news[best].label, word_diff(before.text, news[best].text)))
            start = best + 1
        changes += [Change("added", s.label, [("ins", s.text)]) for s in news[start:]]
    return changes


def report(catalogue: "Catalogue", handout: "Handout", since: Approval | None, brands: list[str] | None = None) -> Report:
    """The difference between the approval `since` (None: no approval yet) and the text now, for the defaults and each brand."""
    treatment = catalogue.treatments[handout.treatment_slug]
    old_lines = list(since.text) if since else []
    new_lines = text_lines(handout)
    used = settings_used(new_lines + old_lines)
    old_defaults = since.variant_for(None).settings if since else {}
    new_defaults = {key: treatment.settings[key] for key in used if key in treatment.settings}
    both = {**old_defaults, **new_defaults}
    wording = compare(sentences(fill(old_lines, both)), sentences(fill(new_lines, both)))
    changes = _setting_changes(new_lines, old_defaults, new_defaults, "settings defaults") if since else []
    variants = current_variants(catalogue, handout)
    unapproved = [] if since is None or variants[0].sha256 in since.hashes else ["settings defaults"]
    for slug, brand in sorted(catalogue.brands.items()):
        if handout.language not in brand.languages or (brands and slug not in brands):
            continue
        now = next(v for v in variants if slug in v.brands)
        if since is not None and now.sha256 not in since.hashes and not now.defaults:
            unapproved.append(f"brand {slug}")
        if since is None:
            continue
        before = since.variant_for(slug).settings
        for key in used:
            old, new = before.get(key), now.settings.get(key)
            follows = old_defaults.get(key) == old and new_defaults.get(key) == new  # the same change as the defaults: shown there
            if old != new and not follows:
                changes += _setting_changes(new_lines, {key: old} if old is not None else {}, {key: new} if new is not None else {},
                                            f"brand {slug}", base=now.settings)
    return Report(handout, since, wording, changes, unapproved)


def _setting_changes(lines: list[Line], old: dict[str, str], new: dict[str, str], scope: str, base: dict[str, str] | None = None) -> list[SettingChange]:
    """Each setting that differs between old and new, with the sentences of today's text it changes."""
    out = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) == new.get(key):
            continue
        settings = {**(base or {}), **new}
        before = fill(lines, {**settings, **({key: old[key]} if key in old else {})})
        after = fill(lines, settings)
        out.append(SettingChange(key, scope, old.get(key), new.get(key), compare(sentences(before), sentences(after))))
    return out


def find_approval(handout: "Handout", since: str | None) -> Approval | None:
    """The approval to compare with: the latest, or the one named by date (YYYY-MM-DD) or by version; ValueError if none matches."""
    approvals = list(handout.record.approvals) if handout.record else []
    if since is None:
        return approvals[-1] if approvals else None
    for approval in reversed(approvals):
        if since in (approval.date, approval.version) or since.lstrip("vV") == approval.version:
            return approval
    known = "; ".join(f"version {a.version} on {a.date} by {a.by}" for a in reversed(approvals)) or "none yet"
    raise ValueError(f"no approval of {handout.display} matches '{since}' (approvals: {known})")


def status(catalogue: "Catalogue", handout: "Handout") -> str:
    """'version 4, approved 2026-11-30 by Dr Lee' or 'version 4, not approved'."""
    treatment = catalogue.treatments[handout.treatment_slug]
    approval = approval_for(handout, treatment.settings)
    return f"version {handout.version}, " + (f"approved {approval.date} by {approval.who}" if approval else "not approved")


# --- the terminal --------------------------------------------------------------------------------------------------------

RED, GREEN, BOLD, STRIKE, RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[9m", "\x1b[0m"


def marked(words: Words, color: bool) -> str:
    """Words with [-removed-] and {+added+} marks (and colour on a terminal)."""
    out = []
    for op, text in words:
        if op == "del":
            out.append(f"{RED}{STRIKE}[-{text}-]{RESET}" if color else f"[-{text}-]")
        elif op == "ins":
            out.append(f"{GREEN}{BOLD}{{+{text}+}}{RESET}" if color else f"{{+{text}+}}")
        else:
            out.append(text)
    return " ".join(out)


def as_text(catalogue: "Catalogue", rep: Report, color: bool = False) -> str:
    """The report for a terminal."""
    h = rep.handout
    since = rep.since
    lines = [f"{h.key} ({h.language}): {h.display}",
             f"  approved: {f'version {since.version} on {since.date} by {since.who}' if since else 'never'}",
             f"  now:      {status(catalogue, h)}"]
    if rep.unapproved:
        lines.append(f"  not approved as printed for: {', '.join(rep.unapproved)}")
    if rep.empty:
        lines += ["", "Nothing a patient reads has changed."]
    elif since is None:
        lines += ["", "No approval yet: every sentence is new."]
    if rep.wording:
        lines += ["", "What patients read differently (with the settings defaults):"]
        lines += _changes(rep.wording, color)
    if rep.settings:
        lines += ["", "Settings:"]
        for change in rep.settings:
            lines.append(f"  {change.key} ({change.scope}): from {change.old if change.old is not None else '(not set)'} to "
                         f"{change.new if change.new is not None else '(not set)'}")
            lines += ["  " + line for line in _changes(change.effects, color)]
    return "\n".join(lines) + "\n"


def grouped(changes: list[Change]) -> Iterator[tuple[str | None, Change]]:
    """Each change with its label when the label differs from the one before (None when it is the same)."""
    label = None
    for change in changes:
        yield (change.label if change.label != label else None), change
        label = change.label


def _changes(changes: list[Change], color: bool) -> list[str]:
    out = []
    for label, change in grouped(changes):
        if label is not None:
            out.append(f"  {label}")
        out.append(f"    {change.what + ':':9}{marked(change.words, color)}")
    return out
