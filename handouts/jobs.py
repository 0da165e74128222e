"""The build's job types: one PDF to make (Job), build-wide options, a job's outcome; planning and sharding the jobs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .compiled import dataclass
from .errors import NOTICE, ContentError, Problem, UsageError, did_you_mean, one_of
from .registry import layouts

if TYPE_CHECKING:
    from .brand import Brand
    from .content import Catalogue, Handout

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


@dataclass
class Outcome:
    """The result of one job: a manifest entry, or the problems that stopped it."""

    job: Job
    entry: dict[str, Any] | None
    problems: list[Problem]
    skipped: bool = False
    staged: Path | None = None  # the new PDF, in a temporary file beside its target until the build commits it
    kept: bool = False  # the new PDF could not be written: the earlier one, if any, stays


def plan(catalogue: Catalogue, brands: Iterable[str] = (), handouts: Iterable[str] = (), languages: Iterable[str] = (),
         layout_names: Iterable[str] = ()) -> list[Job]:
    """Every job the filters select, in a stable order; unknown filter values are usage errors."""
    from .i18n import LANGUAGES  # here, not at the top: a no-op build reads the manifest's job types only

    brands, handouts, languages, layout_names = list(brands), list(handouts), list(languages), list(layout_names)
    known_handouts = sorted({h.key for h in catalogue.handouts} | {_failed_key(p) for p in catalogue.failed})
    broken = [p for slug in brands if slug not in catalogue.brands for p in brand_problems(catalogue, slug)]
    if broken:  # a brand kit that exists but could not be loaded: why, not "unknown brand"
        raise ContentError(broken)
    kits = sorted(set(catalogue.brands) | {Path(display).parent.name for display in catalogue.failed_brands})
    for asked, known, what in ((brands, kits, "brand"), (handouts, known_handouts, "handout"),
                               (languages, LANGUAGES, "language"), (layout_names, layouts(), "layout")):
        for value in asked:
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


def brand_problems(catalogue: Catalogue, slug: str) -> list[Problem]:
    """Why a brand kit in the catalogue could not be loaded (with the problems of a kit it extends that failed too);
    empty when there is no such kit."""
    files = {display for display in catalogue.failed_brands if Path(display).parent.name == slug}
    own = [p for p in catalogue.problems if p.path in files]
    named = {display for display in catalogue.failed_brands for p in own if p.expected and display in p.expected}
    return own + [p for p in catalogue.problems if p.path in named - files]


def offered(catalogue: Catalogue, jobs: list[Job]) -> tuple[list[Job], list[Problem]]:
    """The jobs whose layout prints their handout, and a notice for each handout a layout does not print (a card for a
    handout without a card section), one per handout file and layout."""
    kept, notices = [], {}
    for job in jobs:
        handout = handout_for(catalogue, job)
        if layouts()[job.layout].offers(handout):
            kept.append(job)
        else:
            notices[(handout.display, job.layout)] = Problem(handout.display, None, f"skipped in {job.layout}: it has no {job.layout}: section",
                                                             f"a {job.layout}: section to print it as a {job.layout}", NOTICE)
    return kept, list(notices.values())


def default_layout(handout: Handout, brand: Brand) -> str:
    """The layout a handout prints in unless one is asked for: its own, else its brand's, else standard."""
    return handout.layout or brand.layout or DEFAULT_LAYOUT


def _failed_key(display: str) -> str:
    path = Path(display)
    return f"{path.parent.name}/{path.name.split('.')[0]}"


def handout_for(catalogue: Catalogue, job: Job) -> Handout:
    """The handout a job builds."""
    return catalogue.treatments[job.treatment].handouts[(job.kind, job.language)]


def shard(jobs: list[Job], spec: str | None) -> list[Job]:
    """The deterministic share K/N of a sorted job list (every N-th job from the K-th)."""
    if not spec:
        return jobs
    try:
        k, n = (int(part) for part in spec.split("/"))
        if not 1 <= k <= n:
            raise ValueError
    except ValueError:
        raise UsageError(f"--shard '{spec}' is not K/N with 1 ≤ K ≤ N (e.g. 2/4)") from None
    return [job for i, job in enumerate(sorted(jobs)) if i % n == k - 1]
