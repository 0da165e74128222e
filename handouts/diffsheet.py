"""The diff as a page a clinician can read, sign and file: PDF (printable) or HTML (self-contained)."""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING

from . import program
from .textdiff import Change, Report, Words, grouped, status

if TYPE_CHECKING:
    from .content import Catalogue

DEL_COLOR, INS_COLOR = "#A1201A", "#1E6B2A"


def _heading(catalogue: "Catalogue", rep: Report) -> tuple[str, list[str]]:
    """The title and the lines under it: which handout, the approval compared with, and its state now."""
    h, since = rep.handout, rep.since
    title = f"Changes to approve: {h.title}"
    lines = [f"{h.key}, language {h.language} ({h.display})",
             f"Approved before: {f'version {since.version} on {since.date} by {since.who}' if since else 'never (every sentence is new)'}",
             f"Now: {status(catalogue, h)}"]
    if rep.unapproved:
        lines.append(f"Not approved as printed for: {', '.join(rep.unapproved)}")
    return title, lines


def _sections(rep: Report) -> list[tuple[str, list[tuple[str, list[Change]]]]]:
    """(section heading, [(sub-heading, changes)]) in the order they are shown."""
    out: list[tuple[str, list[tuple[str, list[Change]]]]] = []
    if rep.wording:
        out.append(("What patients read differently (with the settings defaults)", [("", rep.wording)]))
    if rep.settings:
        out.append(("Settings", [(f"{c.key} ({c.scope}): from {c.old if c.old is not None else '(not set)'} to "
                                  f"{c.new if c.new is not None else '(not set)'}", c.effects) for c in rep.settings]))
    return out


SIGN = ("I have read these changes and approve version {version} as patients will read it.", ("Name", "Role", "Signature", "Date"))


def _sign_text(rep: Report) -> str:
    return SIGN[0].format(version=rep.handout.version)


def _record_hint(rep: Report) -> str:
    h = rep.handout
    return f"Then record it: {program.name(typed=True)} approve {h.key} --lang {h.language} --by NAME --role ROLE --date YYYY-MM-DD"


# --- PDF -------------------------------------------------------------------------------------------------------------------

def to_pdf(catalogue: "Catalogue", rep: Report, page_size: str = "letter") -> bytes:
    """A printable PDF of the report with lines to sign; 'Page X of Y' on every page. Tagged as the sheets are (PDF/UA-1):
    the title, the sections and their labels are headings, the changes paragraphs in the handout's language."""
    from functools import partial

    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from . import __version__, fonts
    from .marking import TABLE, TaggingCanvas, artifact, tag
    from .structure import Structure

    family = fonts.family(None)
    base = ParagraphStyle("base", fontName=family.regular, fontSize=9.5, leading=13, spaceAfter=2)
    styles = {
        "title": ParagraphStyle("title", parent=base, fontName=family.bold, fontSize=15, leading=19, spaceAfter=4),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=12, spaceAfter=0),
        "section": ParagraphStyle("section", parent=base, fontName=family.bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=3),
        "label": ParagraphStyle("label", parent=base, fontName=family.bold, fontSize=8.5, leading=11, textColor=HexColor("#34495E"),
                                spaceBefore=4, spaceAfter=1),
        "change": ParagraphStyle("change", parent=base, leftIndent=52, firstLineIndent=-52),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=HexColor("#444444")),
    }
    title, meta = _heading(catalogue, rep)
    size = A4 if page_size == "a4" else LETTER

    def story(structure: Structure) -> list[Flowable]:
        """The page's flowables, made anew for each build: laying them out changes them."""
        document = structure.root
        theirs = rep.handout.language if rep.handout.language != "en" else None  # the handout's words, in its language

        def para(text: str, style: str, role: str, lang: str | None = None) -> Paragraph:
            return tag(Paragraph(text, styles[style]), document.add(role, lang=lang))

        out: list[Flowable] = [para(_x(title), "title", "H1")]
        out += [para(_x(line), "meta", "P") for line in meta]
        out.append(para(_x("Key: ") + _words_markup([("del", "removed words")]) + _x(", ") + _words_markup([("ins", "added words")])
                        + _x("."), "small", "P"))
        if rep.empty:
            out.append(para(_x("Nothing a patient reads has changed."), "section", "H2"))
        for heading, groups in _sections(rep):
            out.append(para(_x(heading), "section", "H2"))
            for sub, changes in groups:
                if sub:
                    out.append(para(_x(sub), "label", "H3"))
                for label, change in grouped(changes):
                    if label is not None:
                        out.append(para(_x(label), "label", "H3" if not sub else "H4"))
                    out.append(para(f"<b>{_x(change.what)}</b>\u00a0\u00a0" + _words_markup(change.words), "change", "P", theirs))
        text, fields = _sign_text(rep), SIGN[1]
        gap = 5 * mm
        width = (size[0] - 36 * mm - 12 - gap * (len(fields) - 1)) / len(fields)  # the frame has its own 6 pt padding on each side
        statement = para(_x(text), "section", "H2")
        cells: list[object] = []
        for i, name in enumerate(fields):
            cells += ([""] if i else []) + [para(_x(name), "small", "P")]
        widths = [w for i in range(len(fields)) for w in ([gap] if i else []) + [width]]
        lines = Table([[""] * len(cells), cells], colWidths=widths, rowHeights=[11 * mm, None], hAlign="LEFT", renderCB=TABLE)
        lines.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
                                  + [("LINEBELOW", (2 * i, 0), (2 * i, 0), 0.8, HexColor("#1B1B1B")) for i in range(len(fields))]))
        out += [Spacer(1, 10), KeepTogether([statement, lines, Spacer(1, 4), para(_x(_record_hint(rep)), "small", "P")])]
        return out

    def build(total: int) -> tuple[bytes, int]:
        buffer = io.BytesIO()
        structure = Structure("en")

        def footer(canvas: Canvas, doc: object) -> None:
            with artifact(canvas, "footer"):
                canvas.saveState()
                canvas.setFont(family.regular, 8)
                canvas.drawString(18 * mm, 10 * mm, f"{rep.handout.display} · {rep.handout.language}")
                canvas.drawRightString(size[0] - 18 * mm, 10 * mm, f"Page {canvas.getPageNumber()} of {total}")
                canvas.restoreState()

        doc = SimpleDocTemplate(buffer, pagesize=size, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=18 * mm,
                                title=title, author="handouts", subject=f"{rep.handout.key} ({rep.handout.language})",
                                creator=f"handouts {__version__}", producer=f"handouts {__version__}", lang="en", invariant=1,
                                displayDocTitle=1, initialFontName=family.regular)
        doc.build(story(structure), onFirstPage=footer, onLaterPages=footer, canvasmaker=partial(TaggingCanvas, structure=structure))
        return buffer.getvalue(), doc.page

    data, pages = build(0)
    return build(pages)[0]


def _x(text: str) -> str:
    """Text escaped for reportlab's paragraph markup."""
    from xml.sax.saxutils import escape

    return escape(text)


def _words_markup(words: Words) -> str:
    out = []
    for op, text in words:
        if op == "del":
            out.append(f'<font color="{DEL_COLOR}"><strike>{_x(text)}</strike></font>')
        elif op == "ins":
            out.append(f'<font color="{INS_COLOR}"><u><b>{_x(text)}</b></u></font>')
        else:
            out.append(_x(text))
    return " ".join(out)


# --- HTML ----------------------------------------------------------------------------------------------------------------

CSS = """body{font:16px/1.45 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem;margin:0 0 .4rem}h2{font-size:1.15rem;margin:1.4rem 0 .3rem}h3{font-size:.9rem;color:#34495e;margin:.8rem 0 .2rem}
p{margin:.15rem 0}del{color:#a1201a;text-decoration:line-through}ins{color:#1e6b2a;font-weight:bold;text-decoration:underline}
.what{font-weight:bold;display:inline-block;min-width:5rem}.meta{color:#333}
table{border-collapse:collapse;width:100%;margin-top:.6rem}td{border-bottom:1px solid #1b1b1b;height:2.6rem;width:25%}
th{font-weight:normal;font-size:.8rem;text-align:left;padding-top:.2rem}@media print{body{margin:0}}"""


def to_html(catalogue: "Catalogue", rep: Report) -> str:
    """A self-contained HTML page of the report, with lines to sign when printed."""
    e = html.escape
    title, meta = _heading(catalogue, rep)
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>{e(title)}</title>", f"<style>{CSS}</style></head><body>",
           f"<h1>{e(title)}</h1>"] + [f'<p class="meta">{e(line)}</p>' for line in meta]
    out.append("<p>Key: <del>removed words</del>, <ins>added words</ins>.</p>")
    if rep.empty:
        out.append("<h2>Nothing a patient reads has changed.</h2>")
    for heading, groups in _sections(rep):
        out.append(f"<h2>{e(heading)}</h2>")
        for sub, changes in groups:
            if sub:
                out.append(f"<h3>{e(sub)}</h3>")
            for label, change in grouped(changes):
                if label is not None:
                    out.append(f"<h3>{e(label)}</h3>")
                out.append(f'<p><span class="what">{e(change.what)}</span> {_words_html(change.words)}</p>')
    text, fields = _sign_text(rep), SIGN[1]
    out += [f"<h2>{e(text)}</h2>", "<table><tr>" + "<td></td>" * len(fields) + "</tr><tr>" + "".join(f"<th>{e(f)}</th>" for f in fields)
            + "</tr></table>", f'<p class="meta">{e(_record_hint(rep))}</p>', "</body></html>"]
    return "\n".join(out) + "\n"


def _words_html(words: Words) -> str:
    e = html.escape
    return " ".join(f"<del>{e(t)}</del>" if op == "del" else f"<ins>{e(t)}</ins>" if op == "ins" else e(t) for op, t in words)
