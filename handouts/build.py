"""The build pipeline: plan jobs, render each to memory, write atomically, record a manifest."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import fonts, images
from .blocks import Block
from .brand import Brand
from .content import Catalogue, Handout
from .errors import WARNING, BudgetError, ContentError, HandoutsError, Problem, did_you_mean, one_of
from .i18n import LANGUAGES
from .patient import Patient
from .placeholders import PlaceholderError, expand
from .readability import grade
from .registry import layouts
from .render import RenderError
from .sheet import Sheet

DEFAULT_LAYOUT = "standard"


@dataclass(frozen=True, order=True)
class Job:
    """One PDF to build: a handout for a brand, in a language and a layout."""

    brand: str
    treatment: str
    kind: str
    language: str
    layout: str

    @property
    def output(self) -> str:
        """The PDF's path relative to the output folder."""
        return f"{self.brand}/{self.treatment}-{self.kind}.{self.language}.{self.layout}.pdf"


@dataclass(frozen=True)
class Options:
    """Build-wide choices that change the bytes of every PDF."""

    page_size: str | None = None
    grayscale: bool = False

    def key(self) -> str:
        """A stable text form, part of every fingerprint."""
        return f"page_size={self.page_size}|grayscale={self.grayscale}"


@dataclass(frozen=True)
class Rendered:
    """A PDF in memory."""

    data: bytes
    pages: int
    title: str


def plan(catalogue: Catalogue, brands: Iterable[str] = (), handouts: Iterable[str] = (), languages: Iterable[str] = (),
         layout_names: Iterable[str] = ()) -> list[Job]:
    """Every job the filters select, in a stable order; unknown filter values are usage errors."""
    from .errors import UsageError

    brands, handouts, languages, layout_names = list(brands), list(handouts), list(languages), list(layout_names)
    known_handouts = sorted({h.key for h in catalogue.handouts} | {_failed_key(p) for p in catalogue.failed})
    for name, known, what in ((brands, catalogue.brands, "brand"), (handouts, known_handouts, "handout"),
                              (languages, LANGUAGES, "language"), (layout_names, layouts(), "layout")):
        for value in name:
            if value not in known:
                raise UsageError(f"unknown {what} '{value}' ({one_of(known) if known else 'none exist'}{did_you_mean(value, known)})")
    jobs = []
    for slug, brand in sorted(catalogue.brands.items()):
        if brands and slug not in brands:
            continue
        for handout in catalogue.handouts:
            if handouts and handout.key not in handouts:
                continue
            if handout.language not in brand.languages or (languages and handout.language not in languages):
                continue
            for name in layout_names or [default_layout(handout, brand)]:
                jobs.append(Job(slug, handout.treatment_slug, handout.kind, handout.language, name))
    return sorted(jobs)


def default_layout(handout: Handout, brand: Brand) -> str:
    """The layout a handout prints in unless one is asked for: its own, else its brand's, else standard."""
    return handout.layout or brand.layout or DEFAULT_LAYOUT


def _failed_key(display: str) -> str:
    path = Path(display)
    return f"{path.parent.name}/{path.name.split('.')[0]}"


def handout_for(catalogue: Catalogue, job: Job) -> Handout:
    """The handout a job builds."""
    return catalogue.treatments[job.treatment].handouts[(job.kind, job.language)]


def make_sheet(catalogue: Catalogue, job: Job, patient: Patient | None = None, page_size: str | None = None,
               fillable: bool = False, grayscale: bool = False) -> Sheet:
    """Everything a layout needs for one job; raises ContentError for a problem that only this brand shows."""
    handout = handout_for(catalogue, job)
    brand = catalogue.brands[job.brand].localised(job.language)
    settings = catalogue.settings_for(job.treatment, brand)
    family = fonts.family(brand.font_files or None)
    logo = images.load(brand.logo) if brand.logo else None
    if logo and grayscale:
        logo = images.grayscale(logo)
    sheet = Sheet(handout, brand, LANGUAGES[job.language], family, settings, logo, page_size or brand.page_size, patient, fillable,
                  grayscale)
    layout = layouts().get(job.layout)
    _check_glyphs(sheet, layout.printed_blocks(handout) if layout else handout.every_block)
    return sheet


def _check_glyphs(sheet: Sheet, blocks: list[tuple[str, Block]]) -> None:
    """Every character the sheet will print (its title, the blocks its layout prints, the brand's chrome and the patient's
    details) must be in the brand's font: report, never print boxes."""
    problems = []
    brand, family = sheet.brand, sheet.family

    def lookup(space: str, key: str) -> str:
        if space == "settings":
            return sheet.settings[key]
        if space == "brand":
            return brand.value(key)
        value = getattr(sheet.patient, key, None) if sheet.patient else None
        return value if isinstance(value, str) else ""

    def scan(text: str, path: str, line: int | None, what: str) -> None:
        for char in family.missing(text):
            problems.append(Problem(path, line, f"{what}character '{char}' (U+{ord(char):04X}) is not in {family.label}",
                                    "text the brand's font can print, or a brand font that has this character"))

    for source, block in blocks:
        for rich in block.texts():
            try:
                scan(expand(rich.raw, lookup), source, rich.line, f"{rich.where}: " if rich.where else "")
            except PlaceholderError:
                continue
    for text in (sheet.handout.title, sheet.handout.treatment, sheet.revision):
        scan(text, sheet.handout.display, sheet.handout.lines.get("title"), "")
    for text in (brand.name, brand.footer, brand.disclaimer, *brand.contact.values()):
        scan(text, brand.display, None, f"for {sheet.handout.display}: ")
    if sheet.patient:
        for text in (sheet.patient.name or "", sheet.patient.provider or ""):
            scan(text, "--patient/--provider", None, "")
    if problems:
        raise ContentError(problems)


def render(sheet: Sheet, layout_name: str) -> Rendered:
    """Render one sheet to PDF bytes with a layout; raise ContentError if it cannot be printed as asked."""
    from reportlab.platypus.doctemplate import LayoutError

    cls = layouts()[layout_name]
    try:
        data, pages = cls.fit(sheet)
    except RenderError as exc:
        raise ContentError([Problem(exc.path, exc.line, exc.message, exc.expected)]) from None
    except images.ImageError as exc:
        raise ContentError([Problem(sheet.brand.display, None, exc.message, exc.expected)]) from None
    except LayoutError:
        raise ContentError([Problem(sheet.handout.display, None, f"a block is too large for one page in {layout_name}",
                                    "shorter blocks, or a smaller picture")]) from None
    budget = cls.page_limit(sheet.handout)
    if budget is not None and pages > budget:
        raise BudgetError(Problem(sheet.handout.display, None, f"needs {pages} pages in {layout_name}, limit {budget}"), pages, budget)
    return Rendered(data, pages, sheet.handout.title)


def write_atomic(path: Path, data: bytes, private: bool = False) -> None:
    """Write a file so that readers see the old file or the whole new one, never a part (private: readable by its owner only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600 if private else 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@dataclass
class Outcome:
    """The result of one job: a manifest entry, or the problems that stopped it."""

    job: Job
    entry: dict | None
    problems: list[Problem]
    skipped: bool = False


def run_job(catalogue: Catalogue, job: Job, out: Path, options: Options, inputs: str) -> Outcome:
    """Render and write one job; a failure removes any stale PDF for it."""
    target = out / job.output
    try:
        rendered = render(make_sheet(catalogue, job, page_size=options.page_size, grayscale=options.grayscale), job.layout)
    except ContentError as exc:
        _remove(target)
        return Outcome(job, None, exc.problems)
    try:
        write_atomic(target, rendered.data)
    except OSError as exc:
        _remove(target)
        return Outcome(job, None, [Problem(str(target), None, f"cannot write the PDF: {exc.strerror or exc}",
                                           "a writable output folder with free space")])
    handout = handout_for(catalogue, job)
    reading = grade(handout, catalogue.treatments[job.treatment].settings)
    entry = {"path": job.output, "brand": job.brand, "treatment": job.treatment, "kind": job.kind, "language": job.language,
             "layout": job.layout, "pages": rendered.pages, "sha256": hashlib.sha256(rendered.data).hexdigest(),
             "title": rendered.title, "version": handout.version, "reviewed": handout.reviewed,
             "reading_grade": reading.value, "reading_measure": reading.measure, "options": options.key(), "inputs": inputs}
    return Outcome(job, entry, [])


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def reconcile_manifest(catalogue: Catalogue, out: Path, entries: list[dict]) -> tuple[list[dict], list[Problem]]:
    """This run's entries plus earlier ones that are still true, and a warning for each earlier PDF now out of date.

    A filtered or sharded build keeps what it did not touch, so the manifest always lists every good PDF in the
    folder; a PDF made from a brand kit or handout that is now broken or gone is removed, so nobody prints it; one
    whose inputs changed since it was built stays, marked "stale", until a build that selects it makes it again.
    """
    from .incremental import fingerprint, pdf_in, previous_entries

    current = {entry["path"]: entry for entry in entries}
    loaded = {(h.treatment_slug, h.kind, h.language) for h in catalogue.handouts}
    kept, warnings = [], []
    cache: dict[Path, str] = {}
    for path, entry in sorted(previous_entries(out).items()):
        if path in current:
            continue
        brand = catalogue.brands.get(str(entry.get("brand")))
        source = (entry.get("treatment"), entry.get("kind"), entry.get("language"))
        if brand is None or source not in loaded or entry.get("language") not in brand.languages:
            target = pdf_in(out, path)
            if target is not None:
                _remove(target)
            continue
        job = Job(brand.slug, *source, str(entry.get("layout")))  # type: ignore[arg-type]
        fresh = job.layout in layouts() and fingerprint(catalogue, job, str(entry.get("options", Options().key())), cache) == entry.get("inputs")
        entry = {k: v for k, v in entry.items() if k != "stale"} if fresh else {**entry, "stale": True}
        if not fresh:
            warnings.append(Problem(str(out / path), None, "is out of date with the content and marked stale in the manifest",
                                    "a build that includes it, e.g. without --brand/--handout/--lang/--shard", WARNING))
        kept.append(entry)
    return list(current.values()) + entries_on_disk(out, {e["path"]: e for e in kept}), warnings


def entries_on_disk(out: Path, entries: dict[str, dict]) -> list[dict]:
    """The entries whose file is on disk with the recorded sha256 (used after an interruption)."""
    from .incremental import unchanged

    return [entry for entry in entries.values() if unchanged(entry, entry.get("inputs", ""), out)]


def write_manifest(out: Path, entries: list[dict]) -> Path:
    """Write manifest.json (sorted by path) atomically."""
    path = out / "manifest.json"
    body = {"generator": "handouts", "handouts": sorted(entries, key=lambda e: e["path"])}
    try:
        write_atomic(path, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    except OSError as exc:
        raise HandoutsError(f"{path}: cannot write the manifest: {exc.strerror or exc} (a writable output folder with free space)") from None
    return path


def check_output_dir(out: Path) -> None:
    """Fail early, with a clear message, when the output folder cannot be written."""
    if out.exists() and not out.is_dir():
        raise HandoutsError(f"{out}: output folder is a file (expected a folder to write PDFs into)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise HandoutsError(f"{out}: output folder cannot be written ({exc.strerror or exc})") from None


def check_source_date_epoch() -> None:
    """Refuse an invalid SOURCE_DATE_EPOCH before reportlab trips over it."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None and not (value.isdigit() and int(value) < 253402300800):
        raise HandoutsError(f"SOURCE_DATE_EPOCH is '{value[:40]}' (expected a whole number of seconds since 1970, e.g. 1767225600)")


ProgressFn = Callable[[Outcome], None]


def shard(jobs: list[Job], spec: str | None) -> list[Job]:
    """The deterministic share K/N of a sorted job list (every N-th job from the K-th)."""
    from .errors import UsageError

    if not spec:
        return jobs
    try:
        k, n = (int(part) for part in spec.split("/"))
        if not 1 <= k <= n:
            raise ValueError
    except ValueError:
        raise UsageError(f"--shard '{spec}' is not K/N with 1 ≤ K ≤ N (e.g. 2/4)") from None
    return [job for i, job in enumerate(sorted(jobs)) if i % n == k - 1]


def build_all(catalogue: Catalogue, jobs: list[Job], out: Path, workers: int = 1, on_done: ProgressFn | None = None,
              options: Options = Options(), force: bool = False) -> list[Outcome]:
    """Run the jobs whose inputs changed (in worker processes when workers > 1); outcomes come back in job order."""
    from .incremental import fingerprint, previous_entries, unchanged

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
