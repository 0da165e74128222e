"""The baseline: a hand-written reportlab platypus story of one handout, with no `handouts` code.

It reads the handout's YAML with plain PyYAML (no validation, no line numbers, no
glyph checks), fills `{settings.x}` and `{brand.x}` with a regular expression, turns
`**bold**` and `*italic*` into reportlab markup, and builds the same page as the
engine's standard layout: title, patient strip, callout boxes, timeline table,
do/don't columns, contact box, appointment lines, QR code, a brand band with the
logo on page one, a light header after, and a footer with "Page X of Y".

This is what a programmer would write by hand for one sheet; it is the yardstick
for the engine's overhead. Importing this module imports reportlab, PyYAML and
(for an SVG logo) svglib, and nothing from `handouts` or `layouts`.

Run on its own it writes one PDF (used for the cold-start comparison):

    python benchmarks/baseline.py CONTENT TREATMENT KIND LANG BRAND OUT.pdf
    python benchmarks/baseline.py --json INPUTS.json OUT.pdf      # inputs saved by save_inputs(): no YAML at all
"""

from __future__ import annotations

import io
import re
import sys
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Polygon
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, Image, KeepTogether, PageTemplate, Paragraph, Spacer, Table,
                                TableStyle)

FONT_DIR = Path(__file__).resolve().parent.parent / "handouts" / "fonts"  # the same TrueType files, read directly
WORDS = {
    "en": dict(patient="Patient", treatment_date="Treatment date", provider="Provider", phone="Phone", after_hours="After hours",
               email="Email", website="Website", address="Address", do="Do", dont="Don't", day="Day {n}", days="Days {a}–{b}",
               date="Date", time="Time", with_="With", next_appointment="Your next appointment", contact="Questions? Call us",
               scan="Scan with your phone camera, or visit", page="Page {page} of {total}", revision="Version {version} · Reviewed {reviewed}",
               draft="Version {version} · Draft, not approved", when_can_i="When can I…", wait="Wait", from_="From",
               hours="{n} hours", days_n="{n} days", hours_note="Hours count from the end of your treatment.",
               kinds={"pre-treatment": "Before your treatment", "aftercare": "Aftercare", "overview": "About your treatment"}),
    "es": dict(patient="Paciente", treatment_date="Fecha del tratamiento", provider="Profesional", phone="Teléfono",
               after_hours="Fuera de horario", email="Correo", website="Sitio web", address="Dirección", do="Qué hacer",
               dont="Qué evitar", day="Día {n}", days="Días {a}–{b}", date="Fecha", time="Hora", with_="Con",
               next_appointment="Su próxima cita", contact="¿Preguntas? Llámenos", scan="Escanee con la cámara de su teléfono o visite",
               page="Página {page} de {total}", revision="Versión {version} · Revisado {reviewed}",
               draft="Versión {version} · Borrador, sin aprobar", when_can_i="¿Cuándo puedo…?", wait="Espere", from_="Desde",
               hours="{n} horas", days_n="{n} días", hours_note="Las horas se cuentan desde el final de su tratamiento.",
               kinds={"pre-treatment": "Antes de su tratamiento", "aftercare": "Cuidados posteriores", "overview": "Sobre su tratamiento"}),
}
TONES = {"tip": ("#EAF5EC", "#1E6B2A"), "warning": ("#FFF3DC", "#7A4B00"), "urgent": ("#FCEBEA", "#A1201A")}
DONT = HexColor("#A1201A")
BODY = 10.5
FOOTER = 7.8
MARGIN, BAND, HEADER, GAP = 18 * mm, 32 * mm, 15 * mm, 7 * mm


# --- inputs: plain YAML, read once (a hand-written script would hold these as literals) ---------------------------------

def _load(path: Path) -> dict:
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=yaml.BaseLoader)  # every value as text, like the engine


def read_inputs(content: Path, treatment: str, kind: str, lang: str, brand: str) -> dict:
    """The handout with its snippets spliced in, the brand kit (with what it extends) and the settings."""
    handout = _load(content / treatment / f"{kind}.{lang}.yaml")
    blocks = []
    for block in handout["blocks"]:
        if "include" in block:
            blocks += _load(content / "snippets" / f"{block['include'].split('/', 1)[1]}.{lang}.yaml")["blocks"]
        else:
            blocks.append(block)
    kit, chain = {}, []
    slug = brand
    while slug:
        folder = content / "brands" / slug
        data = _load(folder / "brand.yaml")
        chain.append((folder, data))
        slug = data.get("extends")
    for folder, data in reversed(chain):
        for key, value in data.items():
            kit[key] = {**kit.get(key, {}), **value} if isinstance(value, dict) and key != "settings" else value
            if key == "logo":
                kit["logo_path"] = folder / value
    settings_file = content / treatment / "settings.yaml"
    settings = {k: v["default"] for k, v in _load(settings_file).items()} if settings_file.exists() else {}
    settings.update(kit.get("settings", {}))
    for key in ("footer", "disclaimer"):
        if isinstance(kit.get(key), dict):
            kit[key] = kit[key].get(lang, "")
    return {"handout": handout, "blocks": blocks, "brand": kit, "settings": settings, "lang": lang, "images": content / treatment}


# --- fonts, logo and QR modules: once per process ----------------------------------------------------------------------

@lru_cache(maxsize=None)
def fonts() -> tuple[str, str, str]:
    """Register the bundled Noto Sans (regular, bold, italic)."""
    from reportlab.lib.fonts import addMapping

    names = ("BRegular", "BBold", "BItalic", "BBoldItalic")
    for name, file in zip(names, ("Regular", "Bold", "Italic", "BoldItalic")):
        pdfmetrics.registerFont(TTFont(name, FONT_DIR / f"NotoSans-{file}.ttf"))
    for name, b, i in zip(names, (0, 1, 0, 1), (0, 0, 1, 1)):
        addMapping("BRegular", b, i, name)
    return names[0], names[1], names[2]


@lru_cache(maxsize=8)
def logo(path: Path, box: float):
    """The brand logo as a Drawing fitted into a square box (SVG through svglib), or an image file."""
    if path.suffix.lower() != ".svg":
        return str(path)
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(str(path))
    scale = min(box / drawing.width, box / drawing.height)
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    return drawing


@lru_cache(maxsize=8)
def qr_modules(url: str) -> tuple:
    """The dark modules of a QR code for a link."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    return tuple(tuple(bool(c) for c in row) for row in code.modules)


class Qr(Flowable):
    """A QR code drawn as one path."""

    def __init__(self, url: str, size: float):
        super().__init__()
        self.modules, self.size = qr_modules(url), size

    def wrap(self, *_):
        return self.size, self.size

    def draw(self):
        box = self.size / (len(self.modules) + 8)
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            c = 0
            for dark, run in groupby(row):
                n = len(list(run))
                if dark:
                    path.rect((c + 4) * box, self.size - (r + 5) * box, n * box, box)
                c += n
        self.canv.setFillColor(black)
        self.canv.drawPath(path, stroke=0, fill=1)


class TickBox(Flowable):
    """An empty square to tick."""

    def __init__(self, size: float, color):
        super().__init__()
        self.size, self.color = size, color

    def wrap(self, *_):
        return self.size, self.size

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(1.1)
        self.canv.roundRect(0, -self.size * 0.12, self.size, self.size, self.size * 0.15, stroke=1, fill=0)


# --- the story ----------------------------------------------------------------------------------------------------------

class Story:
    """Turns the plain data of one handout into flowables, with styles made once per document."""

    def __init__(self, data: dict, width: float):
        self.data, self.width = data, width
        self.brand, self.settings, self.words = data["brand"], data["settings"], WORDS[data["lang"]]
        regular, bold, italic = fonts()
        self.regular, self.bold, self.italic = regular, bold, italic
        colors = self.brand["colors"]
        self.primary, self.accent, self.text = HexColor(colors["primary"]), HexColor(colors["accent"]), HexColor(colors["text"])
        self.link = colors["primary"]
        base = ParagraphStyle("body", fontName=regular, fontSize=BODY, leading=BODY * 1.42, textColor=self.text,
                              spaceAfter=BODY * 0.6, bulletFontSize=BODY, allowWidows=0, allowOrphans=0)
        s = {"body": base}

        def style(name, **kw):
            s[name] = ParagraphStyle(name, parent=base, **kw)

        style("title", fontName=bold, fontSize=22, leading=22 * 1.18, textColor=self.primary, spaceAfter=BODY * 0.5)
        style("heading", fontName=bold, fontSize=13.5, leading=13.5 * 1.25, textColor=self.primary, spaceBefore=BODY * 1.1,
              spaceAfter=BODY * 0.45, keepWithNext=1)
        style("bullet", leftIndent=BODY * 1.5, bulletIndent=BODY * 0.35, spaceAfter=BODY * 0.3, bulletFontName=bold, bulletColor=self.primary)
        style("step", leftIndent=BODY * 1.5, spaceAfter=BODY * 0.35, bulletFontName=bold, bulletColor=self.primary)
        style("cell", spaceAfter=0)
        style("label", fontName=bold, textColor=self.primary, spaceAfter=0)
        style("box_title", fontName=bold, fontSize=BODY * 1.05, spaceAfter=0)
        style("col", leftIndent=BODY * 1.1, spaceAfter=0, bulletFontName=bold)
        style("col_title", fontName=bold, fontSize=BODY * 1.1, spaceAfter=0)
        style("q", fontName=bold, spaceAfter=BODY * 0.15, keepWithNext=1)
        style("a", spaceAfter=BODY * 0.7)
        style("contact_title", fontName=bold, fontSize=BODY * 1.15, textColor=self.primary, spaceAfter=BODY * 0.2)
        style("small", fontSize=BODY * 0.82, leading=BODY * 0.82 * 1.35, spaceAfter=0)
        style("caption", fontName=italic, fontSize=BODY * 0.88, leading=BODY * 0.88 * 1.35, spaceBefore=BODY * 0.3)
        style("field", fontSize=BODY * 0.8, leading=BODY * 0.8 * 1.3, spaceAfter=0)
        self.s = s

    def fill(self, text: str) -> str:
        return re.sub(r"\{(settings|brand)\.(\w+)\}", lambda m: self.settings[m[2]] if m[1] == "settings" else self.brand[m[2]], text)

    def markup(self, text: str) -> str:
        text = escape(self.fill(text))
        text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
        text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
        return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", rf'<a href="\2" color="{self.link}"><u>\1</u></a>', text)

    def p(self, text: str, style: str = "body", **kw) -> Paragraph:
        return Paragraph(self.markup(text), self.s[style], **kw)

    def gap(self, factor: float = 0.9) -> Spacer:
        return Spacer(1, BODY * factor)

    def table(self, rows, widths, commands, pad=6.0, split_in_row=0) -> Table:
        t = Table(rows, colWidths=widths, hAlign="LEFT", splitInRow=split_in_row)
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.regular), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                               ("TOPPADDING", (0, 0), (-1, -1), pad * 0.45), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.45)] + commands))
        return t

    def lines(self, labels, values, widths) -> Table:
        gap = BODY * 1.4
        shrink = gap * (len(widths) - 1) / len(widths)
        top, bottom, cols, commands = [], [], [], []
        for i, (label, value) in enumerate(zip(labels, values)):
            if i:
                top.append("")
                bottom.append("")
                cols.append(gap)
            commands.append(("LINEBELOW", (len(cols), 0), (len(cols), 0), 0.8, self.text))
            cols.append(widths[i] - shrink)
            top.append(self.p(f"**{value}**") if value else "")
            bottom.append(Paragraph(escape(label), self.s["field"]))
        commands += [("TOPPADDING", (0, 0), (-1, 0), BODY * 1.4), ("BOTTOMPADDING", (0, 0), (-1, 0), 1), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 1), (-1, 1), 2), ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
        return self.table([top, bottom], cols, commands)

    def mark(self, kind: str, color) -> Drawing:
        size = BODY * 1.1
        d = Drawing(size, size, initialFontName=self.regular)
        w = dict(strokeColor=color, strokeWidth=size * 0.16, strokeLineCap=1)
        pairs = ((0.12, 0.5, 0.4, 0.2), (0.4, 0.2, 0.9, 0.85)) if kind == "do" else ((0.18, 0.18, 0.82, 0.82), (0.18, 0.82, 0.82, 0.18))
        for x1, y1, x2, y2 in pairs:
            d.add(Line(size * x1, size * y1, size * x2, size * y2, **w))
        return d

    def build(self) -> list[Flowable]:
        h, words, width = self.data["handout"], self.words, self.width
        story: list[Flowable] = [Paragraph(escape(h["title"]), self.s["title"])]
        if h["kind"] != "overview":
            story += [self.lines([words["patient"], words["treatment_date"], words["provider"]], ["", "", ""],
                                 [width * 0.42, width * 0.3, width * 0.28]), Spacer(1, 4 * mm)]
        for block in self.data["blocks"]:
            (kind, value), = block.items()
            story += getattr(self, "b_" + kind)(value)
        return story

    def b_heading(self, text):
        return [self.p(text, "heading")]

    def b_paragraph(self, text):
        return [self.p(text)]

    def b_bullets(self, items):
        return [self.p(i, "bullet", bulletText="•") for i in items] + [self.gap(0.35)]

    def b_steps(self, items):
        return [self.p(i, "step", bulletText=f"{n}.") for n, i in enumerate(items, 1)] + [self.gap(0.35)]

    def b_checklist(self, items):
        rows = [[TickBox(BODY * 1.05, self.primary), self.p(i["text"] if isinstance(i, dict) else i, "cell")] for i in items]
        return [self.table(rows, [BODY * 2.2, self.width - BODY * 2.2], [("LEFTPADDING", (0, 0), (0, -1), 2),
                                                                       ("TOPPADDING", (0, 0), (-1, -1), BODY * 0.3),
                                                                       ("BOTTOMPADDING", (0, 0), (-1, -1), BODY * 0.3)]), self.gap(0.6)]

    def b_callout(self, c):
        fill, rule = (self.accent, self.primary) if c.get("tone", "info") == "info" else map(HexColor, TONES[c["tone"]])
        title = Paragraph(self.markup(c["title"]), ParagraphStyle("t", parent=self.s["box_title"], textColor=rule))
        alert = c.get("tone") in ("warning", "urgent")
        if alert:
            sign = BODY * 1.25
            title = self.table([[self.sign(sign, rule), title]], [sign + BODY * 0.5, self.width - BODY * 1.6 - sign - 6],
                               [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        rows = [[title]]
        if c.get("text"):
            rows.append([self.p(c["text"], "cell")])
        rows += [[self.p(i, "bullet", bulletText="•")] for i in c.get("items", [])]
        t = self.table(rows, [self.width], [("LINEBEFORE", (0, 0), (0, -1), 6.0 if alert else 2.5, rule), ("LEFTPADDING", (0, 0), (-1, -1), BODY * 1.1),
                                            ("TOPPADDING", (0, 0), (-1, 0), BODY * 0.7), ("BOTTOMPADDING", (0, -1), (-1, -1), BODY * 0.8),
                                            ("BACKGROUND", (0, 0), (-1, -1), fill)] + ([("BOX", (0, 0), (-1, -1), 1.5, rule)] if c.get("tone") == "urgent" else []))
        return [self.gap(0.3), KeepTogether([t]), self.gap()]

    def b_timeline(self, entries):
        rows = []
        for e in entries:
            days = [int(d) for d in self.fill(e["days"]).split("-")]
            label = e.get("label") or (self.words["day"].format(n=days[0]) if len(days) == 1 else self.words["days"].format(a=days[0], b=days[1]))
            rows.append([self.p(label, "label"), self.p(e["text"], "cell")])
        left = self.width * 0.3
        return [self.table(rows, [left, self.width - left], [("LINEBELOW", (0, 0), (-1, -2), 0.6, self.accent),
                                                             ("LINEBEFORE", (1, 0), (1, -1), 2, self.primary),
                                                             ("TOPPADDING", (0, 0), (-1, -1), BODY * 0.45),
                                                             ("BOTTOMPADDING", (0, 0), (-1, -1), BODY * 0.5)]), self.gap()]

    def b_do_dont(self, d):
        half = self.width / 2

        def head(kind, title, color):
            style = ParagraphStyle(kind, parent=self.s["col_title"], textColor=color)
            return self.table([[self.mark(kind, color), Paragraph(self.markup(title), style)]], [BODY * 1.8, half - BODY * 3],
                              [("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")], 0)

        rows = [[head("do", d.get("do_title", self.words["do"]), self.primary), head("dont", d.get("dont_title", self.words["dont"]), DONT)],
                [[self.p(i, "col", bulletText="•") for i in d["do"]], [self.p(i, "col", bulletText="•") for i in d["dont"]]]]
        t = self.table(rows, [half, half], [("LINEBELOW", (0, 0), (0, 0), 1.5, self.primary), ("LINEBELOW", (1, 0), (1, 0), 1.5, DONT),
                                            ("BOTTOMPADDING", (0, 0), (-1, 0), BODY * 0.5), ("TOPPADDING", (0, 1), (-1, 1), BODY * 0.6),
                                            ("LEFTPADDING", (0, 0), (0, -1), 0), ("RIGHTPADDING", (0, 0), (0, -1), BODY * 1.2),
                                            ("LEFTPADDING", (1, 0), (1, -1), BODY * 0.6), ("BOTTOMPADDING", (0, 1), (-1, 1), 0)], split_in_row=1)
        t.repeatRows = 1
        return [self.gap(0.3), KeepTogether([t]), self.gap()]

    def sign(self, size: float, color) -> Drawing:
        d = Drawing(size, size, initialFontName=self.regular)
        d.add(Polygon([size * 0.5, size * 0.98, size * 0.02, size * 0.08, size * 0.98, size * 0.08], fillColor=color, strokeColor=color,
                      strokeWidth=size * 0.06, strokeLineJoin=1))
        for bottom, top in ((0.36, 0.76), (0.17, 0.29)):
            d.add(Polygon([size * 0.44, size * bottom, size * 0.56, size * bottom, size * 0.56, size * top, size * 0.44, size * top],
                          fillColor=white, strokeColor=white, strokeWidth=0))
        return d

    def b_when_can_i(self, w):
        words, pad = self.words, BODY * 0.5
        head = ParagraphStyle("wh", parent=self.s["cell"], fontName=self.bold, textColor=self.primary)
        when = ParagraphStyle("ww", parent=self.s["cell"], fontName=self.bold)
        rows, units = [], set()
        for row in w["rows"]:
            unit = "hours" if "hours" in row else "days"
            units.add(unit)
            n = int(self.fill(row[unit]))
            day = n if unit == "days" else -(-n // 24)
            rows.append((row["what"], words["hours" if unit == "hours" else "days_n"].format(n=n), words["day"].format(n=day)))

        def widest(texts):
            return max(stringWidth(t, self.bold, BODY) for t in texts) + 2 * pad + 1

        wait_w, from_w = widest([words["wait"]] + [r[1] for r in rows]), widest([words["from_"]] + [r[2] for r in rows])
        body = [[Paragraph(escape(w.get("title") or words["when_can_i"]), head), Paragraph(escape(words["wait"]), head),
                 Paragraph(escape(words["from_"]), head)]]
        body += [[self.p(what, "cell"), Paragraph(escape(wait), self.s["cell"]), Paragraph(escape(day), when)] for what, wait, day in rows]
        t = self.table(body, [self.width - wait_w - from_w, wait_w, from_w],
                       [("LINEBELOW", (0, 0), (-1, 0), 1.2, self.primary), ("LINEBELOW", (0, 1), (-1, -2), 0.6, self.accent),
                        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                        ("TOPPADDING", (0, 0), (-1, -1), BODY * 0.4), ("BOTTOMPADDING", (0, 0), (-1, -1), BODY * 0.45),
                        ("BACKGROUND", (0, 0), (-1, 0), self.accent)])
        t.repeatRows = 1
        out = ([self.p(w["text"])] if w.get("text") else []) + [t]
        if "hours" in units:
            out.append(Paragraph(escape(words["hours_note"]), self.s["small"]))
        return [self.gap(0.3), KeepTogether(out), self.gap()]

    def b_faq(self, items):
        return [KeepTogether([self.p(i["q"], "q"), self.p(i["a"], "a")]) for i in items]

    def b_contact(self, c):
        w, contact = self.words, self.brand["contact"]
        head = [self.p(c.get("title") or w["contact"], "contact_title")] + ([self.p(c["text"], "cell")] if c.get("text") else [])
        inner = self.width - 2 * BODY * 1.1
        halves = [inner * 0.42, inner * 0.58]
        links = {"phone": "tel:", "after_hours": "tel:", "email": "mailto:", "website": ""}

        def column(keys, width):
            rows = []
            for key in keys:
                if contact.get(key):
                    value = escape(contact[key])
                    if key in links:
                        href = links[key] + ("".join(ch for ch in contact[key] if ch.isdigit() or ch == "+") if links[key] == "tel:" else contact[key])
                        value = f'<a href="{escape(href)}"><u>{"<b>" + value + "</b>" if "tel" in links[key] else value}</u></a>'
                    rows.append([Paragraph(escape(w[key]), self.s["cell"]), Paragraph(value, self.s["cell"])])
            label = max(stringWidth(w[k], self.regular, BODY) for k in keys) + BODY * 0.9
            return self.table(rows, [label, width - label], [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), BODY * 0.6)], 2)

        rows = [[head, ""], [column(("phone", "after_hours"), halves[0]), column(("email", "website", "address"), halves[1])]]
        t = self.table(rows, [halves[0] + BODY * 1.1, halves[1] + BODY * 1.1],
                       [("LEFTPADDING", (0, 0), (-1, -1), BODY * 1.1), ("TOPPADDING", (0, 0), (-1, 0), BODY * 0.8),
                        ("BOTTOMPADDING", (0, -1), (-1, -1), BODY * 0.9), ("TOPPADDING", (0, 1), (-1, 1), BODY * 0.3),
                        ("BACKGROUND", (0, 0), (-1, -1), self.accent), ("SPAN", (0, 0), (1, 0)), ("LEFTPADDING", (1, 1), (1, 1), 0)])
        return [self.gap(0.3), KeepTogether([t]), self.gap()]

    def b_appointment(self, a):
        w = self.words
        lines = self.lines([w["date"], w["time"], w["with_"]], ["", "", ""], [self.width * 0.45, self.width * 0.2, self.width * 0.35])
        return [self.gap(0.4), KeepTogether([self.p(a.get("title") or w["next_appointment"], "contact_title"), lines]), self.gap()]

    def b_acknowledgement(self, a):
        labels = [self.fill(x) for x in a["lines"]]
        shares = [2.0 if i == 0 and len(labels) > 1 else 1.0 for i in range(len(labels))]
        widths = [self.width * s / sum(shares) for s in shares]
        return [self.gap(0.4), KeepTogether([self.p(a["text"]), self.lines(labels, [""] * len(labels), widths)]), self.gap()]

    def b_image(self, i):
        share = int(i.get("width", "60%").rstrip("%")) / 100
        path = self.data["images"] / i["file"]
        width = self.width * share
        art = logo(path, width)
        if isinstance(art, str):
            from reportlab.lib.utils import ImageReader

            iw, ih = ImageReader(art).getSize()
            art = Image(art, width, width * ih / iw)
        art.hAlign = "LEFT"
        return [self.gap(0.3), KeepTogether([art, self.p(i.get("caption") or i["alt"], "caption")]), self.gap()]

    def b_qr(self, q):
        url = self.fill(q["url"])
        size = BODY * 7.5
        text = ([self.p(q["caption"], "contact_title")] if q.get("caption") else []) + [
            Paragraph(escape(self.words["scan"]), self.s["small"]),
            Paragraph(f'<a href="{escape(url)}" color="{self.link}"><u><b>{escape(url.removeprefix("https://"))}</b></u></a>', self.s["body"])]
        t = self.table([[Qr(url, size), text]], [size + 12, self.width - size - 12],
                       [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
        return [self.gap(0.3), KeepTogether([t]), self.gap()]


class TotalCanvas(Canvas):
    """Writes the page total into a form that every footer shows, once the total is known."""

    font = ("BRegular", FOOTER)

    def save(self):
        self.beginForm("total")
        self.setFont(*self.font)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()
        super().save()


def build_pdf(data: dict) -> bytes:
    """The PDF bytes of one handout, built directly with reportlab."""
    h, brand, words = data["handout"], data["brand"], WORDS[data["lang"]]
    regular, bold, italic = fonts()
    width, height = LETTER if brand.get("page_size", "letter") == "letter" else A4
    phone = brand["contact"].get("phone", "")
    revision = (words["revision"].format(version=h["version"], reviewed=h["reviewed"]) if h.get("reviewed")
                else words["draft"].format(version=h["version"]))
    footer_lines = [line for line in (f"{brand['footer']} · {words['phone']} {phone}", revision, brand.get("disclaimer")) if line]
    footer = 10 * mm + len(footer_lines) * FOOTER * 1.45
    primary, text = HexColor(brand["colors"]["primary"]), HexColor(brand["colors"]["text"])
    art = logo(data["brand"]["logo_path"], BAND - 12 * mm) if brand.get("logo") else None
    kind = words["kinds"][h["kind"]]

    def band(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(primary)
        canvas.rect(0, height - BAND, width, BAND, stroke=0, fill=1)
        x, centre = MARGIN, height - BAND / 2
        if art is not None:
            chip = BAND - 9 * mm
            canvas.setFillColor(white)
            canvas.roundRect(x, centre - chip / 2, chip, chip, 2.5 * mm, stroke=0, fill=1)
            if isinstance(art, str):
                canvas.drawImage(art, x + 1.5 * mm, centre - chip / 2 + 1.5 * mm, chip - 3 * mm, chip - 3 * mm, mask="auto", preserveAspectRatio=True)
            else:
                renderPDF.draw(art, canvas, x + 1.5 * mm, centre - chip / 2 + 1.5 * mm)
            x += chip + 5 * mm
        canvas.setFillColor(white)
        canvas.setFont(bold, 16)
        canvas.drawString(x, centre + 1.5 * mm, brand["name"])
        canvas.setFont(regular, 10)
        canvas.drawString(x, centre - 4.5 * mm, f"{h['treatment']} · {kind}")
        if phone:
            canvas.setFont(regular, 8.5)
            canvas.drawRightString(width - MARGIN, centre + 2 * mm, words["phone"])
            canvas.setFont(bold, 13)
            canvas.drawRightString(width - MARGIN, centre - 4 * mm, phone)
        canvas.restoreState()

    def light_header(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(primary)
        canvas.rect(0, height - 2.2 * mm, width, 2.2 * mm, stroke=0, fill=1)
        y = height - HEADER + 3 * mm
        canvas.setFont(bold, 9)
        canvas.drawString(MARGIN, y, brand["name"])
        canvas.setFont(regular, 9)
        canvas.setFillColor(text)
        canvas.drawRightString(width - MARGIN, y, h["title"])
        canvas.setStrokeColor(primary)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, y - 7.2, width - MARGIN, y - 7.2)
        canvas.restoreState()

    def footer_lines_(canvas, doc):
        canvas.saveState()
        top = footer - 2 * mm
        canvas.setStrokeColor(primary)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top, width - MARGIN, top)
        y = top - FOOTER * 1.6
        for i, line in enumerate(footer_lines):
            font = italic if i == 2 else regular
            canvas.setFont(font, FOOTER)
            canvas.setFillColor(text)
            canvas.drawString(MARGIN, y, line)
            if i == 0:
                label = words["page"].format(page=canvas.getPageNumber(), total="")
                x = width - MARGIN - stringWidth(words["page"].format(page=88, total=88), bold, FOOTER)
                canvas.drawString(x, y, label)
                canvas.saveState()
                canvas.translate(x + stringWidth(label, regular, FOOTER), y)
                canvas.doForm("total")
                canvas.restoreState()
            y -= FOOTER * 1.45
        canvas.restoreState()

    text_width = width - 2 * MARGIN
    bottom = footer + GAP

    def frame(top: float, name: str) -> Frame:
        return Frame(MARGIN, bottom, text_width, height - top - GAP - bottom, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=(width, height), title=h["title"], author=brand["name"], subject=f"{h['treatment']}: {kind}",
                          lang=h["language"], invariant=1, pageCompression=1, initialFontName=regular, initialFontSize=BODY)
    doc.addPageTemplates([PageTemplate(id="first", frames=[frame(BAND, "first")], onPage=band, onPageEnd=footer_lines_, autoNextPageTemplate="later"),
                          PageTemplate(id="later", frames=[frame(HEADER, "later")], onPage=light_header, onPageEnd=footer_lines_)])
    doc.build(Story(data, text_width).build(), canvasmaker=TotalCanvas)
    return buffer.getvalue()


def save_inputs(data: dict, path: Path) -> None:
    """Write inputs as JSON, so that a script can build the PDF as if its text were written into it."""
    import json

    plain = {**data, "images": str(data["images"]), "brand": {**data["brand"], "logo_path": str(data["brand"].get("logo_path", ""))}}
    path.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")


def load_inputs(path: Path) -> dict:
    """Inputs written by save_inputs."""
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    data["images"] = Path(data["images"])
    data["brand"]["logo_path"] = Path(data["brand"]["logo_path"])
    return data


if __name__ == "__main__":
    if sys.argv[1] == "--json":
        inputs, out = load_inputs(Path(sys.argv[2])), sys.argv[3]
    else:
        content, treatment, kind, lang, brand, out = sys.argv[1:7]
        inputs = read_inputs(Path(content), treatment, kind, lang, brand)
    Path(out).write_bytes(build_pdf(inputs))
