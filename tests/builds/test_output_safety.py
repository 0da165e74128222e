"""Output is always whole: disk full, an output folder that cannot be made, two builds at once."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, qpdf_check


def _many(tree: Path, copies: int) -> None:
    for i in range(copies):
        shutil.copytree(tree / "demo", tree / f"demo{i}")


def _assert_whole(out: Path) -> None:
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], "temporary files left behind"
    manifest = json.loads((out / "manifest.json").read_text())
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")}
    for entry in manifest["handouts"]:
        assert entry["path"] in on_disk
    for rel in on_disk:
        reader = PdfReader(out / rel, strict=True)
        assert len(reader.pages) >= 1
        assert (out / rel).read_bytes().rstrip().endswith(b"%%EOF")


def test_disk_full_is_reported_and_leaves_no_partial_file(run, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import handouts.files as files

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    out = tmp_path / "out"
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "plain")
    assert result.code == 1
    assert f"{out}/plain/demo-aftercare.en.standard.pdf: cannot write the PDF: No space left on device (a writable output folder with free space)" in result.err
    assert f"{out}/manifest.json: cannot write the manifest: No space left on device" in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.tmp"))


def test_a_write_that_fails_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import handouts.files as files

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "manifest.json"
    target.write_bytes(b'{"handouts": []}')
    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError):
        files.write_atomic(target, b'{"handouts": ["a new manifest that never reaches the disk"]}')
    assert target.read_bytes() == b'{"handouts": []}'
    assert sorted(tmp_path.iterdir()) == [target], "a temporary file was left behind"


def test_output_folder_that_cannot_be_made(run, tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    result = run("build", "--content", tree, "--out", blocker / "out")
    assert result.code == 1
    assert f"error: {blocker}/out: output folder cannot be written (Not a directory)" in result.err
    assert blocker.read_text() == "not a folder"


def test_two_builds_into_one_folder_leave_whole_pdfs(tree: Path, tmp_path: Path) -> None:
    _many(tree, 2)
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "generate.py"), "build", "--content", str(tree), "--out", str(out), "--jobs", "1", "--force"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    second = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    assert first.wait(120) == 0 and second.wait(120) == 0
    _assert_whole(out)
    for pdf in sorted(out.rglob("*.pdf"))[:3]:
        qpdf_check(pdf)
