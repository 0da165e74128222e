"""Property test: a process killed (SIGKILL) part-way through writing a file with files.write_atomic leaves the old
file or the whole new one, never a part, and only hidden temporary files that the next build's sweep removes.

The writer runs in a forked child whose file writes go through a wrapper that kills the process after a chosen
number of bytes, whatever function opened the file.
"""

from __future__ import annotations

import builtins
import os
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from handouts import files
from handouts.output import sweep

EXAMPLES = int(os.environ.get("HANDOUTS_KILL_EXAMPLES", "25"))


class _KilledAfter:
    """A binary file whose writes kill the process once `limit` bytes have been written."""

    def __init__(self, handle, budget: list[int]):  # noqa: ANN001
        self.handle, self.budget = handle, budget

    def write(self, data: bytes) -> int:
        allowed = min(len(data), self.budget[0])
        self.handle.write(data[:allowed])
        self.budget[0] -= allowed
        if allowed < len(data):
            self.handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        return len(data)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.handle, name)

    def __enter__(self) -> "_KilledAfter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.__exit__(*exc)


def _write_in_child(target: Path, data: bytes, kill_after: int, private: bool) -> int:
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            budget = [kill_after]
            real_open, real_fdopen = builtins.open, os.fdopen

            def opened(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                handle = real_open(*args, **kwargs)
                mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
                return _KilledAfter(handle, budget) if "w" in mode and "b" in mode else handle

            def fd_opened(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                handle = real_fdopen(*args, **kwargs)
                mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
                return _KilledAfter(handle, budget) if "w" in mode and "b" in mode else handle

            builtins.open, os.fdopen = opened, fd_opened
            files.write_atomic(target, data, private=private)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.timeout(60)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.binary(min_size=1, max_size=3000), new=st.binary(min_size=1, max_size=3000), kill_after=st.integers(0, 3500),
       private=st.booleans())
def test_a_write_killed_part_way_leaves_the_old_file_or_the_whole_new_one(tmp_path: Path, old: bytes, new: bytes, kill_after: int,
                                                                       private: bool) -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    target = folder / "sheet.bin"
    target.write_bytes(old)
    code = _write_in_child(target, new, kill_after, private)
    assert code == (0 if kill_after >= len(new) else -signal.SIGKILL)
    assert target.read_bytes() == (new if code == 0 else old)
    sweep(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["sheet.bin"]
