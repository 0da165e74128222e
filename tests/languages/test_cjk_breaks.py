"""Chinese line breaking: kinsoku (no closing punctuation at a line's start, no opening bracket at its end), the engine's
dates, weekdays and numbers with units kept whole, a patient's name kept whole, titles in balanced lines; and the same
rules read back, line by line, from built zh-Hans sheets."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from handouts import blocks as b
from handouts import fonts, inline
from handouts.flowables import RenderContext
from handouts.content import load_catalogue
from handouts.i18n import strings
from handouts.jobs import Job
from handouts.linebreaks import CANNOT_END, CANNOT_START, FREE, NEVER, PART, WORD, balanced_breaks, break_levels, kept_whole
from handouts.paragraphs import Paragraph
from handouts.patient import Patient
from handouts.pdf import make_sheet, render_pdf
from handouts.styles import Theme, stylesheet
from handouts.writing import writing_for

from conftest import CONTENT

COLORS = {"primary": "#1F4E5A", "accent": "#E8F1F2", "text": "#1B1B1B"}
WEEKDAY = re.compile(r"(?:周|週|星期)[一二三四五六日天]")
DATED = ("最迟 11月23日周一。第1–3天：11月24日周二 – 11月26日周四，红色逐渐消退。24 小时内不要化妆，"
         "在 7 天内尽量待在阴凉处。下次预约：2026年12月21日周一。")
CLOSING = "，。、；：？！）」』】〉》…—"


def styles(size: float = 10.5):
    """The layouts' zh-Hans paragraph styles over the bundled family."""
    return stylesheet(Theme.from_colors(writing_for(fonts.family(), "zh-Hans"), COLORS, body_size=size))


def lines_of(markup: str, style_name: str, characters: float) -> list[str]:
    """The lines a zh-Hans paragraph breaks into in a column this many of its em wide."""
    style = styles()[style_name]
    paragraph = Paragraph(markup, style)
    paragraph.wrap(characters * style.fontSize, 10_000)
    return ["".join(str(word.text) for word in line.words) for line in paragraph.blPara.lines]


def marked(text: str) -> str:
    """The break levels of text drawn between its characters: | free, : between a date's parts, . inside a word."""
    return "".join({FREE: "|", PART: ":", WORD: "."}.get(level, "") + char for char, level in zip(text, break_levels(text)))


# --- the rules ----------------------------------------------------------------------------------------------------

def test_no_break_before_closing_punctuation_or_small_kana_nor_after_an_opening_bracket() -> None:
    for closing in CANNOT_START:
        assert break_levels(f"治疗{closing}后")[2] == NEVER, closing
    for opening in CANNOT_END:
        assert break_levels(f"治疗{opening}后")[3] == NEVER, opening
    assert break_levels("ちょっと")[1:] == [NEVER, NEVER, FREE]  # small ょ and っ never start a line


def test_dates_weekdays_and_numbers_with_units_are_words() -> None:
    assert marked("最迟 11月23日周一。") == "最|迟| |1.1.月:2.3.日:周.一。"
    assert marked("2026年12月21日周一") == "2.0.2.6.年:1.2.月:2.1.日:周.一"
    assert marked("24 小时内") == "2.4. .小.时|内"
    assert marked("第1–3天，") == "第.1–.3.天，"
    assert marked("11月24日周二 – 11月26日周四") == "1.1.月:2.4.日:周.二 –| |1.1.月:2.6.日:周.四"  # a dash never starts a line
    assert marked("布洛芬（Advil）") == "布|洛|芬|（A.d.v.i.l）"  # never "（" alone at a line's end


@pytest.mark.parametrize("characters", [x / 2 for x in range(8, 40)])
def test_a_paragraph_keeps_its_dates_weekdays_and_units_whole(characters: float) -> None:
    lines = lines_of(DATED, "paragraph", characters)
    assert "".join(lines).replace(" ", "") == DATED.replace(" ", "")  # nothing lost (spaces at a break are dropped)
    assert not [line for line in lines[1:] if line[0] in CANNOT_START], lines
    assert not [line for line in lines[:-1] if line[-1] in CANNOT_END], lines
    assert not [line for line in lines[1:] if line[0] in "–"], lines
    for word in WEEKDAY.findall(DATED):
        assert any(word in line for line in lines), (word, lines)  # each weekday on one line
    # Each number with its unit, and each date, whole on a line wherever it fits there with the punctuation after it.
    for word, room in (("24 小时", 4), ("7 天", 4), ("第1–3天", 5), ("11月23日周一", 7.5), ("11月24日周二", 7.5),
                       ("11月26日周四", 7.5), ("2026年12月21日周一", 11)):
        if characters >= room:
            assert any(word in line for line in lines), (word, lines)


def test_a_word_wider_than_the_line_still_breaks() -> None:
    lines = lines_of("2026年12月21日周一", "paragraph", 2.5)
    assert "".join(lines) == "2026年12月21日周一" and len(lines) > 1
    assert "周一" in lines  # cut between the date's parts first, never inside the weekday


@pytest.mark.parametrize("characters", range(6, 10))
def test_a_title_is_balanced_with_no_character_alone(characters: int) -> None:
    lines = lines_of("微针治疗后的皮肤护理", "title", characters)
    assert lines == ["微针治疗后的", "皮肤护理"]  # after 的, never "微针治疗后的皮肤护 / 理"


def test_a_balanced_title_keeps_its_number_of_lines_and_width() -> None:
    text = "治疗前须知：停用刺激性护肤品的日期和注意事项"
    widths = [1.0] * len(text)  # every character one em wide
    breaks = balanced_breaks(text, widths, break_levels(text), 9, 3)
    assert breaks is not None and len(breaks) == 2
    pieces = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
    assert max(map(len, pieces)) - min(map(len, pieces)) <= 3, pieces
    assert pieces[0].endswith("：") or pieces[1].endswith("的"), pieces  # a phrase's end preferred
    assert balanced_breaks(text, widths, break_levels(text), 9, 2) is None  # two lines cannot hold it


def test_a_patients_name_in_the_text_is_kept_whole() -> None:
    name = "欧阳慕容司马"
    markup = kept_whole(f"亲爱的{name}，请在治疗后二十四小时内不要化妆。", [name])
    assert markup.count("<nobr>") == 1
    for characters in range(7, 14):
        lines = lines_of(markup, "paragraph", characters)
        assert any(name in line for line in lines), (characters, lines)
    lines = lines_of(kept_whole("请联系 Dr Montgomery-Wadsworth 医生。", ["Dr Montgomery-Wadsworth"]), "paragraph", 9)
    assert lines[:2] == ["请联系", "Dr"]  # a name wider than the line breaks at its space, never inside a word
    assert kept_whole('<a href="x">欧阳</a>欧阳', ["欧阳"]) == '<a href="x"><nobr>欧阳</nobr></a><nobr>欧阳</nobr>'
    assert kept_whole('<a href="欧阳">x</a>', ["欧阳"]) == '<a href="欧阳">x</a>'  # never inside a tag


PATIENT = Patient("欧阳慕容司马诸葛上官", dt.date(2026, 11, 23), "Dr Montgomery-Wadsworth", dt.date(2026, 12, 21))


@pytest.mark.parametrize("language", ["zh-Hans", "en"])
def test_a_filled_in_name_is_kept_whole_only_in_a_language_that_breaks_between_characters(language: str) -> None:
    sheet = make_sheet(load_catalogue(CONTENT), Job("lumen", "microneedling", "aftercare", language, "standard"), patient=PATIENT)
    theme = Theme.from_colors(sheet.family, sheet.brand.colors)
    ctx = RenderContext(sheet.brand, sheet.settings, sheet.strings, theme, stylesheet(theme), 100, PATIENT)
    raw = "亲爱的{patient.name}，请在 **{patient.provider}** 的指导下护理皮肤。"
    markup = ctx.markup(b.Rich(raw, tuple(inline.parse(raw)), 1))
    if language == "en":  # a Latin sheet's markup (and so its bytes) as before
        assert "<nobr>" not in markup
        return
    assert "<nobr>欧阳慕容司马诸葛上官</nobr>" in markup and "<b><nobr>Dr Montgomery-Wadsworth</nobr></b>" in markup
    style = ctx.styles["paragraph"]
    for characters in range(11, 16):
        paragraph = Paragraph(markup, style)
        paragraph.wrap(characters * style.fontSize, 10_000)
        lines = ["".join(str(word.text) for word in line.words) for line in paragraph.blPara.lines]
        assert any(PATIENT.name in line for line in lines), (characters, lines)


# --- read back from built sheets -----------------------------------------------------------------------------------


def printed_lines(data: bytes, tmp_path: Path) -> list[list[str]]:
    """Each text block of a PDF as poppler lays it out, as its lines (the words of a line joined)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [["".join(html.unescape(word) for word in re.findall(r">([^<]*)</word>", line)) for line in re.findall(r"<line.*?</line>", block, re.S)]
            for block in re.findall(r"<block.*?</block>", layout, re.S)]


@pytest.mark.parametrize(("brand", "kind", "layout"), [("lumen", "aftercare", "trifold"), ("default", "aftercare", "trifold"),
                                                       ("default", "pre-treatment", "trifold"), ("lumen", "aftercare", "large-print")])
def test_a_built_chinese_sheet_reads_back_with_no_bad_break(brand: str, kind: str, layout: str, tmp_path: Path) -> None:
    sheet = make_sheet(load_catalogue(CONTENT), Job(brand, "microneedling", kind, "zh-Hans", layout), patient=PATIENT)
    blocks = printed_lines(render_pdf(sheet, layout).data, tmp_path)
    text = "".join(line for block in blocks for line in block)
    words = strings("zh-Hans")
    dates = [words.short_date(PATIENT.date + dt.timedelta(days=n), sheet.brand.date_format) for n in range(-14, 15)]
    assert any(date in text for date in dates), text  # the sheet has dates to break
    for block in blocks:
        for before, after in zip(block, block[1:]):
            assert after[0] not in CLOSING, (before, after)
            assert before[-1] not in CANNOT_END, (before, after)
            assert not (re.search("(周|星期)$", before) and re.match("[一二三四五六日天]", after)), (before, after)  # 周 / 一
            assert not (re.search(r"\d$", before) and re.match(r"[\d年月日]| ?小时|天", after)), (before, after)  # 11 / 月26日
        if len(block) > 1:
            assert len(block[-1].strip()) > 1, block  # no character alone on a block's last line (the cover's title)


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant"])
def test_a_header_or_footer_line_keeps_its_date_and_weekday_whole_where_they_fit(language: str) -> None:
    from handouts.layouts.chrome import split_lines
    from handouts.writing import text_width

    font = writing_for(fonts.family(None), language).bold
    date = strings(language).long_date(dt.date(2026, 11, 24), "dmy")
    line = f"微针治疗（Microneedling）· 治疗后护理 · 版本 3 · 审核于 {date}"
    for width in range(44, 320, 4):  # from the width of its widest date part, "11月24日"
        lines = split_lines(line, font, 9, width)
        assert "".join(lines).replace(" ", "") == line.replace(" ", ""), width
        assert any("（Microneedling）" in text for text in lines), (width, lines)  # a word runs over rather than breaks
        # (and the brackets stay with it): fit_text then sets the line smaller
        assert all(text_width(text, font, 9) <= width + 0.01 for text in lines if "Microneedling" not in text), (width, lines)
        for before, after in zip(lines, lines[1:]):
            assert after[0] not in CLOSING and before[-1] not in CANNOT_END, (width, before, after)
        if text_width(date, font, 9) <= width:
            assert any(date in text for text in lines), (width, lines)
        assert not any(re.search("(周|週|星期)$", before) and re.match("[一二三四五六日天]", after)
                       for before, after in zip(lines, lines[1:])), (width, lines)
    phone = "微针治疗后护理 · 电话\u00a0(555)\u00a0010-0100 · 诊所"
    for width in range(int(text_width("话 (555) 010-0100 ·", font, 9)) + 1, 240, 4):  # the dot never starts a line
        lines = split_lines(phone, font, 9, width)
        assert any("话 (555) 010-0100" in text for text in lines), (width, lines)  # held together by its no-break spaces
        assert all(text == text.strip() and text for text in lines), (width, lines)
    assert split_lines("治疗后护理\n第二行\t说明", font, 9, 400) == ["治疗后护理 第二行 说明"]
