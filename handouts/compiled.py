"""Dataclasses whose generated methods are compiled once, not again in every process.

`dataclasses.dataclass` writes the source of each class's `__init__`, `__repr__`, `__eq__` (and, for a frozen class,
`__hash__`, `__setattr__`, `__delattr__`) and compiles it when the class is made: for the engine's classes that is a
tenth of a cold `generate.py handout`. This `dataclass` is the same decorator, except that the code objects of that
source are kept, by the exact text they were compiled from, in a file beside the package's bytecode (in the same
`__pycache__` folder, or under `PYTHONPYCACHEPREFIX`) and read back by the next process. The text is the key, so a
changed class compiles its new text and never gets another's code; compiling it here gives the very code
`dataclasses` would have compiled. Like bytecode, the file is written only where Python writes bytecode, whole (a
temporary file renamed), when the process ends; one that cannot be read is not used.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import importlib.util
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")
_DIGEST = 16  # bytes of the payload's BLAKE2b digest, after the header
_HEADER = importlib.util.MAGIC_NUMBER  # code objects are only read back by the Python that wrote them


def cache_file() -> Path | None:
    """Where the compiled methods are kept: beside this package's bytecode (None where there is no such place)."""
    try:
        return Path(importlib.util.cache_from_source(__file__)).with_name(f"dataclasses.{sys.implementation.cache_tag}.bin")
    except (NotImplementedError, ValueError):  # no cache tag: this Python keeps no bytecode
        return None


class _Codes:
    """The compiled methods: those read from the file, and those compiled by this process."""

    def __init__(self) -> None:
        self.path = cache_file()
        self.known: dict[str, CodeType] | None = None
        self.new: dict[str, CodeType] = {}

    def code(self, source: str) -> CodeType:
        """The code of one method's source text, compiled as `dataclasses` compiles it (no inherited future flags)."""
        if self.known is None:
            self.known = self._read()
        code = self.known.get(source)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            if not self.new and not sys.dont_write_bytecode:
                atexit.register(self.save)
            self.known[source] = self.new[source] = code
        return code

    def _read(self) -> dict[str, CodeType]:
        if self.path is None:
            return {}
        try:
            data = self.path.read_bytes()
            digest, payload = data[len(_HEADER):len(_HEADER) + _DIGEST], data[len(_HEADER) + _DIGEST:]
            intact = data.startswith(_HEADER) and hashlib.blake2b(payload, digest_size=_DIGEST).digest() == digest
            codes = marshal.loads(payload) if intact else {}  # a damaged byte that marshal would still read is caught here
        except Exception:  # marshal fails on damaged bytes with SystemError, MemoryError and others, not only ValueError
            return {}
        if not isinstance(codes, dict) or not all(isinstance(k, str) and isinstance(v, CodeType) for k, v in codes.items()):
            return {}
        return codes

    def save(self) -> None:
        """Write what this process compiled, with what the file held, to the file (whole, or not at all)."""
        if self.path is None or not self.new:
            return
        codes = {**self._read(), **self.new}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = marshal.dumps(codes)
            temporary.write_bytes(_HEADER + hashlib.blake2b(payload, digest_size=_DIGEST).digest() + payload)
            os.replace(temporary, self.path)
            self.new = {}
        except (OSError, ValueError):
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass


_CODES = _Codes()


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: dict[str, Any] | None = None) -> None:
    """`exec` as `dataclasses` calls it, with the code of a source text taken from the kept methods."""
    exec(_CODES.code(source) if isinstance(source, str) else source, globals, locals)


@overload
def dataclass(cls: type[_T], /) -> type[_T]: ...
@overload
def dataclass(cls: None = None, /, *, init: bool = True, repr: bool = True, eq: bool = True, order: bool = False,
              unsafe_hash: bool = False, frozen: bool = False, match_args: bool = True, kw_only: bool = False,
              slots: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def dataclass(cls: type[_T] | None = None, /, **options: Any) -> Any:
    """`dataclasses.dataclass` (with the same options), its generated methods compiled once and kept."""

    def make(cls: type[_T]) -> type[_T]:
        shadowed = dataclasses.__dict__.get("exec")
        dataclasses.exec = _exec  # type: ignore[attr-defined]  # the module looks `exec` up among its globals first
        try:
            return dataclasses.dataclass(cls, **options)
        finally:
            if shadowed is None:
                del dataclasses.exec  # type: ignore[attr-defined]
            else:
                dataclasses.exec = shadowed  # type: ignore[attr-defined]

    return make if cls is None else make(cls)
