"""Build the script fonts in handouts/fonts/ (Arabic, Simplified and Traditional Chinese, Korean) from their sources.

Run by a developer when the fonts change, never by CI; the files it writes are committed, each under 2 MiB.

    pip download --no-deps justmytype-intl-cjk==0.1.0 -d SRC && unzip -q -d SRC/cjk SRC/justmytype_intl_cjk-0.1.0-py3-none-any.whl
    (cd SRC && apt-get download fonts-noto-core=20201225-1 && dpkg-deb -x fonts-noto-core_20201225-1_all.deb core)
    pip install fonttools==4.68.0
    python scripts/build_fonts.py SRC

Sources (OFL 1.1), checked by sha256 before use:
- Noto Sans SC, TC and KR (Google Fonts, variable, glyf outlines), as repackaged in the PyPI wheel justmytype-intl-cjk 0.1.0:
  cut to the characters of GB2312 (split in its two levels, so each file stays under 2 MiB), Big5's common characters and
  KS X 1001's Hangul, with CJK punctuation, then fixed at weights 400 and 700.
- Noto Sans Arabic 2.005 from Debian's fonts-noto-core 20201225-1 (static; every shaped glyph is a presentation form, so
  text read back from a PDF stays real text), with the Latin letters, digits and punctuation it lacks taken from the
  bundled Noto Sans without layout tables: a word that mixes Arabic and Latin is then shaped with one font; the optional
  ligatures (dlig, aalt) are dropped, since their glyphs have no Unicode value to read back.
The modified fonts are renamed ("Handouts …"), as the OFL asks of modified versions with a Reserved Font Name.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "handouts" / "fonts"
CJK = "cjk/justmytype_intl_cjk/fonts/ofl"
ARABIC = "core/usr/share/fonts/truetype/noto"
SHA256 = {
    f"{CJK}/notosanssc/NotoSansSC[wght].ttf": "a3041811a78c361b1de50f953c805e0244951c21c5bd412f7232ef0d899af0da",
    f"{ARABIC}/NotoSansArabic-Regular.ttf": "504d7407d86875acf7d04dfaa0fd7524d0b8797723bc4aa18022f29db25b0b6e",
}
MAX_BYTES = 2 * 1024 * 1024


def _double_byte(codec: str, rows: range, cells: range) -> set[int]:
    """Every character a double-byte code page encodes in the given rows and cells."""
    found = set()
    for row in rows:
        for cell in cells:
            try:
                text = bytes([row, cell]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return found


def _ideographs(chars: set[int]) -> set[int]:
    return {c for c in chars if 0x4E00 <= c <= 0x9FFF}


GB2312_LEVEL1 = _ideographs(_double_byte("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)))
GB2312_LEVEL2 = _ideographs(_double_byte("gb2312", range(0xD8, 0xF8), range(0xA1, 0xFF)))
BIG5_COMMON = _ideographs(_double_byte("big5", range(0xA4, 0xC7), range(0x40, 0xFF)))
HANGUL = {c for c in _double_byte("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF)) if 0xAC00 <= c <= 0xD7A3} | set(range(0x3131, 0x318F))
CJK_PUNCTUATION = (set(range(0x3000, 0x3020)) | {c for c in range(0xFF01, 0xFF5F) if not chr(c).isalnum()}
                   | {ord(c) for c in "…—·“”‘’℃"} | {0x20})
# What the Arabic font takes from Noto Sans: ASCII, Latin-1, the general punctuation a sentence uses, and the
# direction marks and isolates of mixed-direction text.
LATIN_FOR_ARABIC = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2010, 0x2028)) | set(range(0x2030, 0x203B)) | {
    0x200E, 0x200F, 0x202F, 0x2066, 0x2067, 0x2068, 0x2069, 0x2022, 0x2212}

CJK_FONTS = (  # file stem, source, characters, family name
    ("HandoutsSC1", "notosanssc/NotoSansSC[wght].ttf", GB2312_LEVEL1, "Handouts Sans SC1"),
    ("HandoutsSC2", "notosanssc/NotoSansSC[wght].ttf", GB2312_LEVEL2, "Handouts Sans SC2"),
    ("HandoutsTC", "notosanstc/NotoSansTC[wght].ttf", BIG5_COMMON, "Handouts Sans TC"),
    ("HandoutsKR", "notosanskr/NotoSansKR[wght].ttf", HANGUL, "Handouts Sans KR"),
)
WEIGHTS = ((400, "Regular"), (700, "Bold"))


def _check(path: Path, relative: str) -> None:
    expected = SHA256.get(relative)
    if expected and hashlib.sha256(path.read_bytes()).hexdigest() != expected:
        sys.exit(f"{path}: sha256 differs from the source this script was written for")


def _rename(font: TTFont, family: str, style: str) -> None:
    """Set the family, full and PostScript names (name IDs 1, 2, 4, 6; 16 and 17 removed)."""
    table = font["name"]
    names = {1: family, 2: style, 4: f"{family} {style}", 6: f"{family.replace(' ', '')}-{style}"}
    table.names = [n for n in table.names if n.nameID not in (1, 2, 3, 4, 6, 16, 17)]
    names[3] = f"handouts:{names[6]}"
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


def _save(font: TTFont, stem: str, style: str) -> None:
    path = OUT / f"{stem}-{style}.ttf"
    font.save(path)
    size = path.stat().st_size
    print(f"{path.name}: {size:,} bytes, {font['maxp'].numGlyphs} glyphs")
    if size > MAX_BYTES:
        sys.exit(f"{path.name} is larger than 2 MiB")


def build_cjk(src: Path) -> None:
    """The Chinese and Korean fonts: cut to their character sets, then fixed at two weights."""
    for stem, relative, chars, family in CJK_FONTS:
        path = src / CJK / relative
        _check(path, f"{CJK}/{relative}")
        font = TTFont(path)
        options = subset.Options()
        options.layout_features = ["ccmp", "kern", "liga", "halt", "palt", "chws"]  # no locl or vert: they pull in other languages' forms
        options.drop_tables += ["vmtx", "vhea", "VORG", "BASE", "STAT"]
        options.notdef_outline = True
        options.hinting = False
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars | CJK_PUNCTUATION)
        subsetter.subset(font)
        for weight, style in WEIGHTS:
            fixed = instancer.instantiateVariableFont(font, {"wght": weight}, inplace=False, updateFontNames=False)
            _rename(fixed, family, style)
            _save(fixed, stem, style)


def build_arabic(src: Path) -> None:
    """Noto Sans Arabic with the Latin characters it lacks, taken from the bundled Noto Sans without layout tables."""
    for _, style in WEIGHTS:
        arabic_path = src / ARABIC / f"NotoSansArabic-{style}.ttf"
        _check(arabic_path, f"{ARABIC}/NotoSansArabic-{style}.ttf")
        has = set(TTFont(arabic_path).getBestCmap())
        latin = TTFont(OUT / f"NotoSans-{style}.ttf")
        options = subset.Options()
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF"]
        options.notdef_outline = True
        options.hinting = False
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=LATIN_FOR_ARABIC - has)
        subsetter.subset(latin)
        addition = OUT.parent.parent / "build" / f"latin-for-arabic-{style}.ttf"
        addition.parent.mkdir(exist_ok=True)
        latin.save(addition)
        merged = Merger().merge([str(arabic_path), str(addition)])
        addition.unlink()
        without_uncoded_ligatures(merged)
        _rename(merged, "Handouts Sans Arabic", style)
        _save(merged, "HandoutsArabic", style)


OPTIONAL_LIGATURES = ("dlig", "aalt")  # discretionary ligatures (which reportlab turns on), and the alternates that list them


def without_uncoded_ligatures(font: TTFont) -> None:
    """Drop the optional ligature features: their glyphs (e.g. meem-reh in 'بعمر') have no Unicode value, so a PDF's
    text would read back with a private-use character in the word."""
    kept = sorted({record.FeatureTag for table in ("GSUB", "GPOS") if table in font
                   for record in font[table].table.FeatureList.FeatureRecord} - set(OPTIONAL_LIGATURES))
    options = subset.Options()
    options.layout_features = kept
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)


def main() -> None:
    """Build every script font from the source folder given on the command line."""
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = Path(sys.argv[1])
    build_arabic(src)
    build_cjk(src)


if __name__ == "__main__":
    main()
