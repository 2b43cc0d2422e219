"""The ``chatcomp`` commands that work with the engine: ``import-file`` for ``pulumi import
--file``, ``report`` of a stack, and a stack that is not there. (``recover`` is tested with
the hard interrupt it repairs, in test_reliability.py.)"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import openai
import pytest
import yaml

from pulumi_chatcomp.cli._stacks import reveal
from pulumi_chatcomp.plugin._casing import api_state
from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import VENV_BIN, Engine, plugin_section, write_project

KEY = "sk-e2e-cli-0123456789abcdefghijklmn"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


def chatcomp(
    engine: Engine, *args: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "chatcomp"), *args],
        cwd=cwd,
        env={**engine.env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _made_by_a_script(server: LocalServer, batch: str, count: int) -> list[str]:
    """Completions made outside Pulumi, by the official SDK; slugs repeat to test naming."""
    client = openai.OpenAI(api_key=KEY, base_url=server.base_url)
    made = [
        client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": f"Greeting number {index}."}],
            store=True,
            metadata={"batch": batch, "slug": f"Greeting #{index % 10}"},
        ).id
        for index in range(count)
    ]
    client.close()
    return made


def _stored(server: LocalServer, batch: str) -> set[str]:
    client = openai.OpenAI(api_key=KEY, base_url=server.base_url)
    found = {c.id for c in client.chat.completions.list(metadata={"batch": batch}, limit=100)}
    client.close()
    return found


def test_import_file_adopts_twenty_completions_in_one_pulumi_import(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    batch = uuid.uuid4().hex[:8]
    made = _made_by_a_script(server, batch, 20)
    project = tmp_path / "adopt"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        f"name: adopt\nruntime: yaml\n{plugin_section()}resources: {{}}\n"
    )
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", KEY, cwd=project)

    paired = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}
    done = chatcomp(
        engine,
        "import-file",
        "--metadata",
        f"batch={batch}",
        "--name-key",
        "slug",
        "--output",
        "import.json",
        cwd=project,
        env=paired,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "chatcomp import-file: 20 completions\n"
    entries = json.loads((project / "import.json").read_text())["resources"]
    assert sorted(entry["id"] for entry in entries) == sorted(made)
    names = [entry["name"] for entry in entries]
    assert len(set(names)) == 20 and "Greeting-3" in names and "Greeting-3-2" in names
    assert {entry["type"] for entry in entries} == {"chatcomp:index:ChatCompletion"}

    imported = engine.cli(
        "import",
        "--file",
        "import.json",
        "--yes",
        "--protect=false",
        "--non-interactive",
        "--out",
        "imported.yaml",
        cwd=project,
    )
    assert "20 imported" in imported.stdout
    # Declare them with the code pulumi printed: then nothing is left to change.
    program: dict[str, Any] = yaml.safe_load((project / "Pulumi.yaml").read_text())
    program["resources"] = yaml.safe_load((project / "imported.yaml").read_text())["resources"]
    (project / "Pulumi.yaml").write_text(yaml.safe_dump(program))
    engine.cli("preview", "--expect-no-changes", "--non-interactive", cwd=project)
    up = engine.cli("up", "--yes", "--skip-preview", "--expect-no-changes", cwd=project)
    assert "21 unchanged" in up.stdout  # the stack and the twenty

    engine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    assert _stored(server, batch) == set()


def test_a_stack_that_is_not_there_is_one_line(engine: Engine, tmp_path: Path) -> None:
    project = tmp_path / "empty"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: empty\nruntime: yaml\n")
    done = chatcomp(engine, "recover", "--stack", "nope", cwd=project)
    assert done.returncode == 1
    assert done.stderr.startswith("chatcomp recover: --stack 'nope': pulumi stack export failed:")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


SPENDING = """
import pulumi
import pulumi_chatcomp as chatcomp
from pulumi_chatcomp import native

for index, face in enumerate([chatcomp, chatcomp, native]):
    face.ChatCompletion(
        f"c{index}",
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"What does question {index} cost?"}],
        metadata={"team": "ml" if index else "web"},
        secret_outputs=face is chatcomp and index == 1,
    )
"""


def test_report_of_a_stack_counts_both_faces_from_its_state(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    from pulumi_chatcomp.core._prices import DEFAULT_PRICES

    project = write_project(tmp_path / "spending", SPENDING, name="spending")
    with (project / "Pulumi.yaml").open("a") as header:
        header.write(plugin_section())
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", KEY, cwd=project)
    engine.cli("up", "--yes", "--skip-preview", cwd=project)

    state = json.loads(engine.cli("stack", "export", "--show-secrets", cwd=project).stdout)
    # The plugin's completion has its schema's names (promptTokens), the dynamic ones the API's.
    usages = [
        api_state(reveal(r))["outputs"]["usage"]
        for r in state["deployment"]["resources"]
        if "ChatCompletion" in r["type"]
    ]
    assert len(usages) == 3
    resources = state["deployment"]["resources"]
    assert any("promptTokens" in reveal(r.get("outputs", {})).get("usage", {}) for r in resources)
    done = chatcomp(engine, "report", "--stack", "dev", "--json", cwd=project)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    prompt = sum(u["prompt_tokens"] for u in usages)
    completion = sum(u["completion_tokens"] for u in usages)
    assert report["source"] == {"stack": "dev"}
    assert (report["total"]["completions"], report["total"]["prompt_tokens"]) == (3, prompt)
    assert report["total"]["cost_usd"] == pytest.approx(
        DEFAULT_PRICES["gpt-4o-mini"].cost(prompt, completion), abs=1e-6
    )
    assert {v: t["completions"] for v, t in report["by_metadata"]["team"].items()} == {
        "ml": 2,
        "web": 1,
    }
    text = chatcomp(engine, "report", "--stack", "dev", cwd=project).stdout
    assert text.startswith("stack dev: 3 completions,")
    engine.cli("destroy", "--yes", "--non-interactive", cwd=project)
