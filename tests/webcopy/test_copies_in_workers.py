"""With worker processes, a build's workers render the web copies' handout pages beside the PDFs and the build puts
each brand's copy together: the same bytes as a build in one process, the same problems, and a page a worker could not
render is rendered again by the build; a failure leaves no half-written copy and a manifest true to the disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import copy_content
from handouts import build, files, htmlcopy
from handouts.flowables import RenderError

pytestmark = pytest.mark.timeout(240)
PAGE_COPY = htmlcopy.page_copy
RUN_JOB = build.run_job


def _copies(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob("*/html/**/*")) if p.is_file()}


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def _assert_true_to_disk(out: Path) -> None:
    body = _manifest(out)
    for entry in body["handouts"] + body["copies"]:
        assert files.sha256_or_none(out / entry["path"]) == entry["sha256"], entry["path"]
    assert {e["path"] for e in body["copies"]} == set(_copies(out))
    assert not [p for p in out.rglob(".*") if files.TEMP_FILE.match(p.name)]


def test_a_two_worker_build_writes_the_web_copies_of_a_one_process_build_byte_for_byte(run, tmp_path: Path,
                                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_content(tmp_path / "content")  # six languages, scripts that need their own web fonts
    one, two = tmp_path / "one", tmp_path / "two"
    assert run("build", "--content", content, "--out", one, "--jobs", "1").code == 0
    in_main: list[htmlcopy.PageKey] = []
    real = htmlcopy._page_copy

    def spy(site, logo, key):  # type: ignore[no-untyped-def]
        in_main.append(key)  # a worker appends to its own copy of the list, not this process's
        return real(site, logo, key)

    monkeypatch.setattr(htmlcopy, "_page_copy", spy)
    result = run("build", "--content", content, "--out", two, "--jobs", "2")
    assert result.code == 0
    assert in_main == []  # every handout page came from the workers
    assert _copies(two) == _copies(one) and len(_copies(one)) > 40
    assert _manifest(two)["copies"] == _manifest(one)["copies"]
    _assert_true_to_disk(two)


def _fails_in_workers(catalogue, key):  # type: ignore[no-untyped-def]
    if os.getpid() != int(os.environ["TEST_BUILD_PID"]) and key[3] == "es":
        raise RuntimeError("a worker failed")
    return PAGE_COPY(catalogue, key)


def test_pages_a_worker_could_not_render_are_rendered_by_the_build(run, tree: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run("build", "--content", tree, "--out", one, "--jobs", "1").code == 0
    monkeypatch.setenv("TEST_BUILD_PID", str(os.getpid()))
    monkeypatch.setattr(htmlcopy, "page_copy", _fails_in_workers)
    assert run("build", "--content", tree, "--out", two, "--jobs", "2").code == 0
    assert _copies(two) == _copies(one)
    _assert_true_to_disk(two)


def _dies_in_workers(catalogue, key):  # type: ignore[no-untyped-def]
    if os.getpid() != int(os.environ["TEST_BUILD_PID"]):
        os._exit(9)  # the worker is killed (out of memory, a crash in a C library) while it renders a page
    return PAGE_COPY(catalogue, key)


def _last_job_slow(catalogue, job, out, options, inputs):  # type: ignore[no-untyped-def]
    if os.getpid() != int(os.environ["TEST_BUILD_PID"]) and job.output == os.environ["TEST_LAST_JOB"]:
        import time

        time.sleep(2)  # the other worker is still printing a PDF when the first takes a page
    return RUN_JOB(catalogue, job, out, options, inputs)


def test_a_worker_killed_on_a_page_loses_no_pdf_and_the_build_renders_the_pages_itself(
        run, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from handouts.content import load_catalogue
    from handouts.jobs import plan

    one, two = tmp_path / "one", tmp_path / "two"
    assert run("build", "--content", tree, "--out", one, "--jobs", "1").code == 0
    monkeypatch.setenv("TEST_BUILD_PID", str(os.getpid()))
    monkeypatch.setenv("TEST_LAST_JOB", sorted(j.output for j in plan(load_catalogue(tree)))[-1])
    monkeypatch.setattr(htmlcopy, "page_copy", _dies_in_workers)
    monkeypatch.setattr(build, "run_job", _last_job_slow)
    result = run("build", "--content", tree, "--out", two, "--jobs", "2")
    assert result.code == 0, result.err
    pdfs = {p.relative_to(two).as_posix(): p.read_bytes() for p in sorted(two.rglob("*.pdf"))}
    assert pdfs.keys() == {p.relative_to(one).as_posix() for p in one.rglob("*.pdf")} and len(pdfs) > 2
    assert _copies(two) == _copies(one)
    _assert_true_to_disk(two)


def test_a_page_that_cannot_be_rendered_is_reported_the_same_with_workers(run, tree: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = htmlcopy.render_page

    def broken(site, handout, logo):  # type: ignore[no-untyped-def]
        if handout.language == "es":
            raise RenderError(handout.display, 7, "cannot be printed with this brand's values", "a value the page can show")
        return real(site, handout, logo)

    monkeypatch.setattr(htmlcopy, "render_page", broken)
    one = run("build", "--content", tree, "--out", tmp_path / "one", "--jobs", "1")
    two = run("build", "--content", tree, "--out", tmp_path / "two", "--jobs", "2")
    assert one.code == two.code == 1
    assert ":7: cannot be printed with this brand's values" in two.err
    assert two.err.replace(str(tmp_path / "two"), "OUT") == one.err.replace(str(tmp_path / "one"), "OUT")
    assert _copies(tmp_path / "two") == _copies(tmp_path / "one")
    _assert_true_to_disk(tmp_path / "two")


def test_a_copy_that_fails_everywhere_leaves_the_earlier_copy_whole_and_the_manifest_true(run, tree: Path, tmp_path: Path,
                                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "2").code == 0
    before = _copies(out)
    real = htmlcopy.render_page

    def crashing(site, handout, logo):  # type: ignore[no-untyped-def]
        if handout.language == "es":
            raise RuntimeError("out of memory")
        return real(site, handout, logo)

    monkeypatch.setattr(htmlcopy, "render_page", crashing)
    result = run("build", "--content", tree, "--out", out, "--jobs", "2", "--force")
    assert result.code == 1 and "internal error: RuntimeError: out of memory" in result.err
    assert _copies(out) == before
    _assert_true_to_disk(out)


def test_a_build_with_workers_reads_the_fonts_for_the_copies_before_the_workers_start(run, tmp_path: Path,
                                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from handouts import copies, fonts

    content = copy_content(tmp_path / "content", ("en", "zh-Hans"))
    fonts._charset.cache_clear()  # as in a new process
    read_while_copying: list[int] = []
    real = copies.write_copies

    def watched(*args):  # type: ignore[no-untyped-def]
        before = fonts._charset.cache_info().misses
        try:
            return real(*args)
        finally:
            read_while_copying.append(fonts._charset.cache_info().misses - before)

    monkeypatch.setattr(copies, "write_copies", watched)
    assert run("build", "--content", content, "--out", tmp_path / "out", "--jobs", "2").code == 0
    assert read_while_copying == [0]  # read before the workers were forked: they share them, the copies need no more
    assert fonts._charset.cache_info().misses > 1
