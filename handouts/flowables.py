"""Block renderers: each turns one block into a list of reportlab flowables."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import field, replace
from typing import Any, Callable, TypeVar

from reportlab.graphics.shapes import Drawing, Line, Polygon
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.doctemplate import NullActionFlowable
from reportlab.platypus import CondPageBreak, Flowable, Image as RLImage, KeepTogether, Spacer, Table, TableStyle

from .compiled import dataclass
from . import blocks as b
from . import images, inline, links, placeholders
from .addresses import Address
from .linebreaks import kept_whole
from .links import qr_modules
from .brand import Brand
from .errors import InputError
from .i18n import Strings
from .marking import TABLE, tag, tag_artifact, tag_field, tag_item
from .paragraphs import Paragraph
from .writing import Writing, text_width
from .patient import Patient
from .structure import UNCHECKED_BOX, Node
from .styles import DONT_COLOR, STYLE_NAMES, Theme

RESOLVED_AT_LOAD = ("include",)
FL = TypeVar("FL", bound=Flowable)


class RenderError(InputError):
    """Content that validated on its own but cannot be printed with this brand's values."""

    def __init__(self, path: str, line: int, message: str, expected: str | None = None):
        super().__init__(message, expected)
        self.path, self.line = path, line


@dataclass
class RenderContext:
    """What every renderer needs: the brand, settings, words, styles and frame width."""

    brand: Brand
    settings: dict[str, str]
    strings: Strings
    theme: Theme
    styles: dict[str, ParagraphStyle]
    width: float
    patient: Patient | None = None
    source: str = ""
    fillable: bool = False
    node: Node = field(default_factory=lambda: Node("Document"))  # the structure element the blocks' elements go into
    section_level: int = 1  # the level of the heading the blocks stand under (the sheet's title is 1)

    def lookup(self, space: str, key: str) -> str:
        """The value of one placeholder."""
        if space == "settings":
            return self.settings[key]
        if space == "brand":
            return self.brand.value(key)
        value = getattr(self.patient, key, None) if self.patient else None
        if isinstance(value, dt.date):
            return self.strings.long_date(value, self.brand.date_format)
        return value or "________________"

    def fill(self, text: str, line: int) -> str:
        """Text with placeholders filled."""
        try:
            return placeholders.expand(text, self.lookup)
        except placeholders.PlaceholderError as exc:
            raise RenderError(self.source, line, exc.message, exc.expected) from None

    def spans(self, rich: b.Rich) -> list[inline.Span]:
        """Validated text's spans with placeholders filled; a link must have words a screen reader can say."""
        try:
            spans = inline.fill(list(rich.spans), lambda t: self.fill(t, rich.line))
        except inline.InlineError as exc:
            raise RenderError(self.source, rich.line, exc.message, exc.expected) from None
        for span in spans:
            if span.href and not span.text.strip():
                raise RenderError(self.source, rich.line, f"the link to '{span.href[:60]}' has no text once its placeholders are filled",
                                  "words that say where the link goes, e.g. [Book online](https://example.com/book)")
        return spans

    def markup(self, rich: b.Rich) -> str:
        """Escaped paragraph markup for validated text; in a language that breaks between characters, the patient's name
        and provider kept whole on a line where they fit."""
        made = inline.to_markup(self.spans(rich), self.theme.primary.hexval().replace("0x", "#"))
        if self.patient is None or not (isinstance(self.theme.family, Writing) and self.theme.family.breaks_between_characters):
            return made
        return kept_whole(made, [inline.escape(value) for value in (self.patient.name, self.patient.provider) if value])

    def tag(self, flowable: FL, role: str, **attributes: str | None) -> FL:
        """The flowable, marked as a new structure element of this role at the end of the current one."""
        return tag(flowable, self.node.add(role, **attributes))

    def within(self, node: Node) -> "RenderContext":
        """This context, with the blocks' structure elements going into node."""
        return replace(self, node=node)

    @property
    def box_heading(self) -> str:
        """The heading type of a box's own title (a callout's, a contact box's, a question): one level below the heading
        the box stands under."""
        return f"H{min(self.section_level + 1, 6)}"

    def para(self, rich: b.Rich, style: str, **kw: Any) -> Paragraph:
        """A paragraph of validated text in a named style."""
        return Paragraph(self.markup(rich), self.styles[style], **kw)

    def plain(self, text: str, style: str, bold: bool = False) -> Paragraph:
        """A paragraph of layout words (escaped; no markup from content)."""
        return Paragraph(inline.to_markup([inline.Span(text, bold=bold)], "#000000"), self.styles[style])

    def days(self, text: str, line: int) -> tuple[int, int]:
        """A day range after placeholders are filled."""
        filled = self.fill(text, line)
        parsed = b.parse_days(filled)
        if parsed is None:
            raise RenderError(self.source, line, f"'{filled}' is not a day or a range of days", "settings that give whole numbers, e.g. \"1-2\"")
        return parsed

    def date(self, offset: int) -> str:
        """The treatment date plus offset days, written short in this language."""
        assert self.patient and self.patient.date
        return self.strings.short_date(self.patient.date + dt.timedelta(days=offset), self.brand.date_format)


Renderer = Callable[[b.Block, RenderContext], list[Flowable]]
RENDERERS: dict[type[b.Block], Renderer] = {}
R = TypeVar("R", bound=Callable[..., list[Flowable]])  # a renderer of one block class


def renders(cls: type[b.Block]) -> Callable[[R], R]:
    """Register the renderer of one block class."""
    def register(fn: R) -> R:
        RENDERERS[cls] = fn
        return fn
    return register


def render_blocks(items: list[tuple[str, b.Block]], ctx: RenderContext, keep_whole: bool = False,
                  group: Callable[[list[Flowable]], Flowable] | None = None) -> list[Flowable]:
    """Flowables for an ordered list of (source file, block); with keep_whole, each block moves on whole when it fits;
    with group, each block (a heading together with the block after it) is made into one flowable by group."""
    blocks = render_block_groups(items, ctx, keep_whole)
    if group is not None:
        return [group(flowables) for flowables in blocks]
    return [flowable for flowables in blocks for flowable in flowables]


def render_block_groups(items: list[tuple[str, b.Block]], ctx: RenderContext, keep_whole: bool = False) -> list[list[Flowable]]:
    """The flowables of each block of an ordered list of (source file, block), a heading's together with the block after
    it's; with keep_whole, each block moves on whole when it fits."""
    blocks: list[list[Flowable]] = []
    for source, block in items:
        ctx.source = source
        flowables = RENDERERS[type(block)](block, ctx)
        if keep_whole and len(flowables) > 1:
            # reportlab measures a KeepTogether inside another as endless, so open the inner ones up.
            flowables = [Keep(opened(flowables))]
        if blocks and blocks[-1] and blocks[-1][-1].getKeepWithNext():  # type: ignore[no-untyped-call]
            previous = blocks.pop()
            flowables = previous[:-1] + _keep_with(previous[-1], flowables, ctx)
        blocks.append(flowables)
    _reserve_under_headings([flowable for flowables in blocks for flowable in flowables], ctx)
    return blocks


def _reserve_under_headings(story: list[Flowable], ctx: RenderContext) -> None:
    """Size each heading's conditional break to the heading and the first two lines of its section, reading on past the
    end of the heading's first block where that block is shorter."""
    for i, flowable in enumerate(story):
        if isinstance(flowable, HeadingBreak):
            heading, rest = story[i + 1], story[i + 2:]
            lead = []
            while rest and isinstance(rest[0], Spacer) and not isinstance(rest[0], CondPageBreak):
                lead.append(rest.pop(0))
            flowable.height = _height(heading, ctx.width) + sum(_height(s, ctx.width) for s in lead) + (_first_part(opened(rest), ctx) if rest else 0)


class HeadingBreak(CondPageBreak):
    """A break to the next frame before a heading when the heading and two lines of its section would not fit."""


MOVE_WHOLE_BELOW = 0.3  # a box that does not fit moves on whole only when less than this share of its frame is left


class Keep(KeepTogether):
    """A box kept whole where it fits. One that does not fit the space left moves on whole only when less than 30% of
    the frame is left and the box would fit a frame as tall; otherwise it splits where it stands (between rows or
    lines), so that keeping a long box together never leaves most of a page, column or panel blank. In a frame marked
    `boxes_whole` (a column set short to balance a last page) it always moves on whole where it fits the next frame."""

    def __init__(self, flowables: list[Flowable], reserve: float = 0.0):
        super().__init__(flowables)
        self.reserve = reserve  # what must fit where it stands when it is split there (a heading and its first lines)

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        """The box's flowables to be split in place, or reportlab's keep-together answer."""
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame: Any = getattr(self, "_frame", None)  # its _height and attributes are reportlab's own, not in its stubs
        if frame is not None and self._H > aH and self._splits_here(frame, aH):  # type: ignore[attr-defined]  # reportlab's own attribute, not in its stubs
            # The document then places (and splits) each in turn, after a break if even the start does not fit.
            content: list[Flowable] = self._content  # type: ignore[attr-defined]  # reportlab's own attribute, not in its stubs
            for flowable in content:
                _split_lines_if_rows_cannot(flowable, aW, aH)
            return [NullActionFlowable(), *([HeadingBreak(self.reserve)] if self.reserve else []), *content]
        return super().split(aW, aH)

    def _splits_here(self, frame: Any, aH: float) -> bool:
        """Whether a box too tall for the space left splits where it stands rather than moving on whole."""
        if getattr(frame, "boxes_whole", False):
            return False
        # A box taller than the whole frame would split on the next one anyway: moving it would only leave this one short.
        return bool(aH >= frame._height * MOVE_WHOLE_BELOW or self._H > frame._height)  # type: ignore[attr-defined]  # reportlab's own attribute


def _split_lines_if_rows_cannot(flowable: Flowable, aW: float, aH: float) -> None:  # noqa: N803 - reportlab's names
    """Let a box with a repeated title row split between the lines of a row where no split between its rows fits the
    space left (only its title would stay): it then splits where it stands rather than moving on whole."""
    if not isinstance(flowable, Table) or not flowable.repeatRows or flowable.splitInRow:
        return
    flowable.wrap(aW, aH)
    if flowable._height > aH and not flowable.split(aW, aH):  # type: ignore[attr-defined]  # reportlab's own attribute
        flowable.splitInRow = 1


def opened(flowables: list[Flowable]) -> list[Flowable]:
    """The flowables with every KeepTogether replaced by its contents.

    A KeepTogether answers "endless" when measured, on purpose, so that the document splits it; inside another
    KeepTogether, or in a frame filled directly, it must be opened up.
    """
    return [inner for f in flowables for inner in (opened(f._content) if isinstance(f, KeepTogether) else [f])]  # type: ignore[attr-defined]


def _keep_with(heading: Flowable, flowables: list[Flowable], ctx: RenderContext) -> list[Flowable]:
    """The next block's flowables, with the heading before it never left alone at the foot of a page.

    A box that is kept whole takes the heading with it. Anything that may split (a table by rows, a
    paragraph by lines) is instead preceded by a conditional page break sized to the heading and the
    first row or two lines, so a long block starts under its heading without leaving half a page blank.
    """
    lead = []
    while flowables and isinstance(flowables[0], Spacer):
        lead.append(flowables.pop(0))
    if flowables and isinstance(flowables[0], KeepTogether):
        # reportlab will not put a KeepTogether inside the group keepWithNext makes, so join them here; should the box be
        # split where it stands, the heading still needs the box's first lines under it.
        heading.keepWithNext = 0
        inner = flowables[0]._content  # type: ignore[attr-defined]  # reportlab's own attribute, not in its stubs
        reserve = _height(heading, ctx.width) + sum(_height(s, ctx.width) for s in lead) + _first_part(opened(inner), ctx)
        return [Keep([heading, *lead, *inner], reserve)] + flowables[1:]
    if not flowables:
        return [heading, *lead]
    heading.keepWithNext = 0
    return [HeadingBreak(0), heading, *lead, *flowables]  # sized once the whole story is known


def _height(flowable: Flowable, width: float) -> float:
    """A flowable's height with its space before and after."""
    return flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def _first_part(flowables: list[Flowable], ctx: RenderContext) -> float:
    """The height of what a block must start with on the heading's page: a table's first row (two, where a header row
    repeats), else paragraphs until two lines of them are in, each whole when it is too short to split (a paragraph
    leaves no single line on either side of a break)."""
    first = flowables[0]
    if isinstance(first, Table):
        first.wrap(ctx.width, 1e6)
        heights: list[float] = first._rowHeights  # type: ignore[attr-defined]  # reportlab's own attribute, not in its stubs
        return heights[0] + (heights[1] if len(heights) > 1 and first.repeatRows else 0)
    height, lines = 0.0, 0
    for flowable in flowables:
        if lines >= 2 or isinstance(flowable, (Table, KeepTogether, CondPageBreak)):
            break
        if isinstance(flowable, Spacer):
            height += flowable.height
            continue
        whole = _height(flowable, ctx.width)
        count = len(flowable.blPara.lines) if isinstance(flowable, Paragraph) else 0
        if count > 3:  # it may split: two lines stay on this page
            height += flowable.getSpaceBefore() + 2 * flowable.style.leading  # type: ignore[attr-defined]  # reportlab's own attribute, not in its stubs
            lines += 2
        else:
            height += whole
            lines += count
    return max(height, 1.0)


def _box(ctx: RenderContext, rows: list[list[Any]], widths: list[float], commands: list[tuple[Any, ...]], pad: float = 6,
         split_in_row: bool = False, closed: tuple[float, Any] | None = None) -> Table:
    commands = [("FONTNAME", (0, 0), (-1, -1), ctx.theme.family.regular), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.45), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.45)] + commands
    rtl = _rtl(ctx)
    if rtl:  # a right-to-left page reads from the right: the first column, its rules and paddings go there
        rows, widths, commands = [row[::-1] for row in rows], widths[::-1], [mirrored(c, len(widths)) for c in commands]
        commands.insert(0, ("ALIGN", (0, 0), (-1, -1), "RIGHT"))  # a drawing (tick, sign, tick box) stands at its cell's right
        for name, (c0, r0), (c1, r1), *_ in commands:
            if name == "SPAN":  # a spanned cell shows its first cell's content: move it there
                for row in rows[r0:(r1 % len(rows)) + 1]:
                    row[c0], row[c1] = row[c1], row[c0]
    kind = Table if closed is None else ClosedBox
    table = kind(rows, colWidths=widths, hAlign="RIGHT" if rtl else "LEFT", splitInRow=int(split_in_row), renderCB=TABLE)
    table.setStyle(TableStyle(commands))
    if closed is not None:
        table.closing = closed  # type: ignore[attr-defined]
    return table


class ClosedBox(Table):
    """A boxed table whose part left on a page, column or panel when it splits is closed by a rule at its foot, as wide
    and in the colour of its box (reportlab's BOX draws the sides of each part and the top of the part that goes on,
    over its repeated title; a style command for the split row would also rule under that title)."""

    def onSplit(self, table: Table, byRow: int = 1) -> None:  # noqa: N802, N803 - reportlab's names
        """Note the box's last row and its rule on each part, and close every part that does not end with that row."""
        rows: list[Any] = self._cellvalues  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        last = getattr(self, "last_row", None) or rows[-1]
        closing = self.closing  # type: ignore[attr-defined]
        table.last_row, table.closing = last, closing  # type: ignore[attr-defined]
        if table._cellvalues[-1] is not last:  # type: ignore[attr-defined]  # reportlab's own
            table.setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), *closing)]))


_MIRROR = {"LINEBEFORE": "LINEAFTER", "LINEAFTER": "LINEBEFORE", "LEFTPADDING": "RIGHTPADDING", "RIGHTPADDING": "LEFTPADDING"}


def mirrored(command: tuple[Any, ...], columns: int) -> tuple[Any, ...]:
    """A table style command for the table with its columns in reverse order."""
    name, (c0, r0), (c1, r1), *rest = command
    c0, c1 = c0 % columns, c1 % columns
    return (_MIRROR.get(name, name), (columns - 1 - c1, r0), (columns - 1 - c0, r1), *rest)


def _rtl(ctx: RenderContext) -> bool:
    return bool(getattr(ctx.theme.family, "rtl", False))


def _gap(ctx: RenderContext, factor: float = 0.9) -> Spacer:
    return Spacer(1, ctx.theme.body_size * factor)


class TickBox(Flowable):
    """An empty square for the patient to tick."""

    def __init__(self, size: float, color: Color):
        super().__init__()
        self.size, self.color = size, color

    def wrap(self, *_: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(1.1)
        self.canv.roundRect(0, -self.size * 0.12, self.size, self.size, self.size * 0.15, stroke=1, fill=0)


def _mark(kind: str, size: float, color: Color, font: str) -> Drawing:
    """A drawn tick or cross (the bundled font has no such glyphs)."""
    d = Drawing(size, size, initialFontName=font)
    if kind == "do":
        d.add(Line(size * 0.12, size * 0.5, size * 0.4, size * 0.2, strokeColor=color, strokeWidth=size * 0.16, strokeLineCap=1))
        d.add(Line(size * 0.4, size * 0.2, size * 0.9, size * 0.85, strokeColor=color, strokeWidth=size * 0.16, strokeLineCap=1))
    else:
        d.add(Line(size * 0.18, size * 0.18, size * 0.82, size * 0.82, strokeColor=color, strokeWidth=size * 0.16, strokeLineCap=1))
        d.add(Line(size * 0.18, size * 0.82, size * 0.82, size * 0.18, strokeColor=color, strokeWidth=size * 0.16, strokeLineCap=1))
    return d


def items_of(ctx: RenderContext, paragraphs: list[Paragraph], numbering: str) -> list[Flowable]:
    """Paragraphs with a bullet or number, marked as the items of one list: the bullet or number is each item's label,
    its text the item's body."""
    items = ctx.node.add("L", numbering=numbering)
    for paragraph in paragraphs:
        item = items.add("LI")
        tag_item(paragraph, item.add("Lbl"), item.add("LBody"))
    return list(paragraphs)


@renders(b.Heading)
def render_heading(block: b.Heading, ctx: RenderContext) -> list[Flowable]:
    """A heading kept with what follows it; the boxes after it have their titles one level below."""
    ctx.section_level = 2
    return [ctx.tag(ctx.para(block.text, "heading"), "H2")]


@renders(b.Paragraph)
def render_paragraph(block: b.Paragraph, ctx: RenderContext) -> list[Flowable]:
    """A paragraph."""
    return [ctx.tag(ctx.para(block.text, "paragraph"), "P")]


@renders(b.Bullets)
def render_bullets(block: b.Bullets, ctx: RenderContext) -> list[Flowable]:
    """One paragraph per item, with a bullet."""
    return items_of(ctx, [ctx.para(item, "bullets", bulletText="•") for item in block.items], "Disc") + [_gap(ctx, 0.35)]


@renders(b.Steps)
def render_steps(block: b.Steps, ctx: RenderContext) -> list[Flowable]:
    """Numbered steps."""
    steps = [ctx.para(item, "steps", bulletText=f"{n}.") for n, item in enumerate(block.items, 1)]
    return items_of(ctx, steps, "Decimal") + [_gap(ctx, 0.35)]


@renders(b.Checklist)
def render_checklist(block: b.Checklist, ctx: RenderContext) -> list[Flowable]:
    """Tick boxes with their items; a lead time becomes a date when the treatment date is known. Each tick box is its
    item's label, read as an empty box."""
    size = ctx.theme.body_size
    rows = []
    items = ctx.node.add("L", numbering="None")
    for item in block.items:
        node = items.add("LI")
        label, body = node.add("Lbl", actual_text=UNCHECKED_BOX), node.add("LBody")
        cell: list[Flowable] = [tag(ctx.para(item.text, "checklist"), body)]
        if item.days_before is not None and ctx.patient and ctx.patient.date:
            first, _ = ctx.days(item.days_before, item.text.line)
            cell.append(tag(ctx.plain(f"{ctx.strings.by.capitalize()} {ctx.date(-first)}", "timeline_label"), body))
        rows.append([tag(TickBox(size * 1.05, ctx.theme.primary), label), cell])
    table = _box(ctx, rows, [size * 2.2, ctx.width - size * 2.2], [("LEFTPADDING", (0, 0), (0, -1), 2),
                                                              ("TOPPADDING", (0, 0), (-1, -1), size * 0.3),
                                                              ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.3)])
    return [table, _gap(ctx, 0.6)]


ALERT_TONES = ("warning", "urgent")  # callouts that must stand out without colour: a heavy rule and a warning sign
RULE_WIDTHS = {"info": 2.5, "tip": 2.5, "warning": 6.0, "urgent": 6.0}


def warning_sign(size: float, color: Color, font: str) -> Drawing:
    """A filled triangle with an exclamation mark, drawn (the bundled font has no such glyph)."""
    d = Drawing(size, size, initialFontName=font)  # never the unembedded Helvetica reportlab would name otherwise
    d.add(Polygon([size * 0.5, size * 0.98, size * 0.02, size * 0.08, size * 0.98, size * 0.08], fillColor=color, strokeColor=color,
                  strokeWidth=size * 0.06, strokeLineJoin=1))
    for bottom, top in ((0.36, 0.76), (0.17, 0.29)):  # the stroke and the dot of the exclamation mark
        d.add(Polygon([size * 0.44, size * bottom, size * 0.56, size * bottom, size * 0.56, size * top, size * 0.44, size * top],
                      fillColor=white, strokeColor=white, strokeWidth=0))
    return d


@renders(b.Callout)
def render_callout(block: b.Callout, ctx: RenderContext) -> list[Flowable]:
    """A tinted box with a rule in the tone's colour; it splits only between lines of its list.

    Warning and urgent boxes keep their meaning without colour (in grayscale, or for a reader who does not see red): a
    rule more than twice as heavy, a warning sign before the title, and for urgent a frame around the whole box.
    """
    fill, rule = ctx.theme.tone(block.tone)
    size = ctx.theme.body_size
    inner = ctx.within(ctx.node.add("Sect"))
    title_style = ParagraphStyle("callout_title_tone", parent=ctx.styles["callout_title"], textColor=rule)
    title: object = inner.tag(Paragraph(ctx.markup(block.title), title_style), ctx.box_heading)
    if block.tone in ALERT_TONES:
        sign = size * 1.25
        title = _box(ctx, [[tag_artifact(warning_sign(sign, rule, ctx.theme.family.regular)), title]],
                     [sign + size * 0.5, ctx.width - size * 1.1 - size * 0.5 - sign - 6],
                     [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                      ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")], 0)
    rows: list[list[object]] = [[title]]
    if block.text:
        rows.append([inner.tag(ctx.para(block.text, "callout"), "P")])
    rows += [[item] for item in items_of(inner, [ctx.para(item, "bullets", bulletText="•") for item in block.items], "Disc")]
    commands: list[tuple[Any, ...]] = [("LINEBEFORE", (0, 0), (0, -1), RULE_WIDTHS[block.tone], rule), ("LEFTPADDING", (0, 0), (-1, -1), size * 1.1),
                             ("TOPPADDING", (0, 0), (-1, 0), size * 0.7), ("BOTTOMPADDING", (0, -1), (-1, -1), size * 0.8)]
    if ctx.theme.shaded:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), fill))
    boxed = not ctx.theme.shaded or block.tone == "urgent"
    if boxed:
        commands += [("BOX", (0, 0), (-1, -1), 1.5, rule)]
    table = _box(ctx, rows, [ctx.width], commands, closed=(1.5, rule) if boxed else None)
    # Whole when it fits on a page; a longer one splits between its lines, never inside one, and its title (with the
    # warning sign) is repeated at the top of the part that goes on, so an urgent box never continues without it.
    table.repeatRows = 1
    return [_gap(ctx, 0.3), Keep([table]), _gap(ctx)]


@renders(b.Timeline)
def render_timeline(block: b.Timeline, ctx: RenderContext) -> list[Flowable]:
    """Day labels beside what happens; with a treatment date the days become dates."""
    rows = []
    table = ctx.node.add("Table")
    for entry in block.entries:
        first, last = ctx.days(entry.days, entry.text.line)
        row = table.add("TR")
        head, cell = row.add("TH", scope="Row"), row.add("TD")
        label: list[Flowable] = [tag(ctx.para(entry.label, "timeline_label") if entry.label else
                                     ctx.plain(ctx.strings.day_label(first, last), "timeline_label"), head)]
        if ctx.patient and ctx.patient.date:
            when = ctx.date(first) if first == last else f"{ctx.date(first)} – {ctx.date(last)}"
            label.append(tag(ctx.plain(when, "small"), head))
        rows.append([label, tag(ctx.para(entry.text, "timeline"), cell)])
    left = ctx.width * 0.3
    commands: list[tuple[Any, ...]] = [("LINEBELOW", (0, 0), (-1, -2), 0.6, ctx.theme.accent if ctx.theme.shaded else ctx.theme.text),
                             ("LINEBEFORE", (1, 0), (1, -1), 2, ctx.theme.primary),
                             ("TOPPADDING", (0, 0), (-1, -1), ctx.theme.body_size * 0.45),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), ctx.theme.body_size * 0.5)]
    return [_box(ctx, rows, [left, ctx.width - left], commands), _gap(ctx)]


def waits(block: b.WhenCanI, ctx: RenderContext) -> list[tuple[b.WaitRow, int, int]]:
    """(row, its wait in hours or days, the day after treatment it ends on) for each row of a 'when can I' table."""
    out = []
    for row in block.rows:
        filled = ctx.fill(row.after, row.what.line)
        number = b.parse_wait(filled, row.unit)
        if number is None:
            raise RenderError(ctx.source, row.what.line, f"'{filled}' is not a number of {row.unit}",
                              f"settings that give a whole number of {row.unit}, e.g. \"24\"")
        out.append((row, number, number if row.unit == "days" else -(-number // 24)))  # a wait in hours ends on the day it runs out
    return out


@renders(b.WhenCanI)
def render_when_can_i(block: b.WhenCanI, ctx: RenderContext) -> list[Flowable]:
    """What the patient may do again, after how long, and from which day; with a treatment date the day is a date."""
    s, theme = ctx.strings, ctx.theme
    size = theme.body_size
    dated = bool(ctx.patient and ctx.patient.date)
    rows = [(row.what, s.duration(number, row.unit), ctx.date(day) if dated else s.day_label(day, day))
            for row, number, day in waits(block, ctx)]
    head_style = ParagraphStyle("when_can_i_head", parent=ctx.styles["when_can_i"], fontName=theme.family.bold, textColor=theme.primary)
    when_style = ParagraphStyle("when_can_i_when", parent=ctx.styles["when_can_i"], fontName=theme.family.bold)
    first = Paragraph(ctx.markup(block.title), head_style) if block.title else None
    pad = size * 0.5

    def words(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(inline.to_markup([inline.Span(text)], "#000000"), style)

    def widest(texts: list[str], font: str) -> float:
        return max(text_width(text, font, size) for text in texts) + 2 * pad + 1

    wait_w = widest([s.wait] + [wait for _, wait, _ in rows], theme.family.bold)
    from_w = widest([s.from_] + [when for _, _, when in rows], theme.family.bold)
    stacked = ctx.width - wait_w - from_w < ctx.width * 0.42  # a narrow frame: the wait and its day share one column
    out: list[Flowable] = [ctx.tag(ctx.para(block.text, "paragraph"), "P")] if block.text else []
    structure = ctx.node.add("Table")
    head_row = structure.add("TR")

    def column_head(paragraph: Paragraph) -> Paragraph:
        return tag(paragraph, head_row.add("TH", scope="Column"))

    if stacked:
        both = max(wait_w, from_w)
        header = [column_head(first or words(s.when_can_i, head_style)), column_head(words(f"{s.wait} · {s.from_}", head_style))]
        widths = [ctx.width - both, both]
    else:
        header = [column_head(first or words(s.when_can_i, head_style)), column_head(words(s.wait, head_style)),
                  column_head(words(s.from_, head_style))]
        widths = [ctx.width - wait_w - from_w, wait_w, from_w]
    body: list[list[object]] = []
    for what, wait, when in rows:
        tr = structure.add("TR")
        thing = tag(ctx.para(what, "when_can_i"), tr.add("TH", scope="Row"))
        if stacked:
            cell = tr.add("TD")
            body.append([thing, [tag(words(wait, ctx.styles["when_can_i"]), cell), tag(words(when, when_style), cell)]])
        else:
            body.append([thing, tag(words(wait, ctx.styles["when_can_i"]), tr.add("TD")), tag(words(when, when_style), tr.add("TD"))])
    rule = theme.accent if theme.shaded else theme.text
    commands: list[tuple[Any, ...]] = [("LINEBELOW", (0, 0), (-1, 0), 1.2, theme.primary), ("LINEBELOW", (0, 1), (-1, -2), 0.6, rule),
                             ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                             ("TOPPADDING", (0, 0), (-1, -1), size * 0.4), ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.45)]
    if theme.shaded:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), theme.accent))
    else:
        commands.append(("BOX", (0, 0), (-1, -1), 1.2, theme.primary))
    table = _box(ctx, [header] + body, widths, commands, closed=None if theme.shaded else (1.2, theme.primary))
    table.repeatRows = 1
    out.append(table)
    if any(row.unit == "hours" for row in block.rows):
        out.append(ctx.tag(ctx.plain(s.hours_note, "small"), "P"))
    # Kept whole when it fits on a page; a longer table splits between rows, its header repeated.
    return [_gap(ctx, 0.3), Keep(out), _gap(ctx)]


STACK_BELOW_EMS = 18  # do and don't columns narrower than this many body sizes are set one under the other


@renders(b.DoDont)
def render_do_dont(block: b.DoDont, ctx: RenderContext) -> list[Flowable]:
    """Two columns, 'do' and 'don't', side by side; in a narrow frame (large print, a panel, a column) one under the other,
    each a list under its header that splits between items."""
    size = ctx.theme.body_size
    half = ctx.width / 2
    dont_color = HexColor(DONT_COLOR)
    stacked = half < STACK_BELOW_EMS * size
    column = ctx.width if stacked else half

    def header(kind: str, title: b.Rich | None, default: str, color: Color, node: Node) -> Table:
        style = ParagraphStyle(f"{kind}_title", parent=ctx.styles["do_dont_title"], textColor=color)
        text = Paragraph(ctx.markup(title), style) if title else Paragraph(inline.to_markup([inline.Span(default)], "#000000"), style)
        return _box(ctx, [[tag_artifact(_mark(kind, size * 1.1, color, ctx.theme.family.regular)), tag(text, node)]], [size * 1.8, column - size * 3],
                    [("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")], 0)

    # Each column a list under its column header: side by side, one table of a header row and a row of two lists; stacked,
    # a table of its own for each.
    tables = [ctx.node.add("Table")] * (1 if not stacked else 2)
    if stacked:
        tables[1] = ctx.node.add("Table")
    heads = [table.add("TR") for table in dict.fromkeys(tables)]
    th = [heads[i if stacked else 0].add("TH", scope="Column") for i in range(2)]
    bodies = [table.add("TR") for table in dict.fromkeys(tables)]
    td = [bodies[i if stacked else 0].add("TD") for i in range(2)]
    headers = (header("do", block.do_title, ctx.strings.do, ctx.theme.primary, th[0]), header("dont", block.dont_title, ctx.strings.dont, dont_color, th[1]))
    lists = (items_of(ctx.within(td[0]), [ctx.para(item, "do_dont", bulletText="•") for item in block.do], "Disc"),
             items_of(ctx.within(td[1]), [ctx.para(item, "do_dont", bulletText="•") for item in block.dont], "Disc"))
    if stacked:
        out: list[Flowable] = [_gap(ctx, 0.3)]
        for head, items, color in zip(headers, lists, (ctx.theme.primary, dont_color)):
            table = _box(ctx, [[head]] + [[item] for item in items], [ctx.width], [
                ("LINEBELOW", (0, 0), (0, 0), 1.5, color), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), size * 0.5), ("TOPPADDING", (0, 1), (-1, 1), size * 0.6),
                ("TOPPADDING", (0, 2), (-1, -1), size * 0.15), ("BOTTOMPADDING", (0, 1), (-1, -1), size * 0.15)])
            table.repeatRows = 1
            out += [Keep([table]), _gap(ctx, 0.6)]
        return out[:-1] + [_gap(ctx)]
    rows: list[list[object]] = [list(headers)]
    # One row of two lists, so a reader reads the whole 'do' column first; the row may split between items.
    rows.append([lists[0], lists[1]])
    commands: list[tuple[Any, ...]] = [("LINEBELOW", (0, 0), (0, 0), 1.5, ctx.theme.primary), ("LINEBELOW", (1, 0), (1, 0), 1.5, dont_color),
                             ("BOTTOMPADDING", (0, 0), (-1, 0), size * 0.5), ("TOPPADDING", (0, 1), (-1, 1), size * 0.6),
                             ("LEFTPADDING", (0, 0), (0, -1), 0), ("RIGHTPADDING", (0, 0), (0, -1), size * 1.2),
                             ("LEFTPADDING", (1, 0), (1, -1), size * 0.6), ("BOTTOMPADDING", (0, 1), (-1, 1), 0)]
    table = _box(ctx, rows, [half, half], commands, split_in_row=True)
    table.repeatRows = 1
    # Kept whole when it fits on a page; a longer one still splits between items, its header repeated.
    return [_gap(ctx, 0.3), Keep([table]), _gap(ctx)]


@renders(b.Faq)
def render_faq(block: b.Faq, ctx: RenderContext) -> list[Flowable]:
    """Each question kept with its answer; the question is a heading one level below the section's."""
    return [Keep([ctx.tag(ctx.para(q, "faq_q"), ctx.box_heading), ctx.tag(ctx.para(a, "faq"), "P")]) for q, a in block.items]


@renders(b.Contact)
def render_contact(block: b.Contact, ctx: RenderContext) -> list[Flowable]:
    """The clinic's numbers (left) and addresses (right) from the brand, in a box that is never split. Read as a section:
    its title, its text, then a table of each label beside its value."""
    s, brand = ctx.strings, ctx.brand
    section = ctx.within(ctx.node.add("Sect"))
    title = ctx.para(block.title, "contact_title") if block.title else ctx.plain(s.contact_title, "contact_title", True)
    head: list[Flowable] = [section.tag(title, ctx.box_heading)]
    head += [section.tag(ctx.para(block.text, "contact"), "P")] if block.text else []
    listing = section.node.add("Table")
    color = ctx.theme.text.hexval().replace("0x", "#")
    phone = [(s.phone, brand.contact.get("phone")), (s.after_hours, brand.contact.get("after_hours"))]
    other = [(s.email, brand.contact.get("email")), (s.website, brand.contact.get("website")), (s.address, brand.contact.get("address"))]
    size = ctx.theme.body_size
    inner = ctx.width - 2 * size * 1.1
    halves = [inner * 0.42, inner * 0.58]

    def column(entries: list[tuple[str, str | None]], width: float) -> Table | str:
        present = [(label, value) for label, value in entries if value]
        if not present:
            return ""
        label_w = max(text_width(label, ctx.theme.family.regular, size) for label, _ in entries) + size * 0.9

        def value_cell(label: str, value: str) -> Paragraph:
            # Phone numbers never break: their spaces do not either. Addresses of e-mail and the web break only where an
            # address may (after a '/', before a '.', '-' or '@'), where even the whole width is too narrow for them.
            if label in (s.email, s.website):
                span = _contact_span(label, value, s, value)
                return Address.of(value, ctx.styles["contact"], span.href, color, span.bold)
            shown = value.replace(" ", "\u00a0") if label != s.address else value
            return Paragraph(inline.to_markup([_contact_span(label, shown, s, value)], color), ctx.styles["contact"])

        def pair(label: Paragraph, value: Paragraph) -> tuple[Paragraph, Paragraph]:
            row = listing.add("TR")
            return tag(label, row.add("TH", scope="Row")), tag(value, row.add("TD"))

        def fits(label: str, value: str, room: float) -> bool:
            return label == s.address or text_width(value, ctx.theme.family.bold, size) <= room

        if all(fits(label, value, width - label_w - size * 0.6) for label, value in present):
            rows = [list(pair(ctx.plain(label, "contact"), value_cell(label, value))) for label, value in present]
            return _box(ctx, rows, [label_w, width - label_w], [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.6)], 2)
        # A narrow column: each label over its value, so a long e-mail or web address has the whole width.
        stacked = [[cell] for label, value in present for cell in pair(ctx.plain(label, "small"), value_cell(label, value))]
        return _box(ctx, stacked, [width], [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                            *[("TOPPADDING", (0, i), (-1, i), size * 0.45) for i in range(2, len(stacked), 2)]], 0)

    commands: list[tuple[Any, ...]] = [("LEFTPADDING", (0, 0), (-1, -1), size * 1.1), ("TOPPADDING", (0, 0), (-1, 0), size * 0.8),
                             ("BOTTOMPADDING", (0, -1), (-1, -1), size * 0.9), ("TOPPADDING", (0, 1), (-1, 1), size * 0.3)]
    commands.append(("BACKGROUND", (0, 0), (-1, -1), ctx.theme.accent) if ctx.theme.shaded else ("BOX", (0, 0), (-1, -1), 1.5, ctx.theme.primary))
    widest_phone = max((text_width(value, ctx.theme.family.bold, size) for _, value in phone if value), default=0)
    label_w = max(text_width(label, ctx.theme.family.regular, size) for label, _ in other) + size * 1.5
    widest_other = max((text_width(value, ctx.theme.family.regular, size) for label, value in other if value and label != s.address), default=0)
    if (max(text_width(label, ctx.theme.family.regular, size) for label, _ in phone) + size * 1.5 + widest_phone > halves[0]
            or label_w + widest_other > halves[1]):
        # A narrow frame (a column, a panel, large print) or a long address: one column, the numbers first.
        table = _box(ctx, [[head], [column(phone + other, inner)]], [ctx.width], commands)
    else:
        rows: list[list[object]] = [[head, ""], [column(phone, halves[0]), column(other, halves[1])]]
        commands += [("SPAN", (0, 0), (1, 0)), ("LEFTPADDING", (1, 1), (1, 1), 0)]
        table = _box(ctx, rows, [halves[0] + size * 1.1, halves[1] + size * 1.1], commands)
    return [_gap(ctx, 0.3), Keep([table]), _gap(ctx)]


def _contact_span(label: str, shown: str, s: Strings, value: str) -> inline.Span:
    """A contact value as printed (shown), a link where it is one: tel: for phones, mailto: for email, https for the website."""
    href = None
    if label in (s.phone, s.after_hours):
        href = "tel:" + "".join(c for c in value if c.isdigit() or c == "+")
    elif label == s.email:
        href = "mailto:" + value
    elif label == s.website and value.startswith("https://"):
        href = value
    return inline.Span(shown, bold=label in (s.phone, s.after_hours), href=href)


class TextField(Flowable):
    """An AcroForm text field sitting on a fill-in line, so staff can type before printing."""

    def __init__(self, name: str, tooltip: str, width: float, height: float, ctx: RenderContext):
        super().__init__()
        self.name, self.tooltip, self.width, self.height = name, tooltip, width, height
        self.font_name, self.font_size = "Helvetica", ctx.theme.body_size

    def wrap(self, *_: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.acroForm.textfield(name=self.name, tooltip=self.tooltip, x=0, y=0, width=self.width, height=self.height,  # type: ignore[arg-type]
                                     borderWidth=0, fillColor=None, borderColor=None, fontName=self.font_name,
                                     fontSize=self.font_size, relative=True)


def field_lines(labels: list[str], values: list[str], ctx: RenderContext, widths: list[float], fillable: bool = False,
                names: list[str] | None = None) -> Table:
    """Fill-in lines with a small label under each, or the value written on the line. Read as a table of each label over
    its value or form field; blank lines to write on are read as their labels."""
    size = ctx.theme.body_size
    gap = size * 1.4
    shrink = gap * (len(widths) - 1) / len(widths)
    top: list[object] = []
    bottom: list[object] = []
    col_widths: list[float] = []
    commands: list[tuple[Any, ...]] = []
    heads: list[Node] = []
    cells: list[Node] = []
    if any(values) or fillable:
        table = ctx.node.add("Table")
        head_row = table.add("TR")
        heads = [head_row.add("TH", scope="Column") for _ in labels]
        value_row = table.add("TR")
        cells = [value_row.add("TD") for _ in labels]
    for i, (label, value) in enumerate(zip(labels, values)):
        width = widths[i] - shrink
        if i:
            top.append("")
            bottom.append("")
            col_widths.append(gap)
        col = len(col_widths)
        col_widths.append(width)
        if value:
            top.append(tag(ctx.plain(value, "paragraph", bold=True), cells[i]))
        elif fillable:
            top.append(tag_field(TextField((names or labels)[i], label, width, size * 1.6, ctx), cells[i].add("Form")))
        else:
            top.append("")
        bottom.append(tag(ctx.plain(label, "field_label"), heads[i]) if heads else ctx.tag(ctx.plain(label, "field_label"), "P"))
        commands.append(("LINEBELOW", (col, 0), (col, 0), 0.8, ctx.theme.text))
    commands += [("TOPPADDING", (0, 0), (-1, 0), size * 1.4), ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                 ("TOPPADDING", (0, 1), (-1, 1), 2), ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
    return _box(ctx, [top, bottom], col_widths, commands)


def fits_one_line(values: list[str], ctx: RenderContext, widths: list[float]) -> bool:
    """Whether each value, set bold, fits on one line of its fill-in line (the widths as given to field_lines)."""
    gaps = ctx.theme.body_size * 1.4 * (len(widths) - 1) / len(widths)
    return all(text_width(value, ctx.theme.family.bold, ctx.theme.body_size) <= width - gaps for value, width in zip(values, widths))


def labelled_values(labels: list[str], values: list[str], ctx: RenderContext, width: float) -> Table:
    """Values already known, one to a row with its label before it: a compact strip where fill-in lines would wrap.
    In a narrow column, where the longest word of a value would not fit beside the labels, each label stands over its value."""
    size = ctx.theme.body_size
    label_w = max(text_width(label, ctx.theme.family.regular, ctx.styles["field_label"].fontSize) for label in labels) + size
    longest = max(text_width(word, ctx.theme.family.bold, size) for value in values for word in value.split())
    rule: list[tuple[Any, ...]] = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                         ("LINEABOVE", (0, 0), (-1, 0), 0.8, ctx.theme.text), ("LINEBELOW", (0, -1), (-1, -1), 0.8, ctx.theme.text)]
    table = ctx.node.add("Table")

    def pair(label: str, value: str) -> tuple[Paragraph, Paragraph]:
        row = table.add("TR")
        return tag(ctx.plain(label, "field_label"), row.add("TH", scope="Row")), tag(ctx.plain(value, "paragraph", bold=True), row.add("TD"))

    if longest <= width - label_w:
        rows = [list(pair(label, value)) for label, value in zip(labels, values)]
        return _box(ctx, rows, [label_w, width - label_w], rule + [
            ("VALIGN", (0, 0), (-1, -1), "BASELINE"), ("TOPPADDING", (0, 0), (-1, -1), size * 0.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.2)])
    rows = [[cell] for label, value in zip(labels, values) for cell in pair(label, value)]
    return _box(ctx, rows, [width], rule + [("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.1),
                                            *[("TOPPADDING", (0, i), (-1, i), size * 0.35) for i in range(0, len(rows), 2)]])


@renders(b.Acknowledgement)
def render_acknowledgement(block: b.Acknowledgement, ctx: RenderContext) -> list[Flowable]:
    """The statement and its signature lines, kept together."""
    labels = [ctx.fill(line.raw, line.line) for line in block.lines]
    shares = [2.0 if i == 0 and len(labels) > 1 else 1.0 for i in range(len(labels))]
    widths = [ctx.width * s / sum(shares) for s in shares]
    return [_gap(ctx, 0.4), Keep([ctx.tag(ctx.para(block.text, "acknowledgement"), "P"),
                                                field_lines(labels, [""] * len(labels), ctx, widths, ctx.fillable, [f"Acknowledgement {label}" for label in labels])]), _gap(ctx)]


@renders(b.Appointment)
def render_appointment(block: b.Appointment, ctx: RenderContext) -> list[Flowable]:
    """Lines for the next appointment, filled from the follow-up date and provider when known."""
    s = ctx.strings
    title = ctx.tag(ctx.para(block.title, "contact_title") if block.title else ctx.plain(s.next_appointment, "contact_title", True),
                    ctx.box_heading)
    follow_up = ctx.patient.follow_up if ctx.patient else None
    provider = ctx.patient.provider if ctx.patient else None
    values = [s.long_date(follow_up, ctx.brand.date_format) if follow_up else "", "", provider or ""]
    labels = [s.date, s.time, s.with_]
    names = [f"Next appointment {label}" for label in labels]
    # The first arrangement whose values each fit on their line: a date that wrapped would stretch the row, and the blank
    # time line beside it, to two lines' height. A value alone on its row may wrap (the longest names do at any width):
    # nothing beside it is stretched, and giving the others rows of their own would only make the block taller.
    for shares in APPOINTMENT_ROWS:
        rows = [(sum(map(len, shares[:i])), [ctx.width * share for share in row]) for i, row in enumerate(shares)]
        if all(len(widths) == 1 or fits_one_line(values[at:at + len(widths)], ctx, widths) for at, widths in rows):
            break
    lines = [field_lines(labels[at:at + len(widths)], values[at:at + len(widths)], ctx, widths, ctx.fillable, names[at:at + len(widths)])
             for at, widths in rows]
    return [_gap(ctx, 0.4), Keep([title, *lines]), _gap(ctx)]


# How the next appointment's date, time and provider share the width, in the order tried: one row; the provider (a
# long name) on a row of their own; the date (long in some languages, in a narrow panel) on a row of its own; each alone.
APPOINTMENT_ROWS: tuple[tuple[tuple[float, ...], ...], ...] = (((0.45, 0.2, 0.35),), ((0.6, 0.4), (1.0,)), ((1.0,), (0.4, 0.6)),
                                                               ((1.0,), (1.0,), (1.0,)))


def picture_flowable(picture: images.Picture, width: float, height: float, font: str) -> Flowable:
    """A raster or vector picture scaled to fit width × height points."""
    if isinstance(picture, images.Vector):
        return images.drawing(picture, width, height, font)
    scale = min(width / picture.width_px, height / picture.height_px)
    return RLImage(io.BytesIO(picture.data), picture.width_px * scale, picture.height_px * scale, mask="auto")


@renders(b.Image)
def render_image(block: b.Image, ctx: RenderContext) -> list[Flowable]:
    """A picture at its share of the frame width, with its caption (or its alt text) under it: a figure whose alternative
    text is the alt text, then its caption."""
    try:
        picture = images.load(block.file)
    except images.ImageError as exc:
        raise RenderError(ctx.source, block.line, exc.message, exc.expected) from None
    alt = " ".join(inline.plain(ctx.spans(block.alt)).split())
    if not alt:
        raise RenderError(ctx.source, block.alt.line, "image: the alt text is empty once its placeholders are filled",
                          "words that say what the picture shows, for people who cannot see it")
    if alt.casefold() in (block.file.name.casefold(), block.file.stem.casefold()):
        raise RenderError(ctx.source, block.alt.line, f"image: the alt text is the picture's file name '{alt}'",
                          "words that say what the picture shows, for people who cannot see it")
    if ctx.theme.grayscale:
        picture = images.grayscale(picture)
    width = ctx.width * block.width
    flowable = ctx.tag(picture_flowable(picture, width, min(width * picture.aspect, ctx.width * 0.9), ctx.theme.family.regular), "Figure", alt=alt)
    flowable.hAlign = "RIGHT" if _rtl(ctx) else "LEFT"
    caption = ctx.tag(ctx.para(block.caption or block.alt, "caption"), "Caption")
    return [_gap(ctx, 0.3), Keep([flowable, caption]), _gap(ctx)]


class QrCode(Flowable):
    """A QR code drawn as one filled path, with the standard four-module quiet zone."""

    QUIET = 4

    def __init__(self, url: str, size: float, color: Color):
        super().__init__()
        self.modules, self.size, self.color = qr_modules(url), size, color

    def wrap(self, *_: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.modules) + 2 * self.QUIET
        box = self.size / count
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            c = 0
            for dark, run in itertools.groupby(row):
                length = len(list(run))
                if dark:
                    path.rect((c + self.QUIET) * box, self.size - (r + self.QUIET + 1) * box, length * box, box)
                c += length
        self.canv.setFillColor(self.color)
        self.canv.drawPath(path, stroke=0, fill=1)


@renders(b.Qr)
def render_qr(block: b.Qr, ctx: RenderContext) -> list[Flowable]:
    """A QR code beside its caption and the link written out."""
    url = ctx.fill(block.url, block.line)
    problem = inline.check_url(url)  # again: a placeholder may have filled in anything
    if problem or not url:
        raise RenderError(ctx.source, block.line, problem or "the QR code's link is empty", "an https: link, e.g. the brand's booking_url")
    problem = links.qr_problem(url)
    if problem:
        raise RenderError(ctx.source, block.line, f"qr.url: {problem} once its placeholders are filled",
                          f"a link of at most {links.QR_MAX_BYTES} characters")
    return qr_box(url, ctx.para(block.caption, "contact_title") if block.caption else None, ctx)


def qr_box(url: str, caption: Flowable | None, ctx: RenderContext) -> list[Flowable]:
    """A QR code for a checked link beside its caption and the link written out: a figure whose alternative text is the
    caption (the link, without one), then the caption, the line that says to scan it, and the link."""
    size = min(ctx.theme.body_size * 7.5, ctx.width * 0.42)
    shown = url.removeprefix("https://").removeprefix("mailto:").removeprefix("tel:")
    alt = " ".join(caption.getPlainText().split()) if isinstance(caption, Paragraph) else ""
    code = ctx.tag(QrCode(url, size, black), "Figure", alt=alt or shown)
    text: list[Flowable] = [ctx.tag(caption, "P")] if caption else []
    text.append(ctx.tag(ctx.plain(ctx.strings.scan, "small"), "P"))
    text.append(ctx.tag(Address.of(shown, ctx.styles["paragraph"], url, ctx.theme.primary.hexval().replace("0x", "#"), bold=True), "P"))
    room = ctx.width - size - 12
    widest = max(max(_widest_word(flowable) for flowable in text), text_width(shown, ctx.theme.family.bold, ctx.theme.body_size))
    if widest <= room - 13:  # the cell pads its text by 6 pt on each side
        table = _box(ctx, [[code, text]], [size + 12, room], [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    else:  # a narrow column: the code over its caption and link, which then have the whole width
        table = _box(ctx, [[code], [text]], [ctx.width], [("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 1), (-1, 1), 4)])
    return [_gap(ctx, 0.3), Keep([table]), _gap(ctx)]


def _widest_word(paragraph: Flowable) -> float:
    """The width of the widest word (run between spaces) of a paragraph, in its own font and size (0 for other flowables)."""
    frags = getattr(paragraph, "frags", [])
    return max((text_width(word, frag.fontName, frag.fontSize) for frag in frags for word in frag.text.split()), default=0.0)


WEB_CODE_SMALLEST = 48.0  # points: 17 mm, modules of about 0.4 mm, the smallest a phone reads from a sheet at arm's length


def web_copy_note(url: str, ctx: RenderContext, with_code: bool = True, code_size: float | None = None) -> list[Flowable]:
    """A small QR code to the handout's web copy beside 'Read this online or in other languages' and the address written
    out; without the code (where there is no room for two), the words and the address alone. The code is a figure whose
    alternative text is those words; the address is a link. The code follows the type size unless code_size is given,
    never smaller than WEB_CODE_SMALLEST."""
    size = min(max(code_size or ctx.theme.body_size * 5, WEB_CODE_SMALLEST), ctx.width * 0.3)
    code = ctx.tag(QrCode(url, size, black), "Figure", alt=ctx.strings.read_online) if with_code else None  # made first: read first
    words = ctx.tag(ctx.plain(ctx.strings.read_online, "small", bold=True), "P")
    shown = url.removeprefix("https://")
    address = ctx.tag(Address.of(shown, ctx.styles["small"], url, ctx.theme.primary.hexval().replace("0x", "#")), "P")
    if code is None:
        return [_gap(ctx, 0.3), Keep([words, address])]
    table = _box(ctx, [[code, [words, address]]], [size + 8, ctx.width - size - 8],
                 [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0),
                  # the code's own quiet zone is its margin above and below: no padding of the cell's own on top of it
                  ("TOPPADDING", (0, 0), (0, 0), 0), ("BOTTOMPADDING", (0, 0), (0, 0), 0)])
    return [_gap(ctx, 0.3), Keep([table])]


def help_languages(block: b.LanguageHelp, brand: Brand) -> tuple[str, ...]:
    """The languages a language-help block lists: its own, else the brand's, else every shipped catalogue."""
    from .i18n import catalogue_tags

    return block.languages or brand.language_help or tuple(catalogue_tags())


@renders(b.LanguageHelp)
def render_language_help(block: b.LanguageHelp, ctx: RenderContext) -> list[Flowable]:
    """Each language's name and its notice that help is free, in its own script and direction, with the clinic's number.
    Read as its title, then a table of each language's name (a row header) beside its notice, each in its own language."""
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT

    from .i18n import strings
    from .writing import writing_for

    phone = ctx.brand.contact.get("phone", "").replace(" ", "\u00a0")  # whole on one line, in a narrow column too
    size = ctx.theme.body_size
    head = [ctx.tag(ctx.para(block.title, "contact_title"), ctx.box_heading)] if block.title else []
    listing = ctx.node.add("Table")
    rows: list[list[object]] = []
    names = []
    for language in help_languages(block, ctx.brand):
        words, writing = strings(language), writing_for(ctx.theme.family, language)
        style = ParagraphStyle(f"language_help_{language}", parent=ctx.styles["language_help"], writing=writing,
                               alignment=TA_RIGHT if writing.rtl else TA_LEFT, wordWrap="CJK" if writing.breaks_between_characters else None)
        own = language if language != ctx.strings.language else None  # a span in another language says which
        row = listing.add("TR")
        rows.append([tag(Paragraph(inline.to_markup([inline.Span(words.name, bold=True)], "#000000"), style), row.add("TH", scope="Row", lang=own)),
                     tag(Paragraph(inline.to_markup([inline.Span(words.language_help.format(phone=phone))], "#000000"), style),
                         row.add("TD", lang=own))])
        names.append(text_width(words.name, ctx.theme.family.bold, size))
    label = min(max(names) + size * 1.6, ctx.width * 0.3)
    commands: list[tuple[Any, ...]] = [("LINEBELOW", (0, 0), (-1, -2), 0.5, ctx.theme.accent if ctx.theme.shaded else ctx.theme.text),
                                       ("LEFTPADDING", (0, 0), (0, -1), 0)]
    table = _box(ctx, rows, [label, ctx.width - label], commands, pad=size * 0.45)
    return [_gap(ctx, 0.3), KeepTogether(head + [table]), _gap(ctx)]


def _check_registry() -> None:
    names = set(b.BLOCK_TYPES) - set(RESOLVED_AT_LOAD)
    without_renderer = sorted(n for n in names if b.BLOCK_TYPES[n] not in RENDERERS)
    without_style = sorted(n for n in names if n not in STYLE_NAMES)
    if without_renderer or without_style:
        raise RuntimeError(f"block types without a renderer: {without_renderer}; without a style: {without_style}")


_check_registry()
