"""The CLI loads a command when it runs it: its help imports no command, and each command's
one-line help in the table is the command's own."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
import typer

from crm_agents.cli.main import COMMANDS, load_command

HEAVY = ("pandas", "sklearn", "langgraph", "langchain_core", "gradio", "fastapi", "skops")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_help_line_of_each_command_is_its_own_first_line(name):
    found = load_command(name)
    own = found.info.help if isinstance(found, typer.Typer) else inspect.getdoc(found)
    assert (own or "").split("\n\n")[0].replace("\n", " ") == COMMANDS[name][1]


def test_the_help_imports_no_command_and_none_of_the_heavy_libraries():
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from crm_agents.cli.main import app\n"
        "shown = CliRunner().invoke(app, ['--help'])\n"
        "assert shown.exit_code == 0, shown.output\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "print('serve' in shown.output and 'api-keys' in shown.output)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert found.returncode == 0, found.stderr
    loaded, listed = found.stdout.splitlines()
    assert loaded == "[]"
    assert listed == "True"


def test_an_unknown_command_is_refused_naming_it():
    from typer.testing import CliRunner

    from crm_agents.cli.main import app

    shown = CliRunner().invoke(app, ["frobnicate"])
    assert shown.exit_code == 2 and "frobnicate" in shown.output
