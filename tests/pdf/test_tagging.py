"""Tagged PDF (PDF/UA-1): the structure read back from the PDF matches the handout's blocks in order, each block type
with its own structure; chrome is an artifact, the footer's content is read once; a card is read once and a trifold in
its folded order; what a tagged PDF needs besides (language, title, metadata, Unicode maps) is there; the pages look
exactly as they do untagged; and every layout passes the PDF/UA-1 validator."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from handouts import conformance
from handouts.content import load_catalogue
from handouts.jobs import Job
from handouts.layouts import LAYOUTS
from handouts.patient import Patient
from handouts.pdf import make_sheet, render_pdf
from handouts.preview import pages_to_png

from conftest import CONTENT, ROOT, scanned_codes
from tagged_support import Element, entries, page_text, structure, without_artifacts

FOOTER = ["Plain Clinic · Test brand · Phone (555) 010-0000", "Version 7 · Reviewed 2026-11-01",
          "This sheet does not replace advice from your provider."]
STRIP = ["Patient", "Treatment date", "Provider"]


def _blocks(tree: Path, *blocks: str) -> Path:
    """The demo handout's blocks replaced by these (YAML lines without the leading '  - ')."""
    path = tree / "demo/aftercare.en.yaml"
    head = path.read_text(encoding="utf-8").split("blocks:\n")[0]
    path.write_text(head + "blocks:\n" + "".join(f"  - {block}\n" for block in blocks), encoding="utf-8")
    return path


def _render(tree: Path, layout: str = "standard", brand: str = "plain", lang: str = "en", patient: Patient | None = None,
            **options: bool) -> bytes:
    catalogue = load_catalogue(tree)
    return render_pdf(make_sheet(catalogue, Job(brand, "demo", "aftercare", lang, layout), patient, **options), layout).data


def _body(document: Element) -> list[str]:
    """The outline of the blocks: the document without its title, blank patient strip and footer (which are checked)."""
    kids = document.kids
    assert kids[0].role == "H1" and kids[0].text == "Every block demo"
    assert [kid.text for kid in kids[1:4]] == STRIP and [kid.text for kid in kids[-3:]] == FOOTER
    return [line for kid in kids[4:-3] for line in kid.outline()]


# -- every block type, on its own --------------------------------------------------------------------------------------

BLOCK_STRUCTURE = {
    "heading": (["heading: Bravo heading", "paragraph: Under it."], ['H2 "Bravo heading"', 'P "Under it."']),
    "paragraph": (["paragraph: Alpha with **bold**, *italic* and a [booking link](https://example.org/book) here."],
                  ['P "Alpha with bold, italic and a here."', '  Link "booking link"']),
    "bullets": (['bullets: [Charlie one., "Wait {settings.wait_hours} hours."]'],
                ["L [/ListNumbering /Disc]", "  LI", '    Lbl "•"', '    LBody "Charlie one."', "  LI", '    Lbl "•"',
                 '    LBody "Wait 24 hours."']),
    "steps": (["steps: [Delta one., Delta two.]"],
              ["L [/ListNumbering /Decimal]", "  LI", '    Lbl "1."', '    LBody "Delta one."', "  LI", '    Lbl "2."',
               '    LBody "Delta two."']),
    "checklist": (["checklist: [Echo tick.]"], ["L [/ListNumbering /None]", "  LI", "    Lbl", '    LBody "Echo tick."']),
    "callout": (["callout: {tone: urgent, title: Call us right away if, text: Do not wait., items: [You have a fever., You see pus.]}"],
                ["Sect", '  H2 "Call us right away if"', '  P "Do not wait."', "  L [/ListNumbering /Disc]", "    LI", '      Lbl "•"',
                 '      LBody "You have a fever."', "    LI", '      Lbl "•"', '      LBody "You see pus."']),
    "timeline": (['timeline: [{days: "0", text: India zero.}, {days: "7", label: Week 1, text: Kilo week.}]'],
                 ["Table", "  TR", '    TH [/Scope /Row] "Day 0"', '    TD "India zero."', "  TR", '    TH [/Scope /Row] "Week 1"',
                  '    TD "Kilo week."']),
    "when_can_i": (['when_can_i: {text: Read it so., rows: [{what: Wear makeup, hours: "48"}, {what: Swim, days: "7"}]}'],
                   ['P "Read it so."', "Table", "  TR", '    TH [/Scope /Column] "When can I…"', '    TH [/Scope /Column] "Wait"',
                    '    TH [/Scope /Column] "From"', "  TR", '    TH [/Scope /Row] "Wear makeup"', '    TD "48 hours"', '    TD "Day 2"',
                    "  TR", '    TH [/Scope /Row] "Swim"', '    TD "7 days"', '    TD "Day 7"',
                    'P "Hours count from the end of your treatment."']),
    "do_dont": (["do_dont: {do: [Lima do.], dont: [Mike dont.]}"],
                ["Table", "  TR", '    TH [/Scope /Column] "Do"', '    TH [/Scope /Column] "Don\'t"', "  TR", "    TD",
                 "      L [/ListNumbering /Disc]", "        LI", '          Lbl "•"', '          LBody "Lima do."', "    TD",
                 "      L [/ListNumbering /Disc]", "        LI", '          Lbl "•"', '          LBody "Mike dont."']),
    "faq": (["faq: [{q: Will it hurt?, a: Only a little.}]"], ['H2 "Will it hurt?"', 'P "Only a little."']),
    "contact": (["contact: {title: Papa contact, text: Any time.}"],
                ["Sect", '  H2 "Papa contact"', '  P "Any time."', "  Table", "    TR", '      TH [/Scope /Row] "Phone"', "      TD",
                 '        Link "(555) 010-0000"', "    TR", '      TH [/Scope /Row] "After hours"', "      TD", '        Link "(555) 010-0001"',
                 "    TR", '      TH [/Scope /Row] "Email"', "      TD", '        Link "care@example.org"', "    TR",
                 '      TH [/Scope /Row] "Website"', "      TD", '        Link "https://example.org"', "    TR",
                 '      TH [/Scope /Row] "Address"', '      TD "1 Test Street"']),
    "acknowledgement": (["acknowledgement: {text: Quebec statement., lines: [Patient signature, Date]}"],
                        ['P "Quebec statement."', 'P "Patient signature"', 'P "Date"']),
    "appointment": (["appointment: {title: Romeo appointment}"], ['H2 "Romeo appointment"', 'P "Date"', 'P "Time"', 'P "With"']),
    "image": (['image: {file: images/diagram.png, alt: Needles in skin, caption: Sierra caption, width: "40%"}'],
              ["Figure", 'Caption "Sierra caption"']),
    "qr": (['qr: {url: "{brand.booking_url}", caption: Tango booking}'],
           ["Figure", 'P "Tango booking"', 'P "Scan with your phone camera, or visit"', "P", '  Link "example.org/book"']),
}


@pytest.mark.parametrize("block", sorted(BLOCK_STRUCTURE))
def test_each_block_type_reads_back_as_its_structure(tree: Path, block: str) -> None:
    yaml, expected = BLOCK_STRUCTURE[block]
    _blocks(tree, *yaml)
    assert _body(structure(_render(tree))) == expected


def test_a_drawn_picture_svg_is_a_figure_whose_drawing_is_its_content(tree: Path) -> None:
    """An SVG picture is drawn as a reportlab Drawing, a flowable of another kind than a raster image's: it is marked too."""
    (tree / "demo/images/needles.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"><rect width="120" height="60" fill="#F3D9C9"/>'
        '<line x1="20" y1="5" x2="20" y2="40" stroke="#5B6770" stroke-width="3"/><text x="40" y="30">skin</text></svg>', encoding="utf-8")
    _blocks(tree, 'image: {file: images/needles.svg, alt: Needles in skin, caption: Sierra caption, width: "40%"}')
    data = _render(tree)
    assert _body(structure(data)) == ['Figure "skin"', 'Caption "Sierra caption"'], "the drawing, its text too, is the figure's content"
    pdf = pikepdf.open(io.BytesIO(data))
    figure = next(e for e in _elements(pdf) if e.S == "/Figure")
    assert str(figure.Alt) == "Needles in skin"
    assert conformance.failures(data) == []


def test_the_every_block_demo_reads_back_in_the_order_of_its_blocks(tree: Path) -> None:
    """The whole demo: the title is the H1; each bullet an LI; the urgent callout's items are inside its section; a link's
    text is inside its Link; the structure's text is the handout's text in order."""
    data = _render(tree)
    document = structure(data)
    assert [kid.role for kid in document.kids][:5] == ["H1", "P", "P", "P", "P"]
    assert document.kids[0].text == "Every block demo"
    bullets = document.find("L")[0]
    assert [item.role for item in bullets.kids] == ["LI", "LI"] and bullets.kids[0].text == "• Charlie bullet one."
    urgent = next(section for section in document.find("Sect") if section.kids[0].text == "Call us right away if")
    assert [item.kids[1].text for item in urgent.find("LI")] == ["You have a fever.", "You see pus."]
    link = document.kids[4].find("Link")[0]
    assert link.text == "booking link" and link.objects == 1
    assert document.kids[4].text == "Alpha paragraph with bold words, italic words and a booking link. R&D <tags> stay literal."
    order = ["Every block demo", "Alpha paragraph", "Bravo heading", "Charlie bullet one", "Delta step one", "Echo tick item",
             "Foxtrot info", "Golf tip", "Hotel warning", "Call us right away if", "India day zero", "Lima do", "Mike dont",
             "November question", "Papa contact", "Quebec statement", "Romeo appointment", "Sierra caption", "Tango booking",
             FOOTER[0], FOOTER[2]]
    text = document.text
    assert [text.find(needle) for needle in order] == sorted(text.find(needle) for needle in order), text
    assert all(needle in text for needle in order)


def test_figures_carry_their_alt_text_and_a_tick_box_reads_as_an_empty_box(tree: Path) -> None:
    found = entries(_render(tree))
    assert [e.get("Alt") for e in found if e["S"] == "Figure"] == ["Needles in skin", "Tango booking"]
    assert [e.get("ActualText") for e in found if e["S"] == "Lbl" and "ActualText" in e] == ["\u2610", "\u2610"]


# -- chrome, footer, links -----------------------------------------------------------------------------------------

def test_the_running_header_footer_and_page_numbers_are_artifacts_and_the_footer_is_read_once(tree: Path) -> None:
    data = _render(tree)
    assert len(pikepdf.open(io.BytesIO(data)).pages) == 2
    text = structure(data).text
    for line in FOOTER:
        assert text.count(line) == 1, line  # on two pages, read once: the phone number and the disclaimer are content
    assert "Page 1 of" not in text and "Page 2 of" not in text
    assert "Demo · Aftercare" not in text, "the band is an artifact"
    assert text.count("Plain Clinic") == 1, "the band and running head's clinic name are artifacts"
    read = [without_artifacts_text(data, page) for page in (0, 1)]
    assert FOOTER[2] in read[0] and FOOTER[2] not in read[1], "the second page's footer is an artifact"
    assert "Page" not in read[0] and "Page" not in read[1]


def without_artifacts_text(data: bytes, page: int) -> str:
    return page_text(without_artifacts(data), page)


def test_a_link_that_wraps_is_one_link_with_its_words_and_an_annotation_per_line(tree: Path) -> None:
    words = " ".join(["booking"] * 30)
    _blocks(tree, f'paragraph: "Go to [{words}](https://example.org/book) now."')
    data = _render(tree)
    links = structure(data).find("Link")
    assert len(links) == 1 and links[0].text == words and links[0].objects >= 2
    pdf = pikepdf.open(io.BytesIO(data))
    annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
    assert len(annotations) == links[0].objects
    assert {str(a.Contents) for a in annotations} == {words}
    assert all(int(a.F) & 4 for a in annotations), "printed as the page is"
    keys = [int(a.StructParent) for a in annotations]
    tree = dict(zip(list(pdf.Root.StructTreeRoot.ParentTree.Nums)[::2], list(pdf.Root.StructTreeRoot.ParentTree.Nums)[1::2]))
    assert len(set(keys)) == len(keys) and all(tree[key].S == "/Link" for key in keys), "each annotation leads back to the Link"


def test_a_list_item_split_across_pages_is_one_item_with_one_label(tree: Path) -> None:
    long_item = " ".join(f"word{n}" for n in range(400))
    _blocks(tree, *[f"paragraph: Filler paragraph {n} {' '.join(['text'] * 60)}." for n in range(5)], f"bullets: [{long_item}.]")
    data = _render(tree)
    items = structure(data).find("LI")
    assert len(items) == 1 and [kid.role for kid in items[0].kids] == ["Lbl", "LBody"]
    assert items[0].kids[1].text == long_item + "."
    pdf = pikepdf.open(io.BytesIO(data))
    body = next(e for e in _elements(pdf) if e.S == "/LBody")
    pages = {pdf.pages.index(pikepdf.Page(kid.Pg)) if isinstance(kid, pikepdf.Dictionary) else pdf.pages.index(pikepdf.Page(body.Pg))
             for kid in body.K}
    assert len(pages) == 2, "the item's text is on two pages, in one element"


def test_a_table_header_repeated_on_the_next_page_is_read_once(tree: Path) -> None:
    rows = ", ".join(f'{{what: "Row {n} {" ".join(["thing"] * 12)}", days: "{n}"}}' for n in range(1, 40))
    _blocks(tree, *[f"paragraph: Filler {n} {' '.join(['text'] * 60)}." for n in range(4)], f"when_can_i: {{rows: [{rows}]}}")
    data = _render(tree)
    assert page_text(data, 1).count("Wait") >= 1 and page_text(data, 0).count("Wait") >= 1, "the header row is printed on both pages"
    tables = structure(data).find("Table")
    assert [th.text for th in tables[0].kids[0].kids] == ["When can I…", "Wait", "From"]
    assert structure(data).text.count("When can I…") == 1
    assert len(tables[0].kids) == 40


@pytest.mark.timeout(180)
@pytest.mark.parametrize("layout", ["standard", "large-print", "two-column", "trifold"])
def test_the_read_online_code_is_a_figure_and_its_address_a_link(tree: Path, layout: str) -> None:
    """A brand that hosts its web copies: the QR code to the copy is a Figure whose alternative is the words beside it,
    the address is inside a Link; where only the address is printed, there is no figure."""
    kit = tree / "brands/teal/brand.yaml"
    kit.write_text(kit.read_text(encoding="utf-8") + "web_base_url: https://teal.example/patients/\n", encoding="utf-8")
    words, address = "Read this online or in other languages", "teal.example/patients/en/demo-aftercare.html"
    data = _render(tree, layout, "teal")
    document = structure(data)
    said = next(i for i, kid in enumerate(document.kids) if kid.role == "P" and kid.text == words)
    link = document.kids[said + 1].find("Link")
    assert [element.text for element in link] == [address] and link[0].objects >= 1
    before = document.kids[said - 1]
    drawn_code = address in {code.removeprefix("https://") for code in _codes(data)}
    assert (before.role == "Figure") == drawn_code, "a figure exactly where the code is printed"
    if drawn_code:
        assert [e.get("Alt") for e in entries(data) if e["S"] == "Figure"][-1] == words
    assert conformance.failures(data) == []


def _codes(data: bytes) -> set[str]:
    """The QR codes printed on a PDF's pages, read back with zbarimg at 300 dpi."""
    return scanned_codes(data)


# -- layouts -----------------------------------------------------------------------------------------------------------

def test_the_trifold_is_read_in_its_folded_order_not_its_paint_order(tree: Path) -> None:
    data = _render(tree, "trifold")
    document = structure(data)
    roles = [kid.role for kid in document.kids]
    contact = next(i for i, kid in enumerate(document.kids) if kid.role == "Sect" and kid.kids[0].text == "Papa contact")
    qr = max(i for i, role in enumerate(roles) if role == "Figure")
    last_flow = max(i for i, kid in enumerate(document.kids) if "Sierra caption" in kid.text)
    assert last_flow < contact < qr, "the back panel (contact box, then QR code) is read after the inside"
    assert [kid.text for kid in document.kids[-2:]] == FOOTER[1:], "the footer on the back is read last"
    assert "Papa contact" in page_text(data, 0) and "Sierra caption" in page_text(data, 1), "yet the back is painted on the outside"


def test_the_card_is_read_once_its_second_copy_an_artifact(tmp_path: Path) -> None:
    catalogue = load_catalogue(CONTENT)
    data = render_pdf(make_sheet(catalogue, Job("lumen", "microneedling", "aftercare", "en", "card")), "card").data
    pdf = pikepdf.open(io.BytesIO(data))
    half = float(pdf.pages[0].MediaBox[2]) / 2
    document = structure(data)
    assert document.text.count("Caring for your skin after microneedling") == 1
    read = without_artifacts(data)
    for page in (0, 1):
        left, right = page_text(data, page, (0, half)), page_text(data, page, (half, 2 * half))
        assert left == right, "both copies print the same"
        tagged, drawn = Counter(page_text(read, page).split()), Counter(left.split())
        assert tagged and not tagged - drawn, "without its artifacts the page holds words of the left face only, each once"
        assert "Page" not in tagged and "Page" in drawn, "its page number is an artifact"
        assert not page_text(read, page, (half, 2 * half)), "the right copy is an artifact"
    assert conformance.failures(data) == []


# -- what a tagged PDF needs besides its structure ------------------------------------------------------------------

def test_the_document_says_its_language_shows_its_title_and_claims_pdfua_in_its_metadata(tree: Path) -> None:
    patient = Patient("Zelda Quintero-Fairweather", dt.date(2026, 12, 1), "Dr Who")
    data = _render(tree, brand="teal", lang="es", patient=patient)
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.Root.Lang) == "es"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) and bool(pdf.Root.MarkInfo.Marked)
    assert all(page.Tabs == "/S" for page in pdf.pages)
    with pdf.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title) == "Demostración de cuidados"
    xmp = pdf.Root.Metadata.read_bytes().decode()
    assert "Zelda" not in xmp and "Zelda" not in str(dict(pdf.docinfo)), "patient details stay on the sheet"
    assert "Zelda Quintero-Fairweather" in structure(data).text


def test_no_font_maps_a_code_to_nothing(tree: Path) -> None:
    data = _render(tree, patient=Patient("Zoë Ångström-Çelik", dt.date(2026, 12, 1)))
    pdf = pikepdf.open(io.BytesIO(data))
    maps = [obj.ToUnicode.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
            and "/ToUnicode" in obj]
    assert maps
    for cmap in maps:
        pairs = re.findall(rb"<([0-9A-F]+)> <([0-9A-F]+)>", cmap)
        assert pairs and all(int(target, 16) not in (0, 0xFEFF, 0xFFFE) for _, target in pairs)
        assert all(int(count) <= 100 for count in re.findall(rb"(\d+) beginbfchar", cmap))


def test_lines_read_back_with_a_space_between_the_last_and_first_words(tree: Path) -> None:
    long_word = "example.org/" + "-".join(f"part{n}" for n in range(40))
    bold = " ".join(f"**bold{n}**" if n % 2 else f"word{n}" for n in range(80))  # some lines end with a run in bold
    _blocks(tree, f"paragraph: {' '.join(f'word{n}' for n in range(80))}.", f"paragraph: Visit {long_word} today.", f"paragraph: {bold}.")
    data = _render(tree)
    paragraphs = structure(data).kids[4:7]
    assert paragraphs[0].text == " ".join(f"word{n}" for n in range(80)) + "."
    assert paragraphs[2].text == bold.replace("**", "") + "."
    assert long_word not in page_text(data), "the long word is broken across lines"
    assert paragraphs[1].text == f"Visit {long_word} today.", "a word broken across lines reads back whole"


def test_tagged_output_is_the_same_bytes_twice(tree: Path) -> None:
    patient = Patient("Ana", dt.date(2026, 12, 1), "Dr Who", dt.date(2027, 1, 5))
    for layout in sorted(set(LAYOUTS) - {"card"}):
        first = _render(tree, layout, patient=patient)
        assert first.startswith(b"%PDF-1.7\n") and first.rstrip().endswith(b"%%EOF"), layout  # PDF/UA-1 is of PDF 1.7
        assert first == _render(tree, layout, patient=patient), layout


@pytest.mark.timeout(120)
def test_a_handout_process_prints_a_tagged_sheet_without_importing_pikepdf(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    done = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "generate.py"), "handout", "demo/aftercare", "--content", str(tree),
                           "--brand", "plain", "--fillable", "-o", str(out)], capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert "handouts.pdfua" in imported, done.stderr[-2000:]  # the structure tree is written, by reportlab
    assert [name for name in imported if name.split(".")[0] == "pikepdf"] == []
    assert {"urllib.request", "http.client", "ssl", "xml.sax.saxutils"} & set(imported) == set()  # nothing of the network is needed to print
    pdf = pikepdf.open(out)
    annotations = [annotation for page in pdf.pages for annotation in page.get("/Annots", [])]
    assert {str(annotation.Subtype) for annotation in annotations} == {"/Link", "/Widget"}
    assert all("/StructParent" in annotation for annotation in annotations) and pdf.Root.MarkInfo.Marked
    assert [str(kid.S) for kid in pdf.Root.StructTreeRoot.K] == ["/Document"] and conformance.failures(out.read_bytes()) == []


@pytest.mark.timeout(240)
@pytest.mark.parametrize("layout", sorted(set(LAYOUTS) - {"card"}))
def test_pages_look_exactly_as_they_do_untagged(tree: Path, layout: str) -> None:
    kit = tree / "brands/teal/brand.yaml"  # teal's sheets point to their web copies, with a QR code or the address alone
    kit.write_text(kit.read_text(encoding="utf-8") + "web_base_url: https://teal.example/patients/\n", encoding="utf-8")
    catalogue = load_catalogue(tree)
    patient = Patient("Ana de la Fuente", dt.date(2026, 12, 1), "Dr Who", dt.date(2027, 1, 5))
    for sheet in (make_sheet(catalogue, Job("plain", "demo", "aftercare", "en", layout)),
                  make_sheet(catalogue, Job("teal", "demo", "aftercare", "es", layout), patient, grayscale=True)):
        tagged, untagged = render_pdf(sheet, layout).data, render_pdf(replace(sheet, tagged=False), layout).data
        assert "/StructTreeRoot" not in str(pikepdf.open(io.BytesIO(untagged)).Root)
        assert pages_to_png(tagged, 100, False) == pages_to_png(untagged, 100, False)


def test_a_card_looks_exactly_as_it_does_untagged() -> None:
    catalogue = load_catalogue(CONTENT)
    sheet = make_sheet(catalogue, Job("default", "microneedling", "aftercare", "es", "card"))
    tagged, untagged = render_pdf(sheet, "card").data, render_pdf(replace(sheet, tagged=False), "card").data
    assert pages_to_png(tagged, 100, False) == pages_to_png(untagged, 100, False)


# -- the validator ---------------------------------------------------------------------------------------------------

@pytest.mark.timeout(300)
@pytest.mark.parametrize("layout", sorted(set(LAYOUTS) - {"card"}))
def test_every_layout_passes_pdfua_blank_personalised_fillable_and_in_greys(tree: Path, layout: str) -> None:
    patient = Patient("María de los Ángeles Fernández-Castellanos", dt.date(2026, 12, 1), "Dr Who", dt.date(2027, 1, 5))
    copies = {"blank": _render(tree, layout), "personalised": _render(tree, layout, "teal", "es", patient),
              "fillable": _render(tree, layout, fillable=True), "greys": _render(tree, layout, "teal", grayscale=True)}
    assert {name: [str(f) for f in conformance.failures(data)] for name, data in copies.items()} == {name: [] for name in copies}


def test_a_fillable_sheet_puts_each_field_in_a_form_element_with_its_tooltip(tree: Path) -> None:
    data = _render(tree, fillable=True)
    pdf = pikepdf.open(io.BytesIO(data))
    widgets = [a for page in pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Widget"]
    forms = [e for e in _elements(pdf) if e.S == "/Form"]
    assert len(widgets) == len(forms) == 8  # the patient strip (3), the signature lines (2) and the appointment (3)
    assert sorted(str(w.TU) for w in widgets) == sorted(["Patient", "Treatment date", "Provider", "Patient signature", "Date",
                                                         "Date", "Time", "With"])
    assert all(form.K[0].Type == "/OBJR" and form.K[0].Obj.objgen in {w.objgen for w in widgets} for form in forms)
    strip = structure(data).kids[1]
    assert strip.role == "Table" and [th.text for th in strip.kids[0].kids] == STRIP


@pytest.mark.parametrize("layout", ["standard", "trifold"])
def test_the_parent_tree_leads_from_every_marked_sequence_and_annotation_to_its_element(tree: Path, layout: str) -> None:
    pdf = pikepdf.open(io.BytesIO(_render(tree, layout, fillable=True)))
    root = pdf.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    owners: dict[object, tuple[int, int]] = {}  # (page, MCID) or an annotation → the element whose kid it is

    def visit(element: pikepdf.Dictionary) -> None:
        for kid in element.K if isinstance(element.K, pikepdf.Array) else [element.K]:
            if isinstance(kid, int):
                owners[(element.Pg.objgen, kid)] = element.objgen
            elif kid.get("/Type") == "/MCR":
                owners[(kid.Pg.objgen, int(kid.MCID))] = element.objgen
            elif kid.get("/Type") == "/OBJR":
                owners[kid.Obj.objgen] = element.objgen
            else:
                visit(kid)

    visit(root.K[0])
    annotations = 0
    for page in pdf.pages:
        drawn = [int(operands[1].MCID) for operands, operator in pikepdf.parse_content_stream(page)
                 if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]]
        assert drawn == list(range(len(drawn))) and drawn, "each page's marked sequences are numbered from 0 in drawing order"
        assert [element.objgen for element in parents[int(page.obj.StructParents)]] == [owners[(page.obj.objgen, mcid)] for mcid in drawn]
        for annotation in page.get("/Annots", []):
            assert parents[int(annotation.StructParent)].objgen == owners[annotation.objgen]
            annotations += 1
    assert annotations >= 8 and len(owners) == len(parents) - len(pdf.pages) + sum(len(parents[int(p.obj.StructParents)]) for p in pdf.pages)
    assert int(root.ParentTreeNextKey) == max(parents) + 1


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found = []

    def visit(node: pikepdf.Dictionary) -> None:
        found.append(node)
        for kid in node.get("/K", []):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                visit(kid)

    visit(pdf.Root.StructTreeRoot.K[0])
    return found


# -- what cannot be tagged is reported at its line --------------------------------------------------------------------

def test_an_image_without_alt_text_or_whose_alt_text_is_its_file_name_is_reported_at_its_line(run, tree: Path) -> None:
    path = _blocks(tree, "paragraph: A picture follows.", "image: {file: images/diagram.png, alt: diagram.png, caption: The diagram}",
                   "image: {file: images/diagram.png, alt: Diagram, caption: The diagram}",
                   "image: {file: images/diagram.png, caption: The diagram}", "image: {file: images/diagram.png, alt: '  ', caption: The diagram}")
    result = run("check", "--content", tree, "--jobs", "1")
    assert result.code == 1
    errors = result.err.splitlines()
    for line, name in ((13, "diagram.png"), (14, "Diagram")):
        assert f"{path}:{line}: blocks[{line - 12}].image.alt: the alt text is the picture's file name '{name}' (words that say what the " \
               "picture shows, for people who cannot see it)" in errors, result.err
    assert f"{path}:15: blocks[3].image: missing required key 'alt' (what the image shows, for people who cannot see it)" in errors, result.err
    assert f"{path}:16: blocks[4].image.alt: is empty (some text)" in errors, result.err


def test_a_link_without_words_is_reported_at_its_line(run, tree: Path) -> None:
    path = _blocks(tree, 'paragraph: "Book [ ](https://example.org/book) today."')
    result = run("check", "--content", tree, "--jobs", "1")
    assert result.code == 1
    assert f"{path}:12: the link to 'https://example.org/book' has no text once its placeholders are filled (words that say where the " \
           "link goes, e.g. [Book online](https://example.com/book))" in result.err.splitlines(), result.err


# -- check --pdfua -------------------------------------------------------------------------------------------------------

@pytest.mark.timeout(240, method="thread")  # a worker that hangs would hold the test's process too: end it outright
def test_check_pdfua_reports_every_rule_a_rendered_copy_fails(run, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import handouts.marking as marking

    # The validator has already run in this process when check forks its workers (its thread pool does not survive a fork).
    assert conformance.failures(_render(tree)) == []
    monkeypatch.setattr(marking, "write_tagged", lambda canvas, structure: None)  # no structure tree (workers are forked: theirs too)
    result = run("check", "--content", tree, "--jobs", "2", "--pdfua")
    assert result.code == 1
    path = tree / "demo/aftercare.en.yaml"
    failed = [line for line in result.err.splitlines() if "fails PDF/UA-1" in line]
    assert f"{path}: in standard for plain (en, blank): the PDF fails PDF/UA-1 rule PDFUA1-STRUCT-TREE-ROOT-001" in "\n".join(failed)
    assert all(line.endswith("(a PDF that meets PDF/UA-1 (the engine's fault, or a brand font's: report it with this message))")
               for line in failed)
    # Each problem is said once per combination (for its first copy), in every combination.
    from handouts.proof import proof_jobs

    assert {line.split(": in ")[1].split(", ")[0] for line in failed} == {
        f"{job.layout} for {job.brand} ({job.language}" for job in proof_jobs(load_catalogue(tree))}


def test_check_pdfua_validates_a_fillable_copy_in_greys_too(tree: Path) -> None:
    from handouts.proof import render_proof

    catalogue = load_catalogue(tree)
    problems, copies = render_proof(catalogue, Job("teal", "demo", "aftercare", "en", "standard"), keep=True)
    assert [copy.variant for copy in copies] == ["blank", "personalised", "personalised, on Letter", "fillable, in greys"]
    widgets = [[a for page in pikepdf.open(io.BytesIO(copy.data)).pages for a in page.get("/Annots", []) if a.Subtype == "/Widget"]
               for copy in copies]
    assert [bool(found) for found in widgets] == [False, False, False, True]
    grey = [all(image.tobytes() == image.convert("L").convert("RGB").tobytes() for image in pages_to_png(copy.data, 30, True))
            for copy in copies]
    assert grey == [False, False, False, True]
    assert render_proof(catalogue, Job("teal", "demo", "aftercare", "en", "standard"))[1] == [], "kept only for the validator"


def test_check_pdfua_without_the_validator_says_how_to_install_it(run, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "page", None)
    result = run("check", "--content", tree, "--pdfua")
    assert result.code == 2
    assert result.err.strip() == ("error: --pdfua needs the PDF/UA validator page-validation: pip install 'handouts[pdfua]' "
                                  "(or pip install page-validation)")


def test_the_reviewers_diff_sheet_is_tagged_too_its_changes_in_the_handouts_language(run, tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("approved"))
    assert run("diff", "microneedling/aftercare", "--lang", "es", "--content", content, "-o", tmp_path / "diff.pdf").code == 0
    data = (tmp_path / "diff.pdf").read_bytes()
    assert conformance.failures(data) == []
    document = structure(data)
    assert document.kids[0].role == "H1" and document.kids[0].text.startswith("Changes to approve: Cuidados")
    assert "Page 1 of" not in document.text
    spanish = [e for e in entries(data) if e.get("Lang") == "es"]
    assert spanish and all(e["S"] == "P" for e in spanish), "the handout's words are marked as Spanish"
