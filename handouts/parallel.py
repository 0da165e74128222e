"""Worker processes for batch builds.

On Linux the workers are forked from the process that loaded the catalogue, so each
starts with the catalogue, the imported engine and reportlab in memory, shared
copy-on-write; it then registers each brand's fonts and reads each logo once, on its
first job for that brand (the caches in fonts and images), never per handout.
Elsewhere (Windows has no fork; macOS's libraries are not safe to fork) each worker
receives the catalogue once, when it starts. Jobs are handed out one at a time, so a
slow layout never holds up a chunk of others; a job costs about 0.1 ms of
hand-over against some 20 ms of rendering. Results come back in job order.

Workers leave Ctrl-C and SIGTERM to the parent: it stops handing out jobs, lets the
running ones finish (each writes only a temporary file) and reports them, so the
build can commit them. On Linux a worker dies with its parent, should the parent
be killed outright, instead of living on as an orphan.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence, TypeVar

from . import registry
from .files import discard

if TYPE_CHECKING:
    from .jobs import Job, Options, Outcome
    from .content import Catalogue

    RunJob = Callable[[Catalogue, Job, Path, Options, str], Outcome]

_catalogue: "Catalogue | None" = None  # one per worker process, set by _init
T = TypeVar("T")
R = TypeVar("R")


def _init(catalogue: "Catalogue", layouts: list[tuple[Callable[[], object], Path]]) -> None:
    global _catalogue
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    _catalogue = catalogue
    for load, source in layouts:  # a process that was not forked starts with no layouts
        registry.provide(load, source)


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the process that started it dies (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _work(run_job: "RunJob", job: "Job", out: Path, options: "Options", inputs: str) -> "Outcome":
    assert _catalogue is not None
    return run_job(_catalogue, job, out, options, inputs)


def _call(fn: Callable[["Catalogue", T], R], item: T) -> R:
    assert _catalogue is not None
    return fn(_catalogue, item)


def each(fn: Callable[["Catalogue", T], R], catalogue: "Catalogue", items: list[T], workers: int,
         on_done: Callable[[T, R], None] | None = None) -> list[R]:
    """fn(catalogue, item) (a module-level function) for each item over a pool of processes, as run does for builds;
    results in item order."""
    results: dict[int, R] = {}
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(items))), mp_context=_context(), initializer=_init,
                             initargs=(catalogue, registry.provided())) as pool:
        futures = {pool.submit(_call, fn, item): i for i, item in enumerate(items)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if on_done:
                on_done(items[futures[future]], results[futures[future]])
    return [results[i] for i in range(len(items))]


def _each_item(pool: ProcessPoolExecutor, then: Callable[["Catalogue", T], R], items: Sequence[T],
               on_item: Callable[[R], None] | None) -> None:
    """then(catalogue, item) for each item in the pool; an item that fails, or finds the pool broken, is left out."""
    extra: list[Future[R]] = []
    try:
        for item in items:
            extra.append(pool.submit(_call, then, item))
    except BrokenExecutor:
        pass
    try:
        for future in as_completed(extra):
            if on_item and future.exception() is None:
                on_item(future.result())
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # stopped: the items not started are not waited for
        raise


def _context() -> multiprocessing.context.BaseContext:
    """fork on Linux, where it is safe and cheap; the platform's default elsewhere."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


class HeadStart:
    """Jobs started over a pool forked from a first part of the catalogue (content.load_in_stages), while the main
    process loads the rest: the second core renders instead of waiting. The build takes a job's outcome from here only
    when the whole catalogue plans that job with the same fingerprint (everything its PDF depends on); whatever it does
    not take is cancelled, or waited for and its temporary file removed, by close().
    """

    def __init__(self, run_job: "RunJob", catalogue: "Catalogue", jobs: list[tuple["Job", str]], out: Path, workers: int,
                 options: "Options"):
        self.pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), mp_context=_context(), initializer=_init,
                                        initargs=(catalogue, registry.provided()))
        self.futures: dict[tuple["Job", str], Future["Outcome"]] = {}
        try:
            for job, inputs in jobs:
                self.futures[(job, inputs)] = self.pool.submit(_work, run_job, job, out, options, inputs)
        except BaseException:
            self.close()
            raise

    def take(self, job: "Job", inputs: str) -> "Future[Outcome] | None":
        """The future of job, started with these inputs, now the build's to wait for; None when there is none."""
        return self.futures.pop((job, inputs), None)

    def close(self) -> None:
        """Cancel the jobs not taken, wait for the running ones and remove their temporary files; shut the pool down."""
        untaken = list(self.futures.values())
        self.futures.clear()
        self.pool.shutdown(wait=True, cancel_futures=True)
        for future in untaken:
            if future.done() and not future.cancelled() and future.exception() is None:
                staged = future.result().staged
                if staged is not None:
                    discard(staged)


def run(run_job: "RunJob", catalogue: "Catalogue", jobs: list[tuple["Job", str]], out: Path, workers: int,
        on_done: Callable[["Outcome"], None] | None, options: "Options", then: Callable[["Catalogue", T], R] | None = None,
        items: Sequence[T] = (), on_item: Callable[[R], None] | None = None, head: HeadStart | None = None) -> list["Outcome"]:
    """Run run_job (a module-level function) for each job over a pool of processes (no more than there are jobs);
    return outcomes in job order. A job the head start has begun with the same inputs is taken from it instead.

    then(catalogue, item) (module-level too) runs for each item in the same pool once every job has come back, and
    on_item gets each result as it comes; an item whose call fails, even by killing its worker, is left out (its caller
    does it again itself). Items wait for the jobs so that a worker dying on one never takes a PDF down with it.
    """
    results: dict[int, "Outcome"] = {}
    taken = [(i, head.take(job, inputs) if head else None) for i, (job, inputs) in enumerate(jobs)]
    if head is not None:
        _cancel_untaken(head)
    rest = sum(1 for _, future in taken if future is None)
    with ProcessPoolExecutor(max_workers=max(1, min(workers, max(rest, len(items)))), mp_context=_context(), initializer=_init,
                             initargs=(catalogue, registry.provided())) as pool:
        futures: dict[Future["Outcome"], int] = {}
        try:
            for i, future in taken:
                if future is None:
                    job, inputs = jobs[i]
                    future = pool.submit(_work, run_job, job, out, options, inputs)
                futures[future] = i
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            if head is not None:
                head.close()
            raise
        try:
            for future in as_completed(futures):
                outcome = future.result()
                results[futures[future]] = outcome
                if on_done:
                    on_done(outcome)
        except BaseException:
            # Stopped: hand out no more jobs, wait for the running ones, and report them so their files are committed.
            pool.shutdown(wait=True, cancel_futures=True)
            if head is not None:
                head.pool.shutdown(wait=True, cancel_futures=True)
            for future, i in futures.items():
                if i not in results and future.done() and not future.cancelled() and future.exception() is None:
                    results[i] = future.result()
                    if on_done:
                        on_done(results[i])
            if head is not None:
                head.close()
            raise
        if head is not None:
            head.close()
        if then is not None:
            _each_item(pool, then, items, on_item)
    return [results[i] for i in range(len(jobs))]


def _cancel_untaken(head: HeadStart) -> None:
    """Cancel the head start's jobs that have not begun and that the build did not take (they would only be thrown away)."""
    for future in head.futures.values():
        future.cancel()
