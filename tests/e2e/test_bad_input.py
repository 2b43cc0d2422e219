"""Bad input through the engine, for the plugin face: one line naming the argument or the
property and what is wrong with it (the limit, the type), never a traceback, nothing sent.

The dynamic face's data sources and the client are covered without the engine (their tests
call them directly); the plugin's invokes and the import option go through the engine, and
``native`` through a Python program, because there the engine carries the message.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import Engine, plugin_section

LONG = "c" * 70_000


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def _up(engine: Engine, project: Path, server: LocalServer) -> subprocess.CompletedProcess[str]:
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    server.admin.reset_counters()
    return engine.cli(
        "up", "--yes", "--skip-preview", "--non-interactive", cwd=project, check=False
    )


def _assert_one_clean_line(done: subprocess.CompletedProcess[str], expected: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert expected in output, output[-3000:]
    assert "Traceback" not in output
    assert "Unexpected <class" not in output
    # The value is measured, not echoed (the YAML host quotes the program's own line apart).
    assert not [line for line in output.splitlines() if expected in line and LONG in line]


YAML_CASES = [
    pytest.param(
        "variables:\n  one:\n    fn::invoke:\n      function: chatcomp:index:getChatCompletion\n"
        f"      arguments:\n        completionId: {LONG}\n",
        "completionId has 70000 characters; at most 256 are accepted",
        id="getChatCompletion",
    ),
    pytest.param(
        "variables:\n  messages:\n    fn::invoke:\n"
        "      function: chatcomp:index:getChatCompletionMessages\n"
        f"      arguments:\n        completionId: {LONG}\n",
        "completionId has 70000 characters; at most 256 are accepted",
        id="getChatCompletionMessages",
    ),
    pytest.param(
        "variables:\n  listed:\n    fn::invoke:\n"
        "      function: chatcomp:index:getChatCompletions\n"
        f"      arguments:\n        metadata:\n          k: {LONG}\n",
        'metadata["k"] has 70000 characters; values may have at most 512',
        id="getChatCompletions-metadata",
    ),
    pytest.param(
        "variables:\n  listed:\n    fn::invoke:\n"
        "      function: chatcomp:index:getChatCompletions\n"
        f"      arguments:\n        model: {LONG}\n",
        "model has 70000 characters; at most 256 are accepted",
        id="getChatCompletions-model",
    ),
    pytest.param(
        "resources:\n  b:\n    type: chatcomp:index:ChatCompletion\n    properties:\n"
        "      model: gpt-4o-mini\n      messages: [{role: user, content: Hi}]\n"
        f"    options:\n      import: {LONG}\n",
        "completion_id has 70000 characters; at most 256 are accepted",
        id="import-option",
    ),
]


@pytest.mark.parametrize(("program", "expected"), YAML_CASES)
def test_over_long_ids_and_filters_are_refused_with_their_limit(
    engine: Engine, server: LocalServer, tmp_path: Path, program: str, expected: str
) -> None:
    project = tmp_path / "long"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        f"name: long-{tmp_path.name[-12:]}\nruntime: yaml\n{plugin_section()}{program}"
    )
    _assert_one_clean_line(_up(engine, project, server), expected)
    assert not [k for k in server.admin.counters() if " /v1/" in k]  # nothing was sent


@pytest.mark.parametrize(
    ("wrong", "expected"),
    [
        pytest.param('store="no"', "store must be true or false, got 'no'", id="store"),
        pytest.param('stream="yes"', "stream must be true or false, got 'yes'", id="stream"),
        pytest.param(
            "max_completion_tokens=True",
            "maxCompletionTokens must be a whole number, got true",
            id="tokens",
        ),
    ],
)
def test_native_refuses_values_of_another_type(
    engine: Engine, server: LocalServer, tmp_path: Path, wrong: str, expected: str
) -> None:
    """As the dynamic face does: the plugin's check is the same core check."""
    project = tmp_path / "native"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        f"name: native-{tmp_path.name[-12:]}\nruntime: python\n{plugin_section()}"
    )
    (project / "__main__.py").write_text(
        "from pulumi_chatcomp import native\n\n"
        "native.ChatCompletion('c', model='gpt-4o-mini',"
        f" messages=[{{'role': 'user', 'content': 'Hi'}}], {wrong})\n"
    )
    _assert_one_clean_line(_up(engine, project, server), expected)
    assert "POST /v1/chat/completions" not in server.admin.counters()
