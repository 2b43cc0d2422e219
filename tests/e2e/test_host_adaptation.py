"""The dynamic provider host, adapted by pulumi_chatcomp.dynamic._host (and, for ``pulumi
import``, by _startup), under the real engine.

The host serves gRPC from four worker threads; our provider widens that pool when it is
configured, so ``pulumi up --parallel 8`` really creates eight completions at once. A counting
proxy in front of the server holds each create until eight are in flight (or a few seconds
pass), so the peak it records depends on what the host lets through, not on timing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from bench._common import InFlightProxy, program_with
from pulumi_chatcomp.core._names import TYPE_TOKEN
from pulumi_chatcomp.dynamic._startup import IMPORT_HINT
from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import Engine

KEY = "sk-e2e-host-0123456789abcdefghijkl"
COUNT = 8
HOLD_SECONDS = 4.0


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY, "--latency", "0.5"]) as running:
        yield running


@pytest.mark.parametrize(
    ("env", "expected_peak"),
    [
        pytest.param({}, COUNT, id="adapted-host-runs-all-eight"),
        pytest.param({"CHATCOMP_MAX_CONCURRENCY": "4"}, 4, id="pool-kept-at-four"),
    ],
)
def test_creates_in_flight_at_once(
    engine: Engine,
    server: LocalServer,
    tmp_path: Path,
    env: dict[str, str],
    expected_peak: int,
) -> None:
    project = program_with(tmp_path / "eight", COUNT)
    with InFlightProxy(server.url, hold_until=COUNT, hold_seconds=HOLD_SECONDS) as proxy:
        stack = engine.stack(
            project,
            config={"chatcomp:baseUrl": proxy.base_url},
            secrets={"chatcomp:apiKey": KEY},
            env=env,
        )
        up = stack.up(parallel=COUNT)
        assert up.summary.resource_changes == {"create": COUNT + 2}  # the stack, its anchor
        assert proxy.peak == expected_peak
        assert len(proxy.spans) == COUNT


def test_an_api_error_during_create_is_a_clean_message(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = program_with(tmp_path / "wrong-key", 1)
    stack = engine.stack(
        project,
        config={"chatcomp:baseUrl": server.base_url},
        secrets={"chatcomp:apiKey": "sk-wrong-0123456789abcdefghijklmn"},
    )
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    text = str(failed.value)
    assert "POST /chat/completions" in text
    assert "401" in text
    assert "Traceback" not in text
    assert "sk-wrong-0123456789abcdefghijklmn" not in text


def test_pulumi_import_of_a_dynamic_completion_says_what_to_do_in_one_line(
    engine: Engine, tmp_path: Path
) -> None:
    # The engine asks the host to read the resource with no state: there is no pickled
    # provider, so none of our code is loaded; the package's startup file words the error.
    project = program_with(tmp_path / "import", 1)
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    done = engine.cli(
        "import",
        TYPE_TOKEN,
        "adopted",
        "chatcmpl-made-by-a-script",
        "--yes",
        "--non-interactive",
        cwd=project,
        check=False,
    )
    text = done.stdout + done.stderr
    assert done.returncode != 0, text
    assert "Traceback" not in text and "KeyError" not in text, text
    hint = IMPORT_HINT.format(id="chatcmpl-made-by-a-script")
    errors = [line for line in text.splitlines() if "error: " in line]
    assert errors and all(line.endswith(hint) for line in errors), text
