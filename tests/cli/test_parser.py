"""The command line builds the options of the command it runs only; every `--help` reads as when it built them all."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from handouts import cli

# The order `generate.py --help` has always listed the commands in.
LISTED = ("build", "merge", "handout", "check", "list", "preview", "new-brand", "schema", "approve", "diff", "translate", "serve")


def every_command() -> argparse.ArgumentParser:
    """The parser with every command's options, as the command line built it for each run before."""
    parser = cli._Parser(prog="generate.py", description="Build clinic-branded patient handouts from YAML content.")
    parser.add_argument("--version", action="version", version=f"handouts {cli.__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")
    sub = parser.add_subparsers(dest="command", parser_class=cli._Parser)
    for name, help_text, add_options in cli._SUBCOMMANDS:
        add_options(sub.add_parser(name, help=help_text))
    return parser


def help_of(parser: argparse.ArgumentParser, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args(argv)
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def test_every_command_has_a_parser_in_the_order_help_lists_them() -> None:
    assert tuple(name for name, _, _ in cli._SUBCOMMANDS) == LISTED
    assert sorted(LISTED) == sorted(cli.COMMANDS)


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--debug", "--help"]])
def test_the_top_level_help_names_every_command(argv: list[str], run, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(*argv)
    shown = capsys.readouterr().out
    assert shown == help_of(every_command(), ["--help"], capsys)
    assert "{" + ",".join(LISTED) + "}" in shown


@pytest.mark.parametrize("argv", [[name, "--help"] for name in LISTED]
                         + [["translate", "export", "--help"], ["translate", "import", "--help"]])
def test_each_commands_help_is_the_one_it_had_with_every_command_built(argv: list[str], run, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(*argv)
    shown = capsys.readouterr().out
    assert shown == help_of(every_command(), argv, capsys)
    assert shown.startswith(f"usage: generate.py {' '.join(argv[:-1])} ")


def test_the_parser_of_one_command_builds_no_other() -> None:
    sub = next(a for a in cli._parser("handout")._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == ["handout"]


@pytest.mark.parametrize("argv", [["handout", "demo/aftercare", "--brand", "teal", "--patient", "X", "-o", "x.pdf"],
                                  ["check", "--format", "json", "--jobs", "1", "--layout", "card"],
                                  ["--debug", "list", "--content", "c"],
                                  ["--content", "c", "--jobs", "3", "--force"],  # no command: build's options
                                  [],
                                  ["translate", "export", "demo/aftercare", "--lang", "vi", "--format", "xliff"],
                                  ["diff", "demo/aftercare", "--since", "2026-01-01", "--color", "never"],
                                  ["merge", "out", "a.json", "b.json"]])
def test_a_command_line_is_read_as_with_every_command_built(argv: list[str]) -> None:
    given = argv if argv and argv[0] in cli.COMMANDS or argv[:1] == ["--debug"] else ["build", *argv]
    first = next((a for a in argv if a != "--debug"), None)
    assert cli._parser(first).parse_args(given) == every_command().parse_args(given)


@pytest.mark.parametrize("argv", [["handout", "x", "--brand"], ["check", "--format", "xml"], ["build", "--bogus"], ["translate"],
                                  ["preview", "--dpi", "many"]])
def test_a_mistake_is_reported_as_with_every_command_built(argv: list[str]) -> None:
    with pytest.raises(cli.UsageError) as one:
        cli._parser(argv[0]).parse_args(argv)
    with pytest.raises(cli.UsageError) as every:
        every_command().parse_args(argv)
    assert str(one.value) == str(every.value)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("program", ["handouts", "generate.py"])
def test_usage_and_hints_name_the_program_as_it_was_started(program: str, tmp_path: Path) -> None:
    """The `handouts` command names itself in its usage errors and in what it tells the user to run next; generate.py
    names generate.py."""

    started = [str(Path(sys.executable).parent / "handouts")] if program == "handouts" else [sys.executable, str(ROOT / "generate.py")]
    if program == "handouts" and not Path(started[0]).exists():
        pytest.skip("the handouts command is not installed beside this Python")
    wrong = subprocess.run([*started, "check", "--no-such-option"], capture_output=True, text=True, timeout=60)
    assert (wrong.returncode, wrong.stderr) == (2, f"error: {program}: unrecognized arguments: --no-such-option\n")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    made = subprocess.run([*started, "new-brand", "mint", "--name", "Mint Clinic", "--content", str(tmp_path / "content")],
                          capture_output=True, text=True, timeout=60)
    typed = "handouts" if program == "handouts" else "python generate.py"
    assert made.returncode == 0 and f"then run: {typed} check --content " in made.stdout, made.stdout + made.stderr


@pytest.mark.parametrize("started, named", [("/usr/local/bin/handouts", "handouts"), ("generate.py", "generate.py")])
def test_the_approval_hints_name_the_program_as_it_was_started(monkeypatch: pytest.MonkeyPatch, started: str, named: str) -> None:
    from conftest import CONTENT
    from handouts.approval import approve_hint
    from handouts.content import load_catalogue

    monkeypatch.setattr("sys.argv", [started, "check"])
    handout = load_catalogue(CONTENT).treatments["microneedling"].handouts[("aftercare", "en")]
    assert approve_hint(handout) == (f"run '{named} diff microneedling/aftercare --lang en', then "
                                     f"'{named} approve microneedling/aftercare --lang en --by NAME'")
