"""The content tree: treatments with their settings and handouts, snippets, and brand kits."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import field
from pathlib import Path
from typing import Any, Iterator

from . import loaded, options as o, placeholders, registry
from .compiled import dataclass
from .records import FOLDER as APPROVAL_FOLDER, Record, load_record
from .blocks import Block, Checklist, Include, ParseContext, Timeline, WhenCanI, parse_blocks, parse_days, parse_wait
from .brand import Brand, load_brands
from .errors import WARNING, Problem, Problems, did_you_mean, one_of
from .i18n import LANGUAGES, language_problem
from .paths import PathError, resolve_inside
from .translation import Translation, TranslationOption, check_translations
from .yamlcheck import MAX_TEXT, Checker
from .yamlcache import load_file
from .yamlsafe import Mapping, Text

KINDS = ("pre-treatment", "aftercare", "overview")
RESERVED = ("brands", "snippets")
_FILE = re.compile(r"^(?P<kind>[a-z-]+)\.(?P<lang>[A-Za-z0-9_-]+)\.yaml$")
_SNIPPET = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_-]*)\.(?P<lang>[A-Za-z0-9_-]+)\.yaml$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,60}$")
MAX_INCLUDE_DEPTH = 4
READING_GRADE_SETTING = "max_reading_grade"
CLINICAL_SETTINGS = (READING_GRADE_SETTING,)  # settings about the content itself, which no brand may relax

BLOCKS = {"$ref": "#/$defs/blocks"}  # the schema of a list of blocks, which json_schemas defines once per file


@dataclass(kw_only=True)
class Handout:
    """One validated handout file with its includes resolved.

    The fields made with `option()` are the keys of its front matter, each declared once (type, default, check,
    messages, JSON Schema); `blocks` and `card` follow them, in BODY.
    """

    id: str = o.option(o.Text("a unique id such as microneedling-aftercare", required=True))
    treatment: str = o.option(o.Text("the treatment's name as printed, e.g. Microneedling", required=True))
    kind: str = o.option(o.FromFileName(one_of(KINDS), "kind", KINDS, required=True))
    title: str = o.option(o.Text("the title printed at the top of the sheet", required=True))
    language: str = o.option(o.FromFileName(one_of(LANGUAGES), "language", LANGUAGES, required=True))
    version: str = o.option(o.Text("the content version, e.g. \"3\"", required=True))
    # The front matter's review ('' when absent): used only by content without an approval record.
    typed_reviewed: str = o.option(o.Date("the date of clinical review, YYYY-MM-DD, for content without an approval record "
                                      "(the record's date prints instead)"), key="reviewed")
    typed_reviewed_by: str = o.option(o.Text("who reviewed it, e.g. Clinical lead, for content without an approval record"), key="reviewed_by")
    translation: Translation | None = o.option(TranslationOption(
        "for a translation, the file and version it was translated from: {source: aftercare.en.yaml, version: \"4\"}"))
    layout: str | None = o.option(o.Choice("the default layout: standard, large-print, two-column, card or trifold", registry.names))
    max_pages: int | None = o.option(o.WholeNumber("the most pages the handout may take, e.g. \"2\"", 1, 20))
    sources: tuple[str, ...] = o.option(o.TextList("where the facts come from: a list of references"))

    path: Path
    display: str
    treatment_slug: str
    blocks: list[tuple[str, Block]]  # (display path of the file the block came from, block)
    snippet_files: tuple[Path, ...] = ()  # of the blocks and of the card
    lines: dict[str, int] = field(default_factory=dict)  # line of each front-matter key
    card_blocks: list[tuple[str, Block]] | None = None  # the 'card' section, None when the handout has none
    record: Record | None = None  # its approval record, when it has one
    approvals_required: bool = False  # True once the content tree keeps approval records: then this handout needs one
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # worked out once per handout (readability)

    @property
    def reviewed(self) -> str:
        """The date of the approval in force (or, without a record, the date typed in the front matter; '' if none)."""
        latest = self.record.latest if self.record else None
        return latest.date if latest else ("" if self.approvals_required else self.typed_reviewed)

    @property
    def reviewed_by(self) -> str:
        """Who approved the text in force (or, without a record, the front matter's reviewer)."""
        latest = self.record.latest if self.record else None
        return latest.by if latest else ("" if self.approvals_required else self.typed_reviewed_by)

    @property
    def every_block(self) -> list[tuple[str, Block]]:
        """The blocks and then the card's blocks: everything any layout may print."""
        return self.blocks + (self.card_blocks or [])

    @property
    def key(self) -> str:
        """TREATMENT/KIND, as the command line names it."""
        return f"{self.treatment_slug}/{self.kind}"


BODY: dict[str, o.Option[Any]] = {
    "blocks": o.Nodes("the ordered list of blocks", BLOCKS, required=True),
    "card": o.Nodes("a short version for the card layout: a list of blocks like 'blocks' (without it the card prints every block)", BLOCKS),
}
HANDOUT = {**o.options_of(Handout), **BODY}
SNIPPET: dict[str, o.Option[Any]] = {
    "language": o.FromFileName(one_of(LANGUAGES) + "; optional: the file name says it, and a language given here must agree",
                             "language", LANGUAGES),
    "description": o.Text("what the snippet is for", max_len=MAX_TEXT),
    "blocks": o.Nodes("the ordered list of blocks", BLOCKS, required=True),
}
SETTING: dict[str, o.Option[Any]] = {
    "default": o.Plain("the value used unless a brand sets its own", what="a setting's value", example="\"5\"", required=True),
    "description": o.Text("what the value means", required=True, max_len=MAX_TEXT),
    "source": o.Text("where the value comes from: a citation, or \"clinic protocol\"", max_len=500),
}
SETTINGS = o.Names("setting names, each with its default and description: name: {default: \"5\", description: ...}",
                 o.Group("a clinic-variable value", SETTING), pattern="[a-z][a-z0-9_]*",
                 unusable=("setting name is not usable", "lower-case letters, digits and '_'"))


@dataclass
class Treatment:
    """A treatment folder: its settings and its handouts by (kind, language)."""

    slug: str
    settings: dict[str, str]
    settings_path: Path | None
    handouts: dict[tuple[str, str], Handout] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # setting name → its source, where settings.yaml gives one
    setting_lines: dict[str, int] = field(default_factory=dict)  # setting name → its line in settings.yaml


@dataclass
class Catalogue:
    """Everything loaded from one content tree, and every problem found on the way."""

    root: Path
    brands: dict[str, Brand]
    treatments: dict[str, Treatment]
    problems: list[Problem]
    failed: list[str]  # display paths of handout files that could not be loaded
    failed_brands: list[str] = field(default_factory=list)  # display paths of brand kits that could not be loaded

    @property
    def handouts(self) -> list[Handout]:
        """Every loaded handout, in a stable order."""
        return [h for t in sorted(self.treatments) for _, h in sorted(self.treatments[t].handouts.items())]

    def settings_for(self, treatment: str, brand: Brand) -> dict[str, str]:
        """A treatment's settings with the brand's own values in place of the defaults."""
        return merged_settings(self.treatments[treatment], brand)


def merged_settings(treatment: Treatment, brand: Brand) -> dict[str, str]:
    """A treatment's settings with the brand's own values in place of the defaults."""
    return {**treatment.settings, **{key: str(value) for key, value in brand.settings.items() if key in treatment.settings}}


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def load_catalogue(root: Path, only: tuple[str, str] | None = None, handout: tuple[str, str] | None = None) -> Catalogue:
    """Load and validate a whole content tree, collecting every problem.

    With only=(treatment, brand), just that treatment's folder and that brand with the kits it extends: what the sheets
    of one handout for one brand need, whatever else the tree holds. With handout=(kind, language) as well, just that
    handout file of the folder (and the file it was translated from, which its translation is checked against).
    """
    *_, catalogue = _stages(root, only, handout, None)
    return catalogue


def load_in_stages(root: Path, first: int) -> Iterator[Catalogue]:
    """The catalogue load_catalogue(root) gives, after a first look at it: a catalogue of the brands, the snippets and
    the first `first` treatment folders only, checked within each folder but not across them (brand settings).

    The first is for a head start on work that is checked against the whole catalogue afterwards (a build's early PDFs,
    kept only when the whole catalogue plans them with the same fingerprint); loading goes on when the next is asked for.
    """
    return _stages(root, None, None, first)


def treatment_folders(root: Path) -> list[Path]:
    """The folders of a content tree that hold a treatment each (every folder but brands/, snippets/ and hidden ones), sorted."""
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name not in RESERVED and not p.name.startswith("."))


def _stages(root: Path, only: tuple[str, str] | None, handout: tuple[str, str] | None, first: int | None) -> Iterator[Catalogue]:
    problems: list[Problem] = []
    if not root.is_dir():
        missing = Catalogue(root, {}, {}, [Problem(display_path(root), None, "content folder does not exist",
                                                   "a folder with brands/, snippets/ and one folder per treatment")], [])
        if first is not None:
            yield Catalogue(root, {}, {}, [], [])
        yield missing
        return
    brands, brand_problems = load_brands(root, display_path, only[1] if only else None)
    problems += brand_problems
    snippets, snippet_problems = _load_snippets(root)
    problems += snippet_problems
    treatments: dict[str, Treatment] = {}
    failed: list[str] = []
    settings_failed = False
    folders = treatment_folders(root)
    # The first approval record makes approval the rule: from then on every handout of the tree needs one.
    required = any(any((folder / APPROVAL_FOLDER).glob("*.yaml")) for folder in folders)
    for number, folder in enumerate(f for f in folders if only is None or f.name == only[0]):
        if number == first:
            yield Catalogue(root, dict(brands), dict(treatments), [], [])
        treatment, treatment_problems, treatment_failed = _load_treatment(root, folder, snippets, handout if only else None)
        problems += treatment_problems
        failed += treatment_failed
        if treatment is not None:
            for each in treatment.handouts.values():
                each.approvals_required = required
            treatments[treatment.slug] = treatment
        else:
            settings_failed = True
    if first is not None and first >= len(folders):
        yield Catalogue(root, dict(brands), dict(treatments), [], [])
    # With a treatment's settings unreadable, a brand's override of them cannot be judged: report only the settings file.
    setting_problems = [] if settings_failed else _check_brand_settings(brands, treatments) + _check_day_settings(brands, treatments)
    for problem in setting_problems:
        brands = {slug: b for slug, b in brands.items() if b.display != problem.path}
    problems += setting_problems
    brand_dirs = sorted(p for p in (root / "brands").iterdir() if p.is_dir()) if (root / "brands").is_dir() else []
    failed_brands = [display_path(folder / "brand.yaml") for folder in brand_dirs if folder.name not in brands]
    yield Catalogue(root, brands, treatments, problems, failed, failed_brands)


def _load_snippets(root: Path) -> tuple[dict[tuple[str, str], Path | PathError], list[Problem]]:
    """Snippet files by (name, language); one that leaves the content tree or is not a regular file maps to its PathError."""
    found: dict[tuple[str, str], Path | PathError] = {}
    problems: list[Problem] = []
    folder = root / "snippets"
    if folder.is_dir():
        real_root, real_folder = root.resolve(), folder.resolve()
        inside = real_folder == real_root or real_root in real_folder.parents
        for path in sorted(folder.glob("*.yaml")):
            match = _SNIPPET.match(path.name)
            if not match:
                problems.append(Problem(display_path(path), None, f"snippet file name '{path.name}' is not usable", "snippets/NAME.LANG.yaml, e.g. when-to-call.en.yaml"))
                continue
            wrong = language_problem(match["lang"])
            if wrong:
                problems.append(Problem(display_path(path), None, f"file name '{path.name}': {wrong[0]}", wrong[1]))
                continue
            if inside and _plain_file(path):  # what resolve_inside would accept, without resolving each file's path again
                found[(match["name"], match["lang"])] = path
                continue
            try:
                resolve_inside(root, folder, path.name, (".yaml",))
                found[(match["name"], match["lang"])] = path
            except PathError as exc:
                found[(match["name"], match["lang"])] = exc
    return found, problems


def _plain_file(path: Path) -> bool:
    """A regular, readable file that is not a symbolic link."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode) and os.access(path, os.R_OK)
    except OSError:
        return False


def _load_treatment(root: Path, folder: Path, snippets: dict[tuple[str, str], Path | PathError],
                    wanted: tuple[str, str] | None = None) -> tuple[Treatment | None, list[Problem], list[str]]:
    problems: list[Problem] = []
    failed: list[str] = []
    if not _SLUG.match(folder.name):
        return None, [Problem(display_path(folder), None, f"treatment folder name '{folder.name}' is not usable", "lower-case letters, digits, '-' and '_'")], []
    settings_path = folder / "settings.yaml"
    settings: dict[str, str] = {}
    treatment = Treatment(folder.name, settings, settings_path if settings_path.is_file() else None)
    if settings_path.is_file():
        file_problems = Problems(display_path(settings_path))
        settings.update(_load_settings(root, settings_path, file_problems, treatment))
        problems += file_problems.items
        if file_problems.errors:
            failed += [display_path(p) for p in sorted(folder.glob("*.yaml")) if p != settings_path]
            return None, problems, failed
    paths = [path for path in sorted(folder.glob("*.yaml")) if path != settings_path]
    queue = [path for path in paths if wanted is None or path.name == f"{wanted[0]}.{wanted[1]}.yaml"]
    while queue:
        path = queue.pop(0)
        file_problems = Problems(display_path(path))
        match = _FILE.match(path.name)
        wrong = language_problem(match["lang"]) if match and match["kind"] in KINDS else None
        if not match or match["kind"] not in KINDS:
            file_problems.add(None, f"file name '{path.name}' is not a handout name", f"KIND.LANG.yaml with KIND {one_of(KINDS)} and LANG a language tag ({', '.join(LANGUAGES)})")
        elif wrong:
            file_problems.add(None, f"file name '{path.name}': {wrong[0]}", wrong[1])
        else:
            handout = load_handout(root, path, folder.name, match["kind"], match["lang"], settings, snippets, file_problems)
            if handout is not None and not file_problems.errors:
                treatment.handouts[(handout.kind, handout.language)] = handout
                source = folder / handout.translation.source if wanted and handout.translation else None
                if source is not None and source in paths and source not in queue and source.name not in {
                        f"{h.kind}.{h.language}.yaml" for h in treatment.handouts.values()}:
                    queue.append(source)  # the file it was translated from, which check_translations compares it with
        if file_problems.errors:
            failed.append(file_problems.path)
        problems += file_problems.items
    problems += _load_records(root, folder / APPROVAL_FOLDER, treatment)
    # A stale translation, or one that lost a placeholder, is never printed.
    translation_problems, refused = check_translations(treatment)
    problems += translation_problems
    failed += refused
    treatment.handouts = {key: h for key, h in treatment.handouts.items() if h.display not in refused}
    return treatment, problems, failed


def _load_records(root: Path, folder: Path, treatment: Treatment) -> list[Problem]:
    """Attach each handout's approval record; a record no handout file matches is a warning."""
    problems: list[Problem] = []
    if not folder.is_dir():
        return problems
    for path in sorted(folder.glob("*.yaml")):
        match = _FILE.match(path.name)
        handout = treatment.handouts.get((match["kind"], match["lang"])) if match else None
        file_problems = Problems(display_path(path))
        if handout is None:
            if not (folder.parent / path.name).is_file():  # a handout that failed to load has its own error
                file_problems.add(None, f"approval record of '{path.name}', which does not exist",
                                  f"a record named like a handout file in {display_path(folder.parent)}/, or remove it", WARNING)
        else:
            handout.record = load_record(root, path, path.name, file_problems)
        problems += file_problems.items
    return problems


def _load_settings(root: Path, path: Path, problems: Problems, treatment: Treatment) -> dict[str, str]:
    """The default of each setting; its source and line are recorded on the treatment."""
    read = loaded.load("settings", path, (str(root),), problems, lambda: _read_settings(root, path, problems))
    if read is None:
        return {}
    out, sources, lines = read
    treatment.sources.update(sources)
    treatment.setting_lines.update(lines)
    return out


def _read_settings(root: Path, path: Path, problems: Problems) -> tuple[dict[str, str], dict[str, str], dict[str, int]] | None:
    """The default of each setting, the source of those that give one, and the line of each."""
    node = load_file(path, problems.path, problems, root)
    if node is None:
        return None
    settings = SETTINGS.read(node, "", 0, o.Reading(Checker(problems), root, path.parent, path.name))
    if settings is None or not isinstance(node, Mapping):
        return None
    out, sources, lines = {}, {}, {}
    for key, spec in settings.items():
        if "default" in spec:
            out[key] = str(spec["default"])
        if "source" in spec:
            sources[key] = str(spec["source"])
        lines[key] = node.line_of(key)
    return out, sources, lines


def load_handout(root: Path, path: Path, treatment_slug: str, kind: str, lang: str, settings: dict[str, str],
                 snippets: dict[tuple[str, str], Path | PathError], problems: Problems) -> Handout | None:
    """Load and validate one handout file; problems are recorded, None when it cannot be used."""
    names = tuple(settings)
    read = loaded.load("handout", path, (str(root), kind, lang, names), problems,
                       lambda: _read_handout(root, path, kind, lang, names, problems), lambda r: (r.fields.get("layout"),))
    if read is None:
        return None
    resolved, snippet_files = _resolve_includes(root, read.blocks, problems.path, lang, settings, snippets, problems, ())
    card = None
    if read.card is not None:
        card, card_files = _resolve_includes(root, read.card, problems.path, lang, settings, snippets, problems, ())
        snippet_files += card_files
    if problems.errors:
        return None
    return Handout(path=path, display=problems.path, treatment_slug=treatment_slug, blocks=resolved,
                   snippet_files=tuple(dict.fromkeys(snippet_files)), lines=read.lines, card_blocks=card, **read.fields)


@dataclass
class _ReadHandout:
    """What one handout file says on its own, validated: its front matter, the lines of its keys and its blocks, with
    includes not yet resolved (they depend on other files)."""

    fields: dict[str, Any]
    lines: dict[str, int]
    blocks: list[Block]
    card: list[Block] | None


def _read_handout(root: Path, path: Path, kind: str, lang: str, settings: tuple[str, ...], problems: Problems) -> _ReadHandout | None:
    node = load_file(path, problems.path, problems, root)
    if node is None:
        return None
    reading = o.Reading(Checker(problems), root, path.parent, path.name, {"kind": kind, "language": lang})
    values = o.read_options(node, HANDOUT, reading)
    if values is None or not isinstance(node, Mapping):
        return None
    ctx = ParseContext(reading.check, settings, root, path.parent)
    blocks = parse_blocks(values["blocks"], "blocks", ctx, node.line_of("blocks")) if "blocks" in values else []
    card = parse_blocks(values["card"], "card", ctx, node.line_of("card")) if "card" in values else None
    return _ReadHandout(o.fields_of(Handout, values), dict(node.key_lines), blocks, card)


def _resolve_includes(root: Path, blocks: list[Block], display: str, lang: str, settings: dict[str, str],
                      snippets: dict[tuple[str, str], Path | PathError], problems: Problems, stack: tuple[str, ...]) -> tuple[list[tuple[str, Block]], list[Path]]:
    out: list[tuple[str, Block]] = []
    files: list[Path] = []

    def report(include: Include, message: str, expected: str) -> None:
        # At the include line of the file that holds it (the handout, or a snippet it includes).
        problems.items.append(Problem(display, include.line, message, expected))

    for block in blocks:
        if not isinstance(block, Include):
            out.append((display, block))
            continue
        name = block.name.split("/", 1)[1]
        if name in stack:
            report(block, f"include of '{block.name}' goes round in a circle: {' → '.join(stack + (name,))}", "snippets that do not include each other in a loop")
            continue
        if len(stack) >= MAX_INCLUDE_DEPTH:
            report(block, f"includes are nested more than {MAX_INCLUDE_DEPTH} deep", f"at most {MAX_INCLUDE_DEPTH} levels")
            continue
        path = snippets.get((name, lang))
        if isinstance(path, PathError):
            report(block, f"snippet '{block.name}': {path.message}", "a regular file inside the content folder")
            continue
        if path is None:
            known = sorted({n for n, lg in snippets if lg == lang})
            report(block, f"snippet '{block.name}' does not exist in language '{lang}'", f"a file snippets/{name}.{lang}.yaml" + did_you_mean(name, known))
            continue
        files.append(path)
        snippet_problems = Problems(display_path(path))
        inner = _load_snippet(root, path, lang, settings, snippet_problems)
        if snippet_problems.items:
            for p in snippet_problems.items:
                problems.items.append(p)
        if inner is None:
            continue
        nested, nested_files = _resolve_includes(root, inner, snippet_problems.path, lang, settings, snippets, problems, stack + (name,))
        out += nested
        files += nested_files
    return out, files


def _load_snippet(root: Path, path: Path, lang: str, settings: dict[str, str], problems: Problems) -> list[Block] | None:
    names = tuple(settings)
    return loaded.load("snippet", path, (str(root), lang, names), problems, lambda: _read_snippet(root, path, lang, names, problems))


def _read_snippet(root: Path, path: Path, lang: str, settings: tuple[str, ...], problems: Problems) -> list[Block] | None:
    node = load_file(path, problems.path, problems, root)
    if node is None:
        return None
    reading = o.Reading(Checker(problems), root, path.parent, path.name, {"language": lang})
    values = o.read_options(node, SNIPPET, reading)
    if values is None or not isinstance(node, Mapping):
        return None
    ctx = ParseContext(reading.check, settings, root, path.parent)
    blocks = parse_blocks(values["blocks"], "blocks", ctx, node.line_of("blocks")) if "blocks" in values else []
    return None if problems.errors else blocks


def _day_offsets(block: Block) -> list[tuple[Text, str]]:
    """The day (or hour) values of a timeline, a checklist or a 'when can I' table, which become dates on a personalised sheet."""
    if isinstance(block, Timeline):
        return [(entry.days, "days") for entry in block.entries]
    if isinstance(block, Checklist):
        return [(item.days_before, "days") for item in block.items if item.days_before is not None]
    if isinstance(block, WhenCanI):
        return [(row.after, row.unit) for row in block.rows]
    return []


def _check_day_settings(brands: dict[str, Brand], treatments: dict[str, Treatment]) -> list[Problem]:
    """Days built from settings must be days with every brand's values, or dated sheets could not be printed.

    The problem is reported where the value is set: in the brand kit when it overrides the setting, else in settings.yaml.
    """
    problems: dict[tuple[str, str], Problem] = {}
    for brand in brands.values():
        for treatment in treatments.values():
            settings = merged_settings(treatment, brand)
            # Originals first, so a setting that breaks a day is reported at the handout it was written in, not a translation.
            for handout in (h for _, h in sorted(treatment.handouts.items(), key=lambda item: (item[1].translation is not None, item[0]))
                            if h.language in brand.languages):
                for days, unit in (d for _, block in handout.every_block for d in _day_offsets(block)):
                    keys = [key for space, key in placeholders.names(days) if space == "settings" and key in settings]
                    filled = placeholders.expand(days, lambda space, key: settings.get(key, "") if space == "settings" else "")  # noqa: B023
                    if not keys or (parse_days(filled) if unit == "days" else parse_wait(filled, unit)) is not None:
                        continue
                    key = next((k for k in keys if not settings[k].strip().isdigit()), keys[0])
                    where = (brand.display, getattr(brand.settings[key], "line", None) or None) if key in brand.settings else (
                        display_path(treatment.settings_path) if treatment.settings_path else handout.display, None)
                    problems.setdefault((where[0], key), Problem(
                        where[0], where[1], f"settings.{key}: '{settings[key]}' is not a number of {unit}, and '{days}' in "
                        f"{handout.display}:{days.line} uses it as one", f"a whole number of {unit}, e.g. \"5\""))
    return list(problems.values())


def _check_brand_settings(brands: dict[str, Brand], treatments: dict[str, Treatment]) -> list[Problem]:
    known = sorted({name for t in treatments.values() for name in t.settings})
    problems = []
    for brand in brands.values():
        for key, value in brand.settings.items():
            if key not in known:
                problems.append(Problem(brand.display, getattr(value, "line", None) or None, f"settings.{key}: unknown setting '{key}'",
                                        (one_of(known) if known else "no treatment defines settings") + did_you_mean(key, known)))
            elif key in CLINICAL_SETTINGS:
                problems.append(Problem(brand.display, getattr(value, "line", None) or None,
                                        f"settings.{key}: a brand cannot change '{key}'", "the clinical lead sets it in the treatment's settings.yaml"))
    return problems
