"""Files a build writes are synced to disk together, each before it is moved into place; one that cannot be synced is
reported, and the file it would have replaced is kept."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from handouts import files

pytestmark = pytest.mark.timeout(120)


def _where(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def _recording(monkeypatch: pytest.MonkeyPatch, fails: Callable[[str], bool] = lambda _path: False) -> list[tuple[str, str]]:
    """Record each sync (of the file its descriptor opens) and each move into place, failing the syncs fails() names."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        path = _where(fd)
        if fails(path):
            raise OSError(errno.EIO, "Input/output error")
        events.append(("sync", path))
        real_fsync(fd)

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        events.append(("move", os.fspath(source)))
        real_replace(source, target)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    return events


def test_files_written_together_are_all_synced_before_any_is_moved_into_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = [tmp_path / f"page-{n}.html" for n in range(6)]
    targets[0].write_bytes(b"old")
    events = _recording(monkeypatch)
    assert files.write_all_atomic([(target, f"new {n}".encode()) for n, target in enumerate(targets)]) == {}
    assert [target.read_bytes() for target in targets] == [f"new {n}".encode() for n in range(6)]
    moves = [path for kind, path in events if kind == "move"]
    first_move = next(n for n, (kind, _) in enumerate(events) if kind == "move")
    assert sorted(path for kind, path in events[:first_move]) == sorted(moves)  # each file moved was synced, all before any move
    assert len(moves) == 6 and all(kind == "move" for kind, _ in events[first_move:])
    assert not [p.name for p in tmp_path.iterdir() if files.TEMP_FILE.match(p.name)]


def test_a_file_that_cannot_be_synced_is_reported_and_the_old_one_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = [tmp_path / f"page-{n}.html" for n in range(4)]
    targets[2].write_bytes(b"old")
    _recording(monkeypatch, fails=lambda path: ".page-2.html." in path)
    failed = files.write_all_atomic([(target, b"new") for target in targets])
    assert list(failed) == [targets[2]] and failed[targets[2]].errno == errno.EIO
    assert targets[2].read_bytes() == b"old"
    assert [targets[n].read_bytes() for n in (0, 1, 3)] == [b"new"] * 3
    assert not [p.name for p in tmp_path.iterdir() if files.TEMP_FILE.match(p.name)]


def test_a_build_syncs_each_new_pdf_before_its_commit_and_reports_one_it_cannot(run, tree: Path, tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    events = _recording(monkeypatch, fails=lambda path: ".demo-aftercare.es.standard.pdf." in path)
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 1
    target = out / "teal" / "demo-aftercare.es.standard.pdf"
    assert f"{target}: cannot write the PDF: Input/output error (a writable output folder with free space)" in result.err
    assert "Traceback" not in result.err
    assert not target.exists()
    listed = {entry["path"] for entry in json.loads((out / "manifest.json").read_text())["handouts"]}
    assert listed == {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")} and len(listed) == 2
    synced = {path for kind, path in events if kind == "sync"}
    pdf_moves = [path for kind, path in events if kind == "move" and path.endswith(".tmp") and ".pdf." in path]
    assert len(pdf_moves) == 2 and set(pdf_moves) <= synced
    assert not [p for p in out.rglob(".*") if files.TEMP_FILE.match(p.name)]


def test_a_web_copy_file_that_cannot_be_written_is_reported_and_not_listed(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    page = next((out / "teal" / "html").rglob("*aftercare*.html"))
    page.unlink()
    (page / "in-the-way").mkdir(parents=True)  # a folder where the page goes: it cannot be written
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--force")
    assert result.code == 1
    assert f"{page}: cannot write the web copy: Is a directory (a writable output folder with free space)" in result.err
    copies = json.loads((out / "manifest.json").read_text())["copies"]
    listed = {entry["path"]: entry["sha256"] for entry in copies}
    assert page.relative_to(out).as_posix() not in listed
    for path, digest in listed.items():  # every file the manifest lists is on disk with its bytes
        assert files.sha256_or_none(out / path) == digest, path
    assert not [p for p in out.rglob(".*") if files.TEMP_FILE.match(p.name)]
