"""The proof inside `check`: every brand × handout × language × layout rendered blank and for the worst-case patient, and
what was drawn read back and linted. Each lint is shown failing on content made to break it, with its exact message."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from handouts import drawn, flowables
from handouts.content import load_catalogue
from handouts.i18n import LANGUAGES
from handouts.jobs import Job
from handouts.layouts import LAYOUTS
from handouts.patient import MAX_NAME, Patient
from handouts.pdf import make_sheet
from handouts.proof import SCRIPT_NAMES, proof_jobs, prove, prove_job, proven_layouts, widest_name, worst_patient

from conftest import CONTENT

EXPECT_LINES = "e-mail addresses, web addresses and phone numbers whole on one line"


def blocks_only(tree: Path, body: str) -> Path:
    """Replace the demo handout's blocks (the English one) with the given YAML lines."""
    path = tree / "demo/aftercare.en.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("blocks:")] + "blocks:\n" + body, encoding="utf-8")
    return path


def plain_jobs(tree: Path) -> tuple[object, list[Job]]:
    catalogue = load_catalogue(tree)
    return catalogue, [job for job in proof_jobs(catalogue) if job.brand == "plain"]


def test_the_worst_case_patient_is_as_long_as_the_desk_accepts_with_the_widest_dates(tree: Path) -> None:
    assert len(widest_name()) == MAX_NAME and widest_name().count(" ") >= 5, "a name in words, as long as accepted"
    catalogue = load_catalogue(tree)
    for lang in ("en", "es"):
        sheet = make_sheet(catalogue, Job("teal", "demo", "aftercare", lang, "standard"))
        patient = worst_patient(sheet)
        assert len(patient.name) == MAX_NAME and len(patient.provider) == MAX_NAME
        assert patient.follow_up > patient.date
        from reportlab.pdfbase.pdfmetrics import stringWidth

        def width(day: dt.date, sheet: object = sheet) -> float:
            return stringWidth(sheet.strings.long_date(day, sheet.brand.date_format), sheet.family.bold, 10)  # type: ignore[attr-defined]

        assert all(width(patient.date) >= width(dt.date(2026, 1, 1) + dt.timedelta(days=n)) for n in range(0, 3650, 7))


def test_the_widest_dates_found_once_a_process_are_each_sheets_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The widest dates are searched once a process for each way of writing dates and font: a sheet in another language,
    date order or font is never given another's."""
    from dataclasses import replace

    from handouts import fonts, proof

    catalogue = load_catalogue(CONTENT)
    sheets = []
    for brand, lang in (("default", "en"), ("lumen", "en"), ("default", "es"), ("lumen", "ar"), ("lumen", "zh-Hans"), ("default", "vi")):
        sheet = make_sheet(catalogue, Job(brand, "microneedling", "aftercare", lang, "standard"))
        for order in ("mdy", "dmy"):
            sheets.append(replace(sheet, brand=replace(sheet.brand, date_format=order)))
    english = make_sheet(catalogue, Job("default", "microneedling", "aftercare", "en", "standard"))
    korean_bold = fonts.load_font(Path(fonts.__file__).parent / "fonts/HandoutsKR-Bold.ttf")  # its Latin digits are wider
    sheets.append(replace(english, family=replace(english.family, bold=korean_bold)))
    monkeypatch.setattr(proof, "_WIDEST_DATES", {})
    found = [proof.widest_dates(sheet) for sheet in sheets]  # each after the others were kept
    assert found == [proof._search_widest_dates(sheet) for sheet in sheets]
    assert len(set(found)) > 3, "the languages, orders and fonts above have different widest dates"


@pytest.mark.parametrize("language", sorted(SCRIPT_NAMES))
def test_the_worst_case_patient_of_a_sheet_in_another_script_is_named_in_it(tree: Path, language: str) -> None:
    from handouts import fonts, writing

    name = widest_name(language=language)
    letters, _ = SCRIPT_NAMES[language]
    assert len(name) == MAX_NAME and name.startswith(letters[0]) and name != widest_name()
    assert writing.writing_for(fonts.family(None), language).missing(name) == [] and writing.shaping_problem(name) is None
    catalogue = load_catalogue(tree)
    sheet = make_sheet(catalogue, Job("teal", "demo", "aftercare", "es", "standard"))
    assert worst_patient(sheet).name == widest_name() and worst_patient(sheet).provider == "Dr " + widest_name(MAX_NAME - 3)


def test_check_proves_every_combination_of_the_fixture_tree(run, tree: Path) -> None:
    catalogue = load_catalogue(tree)
    jobs = proof_jobs(catalogue)
    assert {job.layout for job in jobs} == set(LAYOUTS) - {"card"}, "the demo has no card section: not offered as a card"
    result = run("check", "--content", tree, "--jobs", "2")
    assert result.code == 0, result.err


def test_a_deliberately_long_name_is_reported_where_it_breaks(tree: Path) -> None:
    catalogue = load_catalogue(tree)
    patient = Patient("Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Sr.", dt.date(2026, 11, 24))
    found = {layout: [str(p) for p in prove_job(catalogue, Job("plain", "demo", "aftercare", "en", layout), patient)]
             for layout in ("standard", "large-print", "two-column", "trifold")}
    where, word = f"{tree}/demo/aftercare.en.yaml: in trifold for plain", "the word 'Wolfeschlegelsteinhausenbergerdorff' is broken across lines"
    assert found == {"standard": [], "large-print": [], "two-column": [], "trifold": [
        f"{where} (en, personalised): {word} ('Wolfeschlegelstein' / 'hausenbergerdorff') (whole words on a line: a wider column, or shorter words)",
        f"{where} (en, personalised, on A4): {word} ('Wolfeschlegelsteinha' / 'usenbergerdorff') (whole words on a line: a wider column, "
        "or shorter words)"]}


def test_a_long_email_address_breaks_only_where_an_address_may_and_one_that_cannot_is_reported(run, tree: Path) -> None:
    brand = tree / "brands/plain/brand.yaml"
    email = "appointments.and.questions@northside-dermatology.example"
    original = brand.read_text()
    brand.write_text(original.replace("email: care@example.org", f"email: {email}"))
    catalogue, jobs = plain_jobs(tree)
    assert [str(p) for p in prove(catalogue, jobs) if email in p.message] == [], "broken before its '@' or a '.' where it must"
    email = "appointmentsandquestionsaboutyourtreatmentatnorthsideclinic@northside-dermatology.example"
    brand.write_text(original.replace("email: care@example.org", f"email: {email}"))
    catalogue, jobs = plain_jobs(tree)
    found = sorted(str(p) for p in prove(catalogue, jobs) if email in p.message)
    assert found == [
        f"{tree}/brands/plain/brand.yaml: in trifold for plain (en, blank): '{email}' is broken inside a word "
        f"('appointmentsandquestionsaboutyourtreatmentatnorthsidecl / inic@northside-dermatology.example') "
        "(a web or e-mail address broken only after a '/' or before a '.', '-' or '@', or set smaller)"]
    assert run("check", "--content", tree).code == 1


def test_a_phone_number_broken_in_a_right_to_left_line_is_found_whatever_order_the_words_read_back_in(tree: Path) -> None:
    # pdfium gives a right-to-left line's words back in an order of its own: '010-0000 (555) الهاتف' is one whole line.
    from handouts.pdf import draw_pdf
    from handouts.proof import Lints, Variant

    catalogue = load_catalogue(tree)
    job = Job("plain", "demo", "aftercare", "en", "standard")
    sheet = make_sheet(catalogue, job)
    lints = Lints(sheet, job, Variant("blank", None), draw_pdf(sheet, "standard"))

    def line(text: str, baseline: float) -> drawn.Run:
        return drawn.Run(0, text, 300, 500, baseline, baseline - 2, baseline + 8, 9)

    lints.flow = []
    lints.chrome = [line("010-0000 (555) الهاتف · Plain Clinic", 40), line("(555) 010-0001 خارج أوقات العمل", 30)]
    assert lints.broken_contacts() == []
    where = f"{tree}/brands/plain/brand.yaml: in standard for plain (en, blank): '(555) 010-0000' is broken across lines"
    lints.chrome = [line("Plain Clinic · الهاتف (555)", 40), line("010-0000 · (555) 010-0001", 30)]
    assert [str(p) for p in lints.broken_contacts()] == [f"{where} ('(555) / 010-0000') ({EXPECT_LINES})"]
    # Read back with the number's second half first, the first half on the next line: found by its words.
    lints.chrome = [line("010-0000 · Plain Clinic", 40), line("Plain Clinic · الهاتف (555)", 30)]
    assert [str(p) for p in lints.broken_contacts()] == [f"{where} ('010-0000 / (555)') ({EXPECT_LINES})"]


def test_a_clinic_name_of_60_characters_prints_whole_in_every_layout(run, tree: Path, tmp_path: Path) -> None:
    name = "Northside Dermatology, Laser and Aesthetic Medicine Partners"
    assert len(name) == 60
    brand = tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text().replace("name: Plain Clinic", f"name: {name}"))
    result = run("check", "--content", tree)
    assert result.code == 0, result.err
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--brand", "plain", "--jobs", "1",
               *[a for layout in sorted(LAYOUTS) if layout != "card" for a in ("--layout", layout)]).code == 0
    for pdf in sorted(out.rglob("*.pdf")):
        pages = drawn.read(pdf.read_bytes())
        text = " ".join(run.text for run in pages[0].runs)
        assert all(word in text for word in name.split()) and "…" not in text, pdf.name
        # The name never runs over other text (the proof's overlap lint read it back: nothing reported above).


def test_a_clinic_name_that_cannot_fit_is_reported_not_cut(run, tree: Path) -> None:
    name = " ".join(["Northside Dermatology, Laser and Aesthetic Medicine Partners"] * 3)
    brand = tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text().replace("name: Plain Clinic", f"name: {name}"))
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"{tree}/brands/plain/brand.yaml: in standard for plain (en, blank): the clinic's name does not fit the header band in two "
            "lines at 11.0 pt (a shorter clinic name)") in result.err.splitlines()
    assert "…" not in result.err


def logo(tree: Path, size: tuple[int, int]) -> None:
    Image.new("RGB", size, (40, 80, 120)).save(tree / "brands/plain/logo.png")


def test_a_wide_logo_keeps_its_proportions_and_its_resolution_is_measured_where_it_prints_widest(tree: Path) -> None:
    logo(tree, (400, 100))  # 4:1
    catalogue, jobs = plain_jobs(tree)
    assert [str(p) for p in prove(catalogue, jobs)] == [
        f"{tree}/brands/plain/brand.yaml: logo 'logo.png' prints at 134 dpi (400 px across 2.98 in, in trifold) "
        "(at least 300 dpi: 896 px wide or more)"]
    sheet = make_sheet(catalogue, Job("plain", "demo", "aftercare", "en", "standard"))
    doc = LAYOUTS["standard"](io.BytesIO(), sheet)
    assert doc.logo.width == pytest.approx(doc.logo_limits()[0]) and doc.logo.height == pytest.approx(doc.logo.width / 4)
    logo(tree, (1600, 400))
    catalogue, jobs = plain_jobs(tree)
    assert prove(catalogue, jobs) == []


def test_a_very_wide_logo_is_warned_about_where_it_prints_too_small(tree: Path) -> None:
    logo(tree, (1600, 200))  # 8:1
    catalogue, jobs = plain_jobs(tree)
    assert [str(p) for p in prove(catalogue, jobs)] == [
        f"{tree}/brands/plain/brand.yaml: warning: the wide logo prints 7.0 mm tall in large-print (at least 8 mm, so its words stay "
        "legible: a logo less than 7 times as wide as it is tall)"]


def test_a_tall_logo_takes_the_full_height_of_the_header(tree: Path) -> None:
    logo(tree, (300, 900))  # 1:3
    catalogue, jobs = plain_jobs(tree)
    assert prove(catalogue, jobs) == []
    for layout in ("standard", "large-print", "trifold"):
        doc = LAYOUTS[layout](io.BytesIO(), make_sheet(catalogue, Job("plain", "demo", "aftercare", "en", layout)))
        max_width, max_height = doc.logo_limits()
        assert doc.logo.height == pytest.approx(max_height) and doc.logo.width == pytest.approx(max_height / 3), layout


def test_a_heading_that_would_strand_is_reported_and_the_keep_rule_prevents_it(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "".join(f"  - paragraph: Item {i:02d} {' '.join(['word'] * 12)}.\n" for i in range(1, 21))
    path = blocks_only(tree, body + "  - heading: Zulu heading\n  - paragraph: " + " ".join(["after"] * 60) + ".\n")
    job = Job("plain", "demo", "aftercare", "en", "standard")
    assert prove_job(load_catalogue(tree), job) == [], "the heading moves on with its section"
    monkeypatch.setattr(flowables.HeadingBreak, "wrap", lambda self, width, height: (width, 0))  # the keep rule switched off
    assert [str(p) for p in prove_job(load_catalogue(tree), job)] == [
        f"{path}:32: in standard for plain (en, personalised): the heading 'Zulu heading' ends page 1 with 0 lines of its section "
        "after it (at least 2 lines under a heading, or the heading moved on with its section)"]


def test_a_trifold_that_would_leave_panels_empty_is_reported(run, tree: Path) -> None:
    path = blocks_only(tree, "  - heading: Alpha\n  - paragraph: One short paragraph of text that stands alone on the sheet.\n")
    catalogue = load_catalogue(tree)
    assert [str(p) for p in prove_job(catalogue, Job("plain", "demo", "aftercare", "en", "trifold"))] == [
        f"{path}: warning: in trifold for plain (en, blank): the inside {panel} panel is empty (text on every panel of the brochure)"
        for panel in ("left", "middle", "right")]
    assert "trifold" not in proven_layouts(catalogue, "plain", "demo/aftercare", "en")
    result = run("check", "--content", tree)
    assert result.code == 0 and f"{path}: warning: in trifold for teal (en, blank): the inside right panel is empty" in result.err
    path.write_text(path.read_text(encoding="utf-8").replace("layout: standard", "layout: trifold"), encoding="utf-8")
    result = run("check", "--content", tree)  # built as a brochure by default: an error
    assert result.code == 1 and f"{path}: in trifold for teal (en, blank): the inside right panel is empty" in result.err


def test_an_underfilled_page_is_reported(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the rule that splits a long box instead of moving it on, the page stays full; moving every box on whole leaves
    most of a page blank, and the proof says so."""
    items = "".join(f"      - Item {i:02d} {' '.join(['word'] * 14)}.\n" for i in range(1, 16))
    lead = "".join(f"  - paragraph: Lead {i:02d} {' '.join(['word'] * 30)}.\n" for i in range(1, 5))
    path = blocks_only(tree, lead + "  - callout:\n      tone: info\n      title: Long box\n      items:\n" + items)
    job = Job("plain", "demo", "aftercare", "en", "large-print")
    assert prove_job(load_catalogue(tree), job) == []
    monkeypatch.setattr(flowables.Keep, "_splits_here", lambda self, frame, available: False)
    problems = [str(p) for p in prove_job(load_catalogue(tree), job)]
    assert problems and all(p.startswith(f"{path}: warning: in large-print for plain (en, ") and " is only " in p and "% full (page " in p
                            for p in problems), problems


def test_the_desk_is_offered_only_proven_layouts(tree: Path) -> None:
    catalogue = load_catalogue(tree)
    assert proven_layouts(catalogue, "teal", "demo/aftercare", "en") == ["large-print", "standard", "trifold", "two-column"]
    # The short Spanish demo leaves the inside of the brochure empty: a warning in check, and not offered at the desk.
    assert proven_layouts(catalogue, "teal", "demo/aftercare", "es") == ["large-print", "standard", "two-column"]


def read_lines(pdf: Path) -> list[str]:
    return [run.text.replace("\u00a0", " ") for page in drawn.read(pdf.read_bytes()) for run in page.runs]


@pytest.mark.skipif(not (CONTENT / "brands").is_dir(), reason="no shipped content/ in this checkout")
@pytest.mark.parametrize("brand", ["default", "lumen"])
def test_a_dated_spanish_aftercare_with_a_40_character_name_prints_in_every_layout(run, tmp_path: Path, brand: str) -> None:
    name = "María Fernández Castellanos Rodríguez de"
    assert len(name) == 40
    catalogue = load_catalogue(CONTENT)
    contact = catalogue.brands[brand].contact
    for layout in sorted(LAYOUTS):
        out = tmp_path / f"{brand}-{layout}.pdf"
        result = run("handout", "microneedling/aftercare", "--content", CONTENT, "--brand", brand, "--lang", "es", "--layout", layout,
                     "--date", "2026-12-30", "--patient", name, "--provider", "Dra. Inés Beltrán", "--follow-up", "2027-01-27", "-o", out)
        assert result.code == 0, f"{layout}: {result.err}"
        lines = read_lines(out)
        text = " ".join(lines)
        written = LANGUAGES["es"].long_date(dt.date(2026, 12, 30), catalogue.brands[brand].date_format)
        assert name in text and written in text, layout
        for value in (contact["phone"], contact["email"]) + ((contact["website"],) if layout != "card" else ()):
            assert any(value in line for line in lines), f"{layout}: {value} is not whole on one line"
        assert len(PdfReader(out).pages) <= (LAYOUTS[layout].page_limit(catalogue.treatments["microneedling"].handouts[("aftercare", "es")]) or 99)


def test_build_skips_a_card_for_a_handout_without_a_card_section(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--content", tree, "--out", out, "--layout", "card", "--jobs", "1")
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if "notice" in line] == [
        f"{tree}/demo/aftercare.{lang}.yaml: notice: skipped in card: it has no card: section (a card: section to print it as a card)"
        for lang in ("en", "es")]
    assert not list(out.rglob("*.pdf"))
    one = run("handout", "demo/aftercare", "--content", tree, "--brand", "plain", "--layout", "card", "-o", tmp_path / "one.pdf")
    assert one.code == 2 and not (tmp_path / "one.pdf").exists()
    assert one.err.strip() == (f"error: demo/aftercare (en) has no card: section in {tree}/demo/aftercare.en.yaml, so it does not print "
                               "as a card (add a card: section, or choose another layout: large-print, standard, trifold, two-column)")


def test_every_layout_copes_with_the_worst_case_copy_of_the_fixture(tree: Path) -> None:
    catalogue = load_catalogue(tree)
    for job in proof_jobs(catalogue):
        sheet = make_sheet(catalogue, job, worst_patient(make_sheet(catalogue, job)))
        data = LAYOUTS[job.layout].draw(sheet).data
        text = " ".join(run.text for page in drawn.read(data) for run in page.runs)
        assert widest_name().split()[0] in text, job


def test_the_fixture_copies_are_untouched_by_the_proof(tree: Path) -> None:
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    catalogue, jobs = plain_jobs(tree)
    prove(catalogue, jobs[:2])
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before
    shutil.rmtree(tree)


# The proof of the whole shipped catalogue, every language included, is content/test_shipped_content.py's
# test_check_is_clean_and_grades_are_plain: check --pdfua exits 0 with no warning but those of approvals and reviews
# (so every PDF the proof renders passes PDF/UA-1 too).


def test_the_flap_holds_whole_blocks_and_the_next_starts_the_inside(tree: Path) -> None:
    """Opening the cover shows the inside left beside the flap: a block that does not fit on the flap whole begins on the
    inside left, never continued there from the flap."""
    from conftest import boxed_text
    from handouts.layouts.trifold import Panels
    from reportlab.lib.pagesizes import LETTER, landscape

    short = "  - callout: {tone: info, title: Key points, items: [Alpha first point., Bravo second point.]}\n"
    long_list = "  - bullets:\n" + "".join(f"      - Charlie item {n:02d} {' '.join(['word'] * 14)}.\n" for n in range(1, 25))
    tail = "".join(f"  - paragraph: Delta {n:02d} {' '.join(['word'] * 30)}.\n" for n in range(1, 12))
    blocks_only(tree, short + long_list + tail)
    catalogue = load_catalogue(tree)
    data = LAYOUTS["trifold"].draw(make_sheet(catalogue, Job("plain", "demo", "aftercare", "en", "trifold"))).data
    panels = Panels.for_sheet(landscape(LETTER))
    (flap_x, flap_w), (left_x, left_w) = panels.outside["flap"], panels.inside["left"]
    flap = boxed_text(data, 0, [(flap_x, flap_x + flap_w)])[0]
    left = boxed_text(data, 1, [(left_x, left_x + left_w)])[0]
    assert "Key points" in flap and "Charlie" not in flap, flap
    assert left.startswith("• Charlie item 01") or left.startswith("Charlie item 01"), left[:80]
