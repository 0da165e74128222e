"""The layouts the engine prints with, by name: layouts register here, the command layer makes them available.

The engine never imports a layout. The command layer (the composition root) calls `provide` with a function that
imports the layout modules and the folder their code lives in; the function runs the first time a layout is
needed, so a command that needs none (a no-op build, `--version`) never loads reportlab. Each layout module
registers its class with `@register(name)` as it is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, TypeVar

if TYPE_CHECKING:
    from .blocks import Block
    from .content import Handout
    from .drawn import Drawn
    from .sheet import Sheet


class LayoutClass(Protocol):
    """What the engine asks of a layout class."""

    name: str

    @classmethod
    def fit(cls, sheet: Sheet) -> tuple[bytes, int]:
        """The PDF bytes of a sheet and its page count."""

    @classmethod
    def page_limit(cls, handout: Handout) -> int | None:
        """The most pages a handout may take in this layout (None: no limit)."""

    @classmethod
    def printed_blocks(cls, handout: Handout) -> list[tuple[str, Block]]:
        """The blocks this layout prints of a handout, each with the file it came from."""

    @classmethod
    def draw(cls, sheet: Sheet) -> Drawn:
        """The PDF with the record of where its story went (for the proof)."""

    @classmethod
    def offers(cls, handout: Handout) -> bool:
        """Whether the layout prints the handout at all (the card only a handout with a card section)."""

    @classmethod
    def frame_label(cls, page: int, frame: str) -> str:
        """How a report names a frame: 'page 2', 'the left column of page 1', 'the flap'."""

    @classmethod
    def frame_min_fill(cls, frame: str) -> float:
        """The share of a frame the proof requires when it is not the last."""

    @classmethod
    def logo_fit(cls, sheet: Sheet) -> tuple[float, float, float, float] | None:
        """(printed width, printed height, widest, tallest) of the sheet's logo; None without one."""

    min_print_size: float  # the smallest type the proof accepts anywhere on the sheet
    fill_every_frame: bool  # whether an empty frame on the last page is a blank panel
    balances_last_page: bool  # whether the last page's columns end level


L = TypeVar("L", bound=type)

_classes: dict[str, type[LayoutClass]] = {}
_provided: list[tuple[Callable[[], object], Path]] = []
_pending: list[Callable[[], object]] = []


def register(name: str) -> Callable[[L], L]:
    """Register a layout class under the name used in YAML and on the command line."""
    def add(cls: L) -> L:
        cls.name = name  # type: ignore[attr-defined]
        _classes[name] = cls
        return cls
    return add


def provide(load: Callable[[], object], source: Path) -> None:
    """Make layouts available: load() imports them when one is first needed; source is the folder of their code.

    load must be a module-level function, so that a worker process that does not fork can be handed it.
    """
    if (load, source) not in _provided:
        _provided.append((load, source))
        _pending.append(load)


def provided() -> list[tuple[Callable[[], object], Path]]:
    """Everything given to provide, in order (for worker processes to provide again)."""
    return list(_provided)


def layouts() -> dict[str, type[LayoutClass]]:
    """The registered layout classes by name (loading the provided layouts on first use)."""
    while _pending:
        _pending.pop(0)()
    if not _classes:
        raise RuntimeError("no layouts are registered (the command layer provides them: see handouts.plugins)")
    return _classes


def names() -> list[str]:
    """The registered layout names, sorted."""
    return sorted(layouts())


def sources() -> tuple[Path, ...]:
    """The folders of the provided layouts' code, whose every change can change a PDF."""
    return tuple(dict.fromkeys(source for _, source in _provided))
