"""Lints of what a clinical editor checks: prohibitions that read as prohibitions, an emergency line, day 0, honest numbers.

The words each lint looks for are data, one entry per language: a language added to the content gets its line here.
A language with no entry is not judged by the lints that need its words.
"""

from __future__ import annotations

import re

from . import blocks as b
from . import placeholders
from .compiled import dataclass
from .content import Catalogue, Handout, Treatment, display_path
from .errors import WARNING, Problem
from .inline import plain

Blocks = list[tuple[str, b.Block]]  # (display path of the file the block came from, block)


@dataclass(frozen=True)
class Words:
    """The words of one language that the lints look for."""

    prohibitions: tuple[str, ...]  # how a "don't" item may start, lower case
    prohibition_hint: str  # the openings to suggest
    emergency: re.Pattern[str]  # an emergency line: the emergency number, or "emergency"
    emergency_example: str
    day_zero: re.Pattern[str]  # a sentence that says what day 0 is
    day_zero_example: str
    after_day: re.Pattern[str]  # "after day N": a condition that leaves the days before it out


WORDS = {
    "en": Words(
        prohibitions=("do not ", "don't ", "don’t ", "never ", "avoid ", "no "),
        prohibition_hint="'Do not', 'Never' or 'Avoid'",
        emergency=re.compile(r"\b911\b|\bemergency\b|\{settings\.emergency_number\}", re.I),
        emergency_example="Call {settings.emergency_number} now if you have trouble breathing",
        day_zero=re.compile(r"\bday 0\b[^.]*\b(?:treatment|procedure|visit)\b", re.I),
        day_zero_example="Day 0 is your treatment day",
        after_day=re.compile(r"\bafter (?:day|the \w+ day)\s+(?:\{settings\.\w+\}|\d+)", re.I),
    ),
    "es": Words(
        prohibitions=("no ", "nunca ", "evite ", "jamás "),
        prohibition_hint="'No', 'Nunca' or 'Evite'",
        emergency=re.compile(r"\b911\b|\bemergencias?\b|\{settings\.emergency_number\}", re.I),
        emergency_example="Llame al {settings.emergency_number} ahora si le cuesta respirar",
        day_zero=re.compile(r"\bd[ií]a 0\b[^.]*\b(?:tratamiento|procedimiento|cita)\b", re.I),
        day_zero_example="El día 0 es el día de su tratamiento",
        after_day=re.compile(r"\bdespu[eé]s del d[ií]a\s+(?:\{settings\.\w+\}|\d+)", re.I),
    ),
}


def _text(rich: b.Rich) -> str:
    """The words of a text as written (placeholders kept), without inline markup."""
    return " ".join(plain(list(rich.spans)).split())


def lint_dont_items(handout: Handout, blocks: Blocks) -> list[Problem]:
    """Every item of a 'don't' column starts with a prohibition, so it says what not to do when read on its own."""
    words = WORDS.get(handout.language)
    if words is None:
        return []
    problems = []
    for source, block in blocks:
        if not isinstance(block, b.DoDont):
            continue
        for rich in block.dont:
            text = _text(rich)
            if not (text.lower() + " ").startswith(words.prohibitions):
                problems.append(Problem(source, rich.line, f"{rich.where}: '{_clip(text)}' reads as an order, not a prohibition",
                                        f"start it with {words.prohibition_hint}: a column heading is lost when the item is read "
                                        "aloud, copied or read on its own", WARNING))
    return problems


def lint_emergency_line(handout: Handout, blocks: Blocks) -> list[Problem]:
    """A list of urgent signs (an urgent callout with items) says what to do in an emergency, in it or right beside it."""
    words = WORDS.get(handout.language)
    if words is None:
        return []
    problems = []
    for i, (source, block) in enumerate(blocks):
        if not (isinstance(block, b.Callout) and block.tone == "urgent" and block.items):
            continue
        near = [block] + [other for _, other in blocks[max(i - 1, 0):i + 2] if isinstance(other, b.Callout) and other.tone == "urgent"]
        if not any(words.emergency.search(_text(rich)) or words.emergency.search(rich.raw) for callout in near for rich in callout.texts()):
            problems.append(Problem(source, block.line, f"{block.title.where.rsplit('.', 1)[0]}: an urgent list without an emergency line",
                                    f"a line such as '{words.emergency_example}' in the box or right beside it", WARNING))
    return problems


def lint_day_zero(handout: Handout, blocks: Blocks) -> list[Problem]:
    """A timeline says what day 0 is (the treatment day), in one of its entries or just before it."""
    words = WORDS.get(handout.language)
    if words is None:
        return []
    problems = []
    for i, (source, block) in enumerate(blocks):
        if not isinstance(block, b.Timeline):
            continue
        before = [other for _, other in blocks[max(i - 2, 0):i] if isinstance(other, (b.Paragraph, b.Callout, b.Heading))]
        texts = [rich for item in [block, *before] for rich in item.texts()]
        if not any(words.day_zero.search(_text(rich)) for rich in texts):
            problems.append(Problem(source, block.line, f"{block.entries[0].text.where.rsplit('[', 1)[0]}: the timeline does not say what day 0 is",
                                    f"a line in it or just before it such as '{words.day_zero_example}'", WARNING))
    return problems


def lint_after_day(handout: Handout, blocks: Blocks) -> list[Problem]:
    """'After day N' in an urgent list suggests the same sign before day N is fine."""
    words = WORDS.get(handout.language)
    if words is None:
        return []
    problems = []
    for source, block in blocks:
        if not (isinstance(block, b.Callout) and block.tone == "urgent"):
            continue
        for rich in block.prose():
            match = words.after_day.search(rich.raw)
            if match:
                problems.append(Problem(source, rich.line, f"{rich.where}: '{match.group(0)}' in an urgent list leaves out the days before it",
                                        "a sign that needs a call on any day, e.g. 'gets worse instead of better'", WARNING))
    return problems


def lint_number_sources(catalogue: Catalogue) -> list[Problem]:
    """A handout that cites sources prints no number whose setting has no source: one warning per setting, where it is first used."""
    problems = []
    for handout in catalogue.handouts:
        if not handout.sources:
            continue
        treatment = catalogue.treatments[handout.treatment_slug]
        seen: set[str] = set()
        for source, block in handout.every_block:
            for raw, line, where in _values(block):
                for key in _settings_in(raw):
                    if key in seen or key in treatment.sources or not re.search(r"\d", treatment.settings.get(key, "")):
                        continue
                    seen.add(key)
                    problems.append(Problem(source, line, f"{where}: prints settings.{key} ('{treatment.settings[key]}'), which has no source, "
                                                          "though this handout cites sources",
                                            f"source: under {key} in {_settings_file(treatment, handout)} (a citation, or \"clinic protocol\")",
                                            WARNING))
    return problems


def _values(block: b.Block) -> list[tuple[str, int, str]]:
    """(text, line, where) of every value of a block that may hold a placeholder: its texts and its day and hour values."""
    out = [(rich.raw, rich.line, rich.where) for rich in block.texts()]
    if isinstance(block, b.Timeline):
        out += [(entry.days, entry.days.line or entry.text.line, entry.text.where.rsplit(".", 1)[0] + ".days") for entry in block.entries]
    elif isinstance(block, b.Checklist):
        out += [(item.days_before, item.days_before.line or item.text.line, item.text.where.rsplit(".", 1)[0] + ".days_before")
                for item in block.items if item.days_before is not None]
    elif isinstance(block, b.WhenCanI):
        out += [(row.after, row.after.line or row.what.line, row.what.where.rsplit(".", 1)[0] + f".{row.unit}") for row in block.rows]
    return out


def _settings_in(text: str) -> list[str]:
    try:
        return [key for space, key in placeholders.names(text) if space == "settings"]
    except placeholders.PlaceholderError:
        return []


def _settings_file(treatment: Treatment, handout: Handout) -> str:
    return display_path(treatment.settings_path) if treatment.settings_path else handout.display


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def lint_safety(catalogue: Catalogue) -> list[Problem]:
    """Every lint of this module over every handout's blocks and, on its own, its card section; snippets once per language."""
    problems: list[Problem] = []
    for handout in catalogue.handouts:
        for blocks in (handout.blocks, handout.card_blocks):
            if blocks is None:
                continue
            problems += (lint_dont_items(handout, blocks) + lint_emergency_line(handout, blocks) + lint_day_zero(handout, blocks)
                         + lint_after_day(handout, blocks))
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message)) + lint_number_sources(catalogue)
