"""The reviewer's commands: `approve` records a clinician's approval, `diff` shows what changed since one."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentError, HandoutsError, UsageError, one_of

if TYPE_CHECKING:
    from .content import Catalogue, Handout


def add_approve_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `approve`."""
    parser.add_argument("handout", metavar="TREATMENT/KIND")
    parser.add_argument("--lang", default="en", metavar="L", help="the language of the handout file to approve (default: en)")
    parser.add_argument("--by", required=True, metavar="NAME", help="the clinician who approves it, as printed on the record")
    parser.add_argument("--role", default="", metavar="ROLE", help="their role, e.g. 'Medical director'")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the day they approved it, e.g. the date on a signed diff (default: today)")


def add_diff_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `diff`."""
    parser.add_argument("handout", metavar="TREATMENT/KIND")
    parser.add_argument("--lang", default="en", metavar="L", help="the language of the handout file (default: en)")
    parser.add_argument("--since", metavar="APPROVAL|VERSION", help="an approval's date (YYYY-MM-DD) or version (default: the latest approval)")
    parser.add_argument("--brand", action="append", default=[], metavar="B", help="show only this brand's settings (repeatable)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="also write it as a page to sign: FILE.pdf or FILE.html")
    parser.add_argument("--page-size", choices=("letter", "a4"), default="letter", help="the PDF's page size (default: letter)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the marked words (default: on a terminal)")


def _name(value: str, option: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", value).split())
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in value):
        raise UsageError(f"{option}: contains control characters (expected a name as it should be recorded)")
    if len(name) > 100:
        raise UsageError(f"{option}: is {len(name)} characters long (expected at most 100)")
    return name


def _handout(args: argparse.Namespace) -> tuple[Catalogue, Handout]:
    from .content import load_catalogue

    if "/" not in args.handout:
        raise UsageError(f"'{args.handout}' is not TREATMENT/KIND (e.g. microneedling/aftercare)")
    catalogue = load_catalogue(args.content)
    slug, kind = args.handout.split("/", 1)
    treatment = catalogue.treatments.get(slug)
    handout = treatment.handouts.get((kind, args.lang)) if treatment else None
    if handout is None:
        own = [p for p in catalogue.problems if Path(p.path).name.startswith(f"{kind}.{args.lang}.") and Path(p.path).parent.name in (slug, "approved")]
        if own:
            raise ContentError(own)
        known = sorted({f"{h.key} --lang {h.language}" for h in catalogue.handouts})
        raise UsageError(f"there is no handout {args.handout} in '{args.lang}' ({one_of(known) if known else 'none exist'})")
    for brand in args.__dict__.get("brand") or []:
        if brand not in catalogue.brands:
            raise UsageError(f"unknown brand '{brand}' ({one_of(catalogue.brands)})")
    return catalogue, handout


def cmd_approve(args: argparse.Namespace) -> int:
    """Record that a clinician approved what the handout prints now, for the defaults and every brand."""
    from .approval import new_approval, record_approval
    from .records import valid_date
    from .content import display_path
    from .errors import Problem
    from .safety import lint_safety

    by, role = _name(args.by, "--by"), _name(args.role, "--role")
    if not by:
        raise UsageError("--by: is empty (expected the approver's name)")
    today = dt.date.today().isoformat()
    date = args.date or today
    if not valid_date(date) or date > today:
        raise UsageError(f"--date: '{date[:20]}' is not a date up to today (expected YYYY-MM-DD, e.g. {today})")
    catalogue, handout = _handout(args)
    own = {handout.display} | {display_path(p) for p in handout.snippet_files}
    warnings: list[Problem] = [p for p in lint_safety(catalogue) if p.path in own]
    for problem in warnings:
        print(problem, file=sys.stderr)
    approval = new_approval(catalogue, handout, by, role, date)
    if approval is None:  # only when the approval in force covers every text the handout prints
        latest = handout.record.latest if handout.record else None
        assert latest is not None
        print(f"{handout.display}: already approved on {latest.date} by {latest.who}; nothing to record")
        return 0
    try:
        path = record_approval(handout, approval)
    except OSError as exc:
        raise HandoutsError(f"{handout.display}: cannot write the approval record: {exc.strerror or exc} (a writable content folder)") from None
    brands = sorted({b for v in approval.variants for b in v.brands})
    texts = len(approval.variants)
    print(f"Approved {handout.key} ({handout.language}) version {approval.version} on {approval.date} by {approval.who}: "
          f"{texts} text{'s' if texts != 1 else ''} (settings defaults{', brands ' + ', '.join(brands) if brands else ''}); "
          f"recorded in {display_path(path)}")
    for key in ("reviewed", "reviewed_by"):
        if getattr(handout, f"typed_{key}"):
            print(f"note: {handout.display}:{handout.lines.get(key)}: '{key}' is no longer read; the record holds it now (remove the line)")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Show what a patient will read differently since an approval; optionally write it as a PDF or HTML page to sign."""
    from .diffsheet import to_html, to_pdf
    from .files import write_atomic
    from .textdiff import as_text, find_approval, report

    if args.output is not None and args.output.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise UsageError(f"-o: '{args.output}' does not end in .pdf or .html (expected the kind of file to write)")
    catalogue, handout = _handout(args)
    try:
        since = find_approval(handout, args.since)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    rep = report(catalogue, handout, since, args.brand or None)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    sys.stdout.write(as_text(catalogue, rep, color))
    if args.output is not None:
        data = to_pdf(catalogue, rep, args.page_size) if args.output.suffix.lower() == ".pdf" else to_html(catalogue, rep).encode("utf-8")
        try:
            write_atomic(args.output, data)
        except OSError as exc:
            raise HandoutsError(f"{args.output}: cannot write: {exc.strerror or exc} (a file name in a folder you can write to)") from None
        print(f"Wrote {args.output}")
    return 0
