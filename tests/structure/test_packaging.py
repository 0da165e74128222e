"""What `pip install .` puts into site-packages: the handouts package, with the layouts inside it, and one console script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_an_install_holds_only_handouts_at_the_top_with_the_layouts_inside(tmp_path: Path) -> None:
    # setuptools builds from a copy, so the check leaves nothing in the repository; build_py writes exactly what a wheel holds.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("handouts", "layouts"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    lib, meta = tmp_path / "lib", tmp_path / "meta"
    meta.mkdir()
    code = (f"import sys, setuptools; sys.argv = ['setup.py', '-q', 'egg_info', '--egg-base', {str(meta)!r}, "
            f"'build_py', '--build-lib', {str(lib)!r}]; setuptools.setup()")
    result = subprocess.run([sys.executable, "-c", code], cwd=source, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in lib.iterdir()) == ["handouts"]
    layouts = sorted(p.name for p in (lib / "handouts/layouts").glob("*.py"))
    assert layouts == sorted(p.name for p in (ROOT / "layouts").glob("*.py")) and "standard.py" in layouts
    info = next(meta.glob("*.egg-info"))
    assert (info / "top_level.txt").read_text().split() == ["handouts"]
    assert (info / "entry_points.txt").read_text().split() == ["[console_scripts]", "handouts", "=", "handouts.cli:run"]
