"""Data sources under the real engine: the dataset example against the local server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi import automation as auto

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.harness import REPO, Engine, copy_project, write_project

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
    assert preview.change_summary == {"create": 4}
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
    assert "get_chat_completion: no stored completion 'chatcmpl-never-stored'" in text
    assert "store=false" in text
    assert KEY not in text
