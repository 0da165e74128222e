"""One sheet for one patient: name, dates and provider on the page, and nowhere else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import assert_in_order, pdf_text, qpdf_check

EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ES_DAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
ES_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def short(day: dt.date, days: tuple[str, ...], months: tuple[str, ...], order: str) -> str:
    """Independent spelling of a short date, to check the engine against the calendar."""
    w, m = days[day.weekday()], months[day.month - 1]
    return f"{w} {m} {day.day}" if order == "mdy" else f"{w} {day.day} {m}"


def test_english_letter_sheet_across_a_year_end(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "--patient", "Ana Pérez",
                 "--date", "2026-12-31", "--provider", "Dr Lee", "--follow-up", "2027-01-28", "-o", out)
    assert result.code == 0, result.err
    text = pdf_text(out)
    treat = dt.date(2026, 12, 31)
    one, two, week = (short(treat + dt.timedelta(days=n), EN_DAYS, EN_MONTHS, "mdy") for n in (1, 2, 7))
    assert one == "Fri Jan 1" and week == "Thu Jan 7"
    assert_in_order(text, ["Ana Pérez", "Thu Dec 31, 2026", "Dr Lee", "Patient", "Treatment date", "Provider",
                           "Stop retinol.", "By " + short(treat - dt.timedelta(days=5), EN_DAYS, EN_MONTHS, "mdy"),
                           "Day 0", short(treat, EN_DAYS, EN_MONTHS, "mdy"),
                           "Days 1–2", f"{one} – {two}", "Week 1", week,
                           "Romeo appointment", "Thu Jan 28, 2027", "Dr Lee"])
    qpdf_check(out)


def test_spanish_a4_sheet_across_a_month_end(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "hoja.pdf"
    result = run("handout", "demo/aftercare", "--brand", "teal", "--lang", "es", "--content", tree, "--patient", "José Núñez",
                 "--date", "2026-11-30", "--provider", "Dra. Ruiz", "-o", out)
    assert result.code == 0, result.err
    text = pdf_text(out)
    treat = dt.date(2026, 11, 30)
    assert_in_order(text, ["José Núñez", "lun 30 nov 2026", "Dra. Ruiz", "Paciente", "Fecha del tratamiento", "Profesional",
                           "Espere 48 horas", "Deje el retinol.", "Antes del " + short(treat - dt.timedelta(days=5), ES_DAYS, ES_MONTHS, "dmy"),
                           "Día 0", "lun 30 nov", "Días 1–2", "mar 1 dic – mié 2 dic",
                           "Firma del paciente", "Fecha", "Su próxima cita", "Fecha", "Hora", "Con"])
    assert "Página 1 de 1" in text or "Página 1 de 2" in text


def test_generic_sheet_prints_blank_lines(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "generic.pdf"
    assert run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out).code == 0
    text = pdf_text(out)
    assert_in_order(text, ["Every block demo", "Patient", "Treatment date", "Provider", "Alpha paragraph"])
    assert "By " not in text


def test_patient_name_only_in_page_text(run, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "Zebulon Quattlebaum"
    before = {p for p in Path("/tmp").glob("*")} if Path("/tmp").is_dir() else set()
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "--patient", name, "--date", "2026-11-24")
    assert result.code == 0, result.err
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.name for p in written if p.suffix == ".pdf"] == ["plain-demo-aftercare.en.pdf"]
    pdf = tmp_path / "plain-demo-aftercare.en.pdf"
    assert name in pdf_text(pdf)
    reader = PdfReader(pdf)
    assert all(name not in str(v) for v in reader.metadata.values())
    assert name not in result.out and name not in result.err
    for path in written:
        if path != pdf and "content" not in path.parts:
            assert name.encode() not in path.read_bytes(), path
    leftovers = {p for p in Path("/tmp").glob("*")} - before
    for path in leftovers:
        if path.is_file():
            assert name.encode() not in path.read_bytes(), path


def test_never_overwrites_without_force(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"keep me")
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out)
    assert result.code == 2
    assert f"{out} already exists (use --force to overwrite it, or -o to choose another file)" in result.err
    assert out.read_bytes() == b"keep me"
    assert run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out, "--force").code == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args, message", [
    (["--date", "2026-02-30"], "--date: '2026-02-30' is not a date that exists (expected YYYY-MM-DD, e.g. 2026-11-24)"),
    (["--date", "2026-11-24", "--follow-up", "2026-11-01"], "--follow-up: 2026-11-01 is before the treatment date 2026-11-24 (expected a later date)"),
    (["--patient", "Ana\x07Pérez"], "--patient: contains control characters (expected a name as it should be printed)"),
    (["--patient", "A" * 81], "--patient: is 81 characters long (expected at most 80)"),
])
def test_bad_patient_details(run, tree: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "x.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out, *args)
    assert result.code == 2
    assert message in result.err
    assert not out.exists()


def test_name_the_font_cannot_print_is_reported(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out, "--patient", "สมชาย")
    assert result.code == 1
    assert "--patient/--provider: character 'ส' (U+0E2A, Thai) is not in the bundled Noto Sans or the bundled script fonts" in result.err
    assert not out.exists()


def test_fillable_fields_can_be_filled(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    assert run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out, "--fillable").code == 0
    reader = PdfReader(out)
    fields = reader.get_fields()
    assert {"Patient", "Treatment date", "Provider", "Acknowledgement Patient signature", "Next appointment Date"} <= set(fields)
    writer = PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[0], {"Patient": "Ana Pérez", "Provider": "Dr Lee"}, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    with open(filled, "wb") as handle:
        writer.write(handle)
    values = {k: v.get("/V") for k, v in PdfReader(filled).get_fields().items()}
    assert values["Patient"] == "Ana Pérez"
    assert values["Provider"] == "Dr Lee"


def test_a_language_the_brand_does_not_print_is_a_usage_error(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--lang", "es", "--content", tree, "-o", out)
    assert result.code == 2
    assert f"Plain Clinic does not print 'es' handouts (one of: en; add it to languages in {tree}/brands/plain/brand.yaml)" in result.err
    assert not out.exists()


def test_an_output_folder_that_is_a_file_is_reported(run, tree: Path, tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file, not a folder")
    out = tmp_path / "notes/sheet.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out)
    assert result.code == 1
    assert f"error: {out}: cannot write the PDF: File exists (a file name in a folder you can write to)" in result.err
    assert "Traceback" not in result.err
    assert (tmp_path / "notes").read_text() == "a file, not a folder"


def test_a_personal_sheet_is_readable_by_its_owner_only(run, tree: Path, tmp_path: Path) -> None:
    personal, blank = tmp_path / "personal.pdf", tmp_path / "blank.pdf"
    assert run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", personal, "--patient", "Ana Pérez").code == 0
    assert run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", blank).code == 0
    assert personal.stat().st_mode & 0o777 == 0o600
    assert blank.stat().st_mode & 0o777 == 0o644


def test_an_unexpected_error_never_quotes_the_patient(run, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import handouts.pdf

    def fail(*_args: object, **_kwargs: object) -> None:
        raise ValueError("could not place 'Zebulon Quattlebaum'")

    monkeypatch.setattr(handouts.pdf, "render_pdf", fail)
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", tmp_path / "x.pdf",
                 "--patient", "Zebulon Quattlebaum")
    assert result.code == 1
    assert result.err == "internal error: ValueError (run again with --debug for a traceback)\n"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", tmp_path / "x.pdf")
    assert result.err == "internal error: ValueError: could not place 'Zebulon Quattlebaum' (run again with --debug for a traceback)\n"
