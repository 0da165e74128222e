"""The record of file hashes a no-op build keeps: an unchanged file is not read again, and a changed one is always seen,
even when it keeps its size and its modification time, or was written in the same tick as the record."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from handouts import hashcache
from handouts.files import sha256_file
from handouts.hashcache import HashCache
from handouts.incremental import HASH_FILE, BuildRecord

REQUEST = {"brand": [], "handout": [], "lang": [], "layout": [], "shard": None, "page_size": None, "grayscale": False}
WRONG = "0" * 64


@pytest.fixture
def built(run, tree: Path, tmp_path: Path) -> Path:
    """A good build of the fixture tree whose record was saved, and one no-op build after it (which keeps the hashes)."""
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    outputs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    BuildRecord(tree, out, REQUEST).save(outputs, [])
    assert BuildRecord(tree, out, REQUEST).replay() is not None
    assert (out / HASH_FILE).is_file()
    return out


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    monkeypatch.setattr(hashcache, "sha256_file", lambda path: read.append(Path(path).name) or sha256_file(path))
    return read


def _rewrite_keeping_size_and_times(path: Path) -> None:
    """Other bytes of the same length, with the file's old access and modification times put back."""
    info = path.stat()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns


def test_a_second_no_op_build_reads_no_file(tree: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _reads(monkeypatch)
    assert BuildRecord(tree, built, REQUEST).replay() is not None
    assert read == []


@pytest.mark.parametrize("which", ["pdf", "content"])
def test_a_file_rewritten_with_its_old_size_and_time_is_seen(tree: Path, built: Path, which: str) -> None:
    target = next(built.rglob("*.pdf")) if which == "pdf" else tree / "demo/aftercare.en.yaml"
    _rewrite_keeping_size_and_times(target)
    assert BuildRecord(tree, built, REQUEST).replay() is None


def test_the_build_command_rebuilds_a_pdf_rewritten_with_its_old_size_and_time(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    assert "Built 0 PDFs" in run("build", "--content", tree, "--out", out, "--jobs", "1").out  # the hashes are kept now
    pdf = next(out.rglob("*.pdf"))
    good = pdf.read_bytes()
    _rewrite_keeping_size_and_times(pdf)
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 0 and "Built 1 PDF," in result.out
    assert pdf.read_bytes() == good


def _record(tmp_path: Path, target: Path, digest: str) -> Path:
    """A hash record holding target's present stat with the given digest, written after target was."""
    info = target.stat()
    record = tmp_path / "hashes.json"
    entry = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, digest]
    record.write_text(json.dumps({"version": hashcache.VERSION, "files": {os.path.abspath(target): entry}}))
    return record


def test_a_recorded_hash_is_used_only_for_a_file_older_than_the_record(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("some text")
    record = _record(tmp_path, target, WRONG)
    stamp = max(target.stat().st_mtime_ns, target.stat().st_ctime_ns)
    os.utime(record, ns=(stamp + 10**9, stamp + 10**9))
    assert HashCache(record).sha256(target) == WRONG  # the record is trusted: the file was not read
    os.utime(record, ns=(stamp, stamp))  # written in the same tick as the file: the file may have changed since
    assert HashCache(record).sha256(target) == sha256_file(target)


def test_a_damaged_record_is_an_empty_one(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("some text")
    for text in ("{not json", '{"version": 99, "files": {}}', '{"version": 1, "files": []}', "[]"):
        record = tmp_path / "hashes.json"
        record.write_text(text)
        assert HashCache(record).sha256(target) == sha256_file(target)
    record = _record(tmp_path, target, 5)  # type: ignore[arg-type]  # a hand-edited record
    assert HashCache(record).sha256(target) == sha256_file(target)
