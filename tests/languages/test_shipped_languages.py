"""The shipped translations: every sheet in Vietnamese, Simplified Chinese, Korean and Arabic, marked as not yet reviewed,
read back in each script, and the Arabic sheet mirrored."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import CONTENT, check_pdf
from handouts.content import load_catalogue

TRANSLATED = ("vi", "zh-Hans", "ko", "ar")
KINDS = ("pre-treatment", "aftercare", "overview")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CONTENT)


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_translation_names_its_current_source_and_is_not_yet_reviewed(catalogue, language: str) -> None:
    treatment = catalogue.treatments["microneedling"]
    for kind in KINDS:
        handout = treatment.handouts[(kind, language)]
        english = treatment.handouts[(kind, "en")]
        assert handout.translation is not None and handout.translation.source == f"{kind}.en.yaml"
        assert handout.translation.version == english.version
        assert not handout.reviewed_by and handout.record is None


FIRST_POINT = {
    "vi": "Da sẽ đỏ và ấm trong một hai ngày",
    "zh-Hans": "您的皮肤会发红发热一两天，就像轻微晒伤。这是正常的。",
    "ko": "하루나 이틀 동안 피부가 가벼운 햇볕 화상처럼 붉고 따뜻할 것입니다.",
}


@pytest.mark.parametrize("language", sorted(FIRST_POINT))
def test_a_translated_sheet_reads_back_in_its_own_script(run, tmp_path: Path, language: str) -> None:
    out = tmp_path / f"aftercare.{language}.pdf"
    result = run("handout", "microneedling/aftercare", "--brand", "default", "--lang", language, "-o", out)
    assert result.code == 0, result.err
    text = " ".join(" ".join(page.split()) for page in check_pdf(out))
    if language == "zh-Hans":
        text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)  # lines of Chinese join without a space
    assert FIRST_POINT[language] in text


def _words(path: Path, page: int) -> list[tuple[float, float, str]]:
    """(x min, x max, word) of every word pdftotext finds on a page."""
    html = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # pdftotext -bbox gives each word's letters in the order they are drawn: an Arabic word comes back reversed.
    return [(float(a), float(b), _logical(unicodedata.normalize("NFKC", w)))
            for a, b, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]


def _logical(word: str) -> str:
    return word[::-1] if any("\u0600" <= c <= "\u06ff" for c in word) else word


def test_the_arabic_sheet_is_right_aligned_and_mirrored(run, tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    out = tmp_path / "aftercare.ar.pdf"
    assert run("handout", "microneedling/aftercare", "--brand", "default", "--lang", "ar", "-o", out).code == 0
    check_pdf(out)
    words = _words(out, 2)
    right = max(x_max for _, x_max, _ in words)
    arabic = [(a, b, w) for a, b, w in words if any("\u0600" <= c <= "\u06ff" or "\ufe70" <= c <= "\ufeff" for c in w)]
    assert len(arabic) > 100
    # Bullets stand at the right of their items: none at the left margin (where a left-to-right sheet has them), the
    # callout's at the right margin, the 'don't' column's at the right of that column.
    bullets = [a for a, _, w in words if w == "•"]
    assert bullets and min(bullets) > 612 / 3 and max(bullets) > 612 - 80
    # The 'do' column is on the right, the 'don't' column on the left.
    do = next(a for a, _, w in arabic if w == "افعل")
    dont = next(a for a, _, w in arabic if w == "تفعل")
    assert do > dont
    # Each line of the callout ends at the same right edge (right-aligned), starting at different places.
    callout = [(a, b) for a, b, w in arabic if w in ("احمرار", "صديد", "حمى", "نزيف", "بقع")]
    assert len(callout) >= 3 and max(b for _, b in callout) - min(b for _, b in callout) < 1 and right - max(b for _, b in callout) < 40


@pytest.mark.parametrize("language, title, revision", [
    ("zh-Hans", "微针治疗后的皮肤护理", "版本 4 · 译文尚未经临床医生审核"),
    ("ko", "마이크로니들링 후 피부 관리", "버전 4 · 의료진이 아직 검토하지 않은 번역"),
])
def test_the_chrome_prints_in_the_sheets_script(run, tmp_path: Path, language: str, title: str, revision: str) -> None:
    # The title, the band, the light header and the footer are drawn by the layout, not by a block: they use the
    # script fonts too (a character the brand's font lacks would otherwise leave a gap).
    out = tmp_path / f"aftercare.{language}.pdf"
    assert run("handout", "microneedling/aftercare", "--brand", "default", "--lang", language, "-o", out).code == 0
    pages = check_pdf(out)
    squeezed = [re.sub(r"\s+", "", page) for page in pages]
    assert re.sub(r"\s", "", title) in squeezed[0] and re.sub(r"\s", "", title) in squeezed[1]  # the title, and the light header
    assert all(re.sub(r"\s", "", revision) in page for page in squeezed)
