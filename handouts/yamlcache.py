"""The trees of YAML files read before, kept by the sha256 of their bytes, so that a process whose files have all been
read once neither parses them again nor imports the YAML parser (a sixth of what a cold `generate.py handout` costs).

An entry is named by the hash of a file's bytes together with what turns bytes into a tree: the Python version (its
Unicode normalisation, the format of the entry), the installed PyYAML (where it is, and its file's size and time, as
the build fingerprint names a library) and the code of `yamlsafe` and of this module. A changed byte, parser or loader
gives another name, so an old entry is never read again. Only files that loaded without a problem are kept, so every
message about a file is the parser's own. Content, brand, language and record files are kept; a patient's details
never are (`patient` reads them with `yamlsafe.load_text`, which keeps nothing).

The folder is `yaml/` in check's cache folder (`$HANDOUTS_CACHE`, else `~/.cache/handouts`). Entries are written
whole (a temporary file renamed); an entry that cannot be read, or a folder that cannot be written, is not used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import loaded, yamlsafe
from .errors import Problems
from .files import cache_folder
from .yamlsafe import Mapping, Node, Sequence, Text

FORMAT = b"handouts yaml tree 1"
_TEXT, _MAPPING, _SEQUENCE = 0, 1, 2


def load_file(path: Path, display: str, problems: Problems, root: Path | None = None) -> Node | None:
    """`yamlsafe.load_file`, taking a file read before from the trees kept, and keeping the tree of a new one; the
    sha256 of the bytes read is taken once, and told to `loaded` (what a kept validation read)."""
    return yamlsafe.load_file(path, display, problems, root, _Kept(path))


def get(data: bytes, digest: bytes | None = None) -> Node | None:
    """The tree of a file with these bytes (whose sha256 is digest, when taken already), if it loaded before (None when
    it has not, or its entry cannot be read)."""
    path = _entry(data, digest)
    if path is None:
        return None
    try:
        return _tree(json.loads(path.read_bytes()))
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OverflowError):
        return None  # OverflowError: a line of Infinity, which JSON reads as a float


def put(data: bytes, tree: Node, digest: bytes | None = None) -> None:
    """Keep the tree of a file with these bytes (whose sha256 is digest, when taken already); a folder that cannot be
    written is left alone."""
    path = _entry(data, digest)
    if path is None:
        return
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(json.dumps(_plain(tree), ensure_ascii=False, separators=(",", ":")).encode())
        os.replace(temporary, path)
    except (OSError, ValueError):
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass


def _entry(data: bytes, digest: bytes | None) -> Path | None:
    salt = _salt()
    if salt is None:
        return None
    key = hashlib.sha256(salt + (digest or hashlib.sha256(data).digest())).hexdigest()
    return cache_folder() / "yaml" / key[:2] / f"{key}.bin"


@lru_cache(maxsize=1)
def _salt() -> bytes | None:
    """What, besides a file's bytes, makes its tree; None when it cannot be told (then nothing is kept)."""
    try:
        spec = importlib.util.find_spec("yaml")  # found, not imported
        parser = os.stat(spec.origin) if spec is not None and spec.origin else None
        code = Path(yamlsafe.__file__).read_bytes() + Path(__file__).read_bytes()
    except (OSError, ImportError, ValueError):
        return None
    if parser is None or spec is None:
        return None
    library = f"{spec.origin}:{parser.st_size}:{parser.st_mtime_ns}"
    return hashlib.sha256(b"\0".join([FORMAT, sys.version.encode(), library.encode(), code])).digest()


def _plain(node: Node) -> tuple[int, int, Any]:
    """A tree as lists, numbers and strings (JSON, which is read back fast and safely)."""
    if isinstance(node, Mapping):
        return _MAPPING, node.line, [(key, node.key_lines[key], _plain(child)) for key, child in node.items()]
    if isinstance(node, Sequence):
        return _SEQUENCE, node.line, [_plain(child) for child in node]
    return _TEXT, node.line, str(node)


def _tree(item: list[Any]) -> Node:
    """The tree `_plain` wrote, with every line where the file had it."""
    kind, line, value = item
    node: Node
    if kind == _TEXT and isinstance(value, str):
        node = Text(value)
    elif kind == _MAPPING:
        node = Mapping()
        node.key_lines = {}
        for key, key_line, child in value:
            if not isinstance(key, str):
                raise TypeError(f"not a key: {key!r}")
            node[key] = _tree(child)
            node.key_lines[key] = int(key_line)
    elif kind == _SEQUENCE:
        node = Sequence(_tree(child) for child in value)
    else:
        raise ValueError(f"not a tree: {kind!r}")
    node.line = int(line)
    return node


class _Kept:
    """This module's `get` and `put` for one file, as `yamlsafe.load_file` takes them: the bytes read are hashed once."""

    def __init__(self, path: Path):
        self.path = path
        self.data: bytes | None = None
        self.digest = b""

    def get(self, data: bytes) -> Node | None:
        """The tree of a file with these bytes, if it loaded before."""
        return get(data, self._sha256(data))

    def put(self, data: bytes, tree: Node) -> None:
        """Keep the tree of a file with these bytes."""
        put(data, tree, self._sha256(data))

    def _sha256(self, data: bytes) -> bytes:
        if data is not self.data:
            self.data, self.digest = data, hashlib.sha256(data).digest()
            loaded.read(self.path, self.digest)
        return self.digest
