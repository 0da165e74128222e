"""Faults a careful operator injects: two builds at once, kills at any point, a full disk during --force, a read-only
folder, leftovers of an earlier run. The folder must hold only whole PDFs and a manifest that tells the truth."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT

PLAIN_EN, TEAL_EN, TEAL_ES = ("plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf",
                              "teal/demo-aftercare.es.standard.pdf")


def manifest_of(out: Path) -> dict[str, dict]:
    """The manifest's entries by path."""
    return {entry["path"]: entry for entry in json.loads((out / "manifest.json").read_text())["handouts"]}


def pdfs_on_disk(out: Path) -> set[str]:
    """Every PDF file under out, relative to it."""
    return {p.relative_to(out).as_posix() for p in out.rglob("*.pdf") if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """Temporary files and an unfinished commit journal under out."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(".*") if p.is_file() and (p.name.endswith(".tmp") or "commit" in p.name))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_manifest_true(out: Path) -> None:
    """Every entry names a whole PDF on disk with the recorded sha256 (the manifest never lies)."""
    for path, entry in manifest_of(out).items():
        assert (out / path).is_file(), f"{path} is listed but not on disk"
        assert sha(out / path) == entry["sha256"], f"{path} is listed with other bytes than those on disk"


def assert_pdfs_whole(out: Path) -> None:
    for rel in pdfs_on_disk(out):
        data = (out / rel).read_bytes()
        assert data.rstrip().endswith(b"%%EOF"), f"{rel} is cut short"
        assert len(PdfReader(out / rel, strict=True).pages) >= 1


def assert_exact(out: Path) -> None:
    """The manifest lists exactly the PDFs on disk, each with its bytes, and nothing temporary is left."""
    assert_manifest_true(out)
    assert set(manifest_of(out)) == pdfs_on_disk(out)
    assert leftovers(out) == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _build(tree: Path, out: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), "build", "--content", str(tree), "--out", str(out), "--jobs", "1",
                           *extra], capture_output=True, text=True, cwd=out.parent, timeout=100, **kwargs)


# --- two builds at once ----------------------------------------------------------------------------------------------


def test_a_second_build_into_the_same_folder_waits_and_the_manifest_lists_both(run, tree: Path, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Build A (--brand plain) is about to write its manifest when build B (--brand teal) starts in another process:
    B says it waits, A finishes, then B builds, and the manifest lists the PDFs of both."""
    out = tmp_path / "out"
    real_replace = os.replace
    second: list[subprocess.Popen] = []
    waiting: list[str] = []

    def replace(src, dst, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if Path(dst) == out / "manifest.json" and not second:
            command = [sys.executable, str(ROOT / "generate.py"), "build", "--content", str(tree), "--out", str(out),
                       "--jobs", "1", "--brand", "teal"]
            second.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path))
            # Until B says it waits, or ends (a build that does not wait for A would end here, its manifest written first).
            for line in second[0].stderr:  # type: ignore[union-attr]
                waiting.append(line)
                if "waiting for the build already writing to" in line:
                    break
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    first = run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "plain")
    monkeypatch.undo()
    assert first.code == 0, first.err
    stdout, stderr = second[0].communicate(timeout=100)
    assert second[0].returncode == 0, stderr
    assert any(line.startswith(f"waiting for the build already writing to {out}/ to finish (process {os.getpid()})")
               for line in waiting), waiting
    assert set(manifest_of(out)) == {PLAIN_EN, TEAL_EN, TEAL_ES}
    assert_exact(out)


# --- kills ------------------------------------------------------------------------------------------------------------


def test_sigterm_or_ctrl_c_in_a_parallel_build_keeps_what_finished_and_a_true_manifest(tree: Path, tmp_path: Path) -> None:
    for i in range(2):
        shutil.copytree(tree / "demo", tree / f"demo{i}")
    for signum, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        out = tmp_path / f"out-{signum}"
        command = [sys.executable, str(ROOT / "generate.py"), "build", "--content", str(tree), "--out", str(out), "--jobs", "2"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, start_new_session=True)
        built = 0
        for line in process.stdout:  # type: ignore[union-attr]
            built += line.startswith("built")
            if built == 3:
                break
        os.killpg(process.pid, signum)  # as a CI runner cancelling a job does: the whole process group
        _, err = process.communicate(timeout=100)
        assert process.returncode == code, err
        assert "Traceback" not in err and "internal error" not in err
        assert_pdfs_whole(out)
        assert_exact(out)
        assert len(manifest_of(out)) >= 3


def test_sigkill_of_a_parallel_build_leaves_no_worker_and_the_next_build_repairs_the_folder(tree: Path, tmp_path: Path) -> None:
    for i in range(2):
        shutil.copytree(tree / "demo", tree / f"demo{i}")
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "generate.py"), "build", "--content", str(tree), "--out", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tmp_path, start_new_session=True)
    for line in process.stdout:  # type: ignore[union-attr]
        if line.startswith("built"):
            break
    process.kill()  # the parent only: its workers must not live on
    process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("worker processes outlived the build they worked for")
    assert_pdfs_whole(out)
    if (out / "manifest.json").exists():
        assert_manifest_true(out)
    again = _build(tree, out, "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert_exact(out)
    assert len(manifest_of(out)) == 9


def test_temporary_files_an_earlier_run_left_are_removed(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    for name in ("teal/.demo-aftercare.en.standard.pdf.k2j4_x9q.tmp", ".manifest.json.a1b2c3d4.tmp", ".write-test-81.tmp"):
        (out / name).write_bytes(b"%PDF-1.4 half")
    edited = tree / "demo/aftercare.en.yaml"
    _edit(edited, "Bravo heading", "Bravo heading, changed")
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 0, result.err
    assert f"{out}/: removed 3 temporary files left by a build that was stopped" in result.err
    assert_exact(out)


# --- a full disk, a read-only folder ----------------------------------------------------------------------------------


def _file_size_limit(limit: int):  # noqa: ANN202
    def limit_writes() -> None:  # like `ulimit -f`: a write past the limit fails with EFBIG instead of killing the process
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_writes


def test_a_forced_rebuild_that_cannot_write_keeps_every_good_pdf_marked_stale(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _build(tree, out).returncode == 0
    before = {rel: sha(out / rel) for rel in pdfs_on_disk(out)}
    assert min((out / rel).stat().st_size for rel in before) > 20_000
    _edit(tree / "demo/aftercare.en.yaml", "Bravo heading", "Bravo heading, changed")
    _edit(tree / "demo/aftercare.es.yaml", "blocks:", "blocks:\n  - heading: Nuevo")
    done = _build(tree, out, "--force", preexec_fn=_file_size_limit(20_000))  # room for the manifest, none for a PDF
    assert done.returncode == 1, done.stderr
    for rel in before:
        assert (f"{out}/{rel}: cannot write the PDF: File too large (a writable output folder with free space)") in done.stderr
        assert f"{out}/{rel}: warning: the earlier PDF is kept and marked stale in the manifest (a build that can replace it)" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert {rel: sha(out / rel) for rel in pdfs_on_disk(out)} == before  # 3 good PDFs stay 3, byte for byte
    assert all(entry["stale"] is True for entry in manifest_of(out).values())
    assert_exact(out)
    # With room again, the next build replaces them; nothing is stale.
    again = _build(tree, out)
    assert again.returncode == 0, again.stderr
    assert "Built 3 PDFs, 0 unchanged" in again.stdout
    assert not any("stale" in entry for entry in manifest_of(out).values())


def test_a_forced_rebuild_of_identical_bytes_needs_no_room_on_the_disk(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _build(tree, out).returncode == 0
    before = {rel: ((out / rel).stat().st_mtime_ns, sha(out / rel)) for rel in pdfs_on_disk(out)}
    done = _build(tree, out, "--force", preexec_fn=_file_size_limit(20_000))
    assert done.returncode == 0, done.stderr
    assert "Built 3 PDFs, 0 unchanged, 0 failed" in done.stdout
    assert {rel: ((out / rel).stat().st_mtime_ns, sha(out / rel)) for rel in pdfs_on_disk(out)} == before
    assert_exact(out)


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a folder read-only; as root, whom permission bits do not stop, refuse writes into it as the system would."""
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return
    inside = folder.resolve()

    def guard(real):  # noqa: ANN001, ANN202
        def guarded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            paths = [Path(os.fsdecode(a)) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
            writes = real.__name__ != "open" or args[1] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            if writes and any(p.resolve().parent == inside for p in paths):
                raise PermissionError(errno.EACCES, "Permission denied", str(paths[0]))
            return real(*args, **kwargs)
        return guarded

    for name in ("open", "replace", "unlink", "rename"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))


def _build_with_read_only(run, tree: Path, out: Path, folder: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN202
    _read_only(folder, monkeypatch)
    try:
        return run("build", "--content", tree, "--out", out, "--jobs", "1")
    finally:
        monkeypatch.undo()
        folder.chmod(0o755)


def test_a_read_only_brand_folder_is_a_problem_per_file_and_the_manifest_is_still_written(run, tree: Path, tmp_path: Path,
                                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    old_teal = sha(out / TEAL_EN)
    _edit(tree / "brands/plain/brand.yaml", "footer: Plain Clinic · Test brand", "footer: Plain Clinic · Changed")  # in every PDF
    result = _build_with_read_only(run, tree, out, out / "teal", monkeypatch)
    assert result.code == 1
    for rel in (TEAL_EN, TEAL_ES):
        assert f"{out}/{rel}: cannot write the PDF: Permission denied (a writable output folder with free space)" in result.err
        assert f"{out}/{rel}: warning: the earlier PDF is kept and marked stale in the manifest" in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert "Built 1 PDF, 0 unchanged, 2 failed" in result.out
    entries = manifest_of(out)
    assert "stale" not in entries[PLAIN_EN] and entries[TEAL_EN]["stale"] is True
    assert sha(out / TEAL_EN) == old_teal
    assert_exact(out)


def test_a_read_only_brand_folder_in_a_fresh_output_folder(run, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    (out / "teal").mkdir(parents=True)
    result = _build_with_read_only(run, tree, out, out / "teal", monkeypatch)
    assert result.code == 1
    assert f"{out}/{TEAL_ES}: cannot write the PDF: Permission denied (a writable output folder with free space)" in result.err
    assert "warning" not in result.err and "internal error" not in result.err
    assert set(manifest_of(out)) == {PLAIN_EN}
    assert_exact(out)
