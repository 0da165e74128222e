"""Placeholders in content text: {settings.x}, {brand.x}, {patient.x}; '{{' is a literal brace."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from .errors import InputError, did_you_mean

BRAND_KEYS = ("name", "phone", "after_hours", "email", "website", "address", "booking_url")
PATIENT_KEYS = ("name", "date", "provider", "follow_up")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|\{")
_NAME = re.compile(r"^(settings|brand|patient)\.([a-z][a-z0-9_]*)$")
_FORMS = "{settings.name}, {brand.name}, {patient.name}, or '{{' for a literal brace"


class PlaceholderError(InputError):
    """A malformed or unknown placeholder."""


def names(text: str) -> list[tuple[str, str]]:
    """Every (namespace, key) used in a text; raises PlaceholderError on a malformed one."""
    found = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            raise PlaceholderError("unclosed '{'", _FORMS)
        parsed = _NAME.match(match.group(1).strip())
        if not parsed:
            raise PlaceholderError(f"malformed placeholder '{token}'", _FORMS)
        found.append((parsed.group(1), parsed.group(2)))
    return found


def check(text: str, settings: Iterable[str]) -> None:
    """Raise PlaceholderError for a malformed placeholder or an unknown name."""
    known = {"settings": tuple(settings), "brand": BRAND_KEYS, "patient": PATIENT_KEYS}
    for space, key in names(text):
        if key not in known[space]:
            choices = [f"{space}.{k}" for k in known[space]]
            raise PlaceholderError(f"unknown placeholder '{{{space}.{key}}}'",
                                   (f"one of: {', '.join(sorted(choices))}" if choices else f"no {space} are defined")
                                   + did_you_mean(f"{space}.{key}", choices))


def expand(text: str, lookup: Callable[[str, str], str]) -> str:
    """Replace every placeholder once (values are never expanded again)."""
    if "{" not in text and "}}" not in text:  # most texts: nothing _TOKEN could match
        return text

    def replace(match: re.Match[str]) -> str:
        token = match.group()
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        parsed = _NAME.match((match.group(1) or "").strip())
        if not parsed:
            raise PlaceholderError(f"malformed placeholder '{token}'", _FORMS)
        return lookup(parsed.group(1), parsed.group(2))
    return _TOKEN.sub(replace, text)
