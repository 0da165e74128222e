"""The layouts the engine prints with, by name: layouts register here, the command layer makes them available.

The engine never imports a layout. The command layer (the composition root) calls `declare` with each layout's name
and the module that registers it, and the folder their code lives in (or `provide`, with a function that imports
them all); a layout's module is imported the first time that layout is needed, so a command that needs none (a no-op
build, `--version`) never loads reportlab, and one that prints a standard sheet never loads the trifold. Each layout
module registers its class with `@register(name)` as it is imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, TypeVar

from .compiled import dataclass

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
_declared: dict[str, str] = {}  # layout name → the module that registers it


@dataclass(frozen=True)
class Declared:
    """Layouts by name, each imported from its own module when first asked for; called, it imports them all.

    It is what `declare` provides, so that a worker process handed `provided()` learns the same names and modules.
    """

    modules: tuple[tuple[str, str], ...]  # (layout name, module), sorted by name

    def __call__(self) -> None:
        """Import every declared module."""
        for _, module in self.modules:
            importlib.import_module(module)


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
        if isinstance(load, Declared):
            _declared.update(load.modules)
        else:
            _pending.append(load)


def declare(modules: Mapping[str, str], source: Path) -> None:
    """Make layouts available by name: modules maps each layout's name to the module that registers it, imported when
    that layout is first needed; source is the folder of their code."""
    provide(Declared(tuple(sorted(modules.items()))), source)


def provided() -> list[tuple[Callable[[], object], Path]]:
    """Everything given to provide, in order (for worker processes to provide again)."""
    return list(_provided)


class _Layouts(Mapping[str, "type[LayoutClass]"]):
    """The layout classes by name: a declared layout's module is imported when that layout is first looked up."""

    def __getitem__(self, name: str) -> type[LayoutClass]:
        found = _classes.get(name)
        if found is not None:
            return found
        module = _declared.get(name)
        if module is None:
            _load_pending()
            return _classes[name]
        importlib.import_module(module)
        if name not in _classes:
            raise RuntimeError(f"layout '{name}' is declared in {module}, which registers no such layout")
        return _classes[name]

    def __contains__(self, name: object) -> bool:
        if name in _classes or name in _declared:
            return True
        _load_pending()
        return name in _classes

    def __iter__(self) -> Iterator[str]:
        return iter(_names())

    def __len__(self) -> int:
        return len(_names())


_LAYOUTS = _Layouts()


def _load_pending() -> None:
    while _pending:
        _pending.pop(0)()


def _names() -> list[str]:
    _load_pending()
    if not _classes and not _declared:
        raise RuntimeError("no layouts are registered (the command layer provides them: see handouts.plugins)")
    return list(dict.fromkeys([*_declared, *_classes]))


def layouts() -> Mapping[str, type[LayoutClass]]:
    """The layout classes by name; looking one up imports its module, if it was declared, and no other."""
    return _LAYOUTS


def names() -> list[str]:
    """The layout names, sorted (without importing a layout)."""
    return sorted(_names())


def sources() -> tuple[Path, ...]:
    """The folders of the provided layouts' code, whose every change can change a PDF."""
    return tuple(dict.fromkeys(source for _, source in _provided))
