"""Lints run by `check`: colour contrast, print resolution, translations, document control and plain language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import images
from .colors import hex_luminance
from .blocks import Image
from .brand import Brand
from .content import Catalogue, display_path
from .errors import ERROR, WARNING, Problem

WHITE = "#FFFFFF"
MIN_DPI_WARN = 300
MIN_DPI_ERROR = 150
TEXT_WIDTH_INCHES = 7.0  # widest text frame of any layout
REVIEW_MONTHS = 24


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    light, dark = sorted((hex_luminance(foreground), hex_luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_pairs(brand: Brand) -> list[tuple[str, str, str, str, float]]:
    """(what, foreground name, foreground, background, minimum ratio) for every brand colour pair used for text."""
    c = brand.colors
    return [
        ("body text on the page", "colors.text", c["text"], WHITE, 4.5),
        ("headings on the page", "colors.primary", c["primary"], WHITE, 4.5),
        ("header text on the band", "white", WHITE, c["primary"], 4.5),
        ("callout and contact text on its fill", "colors.text", c["text"], c["accent"], 4.5),
        ("callout and contact titles on their fill", "colors.primary", c["primary"], c["accent"], 4.5),
    ]


def lint_contrast(brand: Brand) -> list[Problem]:
    """Every text colour pair must meet WCAG AA (4.5:1 for body-size text)."""
    problems = []
    for what, name, fg, bg, minimum in text_pairs(brand):
        ratio = contrast(fg, bg)
        if ratio < minimum:
            problems.append(Problem(brand.display, None, f"colours: {what} ({name} {fg} on {bg}) has contrast {ratio:.2f}:1",
                                    f"at least {minimum:g}:1 (WCAG AA); darken or lighten one of them"))
    return problems


def _dpi_problem(path: Path, display: str, line: int | None, what: str, width_inches: float) -> Problem | None:
    try:
        picture = images.load(path)
    except images.ImageError:
        return None  # reported by validation
    if not isinstance(picture, images.Raster):
        return None
    dpi = picture.width_px / width_inches
    if dpi >= MIN_DPI_WARN:
        return None
    severity = ERROR if dpi < MIN_DPI_ERROR else WARNING
    return Problem(display, line, f"{what} '{path.name}' prints at {dpi:.0f} dpi ({picture.width_px} px across {width_inches:.1f} in)",
                   f"at least {MIN_DPI_WARN} dpi: {int(width_inches * MIN_DPI_WARN)} px wide or more", severity)


def lint_resolution(catalogue: Catalogue) -> list[Problem]:
    """Raster pictures need 300 dpi at their printed size (warning below, error below 150); the logo, whose printed size
    depends on its shape and the layout, is measured by the proof."""
    problems = []
    for handout in catalogue.handouts:
        for source, block in handout.every_block:
            if isinstance(block, Image):
                problem = _dpi_problem(block.file, source, block.line, "image", TEXT_WIDTH_INCHES * block.width)
                if problem:
                    problems.append(problem)
    return problems


def lint_translations(catalogue: Catalogue) -> list[Problem]:
    """A handout a brand prints in one of its languages but not another; a snippet missing in a language."""
    problems = []
    failed = set(catalogue.failed)  # files that exist but could not be loaded: already reported as errors

    def absent(slug: str, kind: str, lang: str) -> bool:
        return display_path(catalogue.root / slug / f"{kind}.{lang}.yaml") not in failed

    for brand in catalogue.brands.values():
        for slug, treatment in sorted(catalogue.treatments.items()):
            kinds = sorted({kind for kind, _ in treatment.handouts})
            for kind in kinds:
                have = [lang for lang in brand.languages if (kind, lang) in treatment.handouts]
                missing = [lang for lang in brand.languages if (kind, lang) not in treatment.handouts and absent(slug, kind, lang)]
                if have and missing:
                    problems.append(Problem(brand.display, None, f"{slug}/{kind} exists in {', '.join(have)} but not in {', '.join(missing)}",
                                            f"{slug}/{kind}.{missing[0]}.yaml, or remove the language from this brand", WARNING))
    snippets = catalogue.root / "snippets"
    names: dict[str, set[str]] = {}
    for path in sorted(snippets.glob("*.*.yaml")) if snippets.is_dir() else []:
        name, lang, _ = path.name.rsplit(".", 2)
        names.setdefault(name, set()).add(lang)
    languages = sorted({lang for langs in names.values() for lang in langs})
    for name, langs in sorted(names.items()):
        for lang in languages:
            if lang not in langs:
                problems.append(Problem(f"{snippets.relative_to(catalogue.root.parent) if catalogue.root.parent in snippets.parents else snippets}/{name}.{lang}.yaml",
                                        None, f"snippet '{name}' has no '{lang}' version", f"the same snippet in every language ({', '.join(languages)})", WARNING))
    return problems


def lint_review_dates(catalogue: Catalogue, today: dt.date) -> list[Problem]:
    """A review older than 24 months is a warning: the latest approval on record, or the date typed in the front matter."""
    problems = []
    for handout in catalogue.handouts:
        if not handout.reviewed:
            continue  # not approved at all: reported by the approval check
        reviewed = dt.date.fromisoformat(handout.reviewed)
        months = (today.year - reviewed.year) * 12 + today.month - reviewed.month - (today.day < reviewed.day)
        latest = handout.record.latest if handout.record else None
        where = (handout.record.display, latest.line) if handout.record and latest else (handout.display, handout.lines.get("reviewed"))
        if months >= REVIEW_MONTHS:
            problems.append(Problem(where[0], where[1], f"reviewed {handout.reviewed}, {months} months ago",
                                    f"a clinical review at least every {REVIEW_MONTHS} months", WARNING))
    return problems


def lint_all(catalogue: Catalogue, today: dt.date) -> list[Problem]:
    """Every lint over a loaded catalogue."""
    problems: list[Problem] = []
    for brand in catalogue.brands.values():
        problems += lint_contrast(brand)
    from .pemat import lint_plain_language
    from .safety import lint_safety

    return (problems + lint_resolution(catalogue) + lint_translations(catalogue) + lint_review_dates(catalogue, today)
            + lint_plain_language(catalogue) + lint_safety(catalogue))
