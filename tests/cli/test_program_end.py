"""The program ends as soon as its command is done: exit handlers run, everything printed arrives, the exit code is the
command's, a thread still running is waited for; a `handout` process leaves reference cycles to the end of the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Printed when the interpreter is torn down object by object (a module's objects are freed one by one at the usual exit).
TORN_DOWN = ("class _Witness:\n    def __del__(self):\n        print('torn down', flush=True)\n"
             "_witness = _Witness()\n")


def program(tmp_path: Path, *args: object, before: str = "") -> subprocess.CompletedProcess[str]:
    """generate.py as a fresh process, with `before` run first in it (an exit handler, a thread)."""
    code = before + f"import sys, runpy\nsys.argv = ['generate.py', *{[str(a) for a in args]!r}]\nrunpy.run_path('generate.py', run_name='__main__')\n"
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},  # output buffered, as a user's is
           "HANDOUTS_CACHE": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=100)


def test_a_handout_process_runs_the_exit_handlers_and_skips_the_teardown(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    handler = "import atexit, gc\natexit.register(lambda: print('handler ran; cycles collected:', gc.isenabled()))\n"
    done = program(tmp_path, "handout", "microneedling/aftercare", "--brand", "default", "-o", out, before=TORN_DOWN + handler)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"Wrote {out} (2 pages)", "handler ran; cycles collected: False"]
    assert out.read_bytes().startswith(b"%PDF") and out.read_bytes().rstrip().endswith(b"%%EOF")


def test_other_commands_keep_collecting_cycles_and_everything_printed_arrives(tmp_path: Path) -> None:
    handler = "import atexit, gc\natexit.register(lambda: print('cycles collected:', gc.isenabled()))\n"
    long_line = "print('x' * 20000 + '|')\n"  # more than a pipe's buffer: its end is still buffered when the command ends
    done = program(tmp_path, "list", before=TORN_DOWN + handler + long_line)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "x" * 20000 + "|" and "Layouts:" in lines
    assert lines[-1] == "cycles collected: True"


def test_the_exit_code_is_the_commands(tmp_path: Path) -> None:
    assert program(tmp_path, "handout", "microneedling/aftercare", "--brand", "nobody", "-o", tmp_path / "x.pdf").returncode == 2
    (tmp_path / "content").mkdir()
    broken = program(tmp_path, "list", "--content", tmp_path / "nowhere")
    assert broken.returncode != 0 and broken.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    thread = ("import threading\n"
              "threading.Thread(target=lambda: (threading.main_thread().join(), print('thread finished', flush=True))).start()\n")
    done = program(tmp_path, "list", before=TORN_DOWN + thread)
    assert done.returncode == 0, done.stderr
    assert "thread finished" in done.stdout and "torn down" in done.stdout  # the usual exit, which waits for the thread
