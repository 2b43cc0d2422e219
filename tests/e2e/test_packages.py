"""A newcomer's route from a checkout to ``pulumi up``, in TypeScript, Go, YAML and Python, as
the README's "From any Pulumi language" writes it, and code from ``pulumi import --out`` that
runs as the whole program.

Each test runs its language's block of README commands, as written, in a copy of the working
tree (what a clone holds: no virtualenv, no SDK), with the local server as ``OPENAI_BASE_URL``
and its key as ``OPENAI_API_KEY`` (the README's ``export``). Nothing is pip-installed for the
TypeScript, Go and YAML programs: Pulumi installs the plugin from the checkout into the
checkout's own virtualenv. The tests one test worker runs share a checkout, as on one machine;
the workers run them side by side, each in a checkout of its own (one after the other on one
worker, they were what the whole run waited for). TypeScript and Go run on our test-only
hosts (scripts/engine), Python on our Python host, YAML on Pulumi's.
The test virtualenv's ``bin``, which holds a ``pulumi-resource-chatcomp``, stays on PATH (last),
so a warning about a plugin found there would show.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import REPO, Engine, another_machine

KEY = "sk-e2e-packages-0123456789abcdefghi"
TOKEN = "chatcomp:index:ChatCompletion"


def readme_steps(example: str) -> str:
    """The README's block of shell commands for ``examples/<example>``: the fenced ``bash``
    block that starts with ``cd examples/<example>``."""
    readme = (REPO / "README.md").read_text()
    for block in re.findall(r"^```bash\n(.*?)^```$", readme, flags=re.MULTILINE | re.DOTALL):
        if block.startswith(f"cd examples/{example}\n"):
            return str(block)
    raise AssertionError(f"the README has no ```bash block starting with cd examples/{example}")


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree's files, as a fresh clone holds them (git-ignored ones left out)."""
    folder = tmp_path_factory.mktemp("clone") / "pulumi-chatcomp"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a file deleted but not yet committed is listed too
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            target.chmod(source.stat().st_mode)
    return folder


@pytest.fixture(scope="module")
def machine(
    engine: Engine, server: LocalServer, tmp_path_factory: pytest.TempPathFactory
) -> Engine:
    """A machine of its own, nothing pip-installed, with the key exported for the local server."""
    fresh = another_machine(engine, tmp_path_factory.mktemp("machine"), plugin_on_path=True)
    fresh.env |= {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}
    return fresh


def _follow_the_readme(machine: Engine, checkout: Path, example: str) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", readme_steps(example)],
        cwd=checkout,
        env=machine.env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    text = done.stdout + done.stderr
    assert done.returncode == 0, text[-6000:]
    assert "from $PATH" not in text
    return text


def _outputs(machine: Engine, project: Path) -> dict[str, Any]:
    shown = machine.cli("stack", "output", "--json", cwd=project)
    outputs: dict[str, Any] = json.loads(shown.stdout)
    return outputs


def _stored(server: LocalServer, completion_id: str) -> httpx.Response:
    return httpx.get(
        f"{server.base_url}/chat/completions/{completion_id}",
        headers={"Authorization": f"Bearer {KEY}"},
    )


def _the_printed_import_is_the_program(
    machine: Engine, server: LocalServer, project: Path, program: str
) -> None:
    """In an emptied stack, ``pulumi import --out <program>`` adopts a completion made behind
    Pulumi's back and writes its code over the program; as printed, it previews no change."""
    machine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    body = {"model": "gpt-4o-mini", "store": True, "metadata": {"made": "by-a-script"}}
    body["messages"] = [{"role": "user", "content": "Adopt me."}]
    made = httpx.post(
        f"{server.base_url}/chat/completions",
        headers={"Authorization": f"Bearer {KEY}"},
        json=body,
    ).json()
    machine.cli(
        "import",
        TOKEN,
        "adopted",
        made["id"],
        "--yes",
        "--protect=false",
        "--out",
        program,
        cwd=project,
    )
    machine.cli("preview", "--expect-no-changes", "--non-interactive", cwd=project)
    machine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    assert _stored(server, made["id"]).status_code == 404


def test_typescript_from_package_add_to_up_and_import(
    machine: Engine, server: LocalServer, checkout: Path
) -> None:
    _follow_the_readme(machine, checkout, "typescript")
    project = checkout / "examples" / "typescript"
    # The SDK was generated into the project and compiled there, by npm's postinstall.
    assert (project / "sdks" / "chatcomp" / "bin" / "index.d.ts").is_file()
    outputs = _outputs(machine, project)
    assert outputs["id"].startswith("chatcmpl-") and outputs["content"]
    assert outputs["tokens"] > 0
    assert outputs["listed"] == [outputs["id"]]
    _the_printed_import_is_the_program(machine, server, project, "index.ts")


def test_go_from_package_add_to_up_and_import(
    machine: Engine, server: LocalServer, checkout: Path
) -> None:
    _follow_the_readme(machine, checkout, "go")
    project = checkout / "examples" / "go"
    assert "=> ./sdks/chatcomp" in (project / "go.mod").read_text()
    outputs = _outputs(machine, project)
    assert outputs["id"].startswith("chatcmpl-") and outputs["content"]
    _the_printed_import_is_the_program(machine, server, project, "main.go")


def test_yaml_with_the_package_in_pulumi_yaml(
    machine: Engine, server: LocalServer, checkout: Path
) -> None:
    _follow_the_readme(machine, checkout, "yaml")
    project = checkout / "examples" / "yaml"
    outputs = _outputs(machine, project)
    assert outputs["tokens"] > 0
    assert _stored(server, outputs["id"]).json()["metadata"]["owner"] == "examples"
    destroy = machine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    assert "deleted" in destroy.stdout
    assert _stored(server, outputs["id"]).status_code == 404


def test_python_with_the_package_in_its_virtualenv(
    machine: Engine, server: LocalServer, checkout: Path
) -> None:
    _follow_the_readme(machine, checkout, "python-plugin")
    project = checkout / "examples" / "python-plugin"
    outputs = _outputs(machine, project)
    assert outputs["colour"] and outputs["description"] and outputs["tokens"] > 0
    # `import pulumi_chatcomp_sdk as chatcomp`, the schema's name for the Python SDK, runs.
    _the_printed_import_is_the_program(machine, server, project, "__main__.py")
