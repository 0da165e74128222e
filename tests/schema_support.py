"""What an editor makes of a YAML file (its JSON Schema's verdict) beside what `check` makes of it.

An editor does not read YAML as `check` does (every value text): it resolves `3` to a number and, with a YAML 1.1
reader, `2026-11-01` to a date, which any YAML-to-JSON step writes back as text. Both readings are judged.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import yaml

from handouts.content import load_catalogue
from handouts.json_schemas import schemas


SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where PyYAML has it, as check and most tools read


class Yaml12Loader(SafeLoader):
    """A safe loader with the YAML 1.2 core schema (as yaml-language-server reads): no dates, no yes/no booleans."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))


def _int12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
    base = 8 if digits.startswith("0o") else 16 if digits.startswith("0x") else 10
    return sign * int(digits[2:] if base != 10 else digits, base)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)


def _as_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def editor_views(text: str) -> dict[str, Any]:
    """The file as JSON data in each editor's reading; a reading that cannot load the file maps to an exception."""
    views: dict[str, Any] = {}
    for name, loader in (("yaml 1.2", Yaml12Loader), ("yaml 1.1", SafeLoader)):
        try:
            views[name] = _as_json(yaml.load(text, Loader=loader))  # noqa: S506 - both loaders are safe loaders
        except (yaml.YAMLError, ValueError) as exc:  # a 1.1 reader's date that does not exist raises ValueError
            views[name] = exc
    return views


def kind_of(rel: str) -> str | None:
    """Which schema a file of the content tree follows, by its place (None for files without one)."""
    parts = PurePosixPath(rel).parts
    if len(parts) == 3 and parts[0] == "brands" and parts[2] == "brand.yaml":
        return "brand"
    if len(parts) == 2 and parts[0] == "snippets":
        return "snippet"
    if len(parts) == 2 and parts[1] == "settings.yaml":
        return "settings"
    if len(parts) == 2 and parts[0] != "brands":
        return "handout"
    return None


def schema_verdicts(kind: str, text: str) -> dict[str, list[str]]:
    """The schema's complaints in each editor reading (an empty list: it accepts the file)."""
    schema = schemas()[f"{kind}.schema.json"]
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    out = {}
    for name, data in editor_views(text).items():
        out[name] = [f"cannot be read: {data}"] if isinstance(data, Exception) else [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(data)]
    return out


def check_errors(root: Path, rel: str) -> list[str]:
    """The errors `check` reports in one file of a content tree."""
    path = root / rel
    return [str(p) for p in load_catalogue(root).problems if p.severity == "error" and Path(p.path).resolve() == path.resolve()]


def assert_agree(root: Path, rel: str) -> list[str]:
    """The schema accepts the file in every editor reading exactly when check accepts it; returns check's errors."""
    kind = kind_of(rel)
    assert kind is not None, f"{rel}: no schema for this place"
    by_check = check_errors(root, rel)
    for reading, complaints in schema_verdicts(kind, (root / rel).read_text(encoding="utf-8")).items():
        assert bool(complaints) == bool(by_check), (
            f"{rel} ({reading}): check says {by_check or 'fine'}, the {kind} schema says {complaints or 'fine'}")
    return by_check
