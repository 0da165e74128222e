"""Brand kits: a folder with brand.yaml, its logo and optional fonts; a kit may extend another."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from . import fonts, images, links, loaded, options as o, registry
from .compiled import dataclass
from .errors import Problem, Problems, did_you_mean, one_of
from .i18n import LANGUAGES
from .inline import check_url
from .yamlcheck import MAX_TEXT, Checker
from .yamlcache import load_file
from .yamlsafe import Mapping, Node

PAGE_SIZES = ("letter", "a4")
DATE_ORDERS = ("mdy", "dmy")
ANY_LANGUAGE = "*"
MAX_BASE_URL = 60
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
_COLOR_EXAMPLE = "a colour such as \"#1F4E5A\""


class Colour(o.Option[str]):
    """A colour written #RGB or #RRGGBB; read as #RRGGBB in capitals."""

    def __init__(self, doc: str = _COLOR_EXAMPLE) -> None:
        super().__init__(doc, required=True)

    def read(self, node: Node, where: str, line: int, reading: o.Reading) -> str | None:
        """The colour as #RRGGBB."""
        value = reading.check.text(node, where, line, max_len=200)
        if value is None:
            return None
        if not _COLOR.match(value):
            reading.check.error(value, where, f"'{value[:40]}' is not a colour", _COLOR_EXAMPLE)
            return None
        upper = value.upper()
        return upper if len(upper) == 7 else "#" + "".join(c * 2 for c in upper[1:])

    def schema(self) -> o.JsonSchema:
        """A string of three or six hex digits after '#'."""
        return {"type": "string", "pattern": _COLOR.pattern}


class Link(o.Option[str]):
    """An https link."""

    def read(self, node: Node, where: str, line: int, reading: o.Reading) -> str | None:
        """The link, when it is https and well formed."""
        value = reading.check.text(node, where, line, max_len=500)
        if value is None:
            return None
        problem = check_url(value) or (None if value.startswith("https:") else f"link '{value[:60]}' is not https")
        if problem:
            reading.check.error(value, where, problem, "an https:// link")
            return None
        too_long = links.qr_problem(value)  # a layout may print it as a QR code
        if too_long:
            reading.check.error(value, where, too_long, f"a link of at most {links.QR_MAX_BYTES} characters")
            return None
        return str(value)

    def schema(self) -> o.JsonSchema:
        """A string that starts https://."""
        return {"type": "string", "pattern": "^https://[^/?#\\s]", "maxLength": 500}


class WebBase(o.Option[str]):
    """The https address where a brand hosts its web copies (its html folder): a copy's address is it, a language and a name."""

    def read(self, node: Node, where: str, line: int, reading: o.Reading) -> str | None:
        """The address, ending with '/'."""
        value = reading.check.text(node, where, line, max_len=200)
        if value is None:
            return None
        problem = _base_url_problem(value)
        if problem:
            reading.check.error(value, where, problem, "an https:// address without ? or #, e.g. https://example.com/handouts/")
            return None
        return str(value).rstrip("/") + "/"

    def schema(self) -> o.JsonSchema:
        """An https address of printable ASCII without ?, # or braces."""
        return {"type": "string", "pattern": "^https://[!-\"$-.0->@-z|~][!-\"$->@-z|~]*$", "maxLength": MAX_BASE_URL}


def _base_url_problem(value: str) -> str | None:
    """Why a web base address is not usable, or None."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        return f"'{value[:60]}' is not an https:// address"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return f"'{value[:60]}' has a query or fragment"
    if not value.isascii() or any(c.isspace() for c in value) or "{" in value or "}" in value:
        return f"'{value[:60]}' has spaces or characters outside ASCII"
    if len(value) > MAX_BASE_URL:  # each sheet prints a small QR code of base + language + page name
        return f"'{value[:60]}…' is longer than {MAX_BASE_URL} characters, too long for the small QR code on each sheet"
    return None


class Languages(o.Option[tuple[str, ...]]):
    """The languages a clinic prints, in order (the first is the kit's own)."""

    def read(self, node: Node, where: str, line: int, reading: o.Reading) -> tuple[str, ...] | None:
        """The languages once each, when every one is supported."""
        check = reading.check
        langs = check.text_list(node, where, line)
        for lang in langs:
            if lang not in LANGUAGES:
                check.error(lang, where, f"language '{lang}' is not supported", one_of(LANGUAGES) + did_you_mean(lang, LANGUAGES))
        if not langs or any(lang not in LANGUAGES for lang in langs):
            return None
        return tuple(dict.fromkeys(str(lang) for lang in langs))

    def schema(self) -> o.JsonSchema:
        """A non-empty array of language codes."""
        return {"type": "array", "items": {"enum": list(LANGUAGES)}, "minItems": 1, "maxItems": 200}


class Localised(o.Option[dict[str, str]]):
    """One text for every language, or one per language: {en: ..., es: ...}; read as texts by language ('*': any)."""

    def __init__(self, doc: str, *, required: bool = False) -> None:
        super().__init__(doc, required=required, default={})
        self.text = o.Plain(doc, what="a brand value", collapse=True, max_len=300)

    def read(self, node: Node, where: str, line: int, reading: o.Reading) -> dict[str, str] | None:
        """The texts by language."""
        if not isinstance(node, Mapping):
            value = self.text.read(node, where, line, reading)
            return None if value is None else {ANY_LANGUAGE: value}
        if not node:
            reading.check.error(node, where, "is an empty mapping", "one text, or one per language: {en: ..., es: ...}", line)
            return None
        out = {}
        for lang, raw in node.items():
            if lang not in LANGUAGES:
                reading.check.error(node, f"{where}.{lang}", f"language '{lang}' is not supported",
                                    one_of(LANGUAGES) + did_you_mean(lang, LANGUAGES), node.line_of(lang))
                continue
            value = self.text.read(raw, f"{where}.{lang}", node.line_of(lang), reading)
            if value is not None:
                out[lang] = value
        return out if out else None

    def schema(self) -> o.JsonSchema:
        """A text, or an object of texts by language."""
        one = self.text.schema()
        return {"oneOf": [one, {"type": "object", "properties": {lang: one for lang in LANGUAGES}, "minProperties": 1,
                                "additionalProperties": False}]}

    def merge(self, inherited: dict[str, str], own: dict[str, str]) -> dict[str, str]:
        """Texts per language add to (or replace) the inherited ones, language by language; one text for all replaces them."""
        return own if ANY_LANGUAGE in own else {**inherited, **own}


def _load_font(path: Path) -> None:
    """A TrueType font that has every character the layouts print (raises FontError)."""
    fonts.load_font(path)
    lacking = fonts.missing_layout_chars(path)
    if lacking:
        chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in lacking)
        raise fonts.FontError(f"'{path.name}' has no {chars}, which the layouts print", f"a font with {' '.join(fonts.LAYOUT_CHARS)}")


def _brand_text(doc: str, required: bool = False, max_len: int = 200) -> o.Plain:
    return o.Plain(doc, what="a brand value", collapse=True, required=required, max_len=max_len)


@dataclass(kw_only=True)
class Brand:
    """A validated, merged brand kit.

    The fields made with `option()` are the keys of brand.yaml: each declares its YAML type, default, check, messages
    and JSON Schema at once. `required` means the kit, with the kits it extends, must give it; a kit that extends
    another inherits every key it does not set.
    """

    name: str = o.option(_brand_text("the clinic's name as printed on every sheet", required=True, max_len=300))
    extends: str = o.option(o.Text("the slug of a brand kit this one builds on, e.g. default", max_len=MAX_TEXT))
    logo: Path | None = o.option(o.File("a PNG, JPEG or SVG file beside brand.yaml", (".png", ".jpg", ".jpeg", ".svg"), images.load))
    colors: dict[str, str] = o.option(o.Group("primary, accent and text colours as #RRGGBB", {
        "primary": Colour(), "accent": Colour(), "text": Colour()}, required=True))
    font_files: dict[str, Path] = o.option(o.Group("TrueType files: regular, bold, italic, bold_italic", {
        style: o.File("a .ttf file beside brand.yaml", (".ttf",), _load_font, required=style == "regular") for style in fonts.STYLES}),
        key="fonts")
    contact: dict[str, str] = o.option(o.Group("phone, after_hours, email, website, address", {
        "phone": _brand_text("the clinic's phone number, printed on every sheet", required=True),
        "after_hours": _brand_text("a number to call out of hours"),
        "email": _brand_text("an e-mail address for patients"),
        "website": _brand_text("the clinic's website"),
        "address": _brand_text("the clinic's street address")}, required=True))
    booking_url: str = o.option(Link("an https link where patients book", default=""))
    footers: dict[str, str] = o.option(Localised("one line printed at the foot of every page, or one per language: {en: ..., es: ...}",
                                               required=True), key="footer")
    disclaimers: dict[str, str] = o.option(Localised("a short line printed under the footer, or one per language: {en: ..., es: ...}"),
                                         key="disclaimer")
    page_size: str = o.option(o.Choice("letter or a4", PAGE_SIZES, required=True))
    languages: tuple[str, ...] = o.option(Languages("the languages this clinic prints, e.g. [en, es]", required=True))
    language_help: tuple[str, ...] = o.option(Languages("the languages a language-help block lists, e.g. [es, zh-Hant, vi, ko, tl, ru, ar, ht, pt, fr]"))
    settings: dict[str, str] = o.option(o.Names("clinic values that replace the treatment defaults, e.g. {makeup_wait_hours: \"48\"}",
                                            o.Plain("a clinic's value", what="a setting's value", example="\"48\"")))
    layout: str | None = o.option(o.Choice("the default layout for this clinic's handouts: standard, large-print, two-column, card or trifold",
                                       registry.names))
    date_format: str = o.option(o.Choice("how dates are written: mdy (Nov 24) or dmy (24 Nov); by default mdy on letter, dmy on a4",
                                     DATE_ORDERS))
    web_base_url: str = o.option(WebBase("the https address where this clinic hosts its web copies (the build's <brand>/html/ folder), "
                                         "e.g. https://example.com/handouts/; each sheet then prints a small QR code to its web copy. "
                                         "Not inherited", default=""))
    unreviewed_translations: str | None = o.option(o.Choice("print (the default: the sheet says it is not yet reviewed) or refuse",
                                                         ("print", "refuse")))

    slug: str
    path: Path
    display: str
    files: tuple[Path, ...] = ()  # what its PDFs depend on: brand.yaml of the kit and of those it extends, the logo and fonts it uses
    language: str = ""  # the language of footer and disclaimer: the kit's first unless localised() chose another
    sources: dict[str, tuple[str, int]] = field(default_factory=dict)  # where each key was set: (brand.yaml shown, line)

    def __post_init__(self) -> None:
        self.language = self.language or self.languages[0]
        self.date_format = self.date_format or ("mdy" if self.page_size == "letter" else "dmy")

    @property
    def footer(self) -> str:
        """The footer in this brand's language."""
        return self.footers.get(self.language, self.footers.get(ANY_LANGUAGE, ""))

    @property
    def disclaimer(self) -> str:
        """The disclaimer in this brand's language ('' without one)."""
        return self.disclaimers.get(self.language, self.disclaimers.get(ANY_LANGUAGE, ""))

    def localised(self, language: str) -> "Brand":
        """This brand with its footer and disclaimer in one language."""
        return replace(self, language=language)

    def where(self, key: str, language: str | None = None) -> tuple[str, int | None]:
        """The file and line that set a key of the merged kit ("name", "logo", "contact.phone"; "footer" in a language)."""
        found = self.sources.get(f"{key}.{language}") or self.sources.get(key)
        return found if found else (self.display, None)

    def web_address(self, treatment: str, kind: str, language: str) -> str | None:
        """The address of one handout's web copy where the kit hosts its html folder ('<base><lang>/<treatment>-<kind>.html'),
        or None when it hosts none."""
        return f"{self.web_base_url}{language}/{treatment}-{kind}.html" if self.web_base_url else None

    def value(self, key: str) -> str:
        """A {brand.x} placeholder's value ('' where the kit leaves it out)."""
        if key == "name":
            return self.name
        if key == "booking_url":
            return self.booking_url
        return self.contact.get(key, "")


OPTIONS = o.options_of(Brand)
LOCALISED = tuple(key for key, declared in OPTIONS.items() if isinstance(declared, Localised))  # footer, disclaimer


@dataclass
class _Partial:
    """What one brand.yaml says on its own, before merging with what it extends."""

    slug: str
    path: Path
    values: dict[str, Any]  # by YAML key
    lines: dict[str, int]  # the line of each key the file sets, and of each key inside a mapping ("contact.phone", "footer.es")

    @property
    def extends(self) -> str | None:
        """The slug this kit extends, if any."""
        return self.values.get("extends") or None


def load_brands(root: Path, display: Callable[[Path], str], only: str | None = None) -> tuple[dict[str, Brand], list[Problem]]:
    """Load every brands/<slug>/brand.yaml under root (with only, that brand and the kits it extends); return the brands
    and all problems."""
    folder = root / "brands"
    partials: dict[str, _Partial] = {}
    broken: dict[str, Path] = {}  # brands that exist but cannot be used, by slug
    all_problems: list[Problem] = []
    if not folder.is_dir():
        return {}, []
    queue = [folder / only] if only is not None and _SLUG.match(only) else sorted(p for p in folder.iterdir() if p.is_dir())
    while queue:
        brand_dir = queue.pop(0)
        if brand_dir.name in partials or brand_dir.name in broken or not brand_dir.is_dir():
            continue
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
                if only is not None and partial.extends and _SLUG.match(partial.extends):
                    queue.append(folder / partial.extends)
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
    return loaded.load("brand", path, (str(root), slug), problems, lambda: _read_kit(path, slug, root, problems),
                       lambda partial: (partial.values.get("layout"),))


def _read_kit(path: Path, slug: str, root: Path, problems: Problems) -> _Partial | None:
    node = load_file(path, problems.path, problems, root)
    if node is None:
        return None
    values = o.read_options(node, OPTIONS, o.Reading(Checker(problems), root, path.parent, path.name, partial=True))
    if values is None or not isinstance(node, Mapping):
        return None
    lines = dict(node.key_lines)
    for key, value in node.items():
        if isinstance(value, Mapping):
            lines.update({f"{key}.{sub}": value.line_of(sub) for sub in value})
    return _Partial(slug, path, values, lines)


def _merge(slug: str, partials: dict[str, _Partial], problems: Problems, display: Callable[[Path], str], broken: dict[str, str]) -> Brand | None:
    chain: list[str] = []
    current: str | None = slug
    line = partials[slug].lines.get("extends", 1)
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
    merged: dict[str, Any] = {}
    sources: dict[str, tuple[str, int]] = {}
    for name in reversed(chain):
        merged = o.merge(OPTIONS, merged, partials[name].values)
        own = partials[name].lines
        for key in LOCALISED:  # one text for every language replaces the texts per language it inherits
            if key in own and not any(k.startswith(f"{key}.") for k in own):
                sources = {k: v for k, v in sources.items() if not k.startswith(f"{key}.")}
        shown = display(partials[name].path)
        sources.update({key: (shown, line) for key, line in own.items()})
    for key in o.missing_required(OPTIONS, merged):  # at the group's line when the kit gives the group, else at the top
        problems.add(partials[slug].lines.get(key.split(".")[0], 1), f"missing required key '{key}'", "set it here or in the brand this one extends")
    if problems.errors:
        return None
    for key in ("footer", "disclaimer"):
        by_language = merged.get(key, {})
        missing = [lang for lang in merged["languages"] if by_language and ANY_LANGUAGE not in by_language and lang not in by_language]
        if missing:
            problems.add(partials[slug].lines.get(key), f"{key} has no text in {', '.join(missing)}",
                         f"a {key} for every language the brand prints, or one text for all")
    if problems.errors:
        return None
    # What the PDFs depend on: every brand.yaml of the chain, and the logo and fonts it ends up with (not those it overrides).
    files = [partials[name].path for name in reversed(chain)] + [path for _, path in sorted(_paths(merged))]
    # Where a kit's web copies are hosted is its own: a kit that extends another is not hosted in the other's folder.
    merged["web_base_url"] = partials[slug].values.get("web_base_url", "")
    return Brand(slug=slug, path=partials[slug].path, display=display(partials[slug].path), files=tuple(files), sources=sources,
                 **o.fields_of(Brand, merged))


def _paths(values: dict[str, Any]) -> list[tuple[str, Path]]:
    """The files among a kit's values, by dotted key ("logo", "fonts.bold")."""
    found = [(key, value) for key, value in values.items() if isinstance(value, Path)]
    return found + [(f"{key}.{sub}", v) for key, value in values.items() if isinstance(value, dict) for sub, v in value.items() if isinstance(v, Path)]
