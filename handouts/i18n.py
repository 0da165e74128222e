"""Everything the layout itself prints, per language, read from one catalogue per language; dates and numbers from CLDR.

A catalogue is `handouts/languages/<tag>.yaml`: the layout's words (page labels, field labels, do/don't headings…),
the language's own name and writing direction, and, where CLDR's are not usable, its own date patterns or month and
weekday names. A translator edits that file alone. Dates and numbers are written as Babel writes them, pinned to one
CLDR release so that a PDF's bytes stay the same: from `cldr_table` (Babel's data for the shipped catalogues, written by
scripts/build_cldr_table.py), so that a sheet does not load Babel, and from Babel itself for whatever the table lacks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping as MappingABC
from dataclasses import field, replace
from functools import lru_cache
from pathlib import Path

from . import cldr_table, tags
from .compiled import dataclass
from .errors import ContentError, Problems, one_of
from .yamlcheck import Checker, Field
from .yamlcache import load_file
from .yamlsafe import Mapping

CATALOGUES = Path(__file__).parent / "languages"
DIRECTIONS = ("ltr", "rtl")
# Languages written without spaces between words, whose lines break between characters.
CHARACTER_BREAKING = ("zh", "ja")
# Babel's locale for a language whose CLDR name differs from the tag patients and clinics know it by.
BABEL_LOCALES = {"tl": "fil"}
# English and Spanish follow the brand's date order (US or international); other languages follow their own.
ORDERED = {("en", "mdy"): "en_US", ("en", "dmy"): "en_GB", ("es", "mdy"): "es_US", ("es", "dmy"): "es"}

CATALOGUE = {
    "language": Field("the language tag this file is for, the same as its file name, e.g. vi", True),
    "name": Field("the language's name in itself, e.g. Tiếng Việt", True),
    "direction": Field("ltr or rtl", True),
    "words": Field("the layout's own words", True),
    "dates": Field("date patterns or names, where CLDR's are not used"),
}
# Each word, what it is, and the {placeholders} it must keep.
WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kinds": ("the name of each kind of sheet: pre-treatment, aftercare, overview", ()),
    "page": ("'Page 1 of 2'", ("page", "total")),
    "revision": ("the revision line: version and review date", ("version", "reviewed")),
    "unreviewed": ("the revision line of a translation no clinician has reviewed", ("version",)),
    "day": ("a timeline label for one day", ("n",)),
    "days": ("a timeline label for a range of days", ("a", "b")),
    "do": ("the heading of the 'do' column", ()),
    "dont": ("the heading of the 'don't' column", ()),
    "phone": ("a label: the clinic's phone number", ()),
    "after_hours": ("a label: the phone number out of hours", ()),
    "email": ("a label: e-mail address", ()),
    "website": ("a label: website", ()),
    "address": ("a label: street address", ()),
    "patient": ("a field label: the patient's name", ()),
    "treatment_date": ("a field label: the treatment date", ()),
    "provider": ("a field label: who treats the patient", ()),
    "date": ("a field label", ()),
    "time": ("a field label", ()),
    "with": ("a field label: with whom the appointment is", ()),
    "next_appointment": ("a box title", ()),
    "by": ("before a due date on a checklist item: 'by Tue Nov 24'", ()),
    "scan": ("under a QR code, before the link written out", ()),
    "contact_title": ("the title of the contact box", ()),
    "book": ("the caption of a booking QR code", ()),
    "language_help": ("the notice that language help is free, with the clinic's number", ("phone",)),
    "draft": ("the revision line of text no clinician has approved as it stands", ("version",)),
    "when_can_i": ("the first column of a 'when can I' table", ()),
    "wait": ("a column heading: how long to wait", ()),
    "from": ("a column heading: from which day", ()),
    "wait_hours": ("a number of hours, per CLDR plural category: {one: '{n} hour', other: '{n} hours'}", ()),
    "wait_days": ("a number of days, per CLDR plural category: {one: '{n} day', other: '{n} days'}", ()),
    "hours_note": ("a note under a 'when can I' table that counts in hours", ()),
    "handouts_title": ("the heading of a clinic's list of web copies", ()),
    "other_languages": ("the label of the links to the same handout in other languages, on its web copy", ()),
    "read_online": ("beside the small QR code on a sheet that points to its web copy", ()),
}
PLURALS = ("zero", "one", "two", "few", "many", "other")  # CLDR's plural categories
KINDS = ("pre-treatment", "aftercare", "overview")
DATES = {
    "short": Field("a CLDR date pattern for a short date, e.g. EEE d MMM, or one per order: {mdy: ..., dmy: ...}"),
    "long": Field("a CLDR date pattern for a date with its year, e.g. EEE d MMM y, or one per order"),
    "months": Field("twelve month names, where CLDR has none for this language"),
    "weekdays": Field("seven weekday names, Monday first, where CLDR has none for this language"),
}
SKELETONS = {"short": "MMMEd", "long": "yMMMEd"}  # CLDR's own order and punctuation for each language
_FIELDS = re.compile(r"\{([a-z_]+)\}")
_PATTERN = re.compile(r"'[^']*'|EEE|MMM|d|y|[A-Za-z]+")
_CLDR_FIELD = re.compile(r"'((?:[^']|'')*)'|(([A-Za-z])\3*)|([^A-Za-z']+)")  # quoted text, a field, or plain text


@dataclass(frozen=True)
class Dates:
    """How one language writes dates: CLDR patterns or skeletons, and its own names where CLDR has none."""

    locale: str
    short: dict[str, str] = field(default_factory=dict)  # date order ('mdy', 'dmy' or '*') → CLDR pattern
    long: dict[str, str] = field(default_factory=dict)
    months: tuple[str, ...] = ()
    weekdays: tuple[str, ...] = ()

    def write(self, day: dt.date, length: str, order: str) -> str:
        """A date written out: with the language's own names, a pattern, or CLDR's skeleton."""
        patterns = self.short if length == "short" else self.long
        pattern = patterns.get(order) or patterns.get("*")
        if self.months:
            return _own_names(day, pattern or "EEE d MMM" + (" y" if length == "long" else ""), self.months, self.weekdays)
        locale = ORDERED.get((self.locale, order), self.locale)
        written = _from_table(day, pattern or cldr_table.SKELETONS.get(locale, {}).get(SKELETONS[length]), locale)
        if written is not None:
            return written
        from babel.dates import format_date, format_skeleton

        if pattern:
            return format_date(day, pattern, locale=locale)
        return format_skeleton(SKELETONS[length], day, locale=locale)


def _from_table(day: dt.date, pattern: str | None, locale: str) -> str | None:
    """A date as Babel writes it with a CLDR pattern, from the table's names; None when the table lacks any of it."""
    names = cldr_table.NAMES.get(locale)
    if pattern is None or names is None:
        return None
    parts = []
    for quoted, token, _, plain in _fields(pattern):
        if token is None:
            parts.append(plain or "" if quoted is None else (quoted.replace("''", "'") or "'"))
        elif token in ("d", "dd", "M", "MM"):
            parts.append(str(day.day if token[0] == "d" else day.month).zfill(len(token)))
        elif token == "y":
            parts.append(str(day.year))
        elif token in names:
            listed = names[token]
            parts.append(listed[day.weekday()] if len(listed) == 7 else listed[day.month - 1])
        else:
            return None
    return "".join(parts)


@lru_cache(maxsize=64)
def _fields(pattern: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    """A CLDR date pattern split into quoted text, fields ('EEE', 'd') and plain text."""
    return [(m.group(1), m.group(2), m.group(3), m.group(4)) for m in _CLDR_FIELD.finditer(pattern)]


def _own_names(day: dt.date, pattern: str, months: tuple[str, ...], weekdays: tuple[str, ...]) -> str:
    """A date pattern filled with a catalogue's own names (EEE weekday, MMM month, d day, y year, 'quoted' text)."""
    values = {"EEE": weekdays[day.weekday()], "MMM": months[day.month - 1], "d": str(day.day), "y": str(day.year)}
    return _PATTERN.sub(lambda m: values.get(m.group(), m.group().strip("'")), pattern)


@dataclass(frozen=True)
class Strings:
    """The words a layout adds around the content, in one language, and how that language writes dates and numbers."""

    language: str
    name: str
    direction: str
    kinds: dict[str, str]
    page: str
    revision: str
    unreviewed: str
    day: str
    days: str
    do: str
    dont: str
    phone: str
    after_hours: str
    email: str
    website: str
    address: str
    patient: str
    treatment_date: str
    provider: str
    date: str
    time: str
    with_: str
    next_appointment: str
    by: str
    scan: str
    contact_title: str
    book: str  # the caption of a booking QR code that the handout does not give itself
    language_help: str
    draft: str  # the revision line of text no clinician has approved as it stands
    when_can_i: str  # the first column of a 'when can I' table that the handout does not name itself
    wait: str
    from_: str
    wait_hours: dict[str, str]  # CLDR plural category ('one', 'few', 'other'…) → '{n} hours'
    wait_days: dict[str, str]
    hours_note: str
    handouts_title: str  # the heading of a clinic's list of web copies
    other_languages: str  # the label of the links to the same handout in other languages
    read_online: str  # beside the small QR code on a sheet that points to its web copy
    dates: Dates

    @property
    def language_name(self) -> str:
        """This language's name in itself, for links between the web copies."""
        return self.name

    @property
    def rtl(self) -> bool:
        """True for a language written right to left."""
        return self.direction == "rtl"

    @property
    def breaks_between_characters(self) -> bool:
        """True for a language whose lines break between characters (Chinese, Japanese), not at spaces."""
        return self.language.split("-")[0] in CHARACTER_BREAKING

    def number(self, value: int) -> str:
        """A whole number written as CLDR writes it in this language."""
        if 0 <= value < cldr_table.PLAIN_NUMBERS.get(self.dates.locale, 0):
            return str(value)
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.dates.locale)

    def day_label(self, first: int, last: int) -> str:
        """'Day 3' or 'Days 1–2'."""
        if first == last:
            return self.day.format(n=self.number(first))
        return self.days.format(a=self.number(first), b=self.number(last))

    def duration(self, number: int, unit: str) -> str:
        """'1 hour', '48 hours', '5 days': the form CLDR's plural rules of this language choose for the number."""
        forms = self.wait_hours if unit == "hours" else self.wait_days
        return forms.get(self._plural(number), forms["other"]).format(n=self.number(number))

    def _plural(self, number: int) -> str:
        """CLDR's plural category of a whole number in this language: from the table, or from Babel beyond it."""
        letters = cldr_table.PLURALS.get(self.dates.locale, "")
        if 0 <= number < len(letters):
            return cldr_table.PLURAL_LETTERS[letters[number]]
        from babel import Locale

        category: str = Locale.parse(self.dates.locale).plural_form(number)
        return category

    def short_date(self, day: dt.date, order: str) -> str:
        """'Tue Nov 24' (US order) or 'Tue 24 Nov' in English; each other language as CLDR writes it."""
        return self.dates.write(day, "short", order)

    def long_date(self, day: dt.date, order: str) -> str:
        """'Tue Nov 24, 2026' or 'Tue 24 Nov 2026' in English; each other language as CLDR writes it."""
        return self.dates.write(day, "long", order)


def catalogue_tags() -> list[str]:
    """The tags of the shipped catalogues, sorted."""
    return _catalogue_tags()


@lru_cache(maxsize=1)
def _catalogue_tags() -> list[str]:
    return sorted(path.name.removesuffix(".yaml") for path in CATALOGUES.glob("*.yaml"))


def catalogue_for(tag: str) -> str | None:
    """The catalogue a tag uses: its own, or the first one its fallback chain reaches (pt-BR → pt); None without one."""
    known = set(catalogue_tags())
    return next((candidate for candidate in tags.lookup_chain(tag) if candidate in known), None)


def language_problem(tag: str) -> tuple[str, str] | None:
    """(what is wrong, what was expected) for a tag that cannot be printed, or None when it can."""
    try:
        tags.check(tag)
    except tags.TagError as exc:
        return exc.message, exc.expected
    if catalogue_for(tag) is None:
        return (f"language '{tag}' has no catalogue of layout words",
                one_of(catalogue_tags()) + f", or a tag that falls back to one (e.g. pt-BR); or add handouts/languages/{tag}.yaml")
    return None


@lru_cache(maxsize=None)
def strings(tag: str) -> Strings:
    """The words and date rules for a language tag (a regional tag uses its language's catalogue with its own dates)."""
    base = catalogue_for(tag)
    if base is None:
        raise KeyError(tag)
    loaded = _load(base)
    if base == tag:
        return loaded
    locale = BABEL_LOCALES.get(tag.split("-")[0], tag.split("-")[0]) + tag[len(tag.split("-")[0]):]
    return replace(loaded, language=tag, dates=replace(loaded.dates, locale=_babel_locale(locale)))


def _babel_locale(tag: str) -> str:
    """Babel's name for a tag (zh-Hant → zh_Hant); the tag's language alone when CLDR does not know the rest."""
    known = cldr_table.LOCALES.get(tag)
    if known is not None:
        return known
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(tag, sep="-"))
    except (ValueError, UnknownLocaleError):
        return tag.split("-")[0]


def _load(tag: str) -> Strings:
    """Read and check one catalogue; raise ContentError with every problem in it."""
    path = CATALOGUES / f"{tag}.yaml"
    problems = Problems(f"handouts/languages/{tag}.yaml")
    node = load_file(path, problems.path, problems)
    loaded = _read(node, tag, problems) if node is not None else None
    if loaded is None or problems.errors:
        raise ContentError(problems.items)
    return loaded


def _read(node: object, tag: str, problems: Problems) -> Strings | None:
    check = Checker(problems)
    data = check.mapping(node, "", CATALOGUE)  # type: ignore[arg-type]
    words = check.mapping(data.get("words"), "words", {k: Field(doc, True) for k, (doc, _) in WORDS.items()}, data.line_of("words")) if data else None
    if data is None or words is None:
        return None
    language = check.text(data.get("language"), "language", data.line_of("language"))
    if language is not None and language != tag:
        check.error(language, "language", f"'{language}' does not match the file name '{tag}.yaml'", f"'{tag}'")
    direction = check.choice(data.get("direction"), "direction", DIRECTIONS, data.line_of("direction"))
    name = check.text(data.get("name"), "name", data.line_of("name"), max_len=60)
    values: dict[str, object] = {}
    for key, (_, needed) in WORDS.items():
        if key not in words:
            continue  # reported as a missing key
        if key == "kinds":
            kinds = check.mapping(words.get(key), "words.kinds", {k: Field("the name of this kind of sheet", True) for k in KINDS}, words.line_of(key))
            values[key] = {k: str(check.text(v, f"words.kinds.{k}", kinds.line_of(k), max_len=60)) for k, v in kinds.items() if k in KINDS} if kinds else {}
            continue
        if key in ("wait_hours", "wait_days"):
            forms = check.mapping(words.get(key), f"words.{key}", {c: Field("'{n} …' for numbers of this plural category", c == "other") for c in PLURALS},
                                  words.line_of(key))
            values[key] = {c: str(v) for c, v in (forms or {}).items() if forms is not None and c in PLURALS
                           and check.text(v, f"words.{key}.{c}", forms.line_of(c))}
            if forms is not None and "other" in forms and "{n}" not in forms["other"]:
                check.error(forms["other"], f"words.{key}.other", "must keep {n}", "the number, as {n}")
            continue
        text = check.text(words.get(key), f"words.{key}", words.line_of(key), max_len=300)
        if text is None:
            continue
        used = set(_FIELDS.findall(text))
        lost, foreign = [n for n in needed if n not in used], sorted(used - set(needed))
        if lost or foreign:
            check.error(text, f"words.{key}", "must keep " + ", ".join(f"{{{n}}}" for n in lost) if lost else
                        "has unknown " + ", ".join(f"{{{n}}}" for n in foreign),
                        "the placeholders " + (", ".join(f"{{{n}}}" for n in needed) or "none") + " exactly as the English has them")
        if key == "page" and not lost and not str(text).rstrip().endswith("{total}"):
            check.error(text, "words.page", "must end with {total}", "the page total last, e.g. 'Página {page} de {total}': it is "
                        "drawn after the rest of the line, once the sheet's length is known")
        values[{"with": "with_", "from": "from_"}.get(key, key)] = str(text)
    dates = _dates(data, tag, check)
    if problems.errors or name is None or direction is None or dates is None:
        return None
    return Strings(language=tag, name=str(name), direction=direction, dates=dates, **values)  # type: ignore[arg-type]


def _dates(data: Mapping, tag: str, check: Checker) -> Dates | None:
    language = tag.split("-")[0]
    locale = _babel_locale(BABEL_LOCALES.get(language, language) + tag[len(language):])
    if "dates" not in data:
        return Dates(locale)
    node = check.mapping(data["dates"], "dates", DATES, data.line_of("dates"))
    if node is None:
        return None
    patterns: dict[str, dict[str, str]] = {}
    for length in ("short", "long"):
        value = node.get(length)
        if isinstance(value, Mapping):
            sub = check.mapping(value, f"dates.{length}", {"mdy": Field("the pattern for US order"), "dmy": Field("the pattern for day-first order")})
            patterns[length] = {order: str(check.text(v, f"dates.{length}.{order}", value.line_of(order))) for order, v in (sub or {}).items()}
        elif value is not None:
            text = check.text(value, f"dates.{length}", node.line_of(length))
            patterns[length] = {"*": str(text)} if text is not None else {}
    names = {}
    for key, count in (("months", 12), ("weekdays", 7)):
        if key in node:
            items = check.text_list(node[key], f"dates.{key}", node.line_of(key))
            if len(items) != count:
                check.error(node[key], f"dates.{key}", f"has {len(items)} names", f"{count} names")
            names[key] = tuple(str(i) for i in items)
    if ("months" in names) != ("weekdays" in names):
        check.error(node, "dates", "gives months without weekdays, or weekdays without months", "both lists, or neither")
    return Dates(locale, patterns.get("short", {}), patterns.get("long", {}), names.get("months", ()), names.get("weekdays", ()))


class _Languages(MappingABC[str, Strings]):
    """Every language the tool prints: iterating gives the catalogue tags; `tag in LANGUAGES` and `LANGUAGES[tag]` also
    accept a regional tag that falls back to a catalogue (pt-BR uses pt's words with Brazilian dates)."""

    def __getitem__(self, tag: str) -> Strings:
        return strings(tag)

    def __contains__(self, tag: object) -> bool:
        return isinstance(tag, str) and language_problem(tag) is None

    def __iter__(self) -> Iterator[str]:
        return iter(catalogue_tags())

    def __len__(self) -> int:
        return len(catalogue_tags())


LANGUAGES = _Languages()
