"""`generate.py handout …` with the sheet drawn untagged, for the bench's like-for-like cold figure: the hand-written
script's PDF has no structure tree, so this process makes none either (no marked content, no structure tree). Not a command of the
project: every command the project offers prints tagged PDF/UA-1 sheets."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

import handouts.pdf as pdf
from handouts.cli import main

_make_sheet = pdf.make_sheet


def _untagged(*args: Any, **kwargs: Any) -> Any:
    return replace(_make_sheet(*args, **kwargs), tagged=False)


if __name__ == "__main__":
    pdf.make_sheet = _untagged  # type: ignore[assignment]
    sys.exit(main(sys.argv[1:]))
