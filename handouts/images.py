"""Logos and pictures: PNG and JPEG through Pillow, SVG kept as vectors through svglib.

Every file is checked before it reaches reportlab: its bytes must match its
name, raster images are capped in pixels, turned upright (EXIF) and made RGB
(16-bit greys scaled, not clipped), and SVGs are parsed without entities, DTDs or
references to other files, their sizes and numbers checked, their <use>
elements expanded within a budget, and converted once when loaded, so a file
svglib cannot draw is reported where it is named.

Text in an SVG is drawn in the brand's own fonts (regular, bold, italic), which
are embedded like all text of the sheet; a character those fonts lack is an
error of the sheet, as for any text (pdf.py checks Vector.texts).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

from .compiled import dataclass
from .errors import InputError
from .files import version

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

MAX_PIXELS = 25_000_000
MAX_EDGE = 2400  # px; a logo or picture never prints wider than 8 in at 300 dpi
MAX_SVG_BYTES = 2_000_000
MAX_RASTER_BYTES = 20_000_000
MAX_SVG_ELEMENTS = 5_000  # once every <use> is expanded: a logo has hundreds; svglib takes about a second per 5,000
_SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}
_HREF = re.compile(r"\{http://www\.w3\.org/1999/xlink\}href|href")
_EXTERNAL = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import", re.IGNORECASE)  # url(file:…), url(https:…), CSS imports
_NOT_A_NUMBER = re.compile(r"(?<![\w-])(?:inf(?:inity)?|nan)(?![\w-])", re.IGNORECASE)  # Python's float() reads these
_NAMES = frozenset({"id", "class", "viewBox"})  # not numbers, or (viewBox) checked by _svg_box
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*")
_TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath"})
SVG_TEXT_FONT = "Helvetica"  # text is measured in it while a file is checked; sheets draw it in the brand's fonts


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
    """A checked SVG, converted to a reportlab Drawing on demand; texts: what its <text> elements print."""

    path: Path
    width: float
    height: float
    texts: tuple[str, ...] = ()

    @property
    def aspect(self) -> float:
        """Height divided by width."""
        return self.height / self.width


Picture = Union[Raster, Vector]


def load(path: Path) -> Picture:
    """Load and check a picture (cached per file version)."""
    return _load(path, version(path))


@lru_cache(maxsize=64)
def _load(path: Path, _version: tuple[int, ...]) -> Picture:
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
            img: Image.Image = Image.open(io.BytesIO(data))
        with img:
            if img.width * img.height > MAX_PIXELS:
                raise _too_large(img.width, img.height)
            img.load()
            img = ImageOps.exif_transpose(img) or img
            if img.mode.startswith("I"):  # 16-bit greys ("I;16"): scaled to 8 bits, where convert() would clip them to white
                img = img.convert("I").point(lambda value: value / 256).convert("L")
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
    now = version(path)  # before the parse: a file written during it has another version, and is read again
    root = _parse_svg(path)
    width, height = _svg_box(root)
    texts = tuple(" ".join("".join(element.itertext()).split()) for element in root.iter("{*}text"))
    _TEXT_FREE[(path, now)] = next(root.iter("{*}text"), None) is None
    _svg_drawing(path, now, SVG_TEXT_FONT)  # anything svglib cannot draw is found now
    return Vector(path, width, height, tuple(text for text in texts if text))


def _parse_svg(path: Path) -> Any:  # an lxml element
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
        local = etree.QName(element).localname
        for name, value in element.attrib.items():
            if _HREF.fullmatch(name) and not value.strip().startswith("#"):
                raise ImageError(f"'{path.name}' refers to another file or address ('{value[:60]}')", expected + " that names no other file")
            if _EXTERNAL.search(value):
                raise ImageError(f"'{path.name}' refers to another file or address ('{value[:60]}')",
                                 expected + " that names no other file (url(#id) only)")
            if etree.QName(name).localname not in _NAMES and not _HREF.fullmatch(name) and _NOT_A_NUMBER.search(value):
                raise ImageError(f"'{path.name}' has {etree.QName(name).localname}=\"{value[:40]}\", which is not a number",
                                 expected + " whose sizes and positions are finite numbers")
        if local in ("script", "foreignObject", "textPath"):
            raise ImageError(f"'{path.name}' contains <{local}>", expected + ("" if local != "textPath" else "; text on a path is not drawn"))
        if local == "style" and (_EXTERNAL.search(element.text or "") or _NOT_A_NUMBER.search(element.text or "")):
            raise ImageError(f"'{path.name}' has a <style> that refers to another file or address", expected + " that names no other file")
        if local == "svg":
            _check_lengths(element, path.name)
    _check_expansion(root, path.name)
    return root


def _check_lengths(svg: Any, name: str) -> None:
    """An <svg>'s width and height, when given, must be positive lengths (svglib turns 0 into a drawing of no size)."""
    for attribute in ("width", "height"):
        value = svg.get(attribute)
        if value is None:
            continue
        match = _LENGTH.fullmatch(value)
        if not match or not 0 < float(match.group(1)) < 100_000:
            raise ImageError(f"'{name}' has {attribute} '{value[:40]}', which is not a size",
                             f"a positive {attribute} such as 200 or 200px, or none beside a viewBox")


def _check_expansion(root: Any, name: str) -> None:
    """Count the elements the SVG has once every <use> is expanded (each shared part as often as it is used); refuse a
    <use> that contains itself, and more than MAX_SVG_ELEMENTS, before svglib spends minutes expanding them."""
    elements = [e for e in root.iter() if isinstance(e.tag, str)]  # held, so lxml hands out the same objects below
    by_id = {e.get("id"): e for e in elements if e.get("id")}

    def parts(element: Any) -> list[Any]:
        found = [child for child in element if isinstance(child.tag, str)]
        if element.tag.endswith("}use") or element.tag == "use":
            target = next((v for k, v in element.attrib.items() if _HREF.fullmatch(k)), "").strip()
            if target.startswith("#") and target[1:] in by_id:
                found.append(by_id[target[1:]])
        return found

    sizes: dict[object, int] = {}
    open_: set[int] = set()
    stack = [(root, False)]
    while stack:
        element, expanded = stack.pop()
        if expanded:
            open_.discard(id(element))
            sizes[element] = 1 + sum(sizes[part] for part in parts(element))
            if sizes[element] > MAX_SVG_ELEMENTS:
                raise ImageError(f"'{name}' has more than {MAX_SVG_ELEMENTS:,} elements (each <use> counted as what it repeats)",
                                 f"a plain SVG file with shapes and paths; at most {MAX_SVG_ELEMENTS:,} elements, e.g. simplified in an editor")
            continue
        if element in sizes:
            continue
        open_.add(id(element))
        stack.append((element, True))
        for part in parts(element):
            if id(part) in open_:
                raise ImageError(f"'{name}' has a <use> element that contains itself", "a plain SVG file with shapes and paths")
            if part not in sizes:
                stack.append((part, False))


def _svg_box(root: Any) -> tuple[float, float]:
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


def drawing(vector: Vector, width: float, height: float, font: str) -> Drawing:
    """A reportlab Drawing of an SVG, scaled to fit width × height points, its text in the family of the registered font
    `font` (its regular face; bold and italic text in the family's bold and italic)."""
    key = (vector.path, version(vector.path))
    if key not in _TEXT_FREE:
        _TEXT_FREE[key] = next(_parse_svg(vector.path).iter("{*}text"), None) is None
    # An SVG without text draws the same in any font: the drawing made when the file was checked serves.
    converted = _svg_drawing(*key, SVG_TEXT_FONT if _TEXT_FREE[key] else font)
    rendered = converted.copy()  # a new Drawing sharing the shapes
    scale = min(width / rendered.width, height / rendered.height)
    rendered.scale(scale, scale)
    rendered.width, rendered.height = rendered.width * scale, rendered.height * scale
    rendered.initialFontName = font  # type: ignore[attr-defined]  # (missing from the stubs) never fall back to an unembedded Helvetica
    return rendered


class _OneFamily:
    """svglib's font lookup, answered with one family's faces only: never a system font, never one left unembedded."""

    def __init__(self, regular: str):
        self.regular = regular

    def find_font(self, _name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
        """The family's face for an SVG weight and style (the SVG's font-family is not used)."""
        from reportlab.lib.fonts import tt2ps

        bold: Literal[0, 1] = 1 if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600) else 0
        italic: Literal[0, 1] = 1 if style in ("italic", "oblique") else 0
        try:
            return tt2ps(self.regular, bold, italic), True
        except ValueError:  # a font without a mapped family (the checking font): itself
            return self.regular, True


_TEXT_FREE: dict[tuple[Path, tuple[int, ...]], bool] = {}  # (SVG file, its version) → whether it has no <text> element


@lru_cache(maxsize=64)
def _svg_drawing(path: Path, _version: tuple[int, ...], font: str) -> Drawing:
    """An SVG parsed, checked and converted once per file version, font and process; callers copy it before scaling."""
    from svglib.svglib import SvgRenderer

    root = _parse_svg(path)
    try:
        rendered = SvgRenderer(str(path), external_reference_root=str(path.parent), font_map=_OneFamily(font)).render(root)
    except (ValueError, TypeError, ArithmeticError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        raise ImageError(f"'{path.name}' cannot be drawn ({type(exc).__name__} in the SVG converter)",
                         "a plain SVG file with shapes and paths") from None
    if not rendered.width or not rendered.height:
        raise ImageError(f"'{path.name}' has no size", "an SVG with a viewBox")
    return rendered
