"""Running ``chatcomp export`` in this process, as the cli tests do.

Example::

    status, out, err = run(capsys, "--limit", "0")  # with the ``nowhere`` fixture
"""

from __future__ import annotations

import pytest

from pulumi_chatcomp.cli import main

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
