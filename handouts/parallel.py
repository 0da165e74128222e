"""Worker processes for batch builds: each loads the catalogue, fonts and logos once."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .build import Job, Options, Outcome
    from .content import Catalogue

_catalogue: "Catalogue | None" = None  # one per worker process, set by _init


def _init(catalogue: "Catalogue") -> None:
    global _catalogue
    _catalogue = catalogue


def _work(job: "Job", out: Path, options: "Options", inputs: str) -> "Outcome":
    from .build import run_job

    assert _catalogue is not None
    return run_job(_catalogue, job, out, options, inputs)


def run(catalogue: "Catalogue", jobs: list[tuple["Job", str]], out: Path, workers: int, on_done: Callable[["Outcome"], None] | None,
        options: "Options") -> list["Outcome"]:
    """Run jobs over a pool of processes; return outcomes in job order."""
    context = multiprocessing.get_context("fork")
    results: dict[int, "Outcome"] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init, initargs=(catalogue,)) as pool:
        futures = {pool.submit(_work, job, out, options, inputs): i for i, (job, inputs) in enumerate(jobs)}
        for future in as_completed(futures):
            outcome = future.result()
            results[futures[future]] = outcome
            if on_done:
                on_done(outcome)
    return [results[i] for i in range(len(jobs))]
