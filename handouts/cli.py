"""The command line: build, handout, check, list and the tools around them."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Sequence, TextIO

from . import __version__, program
from .errors import ERROR, NOTICE, ContentError, HandoutsError, Problem, UsageError, WARNING, one_of
from .plugins import use_shipped_layouts

if TYPE_CHECKING:
    from PIL.Image import Image

    from .content import Catalogue
    from .incremental import BuildRecord
    from .jobs import Job, Options, Outcome
    from .output import Deferred
    from .parallel import HeadStart

HEAD_START_FOLDERS = 12  # fewer treatment folders: loading them all takes too little for a head start to matter
PATIENT_OPTIONS = ("--patient-from", "--patient", "--date", "--provider", "--follow-up")


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError (exit 2) instead of exiting inside the engine."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _parser(first: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Every command is named in it, with its help line; only the command that `first` (the
    first argument after the program's own flags) runs gets its options, since building the others' costs time."""
    command = first if first in COMMANDS else None if first in ("-h", "--help", "--version") else "build"
    parser = _Parser(prog=program.name(), description="Build clinic-branded patient handouts from YAML content.")
    parser.add_argument("--version", action="version", version=f"handouts {__version__}")
    _debug_option(parser, default=False)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, help_text, add_options in _SUBCOMMANDS:  # in the order `--help` lists them
        if command is None or name == command:
            command_parser = sub.add_parser(name, help=help_text)
            if name == command:
                add_options(command_parser)
    return parser


def _debug_option(p: argparse.ArgumentParser, default: object = argparse.SUPPRESS) -> None:
    """Add --debug, which every command accepts after its name as well as before it."""
    p.add_argument("--debug", action="store_true", default=default, help="show a traceback for unexpected errors")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="the content folder (default: content/)")
    _debug_option(p)


def _build_options(build: argparse.ArgumentParser) -> None:
    _common(build)
    build.add_argument("--brand", action="append", default=[], metavar="B", help="only this brand (repeatable)")
    build.add_argument("--handout", action="append", default=[], metavar="TREATMENT/KIND", help="only this handout (repeatable)")
    build.add_argument("--lang", action="append", default=[], metavar="L", help="only this language (repeatable)")
    build.add_argument("--layout", action="append", default=[], metavar="NAME", help="build in this layout (repeatable)")
    build.add_argument("--page-size", choices=("letter", "a4"), help="override every brand's page size")
    build.add_argument("--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: build/)")
    build.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="worker processes (default: CPUs)")
    build.add_argument("--shard", metavar="K/N", help="build only the K-th of N deterministic shares of the work (for CI matrices)")
    build.add_argument("--force", action="store_true", help="rebuild every PDF, even those whose inputs are unchanged")
    build.add_argument("--grayscale", action="store_true", help="greys instead of brand colours, for office printers")


def _merge_options(merge: argparse.ArgumentParser) -> None:
    merge.add_argument("out", type=Path, metavar="OUT", help="the folder holding the merged PDFs; its manifest.json is written")
    merge.add_argument("manifests", type=Path, nargs="+", metavar="MANIFEST", help="shard manifest.json files")
    _debug_option(merge)


def _handout_options(one: argparse.ArgumentParser) -> None:
    _common(one)
    one.add_argument("handout", metavar="TREATMENT/KIND")
    one.add_argument("--brand", required=True, metavar="B")
    one.add_argument("--lang", default="en", metavar="L")
    one.add_argument("--layout", metavar="NAME")
    one.add_argument("--patient-from", metavar="FILE", help="the patient's details as YAML (name, date, provider, follow_up) "
                     "from FILE, or - for standard input: nothing personal on the command line")
    one.add_argument("--patient", metavar="NAME", help="the patient's name (visible to other users in ps: prefer --patient-from)")
    one.add_argument("--date", metavar="YYYY-MM-DD", help="treatment date")
    one.add_argument("--provider", metavar="NAME")
    one.add_argument("--follow-up", metavar="YYYY-MM-DD")
    one.add_argument("--fillable", action="store_true", help="make the blank lines typeable form fields")
    one.add_argument("--grayscale", action="store_true", help="greys instead of brand colours, for office printers")
    one.add_argument("-o", "--output", type=Path, metavar="FILE")
    one.add_argument("--force", action="store_true", help="overwrite an existing file")


def _check_options(check: argparse.ArgumentParser) -> None:
    _common(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text", help="how problems are printed")
    check.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                       help="worker processes for the proof of every layout (default: CPUs)")
    check.add_argument("--layout", action="append", default=[], metavar="NAME",
                       help="prove only this layout (repeatable; default: every layout each handout is offered in)")
    check.add_argument("--no-cache", action="store_true",
                       help="prove every combination again, ignoring what earlier checks proved ($HANDOUTS_CACHE, else ~/.cache/handouts)")
    check.add_argument("--pdfua", action="store_true",
                       help="also validate every PDF the proof renders, and a --fillable --grayscale copy, against PDF/UA-1 "
                            "(needs page-validation: pip install 'handouts[pdfua]')")


def _preview_options(preview: argparse.ArgumentParser) -> None:
    _common(preview)
    preview.add_argument("--brand", action="append", default=[], metavar="B", help="only this brand (repeatable)")
    preview.add_argument("--handout", action="append", default=[], metavar="TREATMENT/KIND", help="only this handout (repeatable)")
    preview.add_argument("--lang", action="append", default=[], metavar="L", help="only this language (repeatable)")
    preview.add_argument("--layout", action="append", default=[], metavar="NAME", help="in this layout (repeatable)")
    preview.add_argument("--all-pages", action="store_true", help="every page, not just the first")
    preview.add_argument("--dpi", type=int, default=80, help="resolution of the pictures (default: 80)")
    preview.add_argument("--out", type=Path, default=Path("preview"), metavar="DIR", help="output folder (default: preview/)")


def _new_brand_options(brand: argparse.ArgumentParser) -> None:
    _common(brand)
    brand.add_argument("slug", metavar="SLUG", help="folder name under brands/, e.g. northside")
    brand.add_argument("--name", help="the clinic's name (default: from the slug)")


def _schema_options(schema: argparse.ArgumentParser) -> None:
    schema.add_argument("--out", type=Path, default=Path("schemas"), metavar="DIR", help="folder to write into (default: schemas/)")
    _debug_option(schema)


def _approve_options(approve: argparse.ArgumentParser) -> None:
    from .review import add_approve_arguments

    _common(approve)
    add_approve_arguments(approve)


def _diff_options(diff: argparse.ArgumentParser) -> None:
    from .review import add_diff_arguments

    _common(diff)
    add_diff_arguments(diff)


def _translate_options(translate: argparse.ArgumentParser) -> None:
    actions = translate.add_subparsers(dest="action", required=True, parser_class=_Parser)
    export = actions.add_parser("export", help="write a handout's texts, and any translation so far, for a translation agency")
    _common(export)
    export.add_argument("handout", metavar="TREATMENT/KIND")
    export.add_argument("--lang", required=True, metavar="L", help="the language to translate into, e.g. vi")
    export.add_argument("--format", choices=("po", "xliff"), default="po", help="gettext PO (default) or XLIFF 2.0")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of to standard output")
    receive = actions.add_parser("import", help="write the YAML translations an exported file holds, once every unit checks")
    _common(receive)
    receive.add_argument("file", type=Path, metavar="FILE", help="a PO or XLIFF 2.0 file from translate export, translated")


def _serve_options(serve: argparse.ArgumentParser) -> None:
    from .desk.command import add_arguments  # its options live with the web server, which no other command needs to import

    _common(serve)
    add_arguments(serve)


_SUBCOMMANDS: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("build", "build every handout × brand × language into build/", _build_options),
    ("merge", "merge the manifests of shard builds into one", _merge_options),
    ("handout", "build one handout, optionally for one patient", _handout_options),
    ("check", "validate and lint everything, write no PDF", _check_options),
    ("list", "list treatments, handouts, brands and layouts", _common),
    ("preview", "PNG pictures of handouts and a contact sheet per brand, for approval", _preview_options),
    ("new-brand", "create a brand kit that builds at once, with every field explained", _new_brand_options),
    ("schema", "write JSON Schemas of the YAML files for editors", _schema_options),
    ("approve", "record a clinician's approval of what a handout says now", _approve_options),
    ("diff", "what a patient will read differently since the last approval", _diff_options),
    ("translate", "a handout's texts for translators (PO or XLIFF 2.0), and their translation back", _translate_options),
    ("serve", "the front-desk page: pick a handout, type the patient's name, print", _serve_options),
)


def run() -> NoReturn:
    """The program (generate.py and the `handouts` command): run the command line, then end the process.

    A `handout` process renders one sheet and ends, so it leaves reference cycles to the end of the process instead of
    searching the whole heap for them again and again (they hold under a megabyte). Once the command is done, the exit
    handlers run and the output is flushed as at any exit, and the process ends without tearing the interpreter down
    object by object, which frees nothing that the end of the process does not; with a thread still running it ends the
    usual way, which waits for the thread.
    """
    import atexit
    import gc

    if _first(sys.argv[1:]) == "handout":
        gc.disable()
    code = main()
    if "threading" not in sys.modules or sys.modules["threading"].active_count() == 1:
        atexit._run_exitfuncs()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # the usual exit says what could not be written
        else:
            os._exit(code)
    sys.exit(code)


def _first(args: Sequence[str]) -> str | None:
    """The first argument after the program's own flags, which names the command."""
    return next((a for a in args if a != "--debug"), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        use_shipped_layouts()
        # The first argument after the program's own flags names the command; anything else is build's
        # (so `--brand list` is build for a brand called list, not the list command).
        first = _first(args_list)
        parser = _parser(first)
        if first not in COMMANDS and first not in ("-h", "--help", "--version"):
            args_list = ["build"] + args_list
        args = parser.parse_args(args_list)
        return _COMMANDS[args.command](args)
    except ContentError as exc:
        _print_problems(exc.problems, sys.stderr)
        return exc.exit_code
    except HandoutsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        code = getattr(exc, "exit_code", 130)  # 130 for Ctrl-C, 143 for SIGTERM
        print("interrupted" if code == 130 else "stopped (SIGTERM)", file=sys.stderr)
        return code
    except BrokenPipeError:
        # The reader went away (e.g. `check | head`): stop quietly, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # a bug: say so plainly, traceback only on request
        futures = sys.modules.get("concurrent.futures")  # imported by then where a pool of workers was used
        if futures is not None and isinstance(exc, futures.BrokenExecutor) and not debug:
            kept = ("; every PDF finished before is kept and the manifest lists what is on disk: run the command again to finish"
                    if _first(args_list) == "build" or _first(args_list) not in COMMANDS else ": run the command again")
            print(f"error: a worker process stopped before it finished its sheet (it was killed, ran out of memory or crashed)"
                  f"{kept}", file=sys.stderr)
            return 1
        if debug:
            traceback.print_exc()
        else:
            # A patient's details may be quoted in an unexpected error's text: then only its type is shown.
            private = any(a.split("=")[0] in PATIENT_OPTIONS for a in args_list)
            detail = "" if private else f": {exc}"
            print(f"internal error: {type(exc).__name__}{detail} (run again with --debug for a traceback)", file=sys.stderr)
        return 1


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


def _errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def _load(args: argparse.Namespace, only: tuple[str, str] | None = None, handout: tuple[str, str] | None = None) -> Catalogue:
    from .content import load_catalogue

    return load_catalogue(args.content, only, handout)


def cmd_build(args: argparse.Namespace) -> int:
    """Build every selected handout into the output folder and write the manifest; a second build into the same folder
    waits for the first to finish."""
    from .output import OutputLock, stoppable, sweep

    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    started = time.monotonic()
    with stoppable() as deferred, OutputLock(args.out, on_wait=lambda message: print(message, file=sys.stderr, flush=True)):
        try:
            return _build_locked(args, started, deferred)
        except KeyboardInterrupt:
            with deferred():
                sweep(args.out)  # the temporary file of whatever was being written when the build was stopped
            raise


def _build_locked(args: argparse.Namespace, started: float, deferred: Deferred) -> int:
    from .incremental import BuildRecord

    # The same build as the last good one (same files, filters, options, engine; every PDF intact) loads nothing.
    record = BuildRecord(args.content, args.out, {"brand": sorted(args.brand), "handout": sorted(args.handout), "lang": sorted(args.lang),
                                                  "layout": sorted(args.layout), "shard": args.shard, "page_size": args.page_size,
                                                  "grayscale": args.grayscale})
    state = None if args.force else record.replay()
    if state is not None:
        if not sys.stderr.isatty():
            for path in state["outputs"]:
                print(f"same   {path}")
        for line in state["warnings"]:
            print(line, file=sys.stderr)
        print(f"Built 0 PDFs, {len(state['outputs'])} unchanged, 0 failed in {time.monotonic() - started:.1f} s; "
              f"output in {args.out}/, manifest {args.out / 'manifest.json'}")
        return 0
    return _full_build(args, record, started, deferred)


def _full_build(args: argparse.Namespace, record: BuildRecord, started: float, deferred: Deferred) -> int:
    from .build import head_start
    from .content import load_in_stages
    from .jobs import Options, offered, plan, shard
    from .pdf import check_source_date_epoch

    check_source_date_epoch()
    options = Options(page_size=args.page_size, grayscale=args.grayscale)
    head = None
    first = _head_start_share(args)
    try:
        if first:
            _prepare_output(args, record)
            stages = load_in_stages(args.content, first)
            head = head_start(next(stages), args.out, args.jobs, options, args.force)
            catalogue = next(stages)
        else:
            catalogue = _load(args)
        planned = plan(catalogue, args.brand, args.handout, args.lang, args.layout)
        jobs, notices = offered(catalogue, shard(planned, args.shard))
        if head is None:
            _prepare_output(args, record)
        return _build_and_report(args, record, started, deferred, catalogue, planned, jobs, notices, options, head)
    finally:
        if head is not None:
            head.close()


def _head_start_share(args: argparse.Namespace) -> int:
    """How many treatment folders a build loads before its workers start on their PDFs while it loads the rest (0: it
    loads them all first): a sixth, in a build with workers of a whole catalogue of HEAD_START_FOLDERS folders or more."""
    from .content import treatment_folders

    if args.jobs < 2 or args.brand or args.handout or args.lang or args.layout or args.shard or not args.content.is_dir():
        return 0
    count = len(treatment_folders(args.content))
    return count // 6 if count >= HEAD_START_FOLDERS else 0


def _prepare_output(args: argparse.Namespace, record: BuildRecord) -> None:
    """Check the output folder, forget the record of the last build, and finish what a build stopped outright left."""
    from .files import check_output_dir
    from .output import recover

    check_output_dir(args.out)
    record.forget()
    for note in recover(args.out):
        print(note, file=sys.stderr)


def _build_and_report(args: argparse.Namespace, record: BuildRecord, started: float, deferred: Deferred, catalogue: Catalogue,
                      planned: list[Job], jobs: list[Job], notices: list[Problem], options: Options, head: HeadStart | None) -> int:
    import hashlib

    from .build import build
    from .copies import brands_for, write_copies
    from .htmlcopy import load_fonts, page_keys
    from .manifest import share_record

    # The catalogue a shard came from: the content's files, every job of the whole build, and the options.
    identity = "\n".join([record.tree or "", options.key(), *(job.output for job in planned)])
    share = share_record(args.shard, hashlib.sha256(identity.encode()).hexdigest(), jobs)
    progress = _Progress(len(jobs), sys.stderr.isatty())
    copy_brands = brands_for(jobs, args.shard)
    pages = page_keys(catalogue, copy_brands) if args.jobs > 1 else []  # rendered by the workers, after the PDFs
    if pages:
        load_fonts(catalogue, copy_brands)
    try:
        result = build(catalogue, jobs, args.out, share, args.jobs, progress.done, options, args.force, deferred, pages, head)
    finally:
        progress.close()
    outcomes = result.outcomes
    entries = [o.entry for o in outcomes if o.entry]
    with deferred():  # the web copies of the brands built, and the manifest's list of them
        copies = write_copies(catalogue, copy_brands, args.out, result.pages)
    problems = list(catalogue.problems) + [p for o in outcomes for p in o.problems] + result.problems + notices + copies.problems
    printed = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
    _print_problems(printed, sys.stderr)
    if result.manifest_error is not None:
        raise result.manifest_error
    manifest = args.out / "manifest.json"
    if not _errors(problems) and not catalogue.failed and len(entries) == len(jobs):
        with deferred():
            record.save([entry["path"] for entry in entries], [str(p) for p in printed])
    failed = sum(1 for o in outcomes if o.problems) + len(catalogue.failed) + len(catalogue.failed_brands)
    skipped = sum(1 for o in outcomes if o.skipped)
    built = len(entries) - skipped
    elapsed = time.monotonic() - started
    if copies.pages:
        folders = ", ".join(f"{args.out / slug / 'html'}/" for slug in sorted({e["brand"] for e in copies.entries}))
        print(f"Web copies: {copies.pages} page{'s' if copies.pages != 1 else ''}, {copies.written} file{'s' if copies.written != 1 else ''} "
              f"written, in {folders}")
    print(f"Built {built} PDF{'s' if built != 1 else ''}, {skipped} unchanged, {failed} failed "
          f"in {elapsed:.1f} s; output in {args.out}/, manifest {manifest}")
    return 1 if _errors(problems) else 0


class _Progress:
    """A progress bar on a terminal, one plain line per PDF otherwise."""

    def __init__(self, total: int, tty: bool):
        self.bar = None
        if tty and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("Building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
            self.task = self.bar.add_task("build", total=total)
            self.bar.start()

    def done(self, outcome: Outcome) -> None:
        """Advance by one finished job."""
        entry = outcome.entry
        if self.bar is not None:
            self.bar.advance(self.task)
        elif entry and outcome.skipped:
            print(f"same   {entry['path']}")
        elif entry:
            print(f"built  {entry['path']} ({entry['pages']} page{'s' if entry['pages'] != 1 else ''})")
        else:
            print(f"FAILED {outcome.job.output}")

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.stop()


def cmd_handout(args: argparse.Namespace) -> int:
    """Build one handout, personalised when patient details are given."""
    from .files import write_atomic
    from .jobs import Job, default_layout, plan
    from .patient import PatientError, make_patient, read_patient_file, takes_patient
    from .pdf import check_source_date_epoch
    from .personal import render_personal, write_private
    from .registry import layouts

    check_source_date_epoch()
    given = [name for name in PATIENT_OPTIONS[1:] if getattr(args, name[2:].replace("-", "_")) is not None]
    if args.patient_from is not None and given:
        raise UsageError(f"--patient-from and {given[0]}: give the patient's details in one place (expected --patient-from alone)")
    try:
        if args.patient_from is not None:
            patient = read_patient_file(args.patient_from)
        else:
            patient = make_patient(args.patient, args.date, args.provider, args.follow_up)
    except PatientError as exc:
        raise UsageError(f"--{exc.field}: {exc.message}") from None
    if "/" not in args.handout:
        raise UsageError(f"'{args.handout}' is not TREATMENT/KIND (e.g. microneedling/aftercare)")
    treatment, kind = args.handout.split("/", 1)
    # Only the handout's file and the brand's kits; anything missing is looked for in the whole tree, for its message.
    catalogue = _load(args, (treatment, args.brand), (kind, args.lang))
    if args.brand not in catalogue.brands or (kind, args.lang) not in getattr(catalogue.treatments.get(treatment), "handouts", {}):
        catalogue = _load(args)
    plan(catalogue, [args.brand], [args.handout], [args.lang], [args.layout] if args.layout else [])
    handout = catalogue.treatments.get(treatment)
    if handout is None or (kind, args.lang) not in handout.handouts:
        own = [p for p in catalogue.problems if Path(p.path).name.startswith(f"{kind}.{args.lang}.")]
        if own:
            raise ContentError(own)
        raise UsageError(f"there is no {args.lang} version of {args.handout}")
    brand = catalogue.brands[args.brand]
    if args.lang not in brand.languages:
        raise UsageError(f"{brand.name} does not print '{args.lang}' handouts ({one_of(brand.languages)}; add it to languages in {brand.display})")
    h = handout.handouts[(kind, args.lang)]
    if patient is not None and not takes_patient(h):
        raise UsageError(f"{args.handout} is the same for every patient and has no place for their details "
                         "(leave out the patient's details, or choose the pre-treatment or aftercare handout)")
    layout = args.layout or default_layout(h, brand)  # both checked when they were read
    if not layouts()[layout].offers(h):
        others = [name for name, cls in sorted(layouts().items()) if cls.offers(h)]
        raise UsageError(f"{args.handout} ({args.lang}) has no {layout}: section in {h.display}, so it does not print as a {layout} "
                         f"(add a {layout}: section, or choose another layout: {', '.join(others)})")
    job = Job(args.brand, treatment, kind, args.lang, layout)
    output = args.output or Path(f"{args.brand}-{treatment}-{kind}.{args.lang}.pdf")
    if output.exists() and not args.force:
        raise UsageError(f"{output} already exists (use --force to overwrite it, or -o to choose another file)")
    if output.exists() and output.is_dir():
        raise UsageError(f"{output} is a folder (expected a file name)")
    rendered = render_personal(catalogue, job, patient, fillable=args.fillable, grayscale=args.grayscale)
    try:
        if patient is not None:
            write_private(output, rendered.data)
        else:
            write_atomic(output, rendered.data)
    except OSError as exc:
        raise HandoutsError(f"{output}: cannot write the PDF: {exc.strerror or exc} (a file name in a folder you can write to)") from None
    print(f"Wrote {output} ({rendered.pages} page{'s' if rendered.pages != 1 else ''})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate and lint everything, prove every brand × handout × language × layout in memory, report grades; write nothing."""
    import datetime as dt

    from .approval import check_approvals
    from .lint import lint_all
    from .pdf import check_source_date_epoch
    from .jobs import plan
    from .proof import proof_jobs, prove
    from .files import cache_folder
    from .proofcache import ProofCache
    from .readability import grade_or_problem

    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if args.pdfua:
        from .conformance import require

        require()
    check_source_date_epoch()
    catalogue = _load(args)
    problems = list(catalogue.problems) + lint_all(catalogue, dt.date.today()) + check_approvals(catalogue)
    grades = []
    for handout in catalogue.handouts:
        result, problem = grade_or_problem(catalogue, handout)
        grades.append({"path": handout.display, "grade": result.value, "formula": result.formula, "ease": result.ease, "limit": result.limit})
        if args.format == "text" and result.value is None:
            print(f"{handout.display}: no formula (no validated reading-grade formula for '{handout.language}')")
        elif args.format == "text":
            print(f"{handout.display}: grade {result.value:.1f} ({result.measure}, limit {result.limit:g}) {'ok' if result.ok else 'too hard'}")
        if problem:
            problems.append(problem)
    cache = None if args.no_cache else ProofCache(cache_folder(), catalogue, pdfua=args.pdfua)
    jobs = None
    if args.layout:
        plan(catalogue, layout_names=args.layout)  # an unknown layout is a usage error, as for build
        jobs = [job for job in proof_jobs(catalogue) if job.layout in args.layout]
    problems += prove(catalogue, jobs, workers=args.jobs, cache=cache, pdfua=args.pdfua)
    from .htmlcopy import brand_site

    for slug in sorted(catalogue.brands):  # the web copies, in memory
        brand_site(catalogue, slug, lambda exc: problems.append(Problem(exc.path, exc.line, exc.message, exc.expected)))
    problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
    errors = _errors(problems)
    if args.format == "json":
        print(json.dumps({"grades": grades, "problems": [_problem_json(p) for p in problems]}, indent=2, ensure_ascii=False))
        return 1 if errors else 0
    if args.format == "github":
        for p in problems:
            where = f"file={_github_escape(p.path, True)}" + (f",line={p.line}" if p.line else "")
            text = p.message + (f" ({p.expected})" if p.expected else "")
            print(f"::{p.severity if p.severity in (WARNING, NOTICE) else 'error'} {where}::{_github_escape(text)}")
        return 1 if errors else 0
    _print_problems(problems, sys.stderr)
    print(f"Checked {len(catalogue.handouts)} handouts and {len(catalogue.brands)} brands: "
          f"{len(errors)} error{'s' if len(errors) != 1 else ''}, {len(problems) - len(errors)} warning{'s' if len(problems) - len(errors) != 1 else ''}")
    return 1 if errors else 0


def _problem_json(p: Problem) -> dict[str, Any]:
    return {"path": p.path, "line": p.line, "severity": p.severity, "message": p.message, "expected": p.expected}


def _github_escape(text: str, property_value: bool = False) -> str:
    """Escape a workflow-command message (or, with property_value, a file= value, where ':' and ',' end it)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def cmd_merge(args: argparse.Namespace) -> int:
    """Merge the manifests of every shard of one build into OUT/manifest.json; a missing, repeated or foreign shard,
    the same path with different bytes, or a PDF missing from OUT, is an error."""
    from .copies import merge_copies
    from .manifest import merge_manifests, write_manifest
    from .output import OutputLock

    with OutputLock(args.out, on_wait=lambda message: print(message, file=sys.stderr, flush=True)):
        merged, share = merge_manifests(args.out, args.manifests)
        manifest = write_manifest(args.out, merged, share, copies=merge_copies(args.out, args.manifests))
    print(f"Merged {len(args.manifests)} manifests: {len(merged)} PDFs in {manifest}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print treatments, handouts, brands and layouts."""
    from .registry import layouts

    catalogue = _load(args)
    print("Treatments and handouts:")
    for slug, treatment in sorted(catalogue.treatments.items()):
        kinds: dict[str, list[str]] = {}
        for (kind, lang) in sorted(treatment.handouts):
            kinds.setdefault(kind, []).append(lang)
        for kind, langs in kinds.items():
            print(f"  {slug}/{kind}  [{', '.join(langs)}]  {treatment.handouts[(kind, langs[0])].title}")
    print("Brands:")
    for slug, brand in sorted(catalogue.brands.items()):
        print(f"  {slug}  {brand.name}  [{', '.join(brand.languages)}]  {brand.page_size}")
    print("Layouts:")
    for name in sorted(layouts()):
        print(f"  {name}")
    _print_problems(catalogue.problems, sys.stderr)
    return 1 if _errors(catalogue.problems) else 0


def cmd_preview(args: argparse.Namespace) -> int:
    """Render pictures of the selected handouts and one contact sheet per brand."""
    from .jobs import offered, plan
    from .pdf import check_source_date_epoch, make_sheet, render_pdf
    from .preview import contact_sheet, pages_to_png, write_png

    check_source_date_epoch()
    if not 20 <= args.dpi <= 300:
        raise UsageError("--dpi must be from 20 to 300")
    catalogue = _load(args)
    problems = list(catalogue.problems)
    by_brand: dict[str, list[tuple[Job, str, Image]]] = {}
    jobs, notices = offered(catalogue, plan(catalogue, args.brand, args.handout, args.lang, args.layout))
    problems += notices
    for job in jobs:
        try:
            rendered = render_pdf(make_sheet(catalogue, job), job.layout)
        except ContentError as exc:
            problems += exc.problems
            continue
        pages = pages_to_png(rendered.data, args.dpi, args.all_pages)
        stem = job.output.removesuffix(".pdf")
        for number, page in enumerate(pages, 1):
            path = args.out / f"{stem}-p{number}.png"
            write_png(page, path)
            print(f"Wrote {path}")
        title = rendered.title if len(rendered.title) <= 34 else rendered.title[:33] + "…"
        by_brand.setdefault(job.brand, []).append((job, title, pages[0] if args.dpi >= 60 else pages_to_png(rendered.data, 60, False)[0]))
    for slug, items in sorted(by_brand.items()):
        path = args.out / slug / "contact-sheet.png"
        write_png(contact_sheet(items, f"{catalogue.brands[slug].name}: {len(items)} handout{'s' if len(items) != 1 else ''}"), path)
        print(f"Wrote {path}")
    _print_problems(problems, sys.stderr)
    return 1 if _errors(problems) else 0


def cmd_new_brand(args: argparse.Namespace) -> int:
    """Scaffold a brand kit."""
    from .scaffold import new_brand

    path = new_brand(args.content, args.slug, args.name)
    print(f"Created {path}; edit it, then run: {program.name(typed=True)} check --content {args.content}")
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    """Export a handout for translation, or import a translation."""
    from .i18n import language_problem
    from .translate import export, import_translation

    catalogue = _load(args)
    if args.action == "import":
        if not args.file.is_file():
            raise UsageError(f"{args.file} is not a file (expected a PO or XLIFF file from translate export)")
        for path in import_translation(catalogue, args.file):
            print(f"Wrote {path}")
        print(f"Now run: {program.name(typed=True)} check --content {args.content}")
        return 0
    wrong = language_problem(args.lang)
    if wrong:
        raise UsageError(f"--lang: {wrong[0]} ({wrong[1]})")
    text = export(catalogue, args.handout, args.lang, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from .files import write_atomic

    write_atomic(args.output, text.encode("utf-8"))
    print(f"Wrote {args.output}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the front-desk page (Flask and the server are imported only here)."""
    from .desk.command import cmd_serve as serve

    return serve(args)


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schemas."""
    from .json_schemas import write

    for path in write(args.out):
        print(f"Wrote {path}")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    """Record a clinician's approval."""
    from .review import cmd_approve as approve

    return approve(args)


def cmd_diff(args: argparse.Namespace) -> int:
    """Show what changed since an approval."""
    from .review import cmd_diff as diff

    return diff(args)


_COMMANDS = {"build": cmd_build, "handout": cmd_handout, "check": cmd_check, "list": cmd_list, "merge": cmd_merge,
             "new-brand": cmd_new_brand, "schema": cmd_schema, "preview": cmd_preview, "serve": cmd_serve,
             "approve": cmd_approve, "diff": cmd_diff, "translate": cmd_translate}
COMMANDS = tuple(name for name, _, _ in _SUBCOMMANDS)
if set(COMMANDS) != set(_COMMANDS):  # the two tables must name the same commands
    raise RuntimeError(f"commands without a runner or without options: {sorted(set(COMMANDS) ^ set(_COMMANDS))}")
