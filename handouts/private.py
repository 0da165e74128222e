"""The patient details of the sheet being drawn, which no memo of the process may keep.

The engine keeps the work it does for a text (its parse, its lines, its script runs, its width) once per process, so
that the next sheet with the same text costs less. A text that holds a patient's name or provider is worked out afresh
each time and never kept: a long-lived process (the front desk's printing workers) holds no one's details after their
sheet is drawn.
"""

from __future__ import annotations

import unicodedata
from html import escape
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache, wraps
from typing import Any, TypeVar

from .patient import Patient

_F = TypeVar("_F", bound=Callable[..., Any])
_WITHHELD: ContextVar[tuple[str, ...]] = ContextVar("withheld", default=())


@contextmanager
def withheld(patient: Patient | None) -> Iterator[None]:
    """While drawing a patient's sheet: texts holding their name or provider, or a word of either, are kept by no memo."""
    values: set[str] = set()
    for value in (patient.name, patient.provider) if patient is not None else ():
        if value:
            for whole in (value, unicodedata.normalize("NFC", value)):
                for form in (whole, *(word for word in whole.split() if len(word) > 1)):  # a line broken word by word
                    values |= {form, escape(form, quote=False), escape(form)}
    token = _WITHHELD.set(tuple(sorted(values)))
    try:
        yield
    finally:
        _WITHHELD.reset(token)


def drawing_a_patient() -> bool:
    """Whether a patient's sheet is being drawn (what is worked out for the whole sheet is then kept by no memo)."""
    return bool(_WITHHELD.get())


def keepable(*texts: object) -> bool:
    """Whether a memo may keep what it worked out from these values: none holds a detail of the patient being drawn."""
    withheld_now = _WITHHELD.get()
    return not withheld_now or not any(value in text for text in texts if isinstance(text, str) for value in withheld_now)


def memo(maxsize: int | None, typed: bool = False) -> Callable[[_F], _F]:
    """`functools.lru_cache` for a function of texts, except that a call whose arguments hold the details of the patient
    being drawn is computed afresh and not kept."""

    def decorate(function: _F) -> _F:
        cached = lru_cache(maxsize=maxsize, typed=typed)(function)

        @wraps(function)
        def call(*args: Any) -> Any:
            return cached(*args) if keepable(*args) else function(*args)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate


def sheet_memo(maxsize: int) -> Callable[[_F], _F]:
    """`functools.lru_cache` for a function of what a whole sheet prints (the characters of a font subset), except that
    while a patient's sheet is drawn every call is computed afresh and not kept: its arguments may hold their details."""

    def decorate(function: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(*args: Any) -> Any:
            return function(*args) if drawing_a_patient() else cached(*args)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate
