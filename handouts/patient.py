"""Details of one patient for a personalised sheet (kept out of every file but the PDF's pages)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .errors import InputError


@dataclass(frozen=True)
class Patient:
    """Who the sheet is for and when; any field may be missing."""

    name: str | None = None
    date: dt.date | None = None
    provider: str | None = None
    follow_up: dt.date | None = None


MAX_NAME = 80
FIRST_YEAR, LAST_YEAR = 1900, 2200
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PatientError(InputError):
    """A patient detail given on the command line (or in a form) that cannot be used; field names which."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def parse_date(field: str, value: str | None) -> dt.date | None:
    """A YYYY-MM-DD date that exists, or None when not given."""
    if value is None or value == "":
        return None
    try:
        if not _ISO_DATE.fullmatch(value):  # fromisoformat also takes week dates (2026-W48-2) and other forms
            raise ValueError
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise PatientError(field, f"'{value[:20]}' is not a date that exists (expected YYYY-MM-DD, e.g. 2026-11-24)") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # dates are counted forwards and back from it by up to a year
        raise PatientError(field, f"'{value}' is outside the years {FIRST_YEAR} to {LAST_YEAR} (expected a date such as 2026-11-24)")
    return day


def parse_name(field: str, value: str | None) -> str | None:
    """A person's name: printable, of sane length, whitespace tidied; None when not given."""
    if value is None:
        return None
    import unicodedata

    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for c in value):
        raise PatientError(field, "contains control characters (expected a name as it should be printed)")
    name = " ".join(unicodedata.normalize("NFC", value).split())
    if not name:
        return None
    if len(name) > MAX_NAME:
        raise PatientError(field, f"is {len(name)} characters long (expected at most {MAX_NAME})")
    return name


def make_patient(name: str | None, date: str | None, provider: str | None, follow_up: str | None) -> Patient | None:
    """Validated patient details, or None when none were given."""
    patient = Patient(parse_name("patient", name), parse_date("date", date), parse_name("provider", provider),
                      parse_date("follow-up", follow_up))
    if patient.follow_up and patient.date and patient.follow_up < patient.date:
        raise PatientError("follow-up", f"{patient.follow_up.isoformat()} is before the treatment date {patient.date.isoformat()} (expected a later date)")
    if patient == Patient():
        return None
    return patient
