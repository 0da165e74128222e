"""Small typed checks over located YAML nodes, collecting every problem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping as MappingABC
from typing import Protocol

from . import direction
from .compiled import dataclass
from .direction import refusal, right_to_left
from .errors import Problems, did_you_mean, one_of
from .yamlsafe import Mapping, Node, Sequence, Text

MAX_TEXT = 5_000
MAX_ITEMS = 200
_WHOLE = re.compile(r"\s*0*([0-9]{1,9})\s*")  # ASCII digits only: int() refuses some characters isdigit() accepts


class Declared(Protocol):
    """What a mapping check needs of each allowed key: a one-line description and whether it must be given."""

    @property
    def doc(self) -> str: ...

    @property
    def required(self) -> bool: ...


@dataclass(frozen=True)
class Field:
    """One allowed key of a mapping, with a one-line description."""

    doc: str
    required: bool = False


def describe(node: Node | None) -> str:
    """A short human name for a node's kind, for 'expected text, got a list'."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    if node is None:
        return "nothing"
    return f"'{_clip(node)}'"


def _clip(value: str, width: int = 40) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def line_of(node: Node | None, fallback: int = 0) -> int:
    """The line a node starts on."""
    return getattr(node, "line", 0) or fallback


class Checker:
    """Typed accessors that record a problem (with path and line) instead of raising."""

    def __init__(self, problems: Problems):
        self.problems = problems

    def error(self, node: Node | None, where: str, message: str, expected: str | None = None, line: int = 0) -> None:
        """Record an error at a node, prefixed by its YAML path."""
        prefix = f"{where}: " if where else ""
        self.problems.add(line or line_of(node), prefix + message, expected)

    def mapping(self, node: Node | None, where: str, fields: MappingABC[str, Declared], line: int = 0, required: bool = True) -> Mapping | None:
        """Check a mapping's keys: unknown keys and (unless required is False) missing required keys are errors."""
        if not isinstance(node, Mapping):
            self.error(node, where, f"expected a mapping, got {describe(node)}",
                       "keys: " + ", ".join(fields), line)
            return None
        for key in node:
            if key not in fields:
                self.error(node, where, f"unknown key '{key}'",
                           one_of(fields) + did_you_mean(key, fields), node.line_of(key))
        for key, spec in fields.items():
            if required and spec.required and key not in node:
                self.error(node, where, f"missing required key '{key}'", spec.doc)
        return node

    def text(self, node: Node | None, where: str, line: int = 0, max_len: int = MAX_TEXT,
             allow_empty: bool = False) -> Text | None:
        """Check that a node is a non-empty text value of sane length."""
        if not isinstance(node, Text):
            self.error(node, where, f"expected text, got {describe(node)}", "a single line of text", line)
            return None
        if not node.strip() and not allow_empty:
            self.error(node, where, "is empty", "some text", line)
            return None
        if len(node) > max_len:
            self.error(node, where, f"text is too long: {len(node):,} characters", f"at most {max_len:,}; split it into several blocks", line)
            return None
        rtl = right_to_left(node)
        if rtl:
            self.error(node, where, refusal(rtl), direction.EXPECTED, line)
            return None
        return node

    def text_list(self, node: Node | None, where: str, line: int = 0) -> list[Text]:
        """Check a list of text items (a single text is not accepted)."""
        items = self.sequence(node, where, "a list of text items", line)
        out: list[Text] = []
        for i, item in enumerate(items):
            value = self.text(item, f"{where}[{i}]", line_of(node, line))
            if value is not None:
                out.append(value)
        return out

    def sequence(self, node: Node | None, where: str, expected: str, line: int = 0) -> Sequence:
        """Check that a node is a non-empty list of sane length."""
        if not isinstance(node, Sequence):
            self.error(node, where, f"expected a list, got {describe(node)}", expected, line)
            return Sequence()
        if not node:
            self.error(node, where, "is an empty list", expected, line)
        if len(node) > MAX_ITEMS:
            self.error(node, where, f"has {len(node)} items", f"at most {MAX_ITEMS}", line)
            return Sequence()
        return node

    def choice(self, node: Node | None, where: str, choices: Iterable[str], line: int = 0) -> str | None:
        """Check that a text value is one of a fixed set (with a 'did you mean')."""
        choices = list(choices)
        value = self.text(node, where, line)
        if value is None:
            return None
        if value not in choices:
            self.error(node, where, f"'{_clip(value)}' is not allowed",
                       one_of(choices) + did_you_mean(value, choices), line)
            return None
        return str(value)

    def whole_number(self, node: Node | None, where: str, low: int, high: int, line: int = 0) -> int | None:
        """Check a text value that holds a whole number within a range."""
        value = self.text(node, where, line)
        if value is None:
            return None
        whole = _WHOLE.fullmatch(value)
        if whole is None or not low <= int(whole[1]) <= high:
            self.error(node, where, f"'{_clip(value)}' is not a whole number from {low} to {high}", f"a number such as \"{low}\"", line)
            return None
        return int(whole[1])
