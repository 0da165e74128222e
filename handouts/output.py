"""The output folder a build owns: one build at a time, PDFs and manifest changed together, repaired after a kill.

A build holds a lock on `<out>/.handouts.lock` while it runs; a second build into the same folder waits for it
(and says so), then starts from the manifest the first one left. The lock is the operating system's (fcntl), so a
build that is killed releases it at once: no lock file is ever "stale".

New PDFs are written to hidden temporary files first. A commit then changes the folder in a fixed order:

1. a journal (`.handouts-commit.json`) records the renames and removals to make and the manifest that results;
2. the manifest is rewritten without the entries about to change, so it never lists bytes that are not on disk;
3. the temporary files are renamed over their PDFs and removed PDFs are deleted;
4. the manifest is rewritten with the new entries, and the journal is removed.

Killed at any point, the folder holds only whole PDFs and a manifest whose every entry is true; the PDFs of the
commit in flight may be missing from it. The next build, before anything else, finishes that commit from the
journal and removes temporary files an interrupted build left behind, so the manifest again lists exactly the
PDFs on disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import signal
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import WARNING, HandoutsError, Problem
from .files import TEMP_FILE, discard, remove, sha256_or_none, sync_files, write_atomic
from .manifest import MANIFEST, entries_on_disk, intact, listed_copies, pdf_in, previous_entries, write_manifest

LOCK_FILE = ".handouts.lock"
JOURNAL = ".handouts-commit.json"
Deferred = Callable[[], contextlib.AbstractContextManager[None]]


class Stopped(KeyboardInterrupt):
    """The command was asked to stop (Ctrl-C, or SIGTERM as a CI runner sends when it cancels a job)."""

    def __init__(self, signum: int):
        super().__init__()
        self.exit_code = 128 + signum


@contextlib.contextmanager
def stoppable() -> Iterator[Deferred]:
    """Ctrl-C and SIGTERM raise Stopped, except inside `deferred()` blocks (commits), at whose end they take effect."""
    if threading.current_thread() is not threading.main_thread():  # signal handlers belong to the main thread
        yield contextlib.nullcontext
        return
    depth, pending = [0], [0]

    def handler(signum: int, _frame: object) -> None:
        if depth[0]:
            pending[0] = signum
            return
        raise Stopped(signum)

    @contextlib.contextmanager
    def deferred() -> Iterator[None]:
        depth[0] += 1
        try:
            yield
        finally:
            depth[0] -= 1
            signum, pending[0] = pending[0], 0
            if signum and not depth[0]:
                raise Stopped(signum)

    previous = {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield deferred
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


class OutputLock:
    """Exclusive use of an output folder, for a with-block; a second holder waits, after on_wait is told why.

    The lock file exists only while a build holds it: the holder removes it as it finishes, and a waiter that then
    finds it has locked a removed file starts again with a new one.
    """

    def __init__(self, out: Path, on_wait: Callable[[str], None] | None = None):
        self.out = Path(out)
        self.on_wait = on_wait
        self.fd: int | None = None

    def __enter__(self) -> "OutputLock":
        if self.out.exists() and not self.out.is_dir():
            raise HandoutsError(f"{self.out}: output folder is a file (expected a folder to write PDFs into)")
        path = self.out / LOCK_FILE
        told = False
        while self.fd is None:
            try:
                self.out.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            except OSError as exc:
                raise HandoutsError(f"{self.out}: output folder cannot be written ({exc.strerror or exc})") from None
            try:
                if not _try_lock(fd):
                    if self.on_wait and not told:
                        holder = _read_pid(fd)
                        self.on_wait(f"waiting for the build already writing to {self.out}/ to finish"
                                     + (f" (process {holder})" if holder else "") + "; press Ctrl-C to stop waiting")
                        told = True
                    _lock(fd)
                if not _is_file_at(fd, path):  # the build before removed it while this one waited
                    os.close(fd)
                    continue
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, f"{os.getpid()}\n".encode())
            except BaseException:
                os.close(fd)
                raise
            self.fd = fd
        return self

    def __exit__(self, *_: object) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            try:
                os.unlink(self.out / LOCK_FILE)  # while still holding it: see the class's docstring
            except OSError:
                pass
            finally:
                os.close(fd)  # closing the descriptor releases the lock


def _is_file_at(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


if sys.platform != "win32":
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            return False
        return True

    def _lock(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_EX)  # POSIX record locks: not inherited by forked worker processes
else:
    import msvcrt
    import time

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(fd: int) -> None:
        while not _try_lock(fd):
            time.sleep(0.5)


def _read_pid(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""


def recover(out: Path) -> list[str]:
    """Finish the commit of a build that was killed and remove the temporary files left behind (hold the lock first).

    Returns a line for each repair made, to show the user.
    """
    notes = []
    journal = Path(out) / JOURNAL
    if journal.exists():
        _roll_forward(Path(out), journal)
        notes.append(f"{out}/: finished the changes of a build that was stopped part-way; the manifest lists what is on disk")
    left = sweep(out)
    if left:
        notes.append(f"{out}/: removed {left} temporary file{'s' if left != 1 else ''} left by a build that was stopped")
    return notes


def _roll_forward(out: Path, journal: Path) -> None:
    listed = previous_entries(out)
    try:
        body = json.loads(journal.read_text(encoding="utf-8"))
        renames, drops, entries = body["renames"], body["drops"], body["handouts"]
        share = body.get("build")
    except (OSError, ValueError, KeyError, TypeError):
        renames, drops, entries, share = [], [], list(listed.values()), None
    for pair in renames if isinstance(renames, list) else []:
        tmp, path = _journal_pair(out, pair)
        if tmp is not None and path is not None and tmp.is_file():
            try:
                os.replace(tmp, path)
            except OSError:
                pass
    for name in drops if isinstance(drops, list) else []:
        target = pdf_in(out, name)
        if target is not None:
            try:
                remove(target)
            except OSError:
                pass
    wanted = {e["path"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str)} if isinstance(entries, list) else {}
    true = {e["path"]: e for e in entries_on_disk(out, wanted)}
    # An entry whose new file never arrived: the earlier file, if still whole, stays listed as it was.
    for kept, entry in listed.items():
        if kept in wanted and kept not in true and entries_on_disk(out, {kept: entry}):
            true[kept] = {**entry, "stale": True}
    write_manifest(out, list(true.values()), share if isinstance(share, dict) else None)
    remove(journal)


def _journal_pair(out: Path, pair: object) -> tuple[Path | None, Path | None]:
    """The (temporary file, PDF) of a journal's [PDF path, temporary file name], if the path lies inside out."""
    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
        return None, None
    path, tmp_name = pair
    if not path.endswith(".pdf") or os.path.isabs(path) or ".." in Path(path).parts or "/" in tmp_name \
            or not TEMP_FILE.match(tmp_name):
        return None, None
    target = Path(out) / path
    return target.with_name(tmp_name), target


def sweep(out: Path) -> int:
    """Remove the hidden temporary files under out (only while holding its lock: they may be another build's)."""
    count = 0
    for folder, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if TEMP_FILE.match(name):
                try:
                    os.unlink(os.path.join(folder, name))
                    count += 1
                except OSError:
                    pass
    return count


class Ledger:
    """What the manifest lists, changed only by commits that keep it true to the PDFs on disk (see the module's docstring)."""

    def __init__(self, out: Path, share: dict[str, Any] | None, deferred: Deferred = contextlib.nullcontext):
        self.out = Path(out)
        self.share = share
        self.listed: dict[str, dict[str, Any]] = previous_entries(self.out)
        self.deferred = deferred  # holds off Ctrl-C and SIGTERM during a commit (see stoppable)
        self.problems: list[Problem] = []
        self.error: HandoutsError | None = None  # the last manifest that could not be written
        self._copies: list[dict[str, Any]] | None = None  # the web copies listed and intact, checked once per build

    def commit(self, puts: list[tuple[Path | None, dict[str, Any]]], drops: list[str], final: dict[str, dict[str, Any]]) -> None:
        """Put new PDFs (temporary file, entry; None: the bytes are on disk already), remove others, and list final."""
        with self.deferred():
            self._commit(puts, drops, final)

    def _commit(self, puts: list[tuple[Path | None, dict[str, Any]]], drops: list[str], final: dict[str, dict[str, Any]]) -> None:
        renames = [(tmp, entry["path"]) for tmp, entry in puts if tmp is not None]
        final = dict(final)
        unsynced = sync_files([tmp for tmp, _ in renames])  # every new PDF on disk before the journal names it
        for tmp, path in renames:
            if tmp in unsynced:
                discard(tmp)
                self._cannot(path, "write the PDF", unsynced[tmp], final)
        renames = [(tmp, path) for tmp, path in renames if tmp not in unsynced]
        drops = [path for path in drops if pdf_in(self.out, path) is not None or path in self.listed]
        journal = self.out / JOURNAL
        if renames or drops:
            body = {"renames": [[path, tmp.name] for tmp, path in renames], "drops": drops,  # the temporary file lies beside its PDF
                    "build": self.share, "handouts": sorted(final.values(), key=lambda e: e["path"])}
            changing = {path for _, path in renames} | set(drops)
            interim = {path: entry for path, entry in self.listed.items() if path not in changing}
            try:
                write_atomic(journal, json.dumps(body, ensure_ascii=False).encode("utf-8"))
                if interim != self.listed:
                    self._write(interim)
            except OSError as exc:  # nothing has changed on disk yet: keep every earlier PDF
                self._manifest_failed(exc)
                for tmp, path in renames:
                    discard(tmp)
                    self._cannot(path, "write the PDF", exc, final)
                for path in drops:
                    if path in self.listed:
                        final[path] = self.listed[path]
                self.listed = final
                return
            for tmp, path in renames:
                try:
                    os.replace(tmp, self.out / path)
                except OSError as exc:
                    discard(tmp)
                    self._cannot(path, "write the PDF", exc, final)
            for path in drops:
                target = pdf_in(self.out, path)
                try:
                    if target is not None:
                        remove(target)
                except OSError as exc:
                    self._cannot(path, "remove the PDF", exc, final)
        try:
            self._write(final)
            remove(journal)  # a manifest that could not be written leaves the journal for the next build to finish
        except OSError as exc:
            self._manifest_failed(exc)
        self.listed = final

    def _write(self, entries: dict[str, dict[str, Any]]) -> None:
        if self._copies is None:  # commits change PDFs only: the web copies' files are hashed once, not at every commit
            self._copies = [entry for entry in listed_copies(self.out / MANIFEST).values() if intact(self.out, entry)]
        write_manifest(self.out, list(entries.values()), self.share, raise_os_error=True, copies=self._copies)

    def _manifest_failed(self, exc: OSError) -> None:
        self.error = HandoutsError(f"{self.out / MANIFEST}: cannot write the manifest: {exc.strerror or exc} "
                                   "(a writable output folder with free space)")

    def _cannot(self, path: str, what: str, exc: OSError, final: dict[str, dict[str, Any]]) -> None:
        """A PDF that could not be changed: the earlier one, if still whole, stays listed and marked stale."""
        target = str(self.out / path)
        self.problems.append(Problem(target, None, f"cannot {what}: {exc.strerror or exc}", "a writable output folder with free space"))
        before = self.listed.get(path)
        if before is not None and sha256_or_none(self.out / path) == before.get("sha256"):
            final[path] = {**before, "stale": True}
            self.problems.append(kept_warning(target))
        else:
            final.pop(path, None)


def kept_warning(target: str) -> Problem:
    """The warning for an earlier PDF kept because its replacement could not be written."""
    return Problem(target, None, "the earlier PDF is kept and marked stale in the manifest", "a build that can replace it", WARNING)
