"""Property test: a build killed (SIGKILL) or stopped (SIGTERM) at any point of its work on disk.

The build runs in a forked child process, which counts every call that changes the output folder (a file synced,
renamed or removed; its cache folder's too, which starts empty) and sends itself the signal at the N-th. After any
such kill:

- every PDF on disk is whole, and every manifest entry names a file with exactly its bytes;
- after SIGTERM the manifest lists exactly the PDFs on disk and nothing temporary is left;
- after SIGKILL, `recover` (what the next build does first) leaves the same exact state;
- and the next build finishes the work: the folder ends as if nothing had happened.

By default 6 random kill points and the first and last are tried (a few seconds); more on demand:
    HANDOUTS_KILL_EXAMPLES=100 python -m pytest tests/builds/test_kill_points.py
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from handouts import loaded
from handouts.cli import main
from handouts.output import recover

from conftest import FIXTURES
from test_faults import assert_exact, assert_manifest_true, assert_pdfs_whole, manifest_of, pdfs_on_disk

EXAMPLES = int(os.environ.get("HANDOUTS_KILL_EXAMPLES", "6"))
COUNTED = ("fsync", "replace", "unlink")  # the calls that change what is on disk


def _change(tree: Path) -> None:
    """Edits that make the next build replace two PDFs, add one and remove one."""
    english = tree / "demo/aftercare.en.yaml"
    english.write_text(english.read_text().replace("Bravo heading", "Bravo heading, revised"))
    overview = english.read_text().replace("kind: aftercare", "kind: overview").replace("id: demo-aftercare", "id: demo-overview")
    (tree / "demo/overview.en.yaml").write_text(overview)
    (tree / "demo/aftercare.es.yaml").unlink()


def _build_in_child(tree: Path, out: Path, signum: int, at: int) -> tuple[int, int]:
    """Build in a forked child that sends itself signum at the at-th counted call (0: never); return (exit status, calls)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            os.close(read)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            # A cache folder that starts empty: every build of the scene then makes the same calls (the trees of the
            # YAML files it reads are kept there), and none is answered by what an earlier build kept, on disk or in
            # this process (the files validated by the builds before the fork).
            os.environ["HANDOUTS_CACHE"] = tempfile.mkdtemp(prefix="cache-", dir=out.parent)
            loaded.clear()
            calls = [0]

            def counted(real):  # noqa: ANN001, ANN202
                def call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                    calls[0] += 1
                    if calls[0] == at:
                        os.kill(os.getpid(), signum)
                    return real(*args, **kwargs)
                return call

            for name in COUNTED:
                setattr(os, name, counted(getattr(os, name)))
            try:
                code = main(["build", "--content", str(tree), "--out", str(out), "--jobs", "1"])
            finally:
                os.write(write, str(calls[0]).encode())
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        calls = int(pipe.read() or 0)
    return status, calls


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A folder built from the fixture tree, the edited tree, and the folder an uninterrupted build of it leaves."""
    base = tmp_path_factory.mktemp("kill")
    tree = base / "content"
    shutil.copytree(FIXTURES / "tree", tree)
    before = base / "before"
    assert main(["build", "--content", str(tree), "--out", str(before), "--jobs", "1"]) == 0
    _change(tree)
    after = base / "after"
    shutil.copytree(before, after)
    status, calls = _build_in_child(tree, after, signal.SIGKILL, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return {"tree": tree, "before": before, "after": manifest_of(after), "calls": calls, "base": base}


@pytest.mark.timeout(60 + 10 * EXAMPLES)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(call=st.integers(0, 10_000), signum=st.sampled_from([signal.SIGKILL, signal.SIGTERM]))
@example(call=1, signum=signal.SIGKILL)  # at the very first call
@example(call=0, signum=signal.SIGTERM)  # at the very last
def test_a_build_killed_at_any_point_leaves_a_true_folder(scene: dict, call: int, signum: int) -> None:
    at = (call - 1) % scene["calls"] + 1
    out = scene["base"] / f"out-{signum}-{at}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(scene["before"], out)
    status, _ = _build_in_child(scene["tree"], out, signum, at)
    code = os.waitstatus_to_exitcode(status)
    assert code == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signal.SIGTERM)
    assert_pdfs_whole(out)
    assert_manifest_true(out)
    if signum == signal.SIGTERM:
        assert_exact(out)
    recover(out)
    assert_exact(out)
    assert main(["build", "--content", str(scene["tree"]), "--out", str(out), "--jobs", "1"]) == 0
    assert manifest_of(out) == scene["after"]
    assert pdfs_on_disk(out) == set(scene["after"])
    shutil.rmtree(out)
