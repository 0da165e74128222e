"""A YAML file read before is taken from the kept trees: the same tree, line for line; a changed byte, parser or loader
reads the file again; a file with a problem, or a patient's details, is never kept."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from handouts import yamlcache, yamlsafe
from handouts.errors import Problems
from handouts.patient import read_patient_file
from handouts.yamlsafe import Mapping, Sequence, Text

ROOT = Path(__file__).resolve().parents[2]
SHEET = """\
# a handout
title: Caring for your skin
blocks:
  - heading: "Wash \\u00e9 gently"
  - steps:
      - Wash your hands.
      - >
        Pat it dry.
  - empty: ""
version: "4"
"""


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HANDOUTS_CACHE", str(folder))
    return folder / "yaml"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.bin")) if folder.exists() else []


def shape(node: object) -> object:
    """Everything a tree holds: types, values, lines and key lines, in order."""
    if isinstance(node, Mapping):
        return ("mapping", node.line, [(k, node.key_lines[k], shape(v)) for k, v in node.items()])
    if isinstance(node, Sequence):
        return ("sequence", node.line, [shape(v) for v in node])
    assert isinstance(node, Text)
    return ("text", node.line, str(node))


def load(path: Path) -> tuple[object, list[str]]:
    problems = Problems(path.name)
    node = yamlcache.load_file(path, path.name, problems)
    return node, [str(p) for p in problems.items]


def test_a_file_read_again_is_the_same_tree_without_parsing(kept: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "aftercare.en.yaml"
    path.write_text(SHEET, encoding="utf-8")
    first, problems = load(path)
    assert problems == [] and len(entries(kept)) == 1
    parsed = yamlsafe.load_text(SHEET)
    monkeypatch.setattr(yamlsafe, "_build", lambda text: pytest.fail("parsed again"))
    again, problems = load(path)
    assert problems == []
    assert shape(again) == shape(first) == shape(parsed)
    assert again["blocks"][0]["heading"] == "Wash é gently" and again.line_of("version") == 10


def test_the_bytes_of_a_file_are_hashed_once_each_time_it_is_read(kept: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "aftercare.en.yaml"
    path.write_text(SHEET, encoding="utf-8")
    data = path.read_bytes()
    hashed: list[bytes] = []

    def sha256(value: bytes = b"") -> Any:
        hashed.append(value)
        return hashlib.sha256(value)

    monkeypatch.setattr(yamlcache, "hashlib", SimpleNamespace(sha256=sha256))
    for _ in range(2):  # a new tree kept, then found
        hashed.clear()
        node, problems = load(path)
        assert node is not None and problems == []
        assert hashed.count(data) == 1
    assert len(entries(kept)) == 1


def test_a_changed_file_is_read_anew(kept: Path, tmp_path: Path) -> None:
    path = tmp_path / "aftercare.en.yaml"
    path.write_text(SHEET, encoding="utf-8")
    load(path)
    path.write_text(SHEET.replace("Pat it dry.", "Pat it dry with a clean towel."), encoding="utf-8")
    again, _ = load(path)
    assert again["blocks"][1]["steps"][1] == "Pat it dry with a clean towel.\n"
    assert len(entries(kept)) == 2


def test_a_changed_loader_or_parser_reads_every_file_anew(kept: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "aftercare.en.yaml"
    path.write_text(SHEET, encoding="utf-8")
    load(path)
    edited = tmp_path / "yamlsafe.py"  # the loader's code, one comment longer
    edited.write_text(Path(yamlsafe.__file__).read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    monkeypatch.setattr(yamlsafe, "__file__", str(edited))
    yamlcache._salt.cache_clear()
    try:
        load(path)
        assert len(entries(kept)) == 2
        monkeypatch.setattr(sys, "version", sys.version + " (another build)")  # what normalises Unicode and writes entries
        yamlcache._salt.cache_clear()
        load(path)
        assert len(entries(kept)) == 3
    finally:
        monkeypatch.undo()
        yamlcache._salt.cache_clear()


@pytest.mark.parametrize("text", ["title: [unclosed\n", "a: 1\na: 2\n", "x: &a 1\n", "\t- tab\n", ""])
def test_a_file_with_a_problem_is_never_kept(kept: Path, tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    _, first = load(path)
    _, again = load(path)
    assert first and again == first
    assert entries(kept) == []


def test_a_patients_details_are_never_kept(kept: Path, tmp_path: Path) -> None:
    path = tmp_path / "patient.yaml"
    path.write_text("name: Ana Lima\ndate: 2026-11-24\n", encoding="utf-8")
    assert read_patient_file(str(path)).name == "Ana Lima"
    assert not kept.exists() or not any(kept.rglob("*"))


@pytest.mark.parametrize("data", [b"", b"not json", b"[0, 1]", b'[1, 1, [[2, 3, [0, 1, "x"]]]]', b'[0, 1, ["x"]]',
                                  b'[7, 1, "x"]', b"[" * 5000, b'[0, Infinity, "x"]', b'[1, 1e999, []]',
                                  b'[1, 1, [["title", NaN, [0, 1, "x"]]]]'])
def test_an_entry_that_cannot_be_read_is_not_used_and_is_written_anew(kept: Path, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "aftercare.en.yaml"
    path.write_text(SHEET, encoding="utf-8")
    first, _ = load(path)
    [entry] = entries(kept)
    entry.write_bytes(data)
    again, problems = load(path)
    assert problems == [] and shape(again) == shape(first)
    assert json.loads(entry.read_bytes())[0] == 1  # the mapping's tree, written again


def test_a_cache_folder_that_cannot_be_written_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("HANDOUTS_CACHE", str(blocked))
    path = tmp_path / "aftercare.en.yaml"
    path.write_text(SHEET, encoding="utf-8")
    assert load(path)[1] == [] and load(path)[0]["title"] == "Caring for your skin"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aftercare.en.yaml", "file"]


def test_a_handout_whose_files_were_read_before_imports_no_yaml_parser_and_prints_the_same_pdf(tmp_path: Path) -> None:
    env = {**os.environ, "HANDOUTS_CACHE": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1767225600"}
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("build"))
    code = ("import sys; from handouts.cli import main; code = main(sys.argv[1:]); "
            "print(code, 'yaml' in sys.modules, 'yaml.reader' in sys.modules)")
    printed = []
    for n in (1, 2):
        result = subprocess.run([sys.executable, "-c", code, "handout", "microneedling/aftercare", "--brand", "default", "--content",
                                 str(content), "-o", str(tmp_path / f"{n}.pdf")], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        printed.append(result.stdout.splitlines()[-1])
    assert printed == ["0 True True", "0 False False"]
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()
