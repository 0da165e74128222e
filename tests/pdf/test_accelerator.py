"""reportlab's C accelerator (rl_accel, the reportlab[accel] extra) is installed, in the fingerprint, and changes a PDF
at most by the last rounded digit of a coordinate.

The same sheets are rendered in two fresh processes, one with the accelerator blocked from import so that reportlab
falls back to its pure-Python functions (fp_str, stringWidth, ASCII85, escapePDF …). The C `fp_str` rounds a value
that lies on a half the other way now and then (147.8357 against 147.8358 in one of about two hundred sheets), so the
bytes may differ there and nowhere else; the fingerprint names the accelerator, so a build never keeps a PDF made
with the other.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handouts.layouts import LAYOUTS

from conftest import FIXTURES, ROOT, copy_content

# Every layout of every brand and language of the fixture tree (every block type, a PNG and an SVG logo) blank, and each
# layout once more in grayscale, once fillable and once personalised with long names (each on another of its sheets);
# a copy of the shipped content in Chinese (script fonts, the trifold whose rule rounds the other way), blank in every
# layout. Each PDF is written into the folder given, named after its job and variant.
RENDER = """
import json, sys
if sys.argv[1] == "blocked":
    sys.modules["_rl_accel"] = None  # 'from _rl_accel import …' raises ImportError: reportlab uses its Python code
from pathlib import Path
from reportlab.lib import rl_accel
from handouts.content import load_catalogue
from handouts.fingerprint import environment
from handouts.jobs import plan
from handouts.patient import make_patient
from handouts.pdf import draw_pdf, make_sheet
from handouts.plugins import use_shipped_layouts
from handouts.registry import names

use_shipped_layouts()
out = Path(sys.argv[2])
patient = make_patient("Maximiliana Alejandra Featherstonehaugh-Worthington", "2026-03-14", "Dr Bartholomew Okonkwo-Vanderbilt", None)
others = [("grayscale", {"grayscale": True}), ("fillable", {"fillable": True}), ("patient", {"patient": patient})]
for root, every_variant in ((Path(sys.argv[3]), True), (Path(sys.argv[4]), False)):
    catalogue = load_catalogue(root)
    assert not [p for p in catalogue.problems if p.severity == "error"], catalogue.problems
    seen = {}  # sheets of each layout so far
    for job in plan(catalogue, layout_names=names()):
        if not every_variant and job.language != "zh-Hans":  # the English sheets are there as the translation's source
            continue
        index = seen[job.layout] = seen.get(job.layout, -1) + 1
        variants = [("blank", {})] + (others[index:index + 1] if every_variant else [])
        for variant, kwargs in variants:
            try:
                data = draw_pdf(make_sheet(catalogue, job, **kwargs), job.layout).data  # over a page budget too
            except Exception as exc:  # a combination the layout refuses is refused the same way in both processes
                data = type(exc).__name__.encode()
            (out / f"{root.name}-{str(job.output).replace('/', '-')}-{variant}").write_bytes(data)
print(json.dumps({"accelerated": sorted(rl_accel._c_funcs), "environment": environment()}))
"""
NUMBER = re.compile(rb"-?\d*\.\d+|-?\d+")


def _render(mode: str, out: Path, content: Path) -> dict[str, object]:
    out.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    done = subprocess.run([sys.executable, "-c", RENDER, mode, str(out), str(FIXTURES / "tree"), str(content)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=250)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _normalised(pdf: Path) -> list[bytes]:
    """The PDF's objects with their streams uncompressed, one line per item (qpdf's QDF form), without the file ID."""
    done = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "--static-id", str(pdf), "-"], capture_output=True,
                          timeout=60)
    assert done.returncode in (0, 3), done.stderr
    return done.stdout.splitlines()


def _only_rounding(fast: list[bytes], slow: list[bytes]) -> list[str]:
    """The lines of two normalised PDFs that differ by more than one in the last digit of a number."""
    if len(fast) != len(slow):
        return [f"{len(fast)} lines against {len(slow)}"]
    wrong = []
    for one, other in zip(fast, slow):
        if one == other:
            continue
        words, others = NUMBER.split(one), NUMBER.split(other)
        numbers, other_numbers = NUMBER.findall(one), NUMBER.findall(other)
        if words != others or len(numbers) != len(other_numbers) or any(
                abs(float(a) - float(b)) > 0.000101 for a, b in zip(numbers, other_numbers)):
            wrong.append(f"{one[:120]!r} against {other[:120]!r}")
    return wrong


@pytest.mark.timeout(400)
def test_the_accelerator_changes_a_pdf_at_most_by_a_rounded_last_digit(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", ("en", "zh-Hans"))
    fast, slow = _render("normal", tmp_path / "fast", content), _render("blocked", tmp_path / "slow", content)
    assert "fp_str" in fast["accelerated"] and "asciiBase85Encode" in fast["accelerated"], "reportlab's accelerator is not in use"
    assert slow["accelerated"] == [], "the accelerator was not blocked"
    names = sorted(path.name for path in (tmp_path / "fast").iterdir())
    for variant in ("grayscale", "fillable", "patient"):  # every layout in every mode
        assert {name.split(".")[-2] for name in names if name.endswith(f".pdf-{variant}")} == set(LAYOUTS), variant
    assert {name.split(".")[-2] for name in names if name.startswith("content-") and ".zh-Hans." in name} == set(LAYOUTS)
    assert len(names) >= 55 and names == sorted(path.name for path in (tmp_path / "slow").iterdir())
    wrong = {}
    for name in names:
        one, other = tmp_path / "fast" / name, tmp_path / "slow" / name
        if one.read_bytes() != other.read_bytes():
            problems = _only_rounding(_normalised(one), _normalised(other))
            if problems:
                wrong[name] = problems[:3]
    assert wrong == {}, f"PDFs that differ by more than a rounded digit with the accelerator: {wrong}"
    assert fast["environment"] != slow["environment"], "the fingerprint does not know whether the accelerator is used"


def test_the_accelerator_is_a_declared_dependency() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert '"reportlab[accel]' in text
    assert Path(__import__("_rl_accel").__file__).exists()
