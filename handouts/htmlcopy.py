"""The accessible web copy: a brand's handouts as static, semantic HTML pages, rendered with Jinja2 templates.

The copy of a handout is made from the same validated blocks, settings and brand kit as its PDF, without patient
details. A brand's copies form one folder to upload (`<brand>/html/` in a build): a page per handout and language,
an index per language, a language list at the top, and `assets/` with the style sheets, the brand's fonts, its logo
and the pictures. The pages load nothing from other sites and need no JavaScript.
"""

from __future__ import annotations

import hashlib
import html as html_module
import re
from dataclasses import field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable

import jinja2
from markupsafe import Markup, escape

from . import blocks as b
from . import fonts, images, inline, webfonts
from .compiled import dataclass
from .flowables import RESOLVED_AT_LOAD, RenderContext, RenderError, _contact_span, help_languages, waits
from .i18n import LANGUAGES
from .sheet import revision_line
from .styles import DONT_COLOR, TONES

if TYPE_CHECKING:
    from .brand import Brand
    from .content import Catalogue, Handout

TEMPLATES = Path(__file__).parent / "webcopy"
FOLDER = "html"  # a brand's copies live in <out>/<brand>/html/
ASSETS = "assets"
READING_ORDER = ("overview", "pre-treatment", "aftercare")  # the order a patient meets the sheets in
_TAG = re.compile(r"<[^>]*>")  # an element's tags, between the text a page shows
SHORT_LABEL = 12  # characters: a timeline label up to this long is never broken across lines


@dataclass(frozen=True)
class SiteFile:
    """One file of a brand's web copy: its path relative to the build's output folder, its bytes, and what it is."""

    path: str
    data: bytes
    role: str  # "page" (a handout), "index" (a list of pages) or "asset"
    handout: Handout | None = None


def page_path(brand: str, treatment: str, kind: str, language: str) -> str:
    """Where the copy of one handout lives, relative to the build's output folder."""
    return f"{brand}/{FOLDER}/{language}/{treatment}-{kind}.html"


def direction(language: str) -> str:
    """'rtl' for a language its catalogue writes right to left, else 'ltr'."""
    return LANGUAGES[language].direction


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the copies: escaping on, unknown names an error, no whitespace noise."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["tel"] = lambda number: "".join(c for c in number if c.isdigit() or c == "+")
    env.globals["direction"] = direction
    return env


def spans_html(spans: list[inline.Span]) -> Markup:
    """HTML for inline spans: every character of text escaped, bold, italic and links as elements."""
    out = Markup()
    for span in spans:
        piece: Markup = escape(span.text)
        if span.italic:
            piece = Markup("<em>%s</em>") % piece
        if span.bold:
            piece = Markup("<strong>%s</strong>") % piece
        if span.href:
            piece = Markup('<a href="%s">%s</a>') % (span.href, piece)
        out += piece
    return out


@dataclass
class Assets:
    """The files the pages of one brand refer to, named by their contents so that a changed file gets a new name."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, stem: str, suffix: str, data: bytes) -> str:
        """Keep a file; return its name inside assets/."""
        name = f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
        self.files[name] = data
        return name


@dataclass
class CopyContext(RenderContext):
    """What the block templates are given: the PDF renderers' context without a patient, page or type scale, plus the
    picture files and heading levels of one page."""

    assets: Assets = field(default_factory=Assets)
    levels: dict[int, int] = field(default_factory=dict)  # id(block) → level of its title
    counter: int = 0

    def new_id(self, prefix: str) -> str:
        """An id unique on the page, the same on every build."""
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def rich(self, rich: b.Rich) -> Markup:
        """Validated content text as HTML."""
        try:
            spans = inline.fill(list(rich.spans), lambda t: self.fill(t, rich.line))
        except inline.InlineError as exc:
            raise RenderError(self.source, rich.line, exc.message, exc.expected) from None
        return spans_html(spans)

    def each(self, items: list[b.Rich]) -> list[Markup]:
        """Several texts as HTML."""
        return [self.rich(item) for item in items]

    def level(self, block: b.Block) -> int:
        """The heading level of a block's own title: under the last section heading, or under the page's h1."""
        return self.levels.get(id(block), 2)

    def day_label(self, entry: b.TimelineEntry) -> Markup:
        """'Day 0', 'Days 1–3', or the entry's own label; a short one is kept on one line, so a range never breaks at its dash."""
        if entry.label:
            label = self.rich(entry.label)
        else:
            first, last = self.days(entry.days, entry.text.line)
            label = escape(self.strings.day_label(first, last))
        return Markup('<span class="nowrap">%s</span>') % label if len(label.striptags()) <= SHORT_LABEL else label

    def waits(self, block: b.WhenCanI) -> list[tuple[b.Rich, str, str]]:
        """(what, how long, from which day) for each row of a 'when can I' table."""
        return [(row.what, self.strings.duration(number, row.unit), self.strings.day_label(day, day)) for row, number, day in waits(block, self)]

    def contact(self) -> list[tuple[str, Markup]]:
        """(label, value as HTML) for each of the brand's contact details, phone numbers first."""
        s, details = self.strings, self.brand.contact
        entries = [(s.phone, details.get("phone")), (s.after_hours, details.get("after_hours")), (s.email, details.get("email")),
                   (s.website, details.get("website")), (s.address, details.get("address"))]
        return [(label, spans_html([_contact_span(label, value, s, value)])) for label, value in entries if value]

    def image(self, block: b.Image) -> dict[str, object]:
        """The picture as an asset: its file name, its size in pixels and its share of the text width."""
        try:
            picture = images.load(block.file)
        except images.ImageError as exc:
            raise RenderError(self.source, block.line, exc.message, exc.expected) from None
        name = picture_asset(self.assets, "picture", picture)
        width, height = picture_size(picture)
        return {"src": f"../{ASSETS}/{name}", "width": width, "height": height, "share": round(block.width * 100)}

    def link(self, block: b.Qr) -> tuple[str, str]:
        """A QR block's link (checked once filled) and how it is written out."""
        url = self.fill(block.url, block.line)
        problem = inline.check_url(url)
        if problem or not url:
            raise RenderError(self.source, block.line, problem or "the QR code's link is empty", "an https: link, e.g. the brand's booking_url")
        return url, url.removeprefix("https://").removeprefix("mailto:").removeprefix("tel:")

    def language_help(self, block: b.LanguageHelp) -> list[tuple[str, str, str, str, str, str]]:
        """(tag, direction, name, words before the number, the number, words after it) for each language a language-help
        block lists, each in its own words."""
        phone = self.brand.contact.get("phone", "")
        rows = []
        for tag in help_languages(block, self.brand):
            words = LANGUAGES[tag]
            before, _, after = words.language_help.partition("{phone}")
            rows.append((tag, direction(tag), words.name, before, phone, after))
        return rows

    def tone(self, tone: str) -> str:
        """The CSS class of a callout tone."""
        return f"callout-{tone}"


def picture_asset(assets: Assets, stem: str, picture: images.Picture) -> str:
    """Keep a checked picture among the assets: an SVG as it is, a raster as the cleaned PNG the PDF prints."""
    if isinstance(picture, images.Vector):
        return assets.add(stem, ".svg", picture.path.read_bytes())
    return assets.add(stem, ".png", picture.data)


def picture_size(picture: images.Picture) -> tuple[int, int]:
    """Width and height to reserve for a picture, in CSS pixels."""
    if isinstance(picture, images.Vector):
        return round(picture.width), round(picture.height)
    return picture.width_px, picture.height_px


def _heading_levels(items: list[tuple[str, b.Block]]) -> dict[int, int]:
    """The level of each titled box: h2 before the first section heading, h3 under one, so headings never skip a level."""
    levels, inside = {}, False
    for _, block in items:
        if isinstance(block, b.Heading):
            inside = True
        levels[id(block)] = 3 if inside else 2
    return levels


@dataclass(frozen=True)
class BrandSite:
    """What every page of one brand shares: the brand, its languages, its handouts and the assets they use."""

    catalogue: Catalogue
    brand: Brand
    assets: Assets
    fonts_css: Markup
    handouts: list[Handout] = field(default_factory=list)  # the brand's handouts in the languages it prints, in a stable order
    by_handout: dict[tuple[str, str], dict[str, Handout]] = field(default_factory=dict)  # (treatment, kind) → language → handout

    def languages(self, handout: Handout) -> list[Handout]:
        """The same handout in each of the brand's languages, in the brand's order."""
        by_language = self.by_handout.get((handout.treatment_slug, handout.kind), {})
        return [by_language[lang] for lang in self.brand.languages if lang in by_language]


PageKey = tuple[str, str, str, str]  # brand, treatment, kind, language


@dataclass(frozen=True)
class PageCopy:
    """One handout's page of a brand's web copy, rendered on its own (in any process): its bytes, the assets it uses and
    the characters it shows; or, when it could not be rendered, why (path, line, message, expected)."""

    key: PageKey
    data: bytes = b""
    assets: dict[str, bytes] = field(default_factory=dict)
    shown: str = ""  # every character the page shows, once each, in order
    problem: tuple[str, int, str, str | None] | None = None


def new_site(catalogue: Catalogue, slug: str, assets: Assets | None = None) -> BrandSite:
    """The shared part of one brand's copy, with its handouts indexed by treatment, kind and language."""
    brand = catalogue.brands[slug]
    assets = Assets() if assets is None else assets
    handouts = [h for h in catalogue.handouts if h.language in brand.languages]
    index: dict[tuple[str, str], dict[str, Handout]] = {}
    for handout in handouts:
        index.setdefault((handout.treatment_slug, handout.kind), {}).setdefault(handout.language, handout)
    return BrandSite(catalogue, brand, assets, _fonts_css(brand, assets), handouts, index)


def page_keys(catalogue: Catalogue, slugs: list[str]) -> list[PageKey]:
    """The key of every handout page of the given brands' copies."""
    return [(slug, h.treatment_slug, h.kind, h.language) for slug in slugs for h in catalogue.handouts
            if h.language in catalogue.brands[slug].languages]


_sites: dict[str, tuple[Catalogue, BrandSite, dict[str, object] | None]] = {}  # per process: brand → the last catalogue's site


def page_copy(catalogue: Catalogue, key: PageKey) -> PageCopy:
    """Render one handout's page of a brand's copy, for `brand_site` to put together; a module-level function, so a
    worker process of a build can run it (each worker sets up a brand's shared part once)."""
    known = _sites.get(key[0])
    if known is None or known[0] is not catalogue:
        site = new_site(catalogue, key[0])
        known = _sites[key[0]] = (catalogue, site, _logo(site))
    return _page_copy(known[1], known[2], key)


def _page_copy(site: BrandSite, logo: dict[str, object] | None, key: PageKey) -> PageCopy:
    _, treatment, kind, language = key
    handout = site.by_handout[(treatment, kind)][language]
    own = BrandSite(site.catalogue, site.brand, Assets(), site.fonts_css, site.handouts, site.by_handout)  # the page's own assets
    try:
        data = render_page(own, handout, logo).encode()
    except RenderError as exc:
        return PageCopy(key, problem=(exc.path, exc.line, exc.message, exc.expected))
    return PageCopy(key, data, own.assets.files, shown_text(data))


def shown_text(data: bytes) -> str:
    """The characters an HTML file shows (outside its tags, entities read), each once, in order of first appearance."""
    return "".join(dict.fromkeys(html_module.unescape(_TAG.sub(" ", data.decode()))))


def load_fonts(catalogue: Catalogue, slugs: list[str]) -> None:
    """Load the fonts whose characters choose the brands' script fonts: a build with workers does it before they start,
    so they share them and none loads them again, and neither does the build when it puts the copies together."""
    for slug in slugs:
        webfonts.load_charsets(fonts.family(catalogue.brands[slug].font_files).regular)


def _logo(site: BrandSite) -> dict[str, object] | None:
    if not site.brand.logo:
        return None
    picture = images.load(site.brand.logo)
    width, height = picture_size(picture)
    return {"name": picture_asset(site.assets, "logo", picture), "width": width, "height": height}


def brand_site(catalogue: Catalogue, slug: str, report: Callable[[RenderError], None],
               pages: dict[PageKey, PageCopy] | None = None) -> list[SiteFile]:
    """Every file of one brand's web copy, in a stable order; a handout that cannot be rendered is reported and left out.

    pages holds pages already rendered (by page_copy, in worker processes); the others are rendered here."""
    pages = pages or {}
    site = new_site(catalogue, slug)
    brand, assets, logo = site.brand, site.assets, _logo(site)
    files: list[SiteFile] = []
    written: list[Handout] = []
    shown: set[str] = set()
    for handout in site.handouts:
        key = (slug, handout.treatment_slug, handout.kind, handout.language)
        page = pages.get(key) or _page_copy(site, logo, key)
        if page.problem is not None:
            report(RenderError(*page.problem))
            continue
        assets.files.update(page.assets)
        shown.update(page.shown)
        written.append(handout)
        files.append(SiteFile(page_path(slug, handout.treatment_slug, handout.kind, handout.language), page.data, "page", handout))
    indexes = []
    for language in brand.languages:
        html = render_index(site, language, [h for h in written if h.language == language], logo)
        indexes.append(SiteFile(f"{slug}/{FOLDER}/{language}/index.html", html.encode(), "index"))
    indexes.append(SiteFile(f"{slug}/{FOLDER}/index.html", render_languages(site, logo).encode(), "index"))
    for file in indexes:
        shown.update(shown_text(file.data))
    files += indexes
    assets.files["copy.css"] = (TEMPLATES / "copy.css").read_bytes()
    scripts = webfonts.script_fonts(fonts.family(brand.font_files).regular, brand.languages, "".join(shown))
    fonts_css = site.fonts_css + Markup("\n") + webfonts.faces_css(scripts, brand.languages, assets.add) if scripts else site.fonts_css
    assets.files["brand.css"] = environment().get_template("brand.css").render(brand=brand, fonts=fonts_css, dont=DONT_COLOR,
                                                                                  tones=TONES).encode()
    files += [SiteFile(f"{slug}/{FOLDER}/{ASSETS}/{name}", data, "asset") for name, data in sorted(assets.files.items())]
    return files


def _fonts_css(brand: Brand, assets: Assets) -> Markup:
    """@font-face rules for the brand's four faces (the bundled Noto Sans unless the kit brings its own), copied as assets."""
    files = brand.font_files or {}
    chosen = fonts.BUNDLED if not files else {
        "regular": files["regular"], "bold": files.get("bold", files["regular"]),
        "italic": files.get("italic", files["regular"]), "bold_italic": files.get("bold_italic", files.get("bold", files["regular"]))}
    if not files:
        assets.add("OFL", ".txt", (fonts.BUNDLED_DIR / "OFL.txt").read_bytes())
    rules = []
    for style, (weight, slant) in {"regular": (400, "normal"), "bold": (700, "normal"), "italic": (400, "italic"),
                                   "bold_italic": (700, "italic")}.items():
        path = chosen[style]
        name = assets.add(f"fonts/{PurePosixPath(path.name).stem[:40]}", ".ttf", path.read_bytes())
        rules.append(Markup('@font-face { font-family: "Handout"; src: url("%s") format("truetype"); font-weight: %d; '
                            'font-style: %s; font-display: swap; }') % (name, weight, slant))
    return Markup("\n").join(rules)


def _chrome(site: BrandSite, language: str, logo: dict[str, object] | None, up: str) -> dict[str, object]:
    """What the header and footer of every page need."""
    brand = site.brand.localised(language)
    return {"brand": brand, "s": LANGUAGES[language], "lang": language, "dir": direction(language), "logo": logo,
            "assets": f"{up}{ASSETS}/", "home": f"{up}index.html"}


def render_page(site: BrandSite, handout: Handout, logo: dict[str, object] | None) -> str:
    """The HTML copy of one handout."""
    language = handout.language
    chrome = _chrome(site, language, logo, "../")
    brand = chrome["brand"]
    settings = site.catalogue.settings_for(handout.treatment_slug, site.brand)
    ctx = CopyContext(brand, settings, LANGUAGES[language],  # type: ignore[arg-type]
                      theme=None, styles={}, width=0, source=handout.display, assets=site.assets,  # type: ignore[arg-type]
                      levels=_heading_levels(handout.blocks))
    items = []
    for source, block in handout.blocks:
        ctx.source = source
        items.append(_block_html(block, ctx))
    others = [(h.language, LANGUAGES[h.language].language_name, f"../{h.language}/{h.treatment_slug}-{h.kind}.html")
              for h in site.languages(handout) if h.language != language]
    strings = LANGUAGES[language]
    address = site.brand.web_address(handout.treatment_slug, handout.kind, language)
    addresses = [(h.language, site.brand.web_address(h.treatment_slug, h.kind, h.language)) for h in site.languages(handout)] if address else []
    return environment().get_template("handout.html").render(
        **chrome, handout=handout, kind_label=strings.kinds[handout.kind], blocks=items, others=others,
        address=address, addresses=addresses,
        revision=revision_line(handout, settings, strings))


def _block_html(block: b.Block, ctx: CopyContext) -> Markup:
    """One block through its macro in blocks.html."""
    macro = getattr(_block_macros(), block.type_name)
    return Markup(macro(block, ctx))


@lru_cache(maxsize=1)
def _block_macros() -> object:
    return environment().get_template("blocks.html").module


def render_index(site: BrandSite, language: str, handouts: list[Handout], logo: dict[str, object] | None) -> str:
    """The list of a brand's copies in one language, by treatment."""
    groups: dict[str, list[Handout]] = {}
    for handout in sorted(handouts, key=lambda h: (h.treatment_slug, READING_ORDER.index(h.kind) if h.kind in READING_ORDER else 9)):
        groups.setdefault(handout.treatment, []).append(handout)
    others = [(lang, LANGUAGES[lang].language_name, f"../{lang}/index.html") for lang in site.brand.languages if lang != language]
    return environment().get_template("index.html").render(**_chrome(site, language, logo, "../"), groups=groups, others=others)


def render_languages(site: BrandSite, logo: dict[str, object] | None) -> str:
    """The top of a brand's copy: its languages, each named in itself."""
    first = site.brand.languages[0]
    links = [(lang, LANGUAGES[lang].language_name, direction(lang), f"{lang}/index.html", LANGUAGES[lang].handouts_title)
             for lang in site.brand.languages]
    return environment().get_template("home.html").render(**_chrome(site, first, logo, ""), links=links)


def _check_registry() -> None:
    """Every block type the engine knows has an HTML form (a macro of its name in blocks.html), or nothing imports."""
    macros = {name for name in vars(_block_macros()) if not name.startswith("_")}
    missing = sorted(set(b.BLOCK_TYPES) - set(RESOLVED_AT_LOAD) - macros)
    if missing:
        raise RuntimeError(f"block types without an HTML form in {TEMPLATES / 'blocks.html'}: {missing}")


_check_registry()
