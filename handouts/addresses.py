"""Web and e-mail addresses as a sheet prints them: where one may break across lines, and a paragraph that breaks it only
there.

An address is one long word to a reader: broken at any letter ("…/microneedling-aft" / "ercare.html") it no longer
reads as one, nor types back. It breaks after a '/' where that is enough, else also before a '.', '-' or '@'; where a
piece between two such places is still wider than the column, it is set smaller (down to `SMALLEST`), and only then
left to break where it must, which the proof reports.
"""

from __future__ import annotations


from reportlab.lib.styles import ParagraphStyle

from .inline import Span, to_markup
from .paragraphs import Paragraph
from .writing import text_width

SMALLEST = 6.5  # the smallest size an address is set in to keep its pieces whole (the proof's smallest print size)
BEFORE = ".-@"  # where a piece between slashes is too wide, an address also breaks before these
STEP = 0.5  # points between the sizes tried


def may_break(address: str, at: int) -> bool:
    """Whether a line may end before address[at]: after a '/' (not between the two of '//'), or before a '.', '-' or '@'."""
    if not 0 < at < len(address):
        return False
    return (address[at - 1] == "/" and address[at] != "/") or address[at] in BEFORE


def address_lines(address: str, font: str, size: float, width: float) -> list[str] | None:
    """The address in as few lines no wider than width as its breaks allow (after slashes alone where that is enough); None
    where a piece between two places it may break is wider than width."""
    for slashes_only in (True, False):
        cuts = [at for at in range(1, len(address)) if may_break(address, at) and (address[at - 1] == "/" or not slashes_only)]
        pieces = [address[start:end] for start, end in zip([0, *cuts], [*cuts, len(address)])]
        if any(text_width(piece, font, size) > width for piece in pieces):
            continue
        lines = [pieces[0]]
        for piece in pieces[1:]:
            if text_width(lines[-1] + piece, font, size) <= width:
                lines[-1] += piece
            else:
                lines.append(piece)
        return lines
    return None


class Address(Paragraph):
    """A paragraph of one web or e-mail address (a link when it has one) that breaks only where an address may, at the
    first size from its style's down to `SMALLEST` at which every piece fits the width it is given."""

    _address: tuple[str, str | None, str, bool] | None = None  # (address, link, link colour, bold), set by of()
    _laid_out: float | None = None  # the width it was last broken for
    _base: tuple[ParagraphStyle, str] | None = None  # the style it was made with, and the face of its letters

    @classmethod
    def of(cls, address: str, style: ParagraphStyle, href: str | None = None, color: str = "#000000", bold: bool = False) -> "Address":
        """The paragraph of an address, as a link to href when given."""
        made = cls(to_markup([Span(address, bold=bold, href=href)], color), style)
        made._address = (address, href, color, bold)
        made._base = (style, next((frag.fontName for frag in made.frags if getattr(frag, "text", "")), style.fontName))
        return made

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        """Break the address for this width (set smaller where a piece needs it), then lay it out."""
        if self._address is not None and self._base is not None and self._laid_out != availWidth:
            self._laid_out = availWidth
            self._break_for(availWidth, *self._address, *self._base)
        return super().wrap(availWidth, availHeight)

    def _break_for(self, width: float, address: str, href: str | None, color: str, bold: bool, base: ParagraphStyle, font: str) -> None:
        """Make the paragraph again with the address broken for this width, at the size that keeps its pieces whole."""
        size = base.fontSize
        smallest = min(size, SMALLEST)
        room = width - base.leftIndent - base.rightIndent
        lines = address_lines(address, font, size, room)
        while lines is None and size > smallest:
            size = max(smallest, size - STEP)
            lines = address_lines(address, font, size, room)
        style = base if size == base.fontSize else ParagraphStyle(f"{base.name}-address", parent=base, fontSize=size,
                                                                 leading=base.leading * size / base.fontSize)
        # No size keeps every piece whole: the paragraph breaks the address where it must, and the proof reports it.
        markup = to_markup([Span("\n".join(lines or [address]), bold=bold, href=href)], color).replace("\n", "<br/>")
        Paragraph.__init__(self, markup, style)  # its marking, kept in its own attributes, stays
