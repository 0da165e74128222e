"""The font cache: a face made from an entry holds what parsing the file gives, so PDFs are byte for byte the same with
and without it; a damaged entry is parsed again and rewritten; an entry's name changes with the font's bytes."""

from __future__ import annotations

import hashlib
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase import ttfonts

from handouts import fontcache, fonts

ROOT = Path(__file__).resolve().parents[2]
REGULAR = fonts.BUNDLED["regular"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "fonts"


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the font was parsed")
    monkeypatch.setattr(ttfonts.TTFont, "__init__", refuse)


def _same_font(made: ttfonts.TTFont, parsed: ttfonts.TTFont) -> None:
    ours, theirs = dict(vars(made.face)), dict(vars(parsed.face))
    scale, their_scale = ours.pop("_pdfScale"), theirs.pop("_pdfScale")
    assert ours == theirs
    assert {k: v.ustr for k, v in ours.items() if isinstance(v, ttfonts.TTFNameBytes)} == \
        {k: v.ustr for k, v in theirs.items() if isinstance(v, ttfonts.TTFNameBytes)} != {}
    assert {k: type(v) for k, v in ours.items()} == {k: type(v) for k, v in theirs.items()}
    assert [scale(x) for x in (0, 1, 250, -731)] == [their_scale(x) for x in (0, 1, 250, -731)]
    assert type(made) is type(parsed) and type(made.face) is type(parsed.face)
    assert {k: v for k, v in vars(made).items() if k not in ("face", "encoding", "state")} == \
        {k: v for k, v in vars(parsed).items() if k not in ("face", "encoding", "state")}


@pytest.mark.parametrize("path", [REGULAR, fonts.BUNDLED_DIR / "HandoutsArabic-Regular.ttf"])
def test_a_font_from_its_entry_is_the_parsed_font(cache: Path, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    first = fontcache.load("F", path, data, hashlib.sha256(data).digest())  # parsed, and kept
    assert [p.suffix for p in cache.iterdir()] == [".bin"]  # one entry, no temporary file left
    with monkeypatch.context() as patch:
        _no_parsing(patch)
        again = fontcache.load("F", path, data, hashlib.sha256(data).digest())
    _same_font(again, first)
    _same_font(again, ttfonts.TTFont("F", path))


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "other format", "not a dict"])
def test_a_damaged_entry_is_ignored_and_rewritten(cache: Path, damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = REGULAR.read_bytes()
    fontcache.load("F", REGULAR, data, hashlib.sha256(data).digest())
    (entry,) = cache.iterdir()
    good = entry.read_bytes()
    payload = marshal.dumps(["a list"])
    entry.write_bytes({"truncated": good[: len(good) // 2], "flipped": good[:-10] + bytes([good[-10] ^ 1]) + good[-9:],
                       "empty": b"", "other format": b"handouts font 0\n" + good[len(fontcache.FORMAT):],
                       "not a dict": fontcache.FORMAT + fontcache._digest(payload) + payload}[damage])
    font = fontcache.load("F", REGULAR, data, hashlib.sha256(data).digest())  # no traceback: parsed again
    _same_font(font, ttfonts.TTFont("F", REGULAR))
    assert entry.read_bytes() == good and sorted(p.name for p in cache.iterdir()) == [entry.name]
    with monkeypatch.context() as patch:
        _no_parsing(patch)
        fontcache.load("F", REGULAR, data, hashlib.sha256(data).digest())  # and read back


def test_the_entry_name_changes_with_the_font_bytes_python_reportlab_and_code(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = REGULAR.read_bytes()
    name = fontcache._entry(hashlib.sha256(data).digest())
    assert name is not None and name.parent == cache
    assert fontcache._entry(hashlib.sha256(data[:-1] + bytes([data[-1] ^ 1])).digest()) != name
    for target, attribute, value in ((sys, "version", sys.version + " other"), (__import__("reportlab"), "Version", "0.0"),
                                     (fontcache, "FORMAT", b"handouts font 2\n")):
        with monkeypatch.context() as patch:
            patch.setattr(target, attribute, value)
            fontcache._salt.cache_clear()
            assert fontcache._entry(hashlib.sha256(data).digest()) != name, attribute
    changed = cache.parent.parent / "fontcache.py"
    changed.write_bytes(Path(fontcache.__file__).read_bytes() + b"# another line\n")
    with monkeypatch.context() as patch:
        patch.setattr(fontcache, "__file__", str(changed))
        fontcache._salt.cache_clear()
        assert fontcache._entry(hashlib.sha256(data).digest()) != name, "code"
    fontcache._salt.cache_clear()
    assert fontcache._entry(hashlib.sha256(data).digest()) == name


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HANDOUTS_CACHE", str(blocker))
    font = fontcache.load("F", REGULAR, REGULAR.read_bytes(), hashlib.sha256(REGULAR.read_bytes()).digest())
    _same_font(font, ttfonts.TTFont("F", REGULAR))


def _handout(cache: Path, out: Path, *args: str) -> bytes:
    env = {**os.environ, "HANDOUTS_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1767225600"}
    done = subprocess.run([sys.executable, "generate.py", "handout", "microneedling/aftercare", "--brand", "default",
                           "-o", str(out), "--force", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
def test_pdfs_are_the_same_bytes_cold_warm_and_without_the_cache(tmp_path: Path, lang: str) -> None:
    blocker = tmp_path / "no-cache"
    blocker.write_text("a file where the cache folder would be")
    without = _handout(blocker, tmp_path / "none.pdf", "--lang", lang)
    cold = _handout(tmp_path / "cache", tmp_path / "cold.pdf", "--lang", lang)
    entries = sorted((tmp_path / "cache" / "fonts").iterdir())
    assert entries and all(p.suffix == ".bin" for p in entries)
    warm = _handout(tmp_path / "cache", tmp_path / "warm.pdf", "--lang", lang)
    assert sorted((tmp_path / "cache" / "fonts").iterdir()) == entries
    assert without == cold == warm
