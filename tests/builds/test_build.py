"""Whole builds: manifest, metadata, reproducible bytes, qpdf, exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, pdf_text, qpdf_check

pytestmark = pytest.mark.shared_proof_cache  # their checks change files only: each combination is proven once in the run


def test_build_writes_every_pdf_and_a_manifest(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 0, result.err
    manifest = json.loads((out / "manifest.json").read_text())
    paths = [e["path"] for e in manifest["handouts"]]
    assert paths == ["plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.es.standard.pdf"]
    for entry in manifest["handouts"]:
        pdf = out / entry["path"]
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == entry["sha256"]
        assert len(PdfReader(pdf).pages) == entry["pages"]
        lang = entry["language"]
        assert entry["title"] == {"en": "Every block demo", "es": "Demostración de cuidados"}[lang]
        assert (entry["treatment"], entry["kind"], entry["layout"]) == ("demo", "aftercare", "standard")
        qpdf_check(pdf)
    assert "Built 3 PDFs" in result.out


def test_metadata_language_and_page_size(run, tree: Path, tmp_path: Path) -> None:
    run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1")
    letter = PdfReader(tmp_path / "out/plain/demo-aftercare.en.standard.pdf")
    a4 = PdfReader(tmp_path / "out/teal/demo-aftercare.en.standard.pdf")
    meta = letter.metadata
    assert meta.title == "Every block demo"
    assert meta.author == "Plain Clinic"
    assert meta.subject == "Demo: Aftercare"
    assert letter.trailer["/Root"]["/Lang"] == "en"
    assert letter.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    assert a4.metadata.author == "Teal Studio"
    assert [round(float(v)) for v in letter.pages[0].mediabox[2:]] == [612, 792]
    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]


def test_fonts_are_embedded(run, tree: Path, tmp_path: Path) -> None:
    run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1")
    reader = PdfReader(tmp_path / "out/plain/demo-aftercare.en.standard.pdf")
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_build_twice_is_byte_identical_across_processes(run, tree: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run("build", "--content", tree, "--out", first, "--jobs", "1").code == 0
    env = dict(os.environ, PYTHONHASHSEED="123")
    done = subprocess.run([sys.executable, str(ROOT / "generate.py"), "build", "--content", str(tree), "--out", str(second), "--jobs", "2"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for pdf in sorted(first.rglob("*.pdf")):
        assert pdf.read_bytes() == (second / pdf.relative_to(first)).read_bytes(), pdf.name
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()


def test_source_date_epoch_sets_the_dates(run, tree: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1", "--brand", "plain")
    meta = PdfReader(tmp_path / "out/plain/demo-aftercare.en.standard.pdf").metadata
    assert str(meta["/CreationDate"]).startswith("D:20260101")


def test_filters_select_jobs_and_unknown_values_are_usage_errors(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--brand", "teal", "--jobs", "1").code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == ["teal/demo-aftercare.en.standard.pdf",
                                                                                 "teal/demo-aftercare.es.standard.pdf"]
    result = run("build", "--content", tree, "--out", out, "--brand", "tael")
    assert result.code == 2
    assert "unknown brand 'tael' (one of: plain, teal; did you mean 'teal'?)" in result.err


def test_list_names_everything(run, tree: Path) -> None:
    result = run("list", "--content", tree)
    assert result.code == 0
    for needle in ("demo/aftercare  [en, es]  Every block demo", "plain  Plain Clinic", "teal  Teal Studio", "standard"):
        assert needle in result.out


def test_page_size_option_overrides_the_brand(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--page-size", "a4", "--brand", "plain", "--jobs", "1").code == 0
    page = PdfReader(out / "plain/demo-aftercare.en.standard.pdf").pages[0]
    assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]


def test_brand_footer_and_disclaimer_per_language(run, tree: Path, tmp_path: Path) -> None:
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text() + "footer: {en: Teal Studio · Patient sheet, es: Teal Studio · Hoja para pacientes}\n"
                     "disclaimer: {en: Ask your provider., es: Pregunte a su profesional.}\n")
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "teal", "--jobs", "1")
    assert result.code == 0, result.err
    english, spanish = (pdf_text(tmp_path / f"out/teal/demo-aftercare.{lang}.standard.pdf") for lang in ("en", "es"))
    assert "Teal Studio · Patient sheet" in english and "Ask your provider." in english
    assert "Teal Studio · Hoja para pacientes" in spanish and "Pregunte a su profesional." in spanish
    assert "Patient sheet" not in spanish and "Ask your provider" not in spanish


def test_brand_footer_missing_a_language_is_an_error(run, tree: Path, tmp_path: Path) -> None:
    plain = tree / "brands/plain/brand.yaml"
    plain.write_text(plain.read_text().replace("footer: Plain Clinic · Test brand", "footer: {en: Plain Clinic · Test brand}"))
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text() + "footer: {en: Teal Studio · Patient sheet}\n")
    line = brand.read_text().splitlines().index("footer: {en: Teal Studio · Patient sheet}") + 1
    result = run("check", "--content", tree)
    assert result.code == 1
    assert (f"brands/teal/brand.yaml:{line}: footer has no text in es "
            "(a footer for every language the brand prints, or one text for all)") in result.err


def test_brand_footer_is_inherited_language_by_language(run, tree: Path, tmp_path: Path) -> None:
    plain = tree / "brands/plain/brand.yaml"
    plain.write_text(plain.read_text().replace("footer: Plain Clinic · Test brand",
                                               "footer: {en: Plain Clinic · Test brand, es: Plain Clinic · Marca de prueba}"))
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text() + "footer: {en: Teal Studio · Patient sheet}\n")
    assert run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "teal", "--jobs", "1").code == 0
    assert "Teal Studio · Patient sheet" in pdf_text(tmp_path / "out/teal/demo-aftercare.en.standard.pdf")
    assert "Plain Clinic · Marca de prueba" in pdf_text(tmp_path / "out/teal/demo-aftercare.es.standard.pdf")


def test_manifest_records_reading_grade(run, tree: Path, tmp_path: Path) -> None:
    run("build", "--content", tree, "--out", tmp_path / "out", "--jobs", "1")
    entries = json.loads((tmp_path / "out/manifest.json").read_text())["handouts"]
    by_path = {e["path"]: e for e in entries}
    assert by_path["plain/demo-aftercare.en.standard.pdf"]["reading_grade"] == 3.7
    assert by_path["plain/demo-aftercare.en.standard.pdf"]["reading_measure"] == "Flesch-Kincaid"
    assert by_path["teal/demo-aftercare.es.standard.pdf"]["reading_measure"].startswith("Fernández-Huerta ")


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error(tree: Path) -> None:
    # `true` reads nothing and exits at once, long before the command prints: its first write finds no reader.
    shell = f"{sys.executable} {ROOT / 'generate.py'} list --content '{tree}' | true; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout == "141\n"
    assert done.stderr == ""
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
