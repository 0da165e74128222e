"""Problems found in content, and the one exception family the CLI catches."""

from __future__ import annotations

from typing import Iterable

from .compiled import dataclass

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"  # said once, changes nothing: a handout a layout does not print


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: where, what, and what was expected."""

    path: str
    line: int | None
    message: str
    expected: str | None = None
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        tail = f" ({self.expected})" if self.expected else ""
        label = f"{self.severity}: " if self.severity in (WARNING, NOTICE) else ""
        return f"{where}: {label}{self.message}{tail}"


class HandoutsError(Exception):
    """Base of every error the command line reports without a traceback."""

    exit_code = 1


class UsageError(HandoutsError):
    """The command line itself was wrong."""

    exit_code = 2


class ContentError(HandoutsError):
    """One or more problems in content, brand kits or settings."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class BudgetError(ContentError):
    """A sheet that needs more pages than its layout allows (another layout may fit it)."""

    def __init__(self, problem: Problem, pages: int, limit: int):
        super().__init__([problem])
        self.pages, self.limit = pages, limit


class InputError(ValueError):
    """A value that cannot be used, raised where it is read: what is wrong, and what was expected.

    The code that knows the file and line turns it into a Problem; subclasses say what kind of value it was.
    """

    def __init__(self, message: str, expected: str | None = None):
        super().__init__(message)
        self.message = message
        self.expected = expected


def _sort_key(p: Problem) -> tuple[str, int, str]:
    return (p.path, p.line or 0, p.message)


class Problems:
    """Collects problems for one file so that all of them are reported at once."""

    def __init__(self, path: str):
        self.path = path
        self.items: list[Problem] = []

    def add(self, line: int | None, message: str, expected: str | None = None, severity: str = ERROR) -> None:
        """Record a problem at a line of this file."""
        self.items.append(Problem(self.path, line, message, expected, severity))

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors, not warnings."""
        return [p for p in self.items if p.severity == ERROR]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' did you mean ...?' suffix for a near miss, or an empty string."""
    import difflib  # imported only when there is a mistake to name

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def one_of(choices: Iterable[str]) -> str:
    """'one of: a, b, c' for an expected-value hint."""
    return "one of: " + ", ".join(sorted(choices))
