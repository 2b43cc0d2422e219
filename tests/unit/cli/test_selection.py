"""The selection flags (``--model``, ``--metadata``, ``--order``, ``--limit``) as a command
takes them: a bad value is one line naming the flag, exit 2, before any request."""

from __future__ import annotations

import pytest

from tests.unit.cli.helpers import assert_usage_error


@pytest.mark.parametrize(
    ("argv", "flag", "words"),
    [
        pytest.param(["--metadata", "dataset"], "--metadata", "KEY=VALUE", id="no-equals"),
        pytest.param(["--metadata", "=faq"], "--metadata", "non-empty", id="empty-key"),
        pytest.param(["--metadata", "a=1", "--metadata", "a=2"], "--metadata", "twice", id="twice"),
        pytest.param(["--limit", "0"], "--limit", "1 or more", id="limit-0"),
        pytest.param(["--limit", "-3"], "--limit", "1 or more", id="limit-negative"),
        pytest.param(["--limit", "ten"], "--limit", "whole number", id="limit-word"),
        pytest.param(["--order", "newest"], "--order", "'asc', 'desc'", id="order"),
        pytest.param(["--model", " "], "--model", "non-empty", id="blank-model"),
    ],
)
def test_a_bad_flag_is_one_line_naming_it_and_exit_2(
    capsys: pytest.CaptureFixture[str], nowhere: str, argv: list[str], flag: str, words: str
) -> None:
    assert_usage_error(capsys, argv, flag, words)
