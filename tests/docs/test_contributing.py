"""CONTRIBUTING.md's "How to add a brand option" is true: its one line, added to a copy of the code, makes a key that
check reads with its messages, a kit inherits, and the JSON Schema describes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT

GUIDE = ROOT / "CONTRIBUTING.md"
PROBE = """
import json, sys
from pathlib import Path
from handouts.plugins import use_shipped_layouts
use_shipped_layouts()
from handouts.content import load_catalogue
from handouts.json_schemas import schemas
tree = Path(sys.argv[1])
catalogue = load_catalogue(tree)
print(json.dumps({
    "taglines": {slug: brand.tagline for slug, brand in catalogue.brands.items()},
    "problems": [str(p) for p in catalogue.problems if p.severity == "error"],
    "schema": schemas()["brand.schema.json"]["properties"].get("tagline"),
}))
"""


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def test_the_one_line_of_the_guide_makes_a_brand_option(tmp_path: Path) -> None:
    (line,) = [block for block in _blocks("python") if "o.option(" in block]
    (kit_says,) = [block for block in _blocks("yaml") if block.startswith("tagline:")]
    code = tmp_path / "code"
    shutil.copytree(ROOT / "handouts", code / "handouts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "layouts", code / "handouts" / "layouts", ignore=shutil.ignore_patterns("__pycache__"))
    brand_py = code / "handouts" / "brand.py"
    source = brand_py.read_text(encoding="utf-8")
    anchor = re.search(r"^    booking_url: .*\n", source, re.MULTILINE)
    assert anchor, "the guide says 'among the other options': booking_url is where this test puts it"
    brand_py.write_text(source[:anchor.end()] + line + source[anchor.end():], encoding="utf-8")

    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "tree", tree)
    plain = tree / "brands/plain/brand.yaml"
    plain.write_text(plain.read_text(encoding="utf-8") + kit_says, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(code))

    def probe() -> dict:
        result = subprocess.run([sys.executable, "-c", PROBE, str(tree)], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    found = probe()
    assert found["problems"] == []
    assert found["taglines"] == {"plain": "Skin care, close to home", "teal": "Skin care, close to home"}  # teal extends plain
    assert found["schema"]["description"] == "a short line printed under the clinic's name, e.g. Skin care, close to home"
    plain.write_text(plain.read_text(encoding="utf-8").replace(kit_says, "tagline: [Skin, care]\n"), encoding="utf-8")
    lines = len(plain.read_text(encoding="utf-8").splitlines())
    assert probe()["problems"][0] == f"content/brands/plain/brand.yaml:{lines}: tagline: expected text, got a list (a single line of text)"
