"""Every script prints right: script fonts behind the brand's, Arabic joined and right to left, Chinese broken between
characters but never before closing punctuation, Vietnamese marks composed; text reads back in logical order."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.platypus import SimpleDocTemplate

from handouts import fonts
from handouts.paragraphs import CANNOT_START, Paragraph, levels, reorder
from handouts.styles import Theme, stylesheet
from handouts.writing import writing_for

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once in the run

COLORS = {"primary": "#1F4E5A", "accent": "#E8F1F2", "text": "#1B1B1B"}
CHINESE = ("治疗后二十四小时内，请不要化妆。您的皮肤会看起来粉红或发红，就像轻微的晒伤。这是正常的，通常会在一到三天内消退。"
           "请用温和的洁面乳和温水洗脸，轻轻拍干，不要用力擦拭。如有疑问，请致电我们：诊所电话全天开放。")
ARABIC = "ستبدو بشرتك وردية أو حمراء مثل حروق الشمس الخفيفة وتهدأ عادة خلال يومين أو ثلاثة أيام بعد العلاج"
MIXED = "اتصل بنا على 555-0123 أو زر example.com خلال 24 ساعة"


def styles_for(language: str, size: float = 10.5):
    """The layouts' paragraph styles for a language, over the bundled family."""
    return stylesheet(Theme.from_colors(writing_for(fonts.family(), language), COLORS, body_size=size))


def render(paragraphs: list[Paragraph], width: float = A5[0] - 80) -> bytes:
    """A5 PDF bytes of some paragraphs in a frame of the given width, 40 pt from the left edge."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A5, leftMargin=40, rightMargin=A5[0] - 40 - width, topMargin=40, bottomMargin=40,
                            invariant=1, title="t", author="t")
    doc.build(paragraphs)
    return buffer.getvalue()


def poppler_lines(data: bytes, tmp_path) -> list[tuple[float, float, str]]:
    """(x min, x max, text) of each line: positions from pdftotext -bbox-layout, text from plain pdftotext, which turns
    each line from visual to logical order; letters NFKC-normalised, direction marks removed."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    path = tmp_path / "lines.pdf"
    path.write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    plain = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    texts = [re.sub("[\u202a-\u202e]", "", unicodedata.normalize("NFKC", line)).strip() for line in plain.splitlines()]
    boxes = re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html)
    texts = [t for t in texts if t]
    assert len(boxes) == len(texts), (boxes, texts)
    return [(float(a), float(b), t) for (a, b), t in zip(boxes, texts)]


def pypdf_text(data: bytes) -> str:
    """The text pypdf extracts, NFKC-normalised (Arabic comes back as presentation forms)."""
    return unicodedata.normalize("NFKC", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


# --- Chinese ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("characters", range(6, 22))
def test_a_chinese_paragraph_breaks_between_characters_and_never_before_closing_punctuation(characters: int, tmp_path) -> None:
    style = styles_for("zh-Hans")["paragraph"]
    width = characters * style.fontSize
    paragraph = Paragraph(CHINESE, style)
    paragraph.wrap(width, 10_000)
    lines = ["".join(str(w.text) for w in line.words) for line in paragraph.blPara.lines]
    assert len(lines) > 1 and "".join(lines) == CHINESE  # broken between characters: nothing lost, nothing added
    assert not [line for line in lines[1:] if line[0] in CANNOT_START], lines
    assert all(line[0] not in "，。" for line in lines)
    # No line runs past the frame (punctuation is pulled down with the character before it, not hung in the margin).
    assert all(line.extraSpace >= -1e-6 for line in paragraph.blPara.lines)
    text = "".join(PdfReader(io.BytesIO(render([Paragraph(CHINESE, style)], width))).pages[0].extract_text().split())
    assert text == CHINESE


@pytest.mark.parametrize("characters", range(12, 26))  # from the width of the widest word (a narrower line must cut it)
def test_a_latin_name_or_address_in_chinese_breaks_only_at_its_spaces(characters: int) -> None:
    style = styles_for("zh-Hans")["paragraph"]
    words = ["Montgomery-Wadsworth", "care@lumen.example", "(555)\u00a0010-0100", "Dr", "Wilhelmina"]
    text = "请联系" + " ".join(words) + "医生，电话全天开放。"
    paragraph = Paragraph(text, style)
    paragraph.wrap(characters * style.fontSize, 10_000)
    lines = ["".join(str(w.text) for w in line.words) for line in paragraph.blPara.lines]
    pieces = [piece for line in lines for piece in re.split(r"(?<=[\u2e80-\uffff])|(?=[\u2e80-\uffff])| ", line) if piece]
    for word in words:  # each Latin word stands whole on one line (never cut at its hyphen, dot, @ or parenthesis)
        assert word.replace("\u00a0", " ") in [piece.replace("\u00a0", " ") for piece in pieces] or any(
            word.replace("\u00a0", " ") in line.replace("\u00a0", " ") for line in lines), (word, lines)


def test_korean_breaks_at_spaces_not_between_characters() -> None:
    style = styles_for("ko")["paragraph"]
    text = "피부가 가벼운 햇볕 화상처럼 분홍색이나 빨간색으로 보일 수 있습니다. 순한 세안제와 미지근한 물로 세안하십시오."
    paragraph = Paragraph(text, style)
    paragraph.wrap(120, 10_000)
    words = set(text.split())
    for line in paragraph.blPara.lines:
        assert set("".join(str(w.text) for w in line.words).split()) <= words


# --- Arabic -------------------------------------------------------------------------------------------------------

def test_arabic_is_joined_right_aligned_and_reads_back_in_logical_order(tmp_path) -> None:
    style = styles_for("ar")["paragraph"]
    data = render([Paragraph(ARABIC, style)], 200)
    lines = poppler_lines(data, tmp_path)
    assert len(lines) >= 3
    right_edge = 40 + 200 - 6  # the frame's right edge, inside reportlab's default padding of 6 pt
    assert all(abs(x_max - right_edge) < 0.5 for _, x_max, _ in lines), lines  # every line ends there
    assert lines[-1][0] > lines[0][0] + 20  # the short last line is ragged on the left
    assert " ".join(text for _, _, text in lines) == ARABIC
    # pypdf reverses right-to-left runs itself: a pure-Arabic line reads in logical order too.
    assert " ".join(pypdf_text(data).split()) == ARABIC
    # Joined: the letters are drawn as contextual forms (presentation forms), not isolated ones.
    raw = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert sum(1 for c in raw if 0xFE70 <= ord(c) <= 0xFEFF) > len(ARABIC.replace(" ", "")) // 3  # unshaped text has none


def test_numbers_and_links_in_arabic_keep_their_order_and_the_words_read_in_logical_order(tmp_path) -> None:
    data = render([Paragraph(MIXED, styles_for("ar")["paragraph"])], 300)
    (x_min, x_max, text), = poppler_lines(data, tmp_path)
    # pdftotext turns each line from visual to logical order; pypdf cannot for a line that mixes directions (it
    # reverses the Arabic runs but not the order of the runs), so mixed lines are read with pdftotext. pdftotext puts
    # the space beside a left-to-right run on the wrong side of it, so the characters are compared without spaces,
    # and the words are counted where pdftotext finds them drawn apart.
    assert re.sub(r"\s", "", text) == re.sub(r"\s", "", MIXED)
    path = tmp_path / "lines.pdf"
    words = re.findall(r"<word ", subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout)
    assert len(words) == len(MIXED.split())
    assert abs(x_max - (340 - 6)) < 0.5


def test_arabic_words_in_a_left_to_right_sentence_are_reversed_as_a_run() -> None:
    # 'call' L, two Arabic words R, a number after them, 'now' L: the Arabic words and the number swap places.
    assert reorder(["call", "A1", "A2", "24", "now"], levels(["L", "R", "R", "EN", "L"], 0)) == ["call", "24", "A2", "A1", "now"]
    assert reorder(["A1", "Dr.", "Lee", "A2"], levels(["R", "L", "L", "R"], 1)) == ["A2", "Dr.", "Lee", "A1"]
    assert reorder(["A1", "(", "A2"], levels(["R", "N", "R"], 1)) == ["A2", "(", "A1"]


# --- Vietnamese and the other Latin and Cyrillic languages --------------------------------------------------------

def test_decomposed_vietnamese_is_composed_before_it_is_drawn() -> None:
    text = "Đừng chà xát mạnh; quý vị sẽ thấy da hồng."
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    data = render([Paragraph(decomposed, styles_for("vi")["paragraph"])])
    assert " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split()) == text


@pytest.mark.parametrize("language, text", [
    ("ru", "Не трогайте кожу руками в течение 24 часов."),
    ("zh-Hant", "治療後二十四小時內，請不要化妝。"),
    ("ko", "화장하기 전에 24시간 기다리십시오."),
    ("ht", "Pa manyen po ou pandan 24 è."),
])
def test_every_script_reads_back_with_pypdf(language: str, text: str) -> None:
    data = render([Paragraph(text, styles_for(language)["heading"])])
    assert " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split()) == text


@pytest.mark.parametrize("text, message", [
    ("انتظر 24ساعة", "blocks[0].paragraph: digits joined to Arabic letters ('4س') print in reverse order "
                     "(a space between the number and the word, e.g. '24 ساعة')"),
    ("انتظر ٢٤ ساعة", "blocks[0].paragraph: Arabic-Indic digit '٢' (U+0662) prints in reverse order "
                      "(the digits 0-9, which Arabic sheets use (CLDR's Arabic numbers))"),
])
def test_arabic_digits_that_would_print_reversed_are_refused_at_their_line(run, tree, text: str, message: str) -> None:
    brand = tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, ar]"), encoding="utf-8")
    (tree / "demo/overview.ar.yaml").write_text(
        "id: demo-overview\ntreatment: Demo\nkind: overview\ntitle: عرض\nlanguage: ar\nversion: \"1\"\nreviewed: \"2026-11-01\"\n"
        f"reviewed_by: Clinical lead\nblocks:\n  - paragraph: {text}\n", encoding="utf-8")
    result = run("check", "--content", tree)
    assert result.code == 1
    assert f"{tree}/demo/overview.ar.yaml:10: {message}" in result.err.splitlines(), result.err
