"""The peer: the same sheet written by hand in Typst (the `typst` package on PyPI), for the per-page comparison.

`write_document(inputs, folder)` writes the sheet as a Typst document, `sheet.typ`, beside the hand-written
functions of `peer.typ` (page, band, footer, boxes, tables), the logo and the QR code: the text of the handout as
a person would type it into Typst, with its placeholders filled and its `**bold**` turned into Typst markup. That
writing is not timed, as baseline.py's reading of the YAML is not. `Peer(folder).compile()` is the timed part:
Typst parses, lays out and writes the PDF. Nothing here imports `handouts` or `layouts`.

    python benchmarks/typst_peer.py CONTENT TREATMENT KIND LANG BRAND OUT.pdf
"""

from __future__ import annotations

import re
import shutil
import sys
from itertools import groupby
from pathlib import Path

import baseline

HERE = Path(__file__).resolve().parent
_MARKUP = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|\[([^\]]+)\]\(([^)]+)\)")
_SPECIAL = re.compile(r"([\\#$*_`<>@\[\]~/=+\-'\".:;,()!?%&|^{}])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Writer:
    """Turns the plain data of one handout into Typst source."""

    def __init__(self, data: dict):
        self.data, self.brand, self.settings, self.words = data, data["brand"], data["settings"], baseline.WORDS[data["lang"]]

    def fill(self, text: str) -> str:
        return re.sub(r"\{(settings|brand)\.(\w+)\}", lambda m: self.settings[m[2]] if m[1] == "settings" else self.brand[m[2]], text)

    def rich(self, text: str) -> str:
        """Content in Typst markup: `[…]`."""
        text, out, at = self.fill(text), [], 0
        for m in _MARKUP.finditer(text):
            out.append(_escape(text[at:m.start()]))
            if m[1]:
                out.append(f"#strong[{_escape(m[1])}]")
            elif m[2]:
                out.append(f"#emph[{_escape(m[2])}]")
            else:
                out.append(f"#link({_string(m[4])})[#underline[{_escape(m[3])}]]")
            at = m.end()
        out.append(_escape(text[at:]))
        return "[" + "".join(out) + "]"

    def plain(self, text: str) -> str:
        return "[" + _escape(text) + "]"

    def items(self, items: list) -> str:
        return "(" + "".join(self.rich(i) + ", " for i in items) + ")"

    def document(self, folder: Path) -> str:
        h, w, brand = self.data["handout"], self.words, self.brand
        phone = brand["contact"].get("phone", "")
        revision = (w["revision"].format(version=h["version"], reviewed=h["reviewed"]) if h.get("reviewed")
                    else w["draft"].format(version=h["version"]))
        footer = [line for line in (f"{brand['footer']} · {w['phone']} {phone}", revision, brand.get("disclaimer")) if line]
        logo = None
        if brand.get("logo"):
            logo = "logo" + Path(brand["logo_path"]).suffix.lower()
            shutil.copy(brand["logo_path"], folder / logo)
        page_word, of_word = w["page"].split(" {page} ")[0], w["page"].split(" {page} ")[1].split(" ")[0]
        strip = "none"
        if h["kind"] != "overview":
            strip = (f"[#field-lines(({self.plain(w['patient'])}, {self.plain(w['treatment_date'])}, {self.plain(w['provider'])}), "
                     "(42fr, 30fr, 28fr)) #v(4mm)]")
        lines = ['#import "peer.typ": *',
                 f"#show: sheet.with(brand: {_string(brand['name'])}, colours: (primary: {_string(brand['colors']['primary'])}, "
                 f"accent: {_string(brand['colors']['accent'])}, text: {_string(brand['colors']['text'])}), title: {_string(h['title'])}, "
                 f"lang: {_string(h['language'])}, treatment: {_string(h['treatment'])}, kind: {_string(w['kinds'][h['kind']])}, "
                 f"phone: {_string(phone)}, phone-label: {_string(w['phone'])}, footer-lines: ({''.join(_string(f) + ', ' for f in footer)}), "
                 f"page-word: {_string(page_word)}, of-word: {_string(of_word)}, logo: {_string(logo) if logo else 'none'}, "
                 f"paper: {_string('us-letter' if brand.get('page_size', 'letter') == 'letter' else 'a4')}, patient-strip: {strip})", ""]
        for block in self.data["blocks"]:
            (kind, value), = block.items()
            lines.append(getattr(self, "b_" + kind)(value, folder))
        return "\n".join(lines) + "\n"

    def b_heading(self, text, _):
        return f"#heading-block({self.rich(text)})"

    def b_paragraph(self, text, _):
        return f"#block({self.rich(text)})"

    def b_bullets(self, items, _):
        return f"#list(..{self.items(items)})"

    def b_steps(self, items, _):
        return f"#enum(..{self.items(items)})"

    def b_checklist(self, items, _):
        return f"#checklist({self.items([i['text'] if isinstance(i, dict) else i for i in items])})"

    def b_callout(self, c, _):
        text = f", text-body: {self.rich(c['text'])}" if c.get("text") else ""
        return f"#callout(tone: {_string(c.get('tone', 'info'))}, title: {self.rich(c['title'])}{text}, items: {self.items(c.get('items', []))})"

    def b_timeline(self, entries, _):
        rows = []
        for e in entries:
            days = [int(d) for d in self.fill(e["days"]).split("-")]
            label = e.get("label") or (self.words["day"].format(n=days[0]) if len(days) == 1 else self.words["days"].format(a=days[0], b=days[1]))
            rows.append(f"({self.plain(label)}, {self.rich(e['text'])}), ")
        return f"#timeline(({''.join(rows)}))"

    def b_when_can_i(self, block, _):
        w, rows, hours = self.words, [], False
        for row in block["rows"]:
            unit = "hours" if "hours" in row else "days"
            hours |= unit == "hours"
            n = int(self.fill(row[unit]))
            day = n if unit == "days" else -(-n // 24)
            rows.append(f"({self.rich(row['what'])}, {self.plain(w['hours' if hours and unit == 'hours' else 'days_n'].format(n=n))}, "
                        f"{self.plain(w['day'].format(n=day))}), ")
        text = f"#block({self.rich(block['text'])})\n" if block.get("text") else ""
        note = self.plain(w["hours_note"]) if hours else "none"
        return (f"{text}#when-can-i(title: {self.rich(block.get('title') or w['when_can_i'])}, wait: {self.plain(w['wait'])}, "
                f"from: {self.plain(w['from_'])}, rows: ({''.join(rows)}), note: {note})")

    def b_do_dont(self, d, _):
        return (f"#do-dont(do-title: {self.rich(d.get('do_title', self.words['do']))}, dont-title: {self.rich(d.get('dont_title', self.words['dont']))}, "
                f"do-items: {self.items(d['do'])}, dont-items: {self.items(d['dont'])})")

    def b_faq(self, items, _):
        return "\n".join(f"#block(breakable: false)[#strong({self.rich(i['q'])}) \\ {self.rich(i['a'])}]" for i in items)

    def b_contact(self, c, _):
        w, contact = self.words, self.brand["contact"]
        links = {"phone": "tel:", "after_hours": "tel:", "email": "mailto:", "website": ""}

        def column(keys):
            rows = []
            for key in keys:
                if contact.get(key):
                    value = self.plain(contact[key])
                    if key in links:
                        href = links[key] + ("".join(ch for ch in contact[key] if ch.isdigit() or ch == "+") if links[key] == "tel:" else contact[key])
                        value = f"link({_string(href)}, underline({'strong' if 'tel' in links[key] else ''}({value})))"
                    rows.append(f"({self.plain(w[key])}, {value}), ")
            return "(" + "".join(rows) + ")"

        text = f", text-body: {self.rich(c['text'])}" if c.get("text") else ""
        return (f"#contact(title: {self.rich(c.get('title') or w['contact'])}{text}, left: {column(('phone', 'after_hours'))}, "
                f"right: {column(('email', 'website', 'address'))})")

    def b_appointment(self, a, _):
        w = self.words
        return f"#appointment(title: {self.rich(a.get('title') or w['next_appointment'])}, labels: ({self.plain(w['date'])}, {self.plain(w['time'])}, {self.plain(w['with_'])}))"

    def b_acknowledgement(self, a, _):
        labels = [self.plain(self.fill(x)) for x in a["lines"]]
        widths = ", ".join("2fr" if i == 0 and len(labels) > 1 else "1fr" for i in range(len(labels)))
        return f"#block(breakable: false)[{self.rich(a['text'])} #field-lines(({', '.join(labels)},), ({widths},))]"

    def b_image(self, i, folder: Path):
        name = f"picture-{len(list(folder.glob('picture-*')))}{Path(i['file']).suffix.lower()}"
        shutil.copy(self.data["images"] / i["file"], folder / name)
        return f"#picture({_string(name)}, {int(i.get('width', '60%').rstrip('%'))}%, {self.rich(i.get('caption') or i['alt'])})"

    def b_qr(self, q, folder: Path):
        url = self.fill(q["url"])
        modules = baseline.qr_modules(url)
        n = len(modules) + 8
        rects = []
        for r, row in enumerate(modules):
            c = 0
            for dark, run in groupby(row):
                k = len(list(run))
                if dark:
                    rects.append(f"M{c + 4} {r + 4}h{k}v1h-{k}z")
                c += k
        code = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}"><path d="{"".join(rects)}"/></svg>'
        name = f"qr-{len(list(folder.glob('qr-*')))}.svg"
        (folder / name).write_text(code)
        caption = f", caption: {self.rich(q['caption'])}" if q.get("caption") else ""
        return f"#qr(read({_string(name)}), {_string(url)}{caption}, scan: {self.plain(self.words['scan'])})"


def write_document(data: dict, folder: Path) -> Path:
    """Write the sheet's Typst source, the hand-written functions, the logo and the pictures into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "peer.typ", folder / "peer.typ")
    source = folder / "sheet.typ"
    source.write_text(Writer(data).document(folder), encoding="utf-8")
    return source


class Peer:
    """One Typst compiler for a written sheet: fonts found once, as a long-lived Typst process has them."""

    def __init__(self, source: Path):
        import typst

        self.compiler = typst.Compiler(str(source), root=str(source.parent), font_paths=[str(baseline.FONT_DIR)], ignore_system_fonts=True)

        self.runs = 0

    def compile(self, again: bool = False) -> bytes:
        """The PDF bytes (fixed timestamp, no tags: the engine's sheets are untagged too).

        Each compile is a new document (its run number in the metadata), as each PDF of a catalogue is: Typst then lays
        it out again. With again=True it is the same document as the last one, which Typst answers from its memory.
        """
        self.runs += 0 if again else 1
        data: bytes = self.compiler.compile(format="pdf", timestamp=1767225600, pdf_tags=False, sys_inputs={"run": str(self.runs)})
        return data


if __name__ == "__main__":
    content, treatment, kind, lang, brand, out = sys.argv[1:7]
    folder = Path(out).with_suffix(".typst")
    source = write_document(baseline.read_inputs(Path(content), treatment, kind, lang, brand), folder)
    Path(out).write_bytes(Peer(source).compile())
