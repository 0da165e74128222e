"""Everything the layout itself prints, per language, and dates written out in that language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Strings:
    """The words a layout adds around the content, in one language."""

    language: str
    kinds: dict[str, str]
    page: str
    revision: str
    draft: str  # the revision line of text no clinician has approved as it stands
    day: str
    days: str
    do: str
    dont: str
    phone: str
    after_hours: str
    email: str
    website: str
    address: str
    patient: str
    treatment_date: str
    provider: str
    date: str
    time: str
    with_: str
    next_appointment: str
    by: str
    scan: str
    contact_title: str
    book: str  # the caption of a booking QR code that the handout does not give itself
    when_can_i: str  # the first column of a 'when can I' table that the handout does not name itself
    wait: str
    from_: str
    wait_hours: tuple[str, str]  # one hour, several hours ({n})
    wait_days: tuple[str, str]
    hours_note: str
    language_name: str  # this language's name in itself, for links between the web copies
    handouts_title: str  # the heading of a clinic's list of web copies
    other_languages: str  # the label of the links to the same handout in other languages
    read_online: str  # beside the small QR code on a sheet that points to its web copy
    weekdays: tuple[str, ...]
    months: tuple[str, ...]

    def day_label(self, first: int, last: int) -> str:
        """'Day 3' or 'Days 1–2'."""
        return self.day.format(n=first) if first == last else self.days.format(a=first, b=last)

    def duration(self, number: int, unit: str) -> str:
        """'1 hour', '48 hours', '5 days'."""
        one, many = self.wait_hours if unit == "hours" else self.wait_days
        return (one if number == 1 else many).format(n=number)

    def short_date(self, day: dt.date, order: str) -> str:
        """'Tue 24 Nov' (day-month) or 'Tue Nov 24' (US order), in this language."""
        weekday, month = self.weekdays[day.weekday()], self.months[day.month - 1]
        return f"{weekday} {month} {day.day}" if order == "mdy" else f"{weekday} {day.day} {month}"

    def long_date(self, day: dt.date, order: str) -> str:
        """'Tue 24 Nov 2026' or 'Tue Nov 24, 2026'."""
        weekday, month = self.weekdays[day.weekday()], self.months[day.month - 1]
        return f"{weekday} {month} {day.day}, {day.year}" if order == "mdy" else f"{weekday} {day.day} {month} {day.year}"


EN = Strings(
    language="en",
    kinds={"pre-treatment": "Before your treatment", "aftercare": "Aftercare", "overview": "About your treatment"},
    page="Page {page} of {total}",
    revision="Version {version} · Reviewed {reviewed}",
    draft="Version {version} · Draft, not approved",
    day="Day {n}", days="Days {a}–{b}",
    do="Do", dont="Don't",
    phone="Phone", after_hours="After hours", email="Email", website="Website", address="Address",
    patient="Patient", treatment_date="Treatment date", provider="Provider",
    date="Date", time="Time", with_="With", next_appointment="Your next appointment",
    by="by", scan="Scan with your phone camera, or visit", contact_title="Questions? Call us",
    book="Book your next visit",
    when_can_i="When can I…", wait="Wait", from_="From",
    wait_hours=("{n} hour", "{n} hours"), wait_days=("{n} day", "{n} days"),
    hours_note="Hours count from the end of your treatment.",
    language_name="English", handouts_title="Patient information", other_languages="Other languages",
    read_online="Read this online or in other languages",
    weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
)

ES = Strings(
    language="es",
    kinds={"pre-treatment": "Antes de su tratamiento", "aftercare": "Cuidados posteriores", "overview": "Sobre su tratamiento"},
    page="Página {page} de {total}",
    revision="Versión {version} · Revisado {reviewed}",
    draft="Versión {version} · Borrador, sin aprobar",
    day="Día {n}", days="Días {a}–{b}",
    do="Qué hacer", dont="Qué evitar",
    phone="Teléfono", after_hours="Fuera de horario", email="Correo", website="Sitio web", address="Dirección",
    patient="Paciente", treatment_date="Fecha del tratamiento", provider="Profesional",
    date="Fecha", time="Hora", with_="Con", next_appointment="Su próxima cita",
    by="antes del", scan="Escanee con la cámara de su teléfono o visite", contact_title="¿Preguntas? Llámenos",
    book="Reserve su próxima cita",
    when_can_i="¿Cuándo puedo…?", wait="Espere", from_="Desde",
    wait_hours=("{n} hora", "{n} horas"), wait_days=("{n} día", "{n} días"),
    hours_note="Las horas se cuentan desde el final de su tratamiento.",
    language_name="Español", handouts_title="Información para pacientes", other_languages="Otros idiomas",
    read_online="Lea esta hoja en línea o en otros idiomas",
    weekdays=("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
    months=("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
)

LANGUAGES: dict[str, Strings] = {"en": EN, "es": ES}
