"""One sheet to PDF bytes: assemble what a layout needs for a job, check every character has a glyph, render it."""

from __future__ import annotations

import os
from pathlib import Path

from . import fonts, images, writing
from .blocks import Block, LanguageHelp
from .compiled import dataclass
from .content import Catalogue
from .drawn import Drawn
from .errors import BudgetError, ContentError, HandoutsError, Problem
from .i18n import LANGUAGES, strings
from .jobs import Job, handout_for
from .patient import Patient
from .private import withheld
from .placeholders import PlaceholderError, expand
from .registry import layouts
from .flowables import RenderError, help_languages
from .sheet import Sheet
from .translation import reviewed


@dataclass(frozen=True)
class Rendered:
    """A PDF in memory."""

    data: bytes
    pages: int
    title: str


def make_sheet(catalogue: Catalogue, job: Job, patient: Patient | None = None, page_size: str | None = None,
               fillable: bool = False, grayscale: bool = False) -> Sheet:
    """Everything a layout needs for one job; raises ContentError for a problem that only this brand shows."""
    handout = handout_for(catalogue, job)
    brand = catalogue.brands[job.brand].localised(job.language)
    if handout.translation and not reviewed(handout) and brand.unreviewed_translations == "refuse":
        raise ContentError([Problem(brand.display, None, f"{handout.display} is a translation no clinician has reviewed yet, and this "
                                    "brand does not print those", "a clinician's review of it, or unreviewed_translations: print")])
    settings = catalogue.settings_for(job.treatment, brand)
    family = writing.writing_for(fonts.family(brand.font_files or None), job.language)
    logo = images.load(brand.logo) if brand.logo else None
    if logo and grayscale:
        logo = images.grayscale(logo)
    sheet = Sheet(handout, brand, LANGUAGES[job.language], family, settings, logo, page_size or brand.page_size, patient, fillable,
                  grayscale)
    layout = layouts().get(job.layout)
    _check_glyphs(sheet, layout.printed_blocks(handout) if layout else handout.every_block)
    return sheet


def _check_glyphs(sheet: Sheet, blocks: list[tuple[str, Block]]) -> None:
    """Every character the sheet will print (its title, the blocks its layout prints, the brand's chrome and the patient's
    details) must be in the brand's font: report, never print boxes."""
    problems = []
    brand, family = sheet.brand, sheet.family

    def lookup(space: str, key: str) -> str:
        if space == "settings":
            return sheet.settings[key]
        if space == "brand":
            return brand.value(key)
        value = getattr(sheet.patient, key, None) if sheet.patient else None
        return value if isinstance(value, str) else ""

    def scan(text: str, path: str, line: int | None, what: str) -> None:
        for char in family.missing(text):
            problems.append(Problem(path, line, f"{what}character '{char}' (U+{ord(char):04X}, {writing.script_name(char)}) is not in "
                                    f"{family.label} or the bundled script fonts",
                                    "text the brand's font can print, or a brand font that has this character"))

    def scan_svg(text: str, path: str, line: int | None, what: str) -> None:
        # Text inside a picture is drawn by svglib in the brand's own faces, without the script fonts behind them.
        for char in fonts.Family.missing(family, text):
            problems.append(Problem(path, line, f"{what}character '{char}' (U+{ord(char):04X}) is not in {family.label}",
                                    "text the brand's font can print, or a brand font that has this character"))

    for source, block in blocks:
        if isinstance(block, LanguageHelp):
            for tag in help_languages(block, brand):
                text = strings(tag).name + strings(tag).language_help.format(phone=brand.contact.get("phone", ""))
                for char in writing.writing_for(family, tag).missing(text):
                    problems.append(Problem(source, block.line, f"language_help: character '{char}' (U+{ord(char):04X}, "
                                            f"{writing.script_name(char)}) of the '{tag}' notice is not in {family.label} or the bundled script fonts",
                                            "a brand font that has it, or fewer languages in the list"))
        for rich in block.texts():
            try:
                scan(expand(rich.raw, lookup), source, rich.line, f"{rich.where}: " if rich.where else "")
            except PlaceholderError:
                continue
        picture = getattr(block, "file", None)
        if isinstance(picture, Path) and picture.suffix.lower() == ".svg":  # its text is drawn in the brand's fonts too
            for text in _svg_texts(picture):
                scan_svg(text, source, block.line, f"image: text in '{picture.name}': ")
    for text in (sheet.handout.title, sheet.handout.treatment, sheet.revision):
        scan(text, sheet.handout.display, sheet.handout.lines.get("title"), "")
    language = sheet.handout.language
    for key, text in (("name", brand.name), ("footer", brand.footer), ("disclaimer", brand.disclaimer),
                      *((f"contact.{key}", value) for key, value in brand.contact.items())):
        scan(text, *brand.where(key, language), f"{key}: ")
    if isinstance(sheet.logo, images.Vector):
        for text in sheet.logo.texts:
            scan_svg(text, *brand.where("logo"), f"logo: text in '{sheet.logo.path.name}': ")
    if sheet.patient:
        for text in (sheet.patient.name or "", sheet.patient.provider or ""):
            scan(text, "--patient/--provider", None, "")
    if problems:
        raise ContentError(problems)


def _svg_texts(path: Path) -> tuple[str, ...]:
    try:
        picture = images.load(path)
    except (images.ImageError, OSError):  # reported where the picture is drawn
        return ()
    return picture.texts if isinstance(picture, images.Vector) else ()


def render_pdf(sheet: Sheet, layout_name: str) -> Rendered:
    """Render one sheet to PDF bytes with a layout; raise ContentError if it cannot be printed as asked."""
    drawn = draw_pdf(sheet, layout_name)
    budget = layouts()[layout_name].page_limit(sheet.handout)
    if budget is not None and drawn.pages > budget:
        raise BudgetError(Problem(sheet.handout.display, None, f"needs {drawn.pages} pages in {layout_name}, limit {budget}"), drawn.pages, budget)
    return Rendered(drawn.data, drawn.pages, sheet.handout.title)


def draw_pdf(sheet: Sheet, layout_name: str) -> Drawn:
    """Render one sheet with a layout, with the record of where its story went; raise ContentError if it cannot be drawn."""
    from reportlab.platypus.doctemplate import LayoutError

    try:
        with withheld(sheet.patient):
            return layouts()[layout_name].draw(sheet)
    except RenderError as exc:
        raise ContentError([Problem(exc.path, exc.line, exc.message, exc.expected)]) from None
    except images.ImageError as exc:  # the logo (a picture in a block is reported at its block)
        raise ContentError([Problem(*sheet.brand.where("logo"), exc.message, exc.expected)]) from None
    except LayoutError:
        raise ContentError([Problem(sheet.handout.display, None, f"a block is too large for one page in {layout_name}",
                                    "shorter blocks, or a smaller picture")]) from None


def check_source_date_epoch() -> None:
    """Refuse an invalid SOURCE_DATE_EPOCH before reportlab trips over it."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None and not (value.isdigit() and int(value) < 253402300800):
        raise HandoutsError(f"SOURCE_DATE_EPOCH is '{value[:40]}' (expected a whole number of seconds since 1970, e.g. 1767225600)")
