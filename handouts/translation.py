"""Translations kept in step with their source: which file and version a translation was made from, the gate that stops
a translation of an older version, placeholders and links that must survive, and whether a clinician has reviewed it.

A translated handout says where it comes from in its front matter:

    translation: {source: aftercare.en.yaml, version: "4"}

`check` (and every build) refuses it once the source's version has moved on, and refuses a translated text whose
placeholders or links differ from the source text at the same place. A translation nobody has signed is a warning,
and prints as such on the sheet; a brand may refuse to print it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from typing import Any

from . import cldr_table, options as o, placeholders
from .compiled import dataclass
from .errors import ERROR, WARNING, Problem
from .yamlsafe import Mapping, Node

if TYPE_CHECKING:
    from .blocks import Rich
    from .content import Handout, Treatment

_SOURCE = re.compile(r"^(?P<kind>[a-z-]+)\.(?P<lang>[A-Za-z0-9-]+)\.yaml$")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Translation:
    """Where a translated handout comes from: its source file (in the same folder) and the source version."""

    source: str
    version: str
    line: int  # of the version, where a stale translation is reported


class TranslationOption(o.Option["Translation | None"]):
    """The front matter's `translation: {source: aftercare.en.yaml, version: "4"}`."""

    FIELDS: dict[str, o.Option[Any]] = {
        "source": o.Text("the file it was translated from, in the same folder, e.g. aftercare.en.yaml", required=True),
        "version": o.Text("the source's version it was translated from, e.g. \"4\"", required=True, max_len=40)}

    def read(self, node: Node, where: str, line: int, reading: o.Reading) -> Translation | None:
        """Where a translation comes from, checked."""
        values = o.read_options(node, self.FIELDS, reading, where, line)
        if values is None or not isinstance(node, Mapping) or "source" not in values or "version" not in values:
            return None
        source = values["source"]
        if not _SOURCE.match(source):
            reading.check.error(node, f"{where}.source", f"'{source}' is not a handout file name",
                                "KIND.LANG.yaml in the same folder, e.g. aftercare.en.yaml", node.line_of("source"))
            return None
        return Translation(str(source), str(values["version"]), node.line_of("version"))

    def schema(self) -> o.JsonSchema:
        """An object with the source file and its version."""
        return o.object_schema(self.FIELDS, required=True)


def reviewed(handout: Handout) -> bool:
    """True when a clinician has signed this text (a translation without a reviewer is not yet reviewed)."""
    return bool(handout.reviewed_by)


def language_name(tag: str) -> str:
    """A language's name in English, as messages to the people who keep content use it: 'English', 'Spanish'."""
    known = cldr_table.LANGUAGE_NAMES.get(tag)
    if known is not None:
        return known
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-").get_display_name("en") or tag
    except (ValueError, UnknownLocaleError):
        return tag


def check_translations(treatment: Treatment) -> tuple[list[Problem], list[str]]:
    """Problems of every translation in a treatment, and the display paths of translations that must not be printed."""
    problems: list[Problem] = []
    refused: list[str] = []
    for (kind, _), handout in sorted(treatment.handouts.items()):
        translation = handout.translation
        if translation is None:
            continue
        match = _SOURCE.match(translation.source)
        assert match is not None
        source = treatment.handouts.get((match["kind"], match["lang"]))
        errors = []
        if match["kind"] != kind or source is None or source is handout:
            errors.append(Problem(handout.display, handout.lines.get("translation"), f"translation.source: '{translation.source}' is not a "
                                  f"handout beside this one", f"the {kind} handout it was translated from, e.g. {kind}.en.yaml"))
        else:
            if source.version != translation.version:
                errors.append(Problem(handout.display, translation.line, f"translated from version {translation.version}; the "
                                      f"{language_name(source.language)} is now version {source.version}",
                                      f"translate the changes, then set translation.version to \"{source.version}\""))
            errors += compare(handout, source)
        problems += errors
        if any(p.severity == ERROR for p in errors):
            refused.append(handout.display)
        elif not reviewed(handout):
            problems.append(Problem(handout.display, handout.lines.get("translation"), "translation not yet reviewed by a clinician",
                                    "a clinician's review: reviewed and reviewed_by", WARNING))
    return problems, refused


def texts_by_place(handout: Handout) -> dict[str, Rich]:
    """Every text of a handout's own file (not of its snippets) by its place, e.g. blocks[3].bullets[1]."""
    found = {}
    for source, block in handout.every_block:
        if source != handout.display:
            continue
        for rich in block.texts():
            found[rich.where] = rich
    return found


def tokens(text: str) -> Counter[str]:
    """The placeholders and link targets of a text, which a translation must keep exactly."""
    found: Counter[str] = Counter()
    try:
        found.update(f"{{{space}.{key}}}" for space, key in placeholders.names(text))
    except placeholders.PlaceholderError:
        pass
    found.update(f"link {target}" for target in _LINK.findall(text))
    return found


def compare(translation: Handout, source: Handout) -> list[Problem]:
    """A translated text that drops or adds a placeholder or a link, compared with the source text at the same place."""
    theirs = texts_by_place(source)
    problems = []
    for where, rich in sorted(texts_by_place(translation).items(), key=lambda item: item[1].line):
        original = theirs.get(where)
        if original is None:
            continue
        want, have = tokens(original.raw), tokens(rich.raw)
        if want == have:
            continue
        lost, added = sorted((want - have).elements()), sorted((have - want).elements())
        what = "; ".join(part for part in (("drops " + ", ".join(lost)) if lost else "", ("adds " + ", ".join(added)) if added else "") if part)
        problems.append(Problem(translation.display, rich.line, f"{where}: the translation {what}",
                                f"the placeholders and links of {source.path.name} line {original.line}: " + (", ".join(sorted(want.elements())) or "none")))
    return problems
