"""Plain-language checks from PEMAT-P that a program can make: key points first, headed sections, "you", explained terms.

Each check reads a sequence of blocks as the patient meets them: a handout's blocks, and on its own its card
section, which is printed as a separate sheet.
"""

from __future__ import annotations

import re

from . import blocks as b
from .content import Catalogue, Handout
from .errors import WARNING, Problem
from .inline import plain

Blocks = list[tuple[str, b.Block]]  # (display path of the file the block came from, block)

MAX_UNHEADED_BLOCKS = 3
# Patient-facing words for the patient, per language: a handout speaks to the reader as "you".
THIRD_PERSON = {"en": re.compile(r"\bthe patient(?:'s|s)?\b", re.I), "es": re.compile(r"\b(?:el|la|los|las) pacientes?\b", re.I)}
# Medical words that need a plain explanation the first time they appear, per language.
MEDICAL_TERMS = {
    "en": ("collagen", "elastin", "isotretinoin", "retinoid", "benzoyl peroxide", "antiviral", "keloid", "eczema", "rosacea",
           "anticoagulant", "dermis", "epidermis", "hyperpigmentation"),
    "es": ("colágeno", "elastina", "isotretinoína", "retinoide", "peróxido de benzoilo", "antiviral", "queloide", "eccema",
           "rosácea", "anticoagulante", "dermis", "epidermis", "hiperpigmentación"),
}
# What may follow a term to explain it: a bracket, a dash or colon, an example, or a next sentence that says what it is.
_AND = r"(?:\s+(?:and|or|y|o)\s+(?:\*\*)?\w+(?:\*\*)?)?"
EXPLAINED = {
    "en": re.compile(r"^\w*(?:\*\*)?" + _AND + r"(?:\s*\(|\s+\w+(?:\s+\w+)?\s+\(|\s*(?:[–—:]|,?\s+(?:such as|like|which is|which are)\b|\.\s+(?:these|this|it|they)\s+(?:are|is)\b))", re.I),
    "es": re.compile(r"^\w*(?:\*\*)?" + _AND + r"(?:\s*\(|\s+\w+(?:\s+\w+)?\s+\(|\s*(?:[–—:]|,?\s+(?:como|que es|que son)\b|\.\s+(?:son|es)\b))", re.I),
}


def lint_key_points(handout: Handout, blocks: Blocks, what: str = "handout") -> list[Problem]:
    """The first block is a short summary: a callout or a bulleted list of key points."""
    if not blocks:
        return []
    source, first = blocks[0]
    if isinstance(first, (b.Callout, b.Bullets)) and not isinstance(first, b.Steps):
        return []
    return [Problem(source, first.line, f"the {what} opens with a {first.type_name}, not a short list of key points",
                    "a first block such as a 'Key points' callout with 3 to 5 items; PEMAT-P", WARNING)]


def lint_headings(blocks: Blocks) -> list[Problem]:
    """No more than a few blocks in a row without a heading (a callout's title counts as one)."""
    problems = []
    run: Blocks = []
    for source, block in blocks:
        if isinstance(block, (b.Heading, b.Callout, b.Contact, b.Appointment, b.Qr, b.Acknowledgement)):
            run = []
            continue
        run.append((source, block))
        if len(run) == MAX_UNHEADED_BLOCKS + 1:
            src, start = run[0]
            problems.append(Problem(src, start.line, f"{len(run)} blocks in a row have no heading",
                                    f"a heading that says what the section is about at least every {MAX_UNHEADED_BLOCKS} blocks; PEMAT-P", WARNING))
    return problems


def lint_third_person(handout: Handout, blocks: Blocks) -> list[Problem]:
    """Text speaks to the reader ("you"), not about "the patient" (signature labels excepted)."""
    pattern = THIRD_PERSON.get(handout.language)
    problems: list[Problem] = []
    if pattern is None:
        return problems
    for source, block in blocks:
        for rich in block.prose():
            match = pattern.search(plain(list(rich.spans)))
            if match:
                problems.append(Problem(source, rich.line, f"{rich.where}: '{match.group(0)}' speaks about the reader",
                                        "speak to the reader as 'you'; PEMAT-P", WARNING))
    return problems


def lint_terms(handout: Handout, blocks: Blocks) -> list[Problem]:
    """Each medical word is explained at least once: in brackets, after a dash, with an example, or in the next sentence."""
    terms = MEDICAL_TERMS.get(handout.language, ())
    first: dict[str, tuple[str, b.Rich]] = {}
    explained: set[str] = set()
    for source, block in blocks:
        for rich in block.texts():
            for term in terms:
                for match in re.finditer(rf"\b{re.escape(term)}", rich.raw, re.I):
                    first.setdefault(term, (source, rich))
                    if EXPLAINED[handout.language].match(rich.raw[match.end():]):
                        explained.add(term)
    return [Problem(source, rich.line, f"{rich.where}: the medical word '{term}' is never explained",
                    "plain words after it where it first appears, in brackets or after a dash; PEMAT-P", WARNING)
            for term, (source, rich) in sorted(first.items()) if term not in explained]


def lint_plain_language(catalogue: Catalogue) -> list[Problem]:
    """Every PEMAT-P check over every handout's blocks, and over its card section on its own (a card explains its own words)."""
    problems: list[Problem] = []
    for handout in catalogue.handouts:
        for blocks, what in ((handout.blocks, "handout"), (handout.card_blocks, "card")):
            if blocks is None:
                continue
            problems += (lint_key_points(handout, blocks, what) + lint_headings(blocks) + lint_third_person(handout, blocks)
                         + lint_terms(handout, blocks))
    return problems
