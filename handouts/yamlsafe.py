"""Safe YAML loading: every scalar is text, every node knows its line.

The pure-Python PyYAML parser is driven event by event and the tree is built
without recursion, so deep nesting is stopped by a depth cap instead of
crashing.  Anchors, aliases, tags, duplicate keys and several documents are
refused: content is plain data written by people, and each of those is either
a mistake or an attack (an alias bomb expands to gigabytes).
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, Union

from .errors import InputError, Problems

if TYPE_CHECKING:
    from yaml import events

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

# C0/C1 controls, line separators, a stray BOM and the invisible bidi controls that reorder text (Trojan Source).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]")
_CORE_TAG = "tag:yaml.org,2002:"


class Text(str):
    """A YAML scalar: always a string, with the line it came from."""

    line: int = 0


class Mapping(dict[str, "Node"]):
    """A YAML mapping with its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of a key, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class Sequence(list["Node"]):
    """A YAML sequence with its line."""

    line: int = 0


Node = Union[Text, Mapping, Sequence]


class Kept(Protocol):
    """The trees of files read before, by the files' bytes (`yamlcache`)."""

    def get(self, data: bytes) -> Node | None:
        """The tree of a file with these bytes, or None."""

    def put(self, data: bytes, tree: Node) -> None:
        """Keep the tree of a file with these bytes."""


class YamlError(InputError):
    """A file could not be read as YAML; line is 1-based or None."""

    def __init__(self, line: int | None, message: str, expected: str | None = None):
        super().__init__(message, expected)
        self.line = line


def load_file(path: Path, display: str, problems: Problems, root: Path | None = None, kept: Kept | None = None) -> Node | None:
    """Load one YAML file (which must lie inside root, when given); record problems (with lines) and return None on failure.
    With kept, a file read before is taken from the trees kept, and a new one is added to them."""
    try:
        outside = root is not None and Path(root).resolve() not in Path(path).resolve().parents
    except (OSError, RuntimeError):  # a link loop: reading it below reports "Too many levels of symbolic links"
        outside = False
    if outside:
        problems.add(None, "file points outside the content folder (a symbolic link?)", "a file inside the content folder")
        return None
    try:
        return _load(path, kept)
    except YamlError as exc:
        problems.add(exc.line, exc.message, exc.expected)
        return None
    except OSError as exc:
        problems.add(None, f"cannot read file: {exc.strerror or exc}")
        return None


def load_text(text: str) -> Node:
    """Load YAML from a string (raises YamlError)."""
    _check_text(text)
    return _build(text)


def _load(path: Path, kept: Kept | None = None) -> Node:
    data = read_capped(path, MAX_BYTES)
    known = kept.get(data) if kept is not None else None
    if known is not None:
        return known
    wide = wide_encoding(data)
    if wide:
        raise YamlError(None, f"file is not UTF-8: it is {wide}", "save the file as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(line, f"file is not UTF-8: byte 0x{data[exc.start]:02X} cannot be decoded",
                        "save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    tree = load_text(text)
    if kept is not None:
        kept.put(data, tree)
    return tree


def wide_encoding(data: bytes) -> str | None:
    """'UTF-16 text …' or 'UTF-32 text …' when the bytes are that (editors on Windows save it), else None.

    Without a byte-order mark, UTF-16 text in Latin letters decodes as valid UTF-8 full of NUL characters: told apart
    by where the zero bytes fall.
    """
    for mark, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(mark):
            return f"{name} text (it starts with a {name} byte-order mark)"
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        lanes = [sample[i::width].count(0) for i in range(width)]
        full = len(sample) // width
        text_lane = next((i for i, zeros in enumerate(lanes) if zeros < full // 4), None)
        if text_lane is not None and all(zeros >= full * 3 // 4 for i, zeros in enumerate(lanes) if i != text_lane):
            order = "little-endian" if text_lane == 0 else "big-endian"
            return f"{name} text ({order}, without a byte-order mark)"
    return None


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def read_capped(path: Path, cap: int) -> bytes:
    """The bytes of a regular file of at most cap bytes (raises YamlError otherwise).

    The file is opened without blocking (a pipe would wait for a writer forever) and
    checked on the open descriptor; at most cap + 1 bytes are read, because a device
    such as /dev/zero reports a size of 0 and never ends.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "a special file")
            raise YamlError(None, f"this is {kind}, not a regular file", "a YAML text file")
        if info.st_size > cap:
            raise YamlError(None, f"file is too large: {info.st_size:,} bytes", f"at most {cap:,} bytes")
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(cap + 1)
    finally:
        os.close(fd)
    if len(data) > cap:
        raise YamlError(None, f"file is too large: more than {cap:,} bytes", f"at most {cap:,} bytes")
    return data


def _check_text(text: str) -> None:
    if not text.strip():
        raise YamlError(None, "file is empty", "a mapping of keys and values")
    for number, line in enumerate(text.split("\n"), 1):
        bad = _CONTROL.search(line.rstrip("\r"))
        if bad:
            raise _control_error(number, bad.group(), "in file")
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            raise YamlError(number, "tab used for indentation", "spaces")


def _control_error(line: int, char: str, where: str) -> YamlError:
    name = unicodedata.name(char, "")
    label = f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"
    return YamlError(line, f"control character {label} {where}", "printable text only; remove it")


class _Events(Protocol):
    """A YAML parser as an event source: PyYAML's own, or libyaml's."""

    def get_event(self) -> events.Event | None: ...


@lru_cache(maxsize=1)
def _parsers() -> tuple[Any, Any]:
    """(libyaml's parser or None, PyYAML's pure-Python parser), imported when a text is first parsed."""
    import yaml

    class EventSource(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
        """PyYAML's pure-Python parser alone: it yields events and constructs no objects."""

        def __init__(self, text: str):
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)

        def dispose(self) -> None:
            """Drop parser state (mirrors yaml.Loader.dispose)."""
            self.states = []
            self.state = None

    try:
        from yaml._yaml import CParser  # libyaml: the same events as PyYAML's parser, several times faster
    except ImportError:  # PyYAML built without libyaml
        return None, EventSource
    return CParser, EventSource


def _build(text: str) -> Node:
    """The tree of a YAML text: libyaml parses it; a text libyaml refuses is parsed again by PyYAML, for its exact message."""
    import yaml

    fast_source, event_source = _parsers()
    if fast_source is not None and "\t" not in text:  # PyYAML refuses tabs in places libyaml allows: keep its verdict
        fast = fast_source(text)
        try:
            return _walk(fast)
        except (yaml.YAMLError, YamlError):
            pass
        finally:
            fast.dispose()
    loader = event_source(text)
    try:
        return _walk(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f" at column {mark.column + 1}" if mark else ""
        what = (exc.problem or exc.context or "invalid YAML").strip()
        raise YamlError(line, f"YAML syntax error: {what}{column}", "valid YAML; check indentation, colons and quotes") from None
    except yaml.YAMLError as exc:
        raise YamlError(None, f"YAML syntax error: {exc}", "valid YAML") from None
    finally:
        loader.dispose()


def _walk(loader: _Events) -> Node:
    from yaml import events

    root: list[Node] = []
    stack: list[Node] = []
    pending_key: list[Text | None] = []
    documents = 0
    scalar, mapping_start, sequence_start = events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    while True:
        event = loader.get_event()
        if event is None:
            break
        kind = type(event)  # both parsers make these classes exactly: one look-up per event, the commonest first
        if kind is scalar or kind is mapping_start or kind is sequence_start:
            line = event.start_mark.line + 1 if event.start_mark else 0
            if event.anchor is not None:  # type: ignore[attr-defined]  # every node event has one
                raise YamlError(line, f"anchor '&{event.anchor}' is not allowed", "write each value out in full; use 'include' to reuse blocks")  # type: ignore[attr-defined]
            tag = event.tag  # type: ignore[attr-defined]
            if tag is not None and tag != "!":
                shown = "!!" + tag[len(_CORE_TAG):] if tag.startswith(_CORE_TAG) else tag
                raise YamlError(line, f"tag '{shown}' is not allowed", "plain values without '!' tags")
            if kind is scalar:
                value = event.value  # type: ignore[attr-defined]
                bad = _CONTROL.search(value)  # escapes such as "\0" or "\u202E" in quoted text
                if bad:
                    raise _control_error(line, bad.group(), "in a value (written as an escape)")
                node: Node = Text(unicodedata.normalize("NFC", value))
            elif kind is mapping_start:
                node = Mapping()
                node.key_lines = {}
            else:
                node = Sequence()
            node.line = line
            _attach(node, stack, pending_key, root, line)
            if kind is not scalar:
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(line, f"nesting is deeper than {MAX_DEPTH} levels", f"at most {MAX_DEPTH} levels of nesting")
                stack.append(node)
                pending_key.append(None)
            continue
        if kind in ends:
            stack.pop()
            pending_key.pop()
            continue
        if kind is events.StreamEndEvent:
            break
        line = event.start_mark.line + 1 if event.start_mark else 0
        if kind is events.StreamStartEvent or kind is events.DocumentEndEvent:
            continue
        if kind is events.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlError(line, "more than one YAML document in the file", "a single document; remove the '---' line")
            continue
        if kind is events.AliasEvent:
            raise YamlError(line, f"alias '*{event.anchor}' is not allowed", "write the value out in full")  # type: ignore[attr-defined]
        raise YamlError(line, f"unexpected YAML event {kind.__name__}")  # pragma: no cover - PyYAML has no other events
    if not root:
        raise YamlError(None, "file is empty", "a mapping of keys and values")
    return root[0]


def _attach(node: Node, stack: list[Node], pending_key: list[Text | None], root: list[Node], line: int) -> None:
    if not stack:
        root.append(node)
        return
    parent = stack[-1]
    if isinstance(parent, Sequence):
        parent.append(node)
        return
    assert isinstance(parent, Mapping)
    key = pending_key[-1]
    if key is None:
        if not isinstance(node, Text):
            raise YamlError(line, "a key must be plain text", "key: value")
        if node in parent:
            raise YamlError(line, f"duplicate key '{node}', already on line {parent.key_lines[node]}", "each key once")
        pending_key[-1] = node
        return
    parent[str(key)] = node
    parent.key_lines[str(key)] = key.line
    pending_key[-1] = None
