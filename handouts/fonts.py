"""Fonts: the bundled Noto Sans family, brand-supplied TrueType files, and glyph coverage."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .compiled import dataclass
from .errors import InputError
from .files import version
from .fontdigests import font_digest

STYLES = ("regular", "bold", "italic", "bold_italic")
BUNDLED_DIR = Path(__file__).parent / "fonts"
BUNDLED = {
    "regular": BUNDLED_DIR / "NotoSans-Regular.ttf",
    "bold": BUNDLED_DIR / "NotoSans-Bold.ttf",
    "italic": BUNDLED_DIR / "NotoSans-Italic.ttf",
    "bold_italic": BUNDLED_DIR / "NotoSans-BoldItalic.ttf",
}
MAX_FONT_BYTES = 30_000_000
# Characters the layouts print themselves (bullets, the dash of date ranges, the dot between footer parts, the
# ellipsis of shortened header text): every face of a brand's font must have them.
LAYOUT_CHARS = "•–·…"


class FontError(InputError):
    """A font file that cannot be used."""


@dataclass(frozen=True)
class Family:
    """Registered reportlab font names for the four styles, plus each style's character set."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    label: str

    def missing(self, text: str) -> list[str]:
        """Characters of text that any face (regular, bold, italic, bold italic) cannot draw, in order, once each.

        Every face counts: the same text may print in bold (headings), italic (captions, the disclaimer) or both.
        """
        covered = _coverage(self.regular, self.bold, self.italic, self.bold_italic)
        if covered.issuperset(map(ord, text)):  # nearly always: one set operation, not a loop over characters
            return []
        return [char for char in dict.fromkeys(text) if ord(char) not in covered]


@lru_cache(maxsize=None)
def _coverage(*faces: str) -> frozenset[int]:
    """The code points every one of the faces can draw, and white space, which is never checked."""
    return frozenset.intersection(*(_charset(face) for face in faces)) | _SPACES


# Every white-space character (str.isspace; none is above U+3000), written out: working it out costs each process a
# millisecond. tests/pdf/test_once_per_process.py checks the table against the running Python.
_SPACES = frozenset((*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
                     0x202F, 0x205F, 0x3000))


def _covers(font_name: str, char: str) -> bool:
    return ord(char) in _charset(font_name)


@lru_cache(maxsize=None)
def _charset(font_name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph) if isinstance(font, TTFont) else frozenset()


def family(files: dict[str, Path] | None = None) -> Family:
    """Register (once per process) and return the family for a brand's files; None means the bundled one."""
    if not files:
        chosen = BUNDLED
    else:
        regular = files["regular"]
        bold = files.get("bold", regular)
        chosen = {"regular": regular, "bold": bold, "italic": files.get("italic", regular),
                  "bold_italic": files.get("bold_italic", bold)}
    return _register(tuple(chosen[s] for s in STYLES))


@lru_cache(maxsize=32)
def _register(paths: tuple[Path, ...]) -> Family:
    from reportlab.lib.fonts import addMapping

    names = [load_font(path) for path in paths]
    regular, bold, italic, bold_italic = names
    faces: tuple[tuple[str, Literal[0, 1], Literal[0, 1]], ...] = ((regular, 0, 0), (bold, 1, 0), (italic, 0, 1), (bold_italic, 1, 1))
    for name, b, i in faces:
        addMapping(regular, b, i, name)
    files = list(dict.fromkeys(path.name for path in paths))
    if paths[0] == BUNDLED["regular"]:
        label = "the bundled Noto Sans"
    elif len(files) == 1:
        label = f"font '{files[0]}'"
    else:
        label = "the brand's fonts (" + ", ".join(files) + ")"
    return Family(regular, bold, italic, bold_italic, label)


@lru_cache(maxsize=64)
def load_font(path: Path) -> str:
    """Register one TrueType file under a stable name derived from its bytes; raise FontError if unusable."""
    from reportlab.pdfbase import pdfmetrics

    from . import fontcache

    expected = "a TrueType (.ttf) font file"
    before = version(path)  # taken before the bytes are read: the digest of a file written meanwhile is not recorded
    size = before[2]
    if size > MAX_FONT_BYTES:
        raise FontError(f"font file '{path.name}' is too large ({size:,} bytes)", f"at most {MAX_FONT_BYTES:,} bytes")
    data = path.read_bytes()
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        what = {b"wOF2": "a WOFF2 web font", b"wOFF": "a WOFF web font", b"OTTO": "an OpenType (CFF) font",
                b"ttcf": "a TrueType collection (.ttc)"}.get(data[:4])
        raise FontError(f"'{path.name}' is {what}, not a TrueType font" if what else f"'{path.name}' is not a font file", expected)
    refused = _licence_refusal(data)
    if refused:
        raise FontError(f"'{path.name}' {refused}", "a font whose licence allows embedding in documents")
    digest = font_digest(path, before, data)
    name = f"{path.stem[:40]}-{digest.hex()[:8]}"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        font = fontcache.load(name, path, data, digest)
    except Exception as exc:  # reportlab raises many types for damaged fonts
        raise FontError(f"'{path.name}' is a damaged TrueType font ({_reason(exc)})", expected) from None
    _keep_subsets(font.face)
    pdfmetrics.registerFont(font)
    return name


SUBSETS_KEPT = 16  # a face's subsets kept per process: the ones sheets of a catalogue meet again (a heading's bold ones)


def _keep_subsets(face: Any) -> None:
    """The face cuts a subset once per process for each sequence of characters (the same bytes), but for a patient's
    sheet: a subset holds the glyphs of the characters printed with it, a patient's name's among them."""
    from . import private

    make = face.makeSubset

    @private.sheet_memo(SUBSETS_KEPT)
    def kept(codes: tuple[int, ...]) -> bytes:
        data: bytes = make(list(codes))
        return data

    def make_subset(subset: list[int]) -> bytes:
        return kept(tuple(subset))

    make_subset.cache_info = kept.cache_info  # type: ignore[attr-defined]  # for the tests, as lru_cache's own
    make_subset.cache_clear = kept.cache_clear  # type: ignore[attr-defined]
    face.makeSubset = make_subset


def _licence_refusal(data: bytes) -> str | None:
    """Why a TrueType file's licence (OS/2 fsType) forbids the embedded subset every PDF carries, or None."""
    import struct

    try:
        count = struct.unpack(">H", data[4:6])[0]
        for index in range(count):
            record = 12 + 16 * index
            if data[record:record + 4] == b"OS/2":
                offset = struct.unpack(">I", data[record + 8:record + 12])[0]
                fs_type = struct.unpack(">H", data[offset + 8:offset + 10])[0]
                break
        else:
            return None
    except struct.error:  # a damaged file: TTFont says so
        return None
    if fs_type & 0x000F == 0x0002:  # "restricted licence embedding" (and no less restrictive bit beside it)
        return "may not be embedded in documents (its licence: OS/2 fsType 2, restricted licence embedding)"
    if fs_type & 0x0200:
        return "may be embedded only as bitmaps (its licence: OS/2 fsType bit 9)"
    if fs_type & 0x0100:
        return "may not be subset, and every PDF carries the subset of the characters it prints (its licence: OS/2 fsType bit 8)"
    return None


def missing_layout_chars(path: Path) -> list[str]:
    """The characters of LAYOUT_CHARS that a TrueType file lacks (load_font must have accepted it)."""
    name = load_font(path)
    return [char for char in LAYOUT_CHARS if not _covers(name, char)]


# reportlab's messages name the file's full path and may quote bytes of the file: say what is wrong in our words.
_REASONS = (("embedding", "its licence does not allow embedding"), ("postscript outlines", "it has PostScript (CFF) outlines"),
            ("cmap", "it has no usable character map"), ("checksum", "a checksum does not match"))


def _reason(exc: Exception) -> str:
    text = str(exc).lower()
    return next((reason for key, reason in _REASONS if key in text), "its tables cannot be read")
