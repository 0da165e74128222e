"""The sha256 of a font file is taken from the record only while the file is as it was when it was hashed: a font
written again, a font newer than the record, bytes written while they were read and a damaged record all mean hashing."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from handouts import fontdigests, fonts
from handouts.files import version


@pytest.fixture
def font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled regular face, with a cache folder of its own."""
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    fontdigests._record.cache_clear()
    path = tmp_path / "Brand-Regular.ttf"
    shutil.copyfile(fonts.BUNDLED["regular"], path)
    return path


def digest(path: Path) -> bytes:
    """What load_font does: the version, then the bytes, then the digest."""
    before = version(path)
    return fontdigests.font_digest(path, before, path.read_bytes())


def next_process(hashed: list[int], monkeypatch: pytest.MonkeyPatch, age_record: bool = True) -> None:
    """Start again from the record alone (older files than it, unless age_record is false), counting the fonts hashed."""
    record = Path(os.environ["HANDOUTS_CACHE"]) / fontdigests.RECORD
    if age_record:  # as when the record was written well after the font: no tick of the clock is shared
        later = max(os.stat(record).st_mtime_ns, os.stat(record).st_ctime_ns) + 10_000_000_000
        os.utime(record, ns=(later, later))
    fontdigests._record.cache_clear()
    real = hashlib.sha256
    monkeypatch.setattr(fontdigests.hashlib, "sha256", lambda data: (hashed.append(len(data)), real(data))[1])


def test_a_font_is_hashed_once_and_then_taken_from_the_record(font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = hashlib.sha256(font.read_bytes()).digest()
    assert digest(font) == expected
    hashed: list[int] = []
    next_process(hashed, monkeypatch)
    assert digest(font) == expected and hashed == []


def test_a_font_written_again_with_its_old_size_and_time_is_hashed_again(font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digest(font)
    data = bytearray(font.read_bytes())
    data[-1] ^= 1
    info = os.stat(font)
    font.write_bytes(bytes(data))
    os.utime(font, ns=(info.st_atime_ns, info.st_mtime_ns))  # only the status-change time tells
    expected, hashed = hashlib.sha256(bytes(data)).digest(), []
    next_process(hashed, monkeypatch)
    assert digest(font) == expected and hashed == [len(data)]


def test_a_font_not_older_than_the_record_is_hashed_again(font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digest(font)
    os.utime(Path(os.environ["HANDOUTS_CACHE"]) / fontdigests.RECORD, ns=(version(font)[3], version(font)[3]))
    expected, hashed = hashlib.sha256(font.read_bytes()).digest(), []
    next_process(hashed, monkeypatch, age_record=False)
    assert digest(font) == expected and len(hashed) == 1


def test_bytes_written_while_they_were_read_are_hashed_and_not_recorded(font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = version(font)
    old = font.read_bytes()
    font.write_bytes(old[:-1] + bytes([old[-1] ^ 1]))  # written after the version was taken, before it was read
    assert fontdigests.font_digest(font, before, old) == hashlib.sha256(old).digest()
    record = Path(os.environ["HANDOUTS_CACHE"]) / fontdigests.RECORD
    assert not record.exists() or str(font) not in record.read_text()


@pytest.mark.parametrize("damage", ["", "{not json", '{"format": 1, "files": []}', '{"format": 2, "files": {}}', "digest"])
def test_a_damaged_record_is_an_empty_one(font: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    expected = hashlib.sha256(font.read_bytes()).digest()
    digest(font)
    record = Path(os.environ["HANDOUTS_CACHE"]) / fontdigests.RECORD
    text = record.read_text()
    record.write_text(text.replace(expected.hex(), "not hexadecimal") if damage == "digest" else damage)
    hashed: list[int] = []
    next_process(hashed, monkeypatch)
    assert digest(font) == expected and len(hashed) == 1
    fontdigests._record.cache_clear()
    assert expected.hex() in record.read_text()  # written again


def test_a_cache_folder_that_cannot_be_made_means_hashing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("HANDOUTS_CACHE", str(blocker / "cache"))
    path = fonts.BUNDLED["regular"]
    assert digest(path) == hashlib.sha256(path.read_bytes()).digest()
