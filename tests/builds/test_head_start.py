"""A build with workers of a large catalogue starts printing the first treatments' PDFs while it loads the rest (a head
start): the same bytes, manifest and problems as a build in one process; what the whole catalogue does not plan alike
is thrown away; a worker killed meanwhile loses no PDF."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from handouts import build, cli, files, parallel

pytestmark = pytest.mark.timeout(300)
RUN_JOB = build.run_job


def _many(tree: Path, count: int = cli.HEAD_START_FOLDERS) -> Path:
    """The fixture tree with `count` treatment folders: copies of demo's English aftercare under new names."""
    source = tree / "demo"
    (source / "aftercare.es.yaml").unlink()
    text = (source / "aftercare.en.yaml").read_text(encoding="utf-8")
    for copy in range(1, count):
        folder = tree / f"demo-{copy:02d}"
        shutil.copytree(source, folder)
        (folder / "aftercare.en.yaml").write_text(re.sub(r"(?m)^id: *(\S+)", rf"id: \g<1>-{copy:02d}", text, count=1), encoding="utf-8")
    return tree


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def _assert_true_to_disk(out: Path) -> None:
    body = json.loads((out / "manifest.json").read_text())
    for entry in body["handouts"] + body["copies"]:
        assert files.sha256_or_none(out / entry["path"]) == entry["sha256"], entry["path"]
    assert {e["path"] for e in body["handouts"]} == {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")}
    assert not [p for p in out.rglob(".*") if files.TEMP_FILE.match(p.name)]


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The PDFs the build took from its head start."""
    found: list[str] = []
    real = parallel.HeadStart.take

    def spy(self, job, inputs):  # type: ignore[no-untyped-def]
        future = real(self, job, inputs)
        if future is not None:
            found.append(job.output)
        return future

    monkeypatch.setattr(parallel.HeadStart, "take", spy)
    return found


def test_a_head_start_build_writes_what_a_one_process_build_writes(run, tree: Path, tmp_path: Path, taken: list[str]) -> None:
    content = _many(tree)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run("build", "--content", content, "--out", one, "--jobs", "1").code == 0
    assert not taken
    result = run("build", "--content", content, "--out", two, "--jobs", "2")
    assert result.code == 0, result.err
    first = sorted(content.glob("demo*"))[:len(taken) // 2]
    assert len(taken) == 4 and {Path(p).name.split("-aftercare")[0] for p in taken} == {f.name for f in first}
    assert _outputs(two) == _outputs(one) and len([p for p in _outputs(one) if p.endswith(".pdf")]) == 24
    _assert_true_to_disk(two)


def test_pdfs_begun_for_a_brand_the_whole_catalogue_refuses_are_thrown_away(run, tree: Path, tmp_path: Path,
                                                                           taken: list[str]) -> None:
    content = _many(tree)
    kit = content / "brands" / "teal" / "brand.yaml"
    kit.write_text(kit.read_text().replace('settings: {wait_hours: "48"}', 'settings: {wait_hours: "48", no_such_setting: "1"}'))
    one, two = tmp_path / "one", tmp_path / "two"
    first = run("build", "--content", content, "--out", one, "--jobs", "1")
    second = run("build", "--content", content, "--out", two, "--jobs", "2")
    assert first.code == second.code == 1
    assert "unknown setting 'no_such_setting'" in second.err
    assert second.err.replace(str(two), "OUT") == first.err.replace(str(one), "OUT")
    assert taken and not [p for p in taken if p.startswith("teal/")]  # begun early (the first look checks no brand), never taken
    assert _outputs(two) == _outputs(one) and not list(two.glob("teal/*.pdf"))
    _assert_true_to_disk(two)


def _dies_in_the_head_start(catalogue, job, out, options, inputs):  # type: ignore[no-untyped-def]
    if os.getpid() != int(os.environ["TEST_BUILD_PID"]) and len(catalogue.treatments) < cli.HEAD_START_FOLDERS:
        os._exit(9)  # killed (out of memory, a crash in a C library) while the build still loads the catalogue
    return RUN_JOB(catalogue, job, out, options, inputs)


def test_a_worker_killed_during_the_head_start_loses_no_pdf(run, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = _many(tree)
    out = tmp_path / "out"
    assert run("build", "--content", content, "--out", out, "--jobs", "1").code == 0
    before = _outputs(out)
    for handout in content.glob("demo*/aftercare.en.yaml"):  # every PDF changes
        handout.write_text(handout.read_text(encoding="utf-8").replace("title:", "title: New", 1), encoding="utf-8")
    monkeypatch.setenv("TEST_BUILD_PID", str(os.getpid()))
    monkeypatch.setattr(build, "run_job", _dies_in_the_head_start)
    result = run("build", "--content", content, "--out", out, "--jobs", "2", "--force")
    assert result.code == 1 and result.err.endswith(
        "error: a worker process stopped before it finished its sheet (it was killed, ran out of memory or crashed); every PDF "
        "finished before is kept and the manifest lists what is on disk: run the command again to finish\n"), result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert {p: data for p, data in _outputs(out).items() if p.endswith(".pdf")} == {p: data for p, data in before.items() if p.endswith(".pdf")}
    body = json.loads((out / "manifest.json").read_text())
    for entry in body["handouts"]:
        assert files.sha256_or_none(out / entry["path"]) == entry["sha256"], entry["path"]
    monkeypatch.setattr(build, "run_job", RUN_JOB)
    assert run("build", "--content", content, "--out", out, "--jobs", "2").code == 0
    _assert_true_to_disk(out)


def test_a_pdf_begun_with_other_inputs_is_not_taken(tree: Path, tmp_path: Path, taken: list[str]) -> None:
    from handouts.content import load_catalogue
    from handouts.fingerprint import fingerprint
    from handouts.jobs import Options, plan

    catalogue = load_catalogue(tree)
    jobs = plan(catalogue)[:2]
    inputs = [fingerprint(catalogue, job, Options().key(), {}) for job in jobs]
    head = parallel.HeadStart(build.run_job, catalogue, [(jobs[0], "begun before a file changed"), (jobs[1], inputs[1])], tmp_path, 2,
                              Options())
    outcomes = build.build_all(catalogue, jobs, tmp_path, workers=2, head=head)
    assert [o.entry["inputs"] if o.entry else None for o in outcomes] == inputs
    assert taken == [jobs[1].output]
