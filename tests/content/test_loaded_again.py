"""Loading an unchanged tree again in the same process takes the validated files kept by `handouts.loaded`: the same
results and problems, without parsing; a changed file, or a changed picture or logo it names, is read again. A file is
trusted by its version once its times are older than when it was checked; a racy one (written too close to that time to
tell a later write in the same tick of the clock) is read and hashed again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from handouts import content, files, loaded
from handouts.content import load_catalogue
from handouts.errors import WARNING, Problems
from handouts.patient import read_patient_file

AFTERCARE = ("demo", "aftercare")


@pytest.fixture(autouse=True)
def nothing_kept():
    loaded.clear()
    yield
    loaded.clear()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The content files the loaders read and parse, in order."""
    seen: list[Path] = []
    real = content.load_file

    def counting(path, *args, **kwargs):
        seen.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(content, "load_file", counting)
    return seen


def _one_file(folder: Path) -> Path:
    """A small YAML file for the tests that call loaded.load with work of their own."""
    path = folder / "file.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    return path


def _same_size_and_time(path: Path, old: str, new: str) -> None:
    """Replace one text of a file by another of the same length, giving the file back its size and times."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns


def test_a_second_load_is_equal_and_a_third_parses_nothing(tree: Path, parses: list[Path]) -> None:
    first = load_catalogue(tree)
    second = load_catalogue(tree)
    assert first == second and first.problems == second.problems
    parses.clear()
    hits = loaded.hits
    third = load_catalogue(tree)
    assert third == first and third.problems == first.problems
    assert parses == [], "every content file of an unchanged tree comes from what was kept"
    assert loaded.hits > hits
    handout = third.treatments["demo"].handouts[("aftercare", "en")]
    assert any(path.endswith("aftercare.en.yaml") for path in loaded.kept_paths())
    assert [(where, block.line) for where, block in handout.blocks] == [
        (where, block.line) for where, block in first.treatments["demo"].handouts[("aftercare", "en")].blocks]


def test_a_file_edited_with_its_old_size_and_time_is_read_again(tree: Path, parses: list[Path]) -> None:
    path = tree / "demo" / "aftercare.en.yaml"
    for _ in range(2):
        before = load_catalogue(tree)
    title = before.treatments["demo"].handouts[("aftercare", "en")].title
    _same_size_and_time(path, title, title[::-1])
    parses.clear()
    after = load_catalogue(tree)
    assert path in parses
    assert after.treatments["demo"].handouts[("aftercare", "en")].title == title[::-1]


def test_an_edited_snippet_and_settings_file_are_read_again(tree: Path) -> None:
    for _ in range(2):
        load_catalogue(tree)
    snippet = tree / "snippets" / "call.en.yaml"
    _same_size_and_time(snippet, "fever", "FEVER")
    settings = tree / "demo" / "settings.yaml"
    _same_size_and_time(settings, "default:", "defualt:")  # a misspelt required key: an error, at its line
    again = load_catalogue(tree)
    assert any("default" in p.message and p.path.endswith("settings.yaml") for p in again.problems)
    _same_size_and_time(settings, "defualt:", "default:")
    fixed = load_catalogue(tree)
    assert not fixed.failed
    blocks = fixed.treatments["demo"].handouts[("aftercare", "en")].blocks
    assert any("FEVER" in rich.raw for where, block in blocks if where.endswith("call.en.yaml") for rich in block.texts())


def test_a_picture_replaced_with_its_old_size_and_time_is_checked_again(tree: Path) -> None:
    for _ in range(3):
        assert not load_catalogue(tree).problems or True
    picture = tree / "demo" / "images" / "diagram.png"
    info = picture.stat()
    picture.write_bytes(b"\0" * info.st_size)  # no longer a PNG
    os.utime(picture, ns=(info.st_atime_ns, info.st_mtime_ns))
    again = load_catalogue(tree)
    assert any(p.path.endswith("aftercare.en.yaml") and "diagram.png" in p.message for p in again.problems), again.problems
    assert ("aftercare", "en") not in again.treatments["demo"].handouts


def test_a_picture_written_while_its_handout_is_validated_is_checked_again(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    picture = tree / "demo" / "images" / "diagram.png"
    real = content._read_handout
    armed = [False]

    def racing(root, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        out = real(root, path, *args, **kwargs)
        if armed[0] and path.name == "aftercare.en.yaml":  # validated against the old picture, which is now replaced
            picture.write_bytes(b"\0" * picture.stat().st_size)
            armed[0] = False
        return out

    monkeypatch.setattr(content, "_read_handout", racing)
    load_catalogue(tree)
    armed[0] = True
    load_catalogue(tree)
    monkeypatch.setattr(content, "_read_handout", real)
    again = load_catalogue(tree)
    assert any(p.path.endswith("aftercare.en.yaml") and "diagram.png" in p.message for p in again.problems), again.problems
    assert ("aftercare", "en") not in again.treatments["demo"].handouts


def test_a_logo_replaced_with_its_old_size_and_time_is_checked_again(tree: Path) -> None:
    for _ in range(3):
        assert "teal" in load_catalogue(tree).brands
    logo = tree / "brands" / "teal" / "logo.svg"
    info = logo.stat()
    logo.write_bytes(b"x" * info.st_size)  # no longer an SVG
    os.utime(logo, ns=(info.st_atime_ns, info.st_mtime_ns))
    again = load_catalogue(tree)
    assert "teal" not in again.brands
    assert any(p.path.endswith("teal/brand.yaml") and "logo" in p.message for p in again.problems), again.problems


def test_what_a_caller_changes_is_not_what_the_next_load_gets(tree: Path) -> None:
    for _ in range(2):
        load_catalogue(tree)
    first = load_catalogue(tree)
    handout = first.treatments["demo"].handouts[("aftercare", "en")]
    expected = load_catalogue(tree).treatments["demo"].handouts[("aftercare", "en")]
    handout.blocks[0][1].line = 999
    handout.blocks.clear()
    first.brands["teal"].contact["phone"] = "0"
    first.treatments["demo"].settings.clear()
    again = load_catalogue(tree)
    assert again.treatments["demo"].handouts[("aftercare", "en")] == expected
    assert again.brands["teal"].contact["phone"] != "0"
    assert again.treatments["demo"].settings


def test_the_problems_of_a_kept_file_are_recorded_again_on_every_load(tmp_path: Path) -> None:
    path = _one_file(tmp_path)
    runs = []

    def work(problems: Problems) -> dict[str, int]:
        runs.append(1)
        problems.add(3, "a warning", "something better", WARNING)
        return {"a": 1}

    found = []
    for _ in range(4):
        problems = Problems("shown/file.yaml")
        assert loaded.load("test", path, (), problems, lambda p=problems: work(p)) == {"a": 1}
        found.append(problems.items)
    assert len(runs) == 2, "kept from the second load on"
    assert all(items == found[0] for items in found) and found[0][0].line == 3 and found[0][0].severity == WARNING


def test_a_file_with_an_error_is_never_kept(tmp_path: Path) -> None:
    path = _one_file(tmp_path)
    runs = []

    def work(problems: Problems) -> dict[str, int]:
        runs.append(1)
        problems.add(1, "an error")
        return {"a": 1}

    for _ in range(3):
        problems = Problems("file.yaml")
        loaded.load("test", path, (), problems, lambda p=problems: work(p))
        assert [p.message for p in problems.items] == ["an error"]
    assert len(runs) == 3 and loaded.kept_paths() == []


def test_the_inputs_of_the_loader_are_part_of_what_is_kept(tmp_path: Path) -> None:
    path = _one_file(tmp_path)
    for inputs in [("en",), ("en",), ("en",), ("es",)]:
        got = loaded.load("test", path, inputs, Problems("file.yaml"), lambda inputs=inputs: list(inputs))
        assert got == list(inputs)


def test_what_is_kept_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaded, "MAX_ENTRIES", 5)
    for i in range(12):
        path = tmp_path / f"f{i}.yaml"
        path.write_text(f"a: {i}\n", encoding="utf-8")
        for _ in range(2):
            loaded.load("test", path, (), Problems(path.name), lambda i=i: i)
    assert len(loaded.kept_paths()) <= 5
    monkeypatch.setattr(loaded, "MAX_BYTES", 1)
    loaded.load("test", tmp_path / "f0.yaml", (), Problems("f0.yaml"), lambda: 0)
    assert len(loaded.kept_paths()) == 0


def test_a_file_replaced_by_a_link_outside_the_tree_is_refused_again(tree: Path) -> None:
    path = tree / "demo" / "aftercare.en.yaml"
    for _ in range(3):
        assert ("aftercare", "en") in load_catalogue(tree).treatments["demo"].handouts
    outside = tree.parent / "outside.yaml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    again = load_catalogue(tree)
    assert ("aftercare", "en") not in again.treatments["demo"].handouts
    assert any("outside the content folder" in p.message for p in again.problems)


def test_patient_files_are_never_kept(tmp_path: Path, tree: Path) -> None:
    patient = tmp_path / "patient.yaml"
    patient.write_text("name: Jane Example\ndate: 2030-01-02\n", encoding="utf-8")
    for _ in range(3):
        assert read_patient_file(str(patient)) is not None
        load_catalogue(tree)
    assert loaded.kept_paths() and str(patient) not in loaded.kept_paths()
    assert not any("Jane" in repr(entry) for entry in loaded._entries.values())


def test_set_aside_loads_as_a_process_that_kept_nothing_and_then_keeps_what_it_had(tree: Path, parses: list[Path]) -> None:
    load_catalogue(tree)
    first = list(parses)
    load_catalogue(tree)
    kept = loaded.kept_paths()
    assert kept
    with loaded.set_aside():
        parses.clear()
        load_catalogue(tree)
        assert parses == first, "while set aside, every file is validated again"
    assert loaded.kept_paths() == kept
    parses.clear()
    load_catalogue(tree)
    assert parses == []


def test_a_result_that_cannot_be_pickled_is_loaded_every_time(tmp_path: Path) -> None:
    path = _one_file(tmp_path)
    calls: list[int] = []

    def work():
        calls.append(1)
        return lambda: None  # what a plugin's option might return: not picklable

    for _ in range(3):
        assert callable(loaded.load("test", path, (), Problems("file.yaml"), work))
    assert len(calls) == 3


@pytest.fixture
def digests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files `loaded` itself reads and hashes, by real path, in order."""
    seen: list[str] = []
    real = loaded._digest

    def counting(name: str) -> bytes | None:
        seen.append(name)
        return real(name)

    monkeypatch.setattr(loaded, "_digest", counting)
    return seen


def _later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loads from now on happen ten seconds later by the clock: no file written so far is racy any more."""
    monkeypatch.setattr(loaded, "_now", lambda: time.time_ns() + 10 * 10**9)


def _racy_for_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written within five seconds of a check are racy: the files of the test are, however slowly it runs."""
    monkeypatch.setattr(loaded, "RACY_NS", 5 * 10**9)


def _same_version(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """From now on the file keeps the version it has now, however it is written: as a write within the same tick of the
    file system's clock leaves it (same size, inode and times)."""
    info = path.stat()
    frozen = loaded.version_of(info)
    real = loaded.version_of

    def version_of(now: os.stat_result) -> tuple[int, ...]:
        return frozen if (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino) else real(now)

    monkeypatch.setattr(loaded, "version_of", version_of)


def _title(tree: Path) -> str:
    return load_catalogue(tree).treatments["demo"].handouts[("aftercare", "en")].title


def test_an_old_unchanged_tree_is_not_read_again_and_a_miss_reads_each_file_once(tree: Path, parses: list[Path],
                                                                                 digests: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _later(monkeypatch)
    load_catalogue(tree)
    assert not [name for name in digests if name.endswith(".yaml")], "a YAML file's sha256 is the one its loader took"
    assert len(digests) == len(set(digests)), "a picture, logo or font is hashed once"
    load_catalogue(tree)
    parses.clear()
    digests.clear()
    hits = loaded.hits
    load_catalogue(tree)
    assert parses == [] and loaded.hits > hits
    assert digests == [], "an unchanged file whose times are old is trusted by its version"


def test_a_file_written_again_within_its_clock_tick_is_read_again_while_racy(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _racy_for_seconds(monkeypatch)
    path = tree / "demo" / "aftercare.en.yaml"
    for _ in range(2):
        title = _title(tree)  # kept just after the file was written: racy
    _same_version(monkeypatch, path)
    _same_size_and_time(path, title, title[::-1])
    assert _title(tree) == title[::-1]


def test_a_file_written_again_within_its_clock_tick_is_trusted_once_its_times_are_old(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tree / "demo" / "aftercare.en.yaml"
    _later(monkeypatch)
    for _ in range(2):
        title = _title(tree)
    _same_version(monkeypatch, path)
    _same_size_and_time(path, title, title[::-1])
    assert _title(tree) == title, "the same version long after its times: the file is taken as unchanged, as git does"
    monkeypatch.setattr(loaded, "version_of", files.version_of)
    assert _title(tree) == title[::-1], "its status-change time tells the write"


def test_a_racy_file_found_unchanged_is_read_again_only_while_racy(tree: Path, digests: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _racy_for_seconds(monkeypatch)
    path = str((tree / "demo" / "aftercare.en.yaml").resolve())
    for _ in range(2):
        load_catalogue(tree)
    digests.clear()
    load_catalogue(tree)
    assert path in digests, "racy: read and hashed again"
    _later(monkeypatch)
    digests.clear()
    load_catalogue(tree)
    assert path in digests, "still racy against the time it was checked"
    digests.clear()
    hits = loaded.hits
    load_catalogue(tree)
    assert path not in digests and loaded.hits > hits, "found unchanged when no longer racy: its version is trusted"


def test_a_file_touched_with_the_same_bytes_is_not_validated_again(tree: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _later(monkeypatch)
    for _ in range(2):
        load_catalogue(tree)
    os.utime(tree / "demo" / "aftercare.en.yaml")
    parses.clear()
    load_catalogue(tree)
    assert parses == []


def test_a_picture_written_again_within_its_clock_tick_is_checked_again_while_racy(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _racy_for_seconds(monkeypatch)
    for _ in range(3):
        load_catalogue(tree)
    picture = tree / "demo" / "images" / "diagram.png"
    _same_version(monkeypatch, picture)
    picture.write_bytes(b"\0" * picture.stat().st_size)
    again = load_catalogue(tree)
    assert any(p.path.endswith("aftercare.en.yaml") and "diagram.png" in p.message for p in again.problems), again.problems


@pytest.mark.parametrize(("written", "racy"), [(10**9 * 100 + 1, False), (10**9 * 100 + 1 + 950 * 10**6, True), (10**9 * 100, True)])
def test_a_file_is_racy_within_a_tick_of_its_clock_or_two_seconds_when_its_times_are_whole_seconds(written: int, racy: bool) -> None:
    checked = 10**9 * 101 + 1  # a second after the first time: not racy on a file system with fine times, racy on a coarse one
    assert loaded._racy((0, 0, 0, written, written), checked) is racy
