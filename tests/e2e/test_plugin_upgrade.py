"""A stack the provider plugin made before its schema was camelCase, upgraded in place.

The old plugin is the real one: ``pulumi_chatcomp`` as it was at ``OLD_PLUGIN_COMMIT`` (the
last commit whose schema named properties in snake_case), taken from this repository's
history with ``git archive`` and run from the test's virtual environment. It creates the
stack, so the state holds its snake_case inputs and outputs. Then the project switches to
this checkout's plugin and the program to the new names, as a user's upgrade does: the
preview shows no change and calls no API, an update (a metadata edit) works on the old
state, refresh rewrites it in the new names, and destroy deletes what the old plugin made.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import REPO, VENV_BIN, Engine, export_state, resources_of

KEY = "sk-e2e-upgrade-0123456789abcdefghij"

OLD_PLUGIN_COMMIT = "c3e041d6a710a50470aa012c5b49293a25fb2d5e"
"""The last commit whose plugin wrote snake_case state (its schema's names)."""

# The same stack, written for each plugin. User data in both styles: metadata keys and a
# JSON schema's property names are never renamed.
OLD_PROGRAM = """
config:
  stage:
    type: string
    default: one
resources:
  colour:
    type: chatcomp:index:ChatCompletion
    properties:
      model: gpt-4o-mini
      messages:
        - role: user
          content: Name a colour.
      max_completion_tokens: 32
      metadata:
        stage: ${stage}
        owner_team: ml
        ownerTeam: ml
      response_format:
        type: json_schema
        json_schema:
          name: colour
          schema:
            type: object
            properties:
              colour_name:
                type: string
            required: [colour_name]
            additionalProperties: false
  description:
    type: chatcomp:index:ChatCompletion
    properties:
      model: gpt-4o-mini
      messages:
        - role: user
          content: Describe ${colour.content}
outputs:
  colour: ${colour.id}
  content: ${colour.content}
"""
NEW_PROGRAM = (
    OLD_PROGRAM.replace("max_completion_tokens:", "maxCompletionTokens:")
    .replace("response_format:", "responseFormat:")
    .replace("json_schema:\n", "jsonSchema:\n")
)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


@pytest.fixture(scope="module")
def old_plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``pulumi-resource-chatcomp`` that serves the plugin of
    ``OLD_PLUGIN_COMMIT`` (its source ahead of this checkout's on ``PYTHONPATH``)."""
    archived = subprocess.run(
        ["git", "-C", str(REPO), "archive", OLD_PLUGIN_COMMIT, "pulumi_chatcomp"],
        capture_output=True,
        check=False,
    )
    assert archived.returncode == 0, (
        f"this test needs commit {OLD_PLUGIN_COMMIT} of the repository's history (a full "
        f"clone): {archived.stderr.decode()[-500:]}"
    )
    source = tmp_path_factory.mktemp("old-plugin-source")
    with tarfile.open(fileobj=io.BytesIO(archived.stdout)) as archive:
        archive.extractall(source, filter="data")
    folder = tmp_path_factory.mktemp("old-plugin")
    plugin = folder / "pulumi-resource-chatcomp"
    plugin.write_text(
        f'#!/bin/sh\nPYTHONPATH="{source}" exec "{sys.executable}" -m pulumi_chatcomp.plugin "$@"\n'
    )
    plugin.chmod(0o755)
    return folder


def _project(directory: Path, program: str, plugin: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    header = (
        f"name: upgrade\nruntime: yaml\n"
        f"plugins:\n  providers:\n    - name: chatcomp\n      path: {plugin}\n"
    )
    (directory / "Pulumi.yaml").write_text(header + textwrap.dedent(program))
    return directory


def _completions(engine: Engine, project: Path) -> dict[str, dict[str, Any]]:
    state = export_state(engine, project, "dev", show_secrets=True)
    return {r["urn"].rsplit("::", 1)[-1]: r for r in resources_of(state, PLUGIN_TYPE_TOKEN)}


def _writes(server: LocalServer) -> dict[str, int]:
    counters = server.admin.counters().items()
    return {k: v for k, v in counters if " /v1/" in k and not k.startswith("GET ")}


def _stored(server: LocalServer, completion_id: str) -> httpx.Response:
    return httpx.get(
        f"{server.base_url}/chat/completions/{completion_id}",
        headers={"Authorization": f"Bearer {KEY}"},
    )


def test_a_stack_of_the_snake_case_plugin_upgrades_with_no_change(
    engine: Engine, server: LocalServer, old_plugin: Path, tmp_path: Path
) -> None:
    project = _project(tmp_path / "upgrade", OLD_PROGRAM, old_plugin)
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", KEY, cwd=project)
    engine.cli("up", "--yes", "--non-interactive", "--skip-preview", cwd=project)
    before = _completions(engine, project)
    colour = before["colour"]
    # The old plugin's state: the API's names, inputs and outputs.
    assert colour["inputs"]["max_completion_tokens"] == 32
    assert {"finish_reason", "response_model", "response_format"} <= set(colour["outputs"])
    assert "total_tokens" in colour["outputs"]["usage"]

    # The upgrade: this checkout's plugin, the program in the new names.
    _project(project, NEW_PROGRAM, VENV_BIN)
    server.admin.reset_counters()
    preview = json.loads(engine.cli("preview", "--json", "--non-interactive", cwd=project).stdout)
    assert preview["changeSummary"] == {"same": 3}  # the stack and both completions
    assert _writes(server) == {}
    engine.cli("preview", "--expect-no-changes", "--non-interactive", cwd=project)

    # An update (metadata only) of the old state: in place, nothing replaced.
    engine.cli("config", "set", "stage", "two", cwd=project)
    up = engine.cli("up", "--yes", "--non-interactive", "--skip-preview", cwd=project)
    assert "1 updated" in up.stdout and "replaced" not in up.stdout
    stored = _stored(server, colour["id"]).json()["metadata"]
    assert stored.items() >= {"stage": "two", "owner_team": "ml", "ownerTeam": "ml"}.items()
    updated = _completions(engine, project)["colour"]
    assert updated["id"] == colour["id"]
    assert updated["outputs"]["finishReason"] == colour["outputs"]["finish_reason"]
    assert "finish_reason" not in updated["outputs"]

    # Refresh reads the rest (the description, still in the old names) and writes the new.
    engine.cli("refresh", "--yes", "--non-interactive", cwd=project)
    after = _completions(engine, project)
    assert {name: r["id"] for name, r in after.items()} == {n: r["id"] for n, r in before.items()}
    for resource in after.values():
        names = {*resource["inputs"], *resource["outputs"]}
        assert "maxCompletionTokens" in names or resource["urn"].endswith("::description")
        assert not {"finish_reason", "response_model", "max_completion_tokens"} & names
        assert "totalTokens" in resource["outputs"]["usage"]
    refreshed = after["colour"]["outputs"]
    assert refreshed["metadata"] == {"stage": "two", "owner_team": "ml", "ownerTeam": "ml"}
    schema = refreshed["responseFormat"]["jsonSchema"]["schema"]
    assert schema["required"] == ["colour_name"] and "colour_name" in schema["properties"]
    engine.cli("preview", "--expect-no-changes", "--non-interactive", cwd=project)

    destroy = engine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    assert "3 deleted" in destroy.stdout
    for resource in before.values():
        assert _stored(server, resource["id"]).status_code == 404
