"""What the command layer plugs into the engine: the shipped layouts, installed as handouts.layouts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from . import registry
from .errors import HandoutsError

SHIPPED_LAYOUTS = "handouts.layouts"


# Each shipped layout's name and the module that registers it (tests/layouts/test_lazy_layouts.py checks the two agree).
SHIPPED = {name: f"{SHIPPED_LAYOUTS}.{module}" for name, module in (
    ("card", "card"), ("large-print", "large_print"), ("standard", "standard"), ("trifold", "trifold"), ("two-column", "two_column"))}


def use_shipped_layouts() -> None:
    """Make the shipped layouts available to the engine; each is imported the first time it is needed."""
    spec = importlib.util.find_spec(SHIPPED_LAYOUTS)
    if spec is None or not spec.submodule_search_locations:  # a source checkout run without installing it
        raise HandoutsError(f"{SHIPPED_LAYOUTS} is not installed (install the project first: python3 -m pip install -e .)")
    registry.declare(SHIPPED, Path(spec.submodule_search_locations[0]))
