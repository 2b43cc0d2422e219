"""Structured outputs under the real engine: ``parsed`` read as ``summary.parsed["title"]``
(both Python faces) and ``${summary.parsed.title}`` (YAML), and every way a strict
``json_schema`` answer can fail (the local server's ``structured_next`` faults), each failing
``pulumi up`` with one line while neither the server nor the state keeps the completion."""

from __future__ import annotations

import json
import re
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi import automation as auto

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import (
    FACES,
    PROGRAMS,
    Engine,
    Face,
    copy_project,
    export_state,
    plugin_section,
    resources_of,
)

KEY = "sk-e2e-structured-0123456789abcdefgh"
PLUGIN_TOKEN = "chatcomp:index:ChatCompletion"
SECRET_SIG = "4dabf18193072939515e22adb298388d"  # how the engine marks a secret in state

# Each fault, and what the one-line message says of it after the schema's name.
FAILURES = {
    "not_json": "the content is not JSON: Expecting value at line 1, column 1 (char 0). ",
    "schema_mismatch": "$.title is an integer, the schema wants type 'string' "
    "(schema at /properties/title/type). ",
    "cut_off": "the content was cut off at the token limit (finish_reason 'length'). ",
    "refusal": "the model refused to answer (the first choice has a refusal). ",
}
NEXT_STEP = {
    "not_json": "Run pulumi up to ask again.",
    "schema_mismatch": "Run pulumi up to ask again.",
    "cut_off": "Raise max_completion_tokens, then run pulumi up again.",
    "refusal": "Rephrase the prompt, then run pulumi up again.",
}
HEAD = "the answer does not follow response_format.json_schema 'summary' (strict): "


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_faults_left(server: LocalServer) -> Iterator[None]:
    server.admin.reset_faults()
    yield
    server.admin.reset_faults()


@pytest.fixture(params=FACES, ids=[face.name for face in FACES])
def face(request: pytest.FixtureRequest) -> Face:
    chosen: Face = request.param
    return chosen


@pytest.fixture
def run() -> str:
    """The metadata tag of this test's completions, to find them on the shared server."""
    return uuid.uuid4().hex


@pytest.fixture
def stack(engine: Engine, server: LocalServer, face: Face, run: str, tmp_path: Path) -> auto.Stack:
    project = face.prepare(copy_project(PROGRAMS / "structured", tmp_path / "structured"))
    return engine.stack(
        project,
        config={"chatcomp:baseUrl": server.base_url, "face": face.name, "run": run},
        secrets={"chatcomp:apiKey": KEY},
    )


def _api(server: LocalServer, method: str, path: str = "", **kwargs: Any) -> httpx.Response:
    return httpx.request(
        method,
        f"{server.base_url}/chat/completions{path}",
        headers={"Authorization": f"Bearer {KEY}"},
        **kwargs,
    )


def _stored_ids(server: LocalServer, run: str) -> list[str]:
    """The completions the server holds for this test's run."""
    found = _api(server, "GET", params={"metadata[run]": run, "limit": 100}).json()
    return [completion["id"] for completion in found["data"]]


def _deletes(server: LocalServer) -> int:
    return server.admin.counters().get("DELETE /v1/chat/completions/{id}", 0)


def _check_failure(text: str, mode: str, server: LocalServer, run: str, deletes: int) -> None:
    """The failed ``up``'s output says why in one line; nothing is left on the server."""
    lines = [line for line in text.splitlines() if HEAD in line]
    assert lines, text
    for line in lines:
        message = line[line.index(HEAD) :].strip()
        match = re.fullmatch(
            re.escape(HEAD + FAILURES[mode])
            + r"The stored completion (chatcmpl-\w+) was deleted; the stack's state is unchanged\. "
            + re.escape(NEXT_STEP[mode]),
            message,
        )
        assert match, message
        assert _api(server, "GET", f"/{match[1]}").status_code == 404
    assert "Traceback" not in text
    assert KEY not in text
    assert _stored_ids(server, run) == []
    assert _deletes(server) == deletes + 1


# -- both Python faces -----------------------------------------------------------------------


def test_parsed_is_readable_as_a_mapping_and_from_the_data_sources(
    stack: auto.Stack, server: LocalServer, engine: Engine, face: Face, run: str
) -> None:
    up = stack.up()
    outputs = {name: output.value for name, output in up.outputs.items()}
    parsed = json.loads(outputs["content"])
    assert outputs["parsed"] == parsed
    assert outputs["title"] == parsed["title"] and isinstance(outputs["title"], str)
    assert outputs["stored_title"] == parsed["title"]
    assert outputs["listed_titles"] == [parsed["title"]]
    assert outputs["stored_has_parsed"] is True
    assert _stored_ids(server, run) == [outputs["id"]]

    state = export_state(engine, Path(stack.workspace.work_dir), stack.name, show_secrets=False)
    (resource,) = resources_of(state, face.type_token)
    # One copy of the decoded answer, as an output: not an input, not inside `choices`.
    assert resource["outputs"]["parsed"] == parsed
    assert "parsed" not in resource.get("inputs", {})
    assert "choices" not in resource["outputs"]
    assert json.dumps(resource).count('"parsed"') == 1


def test_secret_outputs_encrypt_parsed(stack: auto.Stack, engine: Engine, face: Face) -> None:
    stack.set_config("secretOutputs", auto.ConfigValue("true"))
    up = stack.up()
    assert up.outputs["title"].secret and up.outputs["parsed"].secret
    state = export_state(engine, Path(stack.workspace.work_dir), stack.name, show_secrets=False)
    (resource,) = resources_of(state, face.type_token)
    assert set(resource["outputs"]["parsed"]) == {SECRET_SIG, "ciphertext"}


def test_a_text_completion_has_no_parsed(stack: auto.Stack, engine: Engine, face: Face) -> None:
    stack.set_config("format", auto.ConfigValue("text"))
    up = stack.up()
    assert up.outputs["stored_has_parsed"].value is False
    state = export_state(engine, Path(stack.workspace.work_dir), stack.name, show_secrets=False)
    (resource,) = resources_of(state, face.type_token)
    assert "parsed" not in resource["outputs"]


@pytest.mark.parametrize("mode", list(FAILURES))
def test_each_failure_fails_up_in_one_line_and_leaves_nothing(
    stack: auto.Stack,
    server: LocalServer,
    engine: Engine,
    face: Face,
    run: str,
    mode: str,
) -> None:
    server.admin.set_faults(structured_next=[mode])
    deletes = _deletes(server)
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    _check_failure(str(failed.value), mode, server, run, deletes)
    assert server.admin.faults()["structured_next"] == []  # the create did ask once
    state = export_state(engine, Path(stack.workspace.work_dir), stack.name, show_secrets=False)
    assert resources_of(state, face.type_token) == []


# -- YAML --------------------------------------------------------------------------------------

# `parsed` is plain JSON (Any): YAML reads into it with `.title` (pulumi-language-yaml
# v1.30.1 or newer, pulumi/pulumi-yaml#974) or `["title"]` (any version).
YAML_PROGRAM = """
config:
  run:
    type: string
resources:
  summary:
    type: chatcomp:index:ChatCompletion
    properties:
      model: gpt-4o-mini
      messages:
        - role: user
          content: Summarise the weather as a title and tags.
      metadata:
        run: ${run}
      responseFormat:
        type: json_schema
        jsonSchema:
          name: summary
          strict: true
          schema:
            type: object
            properties:
              title:
                type: string
              tags:
                type: array
                items:
                  type: string
            required: [title, tags]
            additionalProperties: false
variables:
  stored:
    fn::invoke:
      function: chatcomp:index:getChatCompletion
      arguments:
        completionId: ${summary.id}
  listed:
    fn::invoke:
      function: chatcomp:index:getChatCompletions
      arguments:
        metadata:
          run: ${summary.metadata.run}
outputs:
  content: ${summary.content}
  title: ${summary.parsed.title}
  tags: ${summary.parsed["tags"]}
  stored_title: ${stored.parsed.title}
  listed_title: ${listed.data[0].parsed.title}
"""


def _yaml_project(engine: Engine, server: LocalServer, directory: Path, run: str) -> Path:
    directory.mkdir(parents=True)
    header = f"name: {directory.name}\nruntime: yaml\n{plugin_section()}"
    (directory / "Pulumi.yaml").write_text(header + textwrap.dedent(YAML_PROGRAM))
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=directory)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=directory)
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", KEY, cwd=directory)
    engine.cli("config", "set", "run", run, cwd=directory)
    return directory


def _up(engine: Engine, project: Path, *, check: bool = True) -> str:
    args = ("up", "--yes", "--non-interactive", "--skip-preview")
    done = engine.cli(*args, cwd=project, check=check)
    return done.stdout + done.stderr


def test_yaml_reads_parsed_and_asks_again_after_a_failure(
    engine: Engine, server: LocalServer, run: str, tmp_path: Path
) -> None:
    project = _yaml_project(engine, server, tmp_path / "yaml-structured", run)
    server.admin.set_faults(structured_next=["refusal"])
    deletes = _deletes(server)
    _check_failure(_up(engine, project, check=False), "refusal", server, run, deletes)

    _up(engine, project)  # the fault is used up: asking again gets an answer
    shown = engine.cli("stack", "output", "--json", "--show-secrets", cwd=project).stdout
    outputs = json.loads(shown)
    parsed = json.loads(outputs["content"])
    assert outputs["title"] == outputs["stored_title"] == outputs["listed_title"] == parsed["title"]
    assert outputs["tags"] == parsed["tags"]
    assert len(_stored_ids(server, run)) == 1


@pytest.mark.parametrize("mode", list(FAILURES))
def test_yaml_fails_up_in_one_line_and_leaves_nothing(
    engine: Engine, server: LocalServer, run: str, tmp_path: Path, mode: str
) -> None:
    project = _yaml_project(engine, server, tmp_path / f"yaml-{mode}", run)
    server.admin.set_faults(structured_next=[mode])
    deletes = _deletes(server)
    _check_failure(_up(engine, project, check=False), mode, server, run, deletes)
    state = export_state(engine, project, "dev", show_secrets=False)
    assert resources_of(state, PLUGIN_TOKEN) == []
