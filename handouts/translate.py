"""`translate export` and `translate import`: a handout's texts to a file a translation agency's tools read (gettext PO
or XLIFF 2.0), one unit per text item with its place in the file as context, and the translation back into YAML.

Import edits a copy of the source file (or the existing translation) in place, scalar by scalar, so comments, order
and layout stay as the author wrote them, and a text that did not change keeps its bytes: an export followed by an
import without changes gives the same file. Placeholders, links and inline markup are checked before anything is
written; every problem is reported at its line in the exchange file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from . import inline
from .compiled import dataclass
from .content import Catalogue, Handout, display_path
from .errors import ContentError, Problem, UsageError
from .translation import tokens

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
FORMATS = ("po", "xliff")
FRONT_MATTER = ("title", "treatment")  # front-matter texts a patient reads
_PATH = re.compile(r"\.?([A-Za-z_]+)|\[(\d+)\]")
_PLAIN_START = re.compile(r"^[^-?:,\[\]{}#&*!|>'\"%@`\s]")


@dataclass(frozen=True)
class Unit:
    """One text to translate: the file it is in (relative to the content folder), its place there, its line, the source
    text and the translation (empty when there is none yet)."""

    file: str
    place: str
    line: int
    source: str
    target: str


def units(catalogue: Catalogue, key: str, language: str) -> tuple[Handout, list[Unit]]:
    """The source handout of TREATMENT/KIND and a unit per text of it and of its snippets, with any existing translation."""
    treatment_slug, _, kind = key.partition("/")
    treatment = catalogue.treatments.get(treatment_slug)
    if treatment is None or not kind:
        raise UsageError(f"unknown handout '{key}' (TREATMENT/KIND, e.g. microneedling/aftercare)")
    originals = [h for (k, _), h in sorted(treatment.handouts.items()) if k == kind and h.translation is None]
    source = next((h for h in originals if h.language == "en"), originals[0] if originals else None)
    if source is None:
        raise UsageError(f"'{key}' has no source handout to translate")
    if source.language == language:
        raise UsageError(f"'{key}' is written in '{language}' already")
    target = treatment.handouts.get((kind, language))
    found = []
    for path in [source.path, *dict.fromkeys(p for p in source.snippet_files)]:
        translated = _texts(_target_path(path, language)) if target is not None else {}
        for place, (text, line) in _texts(path).items():
            found.append(Unit(_relative(catalogue, path), place, line, text, translated.get(place, ("", 0))[0]))
    return source, found


def _target_path(path: Path, language: str) -> Path:
    """The translation's file beside a source file: aftercare.en.yaml → aftercare.vi.yaml."""
    stem = path.name.split(".")[0]
    return path.with_name(f"{stem}.{language}.yaml")


def _relative(catalogue: Catalogue, path: Path) -> str:
    return path.relative_to(catalogue.root).as_posix()


def _texts(path: Path) -> dict[str, tuple[str, int]]:
    """Every text a patient reads in a YAML file, by its place (title, blocks[3].bullets[1], …), with its line."""
    if not path.is_file():
        return {}
    root = yaml.compose(path.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, int]] = {}
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        if key.value in FRONT_MATTER and isinstance(value, yaml.ScalarNode):
            found[key.value] = (value.value, value.start_mark.line + 1)
        elif key.value in ("blocks", "card"):
            _walk(value, key.value, found, None)
    return found


# Keys whose values are never translated: file names, links, days, tones and other values the tool reads.
_NOT_TEXT = {"file", "url", "days", "hours", "days_before", "tone", "width", "include", "after", "unit", "languages"}


def _walk(node: yaml.Node, place: str, found: dict[str, tuple[str, int]], key: str | None) -> None:
    if isinstance(node, yaml.ScalarNode):
        if key not in _NOT_TEXT and node.value.strip():
            found[place] = (node.value, node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{place}[{i}]", found, key)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            _walk(v, f"{place}.{k.value}", found, k.value)


# --- export ---------------------------------------------------------------------------------------------------------

def export(catalogue: Catalogue, key: str, language: str, form: str) -> str:
    """The exchange file for one handout into one language."""
    source, found = units(catalogue, key, language)
    if form == "po":
        return _po(source, key, language, found)
    return _xliff(source, key, language, found)


def _po(source: Handout, key: str, language: str, found: list[Unit]) -> str:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    stamp = dt.datetime.fromisoformat(source.reviewed or "2000-01-01")
    catalog = Catalog(locale=language.replace("-", "_"), project=key, version=source.version, creation_date=stamp, revision_date=stamp,
                      header_comment=f"# {key}: from {source.path.name} (version {source.version}) into '{language}'.\n"
                                     "# msgctxt is FILE#PLACE; keep every {placeholder}, [link](target) and **bold**/*italic* marker.")
    for unit in found:
        catalog.add(unit.source, unit.target, locations=[(unit.file, unit.line)], context=f"{unit.file}#{unit.place}")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=False)
    return buffer.getvalue().decode("utf-8")


def _xliff(source: Handout, key: str, language: str, found: list[Unit]) -> str:
    ET.register_namespace("", XLIFF)
    root = ET.Element(f"{{{XLIFF}}}xliff", {"version": "2.0", "srcLang": source.language, "trgLang": language})
    files: dict[str, ET.Element] = {}
    for n, unit in enumerate(found, 1):
        if unit.file not in files:
            files[unit.file] = ET.SubElement(root, f"{{{XLIFF}}}file", {"id": f"f{len(files) + 1}", "original": unit.file})
            notes = ET.SubElement(files[unit.file], f"{{{XLIFF}}}notes")
            ET.SubElement(notes, f"{{{XLIFF}}}note", {"category": "handout"}).text = f"{key} version {source.version}"
        element = ET.SubElement(files[unit.file], f"{{{XLIFF}}}unit", {"id": f"u{n}", "name": unit.place})
        notes = ET.SubElement(element, f"{{{XLIFF}}}notes")
        ET.SubElement(notes, f"{{{XLIFF}}}note", {"category": "location"}).text = f"{unit.file}:{unit.line}"
        segment = ET.SubElement(element, f"{{{XLIFF}}}segment")
        ET.SubElement(segment, f"{{{XLIFF}}}source").text = unit.source
        if unit.target:
            ET.SubElement(segment, f"{{{XLIFF}}}target").text = unit.target
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- import ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Received:
    """One translated unit read from an exchange file, with the line it is on there."""

    file: str
    place: str
    source: str
    target: str
    line: int


def read_exchange(path: Path) -> tuple[str, str, list[Received]]:
    """(target language, source version, units) of a PO or XLIFF 2.0 file."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("<"):
        return _read_xliff(text, path)
    from babel.messages.pofile import read_po

    catalog = read_po(io.StringIO(text))
    language = str(catalog.locale).replace("_", "-") if catalog.locale else ""
    received = []
    for message in catalog:
        if not message.id or not message.context or "#" not in message.context:
            continue
        file, place = message.context.split("#", 1)
        received.append(Received(file, place, str(message.id), str(message.string or ""), message.lineno or 0))
    return language, str(catalog.version or ""), received


def _read_xliff(text: str, path: Path) -> tuple[str, str, list[Received]]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ContentError([Problem(display_path(path), exc.position[0], "is not a readable XLIFF file", "an XLIFF 2.0 file from translate export")]) from None
    ns = {"x": XLIFF}
    version = ""
    received = []
    for file in root.findall("x:file", ns):
        note = file.find("x:notes/x:note[@category='handout']", ns)
        if note is not None and note.text and " version " in note.text:
            version = note.text.rsplit(" version ", 1)[1]
        for unit in file.findall("x:unit", ns):
            source = unit.find("x:segment/x:source", ns)
            target = unit.find("x:segment/x:target", ns)
            line = text[: text.find(f'id="{unit.get("id")}"')].count("\n") + 1
            received.append(Received(file.get("original", ""), unit.get("name", ""), (source.text or "") if source is not None else "",
                                     (target.text or "") if target is not None else "", line))
    return root.get("trgLang", ""), version, received


def import_translation(catalogue: Catalogue, path: Path) -> list[Path]:
    """Write the YAML translations an exchange file holds; nothing is written when any unit has a problem."""
    language, version, received = read_exchange(path)
    where = display_path(path)
    problems = []
    if not language:
        problems.append(Problem(where, 1, "does not say which language it is in", "a Language header (PO) or trgLang (XLIFF)"))
    by_file: dict[str, dict[str, str]] = {}
    for unit in received:
        if not unit.target.strip():
            problems.append(Problem(where, unit.line, f"{unit.file}#{unit.place}: is not translated", "a translation of every unit"))
            continue
        lost, added = tokens(unit.source) - tokens(unit.target), tokens(unit.target) - tokens(unit.source)
        if lost or added:
            what = "; ".join(p for p in (("drops " + ", ".join(sorted(lost.elements()))) if lost else "",
                                         ("adds " + ", ".join(sorted(added.elements()))) if added else "") if p)
            problems.append(Problem(where, unit.line, f"{unit.file}#{unit.place}: the translation {what}",
                                    "every {placeholder} and link of the source, unchanged"))
            continue
        try:
            inline.parse(unit.target)
        except inline.InlineError as exc:
            problems.append(Problem(where, unit.line, f"{unit.file}#{unit.place}: {exc.message}", exc.expected))
            continue
        by_file.setdefault(unit.file, {})[unit.place] = unit.target
    sources = {}
    for file in by_file:
        source = (catalogue.root / file).resolve()
        if not source.is_relative_to(catalogue.root.resolve()) or not source.is_file():
            problems.append(Problem(where, None, f"names '{file}', which is not a file of {display_path(catalogue.root)}", "an export of this content folder"))
        sources[file] = source
    if problems:
        raise ContentError(problems)
    written = []
    for file, targets in by_file.items():
        source = sources[file]
        out = _target_path(source, language)
        is_handout = source.parent.name != "snippets"
        base = out.read_text(encoding="utf-8") if out.is_file() else _new_translation(source, language, version if is_handout else None)
        updated = _replace_texts(base, targets)
        if is_handout:
            updated = _set_version(updated, version)
        if not out.is_file() or out.read_text(encoding="utf-8") != updated:
            from .files import write_atomic

            write_atomic(out, updated.encode("utf-8"))
        written.append(out)
    return written


def _new_translation(source: Path, language: str, version: str | None) -> str:
    """The source file with its language changed, the source's reviewer removed, and (for a handout) where it comes from."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        if re.match(r"^(reviewed|reviewed_by):", line):
            continue  # the source's review does not cover the translation
        if re.match(r"^language:", line):
            out.append(f"language: {language}\n")
            if version is not None:
                out.append(f"translation: {{source: {source.name}, version: {json.dumps(version)}}}\n")
            continue
        out.append(line)
    return "".join(out)


def _set_version(text: str, version: str) -> str:
    """The translation's source version set to the one it was translated from (the exchange file's)."""
    if not version:
        return text
    return re.sub(r'^(translation: \{source: [^,}]+, version: )("[^"]*"|[^}]*)\}', lambda m: f"{m.group(1)}{json.dumps(version)}}}",
                  text, count=1, flags=re.M)


def _replace_texts(text: str, targets: dict[str, str]) -> str:
    """YAML text with the scalar at each place replaced by its translation; unchanged texts keep their bytes."""
    root = yaml.compose(text)
    if root is None:
        return text
    edits = []
    for place, new in targets.items():
        found = _find(root, place)
        if found is None:
            continue
        node, flow = found
        if node.value == new:
            continue
        span = text[node.start_mark.index:node.end_mark.index]
        tail = span[len(span.rstrip("\n")):]
        edits.append((node.start_mark.index, node.end_mark.index, _scalar(new, flow) + tail))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _find(root: yaml.Node, place: str) -> tuple[yaml.ScalarNode, bool] | None:
    """The scalar at a place like blocks[3].bullets[1], and whether it sits in a flow collection ([…] or {…})."""
    node: yaml.Node | None = root
    flow = False
    for key, index in _PATH.findall(place):
        if key and isinstance(node, yaml.MappingNode):
            flow = bool(node.flow_style)
            node = next((v for k, v in node.value if k.value == key), None)
        elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            flow = bool(node.flow_style)
            node = node.value[int(index)]
        else:
            return None
        if node is None:
            return None
    return (node, flow) if isinstance(node, yaml.ScalarNode) else None


def _scalar(text: str, flow: bool) -> str:
    """A YAML scalar for text: plain where that reads back as the same text, else double-quoted."""
    plain = (_PLAIN_START.match(text) and text == text.strip() and "\n" not in text and ": " not in text and " #" not in text
             and not text.endswith(":") and not (flow and any(c in text for c in ",[]{}")))
    return text if plain else json.dumps(text, ensure_ascii=False)
