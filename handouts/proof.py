"""The proof that every sheet prints whole: every brand × handout × language × offered layout, rendered blank and
personalised for the worst case, and linted on what was drawn.

`check` runs it. Each combination is rendered on the brand's page size twice (and on the other page size, which
`build --page-size` may ask for, as the worst case only): as a blank copy, and personalised with the longest names the
front desk and `handout` accept (`patient.MAX_NAME` characters of wide letters) and the treatment and follow-up
dates whose written-out form is the widest in the language and the brand's font. The PDF is read back (`drawn`)
and, with the layout's record of where its story went, checked for:

* the page budget, for the worst case too, saying whether the content, the brand's font or the patient's details
  pushed it over;
* words, e-mail addresses, web addresses and phone numbers broken across lines, columns or panels: a break is
  judged against the source text (a break is fine only where the source has a break opportunity, so the rule holds
  for scripts without spaces between words); a phone number may not break at all, and a web or e-mail address (the
  brand's, the web copy's printed beside its QR code, any in the content) only where an address may
  (`addresses.may_break`: after a '/', before a '.', '-' or '@'), never inside a word;
* text shortened with "…", running off the page or past its column, drawn over other text, or set below the
  layout's smallest size;
* a heading that ends a page, column or panel with fewer than two lines of its section after it;
* pages, columns and panels before the last that are filled less than the layout's `min_fill` (and, in a
  brochure, a panel left empty): an error in the layout the handout is built in by default, a warning in the others
  (which the front desk then does not offer for it); in a layout that balances its last page's columns, those columns
  are not measured against the page, but a last page with more than `FEW_LINES` lines all in one column, and more than
  one piece to share, is an error;
* a sheet that prints its web copy's address without the QR code, because no size the layout allows has room for
  the code: a notice, which names the sheet and neither fails `check` nor keeps the front desk from offering it;
* (once per brand) a raster logo below 300 dpi where it prints widest (an error below 150 dpi), and a wide logo
  that a layout squeezes below 8 mm;
* with `check --pdfua`, every rule of PDF/UA-1 that a rendered copy fails, these and a blank copy with form fields, in
  greys, on the brand's page size (page-validation, `handouts.conformance`).

`proven_layouts` answers the front desk's question, which layouts a handout may be offered in, from the same proof.

On a sheet in a language with a script of its own the patient's name is written in it (`SCRIPT_NAMES`: Chinese without
spaces, Korean, Arabic, Cyrillic, Vietnamese with stacked marks), and the provider's keeps the wide Latin letters.

The longest name accepted stays `patient.MAX_NAME` = 80 characters: the longest real names the desk meets (a Spanish
name with two surnames and their particles, "María de los Ángeles Fernández-Castellanos Rodríguez de la Fuente", is
66) fit with room to spare, and every layout prints 80 characters of wide letters whole, each detail on a row of its
own where one row would be cramped. A single word too long for a narrow column (a brochure panel) is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from reportlab.lib.units import mm

from . import drawn as readback
from . import fonts, images, inline
from .addresses import may_break
from .compiled import dataclass
from .content import Catalogue, Handout
from .errors import ERROR, NOTICE, WARNING, ContentError, Problem
from .flowables import WEB_CODE_SMALLEST, RenderContext
from .jobs import Job, default_layout, handout_for, plan
from .patient import MAX_NAME, Patient
from .pdf import draw_pdf, make_sheet
from .registry import layouts
from .sheet import PAGE_SIZES, Sheet
from .styles import Theme
from .writing import text_width

if TYPE_CHECKING:
    from .drawn import Drawn
    from .proofcache import ProofCache

PAGE_NAMES = {"letter": "Letter", "a4": "A4"}
MIN_WIDE_LOGO_HEIGHT_MM = 8.0  # a wordmark's letters are legible down to about this height
MIN_SECTION_LINES = 2  # lines of its section a heading needs under it at the foot of a page, column or panel
FEW_LINES = 3  # a last page with more lines than this shares them between its columns, in a layout that balances it
WIDE_LETTERS = ("Wilhelmina", "Maximiliana", "Montgomery-Wadsworth", "Mwangi", "Wainwright", "Mackworth", "Woodworth",
                "Moorcroft", "Wolverhampton")
# A patient's name as a sheet in another script meets it, written in that script: (words, the space between them). The
# provider keeps the wide Latin name, so every copy proves both. Chinese names have no spaces (the line breaks between
# characters); Vietnamese ones stack two marks on a letter (which must not touch the line above).
SCRIPT_NAMES: dict[str, tuple[tuple[str, ...], str]] = {
    "zh-Hans": (("欧阳", "慕容", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟"), ""),
    "zh-Hant": (("歐陽", "慕容", "司馬", "諸葛", "上官", "東方", "皇甫", "尉遲"), ""),
    "ko": (("남궁", "황보", "제갈", "선우", "독고", "서문", "사공", "동방"), " "),
    "ar": (("عبدالرحمن", "الشمشيري", "عبدالمحسن", "القحطاني", "آل", "مشعشع", "الضبيعي", "الظفيري"), " "),
    "vi": (("Nguyễn", "Huỳnh", "Trương", "Phượng", "Quỳnh", "Tuyết", "Đặng", "Thị", "Ngọc", "Hoàng"), " "),
    "ru": (("Жуковский-Щербаков", "Шамшуддинова", "Мещерякова", "Ющенко", "Шувалова", "Жемчужникова"), " "),
}
PROTECTED_CONTACTS = ("phone", "after_hours", "email", "website")  # an address may wrap like any text
DATE_YEARS = range(2026, 2036)  # the years searched for the widest written-out dates
FOLLOW_UP_DAYS = range(21, 120)  # a follow-up this many days after the treatment
_SPACE = re.compile(r"[\s\u00a0]+")
_WIDE_SCRIPT = re.compile(r"([\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef])")  # a break may fall around each
_LINK = re.compile(r"(?:https?://|www\.)[^\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\(?\d[\d ().-]{6,}\d")


@dataclass(frozen=True)
class Variant:
    """A copy of a sheet the proof renders: blank, or personalised for the worst case."""

    name: str
    patient: Patient | None


def offered_layouts(handout: Handout) -> list[str]:
    """The layouts a handout is offered in: every layout that prints it (the card only where it has a card section)."""
    return [name for name, cls in sorted(layouts().items()) if cls.offers(handout)]


def proof_jobs(catalogue: Catalogue) -> list[Job]:
    """Every brand × handout × language × offered layout, in a stable order."""
    jobs = plan(catalogue, layout_names=sorted(layouts()))
    return [job for job in jobs if job.layout in offered_layouts(handout_for(catalogue, job))]


def widest_name(length: int = MAX_NAME, language: str | None = None) -> str:
    """A name of exactly `length` characters made of wide letters, in words as a real name has them; for a language with a
    script of its own (see SCRIPT_NAMES), a name in that script."""
    letters, space = SCRIPT_NAMES.get(language or "", SCRIPT_NAMES.get((language or "").split("-")[0], (WIDE_LETTERS, " ")))
    words: list[str] = []
    while len(space.join(words)) < length:
        words.append(letters[len(words) % len(letters)])
    return space.join(words)[:length].rstrip(" -").ljust(length, letters[0][0])


def widest_dates(sheet: Sheet) -> tuple[dt.date, dt.date]:
    """The treatment date and a later follow-up whose written-out forms are the widest in the sheet's language and bold font."""
    dates = sheet.strings.dates
    # Searched once a process for each way of writing dates and font (a font's name holds its file's digest): every
    # layout, page size and handout of a language and brand meets the same ones.
    key = (dates.locale, tuple(sorted(dates.long.items())), dates.months, dates.weekdays, sheet.brand.date_format, sheet.family.bold)
    if key not in _WIDEST_DATES:
        _WIDEST_DATES[key] = _search_widest_dates(sheet)
    return _WIDEST_DATES[key]


_WIDEST_DATES: dict[tuple[object, ...], tuple[dt.date, dt.date]] = {}


def _search_widest_dates(sheet: Sheet) -> tuple[dt.date, dt.date]:
    strings, order, font = sheet.strings, sheet.brand.date_format, sheet.family.bold

    def width(day: dt.date) -> float:
        return text_width(strings.long_date(day, order), font, 10)

    first = dt.date(DATE_YEARS[0], 1, 1)
    days = [first + dt.timedelta(days=n) for n in range((dt.date(DATE_YEARS[-1], 12, 31) - first).days)]
    treatment = max(days, key=lambda day: (width(day), -day.toordinal()))
    follow_up = max((treatment + dt.timedelta(days=n) for n in FOLLOW_UP_DAYS), key=lambda day: (width(day), -day.toordinal()))
    return treatment, follow_up


def worst_patient(sheet: Sheet) -> Patient:
    """The widest patient details the front desk and `handout` accept, for this sheet's language and font: the patient's
    name in the language's own script where it has one, the provider's in wide Latin letters."""
    treatment, follow_up = widest_dates(sheet)
    return Patient(widest_name(language=sheet.handout.language), treatment, "Dr " + widest_name(MAX_NAME - 3), follow_up)


@dataclass(frozen=True)
class Copy:
    """One rendered copy kept for the PDF/UA-1 validator: the handout, which copy it is, and the PDF."""

    display: str
    variant: str
    data: bytes


def prove_job(catalogue: Catalogue, job: Job, patient: Patient | None = None, pdfua: bool = False) -> list[Problem]:
    """Render one combination blank and personalised (for the worst case, or for the patient given), on the brand's page
    size and then on the other (a build may ask for either), and lint what was drawn (with pdfua, validate it against
    PDF/UA-1 too); every problem found, each once."""
    problems, copies = render_proof(catalogue, job, patient, keep=pdfua)
    return problems + pdfua_problems(job, copies)


def render_proof(catalogue: Catalogue, job: Job, patient: Patient | None = None, keep: bool = False) -> tuple[list[Problem], list[Copy]]:
    """The proof of one combination without the PDF/UA-1 validator: its problems, and (with keep) every copy rendered."""
    try:
        own = make_sheet(catalogue, job)
    except ContentError as exc:
        return list(exc.problems), []
    problems: list[Problem] = []
    copies: list[Copy] | None = [] if keep else None
    seen: set[tuple[str, int | None, str]] = set()
    for page_size in [own.page_size] + sorted(size for size in PAGE_SIZES if size != own.page_size):
        over = any(" pages in " in p.message and ", limit " in p.message for p in problems)  # said once is enough
        problems += _prove_on(catalogue, job, patient, page_size, "" if page_size == own.page_size else f", on {PAGE_NAMES[page_size]}", seen,
                              budget=not over, copies=copies)
    if copies is not None:  # for the validator, a blank copy with form fields, in greys, on the brand's page size too
        try:
            sheet = make_sheet(catalogue, job, fillable=True, grayscale=True)
            copies.append(Copy(sheet.handout.display, "fillable, in greys", draw_pdf(sheet, job.layout).data))
        except ContentError:
            pass  # reported for the blank copy
    return problems, copies or []


def _prove_on(catalogue: Catalogue, job: Job, patient: Patient | None, page_size: str, on: str,
              seen: set[tuple[str, int | None, str]], budget: bool = True, copies: list[Copy] | None = None) -> list[Problem]:
    """The proof of one combination on one page size (on: how messages name it, empty for the brand's own); each copy
    rendered goes into copies, if given."""
    blank = make_sheet(catalogue, job, page_size=page_size)
    personal = blank.handout.kind != "overview" or _uses_patient(blank)
    # On the other page size the worst case alone is proven (it holds everything the blank copy holds, and more),
    # unless the handout has nothing personal.
    variants = [Variant("blank", None)] if not on or not personal else []
    if personal:
        variants.append(Variant("personalised", patient or worst_patient(blank)))
    problems: list[Problem] = []
    drawn_pages: dict[str, int] = {}
    for variant in variants:
        try:
            sheet = blank if variant.patient is None else make_sheet(catalogue, job, variant.patient, page_size=page_size)
            result = draw_pdf(sheet, job.layout)
        except ContentError as exc:
            problems += [p for p in exc.problems if (p.path, p.line, p.message) not in seen]
            seen.update((p.path, p.line, p.message) for p in exc.problems)
            continue
        drawn_pages[variant.name] = result.pages
        if copies is not None:
            copies.append(Copy(sheet.handout.display, variant.name + on, result.data))
        for problem in Lints(sheet, job, Variant(variant.name + on, variant.patient), result).all():
            key = (problem.path, problem.line, problem.message.split(": ", 1)[-1])
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    for problem in _budget(catalogue, job, blank, drawn_pages, on) if budget else []:
        key = (problem.path, problem.line, problem.message.split(", limit", 1)[-1])
        if key not in seen:
            seen.add(key)
            problems.append(problem)
    return problems


def pdfua_problems(job: Job, copies: list[Copy]) -> list[Problem]:
    """Every PDF/UA-1 rule the copies of one combination fail, each once (for the first copy that fails it)."""
    if not copies:
        return []
    from .conformance import failures

    problems: list[Problem] = []
    said: set[str] = set()
    for copy in copies:
        for failure in failures(copy.data):
            if str(failure) not in said:
                said.add(str(failure))
                problems.append(Problem(copy.display, None, f"{_where(job, copy.variant)}: the PDF fails PDF/UA-1 rule {failure}",
                                        "a PDF that meets PDF/UA-1 (the engine's fault, or a brand font's: report it with this message)"))
    return problems


def _uses_patient(sheet: Sheet) -> bool:
    """Whether an overview prints anything of the patient's (a {patient.x} placeholder or an appointment)."""
    from .blocks import Appointment

    blocks = layouts()[sheet.handout.layout or "standard"].printed_blocks(sheet.handout)
    return any(isinstance(block, Appointment) or any("{patient." in rich.raw for rich in block.texts()) for _, block in blocks)


def _where(job: Job, variant: str) -> str:
    return f"in {job.layout} for {job.brand} ({job.language}, {variant})"


def _budget(catalogue: Catalogue, job: Job, blank: Sheet, pages: dict[str, int], on: str = "") -> list[Problem]:
    """The page budget, for the blank and the worst-case copy, with what pushed the sheet over."""
    limit = layouts()[job.layout].page_limit(blank.handout)
    if limit is None:
        return []
    path = blank.handout.display
    if pages.get("blank", 0) > limit:
        cause = "the content is too long for it"
        if blank.brand.font_files:
            bundled = draw_pdf(replace(blank, family=fonts.family(None)), job.layout)
            if bundled.pages <= limit:
                cause = f"the brand's font pushes it over (with the bundled font it takes {bundled.pages})"
        return [Problem(path, None, f"needs {pages['blank']} pages {_where(job, 'blank' + on)}, limit {limit}: {cause}",
                        "content that fits the layout's page budget, or another layout")]
    if pages.get("personalised", 0) > limit:
        cause = (f"the patient's details push it over (the blank copy takes {pages['blank']})" if "blank" in pages
                 else "the page size and the patient's details push it over")
        return [Problem(path, None, f"needs {pages['personalised']} pages {_where(job, 'personalised' + on)}, limit {limit}: {cause}",
                        "a layout whose patient strip and dates fit the worst case within the page budget")]
    return []


def segments(text: str) -> list[str]:
    """Text cut at its break opportunities: spaces, and around each character of scripts written without them."""
    return [part for part in _SPACE.split(_WIDE_SCRIPT.sub(r" \1 ", text)) if part]


class Lints:
    """The lints of one rendered copy."""

    def __init__(self, sheet: Sheet, job: Job, variant: Variant, result: "Drawn"):
        self.sheet, self.job, self.variant, self.result = sheet, job, variant, result
        self.cls = layouts()[job.layout]
        self.pages = readback.read(result.data)
        self.where = _where(job, variant.name)
        self.texts = list(self._source_texts())
        self.words: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()
        self.long_prefixes: set[str] = set()
        for _, _, text in self.texts:
            parts = segments(text)
            self.words.update(parts)
            self.pairs.update(zip(parts, parts[1:]))
            self.long_prefixes.update(part[:n] for part in parts if len(part) > 12 for n in range(2, len(part)))
        self.frames = [use for use in result.frames]
        self.flow, self.chrome = self._split_runs()

    def all(self) -> list[Problem]:
        """Every problem of this copy."""
        return (self.broken_words() + self.broken_contacts() + self.shortened() + self.outside() + self.overlapping()
                + self.too_small() + self.stranded_headings() + self.underfilled() + self.unbalanced() + self.squeezed()
                + self.address_only())

    def problem(self, path: str, line: int | None, message: str, expected: str, severity: str = "error") -> Problem:
        """A problem of this copy, saying where (layout, brand, language, blank or personalised)."""
        return Problem(path, line, f"{self.where}: {message}", expected, severity)

    # -- what the sheet was asked to print ------------------------------------------------------------------

    def _source_texts(self) -> Iterator[tuple[str, int | None, str]]:
        """(file, line, plain text) of everything the sheet may print: its blocks, the chrome, the patient's details."""
        sheet, brand, strings = self.sheet, self.sheet.brand, self.sheet.strings
        ctx = RenderContext(brand, sheet.settings, strings, Theme.from_colors(sheet.family, brand.colors), {}, 0, sheet.patient)
        for source, block in self.cls.printed_blocks(sheet.handout):
            ctx.source = source
            for rich in block.texts():
                try:
                    yield source, rich.line, inline.plain(inline.fill(list(rich.spans), _filler(ctx, rich.line)))
                except Exception:  # noqa: BLE001 - a text that cannot be filled is reported by the render itself
                    continue
        handout = sheet.handout
        for text in (handout.title, handout.treatment, sheet.kind_label, sheet.revision):
            yield handout.display, handout.lines.get("title"), text
        for text in (brand.name, brand.footer, brand.disclaimer, brand.booking_url or "", *brand.contact.values()):
            yield brand.display, None, text
        for value in vars(strings).values():
            for text in (value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else [value]):
                yield "", None, str(text)
        for number in range(1, 100):
            yield "", None, strings.page.format(page=number, total=number)
        patient = sheet.patient
        if patient is not None:
            yield "--patient", None, patient.name or ""
            yield "--provider", None, patient.provider or ""
            for day in (patient.date, patient.follow_up):
                if day:
                    yield "--date", None, strings.long_date(day, brand.date_format)
            if patient.date:
                for offset in range(-400, 400):
                    yield "--date", None, strings.short_date(patient.date + dt.timedelta(days=offset), brand.date_format)

    def _split_runs(self) -> tuple[list[readback.Run], list[readback.Run]]:
        """The runs inside the layout's text frames, page by page in flow order, and the rest (the chrome)."""
        flow: list[readback.Run] = []
        chrome: list[readback.Run] = []
        for number, page in enumerate(self.pages):
            boxes = [use.box for use in self.frames if use.page == number]
            for run in page.runs:
                (flow if any(_inside(run, box) for box in boxes) else chrome).append(run)
        return flow, chrome

    def _source_of(self, text: str) -> tuple[str, int | None]:
        """The file and line of the first source text that contains this text (the handout itself when none does)."""
        wanted = _SPACE.sub(" ", text)
        for path, line, source in self.texts:
            if path and not path.startswith("--") and wanted in _SPACE.sub(" ", source):
                return path, line
        return self.sheet.handout.display, None

    # -- the lints -------------------------------------------------------------------------------------------

    def protected(self) -> dict[str, tuple[str, int | None]]:
        """Phone numbers, e-mail and web addresses (of the brand, the web copy's, any in the content), with the file and line they come from."""
        brand = self.sheet.brand
        values: dict[str, tuple[str, int | None]] = {}
        for key in PROTECTED_CONTACTS:
            value = brand.contact.get(key) or ""
            for shown in (value, value.removeprefix("https://").removeprefix("http://")):
                if len(shown) > 3:
                    values.setdefault(shown, (brand.display, None))
        if brand.booking_url:
            values.setdefault(brand.booking_url.removeprefix("https://"), (brand.display, None))
        if self.sheet.web_address:  # the address of the sheet's web copy, printed beside its QR code
            values.setdefault(self.sheet.web_address.removeprefix("https://"), brand.where("web_base_url"))
        for path, line, text in self.texts:
            if path and not path.startswith("--"):
                for match in _LINK.finditer(text):
                    values.setdefault(match.group().rstrip(".,;:)"), (path, line))
        return values

    def broken_words(self) -> list[Problem]:
        """A word cut between two lines where its source text has no break opportunity (contact details: broken_contacts)."""
        protected = self.protected()
        problems = []
        for runs in (self.flow, self.chrome):
            for before, after in zip(runs, runs[1:]):
                head, tail = segments(before.text), segments(after.text)
                if not head or not tail:
                    continue
                a, b = head[-1], tail[0]
                joined = a + b
                if (joined in self.words or joined in self.long_prefixes) and (a, b) not in self.pairs \
                        and not any(joined in value for value in protected):
                    path, line = self._source_of(joined)
                    problems.append(self.problem(path, line, f"the word '{joined}' is broken across lines ('{a}' / '{b}')",
                                                 "whole words on a line: a wider column, or shorter words"))
        return problems

    def broken_contacts(self) -> list[Problem]:
        """An e-mail address, web address or phone number that does not stand whole on one line.

        The text of consecutive lines is searched for the value with a line end inside it; and, since a right-to-left
        line comes back with its words in an order of pdfium's making, every line that holds a word found in no other
        value (the '010-0100' of '(555) 010-0100') must hold the value's other words too."""
        runs = self.flow + self.chrome
        flow = "\n".join(run.text for run in runs).replace("\u00a0", " ")
        protected = self.protected()
        words_of = {value: value.split() for value in protected}
        problems = []
        for value, (path, line) in sorted(protected.items()):
            pieces = None
            address = any(char.isalpha() for char in value)  # a web or e-mail address (a phone number has no letters)
            pattern = "\n?".join("[ \n]" if char == " " else re.escape(char) for char in value)
            for match in re.finditer(pattern, flow):
                if "\n" in match.group() and not (address and _broken_where_it_may(value, match.group())):
                    pieces = " / ".join(match.group().split("\n"))
                    break
            words = words_of[value]
            own = [word for word in words if len(words) > 1 and not any(word in other for key, other in words_of.items() if key != value)]
            for run in runs if pieces is None and own else []:
                held = run.text.replace("\u00a0", " ").split()
                if any(word in held for word in own) and not all(word in held for word in words):
                    pieces = " / ".join((" ".join(w for w in words if w in held), " ".join(w for w in words if w not in held)))
                    break
            if pieces is not None and address:
                problems.append(self.problem(path, line, f"'{value}' is broken inside a word ('{pieces}')",
                                             "a web or e-mail address broken only after a '/' or before a '.', '-' or '@', or set smaller"))
            elif pieces is not None:
                problems.append(self.problem(path, line, f"'{value}' is broken across lines ('{pieces}')",
                                             "e-mail addresses, web addresses and phone numbers whole on one line"))
        return problems

    def shortened(self) -> list[Problem]:
        """Text cut short with an ellipsis that is not in its source."""
        problems = []
        for run in self.flow + self.chrome:
            if "…" in run.text and any("…" in part and part not in self.words for part in segments(run.text)):
                path, line = self._source_of(run.text.replace("…", ""))
                problems.append(self.problem(path, line, f"'{run.text}' is shortened with '…'",
                                             "every text printed whole: wrapped, or set smaller down to the layout's smallest size"))
        return problems

    def outside(self) -> list[Problem]:
        """Text that runs off the page, or past the side of its column or panel."""
        problems = []
        for run in self.flow + self.chrome:
            page = self.pages[run.page]
            if run.x0 < -0.5 or run.x1 > page.width + 0.5 or run.bottom < -0.5 or run.top > page.height + 0.5:
                path, line = self._source_of(run.text)
                problems.append(self.problem(path, line, f"'{run.text}' runs off the page", "text inside the page"))
        for run in self.flow:
            frame = next(use for use in self.frames if use.page == run.page and _inside(run, use.box))
            x, _, width, _ = frame.box
            if run.x1 > x + width + 1.5:
                path, line = self._source_of(run.text)
                problems.append(self.problem(path, line, f"'{run.text}' runs {run.x1 - x - width:.0f} pt past the side of "
                                             f"{self.cls.frame_label(frame.page, frame.frame)}", "text within its column"))
        return problems

    def overlapping(self) -> list[Problem]:
        """Two pieces of text drawn over each other."""
        problems = []
        runs = sorted(self.flow + self.chrome, key=lambda r: (r.page, r.x0))
        for i, run in enumerate(runs):
            for other in runs[i + 1:]:
                if other.page != run.page or other.x0 >= run.x1:
                    break
                if run.overlaps(other, slack=max(1.0, 0.15 * min(run.size, other.size))):
                    path, line = self._source_of(run.text)
                    problems.append(self.problem(path, line, f"'{run.text}' is drawn over '{other.text}'",
                                                 "text that keeps clear of other text"))
        return problems

    def too_small(self) -> list[Problem]:
        """Text set below the layout's smallest size."""
        smallest = self.cls.min_print_size
        problems = []
        for run in self.flow + self.chrome:
            if run.size < smallest - 0.05:
                path, line = self._source_of(run.text)
                problems.append(self.problem(path, line, f"'{run.text}' is set at {run.size:.1f} pt", f"at least {smallest:g} pt in {self.job.layout}"))
        return problems

    def stranded_headings(self) -> list[Problem]:
        """A heading at the foot of a page, column or panel with fewer than two lines of its section after it."""
        placed = self.result.placed
        problems = []
        for i, item in enumerate(placed):
            if item.heading is None:
                continue
            section = []
            for later in placed[i + 1:]:
                if later.heading is not None:
                    break
                section.append(later)
            if all((p.page, p.frame) == (item.page, item.frame) for p in section) or not section:
                continue
            frame = next(use for use in self.frames if (use.page, use.frame) == (item.page, item.frame))
            lines = {round(run.baseline * 2) for run in self.flow if run.page == item.page and _inside(run, frame.box)
                     and run.baseline < item.bottom}
            if len(lines) < MIN_SECTION_LINES:
                path, line = self._heading_source(item.heading)
                problems.append(self.problem(path, line, f"the heading '{item.heading}' ends {self.cls.frame_label(item.page, item.frame)} "
                                             f"with {len(lines)} line{'s' if len(lines) != 1 else ''} of its section after it",
                                             f"at least {MIN_SECTION_LINES} lines under a heading, or the heading moved on with its section"))
        return problems

    def _heading_source(self, text: str) -> tuple[str, int | None]:
        from .blocks import Heading

        for source, block in self.cls.printed_blocks(self.sheet.handout):
            if isinstance(block, Heading) and _SPACE.sub(" ", inline.plain(list(block.text.spans))).strip() == _SPACE.sub(" ", text).strip():
                return source, block.text.line
        return self._source_of(text)

    def underfilled(self) -> list[Problem]:
        """A page, column or panel before the last filled less than the layout's minimum share, or a brochure panel left empty."""
        body = [use for use in self.frames if use.body]
        used = [i for i, use in enumerate(body) if use.used > 0]
        if not used:
            return []
        last = used[-1]
        problems = []
        path = self.sheet.handout.display
        # In the layout the handout is built in by default this is an error; in another it is a warning, and the front desk
        # does not offer that layout for the handout (a short sheet need not fill a brochure it is never printed as).
        severity = ERROR if self.job.layout == default_layout(self.sheet.handout, self.sheet.brand) else WARNING
        for i, use in enumerate(body):
            label = self.cls.frame_label(use.page, use.frame)
            least = self.cls.frame_min_fill(use.frame)
            balanced = self.cls.balances_last_page and use.page == body[last].page  # judged by unbalanced()
            if i < last and use.share < least - 0.005 and not balanced:
                problems.append(self.problem(path, None, f"{label} is only {use.share:.0%} full",
                                             f"{label.removeprefix('the ')} at least {least:.0%} full in {self.job.layout} when it is not the last",
                                             severity))
            elif i > last and self.cls.fill_every_frame:
                problems.append(self.problem(path, None, f"{label} is empty", "text on every panel of the brochure", severity))
        return problems

    def unbalanced(self) -> list[Problem]:
        """In a layout that balances its last page: a last page with more than a few lines, all of them in one column,
        where there is more than one piece to share between the columns (one box kept whole cannot be shared)."""
        if not self.cls.balances_last_page:
            return []
        body = [use for use in self.frames if use.body]
        pages = [use.page for use in body if use.used > 0]
        if not pages:
            return []
        columns = [use for use in body if use.page == pages[-1]]
        lines = [{round(run.baseline * 2) for run in self.flow if run.page == use.page and _inside(run, use.box)} for use in columns]
        filled = [use for use, found in zip(columns, lines) if found]
        total = sum(map(len, lines))
        pieces = [item for item in self.result.placed if item.page == pages[-1] and item.frame in {use.frame for use in columns}]
        if len(columns) < 2 or len(filled) != 1 or total <= FEW_LINES or len(pieces) < 2:
            return []
        column = self.cls.frame_label(filled[0].page, filled[0].frame)
        return [self.problem(self.sheet.handout.display, None, f"{column} holds all {total} lines of the last page, the other column none",
                             f"the last page's lines shared between its columns, which end level in {self.job.layout}")]

    def address_only(self) -> list[Problem]:
        """A sheet whose web copy is reached by its printed address alone: no size the layout allows had room for the code."""
        if self.result.web_code is not False:
            return []
        return [self.problem(self.sheet.handout.display, None, "an address-only sheet: no room for the web copy's QR code at any "
                             "type size, so only its address is printed",
                             f"room for a {WEB_CODE_SMALLEST / mm:.0f} mm code: shorter content, or another layout", NOTICE)]

    def squeezed(self) -> list[Problem]:
        """Chrome that did not fit even at the smallest size the layout allows."""
        return [self.problem(self.sheet.brand.display, None, what, expected) for what, expected in self.result.notes]


def logo_problems(catalogue: Catalogue, jobs: list[Job]) -> list[Problem]:
    """For each brand with a logo: a raster logo below 300 dpi where it prints widest (an error below 150), and a wide logo
    that some layout prints below its minimum height (a warning)."""
    from .lint import MIN_DPI_ERROR, MIN_DPI_WARN

    problems = []
    for brand in sorted({job.brand for job in jobs}):
        mine = [job for job in jobs if job.brand == brand]
        try:
            sheet = make_sheet(catalogue, mine[0])
        except ContentError:
            continue  # reported by the proof of that job
        if sheet.logo is None:
            continue
        fits = {name: layouts()[name].logo_fit(sheet) for name in sorted({job.layout for job in mine})}
        sizes = {name: fit for name, fit in fits.items() if fit}
        picture, display = sheet.logo, sheet.brand.display
        if isinstance(picture, images.Raster) and sizes:
            name, (width, _, _, _) = max(sizes.items(), key=lambda item: item[1][0])
            dpi = picture.width_px / (width / 72)
            if dpi < MIN_DPI_WARN:
                name_of = sheet.brand.logo.name if sheet.brand.logo else "logo"
                problems.append(Problem(display, None, f"logo '{name_of}' prints at {dpi:.0f} dpi "
                                        f"({picture.width_px} px across {width / 72:.2f} in, in {name})",
                                        f"at least {MIN_DPI_WARN} dpi: {int(width / 72 * MIN_DPI_WARN) + 1} px wide or more",
                                        ERROR if dpi < MIN_DPI_ERROR else WARNING))
        low = {name: fit for name, fit in sizes.items() if picture.aspect < 1 and fit[1] < MIN_WIDE_LOGO_HEIGHT_MM * mm - 0.05}
        if low:
            name = min(low, key=lambda key: low[key][1])
            widest = low[name][2] / (MIN_WIDE_LOGO_HEIGHT_MM * mm)
            problems.append(Problem(display, None, f"the wide logo prints {low[name][1] / mm:.1f} mm tall in {name}",
                                    f"at least {MIN_WIDE_LOGO_HEIGHT_MM:g} mm, so its words stay legible: a logo less than "
                                    f"{widest:.0f} times as wide as it is tall", WARNING))
    return problems


def _filler(ctx: RenderContext, line: int) -> Callable[[str], str]:
    """Placeholders filled as the sheet fills them, for text at this line."""
    return lambda text: ctx.fill(text, line)


def _broken_where_it_may(address: str, printed: str) -> bool:
    """Whether an address printed across lines (its text with a line end, '\n', at each break) breaks only where an address
    may: after a '/', or before a '.', '-' or '@'."""
    at, breaks = 0, []
    for char in printed:
        if char == "\n":
            breaks.append(at)
        else:
            at += 1
    return all(may_break(address, where) for where in breaks)


def _inside(run: readback.Run, box: tuple[float, float, float, float]) -> bool:
    x, y, width, height = box
    return x - 1 <= run.x0 <= x + width and y - run.size * 0.4 <= run.baseline <= y + height + 1


# -- running the proof over a catalogue -----------------------------------------------------------------------

def prove(catalogue: Catalogue, jobs: Iterable[Job] | None = None, workers: int = 1,
          on_done: Callable[[Job, list[Problem]], None] | None = None, cache: ProofCache | None = None,
          pdfua: bool = False) -> list[Problem]:
    """The proof of every job (default: every combination), in worker processes when workers > 1; with a cache, a
    combination whose fingerprint was proven before is not rendered again; with pdfua, every rendered copy validated
    against PDF/UA-1 too (the cache then keeps what the validator found)."""
    every = list(proof_jobs(catalogue) if jobs is None else jobs)
    logos = logo_problems(catalogue, every)
    keys = [cache.key(job) for job in every] if cache else []
    known = {i: found for i, key in enumerate(keys) if (found := cache.get(key)) is not None} if cache else {}
    todo = [job for i, job in enumerate(every) if i not in known]
    proven = _prove_each(catalogue, todo, workers, on_done, pdfua)
    if cache:
        fresh = iter(proven)
        results = [known[i] if i in known else next(fresh) for i in range(len(every))]
        for i, key in enumerate(keys):
            if i not in known:
                cache.put(key, results[i])
    else:
        results = proven
    return logos + [problem for found in results for problem in found]


def _prove_each(catalogue: Catalogue, todo: list[Job], workers: int,
                on_done: Callable[[Job, list[Problem]], None] | None, pdfua: bool = False) -> list[list[Problem]]:
    """prove_job for each job, in order, in worker processes when workers > 1."""
    if workers <= 1 or len(todo) <= 1:
        results = []
        for job in todo:
            results.append(prove_job(catalogue, job, pdfua=pdfua))
            if on_done:
                on_done(job, results[-1])
    else:
        from .parallel import each

        # The workers render; the validator runs here, as each job comes back. Its thread pool would not survive a
        # fork: a worker forked from a process that had validated would wait for that pool forever.
        finished: dict[Job, list[Problem]] = {}

        def done(job: Job, result: tuple[list[Problem], list[Copy]]) -> None:
            finished[job] = result[0] + pdfua_problems(job, result[1])
            if on_done:
                on_done(job, finished[job])

        each(partial(render_proof, keep=pdfua), catalogue, todo, workers, done)
        results = [finished[job] for job in todo]
    return results


def proven_layouts(catalogue: Catalogue, brand: str, handout: str, language: str, cache: ProofCache | None = None) -> list[str]:
    """The layouts a handout may be offered in for a brand and language: those whose proof found nothing at all.

    The answer is remembered per set of inputs (the fingerprint of every file the sheet is made from), in memory and,
    with a cache, in the folder where `check` keeps its proof: a combination `check` proved is not rendered again.
    """
    from .fingerprint import fingerprint
    from .proofcache import PROOF_OPTIONS

    treatment, kind = handout.split("/", 1)
    sheet = catalogue.treatments[treatment].handouts[(kind, language)]
    proven = []
    for name in offered_layouts(sheet):
        job = Job(brand, treatment, kind, language, name)
        key = cache.key(job) if cache else fingerprint(catalogue, job, PROOF_OPTIONS, {})
        if _proven(key, catalogue, job, cache):
            proven.append(name)
    return proven


def _proven(key: str, catalogue: Catalogue, job: Job, cache: ProofCache | None) -> bool:
    found = _PROVEN.get(key)
    if found is None:
        problems = cache.get(key) if cache else None
        if problems is None:
            problems = prove_job(catalogue, job)
            if cache:
                cache.put(key, problems)
        found = _PROVEN[key] = all(problem.severity == NOTICE for problem in problems)  # a notice changes nothing
    return found


_PROVEN: dict[str, bool] = {}

