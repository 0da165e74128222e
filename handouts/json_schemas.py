"""JSON Schemas of the YAML files, so an editor can autocomplete keys and underline mistakes.

The front matter, brand kit, snippet and settings schemas are generated from the options `check` reads with
(handouts.options); the blocks' schema from the block field tables. Every value is read as text, so wherever text
is accepted a number or `true` is accepted too, as `check` accepts them.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import blocks as b
from .brand import OPTIONS as BRAND
from .content import HANDOUT, SETTINGS, SNIPPET
from .options import JsonSchema, object_schema, required_schema, text_schema
from .yamlcheck import MAX_ITEMS, Field

TEXT = text_schema()
TEXTS = {"type": "array", "items": TEXT, "minItems": 1, "maxItems": MAX_ITEMS}
BASE = "https://json-schema.org/draft/2020-12/schema"
LANGUAGE = {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"}  # a BCP 47 tag, e.g. zh-Hant or pt-BR


def _object(fields: dict[str, Field], overrides: dict[str, JsonSchema] | None = None) -> JsonSchema:
    properties = {name: dict((overrides or {}).get(name, TEXT), description=spec.doc) for name, spec in fields.items()}
    body: JsonSchema = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [name for name, spec in fields.items() if spec.required]
    if required:
        body["required"] = required
    return body


def _list_of(item: JsonSchema) -> JsonSchema:
    return {"type": "array", "items": item, "minItems": 1, "maxItems": MAX_ITEMS}


def blocks() -> JsonSchema:
    """A list of blocks, each a mapping of one block type to its value."""
    values = {
        "heading": TEXT,
        "paragraph": TEXT,
        "bullets": TEXTS,
        "steps": TEXTS,
        "checklist": _list_of({"oneOf": [TEXT, _object(b.CHECKLIST_ITEM)]}),
        "callout": _object(b.CALLOUT, {"tone": {"enum": list(b.TONES)}, "items": TEXTS}),
        "timeline": _list_of(_object(b.TIMELINE_ENTRY)),
        "do_dont": _object(b.DO_DONT, {"do": TEXTS, "dont": TEXTS}),
        "faq": _list_of(_object(b.FAQ_ITEM)),
        "contact": {"oneOf": [_object(b.CONTACT), {"type": ["string", "null"]}]},
        "acknowledgement": _object(b.ACKNOWLEDGEMENT, {"lines": TEXTS}),
        "appointment": _object(b.APPOINTMENT),
        "image": _object(b.IMAGE),
        "qr": _object(b.QR),
        "when_can_i": _object(b.WHEN_CAN_I, {"rows": _list_of(dict(_object(b.WAIT_ROW), oneOf=[{"required": ["hours"]}, {"required": ["days"]}]))}),
        "language_help": {"oneOf": [_object(b.LANGUAGE_HELP, {"languages": _list_of(LANGUAGE)}), {"type": ["string", "null"]}]},
        "include": {"type": "string", "pattern": "^snippets/[a-z0-9][a-z0-9_-]*$"},
    }
    missing = set(b.BLOCK_TYPES) ^ set(values)
    if missing:
        raise RuntimeError(f"JSON Schema out of step with the block types: {sorted(missing)}")
    return {"type": "array", "maxItems": MAX_ITEMS, "items": {"oneOf": [
        {"type": "object", "properties": {name: dict(value, description=(b.BLOCK_TYPES[name].__doc__ or "").strip())},
         "required": [name], "additionalProperties": False} for name, value in values.items()]}}


def schemas() -> dict[str, JsonSchema]:
    """Every schema by file name."""
    handout = dict(object_schema(HANDOUT, required=True), **{"$defs": {"blocks": blocks()}})
    snippet = dict(object_schema(SNIPPET, required=True), **{"$defs": {"blocks": blocks()}})
    # A kit may leave any key to the kit it extends; one that extends none must give every required key itself.
    brand = dict(object_schema(BRAND, required=False), **{"if": {"not": {"required": ["extends"]}}, "then": required_schema(BRAND)})
    out = {}
    for name, body in (("handout", handout), ("snippet", snippet), ("settings", SETTINGS.schema()), ("brand", brand)):
        out[f"{name}.schema.json"] = {"$schema": BASE, "title": f"handouts {name} file", **body}
    return out


def write(folder: Path) -> list[Path]:
    """Write every schema into folder; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, body in schemas().items():
        path = folder / name
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
