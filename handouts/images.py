"""Logos and pictures: PNG and JPEG through Pillow, SVG kept as vectors through svglib.

Every file is checked before it reaches reportlab: its bytes must match its
name, raster images are capped in pixels, turned upright (EXIF) and made RGB,
and SVGs are parsed without entities, DTDs or references to other files.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Union

from .errors import InputError

MAX_PIXELS = 25_000_000
MAX_EDGE = 2400  # px; a logo or picture never prints wider than 8 in at 300 dpi
MAX_SVG_BYTES = 2_000_000
MAX_RASTER_BYTES = 20_000_000
_SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}
_HREF = re.compile(r"\{http://www\.w3\.org/1999/xlink\}href|href")


class ImageError(InputError):
    """A picture file that cannot be used."""


@dataclass(frozen=True)
class Raster:
    """A checked raster image: upright RGB(A) pixels, downsampled to print size."""

    data: bytes  # PNG bytes of the cleaned image
    width_px: int
    height_px: int

    @property
    def aspect(self) -> float:
        """Height divided by width."""
        return self.height_px / self.width_px


@dataclass(frozen=True)
class Vector:
    """A checked SVG, converted to a reportlab Drawing on demand."""

    path: Path
    width: float
    height: float

    @property
    def aspect(self) -> float:
        """Height divided by width."""
        return self.height / self.width


Picture = Union[Raster, Vector]


def load(path: Path) -> Picture:
    """Load and check a picture (cached per file and modification time)."""
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load(path: Path, _mtime: int, _size: int) -> Picture:
    if path.suffix.lower() == ".svg":
        return _load_svg(path)
    return _load_raster(path)


def _load_raster(path: Path) -> Raster:
    from PIL import Image, ImageOps, UnidentifiedImageError

    suffix = path.suffix.lower()
    kind = "PNG" if suffix == ".png" else "JPEG"
    expected = f"a valid {kind} file"
    if path.stat().st_size > MAX_RASTER_BYTES:
        raise ImageError(f"image file is too large ({path.stat().st_size:,} bytes)", f"at most {MAX_RASTER_BYTES:,} bytes")
    data = path.read_bytes()
    if not data.startswith(_SIGNATURES[suffix]):
        raise ImageError(f"'{path.name}' is not a {kind} file (its contents do not match its name)", expected)
    size = _header_size(data)
    if size and size[0] * size[1] > MAX_PIXELS:
        raise _too_large(*size)
    try:
        # Pillow's own bomb guard (a warning, then an error) comes far above our cap; the header check above runs first.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
        with img:
            if img.width * img.height > MAX_PIXELS:
                raise _too_large(img.width, img.height)
            img.load()
            img = ImageOps.exif_transpose(img) or img
            has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
            img = img.convert("RGBA" if has_alpha else "RGB")
            if max(img.size) > MAX_EDGE:
                img.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            img.save(out, "PNG", optimize=False)
            return Raster(out.getvalue(), img.width, img.height)
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        reason = "the file is cut short" if "truncated" in str(exc).lower() else "its image data cannot be decoded"
        raise ImageError(f"'{path.name}' is damaged or not a {kind} image ({reason})", expected) from None


def _too_large(width: int, height: int) -> ImageError:
    return ImageError(f"image is too large: {width} × {height} pixels", f"at most {MAX_PIXELS // 1_000_000} million pixels")


def _header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG's IHDR or a JPEG's start-of-frame, before any decoding; None if not found."""
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    i = 2
    while i + 9 < len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


def grayscale(picture: Picture) -> Picture:
    """The picture in greys, transparency kept; an SVG is returned as is (its colours are converted as it is drawn)."""
    if isinstance(picture, Vector):
        return picture
    return _gray_raster(picture)


@lru_cache(maxsize=64)
def _gray_raster(picture: Raster) -> Raster:
    from PIL import Image

    with Image.open(io.BytesIO(picture.data)) as img:
        gray = img.convert("LA" if img.mode == "RGBA" else "L")
        out = io.BytesIO()
        gray.save(out, "PNG", optimize=False)
    return Raster(out.getvalue(), picture.width_px, picture.height_px)


def _load_svg(path: Path) -> Vector:
    root = _parse_svg(path)
    width, height = _svg_box(root)
    return Vector(path, width, height)


def _parse_svg(path: Path):  # -> lxml element
    from lxml import etree

    expected = "a plain SVG file with shapes and paths"
    size = path.stat().st_size
    if size > MAX_SVG_BYTES:
        raise ImageError(f"SVG file is too large ({size:,} bytes)", f"at most {MAX_SVG_BYTES:,} bytes")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise ImageError(f"'{path.name}' is not a valid SVG file ({exc.msg})", expected) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ImageError(f"'{path.name}' declares a DOCTYPE or entities", expected + ", without a DOCTYPE")
    root = tree.getroot()
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        raise ImageError(f"'{path.name}' is not an SVG file (its root element is not <svg>)", expected)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if _HREF.fullmatch(name) and not value.strip().startswith("#"):
                raise ImageError(f"'{path.name}' refers to another file or address ('{value[:60]}')", expected + " that names no other file")
        if etree.QName(element).localname in ("script", "foreignObject"):
            raise ImageError(f"'{path.name}' contains <{etree.QName(element).localname}>", expected)
    return root


def _svg_box(root) -> tuple[float, float]:
    view_box = root.get("viewBox")
    expected = "an SVG with a viewBox such as '0 0 200 200'"
    if view_box:
        try:
            _x, _y, width, height = (float(v) for v in view_box.replace(",", " ").split())
        except ValueError:
            raise ImageError(f"SVG viewBox '{view_box[:40]}' is not four numbers", expected) from None
    else:
        try:
            width = float(re.sub(r"(px|pt)$", "", root.get("width", "")))
            height = float(re.sub(r"(px|pt)$", "", root.get("height", "")))
        except ValueError:
            raise ImageError("SVG has neither a viewBox nor a numeric width and height", expected) from None
    if not (0 < width < 100_000 and 0 < height < 100_000) or not 0.05 < height / width < 20:
        raise ImageError(f"SVG size {width:g} × {height:g} is not usable", expected + " with a positive, sensible size")
    return width, height


def drawing(vector: Vector, width: float, height: float, font: str):  # -> reportlab Drawing
    """A reportlab Drawing of an SVG, scaled to fit width × height points."""
    stat = vector.path.stat()
    rendered = _svg_drawing(vector.path, stat.st_mtime_ns, stat.st_size).copy()  # a new Drawing sharing the unchanged shapes
    scale = min(width / rendered.width, height / rendered.height)
    rendered.scale(scale, scale)
    rendered.width, rendered.height = rendered.width * scale, rendered.height * scale
    rendered.initialFontName = font  # never fall back to an unembedded Helvetica
    return rendered


@lru_cache(maxsize=64)
def _svg_drawing(path: Path, _mtime: int, _size: int):  # -> reportlab Drawing
    """An SVG parsed, checked and converted once per file version and process; callers copy it before scaling."""
    from svglib.svglib import SvgRenderer

    root = _parse_svg(path)
    rendered = SvgRenderer(str(path), external_reference_root=str(path.parent)).render(root)
    if not rendered.width or not rendered.height:
        raise ImageError(f"'{path.name}' has no size", "an SVG with a viewBox")
    return rendered
