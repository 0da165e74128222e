"""Work a process keeps from one sheet for the next (parsed paragraphs, broken lines, script runs, the glyph check's
verdicts): the next sheet is exactly what it would be without it, and never holds the last sheet's patient."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.colors import HexColor
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from conftest import pdf_text
from handouts import fonts
from handouts.paragraphs import Paragraph
from handouts.writing import writing_for

SHIPPED = Path(__file__).resolve().parents[2] / "content"
TEXT = 'Keep it <b>clean</b> and <a href="https://example.org/a" color="#123456"><u>read this</u></a>.'


def _style(**values: object) -> ParagraphStyle:
    family = fonts.family(None)
    return ParagraphStyle("body", **{"fontName": family.regular, "fontSize": 10, "leading": 13, **values})


def _frags(paragraph: Paragraph) -> list[tuple[str, str, float, str]]:
    return [(frag.text, frag.fontName, frag.fontSize, frag.textColor.hexval()) for frag in paragraph.frags]


def test_a_patients_details_never_reach_the_next_sheet(run, tree: Path, tmp_path: Path) -> None:
    first, second, blank = tmp_path / "first.pdf", tmp_path / "second.pdf", tmp_path / "blank.pdf"
    for out, patient in ((first, ("Ana Pérez", "2026-12-31", "Dr Lee", "2027-01-28")),
                         (second, ("Bo Lindqvist", "2026-03-02", "Dr Kim", "2026-04-01")), (blank, None)):
        given = ["--patient", patient[0], "--date", patient[1], "--provider", patient[2], "--follow-up", patient[3]] if patient else []
        result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, *given, "-o", out)
        assert result.code == 0, result.err
    first_text, second_text, blank_text = pdf_text(first), pdf_text(second), pdf_text(blank)
    assert "Ana Pérez" in first_text and "Dr Lee" in first_text and "Dec 31, 2026" in first_text
    assert "Bo Lindqvist" in second_text and "Dr Kim" in second_text and "Mar 2, 2026" in second_text
    for leaked in ("Ana Pérez", "Ana", "Pérez", "Dr Lee", "Dec 31, 2026", "Jan 28, 2027"):
        assert leaked not in second_text, leaked
    for leaked in ("Ana Pérez", "Bo Lindqvist", "Dr Lee", "Dr Kim", "Dec 31, 2026", "Mar 2, 2026", "2027"):
        assert leaked not in blank_text, leaked


def test_the_same_markup_in_another_style_is_set_in_that_style() -> None:
    plain = Paragraph(TEXT, _style())
    assert _frags(Paragraph(TEXT, _style())) == _frags(plain)
    larger = Paragraph(TEXT, _style(fontSize=14, leading=17))
    assert {frag.fontSize for frag in larger.frags} == {14}
    coloured = Paragraph(TEXT, _style(textColor=HexColor("#aa0000")))
    assert coloured.frags[0].textColor.hexval() == "0xaa0000" and plain.frags[0].textColor.hexval() == "0x000000"
    bold_family = Paragraph(TEXT, _style(fontName=fonts.family(None).bold))
    assert bold_family.frags[0].fontName == fonts.family(None).bold
    assert [frag.text for frag in Paragraph(TEXT.replace("clean", "dry"), _style()).frags] == ["Keep it ", "dry", " and ", "read this", "."]
    changed = _style()
    assert {frag.fontSize for frag in Paragraph(TEXT, changed).frags} == {10}
    changed.fontSize = 12  # a style changed in place after a paragraph was made with it
    assert {frag.fontSize for frag in Paragraph(TEXT, changed).frags} == {12}
    changed.textColor = HexColor("#00aa00")
    assert Paragraph(TEXT, changed).frags[0].textColor.hexval() == "0x00aa00"


def test_a_paragraph_changing_its_frags_changes_no_other() -> None:
    text = TEXT.replace("clean", "cool")  # parsed first here: the first paragraph is reportlab's parse, the others copies
    first = Paragraph(text, _style())
    before = _frags(first)
    for paragraph in (first, Paragraph(text, _style())):
        paragraph.frags[0].text = "Changed "
        paragraph.frags[3].link.append("elsewhere")
        paragraph.frags[3].us_lines.append("elsewhere")
        paragraph.frags.append(paragraph.frags[0])
        again = Paragraph(text, _style())
        assert _frags(again) == before
        assert all("elsewhere" not in frag.link and "elsewhere" not in frag.us_lines for frag in again.frags)


def test_bold_follows_the_family_mapping_of_the_moment() -> None:
    path = fonts.BUNDLED["regular"]
    for name in ("MemoTestRegular", "MemoTestBoldOne", "MemoTestBoldTwo"):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))
    style = ParagraphStyle("body", fontName="MemoTestRegular", fontSize=10, leading=13)
    addMapping("MemoTestRegular", 0, 0, "MemoTestRegular")
    addMapping("MemoTestRegular", 1, 0, "MemoTestBoldOne")
    assert Paragraph("a <b>b</b>", style).frags[1].fontName == "MemoTestBoldOne"
    addMapping("MemoTestRegular", 1, 0, "MemoTestBoldTwo")
    assert Paragraph("a <b>b</b>", style).frags[1].fontName == "MemoTestBoldTwo"


def test_lines_are_broken_again_for_another_width_or_other_words() -> None:
    words, style = " ".join(["word"] * 40), _style()
    paragraph = Paragraph(words, style)
    wide = paragraph.wrap(400, 1000)
    narrow = paragraph.wrap(150, 1000)
    assert narrow[1] > wide[1] and len(paragraph.blPara.lines) > 3
    assert paragraph.wrap(400, 1000) == wide and paragraph.width == 400
    paragraph.__init__(words + " more" * 40, style)  # as an address is made again for a width
    assert paragraph.wrap(400, 1000)[1] > wide[1]
    parts = paragraph.split(400, 40)
    assert len(parts) == 2 and paragraph.wrap(400, 1000)[1] > wide[1]


def test_script_runs_and_missing_characters_follow_the_language_and_the_text() -> None:
    family = fonts.family(None)
    simplified, traditional = writing_for(family, "zh-Hans"), writing_for(family, "zh-Hant")
    text = "请在24小时内"
    runs = simplified.face_for(text, family.regular)
    assert runs == simplified.face_for(text, family.regular)
    assert [font for font, _ in runs if font] != [font for font, _ in traditional.face_for(text, family.regular) if font]
    assert simplified.face_for("请在", family.bold)[0][0] != runs[0][0]  # the bold face of the script font
    assert "".join(piece for _, piece in simplified.face_for("请勿", family.regular)) == "请勿"
    assert simplified.missing(text) == [] and simplified.missing("请\U0001f600在") == ["\U0001f600"]
    assert simplified.missing("在\U0001f601") == ["\U0001f601"]


def test_the_white_space_the_glyph_check_skips_is_every_white_space_character() -> None:
    assert fonts._SPACES == {c for c in range(0x110000) if chr(c).isspace()}
    assert fonts.family(None).missing("a\u00a0b\u3000c\td") == []


def test_a_line_of_chrome_drawn_again_follows_its_text_colour_and_size() -> None:
    import io

    from pypdf import PdfReader
    from reportlab.lib.colors import blue, red
    from reportlab.pdfgen.canvas import Canvas

    from handouts.paragraphs import draw_line

    writing = writing_for(fonts.family(None), "zh-Hans")
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=0)
    for n, (color, size) in enumerate(((red, 9), (red, 9), (blue, 9), (red, 13))):
        canvas.setFillColor(color)
        draw_line(canvas, 50, 700 - 40 * n, f"第 {n % 2 + 1} 页 Page", writing, fonts.family(None).regular, size)
    canvas.save()
    page = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    assert " ".join(page.extract_text().split()).count("第 1 页 Page") == 2
    assert " ".join(page.extract_text().split()).count("第 2 页 Page") == 2
    stream = page.get_contents().get_data().decode("latin-1")
    texts = [part.split("ET")[0] for part in stream.split("BT")[2:]]  # each line's text object (the first is the canvas's own)
    assert len(texts) == 4 and all(" 9 Tf" in text for text in texts[:3]) and " 13 Tf" in texts[3] and " 9 Tf" not in texts[3]
    assert ["0 0 1 rg" in text for text in texts] == [False, False, True, False] and "1 0 0 rg" in texts[3]


def test_a_chinese_line_is_the_line_reportlab_makes() -> None:
    import random

    from reportlab.platypus.paragraph import cjkU, makeCJKParaLine

    from handouts.paragraphs import _cjk_line

    family = fonts.family(None)
    writing = writing_for(family, "zh-Hans")
    style = ParagraphStyle("body", fontName=family.regular, fontSize=10, leading=13, writing=writing, wordWrap="CJK")
    frags = Paragraph('请在 <b>24 小时</b>内<a href="https://example.org/a" color="#123456"><u>联系</u></a>诊所 <i>Dr Lee</i>。', style).frags
    chosen = random.Random(7)
    for _ in range(200):
        chars = [cjkU(char, frag, "utf8") for frag in chosen.sample(frags, chosen.randint(1, len(frags)))
                 for char in frag.text[:chosen.randint(0, len(frag.text))]]
        for calc_bounds in (False, True):
            ours = _cjk_line(chars, 200, 150.5, 49.5, calc_bounds, calc_bounds)
            theirs = makeCJKParaLine(chars, 200, 150.5, 49.5, calc_bounds, calc_bounds)
            assert {**vars(ours), "words": None} == {**vars(theirs), "words": None}
            assert [vars(word) for word in ours.words] == [vars(word) for word in theirs.words]


def _lines(paragraph: Paragraph) -> list[tuple[float, list[str]]]:
    return [(round(spare, 6), list(words)) for spare, words in paragraph.blPara.lines]


def test_a_paragraph_of_one_frag_is_broken_for_its_own_width_bullet_and_style() -> None:
    text = "Wash gently with lukewarm water and pat dry with a clean towel " + "x" * 90
    first = Paragraph(text, _style())
    first.wrap(300, 1000)
    again = Paragraph(text, _style())
    again.wrap(300, 1000)
    assert _lines(again) == _lines(first) and again.blPara is not first.blPara
    again.blPara.lines[0][1].append("Changed")
    third = Paragraph(text, _style())
    third.wrap(300, 1000)
    assert _lines(third) == _lines(first)
    third.wrap(200, 1000)
    assert len(third.blPara.lines) > len(first.blPara.lines)
    bulleted = Paragraph(text, _style(bulletFontName=fonts.family(None).regular, bulletFontSize=10), bulletText="1.")
    plain_bullet_style = Paragraph(text, _style(bulletFontName=fonts.family(None).regular, bulletFontSize=10))
    bulleted.wrap(300, 1000)
    plain_bullet_style.wrap(300, 1000)
    assert bulleted.blPara.lines[0][0] < plain_bullet_style.blPara.lines[0][0]  # the bullet takes room from the first line
    bulleted_again = Paragraph(text, _style(bulletFontName=fonts.family(None).regular, bulletFontSize=10), bulletText="1.")
    bulleted_again.wrap(300, 1000)
    assert bulleted_again._wrapWidths == bulleted._wrapWidths and bulleted._wrapWidths[0] < bulleted._wrapWidths[1]
    whole, style = Paragraph(text, _style()), _style()
    changed = Paragraph(text, style)
    style.splitLongWords = 0  # a style changed in place after the paragraph was made with it
    whole.wrap(300, 1000)
    changed.wrap(300, 1000)
    assert "x" * 90 in changed.blPara.lines[-1][1] and "x" * 90 not in whole.blPara.lines[-1][1]


def _frag_lines(paragraph: Paragraph) -> list[list[tuple[str, str, float]]]:
    return [[(word.text, word.fontName, word.fontSize) for word in line.words] for line in paragraph.blPara.lines]


def _objects(paragraph: Paragraph) -> set[int]:
    """The ids of every line, frag and list a paragraph's lines and words hold (tuples are values: copied or not, the same)."""
    found: set[int] = set()
    todo: list[object] = [paragraph.blPara, paragraph.frags]
    while todo:
        item = todo.pop()
        if id(item) in found:
            continue
        if isinstance(item, (list, tuple)):
            if isinstance(item, list):
                found.add(id(item))
            todo += list(item)
        elif type(item).__module__.startswith("reportlab.platypus"):  # frags, lines (colours and strings are values, shared)
            found.add(id(item))
            todo += list(vars(item).values())
    return found


def test_a_paragraph_of_many_frags_gets_lines_and_words_of_its_own() -> None:
    text = ("Keep the area <b>clean and dry</b> for a day, and <b>do not</b> touch it with unwashed hands; "
            '<a href="https://example.org/care" color="#123456"><u>read more online</u></a> or call us. ') * 3
    first = Paragraph(text, _style())
    first.wrap(250, 1000)
    second = Paragraph(text, _style())
    second.wrap(250, 1000)
    assert first.blPara.kind == 1 and _frag_lines(second) == _frag_lines(first)
    assert not _objects(first) & _objects(second)
    expected = _frag_lines(first)
    for paragraph in (first, second):  # split where it stands: the parts carry on with the right words
        top, rest = paragraph.split(250, 40)
        top.wrap(250, 1000)
        rest.wrap(250, 1000)
        assert " ".join(" ".join(word for word, _, _ in line) for line in _frag_lines(top) + _frag_lines(rest)).split() == \
            " ".join(" ".join(word for word, _, _ in line) for line in expected).split()
    for paragraph in (first, second):  # the paragraph first broken, then one given a copy, each changing its own
        paragraph.blPara.lines[0].words[0].text = "Changed"
        paragraph.frags[0][1][0].text = "Changed"
        third = Paragraph(text, _style())
        third.wrap(250, 1000)
        assert _frag_lines(third) == expected


def _strings_held(*needles: str) -> set[str]:
    """The needles found in any string a live container of this process holds (keys and values)."""
    import gc

    gc.collect()
    found: set[str] = set()
    for thing in gc.get_objects():
        if isinstance(thing, dict):
            items: Any = [*thing.keys(), *thing.values()]
        elif isinstance(thing, (tuple, list, set, frozenset)):
            items = thing
        else:
            continue
        for item in items:
            if isinstance(item, str):
                found.update(needle for needle in needles if needle in item)
    return found


@pytest.mark.parametrize("layout", ["standard", "trifold"])
def test_no_memo_keeps_a_patients_details_once_their_sheet_is_drawn(layout: str) -> None:
    from handouts.content import load_catalogue
    from handouts.jobs import Job
    from handouts.patient import Patient
    from handouts.pdf import make_sheet, render_pdf
    from handouts.plugins import use_shipped_layouts

    use_shipped_layouts()
    catalogue = load_catalogue(SHIPPED)
    # Put together here so that no constant of this test module holds them whole.
    name = "".join(["Zephyrine ", "O'Calla", "ghan-Wbeyrut"])
    provider = "".join(["Dr Quillon ", "Abernathy ", "مح", "مد"])
    for job in (Job("lumen", "microneedling", "aftercare", "en", layout), Job("default", "microneedling", "aftercare", "ar", layout)):
        patient = Patient(name=name, provider=provider)
        rendered = render_pdf(make_sheet(catalogue, job, patient), job.layout)
        assert rendered.pages >= 1
        del rendered, patient
    needles = (name, provider, "Wbeyrut", "Quillon", "O&#x27;Calla", "O&#39;Calla")
    del name, provider
    assert _strings_held(*needles[2:4]) == set(), "a memo keeps the patient's details after their sheet was drawn"


def test_no_memo_keeps_a_word_of_a_patients_name_once_their_sheet_is_drawn() -> None:
    """The trifold's cover breaks the patient's strip into lines word by word, measuring each word on its own."""
    from handouts.content import load_catalogue
    from handouts.jobs import Job
    from handouts.patient import Patient
    from handouts.pdf import make_sheet, render_pdf
    from handouts.plugins import use_shipped_layouts

    use_shipped_layouts()
    catalogue = load_catalogue(SHIPPED)
    # Put together here so that no constant of this test module holds them whole.
    first, last, doctor = "".join(["أح", "مد"]), "".join(["مح", "مود"]), "".join(["Zork", "mund"])
    job = Job("default", "microneedling", "aftercare", "ar", "trifold")
    patient = Patient(name=f"{first} {last}", provider=f"Dr {doctor}")
    rendered = render_pdf(make_sheet(catalogue, job, patient), job.layout)
    assert rendered.pages >= 1
    needles = (first, last, doctor)
    del rendered, patient, first, last, doctor
    assert _strings_held(*needles) == set(), "a memo keeps a word of the patient's details after their sheet was drawn"


def test_a_patients_sheet_leaves_no_font_subset_nor_map_behind_and_a_blank_sheet_reuses_its_own() -> None:
    """A font subset, and its ToUnicode map, hold the characters printed with it, a patient's name's among them: those of
    a patient's sheet are made afresh and not kept; a blank sheet's are kept, and the same sheet again gets the same bytes."""
    from handouts import pdfua
    from handouts.content import load_catalogue
    from handouts.jobs import Job
    from handouts.patient import Patient
    from handouts.pdf import make_sheet, render_pdf
    from handouts.plugins import use_shipped_layouts

    use_shipped_layouts()
    catalogue = load_catalogue(SHIPPED)
    job = Job("default", "microneedling", "aftercare", "zh-Hans", "standard")
    blank = render_pdf(make_sheet(catalogue, job), job.layout).data  # every face it uses registered
    faces = [font.face for name in pdfmetrics.getRegisteredFontNames() if hasattr(font := pdfmetrics.getFont(name), "face")]
    cuts = [cut for face in faces if hasattr(cut := getattr(face, "makeSubset", None), "cache_info")]
    assert cuts, "the faces the engine registers keep their subsets"

    def kept() -> tuple[int, int]:
        return pdfua._kept_clean_map.cache_info().currsize, sum(cut.cache_info().currsize for cut in cuts)

    pdfua._kept_clean_map.cache_clear()
    for cut in cuts:
        cut.cache_clear()
    personal = render_pdf(make_sheet(catalogue, job, Patient(name="".join(["欧阳", "慕容"]), provider="Dr Lee")), job.layout)
    assert personal.pages >= 1 and kept() == (0, 0)
    assert render_pdf(make_sheet(catalogue, job), job.layout).data == blank
    maps, subsets = kept()
    assert maps >= 1 and subsets >= 1
    assert render_pdf(make_sheet(catalogue, job), job.layout).data == blank
    assert kept() == (maps, subsets) and pdfua._kept_clean_map.cache_info().hits >= maps
    assert sum(cut.cache_info().hits for cut in cuts) >= subsets


def test_a_stylesheet_is_made_once_per_theme_and_each_caller_gets_its_own_dict() -> None:
    from handouts.styles import Theme, stylesheet

    family = fonts.family(None)
    colours = {"primary": "#1F4E5A", "accent": "#E8F1F2", "text": "#111111"}
    first, again = stylesheet(Theme.from_colors(family, colours)), stylesheet(Theme.from_colors(family, colours))
    assert first is not again and all(first[name] is again[name] for name in first)
    first["heading"] = _style()
    assert stylesheet(Theme.from_colors(family, colours))["heading"] is again["heading"]
    larger = stylesheet(Theme.from_colors(family, colours, body_size=12))
    assert larger["paragraph"].fontSize == 12 and again["paragraph"].fontSize == 10.5
    other = stylesheet(Theme.from_colors(family, {**colours, "primary": "#aa0000"}))
    assert other["heading"].textColor.hexval() == "0xaa0000" and again["heading"].textColor.hexval() == "0x1f4e5a"


def test_texts_without_placeholders_are_left_as_they_are() -> None:
    from handouts import inline, placeholders

    def lookup(space: str, key: str) -> str:
        return f"<{space}.{key}>"

    for text, filled in (("no braces", "no braces"), ("a } alone", "a } alone"), ("{{x}}", "{x}"), ("a }} b", "a } b"),
                         ("{settings.wait} h", "<settings.wait> h"), ("", "")):
        assert placeholders.expand(text, lookup) == filled
    spans = inline.parse("Call **{brand.phone}** or [book](https://example.org/{settings.page})")
    filled_spans = inline.fill(spans, lambda text: placeholders.expand(text, lookup))
    assert [(s.text, s.bold, s.href) for s in filled_spans] == [
        ("Call ", False, None), ("<brand.phone>", True, None), (" or ", False, None), ("book", False, "https://example.org/<settings.page>")]
    assert filled_spans[0] is spans[0], "a span with nothing to fill is the same (frozen) span"
