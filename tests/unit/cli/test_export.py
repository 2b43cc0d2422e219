"""``chatcomp export`` without a server: its flags, its output file, its writer.

The exports themselves, against the real server and checked with the official SDK, are in
``tests/integration/test_cli_export.py``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_chatcomp.cli._app import EXIT_FAILED, EXIT_USAGE
from pulumi_chatcomp.cli._export import Tally, write_json_lines
from pulumi_chatcomp.core._datasets import SkippedExample
from pulumi_chatcomp.models import FieldProblem
from tests.unit.cli.helpers import KEY, assert_usage_error, run


def test_help_shows_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "chatcomp export --metadata dataset=faq --output faq.jsonl" in out
    for flag in ("--model", "--metadata", "--order", "--limit", "--format", "--output"):
        assert flag in out
    assert "--base-url" in out  # the settings flags of every command


@pytest.mark.parametrize(
    ("argv", "flag", "words"),
    [pytest.param(["--format", "csv"], "--format", "'finetune', 'raw'", id="format")],
)
def test_a_bad_flag_is_one_line_naming_it_and_exit_2(
    capsys: pytest.CaptureFixture[str], nowhere: str, argv: list[str], flag: str, words: str
) -> None:
    assert_usage_error(capsys, argv, flag, words)


def test_an_unreachable_server_is_one_line_naming_the_flag_and_exit_1(
    capsys: pytest.CaptureFixture[str], nowhere: str, tmp_path: Path
) -> None:
    status, out, err = run(capsys, "--base-url", nowhere, "--use-env-api-key")
    assert status == EXIT_FAILED
    assert out == ""
    assert err.startswith("chatcomp export: Could not connect to ")
    assert "--base-url" in err and "chatcomp:" not in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err and KEY not in err


def test_a_failed_export_leaves_the_output_file_as_it_was(
    capsys: pytest.CaptureFixture[str], nowhere: str, tmp_path: Path
) -> None:
    kept = tmp_path / "kept.jsonl"
    kept.write_text('{"earlier": "dataset"}\n')
    status, _, _ = run(capsys, "--output", str(kept))
    assert status == EXIT_FAILED
    assert kept.read_text() == '{"earlier": "dataset"}\n'
    status, _, _ = run(capsys, "--output", str(tmp_path / "new.jsonl"))
    assert status == EXIT_FAILED
    assert sorted(path.name for path in tmp_path.iterdir()) == ["kept.jsonl"]  # no partial file


@pytest.mark.parametrize(
    ("output", "words"),
    [
        pytest.param(".", "is a directory", id="directory"),
        pytest.param("missing/out.jsonl", "no such file or directory", id="no-folder"),
    ],
)
def test_an_output_that_cannot_be_written_fails_before_any_request(
    capsys: pytest.CaptureFixture[str],
    nowhere: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    output: str,
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "--output", output)
    assert status == EXIT_USAGE
    # Named as the flag, and not the connection error a request would have met.
    assert err.startswith("chatcomp export: --output ")
    assert words in err
    assert len(err.splitlines()) == 1


def test_the_writer_writes_each_line_as_it_arrives() -> None:
    out = io.BytesIO()
    pulled = 0

    def records() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for n in range(5):
            # Every earlier record is already written: nothing is collected first.
            assert out.getvalue().count(b"\n") == n
            pulled += 1
            yield {"n": n}

    tally = write_json_lines(records(), out)
    assert tally == Tally(written=5, skipped=0)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"n": n} for n in range(5)
    ]


def test_the_writer_hands_skipped_examples_on_and_counts_them() -> None:
    skipped = SkippedExample("chatcmpl-2", FieldProblem("choices", "choices is empty"))
    out = io.BytesIO()
    seen: list[SkippedExample] = []
    lines: list[None] = []
    tally = write_json_lines(
        iter([{"a": 1}, skipped, {"b": 2}]),
        out,
        on_skip=seen.append,
        on_line=lambda: lines.append(None),
    )
    assert (tally.written, tally.skipped, tally.total) == (2, 1, 3)
    assert seen == [skipped]
    assert len(lines) == 3
    assert out.getvalue() == b'{"a": 1}\n{"b": 2}\n'


def test_lines_are_utf8_json_and_a_lone_surrogate_stays_escaped() -> None:
    out = io.BytesIO()
    write_json_lines(iter([{"text": "Grüße, 世界"}, {"text": "broken \ud800"}]), out)
    first, second = out.getvalue().splitlines()
    assert first.decode("utf-8") == '{"text": "Grüße, 世界"}'
    assert second == b'{"text": "broken \\ud800"}'
    assert json.loads(second)["text"] == "broken \ud800"
