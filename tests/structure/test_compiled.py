"""The engine's dataclasses take the code of their generated methods from a file kept beside the bytecode: the same code
dataclasses compiles, never the code kept for another text, and no file where Python writes no bytecode."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handouts import compiled

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh set of kept methods in a file of its own (as if no process had run before)."""
    path = tmp_path / "dataclasses.bin"
    monkeypatch.setattr(compiled, "cache_file", lambda: path)
    monkeypatch.setattr(compiled, "_CODES", compiled._Codes())
    return path


def next_process(monkeypatch: pytest.MonkeyPatch) -> compiled._Codes:
    """What the next process starts with: only the file."""
    codes = compiled._Codes()
    monkeypatch.setattr(compiled, "_CODES", codes)
    return codes


def visit(decorator, **options):
    @decorator(**options)
    class Visit:
        """A visit."""

        name: str
        day: int = 0
        notes: tuple[str, ...] = dataclasses.field(default_factory=tuple)

    return Visit


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"frozen": True, "order": True}, {"eq": False}, {"kw_only": True}])
def test_a_class_gets_the_very_methods_dataclasses_makes(kept: Path, monkeypatch: pytest.MonkeyPatch, options: dict) -> None:
    plain = visit(dataclasses.dataclass, **options)
    made = visit(compiled.dataclass, **options)
    compiled._CODES.save()
    again = (next_process(monkeypatch), visit(compiled.dataclass, **options))[1]
    assert not compiled._CODES.new  # every method came from the file
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__"):
        mine, theirs = made.__dict__.get(name), plain.__dict__.get(name)
        assert (mine is None) == (theirs is None), name
        if theirs is not None and hasattr(theirs, "__code__"):
            assert mine.__code__ == theirs.__code__ == again.__dict__[name].__code__, name
            assert mine.__code__.co_flags == theirs.__code__.co_flags, name  # no future flag picked up on the way
    first, second = (made(name="Ana", day=1), made(name="Ana", day=1)) if options.get("kw_only") else (made("Ana", 1), made("Ana", 1))
    assert repr(first) == repr(plain(name="Ana", day=1)).replace(plain.__qualname__, made.__qualname__)
    assert (first == second) is (options.get("eq", True))
    assert [f.name for f in dataclasses.fields(made)] == ["name", "day", "notes"]
    assert dataclasses.replace(first, day=2).day == 2
    if options.get("frozen"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            first.day = 3  # type: ignore[misc]
        assert hash(first) == hash(second)


def test_a_changed_class_gets_the_code_of_its_new_text(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    @compiled.dataclass(frozen=True)
    class Appointment:
        when: str

    compiled._CODES.save()
    assert kept.is_file()
    next_process(monkeypatch)

    @compiled.dataclass(frozen=True)
    class Appointment:  # type: ignore[no-redef]  # the same class with a field more, as after an edit
        when: str
        provider: str = "Dr Lee"

    made = Appointment("Tuesday", "Dr Roe")
    assert made.provider == "Dr Roe" and repr(made).endswith("Appointment(when='Tuesday', provider='Dr Roe')")
    assert made != Appointment("Tuesday")
    assert compiled._CODES.new  # the new text was compiled, not found


@pytest.mark.parametrize("data", [b"", b"garbage", compiled._HEADER + b"\x00\x01", compiled._HEADER + b"\xe9junk",
                                  b"\x00\x00\x00\x00" + b"{}", compiled._HEADER + __import__("marshal").dumps({"x": 1})])
def test_a_file_that_cannot_be_read_is_not_used_and_is_written_anew(kept: Path, data: bytes) -> None:
    kept.write_bytes(data)
    made = visit(compiled.dataclass, frozen=True)
    assert made("Ana").day == 0
    compiled._CODES.save()
    assert kept.read_bytes().startswith(compiled._HEADER)
    assert len(compiled._Codes()._read()) >= 3


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setattr(compiled, "cache_file", lambda: blocked / "dataclasses.bin")  # a "folder" that is a file
    monkeypatch.setattr(compiled, "_CODES", compiled._Codes())
    assert visit(compiled.dataclass)("Ana").name == "Ana"
    compiled._CODES.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def python(code: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_process_keeps_the_methods_beside_the_bytecode_for_the_next(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "bytecode")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    probe = "import handouts.blocks; from handouts import compiled; print(len(compiled._CODES.new), compiled.cache_file())"
    made, where = python(probe, env).split()
    assert int(made) > 20
    assert Path(where).is_file() and Path(where).is_relative_to(tmp_path / "bytecode")
    assert python(probe, env).split()[0] == "0"  # all read back


def test_no_file_is_written_where_python_writes_no_bytecode(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "bytecode"), "PYTHONDONTWRITEBYTECODE": "1"}
    python("import handouts.blocks", env)
    assert not (tmp_path / "bytecode").exists() or not list((tmp_path / "bytecode").rglob("dataclasses.*"))


def _flipped() -> bytes:
    """Kept methods with one byte changed so that marshal itself fails on them with SystemError (a bad sector does this)."""
    import marshal

    good = marshal.dumps({"x": compile("x = 1", "<string>", "exec")})
    for at in range(len(good)):
        bad = good[:at] + b"[" + good[at + 1:]
        try:
            marshal.loads(bad)
        except SystemError:
            return compiled._HEADER + bad
        except Exception:
            continue
    pytest.skip("this Python's marshal rejects every such change with an ordinary error")


def test_a_file_that_marshal_fails_on_is_not_used_and_is_written_anew(kept: Path) -> None:
    kept.write_bytes(_flipped())
    made = visit(compiled.dataclass, frozen=True)
    assert made("Ana").day == 0
    compiled._CODES.save()
    assert len(compiled._Codes()._read()) >= 3


def test_a_file_changed_in_a_way_marshal_still_reads_is_not_used(kept: Path) -> None:
    visit(compiled.dataclass, frozen=True)
    compiled._CODES.save()
    data = kept.read_bytes()
    assert len(compiled._Codes()._read()) >= 3
    at = data.index(b"__create_fn__")  # inside a method's source text, a key of the kept table
    kept.write_bytes(data[:at] + b"__create_fN__" + data[at + len(b"__create_fn__"):])
    assert compiled._Codes()._read() == {}
