"""Content, settings, snippet and brand files loaded and validated before in this process, kept so that a long-lived
process (the desk, a build worker) loading an unchanged tree again neither parses nor validates those files again.

An entry is found by what its loader was given: which loader, the file's path as given and as shown in messages, and
the loader's other inputs (content folder, language and kind, the settings' names). It is used only when the file
still has the same real path and the same bytes as when it was kept, and every file its validation looked at through
`paths.resolve_inside` (pictures, logo, fonts) still resolves to the same real file with the same bytes.

Whether the bytes are the same is told as git's index tells it, without reading the file: each file is kept with its
version (`files.version`: device, inode, size, modification and status-change times) as `stat` gave it before the file
was read, beside the sha256 of the bytes that were read, and the time just before that `stat`. A file whose version is
the same now holds the same bytes, except:

- a file whose modification or status-change time is not older than that time by RACY_NS, or RACY_COARSE_NS on a
  file system that keeps whole seconds ("racy": it may be written again within the same tick of the file system's
  clock, leaving the same times), is read and hashed again; found the same, it is kept with its version of now and the
  time of this check, so that it is read again only while racy;
- the status-change time is set by the kernel on every write and on every change of the other times, and cannot be
  set by a program, so a file written again and given back its old size and modification time still differs;
- a file whose version differs is read and hashed again: the same bytes (a file touched, or copied back) still count.

It assumes what git assumes: file times come from this machine's clock, which does not step back. On a miss a file is
read once, by its loader: its sha256 is the one `yamlcache` takes of the bytes it parsed (`read`); a file whose loader
did not say what it read is hashed after its validation, or before it when racy.

What is kept is the result pickled together with the problems (warnings) found on the way: each load gets objects of
its own, so a caller that changes them changes nothing the next load gets, and the same warnings at the same lines. A
file with an error is not kept. A file is kept from its second load on (the first only notes it), so a process that
loads each file once (a cold `generate.py handout`) pays nothing for pickling. A layout named in a kept file must still
be registered. Patient files never come here (`patient` reads them itself). Bounded: MAX_ENTRIES entries, MAX_BYTES
of pickled results, the least recently used dropped first.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Callable, Hashable, Iterable, Iterator, TypeVar, cast

from .compiled import dataclass
from .errors import ERROR, Problem, Problems
from .files import last_written, version_of

T = TypeVar("T")
MAX_ENTRIES = 4096
MAX_BYTES = 8 * 1024 * 1024
RACY_NS = 100_000_000  # file times finer than a second are the kernel clock's, at most a tick (10 ms or less) behind
RACY_COARSE_NS = 2_000_000_000  # times in whole seconds come from a file system that rounds them down (HFS+ 1 s, FAT 2 s)
_MAX_FILE = 32 * 1024 * 1024  # a file larger than this is never kept (the loaders refuse far smaller ones)
_now = time.time_ns  # the clock file times are taken from (tests move it)


@dataclass(frozen=True)
class _Seen:
    """A file as its validation found it: its real path, its version, the sha256 of its bytes, and the time just before
    that version was taken."""

    real: str
    version: tuple[int, ...]
    digest: bytes
    checked: int


@dataclass(frozen=True)
class _Look:
    """A file a validation looked at: its version then, the time just before, and its sha256 when taken then (racy)."""

    name: str
    version: tuple[int, ...] | None
    checked: int
    digest: bytes | None


@dataclass
class _Entry:
    file: _Seen
    looked_at: tuple[tuple[str, _Seen], ...]  # (path as resolved by paths.resolve_inside, what it was), validation's other files
    layouts: tuple[str, ...]  # layout names the file chose, which must still be registered
    kept: bytes | None  # the pickled (result, problems); None after the first load


class _Watch:
    """What the validation running now looked at (`looked_at`) and the sha256 of the files it read (`read`)."""

    def __init__(self) -> None:
        self.looks: list[_Look] = []
        self.digests: dict[str, bytes | None] = {}  # None: read twice, with different bytes


_entries: OrderedDict[tuple[Hashable, ...], _Entry] = OrderedDict()
_size = 0
_lock = threading.Lock()
_watching: ContextVar[tuple[_Watch, ...]] = ContextVar("watching", default=())
hits = 0  # loads answered from what was kept (tests count them)


def load(loader: str, path: Path, inputs: tuple[Hashable, ...], problems: Problems, work: Callable[[], T | None],
         layouts: Callable[[T], Iterable[str | None]] = lambda _value: ()) -> T | None:
    """`work()` (which loads and validates the file at path, recording its problems), or the result it gave before for
    the same file, bytes and inputs, with the same problems recorded again."""
    global hits
    key = (loader, str(path), problems.path, inputs)
    name = str(path)
    checked = _now()
    now = _state(name)
    entry = _entries.get(key) if now is not None else None
    if entry is not None and entry.kept is not None and now is not None:
        file = _same(entry.file, now, checked)
        others = _still(entry, checked) if file is not None else None
        if file is not None and others is not None:
            with _lock:
                if key in _entries:
                    _entries.move_to_end(key)
                    entry.file, entry.looked_at = file, others
            kept_value, kept_found = cast(tuple[T, list[Problem]], pickle.loads(entry.kept))
            problems.items += kept_found
            for watcher in _watching.get():
                watcher.looks += [_Look(other, seen.version, seen.checked, seen.digest) for other, seen in others]
            hits += 1
            return kept_value
    # Racy: a write during the validation may leave the same version, so the bytes are hashed before it too.
    before = _digest(now[0]) if now is not None and _racy(now[1], checked) else None
    watch = _Watch()
    token = _watching.set(_watching.get() + (watch,))
    count = len(problems.items)
    try:
        result = work()
    finally:
        _watching.reset(token)
    found = problems.items[count:]
    if result is None or now is None or any(p.severity == ERROR for p in found) or _state(name) != now:
        _drop(key)
        return result
    value: T = result
    file = _kept_as(now, checked, watch.digests.get(name, b""), before)
    others = _looked_at(watch.looks)
    if file is None or others is None:
        _drop(key)
        return value
    chosen = tuple(layout for layout in layouts(value) if layout)
    again = entry is not None and entry.file.real == file.real and entry.file.digest == file.digest
    kept = _pickled((value, found)) if again else None
    _put(key, _Entry(file, others, chosen, kept))
    return value


def _kept_as(now: tuple[str, tuple[int, ...]], checked: int, read: bytes | None, before: bytes | None) -> _Seen | None:
    """The file as kept, its version unchanged since `checked`: with the sha256 its loader read (read; b"" when it said
    none, None when it read two different versions), else the one taken before the validation, else one taken now."""
    if read is None or (read and before is not None and read != before):
        return None  # written during the validation
    digest = read or before or (None if _racy(now[1], checked) else _digest(now[0]))
    return _Seen(now[0], now[1], digest, checked) if digest is not None else None


def _looked_at(looks: list[_Look]) -> tuple[tuple[str, _Seen], ...] | None:
    """What each file the validation looked at was, or None when one is unreadable or was written since it was first
    looked at."""
    out: dict[str, _Seen] = {}
    for look in sorted(looks, key=lambda each: each.checked):
        first = out.get(look.name)
        if first is not None:
            if look.version != first.version or (look.digest is not None and look.digest != first.digest):
                return None
            continue
        now = _state(look.name)
        if look.version is None or now is None or now[1] != look.version:
            return None
        digest = look.digest
        if digest is None and not _racy(look.version, look.checked):
            digest = _digest(now[0])  # unchanged since it was looked at: its bytes now are those its validation read
        if digest is None:
            return None
        out[look.name] = _Seen(now[0], look.version, digest, look.checked)
    return tuple(out.items())


def _pickled(value: object) -> bytes | None:
    """value pickled, or None when it cannot be (a plugin's option may hold anything): such a file is loaded every time."""
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None


def looked_at(path: Path) -> None:
    """Note a file that the validation running now depends on (called by `paths.resolve_inside`)."""
    watching = _watching.get()
    if watching:
        name = str(path)
        checked = _now()
        status = _state(name)
        # Racy: its bytes are taken now, before the validation reads them, as a later write may leave the same version.
        digest = _digest(status[0]) if status is not None and _racy(status[1], checked) else None
        look = _Look(name, status[1] if status is not None else None, checked, digest)
        for watcher in watching:
            watcher.looks.append(look)


def read(path: Path, digest: bytes) -> None:
    """Note the sha256 of the bytes of a file that the validation running now read and parsed (called by `yamlcache`)."""
    name = str(path)
    for watcher in _watching.get():
        known = watcher.digests.get(name, digest)
        watcher.digests[name] = digest if known == digest else None


@contextmanager
def set_aside() -> Iterator[None]:
    """Within: loads as in a process that has kept nothing (what they keep is dropped after); then what was kept before."""
    global _entries, _size
    with _lock:
        kept, size = _entries, _size
        _entries, _size = OrderedDict(), 0
    try:
        yield
    finally:
        with _lock:
            _entries, _size = kept, size


def clear() -> None:
    """Forget everything kept."""
    global _size
    with _lock:
        _entries.clear()
        _size = 0


def kept_paths() -> list[str]:
    """The paths of the files kept, as their loaders were given them (for tests)."""
    with _lock:
        return [str(key[1]) for key, entry in _entries.items() if entry.kept is not None]


def _still(entry: _Entry, checked: int) -> tuple[tuple[str, _Seen], ...] | None:
    """The files the entry's validation looked at, as they are now (their versions taken after `checked`), or None when
    one of them is not what it was."""
    others = []
    for name, seen in entry.looked_at:
        now = _state(name)
        same = _same(seen, now, checked) if now is not None else None
        if same is None:
            return None
        others.append((name, same))
    if entry.layouts:
        from . import registry

        known = registry.names()
        if not all(name in known for name in entry.layouts):
            return None
    return tuple(others)


def _same(seen: _Seen, now: tuple[str, tuple[int, ...]], checked: int) -> _Seen | None:
    """seen, or what replaces it when the file had to be read again (taken at `checked`), while the file at the same real
    path still has the same bytes; None when it does not."""
    real, current = now
    if real != seen.real:
        return None
    if current == seen.version and not _racy(seen.version, seen.checked):
        return seen
    if _digest(real) != seen.digest:
        return None
    return _Seen(real, current, seen.digest, checked)


def _racy(status: tuple[int, ...], checked: int) -> bool:
    """True when a file's modification or status-change time is too close to `checked` (or after it) to tell a write
    made later in the same tick of the file system's clock."""
    written = last_written(status)
    return written >= checked - (RACY_COARSE_NS if written % 1_000_000_000 == 0 else RACY_NS)


def _state(name: str) -> tuple[str, tuple[int, ...]] | None:
    """The real path and version of a regular file (not read), or None when there is none or it is too large to keep."""
    try:
        real = os.path.realpath(name)
        info = os.stat(real)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_FILE:
        return None
    return real, version_of(info)


def _digest(real: str) -> bytes | None:
    """The sha256 of a regular file's bytes, or None when it cannot be read or is not a regular file."""
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))  # a pipe must not block
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_FILE:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(_MAX_FILE + 1)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    return hashlib.sha256(data).digest() if len(data) <= _MAX_FILE else None


def _put(key: tuple[Hashable, ...], entry: _Entry) -> None:
    global _size
    with _lock:
        old = _entries.pop(key, None)
        _size -= len(old.kept) if old is not None and old.kept is not None else 0
        _entries[key] = entry
        _size += len(entry.kept) if entry.kept is not None else 0
        while _entries and (len(_entries) > MAX_ENTRIES or _size > MAX_BYTES):
            _, dropped = _entries.popitem(last=False)
            _size -= len(dropped.kept) if dropped.kept is not None else 0


def _drop(key: tuple[Hashable, ...]) -> None:
    global _size
    with _lock:
        old = _entries.pop(key, None)
        _size -= len(old.kept) if old is not None and old.kept is not None else 0
