"""The build pipeline: run the planned jobs whose inputs changed, serially or in worker processes, each PDF written whole."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from .content import Catalogue
from .errors import ContentError, Problem
from .files import remove, write_atomic
from .fingerprint import fingerprint
from .jobs import Job, Options, Outcome, handout_for
from .manifest import previous_entries, unchanged
from .pdf import make_sheet, render_pdf
from .readability import grade

ProgressFn = Callable[[Outcome], None]


def run_job(catalogue: Catalogue, job: Job, out: Path, options: Options, inputs: str) -> Outcome:
    """Render and write one job; a failure removes any stale PDF for it."""
    target = out / job.output
    try:
        rendered = render_pdf(make_sheet(catalogue, job, page_size=options.page_size, grayscale=options.grayscale), job.layout)
    except ContentError as exc:
        remove(target)
        return Outcome(job, None, exc.problems)
    try:
        write_atomic(target, rendered.data)
    except OSError as exc:
        remove(target)
        return Outcome(job, None, [Problem(str(target), None, f"cannot write the PDF: {exc.strerror or exc}",
                                           "a writable output folder with free space")])
    handout = handout_for(catalogue, job)
    reading = grade(handout, catalogue.treatments[job.treatment].settings)
    entry = {"path": job.output, "brand": job.brand, "treatment": job.treatment, "kind": job.kind, "language": job.language,
             "layout": job.layout, "pages": rendered.pages, "sha256": hashlib.sha256(rendered.data).hexdigest(),
             "title": rendered.title, "version": handout.version, "reviewed": handout.reviewed,
             "reading_grade": reading.value, "reading_measure": reading.measure, "options": options.key(), "inputs": inputs}
    return Outcome(job, entry, [])


def build_all(catalogue: Catalogue, jobs: list[Job], out: Path, workers: int = 1, on_done: ProgressFn | None = None,
              options: Options = Options(), force: bool = False) -> list[Outcome]:
    """Run the jobs whose inputs changed (in worker processes when workers > 1); outcomes come back in job order."""
    previous = {} if force else previous_entries(out)
    cache: dict[Path, str] = {}
    todo: list[tuple[Job, str]] = []
    outcomes: dict[Job, Outcome] = {}
    for job in jobs:
        inputs = fingerprint(catalogue, job, options.key(), cache)
        entry = previous.get(job.output)
        if unchanged(entry, inputs, out):
            outcomes[job] = Outcome(job, entry, [], skipped=True)
            if on_done:
                on_done(outcomes[job])
        else:
            todo.append((job, inputs))
    if workers <= 1 or len(todo) <= 1:
        for job, inputs in todo:
            outcomes[job] = run_job(catalogue, job, out, options, inputs)
            if on_done:
                on_done(outcomes[job])
    else:
        from . import parallel

        for outcome in parallel.run(run_job, catalogue, todo, out, workers, on_done, options):
            outcomes[outcome.job] = outcome
    return [outcomes[job] for job in jobs]
