"""Declared options of the YAML files: each key's type, default, check, message and JSON Schema, in one declaration.

An option reads one located YAML value, records every problem with its path and line (never raising), and returns
the checked value or None. The same object describes itself as a JSON-Schema fragment, so the schemas editors use
are generated from the declarations `check` reads with, and cannot drift from them. A dataclass field made with
`option()` carries its option: the class is then the whole declaration of a file (see `brand.Brand`).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping as MappingABC
from dataclasses import field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from .compiled import dataclass
from .errors import InputError
from .paths import resolve_inside
from .records import valid_date
from .yamlcheck import MAX_TEXT, Checker, describe
from . import yamlsafe
from .yamlsafe import Mapping, Node

T = TypeVar("T")
JsonSchema = dict[str, Any]
Options = MappingABC[str, "Option[Any]"]
_OPTION = "handouts.option"  # the key of a dataclass field's metadata that holds its option
_YAML_KEY = "handouts.yaml_key"


@dataclass(frozen=True)
class Reading:
    """What reading one file needs: the checker that records its problems, where it lies, and what its name says.

    partial: the file may leave required keys to another file it builds on (a brand kit that `extends` one);
    they are then checked after merging, by `missing_required`.
    """

    check: Checker
    root: Path
    folder: Path
    file_name: str = ""
    named: MappingABC[str, str] = field(default_factory=dict)  # what the file name says, e.g. {"kind": "aftercare"}
    partial: bool = False


class Option(Generic[T]):
    """One key of a YAML mapping: what it means, whether it must be given, its default, its check and its schema."""

    def __init__(self, doc: str, *, required: bool = False, default: T | None = None) -> None:
        self.doc = doc
        self.required = required
        self.default = default

    def read(self, node: Node, where: str, line: int, reading: Reading) -> T | None:
        """The checked value; None after recording what is wrong with it."""
        raise NotImplementedError

    def schema(self) -> JsonSchema:
        """The JSON-Schema fragment that accepts exactly the values `read` accepts (as far as JSON Schema can say)."""
        raise NotImplementedError

    def merge(self, inherited: T, own: T) -> T:
        """The value of a file that builds on another: its own replaces the inherited one unless the option merges them."""
        return own

    def described(self) -> JsonSchema:
        """The schema with the option's description (and default) for an editor's tooltip."""
        body = dict(self.schema(), description=self.doc)
        if self.default not in (None, "", (), {}):
            body["default"] = self.default
        return body


def text_schema(max_len: int = MAX_TEXT) -> JsonSchema:
    """Any scalar but an empty one: every value is read as text, so `version: 3` and `reviewed: 2026-11-01` are text too."""
    return {"type": ["string", "number", "boolean"], "pattern": r"\S", "maxLength": max_len}


class Text(Option[str]):
    """A single text value (a number or date written without quotes is text too)."""

    def __init__(self, doc: str, *, required: bool = False, default: str | None = "", max_len: int = 200) -> None:
        super().__init__(doc, required=required, default=default)
        self.max_len = max_len

    def read(self, node: Node, where: str, line: int, reading: Reading) -> str | None:
        """The text as written."""
        return reading.check.text(node, where, line, max_len=self.max_len)

    def schema(self) -> JsonSchema:
        """Any non-empty scalar of at most max_len characters."""
        return text_schema(self.max_len)


class Plain(Text):
    """Text printed as it is: a placeholder such as {settings.x} is refused, with a message that names what it is."""

    def __init__(self, doc: str, *, what: str, example: str = "", collapse: bool = False, required: bool = False,
                 max_len: int = 200) -> None:
        super().__init__(doc, required=required, max_len=max_len)
        self.what, self.example, self.collapse = what, example, collapse

    def read(self, node: Node, where: str, line: int, reading: Reading) -> str | None:
        """The text, with runs of spaces and line breaks made single spaces when collapse is set."""
        value = reading.check.text(node, where, line, max_len=self.max_len)
        if value is None:
            return None
        if "{" in value:
            reading.check.error(value, where, f"{self.what} cannot hold a placeholder", "plain text" + (f" such as {self.example}" if self.example else ""))
            return None
        if not self.collapse:
            return value
        flat = yamlsafe.Text(" ".join(value.split()))
        flat.line = getattr(value, "line", 0)
        return flat

    def schema(self) -> JsonSchema:
        """Non-empty text without '{'."""
        return dict(super().schema(), pattern=r"^[^{]*[^{\s][^{]*$")


class Choice(Option[str]):
    """One of a fixed set of words; the set may be computed when it is needed (the layouts known at run time)."""

    def __init__(self, doc: str, choices: Iterable[str] | Callable[[], Iterable[str]], *, required: bool = False) -> None:
        super().__init__(doc, required=required)
        self._choices = choices

    @property
    def choices(self) -> list[str]:
        """The allowed words."""
        return list(self._choices() if callable(self._choices) else self._choices)

    def read(self, node: Node, where: str, line: int, reading: Reading) -> str | None:
        """The word, when it is one of the choices (else a 'did you mean')."""
        return reading.check.choice(node, where, self.choices, line)

    def schema(self) -> JsonSchema:
        """An enum of the choices."""
        return {"enum": self.choices}


class FromFileName(Choice):
    """A value the file's name already gives (its kind, its language): if written, it must agree with the name."""

    def __init__(self, doc: str, part: str, choices: Iterable[str] | Callable[[], Iterable[str]], *, required: bool = False) -> None:
        super().__init__(doc, choices, required=required)
        self.part = part

    def read(self, node: Node, where: str, line: int, reading: Reading) -> str | None:
        """The value, when it is the one the file name says."""
        value = reading.check.text(node, where, line)
        expected = reading.named.get(self.part)
        if value is not None and value != expected:
            reading.check.error(value, where, f"'{value}' does not match the file name '{reading.file_name}'", f"'{expected}', or rename the file")
            return None
        return value


class WholeNumber(Option[int]):
    """A whole number within a range, written as text or as a number."""

    def __init__(self, doc: str, low: int, high: int, *, required: bool = False) -> None:
        super().__init__(doc, required=required)
        self.low, self.high = low, high

    def read(self, node: Node, where: str, line: int, reading: Reading) -> int | None:
        """The number, when it lies within the range."""
        return reading.check.whole_number(node, where, self.low, self.high, line)

    def schema(self) -> JsonSchema:
        """An integer in the range, or text holding one (leading zeros and spaces allowed, as `read` allows them)."""
        numbers = "|".join(str(n) for n in range(self.low, self.high + 1))
        return {"anyOf": [{"type": "integer", "minimum": self.low, "maximum": self.high},
                          {"type": "string", "pattern": rf"^\s*0*({numbers})\s*$"}]}


class Date(Option[str]):
    """A calendar date written YYYY-MM-DD (quoted or not)."""

    def __init__(self, doc: str, *, required: bool = False) -> None:
        super().__init__(doc, required=required, default="")

    def read(self, node: Node, where: str, line: int, reading: Reading) -> str | None:
        """The date as written, when it exists."""
        value = reading.check.text(node, where, line)
        if value is not None and not valid_date(value):
            reading.check.error(value, where, f"'{value}' is not a date", "a date as YYYY-MM-DD, e.g. \"2026-11-01\"")
            return None
        return value

    def schema(self) -> JsonSchema:
        """A string in ISO date form (a YAML 1.1 reader's date object is written out so by every YAML-to-JSON step)."""
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


class TextList(Option[tuple[str, ...]]):
    """A list of text items (a single text is not a list)."""

    def __init__(self, doc: str, *, required: bool = False) -> None:
        super().__init__(doc, required=required, default=())

    def read(self, node: Node, where: str, line: int, reading: Reading) -> tuple[str, ...] | None:
        """The items, when every one is text."""
        items = reading.check.text_list(node, where, line)
        return tuple(str(item) for item in items) if items else None

    def schema(self) -> JsonSchema:
        """A non-empty array of text."""
        return {"type": "array", "items": text_schema(), "minItems": 1, "maxItems": 200}


class File(Option[Path]):
    """A file named relative to the YAML file, inside the content folder, that `load` can open (it raises InputError)."""

    def __init__(self, doc: str, suffixes: tuple[str, ...], load: Callable[[Path], object], *, required: bool = False) -> None:
        super().__init__(doc, required=required)
        self.suffixes, self.load = suffixes, load

    def read(self, node: Node, where: str, line: int, reading: Reading) -> Path | None:
        """The resolved path, once the file is found inside the content folder and loads."""
        name = reading.check.text(node, where, line)
        if name is None:
            return None
        try:
            path = resolve_inside(reading.root, reading.folder, name, self.suffixes)
            self.load(path)
        except InputError as exc:
            reading.check.error(name, where, exc.message, exc.expected)
            return None
        return path

    def schema(self) -> JsonSchema:
        """A relative file name with one of the suffixes, in any case."""
        either = "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in suffix.lstrip("."))
                          for suffix in self.suffixes)
        return {"type": "string", "pattern": rf"^[^/\\].*\.({either})$"}


class Group(Option[dict[str, Any]]):
    """A mapping of declared keys, each with its own option; a file that builds on another merges it key by key."""

    def __init__(self, doc: str, options: Options, *, required: bool = False) -> None:
        super().__init__(doc, required=required, default={})
        self.options = options

    def read(self, node: Node, where: str, line: int, reading: Reading) -> dict[str, Any] | None:
        """The values of the keys that read well."""
        return read_options(node, self.options, reading, where, line)

    def schema(self) -> JsonSchema:
        """An object of exactly the declared keys."""
        return object_schema(self.options, required=True)

    def merge(self, inherited: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
        """Key by key: the file's own keys replace the inherited ones."""
        return {**inherited, **own}


class Names(Option[dict[str, T]]):
    """A mapping of names the file chooses (a setting's name), each value read by one option."""

    def __init__(self, doc: str, value: Option[T], *, pattern: str | None = None, unusable: tuple[str, str] = ("", ""),
                 required: bool = False) -> None:
        """pattern: what a name must match (as a whole); unusable: the message and what was expected, for a name that does not."""
        super().__init__(doc, required=required, default={})
        self.value, self.pattern, self.unusable = value, pattern, unusable

    def read(self, node: Node, where: str, line: int, reading: Reading) -> dict[str, T] | None:
        """The values of the names that are usable and read well."""
        if not isinstance(node, Mapping):
            reading.check.error(node, where, f"expected a mapping, got {describe(node)}", self.doc, line)
            return None
        out: dict[str, T] = {}
        for name, raw in node.items():
            inner = _join(where, name)
            if self.pattern and not re.fullmatch(self.pattern, name):
                reading.check.error(node, inner, *self.unusable, line=node.line_of(name))
                continue
            value = self.value.read(raw, inner, node.line_of(name), reading)
            if value is not None:
                out[name] = value
        return out

    def schema(self) -> JsonSchema:
        """An object whose every value is the value option's."""
        body: JsonSchema = {"type": "object", "additionalProperties": self.value.schema()}
        if self.pattern:
            body["propertyNames"] = {"pattern": f"^{self.pattern}$"}
        return body

    def merge(self, inherited: dict[str, T], own: dict[str, T]) -> dict[str, T]:
        """Name by name: the file's own values replace the inherited ones."""
        return {**inherited, **own}


class Nodes(Option[Node]):
    """A key whose value the loader reads itself (a list of blocks); declared here for the key list and the schema."""

    def __init__(self, doc: str, schema: JsonSchema, *, required: bool = False) -> None:
        super().__init__(doc, required=required)
        self._schema = schema

    def read(self, node: Node, where: str, line: int, reading: Reading) -> Node | None:
        """The node itself."""
        return node

    def schema(self) -> JsonSchema:
        """The schema given with the declaration."""
        return self._schema


def read_options(node: Node | None, options: Options, reading: Reading, where: str = "", line: int = 0) -> dict[str, Any] | None:
    """Read a mapping of declared options: unknown and (unless partial) missing keys reported, every value checked.

    Returns the values that read well by key, or None when the node is not a mapping.
    """
    data = reading.check.mapping(node, where, options, line, required=not reading.partial)
    if data is None:
        return None
    values: dict[str, Any] = {}
    for key, declared in options.items():
        if key in data:
            value = declared.read(data[key], _join(where, key), data.line_of(key), reading)
            if value is not None:
                values[key] = value
    return values


def merge(options: Options, inherited: MappingABC[str, Any], own: MappingABC[str, Any]) -> dict[str, Any]:
    """The values of a file that builds on another, option by option."""
    merged = dict(inherited)
    for key, value in own.items():
        merged[key] = options[key].merge(merged[key], value) if key in merged else value
    return merged


def missing_required(options: Options, values: MappingABC[str, Any], where: str = "") -> list[str]:
    """The dotted keys that are required but absent (inside groups that are given, too)."""
    missing = []
    for key, declared in options.items():
        if key not in values:
            if declared.required:
                missing.append(_join(where, key))
        elif isinstance(declared, Group):
            missing += missing_required(declared.options, values[key], _join(where, key))
    return missing


def object_schema(options: Options, required: bool) -> JsonSchema:
    """A JSON Schema object of the declared options; required: list the required keys (not for a file that may inherit them)."""
    properties = {key: dict(object_schema(declared.options, required), description=declared.doc) if isinstance(declared, Group)
                  else declared.described() for key, declared in options.items()}
    body: JsonSchema = {"type": "object", "properties": properties, "additionalProperties": False}
    needed = [key for key, declared in options.items() if declared.required]
    if required and needed:
        body["required"] = needed
    return body


def required_schema(options: Options) -> JsonSchema:
    """Only the required keys, groups included: the part of a schema a file that inherits nothing must also meet."""
    body: JsonSchema = {"required": [key for key, declared in options.items() if declared.required]}
    groups = {key: required_schema(declared.options) for key, declared in options.items() if isinstance(declared, Group)}
    if groups:
        body["properties"] = groups
    return body


def option(declared: Option[T], key: str | None = None) -> T:
    """A dataclass field declared by an option (read from the YAML key, by default the field's name)."""
    metadata = {_OPTION: declared, _YAML_KEY: key}
    if declared.required:
        return cast(T, field(metadata=metadata))
    default = declared.default
    return cast(T, field(default_factory=lambda: copy.deepcopy(default), metadata=metadata))


def options_of(cls: type) -> dict[str, Option[Any]]:
    """The options a dataclass declares, by YAML key, in the order of its fields."""
    return {yaml_key: declared for yaml_key, _, declared in _declared(cls)}


def fields_of(cls: type, values: MappingABC[str, Any]) -> dict[str, Any]:
    """Values read by YAML key, as keyword arguments of the dataclass (by field name)."""
    return {name: values[yaml_key] for yaml_key, name, _ in _declared(cls) if yaml_key in values}


def _declared(cls: type) -> list[tuple[str, str, Option[Any]]]:
    return [(f.metadata[_YAML_KEY] or f.name, f.name, f.metadata[_OPTION]) for f in dataclasses.fields(cls) if _OPTION in f.metadata]


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
