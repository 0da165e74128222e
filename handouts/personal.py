"""One sheet for one patient: rendered so that an error never quotes the patient, written so that no copy is left behind."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BudgetError, ContentError, Problem
from .patient import Patient

if TYPE_CHECKING:
    from .jobs import Job
    from .pdf import Rendered
    from .content import Catalogue

GLYPH_PATH = "--patient/--provider"  # where the engine's glyph check reports the typed details
PATIENT_PLACEHOLDERS = (("name", "{patient.name}"), ("provider", "{patient.provider}"), ("date", "{patient.date}"),
                        ("follow_up", "{patient.follow_up}"))


def render_personal(catalogue: Catalogue, job: Job, patient: Patient | None, **options: Any) -> Rendered:
    """Render one sheet; a content problem is reported as the blank sheet shows it, never with the patient's details in it."""
    from .pdf import make_sheet, render_pdf

    try:
        return render_pdf(make_sheet(catalogue, job, patient, **options), job.layout)
    except BudgetError:
        raise  # pages and limits only
    except ContentError as exc:
        if patient is None:
            raise
        typed = [p for p in exc.problems if p.path == GLYPH_PATH]
        if typed:  # a character of a typed detail the brand's font lacks: about what was typed, not the content
            raise ContentError(typed) from None
        personal = exc.problems
    try:
        render_pdf(make_sheet(catalogue, job, None, **options), job.layout)
    except ContentError as blank:
        raise ContentError(blank.problems) from None  # the same mistake, shown with the blank lines instead of the details
    raise ContentError([Problem(p.path, p.line, "a patient detail put here by a placeholder cannot be printed",
                                "patient placeholders only in text, not in links, QR codes or day counts") for p in personal]) from None


def scrub(text: str, patient: Patient | None) -> str:
    """Text with each of the patient's details replaced by its placeholder (a last line of defence for messages)."""
    if patient is None:
        return text
    for key, placeholder in PATIENT_PLACEHOLDERS:
        value = getattr(patient, key)
        value = value.isoformat() if hasattr(value, "isoformat") else value
        if value:
            text = text.replace(value, placeholder)
    return text


def write_private(path: Path, data: bytes) -> None:
    """Write a personalised PDF readable by its owner only; a process killed while writing leaves no copy under any name.

    Where the system has unnamed files (Linux's O_TMPFILE) the bytes go into one and get a name only when complete;
    elsewhere a hidden temporary file is used and removed on an error, Ctrl-C or a termination signal.
    """
    from .files import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = _unnamed_file(path.parent)
    if fd is not None:
        try:
            with os.fdopen(os.dup(fd), "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            _give_name(fd, path)
            return
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EACCES, errno.ENOENT, errno.EOPNOTSUPP):
                raise
        finally:
            os.close(fd)
    with termination_as_interrupt():
        write_atomic(path, data, private=True)


def _unnamed_file(folder: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o600)
    except OSError:  # a file system without unnamed files
        return None


def _give_name(fd: int, path: Path) -> None:
    """Link an unnamed file into place, replacing what is there."""
    source = f"/proc/self/fd/{fd}"
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        # A directory descriptor makes os.link use linkat with AT_SYMLINK_FOLLOW, which links the file /proc points at.
        link = functools.partial(os.link, source, src_dir_fd=folder, follow_symlinks=True)
        try:
            link(path)
            return
        except FileExistsError:
            pass
        _replace_through_second_name(link, path)
    finally:
        os.close(folder)


def _replace_through_second_name(link: Callable[[Path], None], path: Path) -> None:
    """Replace an existing file: link under a hidden name (for an instant, with the file already whole), then rename."""
    import secrets

    for _ in range(100):
        temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            link(temporary)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name beside {path.name}")
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def termination_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM (and SIGHUP) into KeyboardInterrupt while writing, so the temporary file is removed."""
    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = {s: signal.signal(s, interrupt) for s in wanted}
    except ValueError:  # not the main thread: signals cannot be caught here
        previous = {}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
