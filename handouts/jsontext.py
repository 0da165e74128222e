"""Indented JSON text, the same characters as `json.dumps(value, indent=N, ensure_ascii=False)`, made several times faster.

With an indent, the standard library encodes in pure Python, one generator step per value; the manifest of a large
catalogue (thousands of entries, written at every commit of a build) then costs the build's main process a noticeable
share of a core. Here every container holding no other container (a manifest entry, a list of paths) is encoded by the
C encoder in one call, its separators carrying the line breaks and indentation; only the containers around them are
walked in Python.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)
_TEXT = frozenset({str})
_GAP = "\x00"  # never in json's text of a value: it writes every control character escaped


def indented(value: Any, indent: int = 2) -> str:
    """value as `json.dumps(value, indent=indent, ensure_ascii=False)` writes it."""
    return _text(value, indent, 0)


def _text(value: Any, indent: int, level: int) -> str:
    values: Iterable[Any]
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(type(key) is str for key in value):  # keys json would convert: leave them to json
            return _standard(value, indent, level)
        values = value.values()
    elif isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if all(map(_is_record, value)):
            return _records(value, indent, level)
        values = value
    else:
        return json.dumps(value, ensure_ascii=False)
    inner = "\n" + " " * (indent * (level + 1))
    if all(isinstance(item, _SCALARS) for item in values):
        flat = json.dumps(value, ensure_ascii=False, separators=("," + inner, ": "))
        return flat[0] + inner + flat[1:-1] + "\n" + " " * (indent * level) + flat[-1]
    if isinstance(value, dict):
        parts = [json.dumps(key, ensure_ascii=False) + ": " + _text(item, indent, level + 1) for key, item in value.items()]
        opening, closing = "{", "}"
    else:
        parts = [_text(item, indent, level + 1) for item in value]
        opening, closing = "[", "]"
    return opening + inner + ("," + inner).join(parts) + "\n" + " " * (indent * level) + closing


def _is_record(item: Any) -> bool:
    """A non-empty dict of scalars (exactly the built-in types) keyed by text."""
    return type(item) is dict and bool(item) and _TEXT.issuperset(map(type, item)) and _SCALAR_TYPES.issuperset(map(type, item.values()))


def _records(value: list[Any] | tuple[Any, ...], indent: int, level: int) -> str:
    """A list of records (non-empty dicts of scalars, keyed by text, such as manifest entries), in one call of the C
    encoder: between records and between their items it writes _GAP, each then replaced by its line break and indent."""
    outer, record, field = (" " * (indent * n) for n in (level, level + 1, level + 2))
    flat = json.dumps(value, ensure_ascii=False, separators=(_GAP, ": "))
    # A record's values are scalars, so "}" then _GAP then "{" is found only between two records.
    flat = flat.replace("}" + _GAP + "{", f"\n{record}}},\n{record}{{\n{field}").replace(_GAP, f",\n{field}")
    return f"[\n{record}{{\n{field}" + flat[2:-2] + f"\n{record}}}\n{outer}]"


def _standard(value: Any, indent: int, level: int) -> str:
    """json's own text for value, re-indented to sit at level."""
    return json.dumps(value, indent=indent, ensure_ascii=False).replace("\n", "\n" + " " * (indent * level))
