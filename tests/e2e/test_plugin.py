"""The provider plugin (``pulumi-resource-chatcomp``) under the real engine, from a YAML program
(the official YAML language host) and from Python.

What only a plugin can give: truthful previews of what depends on a completion, ``pulumi
import`` on the command line, invokes (``fn::invoke``), explicit providers, no code in state,
and as many creates in flight as ``--parallel`` asks for.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench._common import InFlightProxy
from pulumi_chatcomp.core._names import TYPE_TOKEN as DYNAMIC_TOKEN
from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import (
    REPO,
    Engine,
    copy_project,
    export_state,
    plugin_section,
    resources_of,
    write_project,
)

KEY = "sk-e2e-plugin-0123456789abcdefghij"
TOKEN = "chatcomp:index:ChatCompletion"

# A completion, one whose prompt is built from its answer, and each function as fn::invoke.
YAML_PROGRAM = """
config:
  stage:
    type: string
    default: one
  prompt:
    type: string
    default: Name a colour.
resources:
  colour:
    type: chatcomp:index:ChatCompletion
    properties:
      model: gpt-4o-mini
      messages:
        - role: user
          content: ${prompt}
      maxCompletionTokens: 32
      metadata:
        stage: ${stage}
  description:
    type: chatcomp:index:ChatCompletion
    properties:
      model: gpt-4o-mini
      messages:
        - role: user
          content: Describe ${colour.content}
variables:
  listed:
    fn::invoke:
      function: chatcomp:index:getChatCompletions
      arguments:
        # Through the colour's own output, so the list is read once the colour exists.
        metadata:
          stage: ${colour.metadata.stage}
  stored:
    fn::invoke:
      function: chatcomp:index:getChatCompletion
      arguments:
        completionId: ${colour.id}
  prompt_stored:
    fn::invoke:
      function: chatcomp:index:getChatCompletionMessages
      arguments:
        completionId: ${colour.id}
outputs:
  colour: ${colour.id}
  content: ${colour.content}
  listed: ${listed.data}
  stored_content: ${stored.choices[0].message.content}
  stored_prompt: ${prompt_stored.data[0].content}
"""


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


def _yaml_project(directory: Path, program: str = YAML_PROGRAM) -> Path:
    directory.mkdir(parents=True)
    header = f"name: {directory.name}\nruntime: yaml\n{plugin_section()}"
    (directory / "Pulumi.yaml").write_text(header + textwrap.dedent(program))
    return directory


def _init(engine: Engine, project: Path, base_url: str, **config: str) -> None:
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", base_url, cwd=project)
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", KEY, cwd=project)
    for name, value in config.items():
        engine.cli("config", "set", name, value, cwd=project)


def _up(engine: Engine, project: Path, *args: str) -> str:
    done = engine.cli("up", "--yes", "--non-interactive", "--skip-preview", *args, cwd=project)
    return done.stdout + done.stderr


def _outputs(engine: Engine, project: Path) -> dict[str, Any]:
    shown = engine.cli("stack", "output", "--json", "--show-secrets", cwd=project)
    outputs: dict[str, Any] = json.loads(shown.stdout)
    return outputs


def _plan(engine: Engine, project: Path) -> tuple[dict[str, tuple[str, list[str]]], Any]:
    """``pulumi preview --json``: each changing resource's operation and what it replaces
    for (unchanged ones are only counted), and the count of each operation."""
    preview = json.loads(engine.cli("preview", "--json", "--non-interactive", cwd=project).stdout)
    steps = {
        step["urn"].rsplit("::", 1)[-1]: (step["op"], step.get("replaceReasons") or [])
        for step in preview["steps"]
    }
    return steps, preview["changeSummary"]


def _api(server: LocalServer, method: str, path: str = "", **kwargs: Any) -> httpx.Response:
    return httpx.request(
        method,
        f"{server.base_url}/chat/completions{path}",
        headers={"Authorization": f"Bearer {KEY}"},
        **kwargs,
    )


def _api_calls(server: LocalServer) -> dict[str, int]:
    return {k: v for k, v in server.admin.counters().items() if " /v1/" in k}


def _writes(server: LocalServer) -> dict[str, int]:
    return {k: v for k, v in _api_calls(server).items() if not k.startswith("GET ")}


def test_a_yaml_program_lives_through_preview_up_refresh_and_destroy(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = _yaml_project(tmp_path / "yaml-life")
    _init(engine, project, server.base_url)
    server.admin.reset_counters()
    assert _plan(engine, project)[0]["colour"][0] == "create"
    assert _writes(server) == {}  # a preview stores nothing (the invokes may read)

    text = _up(engine, project)
    assert "from $PATH" not in text
    outputs = _outputs(engine, project)
    colour = outputs["colour"]
    assert outputs["listed"][0]["id"] == colour
    assert outputs["stored_content"] == outputs["content"]
    assert outputs["stored_prompt"] == "Name a colour."
    assert _api(server, "GET", f"/{colour}").json()["metadata"]["stage"] == "one"

    # Out of band: the description is deleted; refresh drops it, the next up makes it again.
    description = next(
        r["id"]
        for r in resources_of(export_state(engine, project, "dev", show_secrets=False), TOKEN)
        if r["urn"].endswith("::description")
    )
    _api(server, "DELETE", f"/{description}").raise_for_status()
    refresh = engine.cli("refresh", "--yes", "--non-interactive", cwd=project)
    assert "1 deleted" in refresh.stdout
    assert "1 created" in _up(engine, project)

    destroy = engine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    assert "3 deleted" in destroy.stdout  # the stack, two completions
    assert _api(server, "GET", f"/{colour}").status_code == 404


def test_previews_tell_the_truth_about_what_depends_on_a_completion(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = _yaml_project(tmp_path / "yaml-preview")
    _init(engine, project, server.base_url)
    _up(engine, project)

    # A metadata-only edit updates the colour in place; its content stays known, so the
    # description, whose prompt is built from it, previews unchanged, as up then leaves it.
    engine.cli("config", "set", "stage", "two", cwd=project)
    server.admin.reset_counters()
    steps, counts = _plan(engine, project)
    assert steps["colour"] == ("update", [])
    assert "description" not in steps  # unchanged: only counted
    assert counts == {"same": 2, "update": 1}  # the stack and the description are the same
    assert _writes(server) == {}  # previews write nothing
    up = _up(engine, project)
    assert "1 updated" in up and "replaced" not in up

    # A prompt edit replaces the colour, and so the description whose prompt uses its answer.
    engine.cli("config", "set", "prompt", "Name a fruit.", cwd=project)
    steps, _ = _plan(engine, project)
    assert steps["colour"] == ("replace", ["messages"])
    assert steps["description"] == ("replace", ["messages"])


def test_the_cli_imports_a_stored_completion_and_prints_code_that_runs(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    body = {"model": "gpt-4o-mini", "store": True, "metadata": {"made": "by-a-script"}}
    body["messages"] = [{"role": "user", "content": "Adopt me."}]
    made = _api(server, "POST", json=body).json()
    project = _yaml_project(tmp_path / "yaml-import", "resources: {}\n")
    _init(engine, project, server.base_url)
    server.admin.reset_counters()

    printed = tmp_path / "imported.yaml"
    engine.cli(
        "import",
        TOKEN,
        "adopted",
        made["id"],
        "--yes",
        "--protect=false",
        "--out",
        str(printed),
        cwd=project,
    )
    code = printed.read_text()
    assert "type: chatcomp:ChatCompletion" in code  # YAML names it without the index module
    assert "Adopt me." in code and "gpt-4o-mini" in code
    assert "POST /v1/chat/completions" not in _api_calls(server)  # adopted, not created
    (resource,) = resources_of(export_state(engine, project, "dev", show_secrets=False), TOKEN)
    assert resource["id"] == made["id"]
    assert resource["outputs"]["content"] == made["choices"][0]["message"]["content"]
    assert resource["outputs"]["metadata"] == {"made": "by-a-script"}

    # The printed code, as the program (after the project's own header), changes nothing.
    header = (project / "Pulumi.yaml").read_text().split("resources: {}")[0]
    (project / "Pulumi.yaml").write_text(header + code)
    engine.cli("preview", "--expect-no-changes", "--non-interactive", cwd=project)

    destroy = engine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    assert "deleted" in destroy.stdout
    assert _api(server, "GET", f"/{made['id']}").status_code == 404


def test_two_explicit_providers_reach_two_servers_and_their_keys_stay_secret(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    other_key = "sk-e2e-plugin-other-0123456789abcd"
    with LocalServer(["--api-key", other_key]) as other:
        program = f"""
        resources:
          here:
            type: pulumi:providers:chatcomp
            properties:
              baseUrl: {server.base_url}
              apiKey:
                fn::secret: {KEY}
          there:
            type: pulumi:providers:chatcomp
            properties:
              baseUrl: {other.base_url}
              apiKey:
                fn::secret: {other_key}
          a:
            type: chatcomp:index:ChatCompletion
            properties:
              model: gpt-4o-mini
              messages: [{{role: user, content: Here.}}]
            options:
              provider: ${{here}}
          b:
            type: chatcomp:index:ChatCompletion
            properties:
              model: gpt-4o-mini
              messages: [{{role: user, content: There.}}]
            options:
              provider: ${{there}}
        outputs:
          a: ${{a.id}}
          b: ${{b.id}}
        """
        project = _yaml_project(tmp_path / "yaml-providers", program)
        engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
        _up(engine, project)
        outputs = _outputs(engine, project)
        assert _api(server, "GET", f"/{outputs['a']}").status_code == 200
        assert httpx.get(
            f"{other.base_url}/chat/completions/{outputs['b']}",
            headers={"Authorization": f"Bearer {other_key}"},
        ).is_success

        state = export_state(engine, project, "dev", show_secrets=False)
        for key in (KEY, other_key):
            assert key not in state  # ciphertext in the providers' state
        completions = resources_of(state, TOKEN)
        # No code in state, only data: nothing pickled, no provider blob.
        assert all("__provider" not in r["outputs"] for r in completions)
        assert KEY in export_state(engine, project, "dev", show_secrets=True)
        engine.cli("destroy", "--yes", "--non-interactive", cwd=project)


def test_bad_input_and_bad_settings_fail_with_a_clean_message(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    program = """
    resources:
      hot:
        type: chatcomp:index:ChatCompletion
        properties:
          model: gpt-4o-mini
          temperature: 3
          messages: [{role: user, content: Hi.}]
    """
    project = _yaml_project(tmp_path / "yaml-bad", program)
    _init(engine, project, server.base_url)
    preview = engine.cli("preview", "--non-interactive", cwd=project, check=False)
    text = preview.stdout + preview.stderr
    assert preview.returncode != 0
    assert "temperature must be between 0 and 2, got 3" in text
    assert "Traceback" not in text and "Unexpected" not in text

    engine.cli("config", "set", "chatcomp:timeout", "soon", cwd=project)
    preview = engine.cli("preview", "--non-interactive", cwd=project, check=False)
    text = preview.stdout + preview.stderr
    assert preview.returncode != 0
    assert "chatcomp:timeout must be a positive number of seconds, got 'soon'" in text
    assert "Traceback" not in text and KEY not in text


def test_an_api_error_during_create_is_the_message_alone(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    program = """
    resources:
      answer:
        type: chatcomp:index:ChatCompletion
        properties:
          model: gpt-4o-mini
          messages: [{role: user, content: Hi.}]
    """
    project = _yaml_project(tmp_path / "yaml-401", program)
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    wrong = "sk-wrong-plugin-0123456789abcdefgh"
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", wrong, cwd=project)
    up = engine.cli("up", "--yes", "--non-interactive", "--skip-preview", cwd=project, check=False)
    text = up.stdout + up.stderr
    assert up.returncode != 0
    assert re.search(r"POST /chat/completions failed with HTTP 401 .*request id req_", text)
    assert "Traceback" not in text and "Unexpected" not in text
    assert wrong not in text


def test_sixty_four_creates_are_in_flight_at_once(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    count = 64
    resources = "".join(
        f"  c{index}:\n    type: chatcomp:index:ChatCompletion\n    properties:\n"
        f"      model: gpt-4o-mini\n      messages: [{{role: user, content: Count {index}.}}]\n"
        for index in range(count)
    )
    project = _yaml_project(tmp_path / "yaml-parallel", "resources:\n" + resources)
    # The proxy holds each create until 64 are in flight (or some seconds pass), so the peak
    # it counts is what the plugin lets through, not how fast the engine sends them.
    with InFlightProxy(server.url, hold_until=count, hold_seconds=8) as proxy:
        _init(engine, project, proxy.base_url)
        _up(engine, project, "--parallel", str(count))
        assert len(proxy.spans) == count
        assert proxy.peak == count
        engine.cli("destroy", "--yes", "--non-interactive", "--parallel", "64", cwd=project)


def test_the_yaml_example_lists_only_its_current_completion_after_a_prompt_edit(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = copy_project(REPO / "examples" / "yaml", tmp_path / "yaml-edit")
    program = project / "Pulumi.yaml"
    # A project of its own (the engine's backend is shared), whose plugin is this venv's
    # rather than the checkout the example names as its package (see test_packages.py).
    text = program.read_text().replace("name: chatcomp-yaml", "name: yaml-edit")
    program.write_text(text.replace("packages:\n  chatcomp: ../..\n", ""))
    with program.open("a") as header:
        header.write(plugin_section())
    _init(engine, project, server.base_url)
    # The first up reads the list after the completion exists (its arguments wait for it).
    _up(engine, project)
    first = _outputs(engine, project)
    assert [completion["id"] for completion in first["listed"]] == [first["id"]]

    # A prompt edit replaces it; the old one still exists while the program reads the list.
    program.write_text(program.read_text().replace("about infrastructure", "about rivers"))
    assert "1 replaced" in _up(engine, project)
    second = _outputs(engine, project)
    assert second["id"] != first["id"]
    assert [completion["id"] for completion in second["listed"]] == [second["id"]]
    engine.cli("destroy", "--yes", "--non-interactive", cwd=project)


MOVING = """
import pulumi
import pulumi_chatcomp as chatcomp
from pulumi_chatcomp import native

config = pulumi.Config()
adopt = config.get("adopt")
face = native if adopt else chatcomp
opts = pulumi.ResourceOptions(import_=adopt) if adopt else None
poem = face.ChatCompletion(
    "poem",
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "A poem about moving house."}],
    metadata={"team": "platform"},
    opts=opts,
)
pulumi.export("id", poem.id)
pulumi.export("content", poem.content)
"""


def test_a_stack_moves_from_the_dynamic_face_to_the_plugin_keeping_its_completion(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    # The README's recipe: forget the dynamic resource, adopt its completion with the plugin.
    project = write_project(tmp_path / "moving", MOVING, name="moving")
    with (project / "Pulumi.yaml").open("a") as header:
        header.write(plugin_section())
    _init(engine, project, server.base_url)
    _up(engine, project)
    before = _outputs(engine, project)
    (dynamic,) = resources_of(
        export_state(engine, project, "dev", show_secrets=False), DYNAMIC_TOKEN
    )

    engine.cli("state", "delete", dynamic["urn"], "--yes", cwd=project)
    engine.cli("config", "set", "adopt", before["id"], cwd=project)
    server.admin.reset_counters()
    text = _up(engine, project)
    assert "1 imported" in text
    assert _writes(server) == {}  # adopted: nothing created, deleted or updated
    assert _outputs(engine, project) == before
    (adopted,) = resources_of(export_state(engine, project, "dev", show_secrets=False), TOKEN)
    assert adopted["id"] == before["id"]

    # From now on it is the plugin's: destroy deletes the completion.
    engine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    assert _api(server, "GET", f"/{before['id']}").status_code == 404
