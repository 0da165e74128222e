"""What reportlab works out from a TrueType file, kept by the sha256 of its bytes, so that a process that has met a font
before does not parse its tables again (the four faces of the bundled Noto Sans are a tenth of a cold `generate.py
handout`).

reportlab's `TTFont` reads a file's tables into its face: the character map, the widths, the metrics, the glyph
positions its subsets are cut from. An entry keeps those values (not the file's bytes, which the face is given again
from the file) and is named by the hash of the font's bytes together with the Python version, the reportlab version
and the code of this module: another font, parser or format gives another name, so an old entry is never read again.
A face made from an entry holds the very values parsing gives, so every PDF is byte for byte the same with or without
the cache (tests/pdf/test_font_cache.py).

The folder is `fonts/` in the tool's cache folder (`$HANDOUTS_CACHE`, else `~/.cache/handouts`). An entry carries the
digest of its contents; one that is damaged, cut short or unreadable is ignored and written again. Entries are written
whole (a temporary file renamed); a folder that cannot be written is left alone.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import cache_folder

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

FORMAT = b"handouts font 1\n"
_DIGEST = 32  # bytes of the BLAKE2b digest of the payload, after FORMAT
# What TTFont.__init__ sets besides the face, each set again here as it does (a new encoding, an empty per-document
# state, the settings of rl_config). Another set of attributes means another reportlab: then nothing is kept.
_MADE = {"fontName", "face", "encoding", "state", "_asciiReadable", "_shapable"}
_FRESH = {"_ttf_data", "filename", "_pdfScale"}  # of the face: the bytes and the path given again; a function remade


def load(name: str, path: Path, data: bytes, sha256: bytes) -> TTFont:
    """reportlab's TTFont for a font file with these bytes (and this sha256 of them, which its caller has taken already):
    made from its entry when there is one, else parsed (and kept)."""
    entry = _entry(sha256)
    kept = _read(entry) if entry is not None else None
    if kept is not None:
        font = _from(kept, name, path, data)
        if font is not None:
            return font
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(name, path)
    if entry is not None:
        _write(entry, font)
    return font


def _from(kept: dict[str, Any], name: str, path: Path, data: bytes) -> TTFont | None:
    """A TTFont with the kept values of its face (None when the entry does not hold what a face needs)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace
    from reportlab.rl_config import unShapedFontGlob

    face_values, names = kept.get("face"), kept.get("names")
    if not isinstance(face_values, dict) or not isinstance(names, dict):
        return None
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(face_values)
    vars(face).update({key: TTFNameBytes(text.encode("utf8")) for key, text in names.items()})
    vars(face)["_ttf_data"] = data
    face.filename = path
    vars(face)["_pdfScale"] = _scale(face_values.get("unitsPerEm"))
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    vars(font)["_asciiReadable"] = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob or ())
    return font


class _Scale:
    """A face's font units → 1/1000 of the size, as reportlab's parser computes it (a class, so that it can be kept)."""

    def __init__(self, units_per_em: int) -> None:
        self.multiplier = None if units_per_em == 1000 else 1000 / units_per_em

    def __call__(self, x: float) -> float:
        return x if self.multiplier is None else x * self.multiplier


def _scale(units_per_em: object) -> _Scale | None:
    return _Scale(units_per_em) if isinstance(units_per_em, int) and units_per_em > 0 else None


def _write(entry: Path, font: TTFont) -> None:
    """Keep a parsed font's values; nothing when reportlab made a font of another shape than this module knows."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    if set(vars(font)) != _MADE:
        return
    values = {k: v for k, v in vars(font.face).items() if k not in _FRESH}
    names = {k: v.ustr for k, v in values.items() if type(v) is TTFNameBytes}  # the names read from the font's name table
    kept = {"face": {k: v for k, v in values.items() if k not in names}, "names": names}
    try:
        payload = marshal.dumps(kept)
    except ValueError:  # a value of a type marshal does not write: another reportlab, whose faces are not kept
        return
    temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(FORMAT + _digest(payload) + payload)
        os.replace(temporary, entry)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass


def _read(entry: Path) -> dict[str, Any] | None:
    """An entry's values, or None when it is missing, damaged or cut short."""
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    start = len(FORMAT) + _DIGEST
    payload = raw[start:]
    if not raw.startswith(FORMAT) or _digest(payload) != raw[len(FORMAT):start]:
        return None
    try:
        kept = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):  # the digest matched, so only another format gets here: parse the font
        return None
    return kept if isinstance(kept, dict) else None


def _digest(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=_DIGEST).digest()


def _entry(sha256: bytes) -> Path | None:
    salt = _salt()
    if salt is None:
        return None
    key = hashlib.sha256(salt + sha256).hexdigest()
    return cache_folder() / "fonts" / f"{key}.bin"


@lru_cache(maxsize=1)
def _salt() -> bytes | None:
    """What, besides a font's bytes, makes its entry: Python, reportlab and this module's code (None when unknown)."""
    try:
        from reportlab import Version

        code = Path(__file__).read_bytes()
    except (OSError, ImportError):
        return None
    return hashlib.sha256(b"\0".join([FORMAT, sys.version.encode(), str(Version).encode(), code])).digest()
