"""Layouts imported on demand: the command layer declares each layout's name and module, a `handout` process imports
only the layout it prints, and every declared name is a registered class (and every class declared)."""

from __future__ import annotations

import importlib
import os
import pickle
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import handouts.layouts
from handouts import plugins, registry

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["card", "large-print", "standard", "trifold", "two-column"]


def _layout_modules(code: str, tmp_path: Path) -> list[str]:
    """The handouts.layouts modules a fresh process has imported after running code (told by an exit handler: the program
    ends the process once its command is done)."""
    code = ("import atexit, sys\natexit.register(lambda: print('\\n'.join(sorted(m for m in sys.modules "
            "if m.startswith('handouts.layouts.')))))\n" + code)
    env = {**os.environ, "HANDOUTS_CACHE": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1767225600"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def _handout(out: Path, *args: str) -> str:
    return ("import sys, runpy\n"
            f"sys.argv = ['generate.py', 'handout', 'microneedling/aftercare', '--brand', 'default', '-o', {str(out)!r}, '--force', *{list(args)!r}]\n"
            "try:\n    runpy.run_path('generate.py', run_name='__main__')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n")


@pytest.mark.parametrize("layout", ["standard", "trifold"])
def test_a_handout_imports_only_the_layout_it_prints(tmp_path: Path, layout: str) -> None:
    modules = _layout_modules(_handout(tmp_path / "x.pdf", "--layout", layout), tmp_path)
    wanted = {plugins.SHIPPED[layout], plugins.SHIPPED["standard"]}  # every other layout builds on the standard one
    assert plugins.SHIPPED[layout] in modules
    assert not [m for m in modules if m in plugins.SHIPPED.values() and m not in wanted], modules
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")


def test_layout_names_are_known_without_importing_a_layout(tmp_path: Path) -> None:
    code = ("from handouts import plugins, registry\nplugins.use_shipped_layouts()\n"
            f"assert registry.names() == {SHIPPED!r} and 'trifold' in registry.layouts() and 'nope' not in registry.layouts()\n")
    assert _layout_modules(code, tmp_path) == []


def test_every_declared_name_is_a_registered_class_and_every_class_is_declared() -> None:
    for info in pkgutil.iter_modules(handouts.layouts.__path__):  # every module of the folder, declared or not
        importlib.import_module(f"handouts.layouts.{info.name}")
    registered = {name: cls.__module__ for name, cls in registry.layouts().items()}
    assert registered == plugins.SHIPPED
    assert sorted(handouts.layouts.LAYOUTS) == SHIPPED
    assert all(registry.layouts()[name].name == name for name in SHIPPED)


def test_a_declared_module_that_registers_no_such_layout_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._declared, "ghost", "handouts.layouts.standard")
    with pytest.raises(RuntimeError, match="layout 'ghost' is declared in handouts.layouts.standard, which registers no such layout"):
        registry.layouts()["ghost"]


def test_worker_processes_are_handed_the_same_declarations() -> None:
    handed = pickle.loads(pickle.dumps(registry.provided()))
    declared = [load for load, _ in handed if isinstance(load, registry.Declared)]
    assert declared and dict(declared[0].modules) == plugins.SHIPPED
