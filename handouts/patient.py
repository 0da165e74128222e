"""Details of one patient for a personalised sheet (kept out of every file but the PDF's pages)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from .content import Handout

from .compiled import dataclass
from .direction import EXPECTED, refusal, right_to_left
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
    rtl = right_to_left(name)
    if rtl:  # the character is not quoted: a patient's details never appear in a message
        raise PatientError(field, f"{refusal(rtl, quote=False)} (expected {EXPECTED})")
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


PATIENT_KEYS = ("name", "date", "provider", "follow_up")
MAX_PATIENT_FILE = 4096  # a few short lines; anything bigger is not a patient's details


def read_patient_file(source: str, stdin: BinaryIO | None = None) -> Patient | None:
    """Patient details from a small YAML mapping (name, date, provider, follow_up) in a file, or '-' for standard input.

    Keeps the details off the command line, where every user of the computer could see them (ps, shell history).
    Raises PatientError with field "patient-from"; messages give the line, never a value.
    """
    from .yamlsafe import Mapping, Text, YamlError, load_text, wide_encoding

    where = "standard input" if source == "-" else source
    try:
        if source == "-":
            data = (stdin or sys.stdin.buffer).read(MAX_PATIENT_FILE + 1)
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_PATIENT_FILE + 1)
    except OSError as exc:
        raise PatientError("patient-from", f"{where}: cannot read it: {exc.strerror or exc}") from None
    if len(data) > MAX_PATIENT_FILE:
        raise PatientError("patient-from", f"{where}: is larger than {MAX_PATIENT_FILE} bytes (expected a few lines: name, date, provider, follow_up)")
    wide = wide_encoding(data)
    if wide:
        raise PatientError("patient-from", f"{where}: is not UTF-8 text: it is {wide} (save it as UTF-8)")
    try:
        node = load_text(data.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise PatientError("patient-from", f"{where}: is not UTF-8 text (save it as UTF-8)") from None
    except YamlError as exc:
        at = f":{exc.line}" if exc.line else ""
        raise PatientError("patient-from", f"{where}{at}: {exc.message}" + (f" ({exc.expected})" if exc.expected else "")) from None
    if not isinstance(node, Mapping):
        raise PatientError("patient-from", f"{where}: is not a mapping (expected lines such as 'name: …' and 'date: 2026-11-24')")
    values: dict[str, str] = {}
    for key, value in node.items():
        line = node.line_of(key)
        if key not in PATIENT_KEYS:
            raise PatientError("patient-from", f"{where}:{line}: unknown key '{key[:40]}' (one of: {', '.join(PATIENT_KEYS)})")
        if not isinstance(value, Text):
            raise PatientError("patient-from", f"{where}:{line}: {key} is not a single line of text")
        values[key] = str(value)
    try:
        return make_patient(values.get("name"), values.get("date"), values.get("provider"), values.get("follow_up"))
    except PatientError as exc:
        key = {"patient": "name", "follow-up": "follow_up"}.get(exc.field, exc.field)
        raise PatientError("patient-from", f"{where}:{node.line_of(key)}: {key}: {exc.message}") from None


def takes_patient(handout: Handout) -> bool:
    """Whether a handout has a place for patient details: a patient strip (every kind but the overview) or a placeholder."""
    if handout.kind != "overview":
        return True
    from .placeholders import PlaceholderError, names

    for _, block in handout.every_block:
        for rich in block.texts():
            try:
                if any(space == "patient" for space, _ in names(rich.raw)):
                    return True
            except PlaceholderError:
                continue
    return False
