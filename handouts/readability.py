"""Reading grade of a handout's text: Flesch–Kincaid for English, Crawford for Spanish."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .content import Handout
from .inline import Span
from .placeholders import expand

MAX_GRADE = {"en": 8.0, "es": 8.0}
FORMULA = {"en": "Flesch-Kincaid", "es": "Crawford"}


@dataclass(frozen=True)
class Grade:
    """A handout's grade, the formula used, and the most it may be."""

    value: float
    formula: str
    limit: float

    @property
    def ok(self) -> bool:
        """True when the grade is at or below the limit."""
        return self.value <= self.limit


def handout_text(handout: Handout, settings: dict[str, str]) -> str:
    """All the text a patient reads, each item as its own sentence, placeholders filled."""
    sentences = []
    for _source, block in handout.blocks:
        for rich in block.texts():
            text = "".join(span.text for span in rich.spans if isinstance(span, Span))
            text = expand(text, lambda space, key: settings.get(key, "5") if space == "settings" else "the clinic")
            text = " ".join(text.split())
            if text and not re.search(r"[.!?:;]$", text):
                text += "."
            sentences.append(text)
    return " ".join(sentences)


def grade(handout: Handout, settings: dict[str, str]) -> Grade:
    """The reading grade of a handout in its language."""
    import textstat

    text = handout_text(handout, settings)
    lang = handout.language
    if lang == "es":
        textstat.set_lang("es")
        value = float(textstat.crawford(text))
    else:
        textstat.set_lang("en_US")
        value = float(textstat.flesch_kincaid_grade(text))
    return Grade(round(value, 1), FORMULA.get(lang, "Flesch-Kincaid"), MAX_GRADE.get(lang, 8.0))
