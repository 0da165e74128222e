"""`handout --patient-from`: the patient's details off the command line, refused where they have no place, never left behind."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, pdf_text

pytestmark = pytest.mark.timeout(120)
NAME = "Zebulon Quattlebaum"
DETAILS = f"name: {NAME}\ndate: 2026-11-24\nprovider: Dr Lee\nfollow_up: 2026-12-08\n"
# Runs the command line with os.fsync stopped: it says "writing" and waits to be killed while the PDF is being written.
STOP_WHILE_WRITING = """
import os, sys, time
def stopped(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = stopped
from handouts.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_patient_from_standard_input_gives_the_same_pdf_as_options(run, tree: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    options = tmp_path / "options.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "--patient", NAME, "--date", "2026-11-24",
                 "--provider", "Dr Lee", "--follow-up", "2026-12-08", "-o", options)
    assert result.code == 0, result.err
    piped = tmp_path / "piped.pdf"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DETAILS.encode("utf-8"))))
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "--patient-from", "-", "-o", piped)
    assert result.code == 0, result.err
    assert piped.read_bytes() == options.read_bytes()
    assert NAME in pdf_text(piped) and (piped.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "options.pdf", "piped.pdf"]  # nothing else left


@pytest.mark.parametrize("text, message", [
    ("name: Ana\nnmae: Ana\n", "--patient-from: FILE:2: unknown key 'nmae' (one of: name, date, provider, follow_up)"),
    ("name: [Ana, Pérez]\n", "--patient-from: FILE:1: name is not a single line of text"),
    ("- Ana\n", "--patient-from: FILE: is not a mapping (expected lines such as 'name: …' and 'date: 2026-11-24')"),
    ("name: Ana\ndate: 2026-02-30\n", "--patient-from: FILE:2: date: '2026-02-30' is not a date that exists"),
    ("name: Ana\ndate: 2026-11-24\nfollow_up: 2026-11-01\n", "--patient-from: FILE:3: follow_up: 2026-11-01 is before the treatment date"),
    ("name: 'Ana\n", "--patient-from: FILE:"),
    ("x" * 5000, "--patient-from: FILE: is larger than 4096 bytes"),
])
def test_bad_patient_files_are_usage_errors_at_their_line(run, tree: Path, tmp_path: Path, text: str, message: str) -> None:
    details = tmp_path / "patient.yaml"
    details.write_text(text, encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "--patient-from", details, "-o", out)
    assert result.code == 2 and "Traceback" not in result.err
    assert message.replace("FILE", str(details)) in result.err
    assert "Ana" not in result.err and not out.exists()


def test_patient_from_with_patient_options_is_refused(run, tree: Path, tmp_path: Path) -> None:
    details = tmp_path / "patient.yaml"
    details.write_text(DETAILS, encoding="utf-8")
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "--patient-from", details, "--date", "2026-11-24")
    assert result.code == 2
    assert "error: --patient-from and --date: give the patient's details in one place (expected --patient-from alone)" in result.err


def test_an_overview_given_patient_details_is_an_error_not_a_silent_drop(run, tree: Path, tmp_path: Path) -> None:
    source = (tree / "demo/aftercare.en.yaml").read_text(encoding="utf-8")
    (tree / "demo/overview.en.yaml").write_text(source.replace("kind: aftercare", "kind: overview"), encoding="utf-8")
    out = tmp_path / "overview.pdf"
    result = run("handout", "demo/overview", "--brand", "plain", "--content", tree, "--patient", NAME, "-o", out)
    assert result.code == 2 and not out.exists()
    assert ("error: demo/overview is the same for every patient and has no place for their details (leave out the patient's "
            "details, or choose the pre-treatment or aftercare handout)") in result.err
    assert run("handout", "demo/overview", "--brand", "plain", "--content", tree, "-o", out).code == 0


@pytest.mark.parametrize("how", ["kill", "term"])
def test_a_handout_killed_while_writing_leaves_no_copy_behind(run, tree: Path, tmp_path: Path, how: str) -> None:
    out = tmp_path / "out"
    assert run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out / "sheet.pdf").code == 0
    older = (out / "sheet.pdf").read_bytes()  # a blank sheet, replaced with --force: it stays whole until the new one is
    details = tmp_path / "patient.yaml"
    details.write_text(DETAILS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", STOP_WHILE_WRITING, "handout", "demo/aftercare", "--brand", "plain",
                                "--content", str(tree), "--patient-from", str(details), "-o", str(out / "sheet.pdf"), "--force"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        assert process.stdout.readline() == b"writing\n"
        process.send_signal(signal.SIGKILL if how == "kill" else signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert sorted(p.name for p in out.iterdir()) == ["sheet.pdf"]
    assert (out / "sheet.pdf").read_bytes() == older
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert NAME.encode() not in path.read_bytes() or path == details, path
    assert NAME.encode() not in err
