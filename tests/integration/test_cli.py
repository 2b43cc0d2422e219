"""``chatcomp`` commands against the local server over HTTP: their errors are one line that
names the endpoint or the flag, with no traceback and no key."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping

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
            ["--metadata", "dataset"], "argument --metadata: must be KEY=VALUE", id="pair"
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
