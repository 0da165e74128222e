"""Layout classes: each module defines one reportlab document template, registered by name with the engine.

The command layer imports each module only when its layout is needed (handouts.plugins names them); `LAYOUTS`, the
shipped layouts by name, imports them all.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from handouts import registry

from .base import Layout

_imported: dict[str, type[Layout]] = {}  # the shipped layouts imported so far; the engine reads them through handouts.registry
L = TypeVar("L", bound=type[Layout])


def layout(name: str) -> Callable[[L], L]:
    """Register a layout class under the name used in YAML and on the command line."""
    def register(cls: L) -> L:
        registry.register(name)(cls)
        _imported[name] = cls
        return cls
    return register


def __getattr__(name: str) -> dict[str, type[Layout]]:
    """`LAYOUTS`: every shipped layout by name, each module imported (each registers itself)."""
    if name != "LAYOUTS":
        raise AttributeError(name)
    from . import card, large_print, standard, trifold, two_column  # noqa: F401
    return _imported
