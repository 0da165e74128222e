"""Paragraph styles and colours, computed from the brand and the layout's type scale."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from .compiled import dataclass
from .fonts import Family
from .writing import Writing

# Each block type has a style of the same name; the others are used by several blocks.
STYLE_NAMES = (
    "heading", "paragraph", "bullets", "steps", "checklist", "callout", "callout_title", "timeline", "timeline_label",
    "do_dont", "do_dont_title", "faq", "faq_q", "contact", "contact_title", "acknowledgement", "appointment", "image", "qr",
    "when_can_i", "language_help", "title", "kicker", "small", "caption", "field_label",
)

# Semantic colours for callout tones: (fill, rule and title). Titles meet 4.5:1 on their fill.
TONES = {
    "tip": ("#EAF5EC", "#1E6B2A"),
    "warning": ("#FFF3DC", "#7A4B00"),
    "urgent": ("#FCEBEA", "#A1201A"),
}
DONT_COLOR = "#A1201A"


@dataclass(frozen=True)
class Theme:
    """Everything visual a renderer needs: fonts, colours and the type scale of the layout."""

    family: Family
    primary: Color
    accent: Color
    text: Color
    body_size: float = 10.5
    leading: float = 1.42
    heading_size: float = 13.5
    title_size: float = 22
    shaded: bool = True  # False in large print: no text on tinted backgrounds
    italics: bool = True  # False in large print: captions and notes set upright
    grayscale: bool = False  # pictures are converted to grey (the canvas converts drawn colours)
    min_size: float = 0  # the smallest type any style may use (large print: the body size)

    @classmethod
    def from_colors(cls, family: Family, colors: dict[str, str], **scale: Any) -> "Theme":
        """A theme from a brand's #RRGGBB colours (scale: the other fields' values)."""
        return cls(family, HexColor(colors["primary"]), HexColor(colors["accent"]), HexColor(colors["text"]), **scale)

    def tone(self, tone: str) -> tuple[Color, Color]:
        """(fill, rule) colours of a callout tone; info uses the brand's own colours."""
        if tone == "info":
            return self.accent, self.primary
        fill, rule = TONES[tone]
        return HexColor(fill), HexColor(rule)


def stylesheet(theme: Theme) -> dict[str, ParagraphStyle]:
    """Every named style for this theme: made once per theme in a process (no one changes a style once made), in a dict
    of the caller's own."""
    return dict(_stylesheet(theme))


@lru_cache(maxsize=64)
def _stylesheet(theme: Theme) -> dict[str, ParagraphStyle]:
    f = theme.family
    size = theme.body_size
    lead = size * theme.leading
    # A family set up for a language (paragraphs.Paragraph reads it) sets the direction and the line breaking.
    writing = f if isinstance(f, Writing) else None
    base = ParagraphStyle("paragraph", fontName=f.regular, fontSize=size, leading=lead, textColor=theme.text,
                          spaceAfter=size * 0.6, alignment=TA_RIGHT if writing and writing.rtl else TA_LEFT, splitLongWords=1,
                          allowWidows=0, allowOrphans=0, bulletFontSize=size, writing=writing,
                          wordWrap="CJK" if writing and writing.breaks_between_characters else None)

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    indent = size * 1.5
    small = max(size * 0.82, theme.min_size)
    caption = max(size * 0.88, theme.min_size)
    label = max(size * 0.8, theme.min_size)
    # balanced (a title, a heading): in Chinese and Japanese its lines are made as even as the breaks allow.
    styles = {
        "paragraph": base,
        "heading": derive("heading", fontName=f.bold, fontSize=theme.heading_size, leading=theme.heading_size * 1.25,
                          textColor=theme.primary, spaceBefore=size * 1.1, spaceAfter=size * 0.45, keepWithNext=1, balanced=1),
        "bullets": derive("bullets", leftIndent=indent, bulletIndent=size * 0.35, spaceAfter=size * 0.3, bulletFontName=f.bold,
                          bulletColor=theme.primary),
        "steps": derive("steps", leftIndent=indent, bulletIndent=0, spaceAfter=size * 0.35, bulletFontName=f.bold, bulletColor=theme.primary),
        "checklist": derive("checklist", spaceAfter=0),
        "callout": derive("callout", spaceAfter=0),
        "callout_title": derive("callout_title", fontName=f.bold, fontSize=size * 1.05, spaceAfter=0),
        "timeline": derive("timeline", spaceAfter=0),
        "timeline_label": derive("timeline_label", fontName=f.bold, textColor=theme.primary, spaceAfter=0),
        "do_dont": derive("do_dont", leftIndent=size * 1.1, bulletIndent=0, spaceAfter=0, bulletFontName=f.bold),
        "do_dont_title": derive("do_dont_title", fontName=f.bold, fontSize=size * 1.1, spaceAfter=0),
        "faq": derive("faq", spaceAfter=size * 0.7),
        "faq_q": derive("faq_q", fontName=f.bold, spaceAfter=size * 0.15, keepWithNext=1),
        "contact": derive("contact", spaceAfter=0),
        "contact_title": derive("contact_title", fontName=f.bold, fontSize=size * 1.15, textColor=theme.primary, spaceAfter=size * 0.2),
        "acknowledgement": derive("acknowledgement"),
        "appointment": derive("appointment", spaceAfter=0),
        "image": derive("image", spaceAfter=0),
        "qr": derive("qr", spaceAfter=0),
        "when_can_i": derive("when_can_i", spaceAfter=0),
        "language_help": derive("language_help", spaceAfter=0),
        "title": derive("title", fontName=f.bold, fontSize=theme.title_size, leading=theme.title_size * 1.18, textColor=theme.primary,
                        spaceAfter=size * 0.5, balanced=1),
        "kicker": derive("kicker", fontName=f.bold, fontSize=max(size * 0.85, theme.min_size), textColor=theme.primary, spaceAfter=size * 0.2),
        "small": derive("small", fontSize=small, leading=small * 1.35, spaceAfter=0),
        "caption": derive("caption", fontName=f.italic if theme.italics else f.regular, fontSize=caption, leading=caption * 1.35, spaceBefore=size * 0.3),
        "field_label": derive("field_label", fontSize=label, leading=label * 1.3, textColor=theme.text, spaceAfter=0),
    }
    if writing and writing.rtl:  # indents, and the bullets in them, on the right
        for style in styles.values():
            style.leftIndent, style.rightIndent = style.rightIndent, style.leftIndent
    missing = set(STYLE_NAMES) ^ set(styles)
    if missing:
        raise RuntimeError(f"style names out of step: {sorted(missing)}")
    return styles
