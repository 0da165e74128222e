"""Files on disk: written whole or not at all, hashed, removed, and output folders checked before a build writes.

A no-op build imports this module to hash files only: tempfile is imported where files are written.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from .errors import HandoutsError

# The temporary files this module writes: ".NAME.XXXXXXXX.tmp" beside their target, never a name a person would print.
TEMP_FILE = re.compile(r"^\..+\.tmp$")


def write_temp(path: Path, data: bytes, private: bool = False) -> Path:
    """Write data, synced to disk, into a new hidden temporary file beside path and return it (path itself is untouched).

    The caller moves it into place with os.replace, or removes it; a failed write leaves nothing behind.
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600 if private else 0o644)
    except BaseException:
        discard(tmp)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes, private: bool = False) -> None:
    """Write a file so that readers see the old file or the whole new one, never a part (private: readable by its owner only)."""
    tmp = write_temp(path, data, private)
    try:
        os.replace(tmp, path)
    except BaseException:
        discard(tmp)
        raise


def write_record(path: Path, text: str) -> None:
    """Write a record that only saves time (a build record, a hash record) whole or not at all, without syncing it to disk;
    a record that cannot be written is left out: a build that cannot keep one is still a good build."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        discard(tmp)


def discard(path: str | Path) -> None:
    """Remove a file if it can be removed (a temporary file: the next build's sweep tries again if not)."""
    try:
        os.unlink(path)
    except OSError:
        pass


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, in hex."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def sha256_or_none(path: Path) -> str | None:
    """The sha256 of a regular file's bytes, or None when there is no such file or it cannot be read."""
    try:
        return sha256_file(path) if path.is_file() else None
    except OSError:
        return None


def remove(path: Path) -> None:
    """Remove a file if it is there."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def check_output_dir(out: Path) -> None:
    """Fail early, with a clear message, when the output folder cannot be written."""
    import tempfile

    if out.exists() and not out.is_dir():
        raise HandoutsError(f"{out}: output folder is a file (expected a folder to write PDFs into)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-", suffix=".tmp", delete=True)
        probe.close()
    except OSError as exc:
        raise HandoutsError(f"{out}: output folder cannot be written ({exc.strerror or exc})") from None
