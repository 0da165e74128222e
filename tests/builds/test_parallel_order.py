"""Worker processes finish in any order; outcomes come back in job order all the same.

The first job is made to finish after the second (it waits for a file the second writes), so completion order is
the reverse of job order without depending on how fast anything runs.
"""

from __future__ import annotations

import time
from pathlib import Path

from handouts import build, parallel
from handouts.content import load_catalogue
from handouts.jobs import Job, Options, Outcome, plan


def _first_finishes_last(catalogue: object, job: Job, out: Path, options: Options, inputs: str) -> Outcome:
    """A job function for the workers: the job of brand 'plain' ends only once the other has ended."""
    signal = out / "the-other-job-ended"
    if job.brand == "plain":
        deadline = time.monotonic() + 60
        while not signal.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    else:
        signal.touch()
    return Outcome(job, {"path": job.output, "inputs": inputs}, [])


def _jobs() -> list[Job]:
    return [Job("plain", "demo", "aftercare", "en", "standard"), Job("teal", "demo", "aftercare", "en", "standard")]


def test_parallel_run_returns_outcomes_in_job_order_whatever_order_they_finish(tmp_path: Path) -> None:
    finished: list[Job] = []
    jobs = _jobs()
    outcomes = parallel.run(_first_finishes_last, "a catalogue", [(job, f"inputs of {job.brand}") for job in jobs], tmp_path, 2,
                            lambda outcome: finished.append(outcome.job), Options())
    assert finished == jobs[::-1]  # reported as they finish
    assert [outcome.job for outcome in outcomes] == jobs
    assert [outcome.entry["inputs"] for outcome in outcomes] == ["inputs of plain", "inputs of teal"]  # type: ignore[index]


def test_build_all_returns_outcomes_in_job_order_whatever_order_they_finish(tree: Path, tmp_path: Path, monkeypatch) -> None:
    catalogue = load_catalogue(tree)
    jobs = [job for job in plan(catalogue) if job.language == "en"]
    assert jobs == _jobs()
    monkeypatch.setattr(build, "run_job", _first_finishes_last)
    finished: list[Job] = []
    outcomes = build.build_all(catalogue, jobs, tmp_path, 2, lambda outcome: finished.append(outcome.job))
    assert finished == jobs[::-1]
    assert [outcome.job for outcome in outcomes] == jobs
