"""A drawn sheet made a tagged PDF that claims PDF/UA-1 (ISO 14289-1): its structure tree written into the file, with
everything a reader of the structure needs beside it.

reportlab draws the pages and their marked content (`handouts.marking`); this pass, with pikepdf, adds what
reportlab has no way to write: the StructTreeRoot with one StructElem per element of the sheet's `Structure`, the
ParentTree that leads from each page's marked content and each annotation back to its element, `/StructParents`
and `/Tabs /S` on the pages, `/StructParent` and `/Contents` on the annotations, `/MarkInfo`, `/Lang`,
`DisplayDocTitle`, and XMP metadata with `dc:title` and `pdfuaid:part`. It also rewrites each font's ToUnicode map
without the unused codes reportlab maps to U+0000, which PDF/UA forbids. The output is the same bytes for the same
input.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from .marking import TaggingError
from .structure import Annotated, Marked, Node, Structure

if TYPE_CHECKING:
    import pikepdf

PDFUA_PART = 1
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFCHAR = re.compile(rb"\d+\s+beginbfchar(.*?)endbfchar", re.S)
_UNMAPPED = {0x0000, 0xFEFF, 0xFFFE}
_BFCHAR_MAX = 100  # entries per bfchar block (PDF Reference, §5.9.2)


def finish(data: bytes, structure: Structure) -> bytes:
    """The PDF with its structure tree, tagged-PDF entries, PDF/UA metadata and clean ToUnicode maps."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    _Tree(pdf, structure).write()
    _catalog(pdf, structure.lang)
    _clean_unicode_maps(pdf)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=False, fix_metadata_version=False, min_version="1.7",
             object_stream_mode=pikepdf.ObjectStreamMode.generate)  # the many small structure elements, packed and compressed
    return out.getvalue()


class _Tree:
    """Writes the structure elements, the parent tree and the entries that point into them."""

    def __init__(self, pdf: "pikepdf.Pdf", structure: Structure):
        self.pdf = pdf
        self.structure = structure
        self.pages = [page.obj for page in pdf.pages]
        self.by_mcid: dict[int, dict[int, Any]] = {}  # page → MCID → element
        self.by_key: list[tuple[int, Any]] = []  # (parent-tree key, element) of annotations
        self.next_key = len(self.pages)

    def write(self) -> None:
        import pikepdf
        from pikepdf import Array, Dictionary, Name

        root = self.structure.root
        root.prune()
        tree = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        tree.K = Array([self.element(root, tree)])
        nums: list[Any] = []
        for page, marked in sorted(self.by_mcid.items()):
            if sorted(marked) != list(range(len(marked))):
                raise TaggingError(f"page {page + 1} has MCIDs {sorted(marked)}, not 0 to {len(marked) - 1}")
            self.pages[page].StructParents = page
            nums += [page, Array([marked[mcid] for mcid in range(len(marked))])]
        for key, element in self.by_key:
            nums += [key, element]
        tree.ParentTree = self.pdf.make_indirect(Dictionary(Nums=Array(nums)))
        tree.ParentTreeNextKey = self.next_key
        for number, page_object in enumerate(self.pages):
            page_object.Tabs = Name.S
            for annotation in page_object.get("/Annots", []):
                if "/StructParent" not in annotation:
                    raise TaggingError(f"an annotation on page {number + 1} ({annotation.get('/Subtype')}) belongs to no element")
        self.pdf.Root.StructTreeRoot = tree
        assert isinstance(tree, pikepdf.Dictionary)

    def element(self, node: Node, parent: Any) -> Any:
        """One StructElem, written with its kids."""
        from pikepdf import Array, Dictionary, Name, String

        element = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent))
        if node.alt is not None:
            element.Alt = String(node.alt)
        if node.actual_text is not None:
            element.ActualText = String(node.actual_text)
        if node.lang is not None:
            element.Lang = String(node.lang)
        attributes = []
        if node.numbering is not None:
            attributes.append(Dictionary(O=Name.List, ListNumbering=Name("/" + node.numbering)))
        if node.scope is not None:
            attributes.append(Dictionary(O=Name.Table, Scope=Name("/" + node.scope)))
        if attributes:
            element.A = attributes[0] if len(attributes) == 1 else Array(attributes)
        own = [kid for kid in node.kids if not isinstance(kid, Node)]
        home = own[0].page if own else None
        if home is not None:
            element.Pg = self.pages[home]
        kids = []
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(self.element(kid, element))
            elif isinstance(kid, Marked):
                self.by_mcid.setdefault(kid.page, {})[kid.mcid] = element
                kids.append(kid.mcid if kid.page == home else Dictionary(Type=Name.MCR, Pg=self.pages[kid.page], MCID=kid.mcid))
            else:
                kids.append(self.annotation(node, kid, element))
        element.K = Array(kids)
        return element

    def annotation(self, node: Node, kid: Annotated, element: Any) -> Any:
        """The object reference to an annotation, which gets its key in the parent tree (and a link, its description)."""
        from pikepdf import Dictionary, Name, String

        page = self.pages[kid.page]
        annotation = page.Annots[kid.index]
        subtype = str(annotation.get("/Subtype"))
        expected = {"Link": "/Link", "Form": "/Widget"}.get(node.role)
        if subtype != expected:
            raise TaggingError(f"a {node.role} element owns a {subtype} annotation on page {kid.page + 1}")
        if node.role == "Link":
            text = node.text()
            if not text:
                raise TaggingError(f"a link on page {kid.page + 1} has no text")
            annotation.Contents = String(text)
            annotation.F = int(annotation.get("/F", 0)) | 4  # printed like the page it is on (it draws nothing itself)
        annotation.StructParent = self.next_key
        self.by_key.append((self.next_key, element))
        self.next_key += 1
        return Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page)


def _catalog(pdf: "pikepdf.Pdf", lang: str) -> None:
    """The document-level entries: marked, its language, its title shown, and XMP metadata that claims PDF/UA-1."""
    from pikepdf import Dictionary, Name, String

    root = pdf.Root
    root.MarkInfo = Dictionary(Marked=True)
    root.Lang = String(lang)
    preferences = root.get("/ViewerPreferences") or Dictionary()
    preferences.DisplayDocTitle = True
    root.ViewerPreferences = preferences
    info = pdf.trailer.get("/Info") or Dictionary()
    metadata = pdf.make_stream(_xmp(info, lang).encode("utf-8"))
    metadata.Type = Name.Metadata
    metadata.Subtype = Name.XML
    root.Metadata = metadata


def _xmp(info: Any, lang: str) -> str:
    """XMP metadata from the document information dictionary, with the PDF/UA identification."""

    def value(key: str) -> str:
        found = info.get(key)
        return escape(str(found)) if found is not None else ""

    language = escape(lang)
    rows = [f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{value("/Title")}</rdf:li></rdf:Alt></dc:title>',
            f"<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>"]
    if value("/Author"):
        rows.append(f"<dc:creator><rdf:Seq><rdf:li>{value('/Author')}</rdf:li></rdf:Seq></dc:creator>")
    if value("/Subject"):
        rows.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{value("/Subject")}</rdf:li></rdf:Alt></dc:description>')
    for key, tag in (("/Keywords", "pdf:Keywords"), ("/Producer", "pdf:Producer"), ("/Creator", "xmp:CreatorTool")):
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


def _clean_unicode_maps(pdf: "pikepdf.Pdf") -> None:
    """Every font's ToUnicode map without codes mapped to U+0000 (reportlab maps its unused codes there), in blocks of
    at most 100 entries."""
    from pikepdf import Dictionary, Name

    seen: set[tuple[int, int]] = set()
    for obj in pdf.objects:
        if not isinstance(obj, Dictionary) or obj.get("/Type") != Name.Font or "/ToUnicode" not in obj:
            continue
        stream = obj.ToUnicode
        if stream.objgen in seen:
            continue
        seen.add(stream.objgen)
        cleaned = clean_unicode_map(stream.read_bytes())
        if cleaned is not None:
            stream.write(zlib.compress(cleaned, 9), filter=Name.FlateDecode)


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
