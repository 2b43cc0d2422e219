"""The ``chatcomp`` command line as a user meets it: help with examples, exit statuses,
one-line errors without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_chatcomp import __version__
from pulumi_chatcomp.cli import main
from pulumi_chatcomp.cli._app import EXIT_USAGE


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


@pytest.mark.parametrize("command", ["serve", "export", "import-file", "report", "recover"])
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


def test_a_bad_argument_the_run_finds_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = chatcomp("recover", "--stack", "dev", "--cwd", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr == f"chatcomp recover: --cwd {str(tmp_path)!r} holds no Pulumi.yaml\n"


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        pytest.param([], "COMMAND", id="no-command"),
        pytest.param(["frobnicate"], "'frobnicate'", id="unknown-command"),
        pytest.param(["export", "--colour", "red"], "--colour", id="unknown-flag"),
    ],
)
def test_a_usage_mistake_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], named: str
) -> None:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert named in err
    assert "--help" in err
