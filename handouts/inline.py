"""The small inline markup of paragraphs (**bold**, *italic*, [text](url)); all else is literal."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable
from urllib.parse import urlsplit

from .compiled import dataclass
from .errors import InputError
from .links import uri

SCHEMES = ("https", "mailto", "tel")
# A link target may hold one level of balanced brackets, so "javascript:alert(1)" is seen (and refused) as a link.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_ESCAPABLE = "*[]()\\"
_MARKUP = re.compile(r"[\\*\[]")  # the only characters that can start markup


def escape(text: str) -> str:
    """&, < and > as entities (xml.sax.saxutils.escape, without the import of urllib.request and http it makes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class InlineError(InputError):
    """Inline markup that cannot be read."""


@dataclass(frozen=True)
class Span:
    """A run of literal text with its emphasis and optional link target."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


def parse(text: str) -> list[Span]:
    """Split text into spans; raise InlineError for unclosed emphasis or a bad link."""
    spans: list[Span] = []
    buf: list[str] = []
    bold = italic = False
    i = 0

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold, italic))
            buf.clear()

    while i < len(text):
        found = _MARKUP.search(text, i)
        if found is None:  # plain text to the end: one piece, not one character at a time
            buf.append(text[i:])
            break
        if found.start() > i:
            buf.append(text[i:found.start()])
            i = found.start()
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            flush()
            bold = not bold
            i += 2
            continue
        if char == "*":
            flush()
            italic = not italic
            i += 1
            continue
        if char == "[":
            link = _LINK.match(text, i)
            if link:
                flush()
                problem = check_url(link.group(2))
                if problem:
                    raise InlineError(problem, f"a link starting with {', '.join(s + ':' for s in SCHEMES)}")
                spans.append(Span(link.group(1), bold, italic, link.group(2)))
                i = link.end()
                continue
        buf.append(char)
        i += 1
    flush()
    if bold:
        raise InlineError("'**' opens bold text that is never closed", "a closing '**', or '\\*' for a literal asterisk")
    if italic:
        raise InlineError("'*' opens italic text that is never closed", "a closing '*', or '\\*' for a literal asterisk")
    return spans


def check_url(url: str) -> str | None:
    """Why a link target is not allowed, or None when it is fine."""
    if "{" in url:
        return None  # checked again once placeholders are filled
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return f"link '{url[:60]}' is not allowed"
    if scheme == "https" and not parts.netloc:
        return f"link '{url[:60]}' has no host"
    if scheme in ("mailto", "tel") and not parts.path:
        return f"link '{url[:60]}' is empty"
    return None


def fill(spans: list[Span], fill_text: Callable[[str], str]) -> list[Span]:
    """Spans with placeholders filled in their text and link targets."""
    out = []
    for span in spans:
        href = fill_text(span.href) if span.href else None
        if href:
            problem = check_url(href)
            if problem:
                raise InlineError(problem, f"a link starting with {', '.join(s + ':' for s in SCHEMES)}")
        text = fill_text(span.text)
        out.append(span if text == span.text and href == span.href else replace(span, text=text, href=href))  # a span is frozen
    return out


def plain(spans: list[Span]) -> str:
    """The text of spans without any markup."""
    return "".join(span.text for span in spans)


def to_markup(spans: list[Span], link_color: str) -> str:
    """reportlab paragraph markup for spans, with every character of text escaped."""
    parts = []
    for span in spans:
        piece = escape(span.text)
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.bold:
            piece = f"<b>{piece}</b>"
        if span.href:
            href = escape(uri(span.href)).replace('"', "&quot;")
            piece = f'<a href="{href}" color="{link_color}"><u>{piece}</u></a>'
        parts.append(piece)
    return "".join(parts)
