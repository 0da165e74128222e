"""The sha256 of files that have not changed since they were last hashed, taken from a record instead of read again.

A no-op build checks every file of the content tree, of the engine (fonts included) and of its output: most of its
time went to reading them. The record keeps, for each file hashed, what `stat` said before it was read — device,
inode, size, modification and status-change times in nanoseconds — beside its hash, as git's index does. A file
whose `stat` says the same today is taken as unchanged, except:

- a file whose modification or status-change time is not older than the record itself ("racy": it may have been
  written again within the same tick of the clock after it was hashed, leaving the same times) is read again;
- the status-change time (ctime) is set by the kernel on every write and on every change of the other times, and
  cannot be set by a program, so a file written and given its old modification time back (`touch -d`, `cp -p`,
  `rsync -t`) still differs;
- anything unreadable or malformed in the record makes it an empty record.

It assumes what git assumes: the system clock does not step back between two builds (the times are the kernel's).

This module imports nothing heavy, so that a no-op build costs little more than starting Python.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .files import sha256_file, write_record

VERSION = 1


class HashCache:
    """sha256 of files by path, trusted from the record file when their stat is unchanged and older than the record."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.known: dict[str, list[int | str]] = {}
        self.learnt: dict[str, list[int | str]] = {}
        self.stamp = -1  # the record's modification time: entries of files not older than it are not trusted
        try:
            stamp = os.stat(self.path).st_mtime_ns
            body = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(body, dict) and body.get("version") == VERSION and isinstance(body.get("files"), dict):
                self.known = body["files"]
                self.stamp = stamp
        except (OSError, ValueError):
            pass

    def sha256(self, path: Path) -> str:
        """The sha256 of a file's bytes, in hex (raises OSError as reading it would)."""
        name = os.path.abspath(path)
        info = os.stat(name)
        key: list[int | str] = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        entry = self.known.get(name)
        if (isinstance(entry, list) and len(entry) == 6 and entry[:5] == key and isinstance(entry[5], str)
                and max(info.st_mtime_ns, info.st_ctime_ns) < self.stamp):
            self.learnt[name] = entry
            return entry[5]
        digest = sha256_file(Path(name))  # read after the stat: a file changed meanwhile has another stat next time
        self.learnt[name] = [*key, digest]
        return digest

    def save(self) -> None:
        """Write the files hashed by this process (and only those: a file no longer checked drops out) when anything is new."""
        if self.learnt != self.known:
            write_record(self.path, json.dumps({"version": VERSION, "files": self.learnt}, separators=(",", ":")) + "\n")

    def forget(self) -> None:
        """Remove the record file."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
