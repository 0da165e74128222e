"""The front-desk form: its fields, their defaults, and what is wrong with what was typed, field by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any

from ..compiled import dataclass
from ..patient import Patient, PatientError, make_patient, parse_date, parse_name, takes_patient

if TYPE_CHECKING:
    from ..content import Handout
    from ..jobs import Job
    from .service import Service

MAX_COPIES = 50
DEFAULT_COPIES = 10
FOLLOW_UP_WEEKS = (1, 2, 4, 6, 8, 12)
KIND_NAMES = {"pre-treatment": "Before treatment", "aftercare": "Aftercare", "overview": "Overview"}
LABELS = {"brand": "Clinic", "handout": "Handout", "lang": "Language", "layout": "Layout", "patient": "Patient's name",
          "date": "Treatment date", "provider": "Provider", "follow_up": "Follow-up date", "follow_up_weeks": "Follow-up in",
          "copies": "Number of copies"}
CHOICE_FIELDS = ("brand", "handout", "lang", "layout")
PATIENT_FIELDS = ("patient", "date", "provider", "follow_up", "follow_up_weeks")
TEXT_FIELDS = CHOICE_FIELDS + PATIENT_FIELDS + ("copies",)
ACTIONS = ("patient", "generic", "stack", "refresh", "next")
# PatientError.field -> the form field it belongs to
ERROR_FIELDS = {"patient": "patient", "date": "date", "provider": "provider", "follow-up": "follow_up"}


@dataclass
class FormState:
    """What the person typed and chose, and what is wrong with it, field by field."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    general: str | None = None
    status: int = 200


def language_name(tag: str) -> str:
    """A language's name in its own script, from its catalogue ('Tiếng Việt', '简体中文', 'العربية'); a regional tag that
    uses another's catalogue adds itself ('Português (pt-BR)'); a tag without a catalogue is shown as typed, cut short."""
    from ..i18n import catalogue_for, strings

    base = catalogue_for(tag)
    if base is None:
        return tag[:10]
    return strings(tag).name if base == tag else f"{strings(tag).name} ({tag})"


def language_direction(tag: str) -> str:
    """'rtl' for a language written right to left, else 'ltr' (for the page's dir attribute)."""
    from ..i18n import catalogue_for, strings

    return strings(tag).direction if catalogue_for(tag) is not None else "ltr"


def handout_keys(service: Service) -> list[str]:
    """Every TREATMENT/KIND that has at least one language, in treatment then kind order."""
    from ..content import KINDS

    keys = {(h.treatment_slug, KINDS.index(h.kind)): h.key for h in service.catalogue.handouts}
    return [keys[k] for k in sorted(keys)]


def languages_of(service: Service, key: str) -> list[str]:
    """The languages one handout exists in."""
    treatment, kind = key.split("/", 1)
    return sorted(lang for (k, lang) in service.catalogue.treatments[treatment].handouts if k == kind)


def defaults(service: Service, given: Mapping[str, str], today: dt.date) -> dict[str, str]:
    """Form values with the choices taken from given (never patient details), else the first valid choice; today's date."""
    values = {name: str(given.get(name, "")) if name in CHOICE_FIELDS else "" for name in TEXT_FIELDS}
    catalogue = service.catalogue
    if values["brand"] not in catalogue.brands:
        values["brand"] = sorted(catalogue.brands)[0]
    keys = handout_keys(service)
    if values["handout"] not in keys:
        values["handout"] = keys[0]
    offered = [x for x in languages_of(service, values["handout"]) if x in catalogue.brands[values["brand"]].languages]
    if values["lang"] not in offered:
        values["lang"] = "en" if "en" in offered else (offered[0] if offered else "en")
    if values["layout"] not in service.layouts_for(values["brand"], values["handout"], values["lang"]):
        values["layout"] = ""
    values["date"] = today.isoformat()
    values["copies"] = str(DEFAULT_COPIES)
    return values


def next_patient(values: Mapping[str, str], today: dt.date) -> dict[str, str]:
    """The same choices with the patient's details cleared and today's date."""
    fresh = {name: ("" if name in PATIENT_FIELDS else value) for name, value in values.items()}
    fresh["date"] = today.isoformat()
    return fresh


def job_for(service: Service, values: Mapping[str, str], errors: dict[str, str]) -> Job | None:
    """The job the chosen brand, handout, language and layout describe; problems go into errors."""
    from ..jobs import Job
    from ..registry import layouts

    catalogue = service.catalogue
    brand = catalogue.brands.get(values["brand"])
    if brand is None:
        names = ", ".join(b.name for _, b in sorted(catalogue.brands.items()))
        errors["brand"] = f"'{values['brand'][:40]}' is not one of this desk's clinics (choose one of: {names})"
    key = values["handout"]
    if key not in handout_keys(service):
        errors["handout"] = f"'{key[:60]}' is not a handout on this list (choose one from the list)"
        key = ""
    lang = values["lang"]
    name = language_name(lang)
    if key and lang not in languages_of(service, key):
        offered = ", ".join(language_name(x) for x in languages_of(service, key))
        errors["lang"] = f"This handout has no {name} version (available: {offered})"
    elif brand is not None and lang not in brand.languages:
        offered = ", ".join(language_name(x) for x in brand.languages)
        errors["lang"] = f"{brand.name} does not print handouts in {name} (choose {offered})"
    if brand is None or not key or "lang" in errors:
        return None
    menu = layout_menu(service, brand.slug, key, lang)
    layout = values["layout"] or menu["first"]
    if layout not in menu["fits"]:
        what = f"'{layout[:40]}' is not a layout" if layout not in layouts() else f"This handout does not fit the {layout} layout"
        errors["layout"] = (f"{what} (choose one of: {', '.join(menu['fits'])})" if menu["fits"]
                            else "This handout cannot be printed for this clinic: tell whoever looks after the handouts")
        return None
    treatment, kind = key.split("/", 1)
    return Job(brand.slug, treatment, kind, lang, layout)


def layout_menu(service: Service, brand: str, key: str, lang: str) -> dict[str, Any]:
    """The layouts offered for one choice: those proven to fit, the handout's usual one (if it fits) and the one to preselect."""
    from ..jobs import default_layout

    treatment, kind = key.split("/", 1)
    handout = service.catalogue.treatments[treatment].handouts[(kind, lang)]
    fitting = list(service.layouts_for(brand, key, lang))
    usual = default_layout(handout, service.catalogue.brands[brand])
    if usual not in fitting:  # the handout's own layout does not fit this clinic: a full-size one first, the card last
        fitting.sort(key=lambda name: (name == "card", name))
        usual = ""
    return {"usual": usual, "first": usual or (fitting[0] if fitting else ""), "fits": fitting}


def copies_of(values: Mapping[str, str], errors: dict[str, str]) -> int:
    """The number of copies asked for, 1 to MAX_COPIES; a problem goes into errors."""
    try:
        copies = int(values["copies"].strip())
        if 1 <= copies <= MAX_COPIES:
            return copies
    except ValueError:
        pass
    errors["copies"] = f"'{values['copies'][:10]}' is not a number of copies from 1 to {MAX_COPIES}"
    return 0


def patient_of(service: Service, job: Job | None, values: Mapping[str, str], state: FormState) -> Patient | None:
    """Validated patient details, each field's problem put beside that field (labelled, for the summary)."""
    if job is not None and not takes_patient(_handout(service, job)):
        state.errors["patient"] = ("This handout is the same for every patient and has no place for a name: "
                                   "press “Blank copy” or “Make stack”")
        return None
    follow_up = _follow_up(values, state)
    wrong = "follow_up" in state.errors
    for key, parse in (("patient", parse_name), ("date", parse_date), ("provider", parse_name)):
        try:
            parse(key, values[key])
        except PatientError as exc:
            state.errors[key] = _labelled(key, exc.message)
            wrong = True
    if wrong:
        return None
    try:
        patient = make_patient(values["patient"], values["date"], values["provider"], follow_up)
    except PatientError as exc:
        name = ERROR_FIELDS[exc.field]
        state.errors[name] = _labelled(name, exc.message)
        state.status = 422
        return None
    if patient is None or patient.name is None:
        state.errors["patient"] = "Type the patient's name (or press “Blank copy” for a sheet with empty lines to fill in by hand)"
        return None
    return patient


def _follow_up(values: Mapping[str, str], state: FormState) -> str:
    """The follow-up date as YYYY-MM-DD: typed, or worked out from 'in N weeks' and the treatment date."""
    weeks = values["follow_up_weeks"].strip()
    if not weeks:
        return values["follow_up"]
    if values["follow_up"].strip():
        state.errors["follow_up"] = "Follow-up date: give a date or a number of weeks, not both (clear one of them)"
        return ""
    if not weeks.isdigit() or int(weeks) not in FOLLOW_UP_WEEKS:
        state.errors["follow_up"] = f"Follow-up in: '{weeks[:10]}' is not one of the choices ({', '.join(map(str, FOLLOW_UP_WEEKS))} weeks)"
        return ""
    try:
        start = parse_date("date", values["date"])
    except PatientError:
        return ""  # reported beside the treatment date
    if start is None:
        state.errors["follow_up"] = "Follow-up in: needs the treatment date to count the weeks from (type the treatment date)"
        return ""
    return (start + dt.timedelta(weeks=int(weeks))).isoformat()


def _labelled(name: str, message: str) -> str:
    """A message that starts with its field's label, so the summary at the top says which field is wrong."""
    return f"{LABELS[name]} {message}" if message[:1].islower() else f"{LABELS[name]}: {message}"


def _handout(service: Service, job: Job) -> Handout:
    from ..jobs import handout_for

    return handout_for(service.catalogue, job)
