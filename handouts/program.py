"""The program's name as the user started it, for the commands the engine tells them to run next."""

from __future__ import annotations

import sys
from pathlib import Path


def name(typed: bool = False) -> str:
    """`handouts` when started as the installed command, else generate.py (with typed, as typed to run it)."""
    if Path(sys.argv[0]).name == "handouts":
        return "handouts"
    return "python generate.py" if typed else "generate.py"
