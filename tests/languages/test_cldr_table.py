"""The CLDR table: what scripts/build_cldr_table.py writes from Babel now, and the very dates, numbers and plural forms
Babel writes, for every shipped language; with it a sheet is written without loading Babel."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handouts import cldr_table, i18n, translation

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_cldr_table.py"
# Every catalogue, and regional tags that take their words from one (pt-BR's dates are Babel's own, outside the table).
TAGS = [*i18n.catalogue_tags(), "pt-BR", "es-MX", "en-GB"]
DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)] + [dt.date(2028, 2, 29), dt.date(1999, 12, 31)]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_cldr_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def without_table(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A function that runs its argument with the table emptied, so that everything is asked of Babel."""
    def run(fn):  # type: ignore[no-untyped-def]
        with monkeypatch.context() as patch:
            for name in ("LOCALES", "SKELETONS", "NAMES", "PLAIN_NUMBERS", "PLURALS", "LANGUAGE_NAMES"):
                patch.setattr(cldr_table, name, type(getattr(cldr_table, name))())
            return fn()
    return run


def _written(tag: str) -> list[str]:
    """Every date, number and duration the layout writes in a language, in one list."""
    words = i18n.strings(tag)
    out = []
    for order in ("mdy", "dmy"):
        out += [f(day, order) for day in DAYS for f in (words.short_date, words.long_date)]
    out += [words.number(n) for n in range(-20, 2100)] + [words.number(n) for n in (10_000, 123_456, 1_000_000)]
    out += [words.duration(n, unit) for n in range(0, 230) for unit in ("hours", "days")] + [words.duration(1_000_000, "days")]
    out += [words.day_label(1, 1), words.day_label(3, 14)]
    return out


@pytest.mark.timeout(300)
def test_the_committed_table_is_what_the_script_writes_now() -> None:
    assert _script().table() == (ROOT / "handouts" / "cldr_table.py").read_text(encoding="utf-8"), \
        "handouts/cldr_table.py is stale: run python scripts/build_cldr_table.py"


@pytest.mark.timeout(300)
def test_dates_numbers_and_plurals_from_the_table_are_babels(without_table) -> None:  # type: ignore[no-untyped-def]
    for tag in TAGS:
        i18n.strings.cache_clear()
        table = _written(tag)
        i18n.strings.cache_clear()
        babel = without_table(lambda: _written(tag))  # noqa: B023  (run at once)
        assert table == babel, tag
    i18n.strings.cache_clear()


def test_locale_and_language_names_from_the_table_are_babels(without_table) -> None:  # type: ignore[no-untyped-def]
    assert cldr_table.LOCALES and cldr_table.LANGUAGE_NAMES and set(cldr_table.LANGUAGE_NAMES) == set(i18n.catalogue_tags())
    for given, locale in cldr_table.LOCALES.items():
        assert without_table(lambda: i18n._babel_locale(given)) == locale  # noqa: B023
    for tag, name in cldr_table.LANGUAGE_NAMES.items():
        assert without_table(lambda: translation.language_name(tag)) == name  # noqa: B023
    for tag in TAGS:  # the shipped languages' locales and the orders English and Spanish follow are all in the table
        assert i18n.strings(tag).dates.locale in cldr_table.NAMES or "-" in tag
    assert {locale for locale in i18n.ORDERED.values()} <= set(cldr_table.NAMES)


def _modules_after_handout(tmp_path: Path, *args: str) -> set[str]:
    """The modules a `generate.py handout` process has imported by its end (told by an exit handler: the program ends the
    process once its command is done)."""
    code = ("import atexit, sys, runpy; sys.argv = ['generate.py', *sys.argv[1:]]\n"
            "atexit.register(lambda: print('\\n'.join(sorted(sys.modules))))\n"
            "try:\n    runpy.run_path('generate.py', run_name='__main__')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n")
    env = {**os.environ, "HANDOUTS_CACHE": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1767225600"}
    done = subprocess.run([sys.executable, "-c", code, "handout", "microneedling/aftercare", "--brand", "default",
                           "-o", str(tmp_path / "x.pdf"), "--force", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize("args", [(), ("--lang", "ar"), ("--date", "2026-03-05", "--follow-up", "2026-04-02"),
                                  ("--lang", "zh-Hans", "--date", "2026-03-05")])
def test_a_handout_of_a_shipped_language_never_loads_babel(tmp_path: Path, args: tuple[str, ...]) -> None:
    modules = _modules_after_handout(tmp_path, *args)
    assert "handouts.i18n" in modules and not {m for m in modules if m == "babel" or m.startswith("babel.")}
