"""Write handouts/cldr_table.py: the CLDR data the layout's words need, taken from Babel, for every shipped catalogue.

Run when Babel (and so CLDR) or the catalogues change; tests/languages/test_cldr_table.py fails until the committed
table is what this script writes.

    python scripts/build_cldr_table.py            # writes handouts/cldr_table.py
    python scripts/build_cldr_table.py --check    # exit status 1 when the committed table is stale

With the table, a sheet is written without importing Babel: Babel's locale names, the date patterns of CLDR's
skeletons, the month and weekday names those patterns use, which whole numbers Babel writes as bare digits and the
plural category of the numbers a sheet counts. What the table lacks (a regional tag such as pt-BR, a number beyond
its range, a pattern field it has no names for) is still asked of Babel.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "handouts" / "cldr_table.py"
sys.path.insert(0, str(ROOT))

PLURAL_RANGE = 200  # the plural category of 0 … 199 (hours and days of waiting; beyond that, Babel)
PLAIN_LIMIT = 10_000  # the largest bound tried for numbers written as bare digits
PLURAL_LETTERS = {"zero": "z", "one": "o", "two": "t", "few": "f", "many": "m", "other": "x"}
NAMED = {"E": 7, "EE": 7, "EEE": 7, "EEEE": 7, "ccc": 7, "cccc": 7, "MMM": 12, "MMMM": 12, "LLL": 12, "LLLL": 12}
MONDAY = dt.date(2026, 1, 5)


class FieldNames(dict):  # type: ignore[type-arg]
    """Collects the fields a DateTimeFormat pattern asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, int]] = []

    def __getitem__(self, key: str) -> str:
        self.seen.append((key[0], len(key)))
        return ""

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.seen)


def fields(pattern: str) -> set[str]:
    """The fields of a CLDR date pattern, e.g. {'EEE', 'd', 'MMM'}."""
    from babel.dates import parse_pattern

    names = FieldNames()
    parse_pattern(pattern).format % names
    return {char * count for char, count in names.seen}


def names(token: str, locale: str) -> tuple[str, ...]:
    """The seven weekday names (Monday first) or twelve month names Babel writes for a one-field pattern."""
    from babel.dates import format_date

    if NAMED[token] == 7:
        return tuple(format_date(MONDAY + dt.timedelta(days=k), token, locale=locale) for k in range(7))
    return tuple(format_date(dt.date(2026, m, 1), token, locale=locale) for m in range(1, 13))


def table() -> str:
    """The text of handouts/cldr_table.py as Babel gives it now."""
    import babel
    from babel import Locale
    from babel.dates import match_skeleton
    from babel.numbers import format_decimal

    from handouts import i18n

    tags = i18n.catalogue_tags()
    inputs = {tag: i18n.BABEL_LOCALES.get(tag.split("-")[0], tag.split("-")[0]) + tag[len(tag.split("-")[0]):] for tag in tags}
    locales = {given: str(Locale.parse(given, sep="-")) for given in sorted(set(inputs.values()))}
    used = sorted(set(locales.values()) | set(i18n.ORDERED.values()))
    skeletons: dict[str, dict[str, str]] = {}
    named: dict[str, dict[str, tuple[str, ...]]] = {}
    plain: dict[str, int] = {}
    plurals: dict[str, str] = {}
    for locale in used:
        parsed = Locale.parse(locale)
        patterns = {}
        for skeleton in sorted(set(i18n.SKELETONS.values())):
            found = skeleton if skeleton in parsed.datetime_skeletons else match_skeleton(skeleton, parsed.datetime_skeletons)
            patterns[skeleton] = parsed.datetime_skeletons[found].pattern
        skeletons[locale] = patterns
        tokens = {"EEE", "MMM"}.union(*(fields(p) for p in patterns.values()))
        named[locale] = {token: names(token, locale) for token in sorted(tokens & set(NAMED))}
        bound = 0
        while bound < PLAIN_LIMIT and format_decimal(bound, locale=locale) == str(bound):
            bound += 1
        plain[locale] = bound
        plurals[locale] = "".join(PLURAL_LETTERS[parsed.plural_form(n)] for n in range(PLURAL_RANGE))
    english = {tag: Locale.parse(tag, sep="-").get_display_name("en") or tag for tag in tags}
    lines = [
        '"""CLDR data for the shipped catalogues, taken from Babel by scripts/build_cldr_table.py: do not edit, run the script."""',
        "",
        "from __future__ import annotations",
        "",
        f"BABEL = {babel.__version__!r}  # the Babel release (and so the CLDR release) it was taken from",
        "# A tag as handouts.i18n gives it to Babel → Babel's name of its locale.",
        "LOCALES: dict[str, str] = " + _dict(locales),
        "# Locale → CLDR's date pattern for each skeleton.",
        "SKELETONS: dict[str, dict[str, str]] = " + _nested(skeletons),
        "# Locale → pattern field → the seven weekday names (Monday first) or twelve month names Babel writes for it.",
        "NAMES: dict[str, dict[str, tuple[str, ...]]] = " + _nested(named),
        "# Locale → N: Babel writes every whole number 0 ≤ n < N as its bare digits.",
        "PLAIN_NUMBERS: dict[str, int] = " + _dict(plain),
        f"# Locale → the plural category of 0, 1, 2 … {PLURAL_RANGE - 1}, one letter each (PLURAL_LETTERS).",
        "PLURALS: dict[str, str] = " + _dict(plurals),
        "PLURAL_LETTERS: dict[str, str] = " + _dict({letter: name for name, letter in PLURAL_LETTERS.items()}),
        "# Catalogue tag → the language's name in English.",
        "LANGUAGE_NAMES: dict[str, str] = " + _dict(english),
        "",
    ]
    return "\n".join(lines)


def _dict(values: dict[str, object]) -> str:
    return "{\n" + "".join(f"    {key!r}: {value!r},\n" for key, value in values.items()) + "}"


def _nested(values: dict[str, dict[str, object]]) -> str:
    out = ["{"]
    for key, inner in values.items():
        out.append(f"    {key!r}: {{")
        out += [f"        {k!r}: {v!r}," for k, v in inner.items()]
        out.append("    },")
    return "\n".join(out) + "\n}"


def main(argv: list[str]) -> int:
    text = table()
    if "--check" in argv:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        if current != text:
            print(f"{TABLE.relative_to(ROOT)} is stale: run python scripts/build_cldr_table.py", file=sys.stderr)
            return 1
        return 0
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
