"""The block model: one small typed class per block type, registered by name."""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import Callable, ClassVar, TypeVar

from . import images, inline, links, placeholders
from .compiled import dataclass
from .errors import did_you_mean, one_of
from .paths import PathError, resolve_inside
from .yamlcheck import Checker, Field, line_of
from .yamlsafe import Mapping, Node, Sequence, Text

TONES = ("info", "tip", "warning", "urgent")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
_DAYS = re.compile(r"^\s*(-?\d{1,3})\s*(?:[-–]\s*(-?\d{1,3})\s*)?$")


@dataclass
class ParseContext:
    """What block parsing needs besides the node: the checker, settings names and file locations."""

    check: Checker
    settings: tuple[str, ...]
    root: Path
    base: Path


@dataclass(frozen=True)
class Rich:
    """Validated content text: inline spans, the raw text and its line."""

    raw: str
    spans: tuple[inline.Span, ...]
    line: int
    where: str = ""


@dataclass
class Block:
    """Base of every block; line is where the block starts in its file."""

    line: int
    type_name: ClassVar[str] = ""

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Block | None":
        """Build the block from its YAML value, recording problems in ctx."""
        raise NotImplementedError

    def texts(self) -> list[Rich]:
        """Every piece of text in the block, in reading order."""
        return []

    def prose(self) -> list[Rich]:
        """The sentences a patient reads, without headings, titles and labels (for the reading grade)."""
        return self.texts()


BLOCK_TYPES: dict[str, type[Block]] = {}
B = TypeVar("B", bound=type[Block])


def block(name: str) -> Callable[[B], B]:
    """Register a block class under its YAML name."""
    def register(cls: B) -> B:
        if name in BLOCK_TYPES:
            raise RuntimeError(f"block type {name!r} registered twice")
        cls.type_name = name
        BLOCK_TYPES[name] = cls
        return cls
    return register


def rich(node: Node | None, where: str, ctx: ParseContext, line: int = 0, max_len: int = 5_000) -> Rich | None:
    """Check a text value, its placeholders and its inline markup."""
    value = ctx.check.text(node, where, line, max_len)
    if value is None:
        return None
    at = line_of(value, line)
    from .writing import shaping_problem

    shaping = shaping_problem(value)
    if shaping:
        ctx.check.error(value, where, shaping[0], shaping[1], at)
        return None
    try:
        placeholders.check(value, ctx.settings)
        spans = inline.parse(value)
    except (placeholders.PlaceholderError, inline.InlineError) as exc:
        ctx.check.error(value, where, exc.message, exc.expected, at)
        return None
    return Rich(str(value), tuple(spans), at, where)


def rich_list(node: Node | None, where: str, ctx: ParseContext, line: int = 0) -> list[Rich]:
    """A list of rich text items."""
    items = ctx.check.sequence(node, where, "a list of text items", line)
    out = []
    for i, item in enumerate(items):
        value = rich(item, f"{where}[{i}]", ctx, line_of(items, line))
        if value is not None:
            out.append(value)
    return out


def optional_rich(node: Mapping, key: str, where: str, ctx: ParseContext) -> Rich | None:
    """A rich text value when the key is present."""
    return rich(node[key], f"{where}.{key}", ctx, node.line_of(key)) if key in node else None


def parse_days(text: str) -> tuple[int, int] | None:
    """'3' → (3, 3), '1-2' → (1, 2), '-5' → (-5, -5); None when it is not a day range."""
    match = _DAYS.match(text)
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    if last < first or abs(first) > 400 or abs(last) > 400:
        return None
    return first, last


def check_days(node: Node | None, where: str, ctx: ParseContext, line: int) -> Text | None:
    """A day or day range, possibly with placeholders (checked again once filled)."""
    return _number_text(node, where, ctx, line, parse_days, "is not a day or a range of days",
                        "a number such as \"3\" or a range such as \"1-2\"")


def _number_text(node: Node | None, where: str, ctx: ParseContext, line: int, parse: Callable[[str], object], problem: str,
                 expected: str) -> Text | None:
    """A text that parse accepts, or with placeholders (checked again once they are filled)."""
    value = ctx.check.text(node, where, line)
    if value is None:
        return None
    try:
        placeholders.check(value, ctx.settings)
    except placeholders.PlaceholderError as exc:
        ctx.check.error(value, where, exc.message, exc.expected, line)
        return None
    if "{" not in value and parse(value) is None:
        ctx.check.error(value, where, f"'{value}' {problem}", expected, line)
        return None
    return value


@block("heading")
@dataclass
class Heading(Block):
    """A section heading; it is never left alone at the bottom of a page."""

    text: Rich = None  # type: ignore[assignment]

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Heading | None":
        text = rich(value, where, ctx, max_len=200)
        return cls(text.line, text) if text else None

    def texts(self) -> list[Rich]:
        return [self.text]

    def prose(self) -> list[Rich]:
        return []


@block("paragraph")
@dataclass
class Paragraph(Block):
    """A paragraph of text with inline bold, italic and links."""

    text: Rich = None  # type: ignore[assignment]

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Paragraph | None":
        text = rich(value, where, ctx)
        return cls(text.line, text) if text else None

    def texts(self) -> list[Rich]:
        return [self.text]


@block("bullets")
@dataclass
class Bullets(Block):
    """A bulleted list."""

    items: list[Rich] = field(default_factory=list)

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Bullets | None":
        items = rich_list(value, where, ctx)
        return cls(line_of(value), items) if items else None

    def texts(self) -> list[Rich]:
        return list(self.items)


@block("steps")
@dataclass
class Steps(Bullets):
    """A numbered list of steps."""


@dataclass(frozen=True)
class ChecklistItem:
    """One tick-box line, optionally due a number of days before treatment."""

    text: Rich
    days_before: Text | None = None


CHECKLIST_ITEM = {"text": Field("what to do", True), "days_before": Field("days before treatment day, e.g. \"5\"")}


@block("checklist")
@dataclass
class Checklist(Block):
    """Items with tick boxes for the patient."""

    items: list[ChecklistItem] = field(default_factory=list)

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Checklist | None":
        items = []
        for i, node in enumerate(ctx.check.sequence(value, where, "a list of items")):
            at = f"{where}[{i}]"
            if isinstance(node, Mapping):
                if ctx.check.mapping(node, at, CHECKLIST_ITEM) is None:
                    continue
                text = rich(node.get("text"), f"{at}.text", ctx, node.line)
                days = check_days(node["days_before"], f"{at}.days_before", ctx, node.line_of("days_before")) if "days_before" in node else None
                if text:
                    items.append(ChecklistItem(text, days))
            else:
                text = rich(node, at, ctx, line_of(value))
                if text:
                    items.append(ChecklistItem(text))
        return cls(line_of(value), items) if items else None

    def texts(self) -> list[Rich]:
        return [item.text for item in self.items]


CALLOUT = {"tone": Field(one_of(TONES), True), "title": Field("a short title", True),
           "text": Field("a sentence or two"), "items": Field("a list of points")}


@block("callout")
@dataclass
class Callout(Block):
    """A boxed note in one of four tones: info, tip, warning, urgent."""

    tone: str = "info"
    title: Rich = None  # type: ignore[assignment]
    text: Rich | None = None
    items: list[Rich] = field(default_factory=list)

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Callout | None":
        node = ctx.check.mapping(value, where, CALLOUT)
        if node is None:
            return None
        tone = ctx.check.choice(node.get("tone"), f"{where}.tone", TONES, node.line_of("tone")) if "tone" in node else None
        title = optional_rich(node, "title", where, ctx)
        text = optional_rich(node, "text", where, ctx)
        items = rich_list(node["items"], f"{where}.items", ctx, node.line_of("items")) if "items" in node else []
        if "text" not in node and "items" not in node:
            ctx.check.error(node, where, "has neither 'text' nor 'items'", "text, items or both")
        if tone is None or title is None:
            return None
        return cls(node.line, tone, title, text, items)

    def texts(self) -> list[Rich]:
        return [self.title] + ([self.text] if self.text else []) + self.items

    def prose(self) -> list[Rich]:
        return ([self.text] if self.text else []) + self.items


@dataclass(frozen=True)
class TimelineEntry:
    """One step of the healing timeline: days after treatment, a label, what happens."""

    days: Text
    label: Rich | None
    text: Rich


TIMELINE_ENTRY = {"days": Field("days after treatment: \"0\", \"3\" or \"1-2\"", True),
                  "label": Field("a label instead of 'Day N', e.g. 'Week 1'"), "text": Field("what happens", True)}


@block("timeline")
@dataclass
class Timeline(Block):
    """Relative days after treatment, which become dates when a sheet is personalised."""

    entries: list[TimelineEntry] = field(default_factory=list)

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Timeline | None":
        entries = []
        for i, node in enumerate(ctx.check.sequence(value, where, "a list of {days, text} entries")):
            at = f"{where}[{i}]"
            if ctx.check.mapping(node, at, TIMELINE_ENTRY, line_of(value)) is None:
                continue
            assert isinstance(node, Mapping)
            days = check_days(node.get("days"), f"{at}.days", ctx, node.line_of("days")) if "days" in node else None
            label = optional_rich(node, "label", at, ctx)
            text = optional_rich(node, "text", at, ctx)
            if days is not None and text is not None:
                entries.append(TimelineEntry(days, label, text))
        return cls(line_of(value), entries) if entries else None

    def texts(self) -> list[Rich]:
        out: list[Rich] = []
        for entry in self.entries:
            out += ([entry.label] if entry.label else []) + [entry.text]
        return out

    def prose(self) -> list[Rich]:
        return [entry.text for entry in self.entries]


WAIT_UNITS = ("hours", "days")
MAX_WAIT = {"hours": 24 * 400, "days": 400}
WAIT_ROW = {"what": Field("what the patient may do again, e.g. 'Wear makeup'", True),
            "hours": Field("hours after treatment, e.g. \"{settings.makeup_wait_hours}\""),
            "days": Field("days after treatment, e.g. \"{settings.actives_wait_days}\"")}
WHEN_CAN_I = {"title": Field("the heading of the first column, e.g. 'When can I…'"),
              "text": Field("a sentence above the table that says how to read it"),
              "rows": Field("a list of {what, hours} or {what, days}", True)}


def parse_wait(text: str, unit: str) -> int | None:
    """'48' → 48 when it is a whole number of hours or days within range; None otherwise."""
    value = text.strip()
    if not value.isdigit() or not value.isascii():
        return None
    number = int(value)
    return number if number <= MAX_WAIT[unit] else None


@dataclass(frozen=True)
class WaitRow:
    """One row of a 'when can I' table: what the patient may do again, and after how many hours or days."""

    what: Rich
    after: Text
    unit: str  # "hours" or "days"


@block("when_can_i")
@dataclass
class WhenCanI(Block):
    """A table of waiting periods after treatment: what, how long, and from which day (a date when personalised)."""

    rows: list[WaitRow] = field(default_factory=list)
    title: Rich | None = None
    text: Rich | None = None

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "WhenCanI | None":
        node = ctx.check.mapping(value, where, WHEN_CAN_I)
        if node is None:
            return None
        rows = []
        for i, row in enumerate(ctx.check.sequence(node.get("rows"), f"{where}.rows", "a list of {what, hours} or {what, days}",
                                                   node.line_of("rows")) if "rows" in node else []):
            at = f"{where}.rows[{i}]"
            if ctx.check.mapping(row, at, WAIT_ROW, node.line_of("rows")) is None:
                continue
            assert isinstance(row, Mapping)
            units = [unit for unit in WAIT_UNITS if unit in row]
            if len(units) != 1:
                ctx.check.error(row, at, "has both 'hours' and 'days'" if units else "has neither 'hours' nor 'days'",
                                "one of them, e.g. hours: \"24\" or days: \"5\"")
                continue
            unit = units[0]
            after = _check_wait(row[unit], f"{at}.{unit}", unit, ctx, row.line_of(unit))
            what = optional_rich(row, "what", at, ctx)
            if after is not None and what is not None:
                rows.append(WaitRow(what, after, unit))
        title, text = optional_rich(node, "title", where, ctx), optional_rich(node, "text", where, ctx)
        return cls(node.line, rows, title, text) if rows else None

    def texts(self) -> list[Rich]:
        return ([self.title] if self.title else []) + ([self.text] if self.text else []) + [row.what for row in self.rows]

    def prose(self) -> list[Rich]:
        return [self.text] if self.text else []


def _check_wait(node: Node | None, where: str, unit: str, ctx: ParseContext, line: int) -> Text | None:
    """A whole number of hours or days, possibly a placeholder (checked again once filled)."""
    return _number_text(node, where, ctx, line, lambda text: parse_wait(text, unit), f"is not a number of {unit}",
                        f"a whole number from 0 to {MAX_WAIT[unit]}, e.g. \"24\"")


DO_DONT = {"do": Field("a list of things to do", True), "dont": Field("a list of things to avoid", True),
           "do_title": Field("heading of the 'do' column"), "dont_title": Field("heading of the 'don't' column")}


@block("do_dont")
@dataclass
class DoDont(Block):
    """Two columns: what to do and what not to do."""

    do: list[Rich] = field(default_factory=list)
    dont: list[Rich] = field(default_factory=list)
    do_title: Rich | None = None
    dont_title: Rich | None = None

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "DoDont | None":
        node = ctx.check.mapping(value, where, DO_DONT)
        if node is None:
            return None
        do = rich_list(node["do"], f"{where}.do", ctx, node.line_of("do")) if "do" in node else []
        dont = rich_list(node["dont"], f"{where}.dont", ctx, node.line_of("dont")) if "dont" in node else []
        if not do or not dont:
            return None
        return cls(node.line, do, dont, optional_rich(node, "do_title", where, ctx), optional_rich(node, "dont_title", where, ctx))

    def texts(self) -> list[Rich]:
        return ([self.do_title] if self.do_title else []) + self.do + ([self.dont_title] if self.dont_title else []) + self.dont

    def prose(self) -> list[Rich]:
        return self.do + self.dont


FAQ_ITEM = {"q": Field("the question", True), "a": Field("the answer", True)}


@block("faq")
@dataclass
class Faq(Block):
    """Questions and answers."""

    items: list[tuple[Rich, Rich]] = field(default_factory=list)

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Faq | None":
        items = []
        for i, node in enumerate(ctx.check.sequence(value, where, "a list of {q, a} pairs")):
            at = f"{where}[{i}]"
            if ctx.check.mapping(node, at, FAQ_ITEM, line_of(value)) is None:
                continue
            assert isinstance(node, Mapping)
            q, a = optional_rich(node, "q", at, ctx), optional_rich(node, "a", at, ctx)
            if q and a:
                items.append((q, a))
        return cls(line_of(value), items) if items else None

    def texts(self) -> list[Rich]:
        return [t for pair in self.items for t in pair]


CONTACT = {"title": Field("the box title, e.g. 'Questions? Call us'"), "text": Field("a sentence above the numbers")}


@block("contact")
@dataclass
class Contact(Block):
    """A box with the clinic's phone numbers, email, website and address from the brand."""

    title: Rich | None = None
    text: Rich | None = None

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Contact | None":
        if isinstance(value, Text) and not value.strip():
            return cls(value.line)
        node = ctx.check.mapping(value, where, CONTACT)
        if node is None:
            return None
        return cls(node.line, optional_rich(node, "title", where, ctx), optional_rich(node, "text", where, ctx))

    def texts(self) -> list[Rich]:
        return [t for t in (self.title, self.text) if t]

    def prose(self) -> list[Rich]:
        return [self.text] if self.text else []


ACKNOWLEDGEMENT = {"text": Field("the statement the patient signs", True), "lines": Field("labels of the lines to sign, e.g. [Patient signature, Date]", True)}


@block("acknowledgement")
@dataclass
class Acknowledgement(Block):
    """A statement with signature and date lines."""

    text: Rich = None  # type: ignore[assignment]
    lines: list[Rich] = field(default_factory=list)

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Acknowledgement | None":
        node = ctx.check.mapping(value, where, ACKNOWLEDGEMENT)
        if node is None:
            return None
        text = optional_rich(node, "text", where, ctx)
        lines = rich_list(node["lines"], f"{where}.lines", ctx, node.line_of("lines")) if "lines" in node else []
        if len(lines) > 4:
            ctx.check.error(node, f"{where}.lines", f"has {len(lines)} lines", "at most 4 lines to sign")
            return None
        return cls(node.line, text, lines) if text and lines else None

    def texts(self) -> list[Rich]:
        return [self.text] + self.lines

    def prose(self) -> list[Rich]:
        return [self.text]


APPOINTMENT = {"title": Field("the box title, e.g. 'Your next appointment'")}


@block("appointment")
@dataclass
class Appointment(Block):
    """Fill-in lines for the next appointment (filled from --follow-up when personalised)."""

    title: Rich | None = None

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Appointment | None":
        node = ctx.check.mapping(value, where, APPOINTMENT)
        if node is None:
            return None
        return cls(node.line, optional_rich(node, "title", where, ctx))

    def texts(self) -> list[Rich]:
        return [self.title] if self.title else []

    def prose(self) -> list[Rich]:
        return []


IMAGE = {"file": Field("a PNG, JPEG or SVG file, relative to this file", True), "alt": Field("what the image shows, for people who cannot see it", True),
         "caption": Field("a caption printed under the image"), "width": Field("printed width as a share of the text width, e.g. \"60%\"")}


@block("image")
@dataclass
class Image(Block):
    """A picture with alt text and an optional caption."""

    file: Path = Path()
    alt: Rich = None  # type: ignore[assignment]
    caption: Rich | None = None
    width: float = 0.6

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Image | None":
        node = ctx.check.mapping(value, where, IMAGE)
        if node is None:
            return None
        path = None
        name = ctx.check.text(node.get("file"), f"{where}.file", node.line) if "file" in node else None
        if name is not None:
            try:
                path = resolve_inside(ctx.root, ctx.base, name, IMAGE_SUFFIXES)
                images.load(path)
            except (PathError, images.ImageError) as exc:
                ctx.check.error(name, f"{where}.file", exc.message, exc.expected)
                path = None
        width = 0.6
        if "width" in node:
            raw = ctx.check.text(node["width"], f"{where}.width", node.line_of("width"))
            match = re.fullmatch(r"\s*(\d{1,3})\s*%\s*", raw or "")
            if raw is not None and (not match or not 10 <= int(match.group(1)) <= 100):
                ctx.check.error(raw, f"{where}.width", f"'{raw}' is not a width", "a share of the text width from 10% to 100%, e.g. \"60%\"")
                return None
            width = int(match.group(1)) / 100 if match else width
        alt = optional_rich(node, "alt", where, ctx)
        if alt is not None and path is not None and alt.raw.strip().casefold() in (path.name.casefold(), path.stem.casefold()):
            # A screen reader would read the file name out instead of saying what the picture shows.
            ctx.check.error(node["alt"], f"{where}.alt", f"the alt text is the picture's file name '{alt.raw.strip()}'",
                            "words that say what the picture shows, for people who cannot see it", alt.line)
            return None
        if path is None or alt is None:
            return None
        return cls(node.line, path, alt, optional_rich(node, "caption", where, ctx), width)

    def texts(self) -> list[Rich]:
        # The alt text is printed where there is no caption and goes into the PDF for screen readers: its glyphs count too.
        return [self.alt] + ([self.caption] if self.caption else [])

    def prose(self) -> list[Rich]:
        return [self.caption] if self.caption else [self.alt]


QR = {"url": Field("an https link, e.g. \"{brand.booking_url}\"", True), "caption": Field("a line under the code")}


@block("qr")
@dataclass
class Qr(Block):
    """A QR code for a link, with a caption and the link printed for people without a phone."""

    url: Text = None  # type: ignore[assignment]
    caption: Rich | None = None

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Qr | None":
        node = ctx.check.mapping(value, where, QR)
        if node is None:
            return None
        url = ctx.check.text(node.get("url"), f"{where}.url", node.line, max_len=500) if "url" in node else None
        if url is not None:
            expected = "an https:, mailto: or tel: link"
            try:
                placeholders.check(url, ctx.settings)
                problem = inline.check_url(url)
            except placeholders.PlaceholderError as exc:
                problem, expected = exc.message, exc.expected or expected
            if not problem and "{" not in url:
                problem, expected = links.qr_problem(url), f"a link of at most {links.QR_MAX_BYTES} characters"
            if problem:
                ctx.check.error(url, f"{where}.url", problem, expected)
                url = None
        caption = optional_rich(node, "caption", where, ctx)
        return cls(node.line, url, caption) if url is not None else None

    def texts(self) -> list[Rich]:
        return [self.caption] if self.caption else []

    def prose(self) -> list[Rich]:
        return []


LANGUAGE_HELP = {"title": Field("a title above the list, e.g. 'Language assistance'"),
                 "languages": Field("the languages to list, e.g. [es, zh-Hant, vi] (without it, the brand's language_help list)")}


@block("language_help")
@dataclass
class LanguageHelp(Block):
    """Free language assistance, each language in its own words and script, with the clinic's phone number."""

    title: Rich | None = None
    languages: tuple[str, ...] = ()  # empty: the brand's list

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "LanguageHelp | None":
        from .i18n import language_problem

        if isinstance(value, Text) and not value.strip():
            return cls(value.line)
        node = ctx.check.mapping(value, where, LANGUAGE_HELP)
        if node is None:
            return None
        languages = []
        for tag in ctx.check.text_list(node["languages"], f"{where}.languages", node.line_of("languages")) if "languages" in node else []:
            wrong = language_problem(tag)
            if wrong:
                ctx.check.error(tag, f"{where}.languages", wrong[0], wrong[1], node.line_of("languages"))
            else:
                languages.append(str(tag))
        return cls(node.line, optional_rich(node, "title", where, ctx), tuple(dict.fromkeys(languages)))

    def texts(self) -> list[Rich]:
        return [self.title] if self.title else []

    def prose(self) -> list[Rich]:
        return []


@block("include")
@dataclass
class Include(Block):
    """A reference to a snippet, replaced by the snippet's blocks when content is loaded."""

    name: str = ""

    @classmethod
    def parse(cls, value: Node, where: str, ctx: ParseContext) -> "Include | None":
        name = ctx.check.text(value, where, max_len=200)
        if name is None:
            return None
        if not re.fullmatch(r"snippets/[a-z0-9][a-z0-9_-]*", name.strip()):
            ctx.check.error(name, where, f"'{name}' is not a snippet name", "snippets/NAME, e.g. snippets/when-to-call")
            return None
        return cls(name.line, name.strip())


def parse_blocks(value: Node | None, where: str, ctx: ParseContext, line: int = 0) -> list[Block]:
    """Parse an ordered list of one-key block mappings."""
    out: list[Block] = []
    items = ctx.check.sequence(value, where, "a list of blocks, each like '- paragraph: text'", line)
    for i, node in enumerate(items):
        at = f"{where}[{i}]"
        if not isinstance(node, Mapping) or len(node) != 1:
            got = f"{len(node)} keys ({', '.join(node)})" if isinstance(node, Mapping) else (
                "a list" if isinstance(node, Sequence) else f"'{str(node)[:40]}'")
            ctx.check.error(node, at, f"a block must have exactly one type, got {got}", "one of: " + ", ".join(BLOCK_TYPES), line_of(node, line_of(items)))
            continue
        (name, body), = node.items()
        cls = BLOCK_TYPES.get(name)
        if cls is None:
            ctx.check.error(node, at, f"unknown block type '{name}'", one_of(BLOCK_TYPES) + did_you_mean(name, BLOCK_TYPES), node.line_of(name))
            continue
        if body.line == 0:
            body.line = node.line
        parsed = cls.parse(body, f"{at}.{name}", ctx)
        if parsed is not None:
            parsed.line = node.line_of(name)
            out.append(parsed)
    return out
