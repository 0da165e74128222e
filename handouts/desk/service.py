"""The rendering service: a small pool of worker processes that print sheets, and what it keeps in memory.

Each worker loads the content tree once; a request sends it a job (and, for a patient sheet, the details, through a
pipe, never a file) and gets back PDF bytes or a description of what stopped it. Blank sheets and previews are kept
in memory here. Which layouts a handout may be offered in is worked out once, at start, by the proof that `check`
runs (`proof.proven_layouts`): each layout printed blank and for the widest names and dates the desk accepts, on both
page sizes, and linted on what was drawn. What the proof found is kept in check's proof cache (`proofcache`), so a
desk started after a `check`, or started again over the same files, renders only the combinations whose files changed.
"""

from __future__ import annotations

import concurrent.futures
import io
import logging
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import program
from ..compiled import dataclass
from ..errors import BudgetError, ContentError, HandoutsError, Problem
from ..patient import Patient, PatientError

if TYPE_CHECKING:
    from ..jobs import Job
    from ..content import Catalogue
    from ..proofcache import ProofCache

LOG = logging.getLogger("handouts.serve")

RENDER_WAIT_SECONDS = 30.0
PREVIEW_DPI = 60
CACHE_SIZE = 256
MAX_WORKERS = 4
FIELD_LABELS = {"patient": "The patient's name", "provider": "The provider's name"}


class BusyError(Exception):
    """Every renderer stayed busy for longer than a person should wait."""


class RenderFault(Exception):
    """A worker failed in a way that is a bug, not a content problem; only the exception's type is known."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: PDF (or PNG) bytes, or what stopped it. Everything in it pickles."""

    data: bytes = b""
    patient_field: str | None = None  # a typed detail that cannot be printed, with its message
    message: str = ""
    budget: tuple[int, int] | None = None  # pages needed, pages allowed
    problems: tuple[Problem, ...] = ()  # content problems (never with the patient's details: see personal.render_personal)
    fault: str | None = None  # the type of an unexpected exception


# --- in the worker processes ------------------------------------------------------------------------------------------

_catalogue: Catalogue | None = None
_proof_cache: ProofCache | None = None


def _start(catalogue: Catalogue, layouts: list[tuple[Callable[[], object], Path]], proof_cache: Path | None = None) -> None:
    """Keep the server's catalogue and learn its layouts, once per worker; end the worker when the server is gone (even killed)."""
    global _catalogue, _proof_cache
    from .. import registry
    from ..proofcache import ProofCache

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
    for load, source in layouts:  # a spawned process starts with no layouts
        registry.provide(load, source)
    _catalogue = catalogue
    _proof_cache = ProofCache(proof_cache, catalogue) if proof_cache is not None else None


def _end_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(0)


def _sheet(job: Job, patient: Patient | None, copies: int = 1, blank: bytes | None = None) -> Outcome:
    """Print one job (for a patient, or blank, or a stack of blank copies) in a worker."""
    from ..personal import render_personal

    try:
        if patient is not None:
            missing = _unprintable(job, patient)
            if missing is not None:
                return missing
        data = blank if blank is not None else render_personal(_loaded(), job, patient).data
        return Outcome(stack_copies(data, copies) if copies > 1 else data)
    except BudgetError as exc:
        return Outcome(budget=(exc.pages, exc.limit))
    except ContentError as exc:
        return Outcome(problems=tuple(exc.problems))
    except Exception as exc:  # noqa: BLE001 - a bug; its message may quote the patient, so only its type leaves
        return Outcome(fault=type(exc).__name__)


def _unprintable(job: Job, patient: Patient) -> Outcome | None:
    """A typed name with a character the brand's font lacks, said beside the field it was typed in."""
    from .. import fonts, writing

    # The sheet prints a name in the brand's font with the script fonts behind it (a name in Arabic or Chinese letters too).
    family = writing.writing_for(fonts.family(_loaded().brands[job.brand].font_files or None), job.language)
    for field_name, text in (("patient", patient.name), ("provider", patient.provider)):
        missing = family.missing(text or "")
        if missing:
            chars = " ".join(f"'{c}'" for c in missing[:5])
            return Outcome(patient_field=field_name, message=f"{FIELD_LABELS[field_name]} has {chars}, which neither {family.label} "
                                                             "nor the bundled script fonts can print (type it in letters they have, e.g. "
                                                             "Latin letters)")
    return None


def _preview(job: Job, blank: bytes) -> Outcome:
    """A PNG of page 1 of a blank PDF."""
    from ..preview import pages_to_png

    try:
        image = pages_to_png(blank, PREVIEW_DPI, all_pages=False)[0]
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return Outcome(buffer.getvalue())
    except Exception as exc:  # noqa: BLE001
        return Outcome(fault=type(exc).__name__)


def _proven(brand: str, handout: str, language: str) -> list[str]:
    """The layouts the proof offers a handout in, for a brand and language."""
    from ..proof import proven_layouts

    return proven_layouts(_loaded(), brand, handout, language, _proof_cache)


def _loaded() -> Catalogue:
    assert _catalogue is not None, "worker started without its content"
    return _catalogue


def stack_copies(data: bytes, copies: int) -> bytes:
    """One PDF holding a number of copies of another, sharing its fonts and images."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for _ in range(copies):
        for page in reader.pages:
            writer.add_page(page)
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    lang = reader.root_object.get("/Lang")
    if lang:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(lang))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- in the server process --------------------------------------------------------------------------------------------

def default_workers() -> int:
    """One worker per core, at most MAX_WORKERS: a front desk prints a few sheets at a time."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


class Service:
    """The catalogue, the worker pool, the layouts each handout fits, and the blank sheets and previews in memory."""

    def __init__(self, content: Path, catalogue: Catalogue, workers: int | None = None):
        from ..files import cache_folder

        self.content = content
        self.catalogue = catalogue
        self.workers = workers or default_workers()
        self.proof_cache = cache_folder()  # where check keeps its proof (read when the service is made, for every worker)
        self._pool_lock = threading.Lock()
        self._pool = self._new_pool()
        self._cache_lock = threading.Lock()
        self._blank: OrderedDict[Job, bytes] = OrderedDict()
        self._previews: OrderedDict[Job, bytes] = OrderedDict()
        self._fits: dict[tuple[str, str, str], tuple[str, ...]] = {}

    def _new_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        # spawn everywhere: what Windows and macOS do, and no copy of the server's threads or sockets in a worker
        from .. import registry

        return concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                      initializer=_start, initargs=(self.catalogue, registry.provided(), self.proof_cache))

    def close(self) -> None:
        """Stop the workers."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, fn: Callable[..., object], *args: object) -> object:
        with self._pool_lock:
            pool = self._pool
        future = pool.submit(fn, *args)
        try:
            return future.result(timeout=RENDER_WAIT_SECONDS)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise BusyError() from None
        except concurrent.futures.process.BrokenProcessPool:
            with self._pool_lock:  # a worker died (out of memory, killed): start a fresh pool for the next request
                if self._pool is pool:
                    self._pool = self._new_pool()
            raise RenderFault("BrokenProcessPool") from None

    def start(self) -> None:
        """Work out which layouts every handout is proven in, for every brand and language (all workers at once)."""
        from ..jobs import plan
        from ..proof import offered_layouts

        keys = sorted({(job.brand, f"{job.treatment}/{job.kind}", job.language) for job in plan(self.catalogue)})
        try:
            results = list(self._pool.map(_proven, *zip(*keys))) if keys else []
        except concurrent.futures.process.BrokenProcessPool:
            raise HandoutsError("the processes that print sheets could not start (see the messages above)") from None
        self._fits = {}
        for key, proven in zip(keys, results):
            self._fits[key] = tuple(proven)
            treatment, kind = key[1].split("/", 1)
            for name in offered_layouts(self.catalogue.treatments[treatment].handouts[(kind, key[2])]):
                if name not in proven:
                    LOG.info("not offering the %s layout for %s %s %s: its proof found a problem (see %s check)", name, *key,
                             program.name())

    def layouts_for(self, brand: str, handout: str, lang: str) -> tuple[str, ...]:
        """The layouts proven at start to print this handout whole, blank and for the longest names."""
        return self._fits.get((brand, handout, lang), ())

    def sheet(self, job: Job, patient: Patient | None) -> bytes:
        """The PDF of one job for a patient; raises PatientError, BudgetError, ContentError, BusyError or RenderFault."""
        if patient is None:
            return self.blank(job)
        return _unpack(self._run(_sheet, job, patient))

    def blank(self, job: Job) -> bytes:
        """The blank PDF of a job, printed once and then kept in memory."""
        with self._cache_lock:
            if job in self._blank:
                self._blank.move_to_end(job)
                return self._blank[job]
        return _remember(self._blank, job, _unpack(self._run(_sheet, job, None)), self._cache_lock)

    def stack(self, job: Job, copies: int) -> bytes:
        """One PDF of a number of blank copies."""
        blank = self.blank(job)
        return blank if copies == 1 else _unpack(self._run(_sheet, job, None, copies, blank))

    def preview(self, job: Job) -> bytes:
        """A PNG of page 1 of the blank PDF, kept in memory."""
        with self._cache_lock:
            if job in self._previews:
                return self._previews[job]
        png = _unpack(self._run(_preview, job, self.blank(job)))
        return _remember(self._previews, job, png, self._cache_lock)

    def warm_up(self, jobs: Iterable[Job]) -> None:
        """Print the blank sheet and preview of some jobs now, so the first person does not wait for them."""
        for job in jobs:
            try:
                self.preview(job)
            except (ContentError, RenderFault, BusyError) as exc:
                LOG.warning("%s cannot print %s/%s: %s", job.brand, job.treatment, job.kind, exc)


def _unpack(outcome: object) -> bytes:
    assert isinstance(outcome, Outcome)
    if outcome.patient_field is not None:
        raise PatientError(outcome.patient_field, outcome.message)
    if outcome.budget is not None:
        pages, limit = outcome.budget
        raise BudgetError(Problem("", None, f"needs {pages} pages, limit {limit}"), pages, limit)
    if outcome.problems:
        raise ContentError(outcome.problems)
    if outcome.fault is not None:
        raise RenderFault(outcome.fault)
    return outcome.data


def _remember(cache: OrderedDict[Job, bytes], job: Job, data: bytes, lock: threading.Lock) -> bytes:
    with lock:
        cache[job] = data
        cache.move_to_end(job)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return data
