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


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["--timeout", "soon"],
            "--timeout must be a positive number of seconds, got 'soon'",
            id="timeout-text",
        ),
        pytest.param(
            ["--timeout", "-1"],
            "--timeout must be a positive number of seconds, got '-1'",
            id="timeout-negative",
        ),
        pytest.param(
            ["--max-retries", "-5"],
            "--max-retries must be a whole number of retries, 0 or more, got '-5'",
            id="retries",
        ),
        pytest.param(
            ["--base-url", "notaurl"],
            "--base-url must be an http(s) URL such as https://api.openai.com/v1, got 'notaurl'",
            id="url",
        ),
        pytest.param(
            ["--base-url", "ftp://example.com/v1"],
            "--base-url must be an http(s) URL",
            id="ftp",
        ),
    ],
)
def test_a_bad_setting_flag_is_a_usage_error_naming_it(
    server: LocalServer, args: list[str], expected: str
) -> None:
    done = chatcomp("import-file", *args, env={"OPENAI_BASE_URL": server.base_url})
    assert done.returncode == 2
    assert done.stderr.startswith(f"chatcomp import-file: {expected}")
    assert done.stderr.count("\n") == 1


def test_a_bad_setting_from_the_environment_is_no_usage_error(server: LocalServer) -> None:
    done = chatcomp(
        "import-file", env={"OPENAI_BASE_URL": server.base_url, "CHATCOMP_TIMEOUT": "soon"}
    )
    assert done.returncode == 1
    assert "CHATCOMP_TIMEOUT" in done.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["export", "--metadata", "k=" + "v" * 70_000],
            'argument --metadata: metadata["k"] has 70000 characters; values may have at most 512',
            id="export-long-filter",
        ),
        pytest.param(
            ["export", "--model", "m" * 70_000],
            "argument --model: has 70000 characters; at most 256 are accepted",
            id="export-long-model",
        ),
    ],
)
def test_over_long_filters_are_refused_before_any_request(args: list[str], expected: str) -> None:
    done = chatcomp(*args, env={"OPENAI_BASE_URL": f"http://127.0.0.1:{_closed_port()}/v1"})
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_import_file_into_a_folder_is_one_line(server: LocalServer, tmp_path: Path) -> None:
    done = chatcomp(
        "import-file",
        "--output",
        str(tmp_path),
        env={"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY},
    )
    assert done.returncode == 2
    assert f"--output {str(tmp_path)!r} cannot be written: Is a directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_binary_price_file_is_one_line(tmp_path: Path) -> None:
    prices = tmp_path / "prices.json"
    prices.write_bytes(bytes(range(256)))
    done = chatcomp("report", "--prices", str(prices), env={})
    assert done.returncode == 2
    assert "is not a text file (a JSON price table is)" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        pytest.param("Welcome to Pulumi!", "printed no JSON", id="not-json"),
        pytest.param("[1, 2]", "the top is list, not an object", id="a-list"),
        pytest.param('{"deployment": []}', "deployment is not an object", id="deployment"),
        pytest.param(
            '{"deployment": {"resources": {"a": 1}}}',
            "deployment.resources is not a list of objects",
            id="resources",
        ),
        pytest.param(
            '{"deployment": {"pending_operations": [{"resource": 7}]}}',
            "deployment.pending_operations[0].resource is not an object",
            id="pending",
        ),
        pytest.param(
            '{"deployment": {"resources": [{"outputs": "x"}]}}',
            "deployment.resources[0].outputs is not an object",
            id="outputs",
        ),
    ],
)
@pytest.mark.parametrize("command", ["report", "recover"])
def test_a_stack_export_that_is_no_state_is_one_line(
    tmp_path: Path, printed: str, expected: str, command: str
) -> None:
    """``pulumi`` on PATH is something else, or prints something unexpected."""
    fake = tmp_path / "bin" / "pulumi"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ncat <<'EOF'\n{printed}\nEOF\n")
    fake.chmod(0o755)
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: yaml\n")
    done = chatcomp(
        command,
        "--stack",
        "dev",
        "--cwd",
        str(tmp_path),
        env={"PATH": f"{fake.parent}:/usr/bin:/bin"},
    )
    assert done.returncode == 1
    assert expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1


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
    assert bad.returncode == 2  # a bad argument, as argparse's own
    assert bad.stderr.startswith(f"chatcomp report: --prices {str(prices)!r}: ['gpt-4o'] must be")
