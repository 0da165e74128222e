"""Paragraphs for every script: script fonts for what the brand's font lacks, Arabic shaped and set right to left, Chinese
broken between characters but never before closing punctuation, Vietnamese composed so its marks stack.

Right-to-left order is applied when a paragraph is drawn, line by line, to whole words: reportlab breaks lines in
logical order (so a paragraph split across pages carries on with the right words), and harfbuzz has already shaped
each word in its own direction. Each word is given a direction from its letters (Arabic right to left; Latin letters,
and numbers, left to right), words without either take the direction around them, and runs are reversed as the
Unicode bidirectional algorithm's rule L2 does. A word is never reordered inside, so a phone number, a link or an
e-mail address keeps its order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from operator import is_
from types import MethodType
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.abag import ABag
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus.paragraph import ParaLines, cjkU  # type: ignore[attr-defined]  # not in reportlab's stubs

from . import fonts
from .private import keepable, memo
from .linebreaks import CANNOT_END as CANNOT_END, CANNOT_START as CANNOT_START  # the rules chrome and tests break by
from .linebreaks import balanced_breaks, break_levels, line_end
from .writing import Writing, has_arabic, has_rtl, is_arabic, text_width

_FUZZ = 1e-6
_NEUTRAL_LEAD = re.compile(r"[^\w\s]+")  # punctuation at the start of a text, before any letter, digit or space
_NEUTRAL_TAIL = re.compile(r"[^\w\s]+$")
# The markup the engine writes (inline.to_markup, an address's line breaks): a paragraph of this markup alone parses to the
# same frags whenever its text, style and font mappings are the same, so it is parsed once per process.
_ENGINE_MARKUP = re.compile(r'<(?:/?[biu]|br/|/a|a href="[^"<>]*" color="#[0-9a-fA-F]{6}")>')
PARSED_LIMIT = 2048  # paragraphs whose parse is kept, the least recently used dropped first
_parsed: OrderedDict[tuple[Any, ...], "_Parsed"] = OrderedDict()
LINES_LIMIT = 2048  # paragraphs whose lines are kept (for each width they were broken for), the least recently used dropped first
_broken: OrderedDict[tuple[Any, ...], "_Lines"] = OrderedDict()
_UNSET = object()


class Paragraph(_Paragraph):
    """A reportlab paragraph that prints every script the handouts use; its style's `writing` says how."""

    blPara: Any  # the lines reportlab breaks the paragraph into when it is wrapped (not in reportlab's stubs)
    _width_max: float  # what reportlab's breakLines counts (not in its stubs)
    _splitLongWordCount: int
    _hyphenations: int
    _parsed_as: tuple[tuple[Any, ...], list[Any]] | None  # the parse it was made from and the frags it got, while untouched

    def __init__(self, text: str | None, style: ParagraphStyle | None = None, *args: Any, **kwargs: Any):
        if text:
            text = unicodedata.normalize("NFC", text)  # decomposed Vietnamese marks would collide
        super().__init__(text, style, *args, **kwargs)  # type: ignore[arg-type]  # reportlab's own split passes None with frags
        writing: Writing | None = getattr(self.style, "writing", None)
        # On a right-to-left page the bullet stands at the right; reportlab would set it at the left, so it is drawn here.
        self._right_bullet = kwargs.get("bulletText") if writing is not None and writing.rtl else None
        if self._right_bullet:
            self.bulletText = None
        if self._arabic and not self.style.shaping:
            self.style = ParagraphStyle(self.style.name, parent=self.style, shaping=1)

    def _setup(self, text: str | None, style: ParagraphStyle, bulletText: Any, frags: Any, cleaner: Any) -> None:  # noqa: N803 - reportlab's names
        """reportlab's parse of the markup with the script fonts, spacing and glued punctuation the writing asks for; or a
        copy of the frags the same markup, style and font mappings gave before in this process."""
        key = _parse_key(text, style, self.caseSensitive) if frags is None else None
        known = _parsed.get(key) if key is not None else None
        if key is not None and known is not None:
            _parsed.move_to_end(key)
            self.text, self.style, self.bulletText, self.debug = known.text, style, bulletText, 0
            self.frags, self._bidi, self._arabic = known.frags(), known.bidi, known.arabic
            self._parsed_as = (key, self.frags)
            return
        super()._setup(text, style, bulletText, frags, cleaner)  # type: ignore[misc]  # not in reportlab's stubs
        writing: Writing | None = getattr(self.style, "writing", None)
        if writing is not None:
            self.frags = _glued_to_arabic(_with_script_fonts(_spaced_between_scripts(self.frags), writing))
        texts = [frag.text for frag in self.frags if isinstance(getattr(frag, "text", None), str)]
        self._bidi, self._arabic = any(map(has_rtl, texts)), any(map(has_arabic, texts))
        self._parsed_as = None
        if key is not None and self.style is style and self.bulletText is bulletText and keepable(text):  # no <para> or <bullet> of its own; no patient's details
            _parsed[key] = _Parsed(self.text, self.frags, self._bidi, self._arabic)
            self._parsed_as = (key, self.frags)
            if len(_parsed) > PARSED_LIMIT:
                _parsed.popitem(last=False)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        """reportlab's wrap; asked again for the same width with nothing changed since, the lines it broke then."""
        state = self.__dict__
        known = state.get("_wrapped")
        if (known is not None and known[0] == availWidth and known[1] is self.frags and known[2] is state.get("blPara")
                and known[3] is self.style and state.get("width") == availWidth and state.get("height") == known[4][1]):
            return known[4]  # type: ignore[no-any-return]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, self.frags, state["blPara"], self.style, size) if "blPara" in state else None
        return size

    def breakLines(self, width: Any) -> Any:  # noqa: N802 - reportlab's name
        """reportlab's lines of the paragraph; for a paragraph of the same markup, style, bullet and widths broken before in
        this process (its frags untouched since it was parsed), a copy of the lines it got and of the words it cut its frags
        into."""
        parsed = self.__dict__.get("_parsed_as")
        if parsed is None or parsed[1] is not self.frags or not isinstance(self.bulletText, (str, type(None))):
            return super().breakLines(width)
        widths = width if isinstance(width, (list, tuple)) else [width]
        try:
            key = (parsed[0], _style_key(self.style), self.bulletText, tuple(widths), self.encoding, self.__dict__.get("autoLeading", _UNSET))
            known = _broken.get(key)
        except TypeError:  # a style value that cannot be compared
            return super().breakLines(width)
        if known is None:
            made = super().breakLines(width)
            if type(made.lines) is list and (made.kind == 1 or all(type(line) is tuple and type(line[1]) is list for line in made.lines)):
                _broken[key] = _Lines(made, self.frags if made.kind == 1 else None, self._width_max, self._splitLongWordCount, self._hyphenations)
                if len(_broken) > LINES_LIMIT:
                    _broken.popitem(last=False)
            return made
        from reportlab.platypus.paragraph import _handleBulletWidth  # type: ignore[attr-defined]  # not in reportlab's stubs

        _broken.move_to_end(key)
        _handleBulletWidth(self.bulletText, self.style, widths)  # the change reportlab makes to a list of widths it is given
        self.height = 0
        self._width_max, self._splitLongWordCount, self._hyphenations = known.counts
        made, words = known.made()
        if words is not None:
            self.frags = words  # reportlab's breakLines leaves the frags cut into words, which a split takes its parts from
        return made

    def beginText(self, x: float, y: float) -> PDFTextObject:  # noqa: N802 - reportlab's name
        """The canvas's text object (a grayscale canvas gives its own), made to survive a line that starts with a raised
        glyph (a reportlab 5.1 slip in setRise)."""
        text = self.canv.beginText(x, y)
        text.setRise = MethodType(_set_rise, text)  # type: ignore[method-assign]
        return text

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802,N803 - reportlab's names
        """Lines broken between characters, where the rules of Chinese line breaking allow."""
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara
        from reportlab.platypus.paragraph import _handleBulletWidth  # type: ignore[attr-defined]  # not in reportlab's stubs

        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        if not self.frags:
            style = self.style
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName, textColor=style.textColor, lines=[],
                             ascent=style.fontSize, descent=-0.2 * style.fontSize)
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return _cjk_lines(self.frags, maxWidths, auto not in ("", "off"), bool(getattr(self.style, "balanced", False)))

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N802,N803 - reportlab's names
        """The parts of a split paragraph; the first keeps a right-hand bullet."""
        self._wrapped = None
        parts = super().split(availWidth, availHeight)
        if parts and self._right_bullet:
            parts[0]._right_bullet = self._right_bullet  # type: ignore[attr-defined]  # the first part is one of these paragraphs
        return parts

    def drawPara(self, debug: int = 0) -> Any:  # noqa: N802 - reportlab's name
        """Draw the paragraph with each line's words in visual order when it holds right-to-left text."""
        self._wrapped = None  # a wrap after drawing breaks the lines afresh
        if self._right_bullet and self.blPara.lines:
            self._draw_right_bullet()
        if not self._bidi or self.blPara.kind != 1:
            return super().drawPara(debug)
        base = 1 if self.style.alignment == TA_RIGHT or getattr(getattr(self.style, "writing", None), "rtl", False) else 0
        lines = self.blPara.lines
        logical = [line.words for line in lines]
        try:
            for line in lines:
                line.words = visual_order(line.words, base)
            return super().drawPara(debug)
        finally:
            for line, words in zip(lines, logical):
                line.words = words


    def _draw_right_bullet(self) -> None:
        """The bullet (or step number) at the right of the first line, bulletIndent in from the right edge."""
        style, first = self.style, self.blPara.lines[0]
        ascent = getattr(first, "ascent", None) if self.blPara.kind == 1 else getattr(self.blPara, "ascent", None)
        y = self.height - (ascent if ascent is not None else style.fontSize)
        self.canv.saveState()
        self.canv.setFont(style.bulletFontName, style.bulletFontSize)
        self.canv.setFillColor(getattr(style, "bulletColor", style.textColor))
        self.canv.drawRightString(self.width - style.bulletIndent, y, str(self._right_bullet))
        self.canv.restoreState()


def _parse_key(text: str | None, style: ParagraphStyle, case_sensitive: int) -> tuple[Any, ...] | None:
    """What reportlab's parse of a paragraph depends on (its text, every value of its style, the faces its font's family
    maps bold and italic to), or None for markup other than the engine's own, which is parsed each time."""
    from reportlab.lib.fonts import ps2tt, tt2ps

    if not isinstance(text, str) or ("<" in text and "<" in _ENGINE_MARKUP.sub("", text)):
        return None
    try:
        family = ps2tt(style.fontName)
        faces = tuple(tt2ps(family[0], bold, italic) for bold in (0, 1) for italic in (0, 1))
        key = (text, case_sensitive, family, faces, _style_key(style))
        hash(key)
    except (KeyError, TypeError, ValueError):  # a style value that cannot be compared, or a font without a family mapping
        return None
    return key


_style_keys: WeakKeyDictionary[ParagraphStyle, tuple[dict[str, Any], "_StyleKey"]] = WeakKeyDictionary()


def _style_key(style: ParagraphStyle) -> "_StyleKey":
    """Every value of a style (and its type) but its parent, whose values it holds already; worked out again whenever
    any attribute of the style is not the very object it was."""
    values = vars(style)
    known = _style_keys.get(style)
    if known is not None and known[0].keys() == values.keys() and all(map(is_, known[0].values(), values.values())):
        return known[1]
    own = dict(values)
    del own["parent"]
    key = _StyleKey(tuple(own.items()), tuple(map(type, own.values())))
    _style_keys[style] = (dict(values), key)
    return key


class _StyleKey(tuple):  # type: ignore[type-arg]  # a style's values and their types
    """A style's values and their types, hashed once."""

    _hash: int

    def __new__(cls, *parts: tuple[Any, ...]) -> "_StyleKey":
        made = super().__new__(cls, parts)
        made._hash = hash(parts)
        return made

    def __hash__(self) -> int:
        return self._hash


class _Parsed:
    """The frags of a parsed paragraph, kept as templates: each paragraph gets copies of its own."""

    def __init__(self, text: str, frags: list[Any], bidi: bool, arabic: bool):
        self.text, self.bidi, self.arabic = text, bidi, arabic
        self._templates = []
        for frag in frags:  # copied now too: the paragraph that was parsed keeps and may change its own
            lists = [name for name, value in vars(frag).items() if type(value) is list]
            self._templates.append((frag.__class__, {name: value[:] if name in lists else value for name, value in vars(frag).items()}, lists))

    def frags(self) -> list[Any]:
        """Frags of their own: each frag and each list it holds copied, so that no paragraph changes another's."""
        return [_copied(cls, state, lists) for cls, state, lists in self._templates]


class _Lines:
    """The lines reportlab broke a paragraph into, what it counted on the way and (with more than one frag) the words it
    cut the frags into, kept as a template: each paragraph gets a copy of its own."""

    def __init__(self, made: Any, words: list[Any] | None, width_max: float, split_words: int, hyphenations: int):
        self.counts = (width_max, split_words, hyphenations)
        if words is None:  # one frag (kind 0): each line its spare width and its words, which are strings
            self._lines = [(spare, list(words)) for spare, words in made.lines]
            self._state = {name: value[:] if type(value) is list else value for name, value in vars(made).items() if name != "lines"}
            self._lists = [name for name, value in self._state.items() if type(value) is list]
            self._cls = made.__class__
            self._graph = None
        else:
            self._graph = _graph_copy((made, words), {})

    def made(self) -> tuple[Any, list[Any] | None]:
        """A copy of the lines, with lists of its own, and of the words for a paragraph of more than one frag."""
        if self._graph is not None:
            made, words = _graph_copy(self._graph, {})
            return made, words
        made = _copied(self._cls, self._state, self._lists)
        made.lines = [(spare, words[:]) for spare, words in self._lines]
        return made, None


def _copied(cls: Any, state: dict[str, Any], lists: list[str]) -> Any:
    """A new object of cls with a copy of state, each of the lists it names copied too."""
    made = cls.__new__(cls)
    made.__dict__ = own = state.copy()
    for name in lists:
        own[name] = own[name][:]
    return made


def _graph_copy(value: Any, seen: dict[int, Any]) -> Any:
    """A copy of lines, frags and the words made of them: every frag, line, list and tuple copied once (an object found
    twice is copied to one copy found twice); strings, numbers, colours and other values kept."""
    made = seen.get(id(value))
    if made is not None:
        return made
    if isinstance(value, ABag):
        made = seen[id(value)] = value.__class__.__new__(value.__class__)
        made.__dict__ = state = dict(vars(value))
        for name, item in state.items():
            if isinstance(item, _COPIED):
                state[name] = _graph_copy(item, seen)
    elif isinstance(value, list):
        made = seen[id(value)] = value.__class__.__new__(value.__class__)
        made.extend([_graph_copy(item, seen) if isinstance(item, _COPIED) else item for item in value])
        if hasattr(value, "__dict__"):  # a word of reportlab's (list subclasses with a measure or two of their own)
            made.__dict__.update(vars(value))
    else:  # a tuple
        made = seen[id(value)] = tuple(_graph_copy(item, seen) if isinstance(item, _COPIED) else item for item in value)
    return made


_COPIED = (ABag, list, tuple)


def _set_rise(text: PDFTextObject, rise: float) -> None:
    code: list[str] = text._code  # type: ignore[attr-defined]  # the text object's operators, not in reportlab's stubs
    if not code:
        code.append("")
    type(text).setRise(text, rise)


def _with_script_fonts(frags: list[Any], writing: Writing) -> list[Any]:
    """The frags with every run the brand's face lacks set in the script font that has it."""
    out = []
    for frag in frags:
        text = getattr(frag, "text", None)
        if not isinstance(text, str) or not text or hasattr(frag, "cbDefn"):
            out.append(frag)
            continue
        runs = writing.face_for(text, frag.fontName)
        if len(runs) == 1 and runs[0][0] is None:
            out.append(frag)
            continue
        out += [frag.clone(text=piece, fontName=font or frag.fontName) for font, piece in runs]
    return out


def _spaced_between_scripts(frags: list[Any]) -> list[Any]:
    """The frags with each no-break space between Arabic and other text ('الهاتف\u00a0(555)') made a plain space: harfbuzz
    would shape the two as one right-to-left word, in one font, and print the number backwards."""
    texts = [frag.text if isinstance(getattr(frag, "text", None), str) else "" for frag in frags]
    if not any("\u00a0" in text for text in texts) or not has_arabic("".join(texts)):
        return frags
    flat = [(i, j, char) for i, text in enumerate(texts) for j, char in enumerate(text)]
    changed: dict[int, list[str]] = {}
    for k, (i, j, char) in enumerate(flat):
        if char != "\u00a0":
            continue
        before = flat[k - 1][2] if k else ""
        after = flat[k + 1][2] if k + 1 < len(flat) else ""
        if bool(before) and bool(after) and is_arabic(before) != is_arabic(after):
            changed.setdefault(i, list(texts[i]))[j] = " "
    return [frag.clone(text="".join(changed[i])) if i in changed else frag for i, frag in enumerate(frags)]


def _glued_to_arabic(frags: list[Any]) -> list[Any]:
    """The frags with punctuation written against an Arabic word in another frag ('**word**.', '(**word**') set in that
    word's font: harfbuzz shapes a word with the font of its first letter, and a piece in another font would be drawn
    with the wrong glyph."""
    out = list(frags)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        text_a, text_b = getattr(a, "text", None), getattr(b, "text", None)
        if not isinstance(text_a, str) or not isinstance(text_b, str) or not text_a or not text_b or a.fontName == b.fontName:
            continue
        if is_arabic(text_a[-1]):
            lead = _NEUTRAL_LEAD.match(text_b)
            if lead and fonts._charset(a.fontName).issuperset(map(ord, lead.group())):
                out[i + 1:i + 2] = [b.clone(text=lead.group(), fontName=a.fontName)] + (
                    [b.clone(text=text_b[lead.end():])] if lead.end() < len(text_b) else [])
        elif is_arabic(text_b[0]):
            tail = _NEUTRAL_TAIL.search(text_a)
            if tail and fonts._charset(b.fontName).issuperset(map(ord, tail.group())):
                out[i:i + 1] = ([a.clone(text=text_a[:tail.start()])] if tail.start() else []) + [a.clone(text=tail.group(), fontName=b.fontName)]
    return out


def needs_writing(text: str, font: str) -> bool:
    """True when a line of text needs more than the canvas's plain drawString: a character the font lacks, or right to left."""
    return not fonts._charset(font).issuperset(map(ord, text)) or has_rtl(text)


def draw_line(canvas: Any, x: float, y: float, text: str, writing: Writing, font: str, size: float, align: str = "left") -> None:
    """One line of a layout's chrome (band, header, footer) with the script fonts, shaping and right-to-left order that
    paragraphs have; x is the line's left edge, right edge or centre as align says, y its baseline; in the canvas's colour."""
    color = canvas._fillColorObj
    paragraph, width = _line(text, writing, font, size, color)
    left = {"left": x, "right": x - width, "centre": x - width / 2}[align] - (size if writing.rtl else 0)
    paragraph.drawOn(canvas, left, y - paragraph.height + size)


@memo(256, typed=True)  # typed: a size of 9 and of 9.0, or two kinds of colour with equal values, are kept apart
def _line(text: str, writing: Writing, font: str, size: float, color: Any) -> tuple[Paragraph, float]:
    """The paragraph of one line of chrome, broken once per process (a header or footer repeats on every page), and the
    line's width."""
    from html import escape

    style = ParagraphStyle("line", fontName=font, fontSize=size, leading=size * 1.2, textColor=color, writing=writing,
                           alignment=TA_RIGHT if writing.rtl else 0)
    width = text_width(text, font, size)
    paragraph = Paragraph(escape(text, quote=False), style)
    paragraph.wrap(width + size, 10 * size)  # room for the line and a little more, so it never wraps
    return paragraph, width


# --- right to left ------------------------------------------------------------------------------------------------

def _direction(text: str) -> str:
    """A word's class: R (right-to-left letters), L (left-to-right letters), EN (digits) or N (neither)."""
    classes = {unicodedata.bidirectional(char) for char in text}
    if classes & {"R", "AL"}:
        return "R"
    if "L" in classes:
        return "L"
    return "EN" if classes & {"EN", "AN"} else "N"


def levels(classes: list[str], base: int) -> list[int]:
    """Embedding levels of words (rules W2, W7, N1, N2, I1 and I2 of the bidirectional algorithm, one word at a time)."""
    own = "R" if base else "L"
    resolved = list(classes)
    last = own
    for i, cls in enumerate(classes):
        if cls in ("L", "R"):
            last = cls
        elif cls == "EN" and last == "L":
            resolved[i] = "L"  # W7: digits after left-to-right text are left to right
    strong = ["R" if c == "EN" else c for c in resolved]  # digits count as right to left for the words around them (N1)
    i = 0
    while i < len(strong):
        if strong[i] != "N":
            i += 1
            continue
        j = i
        while j < len(strong) and strong[j] == "N":
            j += 1
        before = strong[i - 1] if i else own
        after = strong[j] if j < len(strong) else own
        for k in range(i, j):
            resolved[k] = before if before == after else own
        i = j
    out = []
    for cls in resolved:
        if base % 2 == 0:
            out.append(base + (1 if cls == "R" else 2 if cls == "EN" else 0))
        else:
            out.append(base + (0 if cls == "R" else 1))
    return out


def reorder(items: list[Any], item_levels: list[int]) -> list[Any]:
    """Items in visual order: from the highest level down to the lowest odd one, reverse each run at that level or above (L2)."""
    items = list(items)
    item_levels = list(item_levels)
    if not items:
        return items
    lowest_odd = min((lv for lv in item_levels if lv % 2), default=None)
    if lowest_odd is None:
        return items
    for level in range(max(item_levels), lowest_odd - 1, -1):
        i = 0
        while i < len(items):
            if item_levels[i] < level:
                i += 1
                continue
            j = i
            while j < len(items) and item_levels[j] >= level:
                j += 1
            items[i:j] = items[i:j][::-1]
            item_levels[i:j] = item_levels[i:j][::-1]
            i = j
    return items


def _units(words: list[Any]) -> list[list[tuple[Any, str]]]:
    """A line's frags cut into words: each a list of (frag, piece of its text), split at spaces."""
    units: list[list[tuple[Any, str]]] = []
    current: list[tuple[Any, str]] = []
    for frag in words:
        text = getattr(frag, "text", "")
        if not text:
            current.append((frag, text))
            continue
        start = 0
        for i, char in enumerate(text):
            if char == " ":
                if i > start:
                    current.append((frag, text[start:i]))
                if current:
                    units.append(current)
                    current = []
                start = i + 1
        if start < len(text):
            current.append((frag, text[start:]))
    if current:
        units.append(current)
    return units


def visual_order(words: list[Any], base: int) -> list[Any]:
    """A line's frags rebuilt with its words in visual order, a space between words, pieces of one frag joined again."""
    units = _units(words)
    classes = [_direction("".join(piece for _, piece in unit)) for unit in units]
    ordered = reorder(units, levels(classes, base))
    out: list[Any] = []
    sources: list[Any] = []
    for n, unit in enumerate(ordered):
        for k, (frag, piece) in enumerate(unit):
            if k == len(unit) - 1 and n < len(ordered) - 1:
                piece = piece + " "
            if sources and sources[-1] is frag:
                out[-1] = out[-1].clone(text=out[-1].text + piece)
            else:
                out.append(frag.clone(text=piece))
                sources.append(frag)
    return out


# --- Chinese line breaking ----------------------------------------------------------------------------------------

def _cjk_lines(frags: list[Any], max_widths: list[float], calc_bounds: bool, balance: bool = False) -> ParaLines:
    """Lines of a paragraph that breaks between characters, where linebreaks allows: a character that cannot start a
    line takes the one before it along to the next line (and an opening bracket never ends one), so punctuation never
    hangs in the margin; a word of Latin letters, a date, a number with its unit or a <nobr> run breaks inside only
    when it is wider than the line. Balanced (a title), the same number of lines is made as even as the breaks allow."""
    chars = []
    for frag in frags:
        text = frag.text if isinstance(getattr(frag, "text", None), str) else ""
        chars += [cjkU(char, frag, "utf8") for char in text] if text else [cjkU(text, frag, "utf8")]
    widths = [char.width for char in chars]
    breaks = [hasattr(char.frag, "lineBreak") for char in chars]
    text = "".join(char or "\ufffc" for char in chars)  # an empty frag (a picture, a line break) holds its place
    levels = break_levels(text, [bool(getattr(char.frag, "nobr", False)) for char in chars])
    spans: list[tuple[int, int, bool]] = []  # each line's first character, the character after it, and whether a <br/> ends it
    start = 0
    while start < len(chars):
        width = max_widths[min(len(spans), len(max_widths) - 1)]
        used = 0.0
        end = start
        line_break = False
        while end < len(chars):
            if breaks[end]:
                line_break = True
                end += 1
                break
            if used + widths[end] > width + _FUZZ and end > start:
                break
            used += widths[end]
            end += 1
        if not line_break and end < len(chars):
            end = line_end(levels, start, end)
        spans.append((start, end, line_break))
        start = _next_start(chars, end)
    if balance and len(spans) > 1 and not any(breaks) and len(set(max_widths[:len(spans)])) == 1:
        found = balanced_breaks(text, widths, levels, max_widths[0], len(spans))
        if found is not None:
            starts = [0] + [_next_start(chars, at) for at in found]
            spans = [(first, stop, False) for first, stop in zip(starts, found + [len(chars)])]
    lines = []
    for n, (start, end, line_break) in enumerate(spans):
        width = max_widths[min(n, len(max_widths) - 1)]
        stop = end
        while stop > start and chars[stop - 1] == " " and not line_break:
            stop -= 1
        used = sum(widths[start:stop])
        lines.append(_cjk_line(chars[start:stop], width, used, width - used, line_break, calc_bounds))
    return ParaLines(kind=1, lines=lines)


def _next_start(chars: list[Any], end: int) -> int:
    """The first character of the line after one that ends before end: the spaces at the break are dropped."""
    while end < len(chars) and chars[end] == " ":
        end += 1
    return end


def _cjk_line(chars: list[Any], max_width: float, used: float, extra: float, line_break: bool, calc_bounds: bool) -> Any:
    """The line reportlab's makeCJKParaLine makes of these characters (runs of characters alike joined into one frag, the
    line's largest size, ascent and descent), each frag compared and measured once for a run of its characters rather
    than once for each character."""
    from reportlab.lib.rl_accel import sameFrag
    from reportlab.pdfbase.pdfmetrics import getAscentDescent
    from reportlab.platypus.paragraph import FragLine, imgNormV, imgVRange  # type: ignore[attr-defined]  # not in reportlab's stubs

    words: list[Any] = []
    size = ascent = descent = 0  # as reportlab starts
    group = FragLine()  # what reportlab starts from: no frag is like it, and its empty word is left out below
    plain = False  # whether group has neither a picture nor a line break, so that each frag is like itself
    run: list[str] = []
    measured = None
    for char in chars:
        frag = char.frag
        if frag is not measured:
            measured = frag
            box: Any = getattr(frag, "cbDefn", None)
            if calc_bounds and getattr(box, "width", False):
                low, high = imgVRange(imgNormV(box.height, frag.fontSize), box.valign, frag.fontSize)
            else:
                high, low = getAscentDescent(frag.fontName, frag.fontSize)
            size, ascent, descent = max(size, frag.fontSize), max(ascent, high), min(descent, low)
        if not (frag is group and plain) and not sameFrag(group, frag):
            word = group.clone()
            word.text = "".join(run)
            words.append(word)
            run = []
            group = frag
            plain = "cbDefn" not in frag.__dict__ and "lineBreak" not in frag.__dict__
        run.append(char)
    if run:
        word = group.clone()
        word.text = "".join(run)
        words.append(word)
    return FragLine(kind=1, extraSpace=extra, wordCount=1, words=words[1:], fontSize=size, ascent=ascent, descent=descent,
                    maxWidth=max_width, currentWidth=used, lineBreak=line_break)
