"""Every block type renders, and its text reads back from the PDF in order."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from conftest import assert_in_order, page_texts, pdf_text, qpdf_check, scanned_codes

ORDER = [
    "Every block demo",
    "Alpha paragraph with bold words, italic words and a booking link. R&D <tags> stay literal.",
    "Bravo heading", "• Charlie bullet one.", "• Wait 24 hours before makeup.",
    "1. Delta step one.", "2. Delta step two.",
    "Echo tick item.", "Stop retinol.",
    "Foxtrot info", "Info text.", "Golf tip", "Tip text.", "Hotel warning", "Warning item.",
    "Call us right away if", "You have a fever.", "You see pus.",
    "Day 0", "India day zero.", "Days 1–2", "Juliet days one to two.", "Week 1", "Kilo week one.",
    "Do", "Don't", "Lima do.", "Mike dont.",
    "November question?", "Oscar answer.",
    "Papa contact", "Phone", "(555) 010-0000", "After hours", "(555) 010-0001", "Email", "care@example.org",
    "Website", "https://example.org", "Address", "1 Test Street",
    "Quebec statement.", "Patient signature", "Date",
    "Romeo appointment", "Date", "Time", "With",
    "Sierra caption",
    "Tango booking", "Scan with your phone camera, or visit", "example.org/book",
]


def test_every_block_reads_back_in_order(run, tree: Path, tmp_path: Path) -> None:
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "plain", "--jobs", "1")
    assert result.code == 0, result.err
    pdf = tmp_path / "out/plain/demo-aftercare.en.standard.pdf"
    text = pdf_text(pdf)
    body = text.replace("Plain Clinic · Test brand · Phone (555) 010-0000", "")
    assert_in_order(body, ORDER)
    qpdf_check(pdf)


def test_brand_settings_override_defaults(run, tree: Path, tmp_path: Path) -> None:
    result = run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "teal", "--jobs", "1")
    assert result.code == 0, result.err
    text = pdf_text(tmp_path / "out/teal/demo-aftercare.en.standard.pdf")
    assert "Wait 48 hours before makeup." in text
    assert "Wait 24 hours" not in text


def test_links_are_real_and_only_safe(run, tree: Path, tmp_path: Path) -> None:
    run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "plain", "--jobs", "1")
    uris = []
    for page in PdfReader(tmp_path / "out/plain/demo-aftercare.en.standard.pdf").pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert "https://example.org/book" in uris
    assert "tel:5550100000" in uris
    assert "mailto:care@example.org" in uris
    assert all(u.split(":")[0] in ("https", "mailto", "tel") for u in uris)


def test_every_page_has_footer_and_page_x_of_y(run, tree: Path, tmp_path: Path) -> None:
    run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "plain", "--jobs", "1")
    pages = page_texts(tmp_path / "out/plain/demo-aftercare.en.standard.pdf")
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Version 7 · Reviewed 2026-11-01" in text
        assert "Phone (555) 010-0000" in text


def test_qr_code_scans_to_the_booking_link(run, tree: Path, tmp_path: Path) -> None:
    run("build", "--content", tree, "--out", tmp_path / "out", "--brand", "plain", "--jobs", "1")
    pdf = tmp_path / "out/plain/demo-aftercare.en.standard.pdf"
    assert scanned_codes(pdf.read_bytes(), dpi=100) == {"https://example.org/book"}
