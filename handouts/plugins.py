"""What the command layer plugs into the engine: the shipped layouts, installed as handouts.layouts."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from . import registry
from .errors import HandoutsError

SHIPPED_LAYOUTS = "handouts.layouts"


def _import_shipped_layouts() -> None:
    importlib.import_module(SHIPPED_LAYOUTS)


def use_shipped_layouts() -> None:
    """Make the shipped layouts available to the engine; they are imported the first time a layout is needed."""
    spec = importlib.util.find_spec(SHIPPED_LAYOUTS)
    if spec is None or not spec.submodule_search_locations:  # a source checkout run without installing it
        raise HandoutsError(f"{SHIPPED_LAYOUTS} is not installed (install the project first: python3 -m pip install -e .)")
    registry.provide(_import_shipped_layouts, Path(spec.submodule_search_locations[0]))
