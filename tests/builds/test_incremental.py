"""The build record: a build identical to the last good one is recognised without loading content, and nothing else is."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from handouts import fingerprint, registry
from handouts.incremental import STATE_FILE, BuildRecord, tree_digest

REQUEST = {"brand": [], "handout": [], "lang": [], "layout": [], "shard": None, "page_size": None, "grayscale": False}


@pytest.fixture
def built(run, tree: Path, tmp_path: Path) -> Path:
    """The output of a good build of the fixture tree, with its record saved as a build with no errors saves it."""
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    outputs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    BuildRecord(tree, out, REQUEST).save(outputs, ["a warning line"])
    return out


def test_an_unchanged_build_is_recognised(tree: Path, built: Path) -> None:
    state = BuildRecord(tree, built, REQUEST).replay()
    assert state is not None
    assert state["warnings"] == ["a warning line"]
    assert sorted(state["outputs"]) == sorted(p.relative_to(built).as_posix() for p in built.rglob("*.pdf"))


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename"])
def test_any_change_to_the_content_tree_is_seen(tree: Path, built: Path, change: str) -> None:
    snippet = next((tree / "snippets").glob("*.yaml"))
    if change == "edit":
        snippet.write_text(snippet.read_text() + "\n# edited\n")
    elif change == "add":
        (tree / "brands" / "notes.txt").write_text("new")
    elif change == "remove":
        snippet.unlink()
    else:
        snippet.rename(snippet.with_name("renamed." + snippet.name))
    assert BuildRecord(tree, built, REQUEST).replay() is None


def test_another_request_is_not_the_same_build(tree: Path, built: Path) -> None:
    assert BuildRecord(tree, built, {**REQUEST, "grayscale": True}).replay() is None
    assert BuildRecord(tree, built, {**REQUEST, "shard": "1/2"}).replay() is None


def test_a_different_source_date_epoch_is_not_the_same_build(tree: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert BuildRecord(tree, built, REQUEST).replay() is None


def test_a_damaged_or_missing_pdf_or_an_edited_manifest_is_seen(tree: Path, built: Path) -> None:
    pdf = next(built.rglob("*.pdf"))
    data = pdf.read_bytes()
    pdf.write_bytes(data[:-10])
    assert BuildRecord(tree, built, REQUEST).replay() is None
    pdf.write_bytes(data)
    assert BuildRecord(tree, built, REQUEST).replay() is not None
    pdf.unlink()
    assert BuildRecord(tree, built, REQUEST).replay() is None
    pdf.write_bytes(data)
    manifest = built / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"title": "', '"title": "Edited '))
    assert BuildRecord(tree, built, REQUEST).replay() is None


def test_forget_removes_the_record_and_a_damaged_record_is_ignored(tree: Path, built: Path) -> None:
    (built / STATE_FILE).write_text("{not json")
    assert BuildRecord(tree, built, REQUEST).replay() is None
    BuildRecord(tree, built, REQUEST).forget()
    assert not (built / STATE_FILE).exists()
    BuildRecord(tree, built, REQUEST).forget()  # twice is fine


def test_an_unwritable_output_folder_is_never_a_no_op(tree: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open
    inside = built.resolve()

    def guarded(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        if flags & os.O_CREAT and Path(os.fsdecode(path)).resolve().parent == inside:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    assert BuildRecord(tree, built, REQUEST).replay() is None


def test_tree_digest_skips_the_output_folder_and_version_control(tree: Path) -> None:
    before = tree_digest(tree, skip=tree / "out")
    (tree / "out").mkdir()
    (tree / "out" / "x.pdf").write_bytes(b"%PDF")
    (tree / ".git").mkdir()
    (tree / ".git" / "index").write_bytes(b"index")
    assert tree_digest(tree, skip=tree / "out") == before
    (tree / "out" / "x.pdf").unlink()


def test_tree_digest_follows_a_linked_folder_once(tree: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "a.txt").write_text("one")
    (tree / "linked").symlink_to(shared, target_is_directory=True)
    (shared / "loop").symlink_to(shared, target_is_directory=True)
    before = tree_digest(tree)
    (shared / "a.txt").write_text("two")
    assert tree_digest(tree) != before


def test_every_pdf_the_manifest_lists_is_checked_not_only_this_builds(tree: Path, built: Path) -> None:
    outputs = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.pdf"))
    BuildRecord(tree, built, REQUEST).save(outputs[:1], [])  # a filtered build: the others came from an earlier one
    assert BuildRecord(tree, built, REQUEST).replay() is not None
    other = built / outputs[-1]
    data = other.read_bytes()
    other.write_bytes(data[:-5])
    assert BuildRecord(tree, built, REQUEST).replay() is None
    other.write_bytes(data)


def test_the_engine_hash_covers_the_code_of_the_layouts(tmp_path: Path) -> None:
    import handouts.layouts

    folder = Path(handouts.layouts.__file__).parent
    assert folder in registry.sources()
    copy = tmp_path / "layouts"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert fingerprint._engine_hash((fingerprint.PACKAGE, copy)) == fingerprint.engine_hash()
    fingerprint._engine_hash.cache_clear()
    (copy / "standard.py").write_text((copy / "standard.py").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert fingerprint._engine_hash((fingerprint.PACKAGE, copy)) != fingerprint.engine_hash()
