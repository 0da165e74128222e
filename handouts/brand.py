"""Brand kits: a folder with brand.yaml, its logo and optional fonts; a kit may extend another."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import fonts, images, links, registry
from .errors import Problems, did_you_mean, one_of
from .i18n import LANGUAGES
from .inline import check_url
from .paths import PathError, resolve_inside
from .yamlcheck import Checker, Field
from .yamlsafe import Mapping, Text, load_file

PAGE_SIZES = ("letter", "a4")
COLOR_KEYS = ("primary", "accent", "text")
CONTACT_KEYS = ("phone", "after_hours", "email", "website", "address")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")

FIELDS = {
    "name": Field("the clinic's name as printed on every sheet", True),
    "extends": Field("the slug of a brand kit this one builds on, e.g. default"),
    "logo": Field("a PNG, JPEG or SVG file beside brand.yaml"),
    "colors": Field("primary, accent and text colours as #RRGGBB"),
    "fonts": Field("TrueType files: regular, bold, italic, bold_italic"),
    "contact": Field("phone, after_hours, email, website, address"),
    "booking_url": Field("an https link where patients book"),
    "footer": Field("one line printed at the foot of every page, or one per language: {en: ..., es: ...}"),
    "disclaimer": Field("a short line printed under the footer, or one per language: {en: ..., es: ...}"),
    "page_size": Field("letter or a4"),
    "languages": Field("the languages this clinic prints, e.g. [en, es]"),
    "settings": Field("clinic values that replace the treatment defaults, e.g. {makeup_wait_hours: \"48\"}"),
    "layout": Field("the default layout for this clinic's handouts: standard, large-print, two-column, card or trifold"),
    "date_format": Field("how dates are written: mdy (Nov 24) or dmy (24 Nov)"),
}
COLORS = {key: Field("a colour such as \"#1F4E5A\"") for key in COLOR_KEYS}
FONTS = {key: Field("a .ttf file beside brand.yaml") for key in fonts.STYLES}
CONTACT = {key: Field("text") for key in CONTACT_KEYS}
LOCALISED = ("footer", "disclaimer")
ANY_LANGUAGE = "*"
REQUIRED_AFTER_MERGE = ("name", "colors.primary", "colors.accent", "colors.text", "contact.phone", "footer", "page_size", "languages")


@dataclass
class Brand:
    """A validated, merged brand kit."""

    slug: str
    path: Path
    display: str
    name: str
    colors: dict[str, str]
    contact: dict[str, str]
    booking_url: str
    footer: str
    disclaimer: str
    page_size: str
    languages: tuple[str, ...]
    settings: dict[str, Text]
    layout: str | None
    date_format: str
    logo: Path | None = None
    font_files: dict[str, Path] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    localised_text: dict[str, dict[str, str]] = field(default_factory=dict)  # footer/disclaimer by language ("*": any)
    sources: dict[str, tuple[str, int]] = field(default_factory=dict)  # where each key was set: (brand.yaml shown, line)

    def localised(self, language: str) -> "Brand":
        """This brand with its footer and disclaimer in one language."""
        texts = {key: by_lang.get(language, by_lang.get(ANY_LANGUAGE, "")) for key, by_lang in self.localised_text.items()}
        return replace(self, **texts)

    def where(self, key: str, language: str | None = None) -> tuple[str, int | None]:
        """The file and line that set a key of the merged kit ("name", "logo", "contact.phone"; "footer" in a language)."""
        found = self.sources.get(f"{key}.{language}") or self.sources.get(key)
        return found if found else (self.display, None)

    def value(self, key: str) -> str:
        """A {brand.x} placeholder's value ('' where the kit leaves it out)."""
        if key == "name":
            return self.name
        if key == "booking_url":
            return self.booking_url
        return self.contact.get(key, "")


@dataclass
class _Partial:
    """What one brand.yaml says on its own, before merging with what it extends."""

    slug: str
    path: Path
    values: dict[str, object] = field(default_factory=dict)
    extends: str | None = None
    extends_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)  # line of each key the file sets ("name", "contact.phone", "footer.es")


def load_brands(root: Path, display: callable) -> tuple[dict[str, Brand], list]:
    """Load every brands/<slug>/brand.yaml under root; return the brands and all problems."""
    folder = root / "brands"
    partials: dict[str, _Partial] = {}
    broken: dict[str, Path] = {}  # brands that exist but cannot be used, by slug
    all_problems = []
    if not folder.is_dir():
        return {}, []
    for brand_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        path = brand_dir / "brand.yaml"
        problems = Problems(display(path))
        if not _SLUG.match(brand_dir.name):
            problems.add(None, f"brand folder name '{brand_dir.name}' is not usable", "lower-case letters, digits, '-' and '_'")
        elif not path.is_file():
            problems.add(None, "brand folder has no brand.yaml", "brands/<slug>/brand.yaml")
        else:
            partial = _read(path, brand_dir.name, root, problems)
            if partial is not None and not problems.errors:
                partials[partial.slug] = partial
        if problems.errors:
            broken[brand_dir.name] = path
        all_problems += problems.items
    brands = {}
    for slug in sorted(partials):
        problems = Problems(display(partials[slug].path))
        brand = _merge(slug, partials, problems, display, {name: display(path) for name, path in broken.items()})
        all_problems += problems.items
        if brand is not None and not problems.errors:
            brands[slug] = brand
    return brands, all_problems


def _read(path: Path, slug: str, root: Path, problems: Problems) -> _Partial | None:
    node = load_file(path, problems.path, problems, root)
    if node is None:
        return None
    check = Checker(problems)
    data = check.mapping(node, "", FIELDS)
    if data is None:
        return None
    partial = _Partial(slug, path)
    base = path.parent
    values = partial.values
    if "name" in data:
        value = check.text(data["name"], "name", data.line_of("name"), max_len=300)
        if value is not None:
            values["name"] = _printable(value, "name", check)
    for key in LOCALISED:
        if key in data:
            by_language = _localised(data[key], key, data.line_of(key), check)
            if by_language is not None:
                values[key] = by_language
                partial.lines[key] = data.line_of(key)
    if "extends" in data:
        value = check.text(data["extends"], "extends", data.line_of("extends"))
        if value is not None:
            partial.extends = str(value)
            partial.extends_line = data.line_of("extends")
    if "booking_url" in data:
        value = check.text(data["booking_url"], "booking_url", data.line_of("booking_url"), max_len=500)
        if value is not None:
            problem = check_url(value) or (None if value.startswith("https:") else f"link '{value[:60]}' is not https")
            if problem:
                check.error(value, "booking_url", problem, "an https:// link")
            elif links.qr_problem(value):  # the trifold layout prints it as a QR code
                check.error(value, "booking_url", str(links.qr_problem(value)), f"a link of at most {links.QR_MAX_BYTES} characters")
            else:
                values["booking_url"] = str(value)
    if "page_size" in data:
        value = check.choice(data["page_size"], "page_size", PAGE_SIZES, data.line_of("page_size"))
        if value:
            values["page_size"] = value
    if "date_format" in data:
        value = check.choice(data["date_format"], "date_format", ("mdy", "dmy"), data.line_of("date_format"))
        if value:
            values["date_format"] = value
    if "layout" in data:
        value = check.choice(data["layout"], "layout", registry.names(), data.line_of("layout"))
        if value is not None:
            values["layout"] = str(value)
    if "languages" in data:
        langs = check.text_list(data["languages"], "languages", data.line_of("languages"))
        for lang in langs:
            if lang not in LANGUAGES:
                check.error(lang, "languages", f"language '{lang}' is not supported", one_of(LANGUAGES) + did_you_mean(lang, LANGUAGES))
        if langs and all(lang in LANGUAGES for lang in langs):
            values["languages"] = tuple(dict.fromkeys(str(lang) for lang in langs))
    for group, spec in (("colors", COLORS), ("contact", CONTACT)):
        if group in data:
            sub = check.mapping(data[group], group, spec, data.line_of(group))
            for key, raw in (sub or {}).items():
                if key not in spec:
                    continue
                value = check.text(raw, f"{group}.{key}", sub.line_of(key), max_len=200)
                if value is None:
                    continue
                if group == "colors" and not _COLOR.match(value):
                    check.error(value, f"{group}.{key}", f"'{value[:40]}' is not a colour", "a colour such as \"#1F4E5A\"")
                    continue
                values[f"{group}.{key}"] = _expand_color(value) if group == "colors" else _printable(value, f"{group}.{key}", check)
    if "settings" in data:
        sub = data["settings"]
        if not isinstance(sub, Mapping):
            check.error(sub, "settings", "expected a mapping", "setting names and values, e.g. {makeup_wait_hours: \"48\"}")
        else:
            for key, raw in sub.items():
                value = check.text(raw, f"settings.{key}", sub.line_of(key), max_len=200)
                if value is not None:
                    if "{" in value:
                        check.error(value, f"settings.{key}", "a setting's value cannot hold a placeholder", "plain text such as \"48\"")
                    else:
                        values[f"settings.{key}"] = value
    if "logo" in data:
        name = check.text(data["logo"], "logo", data.line_of("logo"))
        if name is not None:
            try:
                logo = resolve_inside(root, base, name, (".png", ".jpg", ".jpeg", ".svg"))
                images.load(logo)
                values["logo"] = logo
            except (PathError, images.ImageError) as exc:
                check.error(name, "logo", exc.message, exc.expected)
    if "fonts" in data:
        sub = check.mapping(data["fonts"], "fonts", FONTS, data.line_of("fonts"))
        if sub is not None and "regular" not in sub:
            check.error(sub, "fonts", "has no 'regular' font", "at least fonts.regular (bold, italic, bold_italic are optional)")
        for key, raw in (sub or {}).items():
            if key not in FONTS:
                continue
            name = check.text(raw, f"fonts.{key}", sub.line_of(key))
            if name is None:
                continue
            try:
                font = resolve_inside(root, base, name, (".ttf",))
                fonts.load_font(font)
            except (PathError, fonts.FontError) as exc:
                check.error(name, f"fonts.{key}", exc.message, exc.expected)
                continue
            lacking = fonts.missing_layout_chars(font)
            if lacking:
                chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in lacking)
                check.error(name, f"fonts.{key}", f"'{font.name}' has no {chars}, which the layouts print",
                            f"a font with {' '.join(fonts.LAYOUT_CHARS)}")
                continue
            values[f"fonts.{key}"] = font
    partial.lines.update({key: data.line_of(key) for key in data})
    for key in ("colors", "contact", "fonts", "settings", *LOCALISED):
        if isinstance(data.get(key), Mapping):
            partial.lines.update({f"{key}.{sub}": data[key].line_of(sub) for sub in data[key]})
    return partial


def _localised(node: object, key: str, line: int, check: Checker) -> dict[str, str] | None:
    """One text for every language, or a mapping of language to text."""
    if not isinstance(node, Mapping):
        value = check.text(node, key, line, max_len=300)
        return None if value is None else {ANY_LANGUAGE: _printable(value, key, check)}
    out = {}
    for lang, raw in node.items():
        if lang not in LANGUAGES:
            check.error(node, f"{key}.{lang}", f"language '{lang}' is not supported", one_of(LANGUAGES) + did_you_mean(lang, LANGUAGES), node.line_of(lang))
            continue
        value = check.text(raw, f"{key}.{lang}", node.line_of(lang), max_len=300)
        if value is not None:
            out[lang] = _printable(value, f"{key}.{lang}", check)
    return out if out else None


def _printable(value: Text, where: str, check: Checker) -> str:
    if "{" in value:
        check.error(value, where, "a brand value cannot hold a placeholder", "plain text")
    return " ".join(value.split())


def _expand_color(value: str) -> str:
    value = value.upper()
    return value if len(value) == 7 else "#" + "".join(c * 2 for c in value[1:])


def _merge(slug: str, partials: dict[str, _Partial], problems: Problems, display: callable, broken: dict[str, str]) -> Brand | None:
    chain = []
    current: str | None = slug
    line = partials[slug].extends_line
    while current is not None:
        if current in chain:
            problems.add(line, f"'extends' goes round in a circle: {' → '.join(chain + [current])}", "a chain of brands that ends")
            return None
        partial = partials.get(current)
        if partial is None and current in broken:
            problems.add(line, f"extends brand '{current}', which has errors", f"fix {broken[current]} first")
            return None
        if partial is None:
            known = sorted((set(partials) | set(broken)) - {slug})
            problems.add(line, f"extends unknown brand '{current}'", one_of(known) + did_you_mean(current, known) if known else "an existing brand slug")
            return None
        chain.append(current)
        current = partial.extends
    merged: dict[str, object] = {}
    sources: dict[str, tuple[str, int]] = {}
    for name in reversed(chain):
        own = partials[name].lines
        for key in LOCALISED:  # one text for every language replaces the texts per language it inherits
            if key in own and not any(k.startswith(f"{key}.") for k in own):
                sources = {k: v for k, v in sources.items() if not k.startswith(f"{key}.")}
        sources.update({key: (display(partials[name].path), line) for key, line in own.items()})
    for name in reversed(chain):
        for key, value in partials[name].values.items():
            if key in LOCALISED and ANY_LANGUAGE not in value and isinstance(merged.get(key), dict):  # type: ignore[operator]
                # Texts per language add to (or replace) the ones inherited, language by language.
                value = {**merged[key], **value}  # type: ignore[dict-item]
            merged[key] = value
    for key in REQUIRED_AFTER_MERGE:
        if key not in merged:
            problems.add(1, f"missing required key '{key}'", "set it here or in the brand this one extends")
    if problems.errors:
        return None
    localised: dict[str, dict[str, str]] = {key: merged.get(key, {ANY_LANGUAGE: ""}) for key in LOCALISED}  # type: ignore[misc]
    for key, by_language in localised.items():
        missing = [lang for lang in merged["languages"] if ANY_LANGUAGE not in by_language and lang not in by_language]  # type: ignore[union-attr]
        if missing:
            problems.add(partials[slug].lines.get(key), f"{key} has no text in {', '.join(missing)}",
                         f"a {key} for every language the brand prints, or one text for all")
    if problems.errors:
        return None
    first_language = tuple(merged["languages"])[0]  # type: ignore[arg-type]
    page_size = str(merged["page_size"])
    return Brand(
        slug=slug,
        path=partials[slug].path,
        display=display(partials[slug].path),
        name=str(merged["name"]),
        colors={k: str(merged[f"colors.{k}"]) for k in COLOR_KEYS},
        contact={k: str(merged[f"contact.{k}"]) for k in CONTACT_KEYS if f"contact.{k}" in merged},
        booking_url=str(merged.get("booking_url", "")),
        footer=localised["footer"].get(first_language, localised["footer"].get(ANY_LANGUAGE, "")),
        disclaimer=localised["disclaimer"].get(first_language, localised["disclaimer"].get(ANY_LANGUAGE, "")),
        page_size=page_size,
        languages=tuple(merged["languages"]),  # type: ignore[arg-type]
        settings={k.split(".", 1)[1]: v for k, v in merged.items() if k.startswith("settings.")},  # type: ignore[misc]
        layout=merged.get("layout"),  # type: ignore[arg-type]
        date_format=str(merged.get("date_format", "mdy" if page_size == "letter" else "dmy")),
        logo=merged.get("logo"),  # type: ignore[arg-type]
        font_files={k.split(".", 1)[1]: v for k, v in merged.items() if k.startswith("fonts.")},  # type: ignore[misc]
        # What the PDFs depend on: every brand.yaml of the chain, and the logo and fonts it ends up with (not those it overrides).
        files=tuple([partials[name].path for name in reversed(chain)]
                    + [v for k, v in sorted(merged.items()) if k == "logo" or k.startswith("fonts.")]),  # type: ignore[misc]
        localised_text=localised,
        sources=sources,
    )
