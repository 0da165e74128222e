"""Layers point one way: the layouts build on the engine, the engine never imports the layouts, and no engine module
imports another that imports it back. Only the command layer, which puts the program together, names the layouts."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import handouts

ENGINE = Path(handouts.__file__).resolve().parent
COMMAND_LAYER = {"cli", "serve", "plugins"}  # they put the engine and the layouts together
LAYOUTS = ("handouts.layouts", "layouts")
IMPORTERS = {"import_module", "__import__", "find_spec"}


def engine_modules() -> dict[str, Path]:
    """Every module of the engine (the layouts package, when installed inside handouts, excluded), by name."""
    return {path.stem: path for path in sorted(ENGINE.glob("*.py")) if path.stem != "__init__"}


def imports(path: Path, at_run_time: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every import in a module of the engine, at the top or inside a function, relative ones resolved;
    importlib calls count with their literal argument. at_run_time: leave out imports for type checkers only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = {id(n) for node in ast.walk(tree) if at_run_time and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
              for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ("handouts" + (f".{node.module}" if node.module else "")) if node.level else str(node.module)
            found += [(node.lineno, base)] + [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in IMPORTERS and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def _is_layouts(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in LAYOUTS)


def test_no_engine_module_imports_the_layouts() -> None:
    offenders = [f"handouts/{path.name}:{line}: imports {module}" for name, path in engine_modules().items()
                 if name not in COMMAND_LAYER for line, module in imports(path) if _is_layouts(module)]
    assert not offenders, "the engine must learn layouts through handouts.registry:\n" + "\n".join(offenders)


def test_the_check_sees_every_way_of_importing_the_layouts(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import importlib\nfrom . import layouts\nfrom .layouts import base\nimport handouts.layouts.card\n"
                      "def f():\n    from handouts.layouts import LAYOUTS\n    importlib.import_module('handouts.layouts')\n"
                      "    importlib.util.find_spec('layouts')\n", encoding="utf-8")
    assert sorted({line for line, module in imports(sample) if _is_layouts(module)}) == [2, 3, 4, 6, 7, 8]


def test_importing_the_whole_engine_loads_no_layout() -> None:
    names = sorted(set(engine_modules()) - COMMAND_LAYER)
    code = (f"import sys\nfor name in {names!r}:\n    __import__('handouts.' + name)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('handouts.layouts', 'layouts'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_engine_modules_import_one_another_without_a_cycle() -> None:
    modules = engine_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {module.split(".")[1] for _, module in imports(path, at_run_time=True)
                       if module.startswith("handouts.") and module.split(".")[1] in modules and module.split(".")[1] != name}
    cycles = []
    for start in sorted(graph):
        seen, stack = set(), [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph[node]):
                if nxt == start:
                    cycles.append(" → ".join(trail + [start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(set(cycles)))
