"""The ``chatcomp`` command line as a user meets it: help with examples, exit statuses, and
one-line errors without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_chatcomp import __version__


def chatcomp(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_chatcomp.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_the_version_and_the_commands_are_listed() -> None:
    assert chatcomp("--version").stdout.strip() == f"chatcomp {__version__}"
    shown = chatcomp("--help").stdout
    assert "serve" in shown and "recover" in shown


@pytest.mark.parametrize("command", ["serve", "import-file", "report", "recover"])
def test_each_command_has_help_with_an_example(command: str) -> None:
    shown = chatcomp(command, "--help")
    assert shown.returncode == 0
    assert f"chatcomp {command}" in shown.stdout
    assert "example" in shown.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param([], "the following arguments are required: COMMAND", id="no-command"),
        pytest.param(["nope"], "invalid choice: 'nope'", id="unknown-command"),
        pytest.param(["recover"], "the following arguments are required: --stack", id="no-stack"),
        pytest.param(["serve", "--port", "many"], "argument --port: invalid int", id="bad-flag"),
    ],
)
def test_bad_arguments_exit_2_naming_what_is_wrong(args: list[str], expected: str) -> None:
    done = chatcomp(*args)
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_a_failure_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = chatcomp("recover", "--stack", "dev", "--cwd", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr == f"chatcomp recover: --cwd {str(tmp_path)!r} holds no Pulumi.yaml\n"
