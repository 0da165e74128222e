"""BCP 47 language tags: well-formed, in their usual case, and the fallback chain a lookup walks (pt-BR, then pt)."""

from __future__ import annotations

import re

# language (2–3 letters, or 5–8), then optional script (4 letters), region (2 letters or 3 digits), variants,
# extensions and a private-use part; RFC 5646 section 2.1, without extlang and grandfathered tags.
_TAG = re.compile(r"""^(?P<language>[A-Za-z]{2,3}|[A-Za-z]{5,8})
                      (?:-(?P<script>[A-Za-z]{4}))?
                      (?:-(?P<region>[A-Za-z]{2}|\d{3}))?
                      (?P<rest>(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*
                               (?:-[A-WYZa-wyz\d](?:-[A-Za-z\d]{2,8})+)*
                               (?:-[Xx](?:-[A-Za-z\d]{1,8})+)?)$""", re.VERBOSE)
EXAMPLES = "a BCP 47 language tag such as en, es, zh-Hans, zh-Hant or pt-BR"


class TagError(ValueError):
    """A language tag that is not well-formed, with the tag it was probably meant to be."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message, self.expected = message, expected


def canonical(tag: str) -> str:
    """The tag in its usual case (zh-hant → zh-Hant, pt-br → pt-BR); raise TagError when it is not well-formed."""
    match = _TAG.match(tag.replace("_", "-"))
    if not match or not tag.isascii():
        raise TagError(f"'{tag}' is not a language tag", EXAMPLES)
    parts = [match["language"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    fixed = "-".join(parts) + match["rest"].lower()
    if "_" in tag:
        raise TagError(f"'{tag}' is not a language tag: its parts are joined by '-', not '_'", f"'{fixed}'")
    return fixed


def check(tag: str) -> str:
    """The tag itself when it is well-formed and in its usual case; raise TagError otherwise."""
    fixed = canonical(tag)
    if fixed != tag:
        raise TagError(f"language tag '{tag}' is not written in its usual case", f"'{fixed}'")
    return tag


def lookup_chain(tag: str) -> list[str]:
    """The tag and each shorter tag a lookup falls back to, longest first: zh-Hant-TW, zh-Hant, zh (RFC 4647 lookup)."""
    parts = tag.split("-")
    chain = []
    while parts:
        if len(parts[-1]) > 1:  # a single-letter subtag (an extension's singleton) never ends a fallback tag
            chain.append("-".join(parts))
        parts.pop()
    return chain
