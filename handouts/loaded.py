"""Content, settings, snippet and brand files loaded and validated before in this process, kept so that a long-lived
process (the desk, a build worker) loading an unchanged tree again neither parses nor validates those files again.

An entry is found by what its loader was given: which loader, the file's path as given and as shown in messages, and
the loader's other inputs (content folder, language and kind, the settings' names). It is used only when, read again
now, the file has the same bytes (sha256) and the same real path as when it was kept, and every file its validation
looked at through `paths.resolve_inside` (pictures, logo, fonts) still resolves to the same real file with the same
bytes. Sizes and times are not trusted: a file written again with its old size and modification time is still seen.
Reading and hashing a few kilobytes costs a small part of parsing and validating them.

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
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Callable, Hashable, Iterable, Iterator, TypeVar, cast

from .compiled import dataclass
from .errors import ERROR, Problem, Problems
from .files import version

T = TypeVar("T")
MAX_ENTRIES = 4096
MAX_BYTES = 8 * 1024 * 1024
_MAX_FILE = 32 * 1024 * 1024  # a file larger than this is never kept (the loaders refuse far smaller ones)


@dataclass(frozen=True)
class _Seen:
    """A file as its validation found it: its real path and the sha256 of its bytes."""

    real: str
    digest: bytes


@dataclass
class _Entry:
    file: _Seen
    looked_at: tuple[tuple[str, _Seen], ...]  # (path as resolved by paths.resolve_inside, what it was), validation's other files
    layouts: tuple[str, ...]  # layout names the file chose, which must still be registered
    kept: bytes | None  # the pickled (result, problems); None after the first load


_entries: OrderedDict[tuple[Hashable, ...], _Entry] = OrderedDict()
_size = 0
_lock = threading.Lock()
_watching: ContextVar[tuple[list[tuple[str, tuple[int, ...] | None]], ...]] = ContextVar("watching", default=())
hits = 0  # loads answered from what was kept (tests count them)


def load(loader: str, path: Path, inputs: tuple[Hashable, ...], problems: Problems, work: Callable[[], T | None],
         layouts: Callable[[T], Iterable[str | None]] = lambda _value: ()) -> T | None:
    """`work()` (which loads and validates the file at path, recording its problems), or the result it gave before for
    the same file, bytes and inputs, with the same problems recorded again."""
    global hits
    key = (loader, str(path), problems.path, inputs)
    now = _seen(str(path))
    entry = _entries.get(key) if now is not None else None
    if entry is not None and entry.kept is not None and entry.file == now and _still(entry):
        with _lock:
            if key in _entries:
                _entries.move_to_end(key)
        kept_value, kept_found = cast(tuple[T, list[Problem]], pickle.loads(entry.kept))
        problems.items += kept_found
        for watcher in _watching.get():
            watcher += [(name, _status(name)) for name, _ in entry.looked_at]
        hits += 1
        return kept_value
    looked_at: list[tuple[str, tuple[int, ...] | None]] = []
    token = _watching.set(_watching.get() + (looked_at,))
    before = len(problems.items)
    try:
        result = work()
    finally:
        _watching.reset(token)
    found = problems.items[before:]
    if result is None or now is None or any(p.severity == ERROR for p in found) or _seen(str(path)) != now:
        _drop(key)
        return result
    value: T = result
    names = tuple(dict.fromkeys(name for name, _ in looked_at))
    others = tuple((name, _seen(name)) for name in names)
    # A file the validation looked at must be what it was when looked at: one written meanwhile changed its status.
    if any(seen is None for _, seen in others) or any(status is None or _status(name) != status for name, status in looked_at):
        _drop(key)
        return value
    chosen = tuple(name for name in layouts(value) if name)
    kept = _pickled((value, found)) if entry is not None and entry.file == now else None
    _put(key, _Entry(now, cast(tuple[tuple[str, _Seen], ...], others), chosen, kept))
    return value


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
        status = _status(name)
        for watcher in watching:
            watcher.append((name, status))


def _status(name: str) -> tuple[int, ...] | None:
    """The file's version (files.version: any write changes it), or None when it cannot be read."""
    try:
        return version(name)
    except (OSError, ValueError):
        return None


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


def _still(entry: _Entry) -> bool:
    if any(_seen(name) != seen for name, seen in entry.looked_at):
        return False
    if entry.layouts:
        from . import registry

        known = registry.names()
        return all(name in known for name in entry.layouts)
    return True


def _seen(name: str) -> _Seen | None:
    """The real path and sha256 of a regular file's bytes, or None when it cannot be read or is not a regular file."""
    try:
        real = os.path.realpath(name)
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
    return _Seen(real, hashlib.sha256(data).digest()) if len(data) <= _MAX_FILE else None


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
