"""Work a build does once per handout, not once per PDF: the reading grade is worked out once for all its brands and
layouts, and a handout edited between two builds in one process is graded afresh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handouts import readability


def _grades(out: Path) -> dict[str, float]:
    return {e["path"]: e["reading_grade"] for e in json.loads((out / "manifest.json").read_text())["handouts"]}


def test_the_reading_grade_is_worked_out_once_per_handout(run, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graded: list[str] = []
    real = readability.grade

    def counting(handout, settings):  # type: ignore[no-untyped-def]
        graded.append(handout.display)
        return real(handout, settings)

    monkeypatch.setattr(readability, "grade", counting)
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1", "--layout", "standard", "--layout", "large-print",
                 "--layout", "two-column")
    assert result.code == 0, result.err
    assert len(_grades(tmp_path / "out")) == 9  # 3 handout-brand pairs × 3 layouts
    assert sorted(graded) == sorted({*graded}) and len(graded) == 2, graded  # demo/aftercare.en and .es, once each


def test_a_handout_edited_between_two_builds_in_one_process_is_graded_again(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    before = _grades(out)["plain/demo-aftercare.en.standard.pdf"]
    handout = tree / "demo/aftercare.en.yaml"
    hard = ("  - paragraph: Notwithstanding considerable physiological inflammation, extraordinarily conscientious "
            "postprocedural moisturization substantially ameliorates epidermal rehabilitation, particularly "
            "concerning hypersensitive individuals experiencing desquamation.\n")
    handout.write_text(handout.read_text().replace("blocks:\n", "blocks:\n" + hard, 1))
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    after = _grades(out)
    assert after["plain/demo-aftercare.en.standard.pdf"] > before + 0.5
    assert after["teal/demo-aftercare.en.standard.pdf"] == after["plain/demo-aftercare.en.standard.pdf"]
