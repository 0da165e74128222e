"""The sha256 of font files met before, taken from a record while a file is as it was when it was hashed.

A font is named, and its parsed tables kept (fontcache.py), by the sha256 of its bytes; hashing the 2 MB of the four
faces of the bundled Noto Sans took each process 1.4 ms with the processor's SHA instructions, and some 60 million
instructions without them. The record (`font-digests.json` in the tool's cache folder) keeps each file's version
(files.version: device, inode, size, modification and status-change times) beside its digest, as hashcache.py does for
a build's files, with the same rules: a file whose modification or status-change time is not older than the record
is hashed again (it may have been written again within one tick of the clock), and the version is taken before the
bytes are read and again after, so bytes written in between are hashed. A record that cannot be read is an empty one;
one that cannot be written is left out.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from .files import cache_folder, version, write_record

RECORD = "font-digests.json"
FORMAT = 1


class _Record:
    """The digests recorded by earlier processes, and those learnt by this one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, list[object]] = {}
        self.stamp = -1  # entries of files not older than the record are not trusted
        try:
            stamp = os.stat(path).st_mtime_ns
            body = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(body, dict) and body.get("format") == FORMAT and isinstance(body.get("files"), dict):
                self.files, self.stamp = body["files"], stamp
        except (OSError, ValueError):
            pass

    def digest(self, path: Path, before: tuple[int, ...], data: bytes) -> bytes:
        """The sha256 of data, the bytes of path read after its version was `before`."""
        name = os.path.abspath(path)
        entry = self.files.get(name)
        if (isinstance(entry, list) and len(entry) == len(before) + 1 and tuple(entry[:-1]) == before
                and max(before[3:5]) < self.stamp and isinstance(entry[-1], str) and _still(path, before)):
            try:
                return bytes.fromhex(entry[-1])
            except ValueError:
                pass
        digest = hashlib.sha256(data).digest()
        if _still(path, before):  # else the bytes read may be of neither version: they are named, not recorded
            self.files[name] = [*before, digest.hex()]
            write_record(self.path, json.dumps({"format": FORMAT, "files": self.files}, separators=(",", ":")) + "\n")
        return digest


def _still(path: Path, before: tuple[int, ...]) -> bool:
    try:
        return version(path) == before
    except OSError:
        return False


@lru_cache(maxsize=1)
def _record(folder: Path) -> _Record:
    return _Record(folder / RECORD)


def font_digest(path: Path, before: tuple[int, ...], data: bytes) -> bytes:
    """The sha256 of a font file's bytes (data, read after the file's version was `before`), from the record when the
    file is still at the version recorded with it, else hashed (and recorded)."""
    folder = cache_folder()
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return hashlib.sha256(data).digest()
    return _record(folder).digest(path, before, data)
