"""A drawn sheet made a tagged PDF that claims PDF/UA-1 (ISO 14289-1): its structure tree written into the file, with
everything a reader of the structure needs beside it, in reportlab's one save.

reportlab draws the pages and their marked content (`handouts.marking`); just before the document is written, this adds
what reportlab has no way to say itself: the StructTreeRoot with one StructElem per element of the sheet's `Structure`,
the ParentTree that leads from each page's marked content and each annotation back to its element, `/StructParents`
and `/Tabs /S` on the pages, `/StructParent` and `/Contents` on the annotations, `/MarkInfo`, `/Lang`,
`DisplayDocTitle`, and XMP metadata with `dc:title` and `pdfuaid:part`. It also writes each font's ToUnicode map
without the unused codes reportlab maps to U+0000, which PDF/UA forbids. The output is the same bytes for the same
input.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas

from . import private
from .structure import Annotated, Marked, Node, Structure, TaggingError

PDFUA_PART = 1
PDF_VERSION = (1, 7)  # PDF/UA-1 is written against ISO 32000-1, which is PDF 1.7
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFCHAR = re.compile(rb"\d+\s+beginbfchar(.*?)endbfchar", re.S)
_UNMAPPED = {0x0000, 0xFEFF, 0xFFFE}
_BFCHAR_MAX = 100  # entries per bfchar block (PDF Reference, §5.9.2)
_UNICODE_MAP = "toUnicodeCMap:"  # how reportlab names a TrueType subset's ToUnicode stream among the document's objects


def write_tagged(canvas: Canvas, structure: Structure) -> None:
    """Put the structure tree, the tagged-PDF entries, PDF/UA metadata and clean ToUnicode maps into the canvas's document,
    once every page is drawn and before it is written."""
    doc: Any = canvas._doc  # type: ignore[attr-defined]  # reportlab's document (untyped), not in its stubs
    _realise_fonts(doc)
    _clean_unicode_maps(doc)
    _Tree(doc, structure).write()
    _catalog(canvas, doc, structure.lang)


def _realise_fonts(doc: Any) -> None:
    """Make the font objects now (reportlab makes them as it starts writing), so that their ToUnicode maps can be cleaned."""
    for font in doc.delayedFonts:
        font.addObjects(doc)
    doc.delayedFonts = []


def _ref(document: Any, name: str) -> bytes:
    """An indirect reference to the object reportlab knows by this name, as written in the file."""
    number, generation = document.idToObjectNumberAndVersion[name]
    return b"%d %d R" % (number, generation)


class _Element(PDFObject):
    """One StructElem. Its kids are elements, MCIDs on its own page, (page, MCID) of content on another page, and (page,
    annotation) object references; it is written straight to bytes, the elements being many and all alike."""

    def __init__(self, node: Node, parent: PDFObject):
        self.node = node
        self.parent = parent
        self.page: str | None = None  # the name of the page of its first own content
        self.kids: list[Any] = []

    def format(self, document: Any) -> bytes:
        node = self.node
        out = [b"<< /Type /StructElem /S /", node.role.encode("ascii"), b" /P ", _ref(document, self.parent.__InternalName__)]  # type: ignore[attr-defined]
        if self.page is not None:
            out += [b" /Pg ", _ref(document, self.page)]
        for key, value in ((b" /Alt ", node.alt), (b" /ActualText ", node.actual_text), (b" /Lang ", node.lang)):
            if value is not None:
                out += [key, PDFString(value).format(document)]
        attributes = []
        if node.numbering is not None:
            attributes.append(b"<< /O /List /ListNumbering /" + node.numbering.encode("ascii") + b" >>")
        if node.scope is not None:
            attributes.append(b"<< /O /Table /Scope /" + node.scope.encode("ascii") + b" >>")
        if attributes:
            out += [b" /A ", attributes[0] if len(attributes) == 1 else b"[ " + b" ".join(attributes) + b" ]"]
        kids = []
        for kid in self.kids:
            if isinstance(kid, int):
                kids.append(b"%d" % kid)
            elif isinstance(kid, _Element):
                kids.append(_ref(document, kid.__InternalName__))  # type: ignore[attr-defined]
            elif kid[0] == "MCR":
                kids.append(b"<< /Type /MCR /Pg " + _ref(document, kid[1]) + b" /MCID %d >>" % kid[2])
            else:
                kids.append(b"<< /Type /OBJR /Obj " + _ref(document, kid[2]) + b" /Pg " + _ref(document, kid[1]) + b" >>")
        out += [b" /K [ ", b" ".join(kids), b" ] >>"]
        return b"".join(out)


class _Root(PDFObject):
    """The StructTreeRoot, or (with no element) the ParentTree: a dictionary written straight to bytes."""

    def __init__(self, entries: list[tuple[bytes, Any]]):
        self.entries = entries

    def format(self, document: Any) -> bytes:
        out = [b"<<"]
        for key, value in self.entries:
            out += [b" /", key, b" ", _value(document, value)]
        out.append(b" >>")
        return b"".join(out)


def _value(document: Any, value: Any) -> bytes:
    """A value of the tree's own dictionaries: a number, a name (bytes), an object of the document, or a list of these."""
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, bytes):
        return value
    if isinstance(value, list):
        return b"[ " + b" ".join(_value(document, item) for item in value) + b" ]"
    return _ref(document, value.__InternalName__)


class _Tree:
    """Writes the structure elements, the parent tree and the entries that point into them."""

    def __init__(self, doc: Any, structure: Structure):
        self.doc = doc
        self.structure = structure
        self.pages: list[Any] = list(doc.Pages.pages)
        self.page_names: list[str] = [doc.Reference(page).name for page in self.pages]
        self.by_mcid: dict[int, dict[int, _Element]] = {}  # page → MCID → element
        self.by_key: list[tuple[int, _Element]] = []  # (parent-tree key, element) of annotations
        self.next_key = len(self.pages)

    def write(self) -> None:
        doc = self.doc
        root = self.structure.root
        root.prune()
        entries: list[tuple[bytes, Any]] = [(b"Type", b"/StructTreeRoot")]
        tree = _Root(entries)
        doc.Reference(tree)
        top = self.element(root, tree)
        nums: list[Any] = []
        for page, marked in sorted(self.by_mcid.items()):
            if sorted(marked) != list(range(len(marked))):
                raise TaggingError(f"page {page + 1} has MCIDs {sorted(marked)}, not 0 to {len(marked) - 1}")
            self._page_entry(page, "StructParents", page)
            nums += [page, [marked[mcid] for mcid in range(len(marked))]]
        for key, element in self.by_key:
            nums += [key, element]
        parent_tree = _Root([(b"Nums", nums)])
        doc.Reference(parent_tree)
        entries += [(b"K", [top]), (b"ParentTree", parent_tree), (b"ParentTreeNextKey", self.next_key)]
        for number, page in enumerate(self.pages):
            self._page_entry(number, "Tabs", PDFName("S"))
            for reference in page.Annots or []:
                if "StructParent" not in self._annotation(reference.name).dict:
                    subtype = self._annotation(reference.name).dict.get("Subtype")
                    raise TaggingError(f"an annotation on page {number + 1} ({subtype}) belongs to no element")
        doc.Catalog.StructTreeRoot = tree

    def _page_entry(self, page: int, key: str, value: Any) -> None:
        """An entry of a page dictionary that reportlab does not write itself."""
        page_object = self.pages[page]
        if key not in page_object.__NoDefault__:
            page_object.__NoDefault__ = [*page_object.__NoDefault__, key]
        setattr(page_object, key, value)

    def _annotation(self, name: str) -> PDFDictionary:
        annotation = self.doc.idToObject[name]
        if not isinstance(annotation, PDFDictionary):
            raise TaggingError(f"an annotation that cannot be tagged ({type(annotation).__name__})")
        return annotation

    def element(self, node: Node, parent: PDFObject) -> _Element:
        """One StructElem, made with its kids (each element is numbered before its kids)."""
        element = _Element(node, parent)
        self.doc.Reference(element)
        home = next((kid.page for kid in node.kids if not isinstance(kid, Node)), None)
        if home is not None:
            element.page = self.page_names[home]
        for kid in node.kids:
            if isinstance(kid, Node):
                element.kids.append(self.element(kid, element))
            elif isinstance(kid, Marked):
                self.by_mcid.setdefault(kid.page, {})[kid.mcid] = element
                element.kids.append(kid.mcid if kid.page == home else ("MCR", self.page_names[kid.page], kid.mcid))
            else:
                element.kids.append(self.annotation(node, kid, element))
        return element

    def annotation(self, node: Node, kid: Annotated, element: _Element) -> tuple[str, str, str]:
        """The object reference to an annotation, which gets its key in the parent tree (and a link, its description)."""
        name = self.pages[kid.page].Annots[kid.index].name
        annotation = self._annotation(name)
        subtype = annotation.dict.get("Subtype")
        expected = {"Link": "/Link", "Form": "/Widget"}.get(node.role)
        if subtype != expected:
            raise TaggingError(f"a {node.role} element owns a {subtype} annotation on page {kid.page + 1}")
        if node.role == "Link":
            text = node.text()
            if not text:
                raise TaggingError(f"a link on page {kid.page + 1} has no text")
            annotation["Contents"] = PDFString(text)
            annotation["F"] = int(annotation.dict.get("F", 0)) | 4  # printed like the page it is on (it draws nothing itself)
        annotation["StructParent"] = self.next_key
        self.by_key.append((self.next_key, element))
        self.next_key += 1
        return ("OBJR", self.page_names[kid.page], name)


def _catalog(canvas: Canvas, doc: Any, lang: str) -> None:
    """The document-level entries: marked, its language, its title shown, and XMP metadata that claims PDF/UA-1."""
    catalog = doc.Catalog
    catalog.MarkInfo = b"<< /Marked true >>"  # written in place (bytes are never made an indirect object)
    catalog.Lang = PDFString(lang)
    canvas.setViewerPreference("DisplayDocTitle", "true")
    metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), _xmp(doc.info, lang).encode("utf-8"))
    catalog.Metadata = metadata  # uncompressed, as XMP is meant to be findable
    doc._pdfVersion = max(doc._pdfVersion, PDF_VERSION)


def _xmp(info: Any, lang: str) -> str:
    """XMP metadata from the document information, with the PDF/UA identification."""

    def value(key: str) -> str:
        found = getattr(info, key, None)
        return escape(str(found), quote=False) if found is not None else ""

    language = escape(lang, quote=False)
    rows = [f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{value("title")}</rdf:li></rdf:Alt></dc:title>',
            f"<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>"]
    if value("author"):
        rows.append(f"<dc:creator><rdf:Seq><rdf:li>{value('author')}</rdf:li></rdf:Seq></dc:creator>")
    if value("subject"):
        rows.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{value("subject")}</rdf:li></rdf:Alt></dc:description>')
    for key, tag in (("keywords", "pdf:Keywords"), ("producer", "pdf:Producer"), ("creator", "xmp:CreatorTool")):
        if value(key):
            rows.append(f"<{tag}>{value(key)}</{tag}>")
    rows.append(f"<pdfuaid:part>{PDFUA_PART}</pdfuaid:part>")
    body = "\n".join(rows)
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
            'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
            f"{body}\n</rdf:Description></rdf:RDF></x:xmpmeta>\n"
            '<?xpacket end="w"?>')


def _clean_unicode_maps(doc: Any) -> None:
    """Every TrueType subset's ToUnicode map without codes mapped to U+0000 (reportlab maps its unused codes there), in
    blocks of at most 100 entries."""
    objects: dict[str, Any] = doc.idToObject
    for name, stream in objects.items():
        if name.startswith(_UNICODE_MAP) and isinstance(stream, PDFStream):
            content = stream.content
            # A subset's map is the same for every sheet with the same characters of its font: kept, but for a patient's
            # sheet (its map lists the characters of their name).
            cleaned = _kept_clean_map(content.encode("latin-1") if isinstance(content, str) else content)
            if cleaned is not None:
                stream.content = cleaned


def clean_unicode_map(cmap: bytes) -> bytes | None:
    """A ToUnicode CMap with its bfchar entries that map to nothing (U+0000, U+FEFF, U+FFFE) left out; None when it has none."""
    found = list(_BFCHAR.finditer(cmap))
    if not found or b"beginbfrange" in cmap[found[0].start():found[-1].end()]:
        return None
    blocks = [_PAIR.findall(match.group(1)) for match in found]
    kept = [(code, target) for block in blocks for code, target in block if int(target, 16) not in _UNMAPPED]
    if len(kept) == sum(map(len, blocks)) and all(len(block) <= _BFCHAR_MAX for block in blocks):
        return None
    head, tail = cmap[:found[0].start()], cmap[found[-1].end():]
    out = [head.rstrip(b"\n")]
    for i in range(0, len(kept), _BFCHAR_MAX):
        chunk = kept[i:i + _BFCHAR_MAX]
        out.append(b"%d beginbfchar" % len(chunk))
        out += [b"<%s> <%s>" % pair for pair in chunk]
        out.append(b"endbfchar")
    return b"\n".join(out) + b"\n" + tail.lstrip(b"\n")


_kept_clean_map = private.sheet_memo(64)(clean_unicode_map)
