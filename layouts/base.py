"""The base of every layout: metadata, reproducible output, page totals and the render call."""

from __future__ import annotations

import io
from functools import partial
from typing import Any, ClassVar

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from handouts import __version__
from handouts.render import RenderContext, render_blocks
from handouts.sheet import Sheet
from handouts.styles import Theme, stylesheet

TOTAL_FORM = "page-total"

# reportlab may fetch images from hosts named in RL_trustedHosts; a handout never fetches anything.
rl_config.trustedHosts = None


class TotalCanvas(Canvas):
    """A canvas that writes the page total into a form every footer refers to, once it is known."""

    def __init__(self, *args: Any, total_font: tuple[str, float, Color], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.total_font = total_font
        self.page_total = 0

    def save(self) -> None:
        """Define the page-total form, then write the file."""
        self.page_total = self.getPageNumber() - 1
        font, size, color = self.total_font
        self.beginForm(TOTAL_FORM)
        self.setFont(font, size)
        self.setFillColor(color)
        self.drawString(0, 0, str(self.page_total))
        self.endForm()
        super().save()


class Layout(BaseDocTemplate):
    """A document template for one sheet; subclasses add page templates and chrome."""

    name: ClassVar[str] = ""
    body_size: ClassVar[float] = 10.5
    heading_size: ClassVar[float] = 13.5
    title_size: ClassVar[float] = 22
    leading: ClassVar[float] = 1.42
    shaded: ClassVar[bool] = True

    def __init__(self, buffer: io.BytesIO, sheet: Sheet, **kwargs: Any):
        self.sheet = sheet
        self.theme = Theme.from_colors(sheet.family, sheet.brand.colors, body_size=self.body_size, heading_size=self.heading_size,
                                       title_size=self.title_size, leading=self.leading, shaded=self.shaded)
        self.styles = stylesheet(self.theme)
        handout, brand = sheet.handout, sheet.brand
        super().__init__(
            buffer, pagesize=kwargs.pop("pagesize", sheet.pagesize), title=handout.title, author=brand.name,
            subject=f"{handout.treatment}: {sheet.kind_label}", creator=f"handouts {__version__}",
            producer=f"handouts {__version__}", keywords=[handout.treatment, handout.kind, handout.id, f"version {handout.version}"],
            lang=handout.language, displayDocTitle=1, invariant=1, pageCompression=1,
            initialFontName=sheet.family.regular, initialFontSize=self.body_size, **kwargs)

    @property
    def content_width(self) -> float:
        """The width of the main text frame."""
        raise NotImplementedError

    def front_matter(self, ctx: RenderContext) -> list[Flowable]:
        """Flowables that open the sheet (title, patient strip)."""
        return []

    def render(self) -> tuple[bytes, int]:
        """Build the PDF in memory; return its bytes and page count."""
        sheet = self.sheet
        ctx = RenderContext(sheet.brand, sheet.settings, sheet.strings, self.theme, self.styles, self.content_width, sheet.patient,
                            sheet.handout.display, sheet.fillable)
        story = self.front_matter(ctx) + render_blocks(sheet.handout.blocks, ctx)
        canvasmaker = partial(TotalCanvas, total_font=(self.theme.family.regular, self.footer_size, self.theme.text))
        self.build(story, canvasmaker=canvasmaker)
        return self.filename.getvalue(), self.canv.page_total

    footer_size: ClassVar[float] = 7.8
