"""``chatcomp report``'s text and its ``--prices`` file: the tables a user reads, and a price
file it cannot use named in one line before anything is read.

Reports of a selection and of a stack against the local server: ``tests/integration/test_cli.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_chatcomp.cli import main
from pulumi_chatcomp.cli._app import EXIT_USAGE
from pulumi_chatcomp.cli._report import render
from pulumi_chatcomp.core._prices import Price
from pulumi_chatcomp.core._spend import Spent, spend_of

USAGE = {"prompt_tokens": 1000, "completion_tokens": 500}


def test_the_tables_are_sorted_and_their_columns_aligned() -> None:
    spend = spend_of(
        [
            Spent("gpt-4o-mini", USAGE, {"team": "web"}),
            Spent("gpt-4o", USAGE, {"team": "ml"}),
            Spent("gpt-4o-mini", USAGE, {"team": "ml"}),
        ]
    )
    lines = render(spend, {"selection": {"metadata": {"team": "ml"}, "limit": 5}}).splitlines()
    assert lines[0].startswith("stored completions (metadata team=ml, limit 5): 3 completions,")
    model_table = lines[2:5]
    assert [line.split()[0] for line in model_table] == ["model", "gpt-4o", "gpt-4o-mini"]
    assert len({len(line) for line in model_table}) == 1  # right-aligned to one width
    assert lines[5] == ""
    assert [line.split()[:2] for line in lines[6:]] == [
        ["metadata", "team"],
        ["ml", "2"],
        ["web", "1"],
    ]


def test_a_model_the_price_file_leaves_out_is_counted_and_flagged() -> None:
    prices = {"gpt-4o": Price(input=2.0, output=8.0)}  # as --prices gives them: no "*"
    spend = spend_of([Spent("gpt-4o", USAGE), Spent("in-house-model", USAGE)], prices)
    lines = render(spend, {"stack": "dev"}).splitlines()
    assert lines[0] == "stack dev: 2 completions, 3,000 tokens, $0.006000 (and 1 with no price)"
    (row,) = (line for line in lines if line.startswith("in-house-model"))
    assert row.endswith("0.000000 +unpriced")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"gpt-4o: 1", "is not JSON", id="not-json"),
        pytest.param(b"\xff\xfe\x00binary", "is not a text file", id="binary"),
        pytest.param(None, "cannot be read", id="missing"),
    ],
)
def test_a_price_file_it_cannot_use_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes | None, words: str
) -> None:
    prices = tmp_path / "prices.json"
    if content is not None:
        prices.write_bytes(content)
    status = main(["report", "--prices", str(prices)])
    out, err = capsys.readouterr()
    assert status == EXIT_USAGE
    assert out == ""
    assert err.startswith(f"chatcomp report: --prices {str(prices)!r} ")
    assert words in err
    assert len(err.splitlines()) == 1
