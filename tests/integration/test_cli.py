"""``chatcomp`` commands against the local server over HTTP: their errors are one line that
names the endpoint or the flag, with no traceback and no key."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from pulumi_chatcomp.server.testing import LocalServer

KEY = "sk-integration-cli-0123456789abcdef"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


def chatcomp(*args: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_chatcomp.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_wrong_key_is_reported_without_it(server: LocalServer) -> None:
    wrong = "sk-wrong-cli-0123456789abcdefghijk"
    done = chatcomp(
        "import-file", env={"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": wrong}
    )
    assert done.returncode == 1
    assert done.stderr.startswith(
        "chatcomp import-file: GET /chat/completions failed with HTTP 401"
    )
    assert done.stderr.count("\n") == 1
    assert wrong not in done.stdout + done.stderr


def test_an_unreachable_server_is_one_line() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    done = chatcomp("import-file", "--max-retries", "0", env={"OPENAI_BASE_URL": url})
    assert done.returncode == 1
    assert done.stderr.startswith(
        f"chatcomp import-file: Could not connect to {url} for GET /chat/completions"
    )
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["--metadata", "dataset"], "argument --metadata: expected KEY=VALUE", id="pair"
        ),
        pytest.param(
            ["--limit", "0"], "argument --limit: must be a whole number, 1 or more", id="limit"
        ),
        pytest.param(["--order", "up"], "argument --order: invalid choice: 'up'", id="order"),
    ],
)
def test_bad_selection_flags_exit_2(args: list[str], expected: str) -> None:
    done = chatcomp("import-file", *args, env={})
    assert done.returncode == 2
    assert expected in done.stderr


def test_a_bad_setting_names_its_flag(server: LocalServer) -> None:
    done = chatcomp("import-file", "--timeout", "soon", env={"OPENAI_BASE_URL": server.base_url})
    assert done.returncode == 1
    assert done.stderr == (
        "chatcomp import-file: --timeout must be a positive number of seconds, got 'soon'\n"
    )


def test_report_of_a_selection_sums_what_the_api_reports(server: LocalServer) -> None:
    import json

    import openai

    from pulumi_chatcomp.core._prices import DEFAULT_PRICES

    client = openai.OpenAI(api_key=KEY, base_url=server.base_url)
    made = [
        client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": f"Report {index}, please."}],
            store=True,
            metadata={"report": "yes", "team": "ml" if index < 2 else "web"},
        )
        for index in range(3)
    ]
    client.close()
    paired = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}
    done = chatcomp("report", "--metadata", "report=yes", "--json", env=paired)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["source"] == {"selection": {"metadata": {"report": "yes"}}}
    prompt = sum(c.usage.prompt_tokens for c in made if c.usage)
    completion = sum(c.usage.completion_tokens for c in made if c.usage)
    assert report["total"]["prompt_tokens"] == prompt
    assert report["total"]["completion_tokens"] == completion
    expected = DEFAULT_PRICES["gpt-4o-mini"].cost(prompt, completion)
    assert report["total"]["cost_usd"] == pytest.approx(expected, abs=1e-6)
    assert {value: t["completions"] for value, t in report["by_metadata"]["team"].items()} == {
        "ml": 2,
        "web": 1,
    }
    text = chatcomp("report", "--metadata", "report=yes", "--metadata-key", "team", env=paired)
    assert text.stdout.startswith("stored completions (metadata report=yes): 3 completions,")
    assert "\nmetadata team " in text.stdout and "\nmetadata report " not in text.stdout


def test_report_refuses_a_selection_with_a_stack_and_a_bad_price_file(tmp_path: Path) -> None:
    both = chatcomp("report", "--stack", "dev", "--model", "gpt-4o", env={})
    assert both.returncode == 2
    assert "argument --model: selects stored completions; not with --stack" in both.stderr
    prices = tmp_path / "prices.json"
    prices.write_text('{"gpt-4o": {"input": "cheap"}}')
    bad = chatcomp("report", "--prices", str(prices), env={})
    assert bad.returncode == 1
    assert bad.stderr.startswith(f"chatcomp report: --prices {str(prices)!r}: ['gpt-4o'] must be")
