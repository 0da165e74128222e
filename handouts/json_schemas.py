"""JSON Schemas of the YAML files, so an editor can autocomplete keys and underline mistakes."""

from __future__ import annotations

import json
from pathlib import Path

from . import blocks as b
from .brand import COLORS, CONTACT, FIELDS as BRAND_FIELDS, FONTS, LOCALISED, PAGE_SIZES
from .content import HANDOUT, KINDS, SETTING, SNIPPET
from .i18n import LANGUAGES
from .yamlcheck import Field

TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT, "minItems": 1}


def _object(fields: dict[str, Field], overrides: dict[str, dict] | None = None) -> dict:
    properties = {}
    for name, spec in fields.items():
        properties[name] = dict((overrides or {}).get(name, TEXT), description=spec.doc)
    required = [name for name, spec in fields.items() if spec.required]
    body: dict = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        body["required"] = required
    return body


def _blocks() -> dict:
    rich = TEXT
    checklist_item = {"oneOf": [rich, _object(b.CHECKLIST_ITEM)]}
    values = {
        "heading": rich,
        "paragraph": rich,
        "bullets": TEXTS,
        "steps": TEXTS,
        "checklist": {"type": "array", "items": checklist_item, "minItems": 1},
        "callout": _object(b.CALLOUT, {"tone": {"enum": list(b.TONES)}, "items": TEXTS}),
        "timeline": {"type": "array", "items": _object(b.TIMELINE_ENTRY), "minItems": 1},
        "do_dont": _object(b.DO_DONT, {"do": TEXTS, "dont": TEXTS}),
        "faq": {"type": "array", "items": _object(b.FAQ_ITEM), "minItems": 1},
        "contact": {"oneOf": [_object(b.CONTACT), {"type": ["string", "null"]}]},
        "acknowledgement": _object(b.ACKNOWLEDGEMENT, {"lines": TEXTS}),
        "appointment": _object(b.APPOINTMENT),
        "image": _object(b.IMAGE),
        "qr": _object(b.QR),
        "when_can_i": _object(b.WHEN_CAN_I, {"rows": {"type": "array", "minItems": 1, "items": dict(
            _object(b.WAIT_ROW), oneOf=[{"required": ["hours"]}, {"required": ["days"]}])}}),
        "include": {"type": "string", "pattern": "^snippets/[a-z0-9][a-z0-9_-]*$"},
    }
    missing = set(b.BLOCK_TYPES) ^ set(values)
    if missing:
        raise RuntimeError(f"JSON Schema out of step with the block types: {sorted(missing)}")
    return {"type": "array", "items": {"oneOf": [
        {"type": "object", "properties": {name: dict(value, description=(b.BLOCK_TYPES[name].__doc__ or "").strip())},
         "required": [name], "additionalProperties": False} for name, value in values.items()]}}


def schemas() -> dict[str, dict]:
    """Every schema by file name."""
    base = "https://json-schema.org/draft/2020-12/schema"
    blocks = _blocks()
    ref = {"$ref": "#/$defs/blocks"}  # 'blocks' and 'card' share one definition
    handout = _object(HANDOUT, {"kind": {"enum": list(KINDS)}, "language": {"enum": list(LANGUAGES)}, "sources": TEXTS, "blocks": ref,
                                "card": ref})
    handout["$defs"] = {"blocks": blocks}
    snippet = _object(SNIPPET, {"language": {"enum": list(LANGUAGES)}, "blocks": blocks})
    settings = {"type": "object", "additionalProperties": _object(SETTING), "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"}}
    brand = _object(BRAND_FIELDS, {
        "colors": _object(COLORS, {k: {"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"} for k in COLORS}),
        "fonts": _object(FONTS), "contact": _object(CONTACT), "page_size": {"enum": list(PAGE_SIZES)},
        "languages": {"type": "array", "items": {"enum": list(LANGUAGES)}}, "settings": {"type": "object", "additionalProperties": TEXT},
        "date_format": {"enum": ["mdy", "dmy"]},
        **{key: {"oneOf": [TEXT, {"type": "object", "properties": {lang: TEXT for lang in LANGUAGES}, "additionalProperties": False}]}
           for key in LOCALISED}})
    out = {}
    for name, body in (("handout", handout), ("snippet", snippet), ("settings", settings), ("brand", brand)):
        out[f"{name}.schema.json"] = {"$schema": base, "title": f"handouts {name} file", **body}
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
