"""Files named in YAML must resolve inside the content tree."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from . import loaded
from .errors import InputError


class PathError(InputError):
    """A file name in YAML that cannot be used."""


def resolve_inside(root: Path, base: Path, name: str, suffixes: tuple[str, ...]) -> Path:
    """Resolve name relative to base; refuse absolute paths, escapes, links out and non-files."""
    inside = "a file inside the content folder, named relative to this file"
    if not name or "\x00" in name or "\\" in name:
        raise PathError(f"file name '{name[:80]}' is not usable", inside)
    pure = PurePosixPath(name)
    if pure.is_absolute() or (pure.parts and pure.parts[0].endswith(":")):
        raise PathError(f"absolute path '{name[:80]}' is not allowed", inside)
    if ".." in pure.parts:
        raise PathError(f"path '{name[:80]}' leaves its folder with '..'", inside)
    if pure.suffix.lower() not in suffixes:
        raise PathError(f"file '{name[:80]}' has an unsupported type", "a file ending in " + ", ".join(suffixes))
    candidate = base.joinpath(*pure.parts)
    loaded.looked_at(candidate)  # what a kept validation must find unchanged
    real_root = root.resolve()
    try:
        real = candidate.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise PathError(f"file '{name[:80]}' does not exist", inside) from None
    except (OSError, RuntimeError):
        raise PathError(f"file '{name[:80]}' cannot be opened", inside) from None
    if real != real_root and real_root not in real.parents:
        raise PathError(f"file '{name[:80]}' points outside the content folder", inside)
    if not real.is_file():
        raise PathError(f"'{name[:80]}' is not a regular file", inside)
    if not os.access(real, os.R_OK):
        raise PathError(f"file '{name[:80]}' cannot be read", "a readable file")
    return real
