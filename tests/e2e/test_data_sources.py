"""Data sources under the real engine: the dataset example against the local server."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi import automation as auto

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import REPO, Engine, copy_project, write_project

KEY = "sk-e2e-datasources-0123456789abcdef"
EXAMPLE = REPO / "examples" / "dataset"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    """One server for the module, demanding our key, so a data source without it fails."""
    with LocalServer(["--api-key", KEY]) as running:
        yield running


@pytest.fixture
def stack(engine: Engine, server: LocalServer, tmp_path: Path) -> auto.Stack:
    project = copy_project(EXAMPLE, tmp_path / "dataset")
    return engine.stack(
        project, config={"chatcomp:baseUrl": server.base_url}, secrets={"chatcomp:apiKey": KEY}
    )


def _reads(server: LocalServer) -> dict[str, int]:
    return {k: v for k, v in server.admin.counters().items() if k.startswith("GET /v1/")}


def _stored(server: LocalServer, completion_id: str) -> Any:
    response = httpx.get(
        f"{server.base_url}/chat/completions/{completion_id}",
        headers={"Authorization": f"Bearer {KEY}"},
    )
    response.raise_for_status()
    return response.json()


def test_first_preview_leaves_results_unknown_and_reads_nothing(
    stack: auto.Stack, server: LocalServer
) -> None:
    server.admin.reset_counters()
    preview = stack.preview()
    assert preview.change_summary == {"create": 5}  # the stack, its anchor, the completions
    for name in ("train_count", "train_ids", "first_prompt", "first_stored"):
        assert re.search(rf"^\s*{name}\s*: \[unknown\]$", preview.stdout, re.M), preview.stdout
    assert _reads(server) == {}


def test_up_reads_back_the_train_split(stack: auto.Stack, server: LocalServer) -> None:
    up = stack.up()
    outputs = {name: value.value for name, value in up.outputs.items()}
    assert outputs["train_count"] == 2
    assert outputs["train_examples"] == ["bonjour", "hello"]
    train_ids = outputs["train_ids"]
    stored = [_stored(server, completion_id) for completion_id in train_ids]
    assert [c["metadata"]["split"] for c in stored] == ["train", "train"]
    assert sorted(outputs["train_contents"]) == sorted(
        c["choices"][0]["message"]["content"] for c in stored
    )
    assert outputs["first_prompt"] == "Say hello in English."
    # The whole result exported as it is: the stored completion, minus the resource's token.
    first = outputs["first_stored"]
    assert first["metadata"]["example"] == "hello"
    assert "pulumi_chatcomp_token" in _stored(server, first["id"])["metadata"]
    assert "pulumi_chatcomp_token" not in first["metadata"]
    (choice,) = _stored(server, first["id"])["choices"]
    assert first["choices"][0]["message"]["content"] == choice["message"]["content"]
    assert first["choices"][0]["finish_reason"] == choice["finish_reason"]


def test_a_second_stack_on_the_same_server_reads_only_its_own(
    stack: auto.Stack, engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    first = stack.up().outputs["train_ids"].value
    other = engine.stack(
        copy_project(EXAMPLE, tmp_path / "other"),
        config={"chatcomp:baseUrl": server.base_url},
        secrets={"chatcomp:apiKey": KEY},
    )
    second = other.up().outputs["train_ids"].value
    assert len(second) == 2
    assert not set(first) & set(second)


def test_a_missing_completion_fails_the_program_with_the_not_found_advice(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = write_project(
        tmp_path / "missing",
        """
        import pulumi
        from pulumi_chatcomp import data_sources

        pulumi.export("gone", data_sources.get_chat_completion("chatcmpl-never-stored"))
        """,
    )
    stack = engine.stack(
        project, config={"chatcomp:baseUrl": server.base_url}, secrets={"chatcomp:apiKey": KEY}
    )
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    text = str(failed.value)
    assert "get_chat_completion: completion_id 'chatcmpl-never-stored' names no stored" in text
    assert "store=false" in text
    assert KEY not in text


# A program that makes one data-source call, chosen by config: `call` (list, one, messages)
# and `form` (plain, or output for the `_output` form).
ONE_CALL = """
import pulumi
import pulumi_chatcomp as chatcomp

config = pulumi.Config()
call, form = config.require("call"), config.require("form")
output = form == "output"
if call == "list":
    if output:
        found = chatcomp.get_chat_completions_output(metadata={"team": "ml"}, limit=5)
        pulumi.export("count", found.data.apply(len))
    else:
        found = chatcomp.get_chat_completions(metadata={"team": "ml"}, limit=5)
        pulumi.export("count", len(found.data))
elif call == "one":
    get = chatcomp.get_chat_completion_output if output else chatcomp.get_chat_completion
    pulumi.export("completion", get("chatcmpl-missing"))
else:
    messages = chatcomp.get_chat_completion_messages
    get = chatcomp.get_chat_completion_messages_output if output else messages
    pulumi.export("messages", get("chatcmpl-missing"))
"""

_FUNCTIONS = {
    "list": "get_chat_completions",
    "one": "get_chat_completion",
    "messages": "get_chat_completion_messages",
}


@pytest.mark.parametrize("form", ["plain", "output"])
@pytest.mark.parametrize(
    ("case", "call", "expected"),
    [
        pytest.param(
            "wrong-key",
            "list",
            r"GET /chat/completions failed with HTTP 401 .*request id req_",
            id="401",
        ),
        pytest.param(
            "ok",
            "one",
            r"completion_id 'chatcmpl-missing' names no stored completion "
            r"\(GET /chat/completions/chatcmpl-missing "
            r"answered HTTP 404, request id req_",
            id="404",
        ),
        pytest.param(
            "ok",
            "messages",
            r"completion_id 'chatcmpl-missing' names no stored completion "
            r"\(GET /chat/completions/chatcmpl-missing/messages answered HTTP 404, request id req_",
            id="404-messages",
        ),
        pytest.param(
            "500", "list", r"GET /chat/completions failed with HTTP 500 .*request id req_", id="5xx"
        ),
        pytest.param(
            "refused", "list", r"Could not connect to http://127\.0\.0\.1:\d+/v1 for GET", id="down"
        ),
        pytest.param(
            "html",
            "list",
            r"GET /chat/completions returned an unexpected response \(HTTP 200\): "
            r".*request id req_",
            id="malformed",
        ),
    ],
)
def test_a_failing_data_source_fails_up_with_its_message_alone(
    engine: Engine,
    server: LocalServer,
    tmp_path: Path,
    form: str,
    case: str,
    call: str,
    expected: str,
    refused_port: int,
) -> None:
    project = write_project(tmp_path / "one-call", ONE_CALL)
    base_url = server.base_url
    if case == "refused":
        base_url = f"http://127.0.0.1:{refused_port}/v1"
    key = "sk-wrong-key-0123456789abcdef" if case == "wrong-key" else KEY
    engine.cli("stack", "init", f"t{uuid.uuid4().hex[:10]}", cwd=project)
    for name, value in {
        "call": call,
        "form": form,
        "chatcomp:baseUrl": base_url,
        "chatcomp:maxRetries": "1",
    }.items():
        engine.cli("config", "set", name, value, cwd=project)
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", key, cwd=project)
    if case == "500":
        server.admin.set_faults(rate_500=1.0)
    elif case == "html":
        server.admin.set_faults(malformed="html")
    try:
        up = engine.cli(
            "up", "--yes", "--non-interactive", "--skip-preview", cwd=project, check=False
        )
    finally:
        server.admin.reset_faults()
    text = up.stdout + up.stderr
    assert up.returncode != 0, text
    function = _FUNCTIONS[call] + ("_output" if form == "output" else "")
    assert re.search(rf"error: {function}: {expected}", text), text
    assert "Traceback" not in text and "unhandled exception" not in text, text
    assert key not in text


def test_after_a_prompt_edit_the_split_reads_back_only_the_current_completions(
    stack: auto.Stack,
) -> None:
    before = stack.up().outputs
    program = Path(stack.workspace.work_dir) / "__main__.py"
    program.write_text(
        program.read_text().replace("Say hello in English.", "Say hello in English, warmly.")
    )
    # The edited completion is replaced: created before the program reads the list, deleted
    # after it. The list still holds the two train completions there are, not three.
    up = stack.up()
    assert up.summary.resource_changes is not None
    assert up.summary.resource_changes.get("replace") == 1
    after = up.outputs
    assert after["train_count"].value == 2
    assert after["train_examples"].value == ["bonjour", "hello"]
    kept = set(before["train_ids"].value) & set(after["train_ids"].value)
    assert len(kept) == 1  # bonjour's, the same completion
