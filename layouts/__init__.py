"""Layout classes: each module defines one reportlab document template, registered by name with the engine."""

from __future__ import annotations

from typing import Callable, TypeVar

from handouts import registry

from .base import Layout

LAYOUTS: dict[str, type[Layout]] = {}  # the shipped layouts; the engine reads them through handouts.registry
L = TypeVar("L", bound=type[Layout])


def layout(name: str) -> Callable[[L], L]:
    """Register a layout class under the name used in YAML and on the command line."""
    def register(cls: L) -> L:
        registry.register(name)(cls)
        LAYOUTS[name] = cls
        return cls
    return register


from . import card, large_print, standard, trifold, two_column  # noqa: E402,F401  (each registers itself)
