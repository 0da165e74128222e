"""reportlab's C accelerator (rl_accel, the reportlab[accel] extra) is installed and changes no byte of any PDF.

The same sheets are rendered in two fresh processes, one with the accelerator blocked from import so that reportlab
falls back to its pure-Python functions (fp_str, stringWidth, ASCII85, escapePDF …), and their bytes compared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONTENT, FIXTURES, ROOT

# Every layout of every brand of the fixture tree (every block type, a PNG and an SVG logo), the shipped content in every
# layout; the fixtures also in grayscale, fillable, and personalised with long names: hashes of the bytes, one per sheet.
RENDER = """
import hashlib, json, sys
if sys.argv[1] == "blocked":
    sys.modules["_rl_accel"] = None  # 'from _rl_accel import …' raises ImportError: reportlab uses its Python code
from pathlib import Path
from reportlab.lib import rl_accel
from handouts.content import load_catalogue
from handouts.jobs import Job, plan
from handouts.patient import make_patient
from handouts.pdf import draw_pdf, make_sheet
from handouts.plugins import use_shipped_layouts
from handouts.registry import names

use_shipped_layouts()
patient = make_patient("Maximiliana Alejandra Featherstonehaugh-Worthington", "2026-03-14", "Dr Bartholomew Okonkwo-Vanderbilt", None)
digests = {}
for root, every_layout in ((Path(sys.argv[2]), True), (Path(sys.argv[3]), False)):
    catalogue = load_catalogue(root)
    jobs = plan(catalogue, layout_names=names())
    for job in jobs:
        for variant, kwargs in (("blank", {}), ("grayscale", {"grayscale": True}), ("fillable", {"fillable": True}),
                                ("patient", {"patient": patient})):
            if variant != "blank" and not every_layout:
                continue
            try:
                data = draw_pdf(make_sheet(catalogue, job, **kwargs), job.layout).data  # over a page budget too
            except Exception as exc:  # a combination the layout refuses is refused the same way in both processes
                data = type(exc).__name__.encode()
            digests[f"{root.name}:{job.output}:{variant}"] = hashlib.sha256(data).hexdigest()
print(json.dumps({"accelerated": sorted(rl_accel._c_funcs), "digests": digests}))
"""


def _render(mode: str) -> dict[str, object]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    done = subprocess.run([sys.executable, "-c", RENDER, mode, str(FIXTURES / "tree"), str(CONTENT)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=200)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.timeout(300)
def test_pdfs_are_byte_identical_with_and_without_the_accelerator() -> None:
    fast, slow = _render("normal"), _render("blocked")
    assert "fp_str" in fast["accelerated"] and "asciiBase85Encode" in fast["accelerated"], "reportlab's accelerator is not in use"
    assert slow["accelerated"] == [], "the accelerator was not blocked"
    fast_digests, slow_digests = fast["digests"], slow["digests"]
    assert isinstance(fast_digests, dict) and isinstance(slow_digests, dict)
    assert len(fast_digests) > 110 and fast_digests.keys() == slow_digests.keys()
    differ = sorted(key for key in fast_digests if fast_digests[key] != slow_digests[key])
    assert differ == [], f"{len(differ)} PDFs differ with the accelerator, e.g. {differ[:5]}"


def test_the_accelerator_is_a_declared_dependency() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert '"reportlab[accel]' in text
    assert Path(__import__("_rl_accel").__file__).exists()
