"""Reading grade of a handout's text: Flesch–Kincaid for English, Crawford for Spanish (computed here, offline)."""

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


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


def syllables_en(word: str) -> int:
    """English syllables by vowel groups, with the usual silent-e rules."""
    w = word.lower().replace("’", "'")
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def syllables_es(word: str) -> int:
    """Spanish syllables: one per vowel nucleus; weak vowels (i, u) next to another vowel join it, strong ones split."""
    count = 0
    for group in re.findall(r"[aeiouáéíóúü]+", word.lower()):
        strong = sum(1 for c in group if c in "aeoáéíóú")
        count += max(1, strong)
    return max(1, count)


def counts(text: str, lang: str) -> tuple[int, int, int]:
    """(sentences, words, syllables) of a text."""
    words = _WORD.findall(text)
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    counter = syllables_es if lang == "es" else syllables_en
    return sentences, len(words), sum(counter(w) for w in words)


def flesch_kincaid(text: str) -> float:
    """Flesch–Kincaid grade level of English text."""
    sentences, words, syllables = counts(text, "en")
    words = max(words, 1)
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def crawford(text: str) -> float:
    """Crawford's grade level for Spanish text (years of schooling)."""
    sentences, words, syllables = counts(text, "es")
    words = max(words, 1)
    return -0.205 * (sentences * 100 / words) + 0.049 * (syllables * 100 / words) - 3.407


def grade(handout: Handout, settings: dict[str, str]) -> Grade:
    """The reading grade of a handout in its language."""
    text = handout_text(handout, settings)
    value = crawford(text) if handout.language == "es" else flesch_kincaid(text)
    lang = handout.language
    return Grade(round(value, 1), FORMULA.get(lang, "Flesch-Kincaid"), MAX_GRADE.get(lang, 8.0))
