"""The documentation is tested: every YAML example in the README and docs/ is put where its first line says and
checked there, and every shell example in the README that can run offline runs, in README order, in a copy of the
project whose content holds the README's examples; `check` then passes.

A YAML example's first line names its place: `# content/brands/lumen/brand.yaml` (the whole file),
`# content/microneedling/settings.yaml (part)` (keys of that file), `# patient.yaml`, or a CI workflow's path.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from handouts.blocks import BLOCK_TYPES
from handouts.content import load_catalogue
from handouts.patient import read_patient_file
from handouts.yamlsafe import load_text

from conftest import ROOT, SHIPPED_LANGUAGES, copy_content
from schema_support import assert_agree, kind_of, schema_verdicts

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_PLACE = re.compile(r"^# (?P<place>[\w./-]+\.ya?ml)(?P<part> \(part\))?\s*$")
# Shell examples that do not run here, and why (a command matching none of these must run).
NOT_RUN = {
    "pip": "installs the project; CI's .ci/run does that on a fresh machine",
    "pytest": "runs this very suite",
    "serve": "a server that runs until it is stopped; tests/desk starts and stops it",
}


@dataclass(frozen=True)
class Example:
    """One fenced example: where it is written, its language and text."""

    source: str  # README.md:212
    language: str
    text: str

    @property
    def place(self) -> str | None:
        """The path its first line names, if any."""
        match = _PLACE.match(self.text.splitlines()[0]) if self.text.strip() else None
        return match["place"] if match else None

    @property
    def part(self) -> bool:
        """True when it shows only some keys of its file."""
        match = _PLACE.match(self.text.splitlines()[0])
        return bool(match and match["part"])


def examples(language: str, docs: list[Path] = DOCS) -> list[Example]:
    """Every fenced example in one language, in the order the docs give them."""
    found = []
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            if match[1] == language:
                found.append(Example(f"{doc.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}", language, match[2]))
    return found


YAML = examples("yaml")
CONTENT_EXAMPLES = [e for e in YAML if (e.place or "").startswith("content/")]


def test_every_yaml_example_names_its_place() -> None:
    unplaced = [e.source for e in YAML if e.place is None]
    assert not unplaced, f"start each YAML example with a comment naming its file, e.g. '# content/brands/lumen/brand.yaml': {unplaced}"


def with_examples(target: Path, languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> Path:
    """A copy of the shipped content (without approval records) with every content example of the docs in place."""
    content = copy_content(target / "content", languages, ignore=("approved",))
    for example in CONTENT_EXAMPLES:
        assert example.place is not None
        path = target / example.place
        if example.part:
            whole = _plain(load_text(path.read_text(encoding="utf-8")))
            whole.update(_plain(load_text(example.text)))
            path.write_text(yaml.safe_dump(whole, allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(example.text, encoding="utf-8")
            # An example that replaces a shipped handout leaves its translations behind: they translate other words.
            for translated in path.parent.glob(f"{path.name.split('.')[0]}.*.yaml"):
                if f"translation: {{source: {path.name}," in translated.read_text(encoding="utf-8"):
                    translated.unlink()
    return content


def _plain(node: Any) -> Any:
    """A node of handouts.yamlsafe as plain dicts, lists and strings."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return str(node)


@pytest.fixture(scope="module")
def example_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content with the docs' examples in place, loaded once for the module."""
    return with_examples(tmp_path_factory.mktemp("examples"))


@pytest.mark.parametrize("example", CONTENT_EXAMPLES, ids=[e.source for e in CONTENT_EXAMPLES])
def test_a_content_example_passes_check_and_its_schema_in_place(example: Example, example_tree: Path) -> None:
    assert example.place is not None
    rel = example.place.removeprefix("content/")
    assert kind_of(rel), f"{example.source}: '{example.place}' is no place for a content file"
    assert assert_agree(example_tree, rel) == [], f"{example.source} fails check in place"
    assert schema_verdicts(kind_of(rel) or "", example.text) == {"yaml 1.2": [], "yaml 1.1": []}, example.source


def test_the_examples_leave_no_error_anywhere_in_the_tree(example_tree: Path) -> None:
    assert [str(p) for p in load_catalogue(example_tree).problems if p.severity == "error"] == []


def test_the_readme_shows_every_block_type_the_snippet_and_the_settings_formats() -> None:
    shown: set[str] = set()
    for example in CONTENT_EXAMPLES:
        data = load_text(example.text)
        assert isinstance(data, dict)
        for key in ("blocks", "card"):
            shown |= {name for block in data.get(key, []) for name in block}
    assert shown == set(BLOCK_TYPES), f"no README example of {sorted(set(BLOCK_TYPES) - shown)}"
    places = [e.place or "" for e in CONTENT_EXAMPLES if e.source.startswith("README")]
    assert any(p.startswith("content/snippets/") for p in places), "the README shows no snippet file"
    settings = [e for e in CONTENT_EXAMPLES if (e.place or "").endswith("/settings.yaml")]
    assert settings and all("source:" in e.text for e in settings), "the README shows no setting with its source"


def test_a_patient_file_example_reads_as_a_patient() -> None:
    files = [e for e in YAML if e.place == "patient.yaml"]
    assert files, "the README shows no patient file for --patient-from"
    for example in files:
        patient = read_patient_file("-", stdin=__import__("io").BytesIO(example.text.encode("utf-8")))
        assert patient is not None and patient.name


def _generate_argv(line: str) -> list[str] | None:
    """The arguments after `generate.py` in a command line, or None if it does not run generate.py."""
    words = shlex.split(line, comments=True)
    return words[words.index("generate.py") + 1:] if "generate.py" in words else None


def test_every_command_in_a_ci_workflow_example_is_one_the_command_line_takes() -> None:
    from handouts.cli import _parser

    workflows = [e for e in YAML if (e.place or "").startswith(".github/workflows/")]
    assert workflows, "docs/ci-matrix.md shows no workflow"
    for example in workflows:
        steps = [step for job in yaml.safe_load(example.text)["jobs"].values() for step in job["steps"]]
        lines = [line for step in steps if "run" in step for line in step["run"].replace("${{ matrix.shard }}", "1").splitlines()]
        commands = [argv for argv in map(_generate_argv, lines) if argv is not None]
        assert commands, f"{example.source}: no generate.py command"
        for argv in commands:
            _parser(argv[0]).parse_args(argv)  # raises UsageError on an option the command does not have


def shell_commands() -> list[tuple[str, str]]:
    """(where, command) for every command of the README's shell examples, continuation lines joined, `&&` split."""
    commands = []
    for example in examples("sh", [ROOT / "README.md"]):
        joined = re.sub(r"(\\|\|)\s*\n\s*", lambda m: " | " if m[1] == "|" else " ", example.text)
        for line in joined.splitlines():
            for part in line.split(" && "):
                if shlex.split(part, comments=True):
                    commands.append((example.source, part.strip()))
    return commands


def _reason_not_to_run(command: str) -> str | None:
    words = shlex.split(command, comments=True)
    argv = _generate_argv(command) or []
    for word, reason in NOT_RUN.items():
        if word in words and (word != "serve" or argv[:1] == ["serve"]):
            return reason
    return None


@pytest.mark.timeout(300)
@pytest.mark.shared_proof_cache  # the commands run in processes of their own, over files only
def test_every_shell_example_of_the_readme_runs_and_check_passes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "generate.py", project)
    # English, Spanish and the translation the README exports: its build, check and preview run every combination of
    # what they are given, and check's proof of the shipped catalogue renders the other languages.
    with_examples(project, ("en", "es", "vi"))
    for example in YAML:
        if example.place == "patient.yaml":
            (project / "patient.yaml").write_text(example.text, encoding="utf-8")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("SOURCE_DATE_EPOCH", None)

    def sh(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True, timeout=240)

    commands = [(where, c) for where, c in shell_commands() if _reason_not_to_run(c) is None]
    assert all(_generate_argv(c) is not None for _, c in commands), f"a README command this test does not know: {commands}"
    verbs = [(_generate_argv(c) or ["build"])[0] for _, c in commands]
    # check runs on the tree as the README leaves it, before anything is approved (a record makes every handout need one).
    assert "check" in verbs and verbs.index("check") < verbs.index("approve"), verbs
    for where, command in commands:
        result = sh(command)
        assert result.returncode == 0 and "Traceback" not in result.stderr, f"{where}: {command}\n{result.stderr}"
    assert (project / "content/microneedling/approved/aftercare.en.yaml").is_file()
    assert (project / "content/brands/northside/brand.yaml").is_file()
    for name in ("build/manifest.json", "out/manifest.json", "ana.pdf", "changes.pdf", "preview/lumen/contact-sheet.png"):
        assert (project / name).is_file(), f"{name} was not written"


def test_the_skipped_shell_examples_are_the_ones_that_cannot_run_here() -> None:
    skipped = sorted({_reason_not_to_run(c) or "" for _, c in shell_commands()} - {""})
    assert skipped == sorted(NOT_RUN.values())
