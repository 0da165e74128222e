"""Right-to-left sheets: the page's own chrome mirrored, the two columns and the brochure's panels read from the right,
Arabic lines read back whole, and the shaping traps of mixed text (a number after an Arabic label, punctuation after a
bold word, a ligature with no Unicode value)."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import pytest
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from conftest import CONTENT
from handouts import drawn, fonts, writing
from handouts.content import load_catalogue
from handouts.jobs import Job
from handouts.paragraphs import Paragraph, visual_order
from handouts.pdf import draw_pdf, make_sheet
from handouts.layouts.chrome import split_lines
from handouts.layouts.trifold import Panels

pytestmark = [pytest.mark.timeout(120),
              pytest.mark.shared_proof_cache]  # their checks change files only: each combination is proven once in the run
PHONE = "(555) 010-0100"
CLINIC = "Skin Health Clinic"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CONTENT)


def _drawn(catalogue, layout: str, kind: str = "aftercare", language: str = "ar") -> tuple[drawn.Drawn, list[drawn.Page]]:
    result = draw_pdf(make_sheet(catalogue, Job("default", "microneedling", kind, language, layout)), layout)
    return result, drawn.read(result.data)


def _run(page: drawn.Page, text: str) -> drawn.Run:
    found = [run for run in page.runs if text in run.text.replace("\u00a0", " ")]
    assert found, f"'{text}' is not drawn whole on the page: {[run.text for run in page.runs]}"
    return found[0]


@pytest.mark.parametrize("layout", ["standard", "large-print", "two-column", "card"])
def test_the_arabic_page_chrome_is_mirrored(catalogue, layout: str) -> None:
    kind = "pre-treatment" if layout == "card" else "aftercare"
    result, pages = _drawn(catalogue, layout, kind)
    width = pages[0].width / (2 if layout == "card" else 1)  # a card face is half the sheet (the left copy is read here)
    first = drawn.Page(width, pages[0].height, tuple(run for run in pages[0].runs if run.x1 <= width))
    # The band: the clinic's name where an Arabic line starts (at the right, beside the logo), the phone number where it
    # ends (at the left margin).
    band = [run for run in first.runs if run.baseline > first.height * 0.75]
    phone = _run(first, PHONE)
    name = _clinic(band)
    assert phone in band and phone.x0 < width * 0.2 and phone.x1 < width / 2
    assert name.x1 > width * 0.6 and name.x0 > phone.x1
    # The footer's lines end at the right margin; 'Page 1 of N' stands whole at the left, the total after the words.
    label = _run(first, f"صفحة 1 من {result.pages}")
    footer = _run(first, "لا تغني هذه الورقة عن نصيحة مقدم الرعاية.")
    assert label.x0 < width * 0.2 and label.x1 < width / 2 and footer.x1 > width * 0.8 and footer.baseline < first.height * 0.1
    if result.pages > 1 and layout != "card":
        # The light header of page 2: the clinic's name at the right, the sheet's title at the left.
        second = pages[1]
        head_name = _clinic(second.runs)
        head_title = _run(second, "العناية ببشرتك")
        assert head_name.x1 > width * 0.8 and head_title.x0 < width * 0.2 and abs(head_name.baseline - head_title.baseline) < 1


def _clinic(runs: list[drawn.Run] | tuple[drawn.Run, ...]) -> drawn.Run:
    """The run of the clinic's Latin name (pdfium may read a Latin line on a right-to-left page with its words reversed)."""
    found = [run for run in runs if sorted(run.text.split()) == sorted(CLINIC.split())]
    assert len(found) == 1, [run.text for run in runs]
    return found[0]


def test_the_two_columns_of_an_arabic_sheet_are_read_right_column_first(catalogue) -> None:
    result, pages = _drawn(catalogue, "two-column")
    columns = [use for use in result.frames if use.page == 0 and use.frame != "head"]
    assert [use.frame for use in columns] == ["first-right", "first-left"]
    assert columns[0].box[0] > columns[1].box[0]
    # The first block ('Key points') is drawn in the right column, the last of page 1 in the left one.
    key_points = _run(pages[0], "أهم النقاط")
    assert key_points.x0 > pages[0].width / 2


def test_a_right_to_left_brochure_opens_from_the_other_side() -> None:
    ltr, rtl = Panels.for_sheet((792, 612)), Panels.for_sheet((792, 612), rtl=True)
    # Outside: the cover at the left, the narrow flap at the right; inside: the narrow panel (which backs the flap) at the left.
    assert rtl.outside["cover"] == pytest.approx((0, ltr.panel)) and rtl.outside["flap"] == pytest.approx((792 - ltr.flap, ltr.flap))
    assert rtl.outside["back"] == pytest.approx((ltr.panel, ltr.panel))  # the middle, mirrored
    assert rtl.inside["left"] == pytest.approx((0, ltr.flap)) and rtl.inside["right"] == pytest.approx((792 - ltr.panel, ltr.panel))
    assert rtl.reading == ("right", "middle", "left") and ltr.reading == ("left", "middle", "right")
    for side in ("outside", "inside"):  # each fold backs a fold of the other side
        assert sorted(792 - x for x in rtl.folds(side)) == pytest.approx(sorted(ltr.folds(side)))
    # Each panel backs its mirror image: the cover backs the panel read first inside, the flap the one read last.
    x, width = rtl.outside["cover"]
    assert rtl.inside["right"] == pytest.approx((792 - x - width, width))
    x, width = rtl.outside["flap"]
    assert rtl.inside["left"] == pytest.approx((792 - x - width, width))


def test_the_arabic_trifold_flows_from_the_flap_to_the_inside_right_and_ends_at_the_left(catalogue) -> None:
    result, pages = _drawn(catalogue, "trifold")
    assert [use.frame for use in result.frames] == ["cover", "flap", "right", "middle", "left"]
    outside, inside = pages
    title = _run(outside, "العناية ببشرتك")
    assert title.x1 < outside.width / 3  # on the cover, the left panel
    flap = next(use for use in result.frames if use.frame == "flap")
    assert flap.box[0] > outside.width * 2 / 3
    inside_x = {use.frame: use.box[0] for use in result.frames if use.page == 1}
    assert inside_x["right"] > inside_x["middle"] > inside_x["left"]
    assert _run(inside, "صفحة 2 من 2").x1 < inside.width / 3


def test_an_arabic_line_reads_back_whole_in_logical_order_with_its_number(catalogue) -> None:
    _, pages = _drawn(catalogue, "standard")
    # The bullet's number sits inside the Arabic line: one run, the words in the order they are written.
    assert "لا تضع المكياج لمدة 24 ساعة." in [run.text for run in pages[0].runs]


def _paragraph(markup: str, bold: bool = False, wrapped: bool = True) -> Paragraph:
    family = writing.writing_for(fonts.family(None), "ar")
    style = ParagraphStyle("p", fontName=family.bold if bold else family.regular, fontSize=10, leading=13, writing=family,
                           alignment=TA_RIGHT)
    paragraph = Paragraph(markup, style)
    if wrapped:
        paragraph.wrap(400, 100)
    return paragraph


def test_a_phone_number_after_an_arabic_label_prints_in_its_own_order_and_font() -> None:
    # A no-break space between the label and the number would make harfbuzz shape both as one right-to-left word, in the
    # Arabic font's glyphs under the Latin font's name: the number came out backwards, or as other letters.
    family = fonts.family(None)
    for bold in (False, True):
        line = _paragraph(escape("الهاتف\u00a0" + PHONE.replace(" ", "\u00a0")), bold).blPara.lines[0]
        ordered = visual_order(line.words, 1)
        assert (ordered[0].fontName, ordered[0].text.strip()) == (family.bold if bold else family.regular, PHONE.replace(" ", "\u00a0"))


def test_punctuation_after_a_bold_arabic_word_is_drawn_with_the_words_font() -> None:
    paragraph = _paragraph("<b>الخفيفة</b>. نعطيك", wrapped=False)
    arabic_bold = writing.script_font("arabic").family.bold
    assert [(frag.text, frag.fontName) for frag in paragraph.frags][:2] == [("الخفيفة", arabic_bold), (".", arabic_bold)]
    paragraph.wrap(400, 100)
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    paragraph.drawOn(canvas, 50, 700)
    canvas.save()
    text = " ".join(run.text for run in drawn.read(buffer.getvalue())[0].runs)
    assert text == "الخفيفة. نعطيك"  # no stray letter where the full stop is (it printed as 'Ǡ' over the word)


def test_text_width_of_arabic_is_the_width_it_prints_at() -> None:
    family = fonts.family(None)
    for font in (family.regular, family.bold):
        for text in ("العناية ببشرتك بعد الوخز بالإبر الدقيقة", "صفحة 1 من", f"مركز صحة البشرة {PHONE}"):
            style = ParagraphStyle("p", fontName=font, fontSize=10, leading=12, writing=writing.writing_for(family, "ar"), alignment=TA_RIGHT)
            paragraph = Paragraph(escape(text), style)
            paragraph.wrap(500, 100)
            assert writing.text_width(text, font, 10) == pytest.approx(500 - paragraph.blPara.lines[0].extraSpace, abs=0.01)


def test_the_arabic_fonts_shape_every_shipped_word_into_letters_with_unicode_values() -> None:
    # 'بعمر' took a discretionary meem-reh ligature with no Unicode value: read back as 'بع\ue000'.
    words = {word for path in CONTENT.rglob("*.ar.yaml") for word in re.findall(r"[\u0600-\u06ff]+", path.read_text(encoding="utf-8"))}
    assert "بعمر" in words
    assert [word for word in sorted(words) if writing.shaping_problem(word)] == []


def test_arabic_text_shaped_into_a_form_without_unicode_value_is_refused_at_its_line(run, tree) -> None:
    handout = tree / "demo/aftercare.en.yaml"
    text = handout.read_text(encoding="utf-8")
    handout.write_text(text.replace("blocks:\n", "blocks:\n  - paragraph: ؠب\n", 1), encoding="utf-8")
    line = text[:text.index("blocks:\n")].count("\n") + 2
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"demo/aftercare.en.yaml:{line}: blocks[0].paragraph: 'ؠب' is shaped into a letter form that has no Unicode value, so "
            "the sheet's text would read back wrong (in a screen reader, a search, a copy) (letters whose joined forms Unicode "
            "names: those of Arabic itself)") in result.err


def test_chrome_lines_break_chinese_between_characters_and_keep_a_phone_number_whole() -> None:
    font = fonts.family(None).regular
    lines = split_lines("微针治疗后的皮肤护理，这是一个很长的标题。诊所 Skin Health Clinic", font, 10, 80)
    assert all(writing.text_width(line, font, 10) <= 80 for line in lines) and len(lines) > 2
    assert "".join(lines).replace(" ", "") == "微针治疗后的皮肤护理，这是一个很长的标题。诊所SkinHealthClinic"
    assert not any(line[0] in "，。" for line in lines)
    assert "Skin Health" in lines or "Skin Health Clinic" in lines  # Latin words stay whole
    footer = f"Skin Health Clinic · Patient information · Phone\u00a0{PHONE.replace(' ', chr(0xA0))}"
    for width in range(100, 400, 10):
        assert any(f"Phone {PHONE}" in line for line in split_lines(footer, font, 10, width)), width
