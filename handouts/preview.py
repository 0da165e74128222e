"""Pictures for marketing: PNG pages of chosen handouts and a labelled contact sheet per brand."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from .jobs import Job

if TYPE_CHECKING:
    from PIL.Image import Image

THUMB_WIDTH = 260
LABEL_HEIGHT = 44
GAP = 24


def pages_to_png(pdf: bytes, dpi: int, all_pages: bool) -> list[Image]:
    """Render the first page (or every page) of a PDF to images with pypdfium2."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        count = len(document) if all_pages else 1
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(count)]
    finally:
        document.close()


def contact_sheet(items: list[tuple[Job, str, Image]], title: str) -> Image:
    """One image with a labelled thumbnail of each handout's first page."""
    from PIL import Image, ImageDraw, ImageFont

    from .fonts import BUNDLED

    columns = min(4, max(1, len(items)))
    rows = (len(items) + columns - 1) // columns
    thumbs = []
    for job, label, image in items:
        scale = THUMB_WIDTH / image.width
        thumbs.append((job, label, image.resize((THUMB_WIDTH, round(image.height * scale)), Image.Resampling.LANCZOS)))
    cell_h = max(t.height for _, _, t in thumbs) + LABEL_HEIGHT
    header = 64
    sheet = Image.new("RGB", (GAP + columns * (THUMB_WIDTH + GAP), header + rows * (cell_h + GAP)), "#F3F4F6")
    draw = ImageDraw.Draw(sheet)
    bold = ImageFont.truetype(str(BUNDLED["bold"]), 22)
    small = ImageFont.truetype(str(BUNDLED["regular"]), 13)
    draw.text((GAP, 20), title, fill="#1B1B1B", font=bold)
    for i, (job, label, thumb) in enumerate(thumbs):
        x = GAP + (i % columns) * (THUMB_WIDTH + GAP)
        y = header + (i // columns) * (cell_h + GAP)
        draw.rectangle((x - 1, y - 1, x + thumb.width, y + thumb.height), outline="#C9CED6")
        sheet.paste(thumb, (x, y))
        draw.text((x, y + thumb.height + 6), label, fill="#1B1B1B", font=small)
        draw.text((x, y + thumb.height + 24), f"{job.treatment}/{job.kind} · {job.language} · {job.layout}", fill="#555B66", font=small)
    return sheet


def write_png(image: Image, path: Path) -> None:
    """Save a PNG atomically and reproducibly (no timestamps in PNG chunks)."""
    from .files import write_atomic

    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    write_atomic(path, buffer.getvalue())
