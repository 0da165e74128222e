"""The build pipeline: run the planned jobs whose inputs changed, serially or in worker processes, and commit their
PDFs and the manifest together (output.py), so that a stopped or failed build never loses a good PDF."""

from __future__ import annotations

import contextlib
import hashlib
import time
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .compiled import dataclass
from .content import Catalogue
from .errors import ContentError, HandoutsError, Problem
from .files import sha256_or_none, write_temp
from .fingerprint import fingerprint
from .jobs import Job, Options, Outcome, handout_for
from .manifest import entries_on_disk, previous_entries, reconcile_manifest, unchanged
from .output import Deferred, Ledger, kept_warning, sweep
from .pdf import make_sheet, render_pdf
from .readability import handout_grade

if TYPE_CHECKING:
    from .htmlcopy import PageCopy, PageKey
    from .parallel import HeadStart

ProgressFn = Callable[[Outcome], None]
COMMIT_EVERY = 64  # finished PDFs, or
COMMIT_SECONDS = 5.0  # seconds: how much work a build killed outright can lose


def run_job(catalogue: Catalogue, job: Job, out: Path, options: Options, inputs: str) -> Outcome:
    """Render one job and write its PDF to a temporary file beside its target (the build commits it later).

    Bytes identical to the PDF already on disk are not written again.
    """
    target = out / job.output
    try:
        rendered = render_pdf(make_sheet(catalogue, job, page_size=options.page_size, grayscale=options.grayscale), job.layout)
    except ContentError as exc:
        return Outcome(job, None, exc.problems)  # its earlier PDF is removed when the build commits
    digest = hashlib.sha256(rendered.data).hexdigest()
    staged = None
    if sha256_or_none(target) != digest:
        try:
            staged = write_temp(target, rendered.data, sync=False)  # synced with the others when the build commits
        except OSError as exc:
            return Outcome(job, None, [Problem(str(target), None, f"cannot write the PDF: {exc.strerror or exc}",
                                               "a writable output folder with free space")], kept=True)
    handout = handout_for(catalogue, job)
    reading = handout_grade(handout, catalogue.treatments[job.treatment].settings)
    entry = {"path": job.output, "brand": job.brand, "treatment": job.treatment, "kind": job.kind, "language": job.language,
             "layout": job.layout, "pages": rendered.pages, "sha256": digest,
             "title": rendered.title, "version": handout.version, "reviewed": handout.reviewed,
             "reading_grade": reading.value, "reading_measure": reading.measure, "options": options.key(), "inputs": inputs}
    return Outcome(job, entry, [], staged=staged)


def head_start(first: Catalogue, out: Path, workers: int, options: Options = Options(), force: bool = False) -> HeadStart | None:
    """Start, in worker processes, the PDFs of every handout of a first part of the catalogue (content.load_in_stages)
    whose inputs changed, for `build` to take those the whole catalogue plans alike; None when there are none."""
    from .jobs import offered, plan
    from .parallel import HeadStart

    jobs, _ = offered(first, plan(first))
    todo, _ = changed_jobs(first, jobs, out, options, force)
    return HeadStart(run_job, first, todo, out, workers, options) if todo else None


def changed_jobs(catalogue: Catalogue, jobs: list[Job], out: Path, options: Options,
                 force: bool) -> tuple[list[tuple[Job, str]], dict[Job, dict[str, Any]]]:
    """(job, fingerprint) of each job whose inputs changed since out's manifest (every job with force), and the manifest
    entry of each other one, whose PDF is up to date."""
    previous = {} if force else previous_entries(out)
    cache: dict[Path, str] = {}
    todo: list[tuple[Job, str]] = []
    kept: dict[Job, dict[str, Any]] = {}
    for job in jobs:
        inputs = fingerprint(catalogue, job, options.key(), cache)
        entry = previous.get(job.output)
        if entry is not None and unchanged(entry, inputs, out):
            kept[job] = entry
        else:
            todo.append((job, inputs))
    return todo, kept


def build_all(catalogue: Catalogue, jobs: list[Job], out: Path, workers: int = 1, on_done: ProgressFn | None = None,
              options: Options = Options(), force: bool = False, pages: list[PageKey] | None = None,
              on_page: Callable[[PageCopy], None] | None = None, head: HeadStart | None = None) -> list[Outcome]:
    """Run the jobs whose inputs changed (in worker processes when workers > 1); outcomes come back in job order.

    New PDFs are left in temporary files (Outcome.staged): commit them with a Ledger, as `build` does. When the jobs run
    in worker processes, the workers then render the web-copy pages named in pages too, each handed to on_page. A job
    the head start (head_start) began with the same inputs is taken from it; it is closed before this returns.
    """
    todo, kept = changed_jobs(catalogue, jobs, out, options, force)
    outcomes: dict[Job, Outcome] = {}
    for job, entry in kept.items():
        outcomes[job] = Outcome(job, entry, [], skipped=True)
        if on_done:
            on_done(outcomes[job])
    if not todo or (head is None and (workers <= 1 or len(todo) <= 1)):
        if head is not None:
            head.close()
        for job, inputs in todo:
            outcomes[job] = run_job(catalogue, job, out, options, inputs)
            if on_done:
                on_done(outcomes[job])
    else:
        from . import parallel
        from .htmlcopy import page_copy

        for outcome in parallel.run(run_job, catalogue, todo, out, workers, on_done, options, page_copy, pages or [], on_page, head):
            outcomes[outcome.job] = outcome
    return [outcomes[job] for job in jobs]


@dataclass
class Result:
    """What a build did: every outcome in job order, the problems to report, and a manifest it could not write."""

    outcomes: list[Outcome]
    problems: list[Problem] = field(default_factory=list)
    manifest_error: HandoutsError | None = None
    pages: dict[PageKey, PageCopy] = field(default_factory=dict)  # web-copy pages the workers rendered


def build(catalogue: Catalogue, jobs: list[Job], out: Path, share: dict[str, Any], workers: int = 1, on_done: ProgressFn | None = None,
          options: Options = Options(), force: bool = False, deferred: Deferred = contextlib.nullcontext,
          pages: list[PageKey] | None = None, head: HeadStart | None = None) -> Result:
    """Build the jobs into out (whose lock the caller holds) and commit PDFs and manifest together; with workers, they
    render the web-copy pages named in pages too (Result.pages: for `copies.write_copies`, which renders any left out).

    Run it inside `output.stoppable()` and pass its `deferred`: on Ctrl-C or SIGTERM the PDFs finished so far are
    committed, the manifest lists exactly what is on disk, and Stopped is raised. A PDF that cannot be written
    leaves the earlier one in place, marked stale. head: PDFs begun before the catalogue was whole (head_start), closed
    before this returns.
    """
    ledger = Ledger(out, share, deferred)
    rendered: dict[PageKey, PageCopy] = {}
    pending: list[Outcome] = []

    def page_done(page: PageCopy) -> None:
        rendered[page.key] = page

    last = [time.monotonic()]

    def done(outcome: Outcome) -> None:
        pending.append(outcome)
        if on_done:
            on_done(outcome)
        if len(pending) >= COMMIT_EVERY or time.monotonic() - last[0] >= COMMIT_SECONDS:
            batch = pending[:]
            pending.clear()
            last[0] = time.monotonic()
            _commit(ledger, batch)

    try:
        outcomes = build_all(catalogue, jobs, out, workers, done, options, force, pages, page_done, head)
    except KeyboardInterrupt:
        with deferred():
            batch = pending[:]
            pending.clear()
            _commit(ledger, batch)
            sweep(out)
        raise
    batch = pending[:]
    pending.clear()
    _commit(ledger, batch)
    current = {o.job.output: ledger.listed[o.job.output] for o in outcomes if (o.entry or o.kept) and o.job.output in ledger.listed}
    final, drops, warnings = reconcile_manifest(catalogue, out, ledger.listed, current, {job.output for job in jobs})
    ledger.error = None  # the last commit tells whether the manifest on disk is the final one
    ledger.commit([], drops, final)
    result = Result(outcomes, warnings + ledger.problems, ledger.error, rendered)
    with deferred():
        sweep(out)
    return result


def _commit(ledger: Ledger, outcomes: list[Outcome]) -> None:
    """Commit finished outcomes: new PDFs put in place, the PDFs of failed jobs removed, unwritable ones kept stale."""
    if not outcomes:
        return
    final = dict(ledger.listed)
    puts: list[tuple[Path | None, dict[str, Any]]] = []
    drops: list[str] = []
    for outcome in outcomes:
        path = outcome.job.output
        if outcome.entry and not outcome.skipped:
            puts.append((outcome.staged, outcome.entry))
            final[path] = outcome.entry
        elif outcome.skipped and outcome.entry:
            final[path] = outcome.entry
        elif outcome.kept:
            before = ledger.listed.get(path)
            if before is not None and entries_on_disk(ledger.out, {path: before}):
                final[path] = {**before, "stale": True}
                outcome.problems.append(kept_warning(str(ledger.out / path)))
            else:
                final.pop(path, None)
        else:
            drops.append(path)
            final.pop(path, None)
    ledger.commit(puts, drops, final)
