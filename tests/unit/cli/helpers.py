"""Running ``chatcomp export`` in this process, as the cli tests do.

Example::

    status, out, err = run(capsys, "--limit", "0")  # with the ``nowhere`` fixture
"""

from __future__ import annotations

import pytest

from pulumi_chatcomp.cli import main
from pulumi_chatcomp.cli._app import EXIT_USAGE

KEY = "sk-cli-export-unit-0123456789abcdefXYZ"
"""The key the ``nowhere`` fixture exports; no output may show it."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``chatcomp export ARGV``: its exit status, stdout and stderr."""
    try:
        status = main(["export", *argv])
    except SystemExit as exit:  # argparse's usage errors and --help
        status = exit.code if isinstance(exit.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


def assert_usage_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], flag: str, words: str
) -> None:
    """``chatcomp export ARGV`` exits 2 with one line naming ``flag`` and saying ``words``,
    and nothing on stdout and no key anywhere."""
    status, out, err = run(capsys, *argv)
    assert status == EXIT_USAGE
    assert out == ""
    assert err.startswith(f"chatcomp export: argument {flag}: ")
    assert words in err
    assert len(err.splitlines()) == 1
    assert KEY not in err
