"""Reading a tagged PDF back: its structure tree as poppler's `pdfinfo -struct-text` prints it (types, attributes, the
text of each element's own content, annotations), each element's entries as pikepdf reads them, and the page content
a screen reader gets (everything but the artifacts)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

INLINE = ("Link", "Span")  # elements inside a line of text, read without a break around them


@dataclass
class Element:
    """One structure element as read back: its type, attributes, and its own text and kid elements in their order."""

    role: str
    items: list["str | Element"] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)  # e.g. "/Scope /Row"
    objects: int = 0  # annotations it holds

    @property
    def kids(self) -> list["Element"]:
        """Its kid elements, in order."""
        return [item for item in self.items if isinstance(item, Element)]

    @property
    def own_text(self) -> str:
        """The text of its own content, whitespace collapsed."""
        return " ".join(" ".join(item for item in self.items if isinstance(item, str)).split())

    @property
    def text(self) -> str:
        """The text of it and everything below it, in reading order, whitespace collapsed."""
        parts = [item if isinstance(item, str) else item.text if item.role in INLINE else f" {item.text} " for item in self.items]
        return " ".join("".join(parts).split())

    def walk(self) -> Iterator["Element"]:
        """It and every element below it, in order."""
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def find(self, role: str) -> list["Element"]:
        """Every element of this type below it (itself included), in order."""
        return [element for element in self.walk() if element.role == role]

    def outline(self, depth: int = 0) -> list[str]:
        """One line per element: indented type, attributes and own text."""
        line = "  " * depth + self.role + "".join(f" [{a}]" for a in self.attributes) + (f' "{self.own_text}"' if self.own_text else "")
        return [line] + [out for kid in self.kids for out in kid.outline(depth + 1)]


def structure(data: bytes) -> Element:
    """The document's structure tree, read by poppler."""
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo is needed (Debian package poppler-utils)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        out = subprocess.run(["pdfinfo", "-struct-text", file.name], capture_output=True, text=True, timeout=60, check=True).stdout
    stack: list[tuple[int, Element]] = []
    root: Element | None = None
    for line in out.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if body.startswith('"'):
            parent = next(element for depth, element in reversed(stack) if depth < indent)
            parent.items.append(body[1:-1] if body.endswith('"') else body[1:])
        elif body.startswith("/"):
            stack[-1][1].attributes.append(body)
        elif body.startswith("Object "):
            next(element for depth, element in reversed(stack) if depth < indent).objects += 1
        else:
            element = Element(body.split()[0].rstrip(":"))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if stack:
                stack[-1][1].items.append(element)
            else:
                root = element
            stack.append((indent, element))
    assert root is not None, out
    return root


def entries(data: bytes) -> list[dict[str, str]]:
    """Every structure element's type and text entries (Alt, ActualText, Lang), in order, as pikepdf reads them."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    found: list[dict[str, str]] = []

    def visit(node: pikepdf.Object) -> None:
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            found.append({"S": str(node.S)[1:], **{key[1:]: str(node[key]) for key in ("/Alt", "/ActualText", "/Lang") if key in node}})
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                visit(kid)

    visit(pdf.Root.StructTreeRoot)
    return found


PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}  # path-painting operators (an artifact's path is ended unpainted)
SHOWING = {"Tj", "TJ", "'", '"', "Do", "sh"}  # text shown, XObjects and shadings painted (reportlab moves to a new line with T*)


def without_artifacts(data: bytes) -> bytes:
    """The PDF with nothing painted inside its artifacts (the graphics and text state they set is kept): what a screen
    reader that follows the tags is given."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        kept = []
        depth = 0  # marked-content sequences open from an artifact in (the artifact itself counts)
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BMC", "BDC"):
                if depth or (operands and str(operands[0]) == "/Artifact"):
                    depth += 1
            elif name == "EMC" and depth:
                depth -= 1
            elif depth and name in SHOWING:
                continue
            elif depth and name in PAINTING:
                operands, operator = [], pikepdf.Operator("n")
            kept.append((operands, operator))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def page_text(data: bytes, page: int = 0, crop: tuple[float, float] | None = None) -> str:
    """A page's text as pdftotext reads it in physical layout, optionally only between two x positions (points)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is needed (Debian package poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(data)
        args = ["pdftotext", "-f", str(page + 1), "-l", str(page + 1), "-r", "72"]
        if crop:
            args += ["-x", str(int(crop[0])), "-y", "0", "-W", str(int(crop[1] - crop[0])), "-H", "2000"]
        out = subprocess.run(args + [str(path), "-"], capture_output=True, text=True, timeout=60, check=True).stdout
    return " ".join(out.split())
