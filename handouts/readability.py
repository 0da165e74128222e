"""Reading grade of a handout's text: Flesch–Kincaid for English, Fernández-Huerta for Spanish (computed offline)."""

from __future__ import annotations

import re

from .compiled import dataclass
from .content import READING_GRADE_SETTING as GRADE_SETTING, Catalogue, Handout
from .errors import Problem
from .inline import plain
from .placeholders import expand

DEFAULT_MAX_GRADE = 8.0
FORMULAS = ("en", "es")  # languages with a validated reading-grade formula
NO_FORMULA = "no formula"
# Flesch's table, which Fernández-Huerta keeps for Spanish: reading ease → US school grade, at the middle of each band
# (90–100 5th grade, 80–90 6th, 70–80 7th, 60–70 8th–9th, 50–60 10th–12th, 30–50 college, 0–30 graduate).
EASE_TO_GRADE = ((95.0, 5.0), (85.0, 6.0), (75.0, 7.0), (65.0, 8.5), (55.0, 11.0), (40.0, 14.0), (15.0, 17.0))


@dataclass(frozen=True)
class Grade:
    """A handout's reading grade, how it was measured, and the most it may be."""

    value: float | None  # None where no formula has been validated for the language
    formula: str
    limit: float
    ease: float | None = None  # the Fernández-Huerta score behind a Spanish grade

    @property
    def ok(self) -> bool:
        """True when the grade is at or below the limit (always, where there is no formula to judge by)."""
        return self.value is None or self.value <= self.limit

    @property
    def measure(self) -> str:
        """How the grade was found, as printed: 'Flesch-Kincaid' or 'Fernández-Huerta 78.2'."""
        return self.formula if self.ease is None else f"{self.formula} {self.ease:.1f}"


def handout_text(handout: Handout, settings: dict[str, str]) -> str:
    """The sentences a patient reads (no headings or labels), each item ended as a sentence, placeholders filled."""
    sentences = []
    for _source, block in handout.blocks:
        for rich in block.prose():
            text = plain(list(rich.spans))
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


def fernandez_huerta(text: str) -> float:
    """Fernández-Huerta reading ease of Spanish text (0–100, higher is easier), in its corrected form."""
    sentences, words, syllables = counts(text, "es")
    words = max(words, 1)
    return 206.84 - 60.0 * syllables / words - 1.02 * words / sentences


def ease_to_grade(ease: float) -> float:
    """The US school grade a reading-ease score stands for, interpolated in Flesch's table."""
    points = EASE_TO_GRADE
    if ease >= points[0][0]:
        return points[0][1]
    for (high, easy_grade), (low, hard_grade) in zip(points, points[1:]):
        if ease >= low:
            return easy_grade + (high - ease) / (high - low) * (hard_grade - easy_grade)
    return points[-1][1]


def grade_limit(settings: dict[str, str]) -> float | None:
    """The highest grade allowed by the max_reading_grade setting (default 8); None when the setting is not a number."""
    raw = settings.get(GRADE_SETTING)
    if raw is None:
        return DEFAULT_MAX_GRADE
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if 1 <= value <= 16 else None


def grade(handout: Handout, settings: dict[str, str]) -> Grade:
    """The reading grade of a handout in its language, against the limit its settings give."""
    limit = grade_limit(settings) or DEFAULT_MAX_GRADE
    language = handout.language.split("-")[0]
    if language not in FORMULAS:
        return Grade(None, NO_FORMULA, limit)  # a grade from a formula made for another language would mislead
    text = handout_text(handout, settings)
    if language == "es":
        ease = fernandez_huerta(text)
        return Grade(round(ease_to_grade(ease), 1), "Fernández-Huerta", limit, round(ease, 1))
    return Grade(round(flesch_kincaid(text), 1), "Flesch-Kincaid", limit)


def handout_grade(handout: Handout, settings: dict[str, str]) -> Grade:
    """grade(), worked out once per loaded handout: every brand, layout and PDF of a build shares it.

    A changed file is loaded as a new Handout, and other settings are graded afresh, so a kept grade is never stale.
    """
    kept = handout.memo.get("grade")
    if kept is not None and kept[0] == settings:
        return kept[1]  # type: ignore[no-any-return]
    result = grade(handout, settings)
    handout.memo["grade"] = (dict(settings), result)
    return result


def grade_or_problem(catalogue: Catalogue, handout: Handout) -> tuple[Grade, Problem | None]:
    """A handout's grade and, when it is too hard or its limit setting is not a number, the problem to report."""
    treatment = catalogue.treatments[handout.treatment_slug]
    result = handout_grade(handout, treatment.settings)
    if grade_limit(treatment.settings) is None:
        where = str(treatment.settings_path) if treatment.settings_path else handout.display
        return result, Problem(where, None, f"{GRADE_SETTING}: '{treatment.settings[GRADE_SETTING]}' is not a reading grade",
                               "a school grade from 1 to 16, e.g. \"8\"")
    if not result.ok:
        return result, Problem(handout.display, None, f"reading grade {result.value:.1f} ({result.measure}) is above {result.limit:g}",
                               "shorter sentences and everyday words")
    return result, None
