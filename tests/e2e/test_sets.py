"""ChatCompletionSet under the real engine: a YAML program's set through preview, up, an edit
of a few items, refresh after out-of-band changes, a partial failure and its retry, and
destroy; a Python program's (``native.ChatCompletionSet``) with items from a JSON Lines file.

Every item's completion is on the local server; the tests count what the server saw, so
"exactly these items were made" is the server's word, not the state's.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import VENV_BIN, Engine, plugin_section
from tests.e2e.projects import kill_between_saves, processes_under, running

SET = "chatcomp:index:ChatCompletionSet"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def _item(key: str, question: str, extra: str = "") -> str:
    return (
        f"        {key}:\n          messages:\n            - role: user\n"
        f"              content: {question}\n{extra}"
    )


def _program(items: str, dataset: str) -> str:
    return (
        textwrap.dedent(
            f"""
        resources:
          evals:
            type: chatcomp:index:ChatCompletionSet
            properties:
              model: gpt-4o-mini
              messages:
                - role: developer
                  content: Answer briefly.
              metadata:
                dataset: {dataset}
              items:
        """
        )
        + items
        + textwrap.dedent(
            """
        outputs:
          results: ${evals.results}
          count: ${evals.count}
          usage: ${evals.usage}
        """
        )
    )


class SetProject:
    """A YAML project whose one resource is the set ``evals``, and its stack."""

    def __init__(self, engine: Engine, directory: Path, server: LocalServer) -> None:
        self.engine = engine
        self.dir = directory
        self.server = server
        self.dataset = directory.parent.name[-30:]
        """The metadata every item of this project's set carries: its completions, apart."""
        directory.mkdir(parents=True)
        self.write("")
        engine.cli("stack", "init", "dev", "--non-interactive", cwd=directory)
        engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=directory)

    def write(self, items: str) -> None:
        header = f"name: {self.dataset}-set\nruntime: yaml\n{plugin_section()}"
        (self.dir / "Pulumi.yaml").write_text(header + _program(items, self.dataset))

    def cli(self, *args: str, check: bool = True) -> str:
        done = self.engine.cli(*args, "--non-interactive", cwd=self.dir, check=check)
        return done.stdout + done.stderr

    def up(self, check: bool = True) -> str:
        return self.cli("up", "--yes", "--skip-preview", check=check)

    def outputs(self) -> dict[str, Any]:
        outputs: dict[str, Any] = json.loads(self.cli("stack", "output", "--json"))
        return outputs

    def state(self) -> dict[str, Any]:
        deployment = json.loads(self.cli("stack", "export"))["deployment"]
        (found,) = [r for r in deployment["resources"] if r["type"] == SET]
        resource: dict[str, Any] = found
        return resource

    def stored(self) -> dict[str, dict[str, Any]]:
        """The set's completions on the server, by id."""
        response = httpx.get(
            f"{self.server.base_url}/chat/completions",
            params={"metadata[dataset]": self.dataset, "limit": 100},
        )
        response.raise_for_status()
        return {c["id"]: c for c in response.json()["data"]}

    def calls(self) -> dict[str, int]:
        return {k: v for k, v in self.server.admin.counters().items() if " /v1/" in k}


THREE = (
    _item("q-0001", "Where is my order?")
    + _item("q-0002", "How do I return an item?")
    + (_item("q-0003", "Do you ship abroad?"))
)


def test_a_set_lives_through_preview_up_an_edit_refresh_and_destroy(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = SetProject(engine, tmp_path / "life", server)
    project.write(THREE)
    server.admin.reset_counters()
    project.cli("preview")
    assert project.calls() == {}  # a preview calls no API

    assert "3 of 3 items created" in project.up()
    results = project.outputs()["results"]
    assert sorted(results) == ["q-0001", "q-0002", "q-0003"]
    assert set(project.stored()) == {r["id"] for r in results.values()}
    assert project.outputs()["count"] == 3
    assert project.outputs()["usage"]["totalTokens"] == sum(
        r["usage"]["totalTokens"] for r in results.values()
    )
    # State keeps what users read, not the items' inputs twice.
    outputs = project.state()["outputs"]
    assert set(outputs) == {"results", "count", "usage", "tag"}
    assert "messages" not in json.dumps(outputs["results"])

    # Unchanged: the preview and the up call no API.
    server.admin.reset_counters()
    project.cli("preview", "--expect-no-changes")
    project.cli("up", "--yes", "--skip-preview", "--expect-no-changes")
    assert project.calls() == {}

    # An edit: q-0001's metadata (in place), q-0002's prompt (made again), q-0003 gone,
    # q-0004 new.
    project.write(
        _item("q-0001", "Where is my order?", "          metadata:\n            split: test\n")
        + _item("q-0002", "How do I return a broken item?")
        + _item("q-0004", "Can I pay later?")
    )
    preview = project.cli("preview", "--diff")
    assert "q-0004" in preview and "q-0003" in preview
    assert (
        "items: 1 to create (q-0004), 1 to make again (q-0002), 1 to update (q-0001),"
        " 1 to delete (q-0003)" in preview
    )
    server.admin.reset_counters()
    project.up()
    calls = project.calls()
    assert calls.get("POST /v1/chat/completions") == 2  # q-0002 again, q-0004
    assert calls.get("DELETE /v1/chat/completions/{id}") == 2  # the old q-0002, q-0003
    assert calls.get("POST /v1/chat/completions/{id}") == 1  # q-0001's metadata
    after = project.outputs()["results"]
    assert after["q-0001"]["id"] == results["q-0001"]["id"]
    assert after["q-0002"]["id"] != results["q-0002"]["id"]
    assert set(project.stored()) == {r["id"] for r in after.values()}
    assert project.stored()[after["q-0001"]["id"]]["metadata"]["split"] == "test"

    # Out of band: q-0004 deleted, q-0001's metadata replaced (which drops the set's tag).
    httpx.delete(f"{server.base_url}/chat/completions/{after['q-0004']['id']}")
    httpx.post(
        f"{server.base_url}/chat/completions/{after['q-0001']['id']}",
        json={"metadata": {"dataset": project.dataset, "split": "train"}},
    )
    server.admin.reset_counters()
    project.cli("refresh", "--yes", "--skip-preview")
    assert project.calls().get("GET /v1/chat/completions", 0) == 1  # one list, not one per item
    assert "items: 1 to create (q-0004), 1 to update (q-0001), 1 unchanged" in project.cli(
        "preview"
    )
    project.up()
    final = project.outputs()["results"]
    assert set(project.stored()) == {r["id"] for r in final.values()}  # no orphan
    assert project.stored()[final["q-0001"]["id"]]["metadata"]["split"] == "test"

    project.cli("destroy", "--yes", "--skip-preview")
    assert project.stored() == {}


def test_items_that_fail_leave_the_others_kept_and_the_next_up_retries_only_them(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    """One item holds its answer to a strict JSON schema; the server's answer breaks it.
    The other items are kept in state (a partial state), the error names the failed key,
    and the next up makes only that one."""
    strict = textwrap.indent(
        textwrap.dedent(
            """\
            responseFormat:
              type: json_schema
              jsonSchema:
                name: answer
                strict: true
                schema:
                  type: object
                  properties: {answer: {type: string}}
                  required: [answer]
                  additionalProperties: false
            """
        ),
        "          ",
    )
    project = SetProject(engine, tmp_path / "partial", server)
    project.write(THREE + _item("q-json", "Answer as JSON.", strict))
    server.admin.set_faults(structured_next=["not_json"])
    try:
        failed = project.up(check=False)
    finally:
        server.admin.reset_faults()
    assert 'items["q-json"]' in failed and "1 item of the set failed" in failed
    assert "Traceback" not in failed
    kept = project.state()["outputs"]["results"]
    assert sorted(kept) == ["q-0001", "q-0002", "q-0003"]
    assert set(project.stored()) == {r["id"] for r in kept.values()}  # the bad one deleted

    server.admin.reset_counters()
    project.up()
    assert project.calls().get("POST /v1/chat/completions") == 1  # only q-json
    final = project.outputs()["results"]
    assert final["q-json"]["parsed"] == json.loads(final["q-json"]["content"])
    assert {k: final[k]["id"] for k in kept} == {k: v["id"] for k, v in kept.items()}
    project.cli("destroy", "--yes", "--skip-preview")


def test_a_killed_up_of_a_set_is_settled_by_the_next_up_with_no_duplicate(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    """`pulumi` killed outright while a set's items are being made: the plugin exits by
    itself, `chatcomp recover` removes the stale lock and says the set is the next up's,
    and that up finds what the killed one stored by the set's tag (one completion per
    item, none made twice, no orphan), and settles the pending create."""
    count = 60
    project = SetProject(engine, tmp_path / "killed", server)
    items = "".join(_item(f"k-{index:03d}", f"Question {index}?") for index in range(count))
    project.write(items)
    program = (project.dir / "Pulumi.yaml").read_text()
    (project.dir / "Pulumi.yaml").write_text(
        program.replace("      items:\n", "      maxConcurrency: 4\n      items:\n", 1)
    )
    server.admin.set_faults(latency=0.5)
    try:
        up = subprocess.Popen(
            [str(engine.bin_dir / "pulumi"), "up", "--yes", "--skip-preview"],
            cwd=project.dir,
            env=engine.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(project.stored()) < 8:
            assert time.monotonic() < deadline, "no item was stored"
            time.sleep(0.1)
        plugins = [p for p, c in processes_under(up.pid) if "pulumi-resource-chatcomp" in c]
        kill_between_saves(up, engine.backend)
        up.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(running(pid) for pid in plugins):
            assert time.monotonic() < deadline, "the plugin outlived the engine"
            time.sleep(0.1)
        # The creates in flight are stored all the same, as the API does.
        server.admin.wait_until_idle()
    finally:
        server.admin.reset_faults()
    stored_before = set(project.stored())
    assert 8 <= len(stored_before) < count

    done = subprocess.run(
        [str(VENV_BIN / "chatcomp"), "recover", "--stack", "dev"],
        cwd=project.dir,
        env=engine.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "removed the lock the killed pulumi left" in done.stdout
    assert "left pending evals: a ChatCompletionSet: run pulumi up" in done.stdout

    server.admin.reset_counters()
    project.up()
    results = project.outputs()["results"]
    assert len(results) == count
    assert set(project.stored()) == {r["id"] for r in results.values()}  # none twice, no orphan
    assert stored_before <= set(project.stored())  # what the killed run stored, kept
    assert project.calls()["POST /v1/chat/completions"] == count - len(stored_before)

    # That up settled the pending create too: nothing is left to recover.
    assert not json.loads(project.cli("stack", "export"))["deployment"].get("pending_operations")
    project.cli("destroy", "--yes", "--skip-preview")


def test_the_cli_imports_a_dataset_by_a_selector_and_prints_code_that_changes_nothing(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    """Completions a script stored (with the official SDK), keyed by their ``item``
    metadata: `pulumi import` adopts them as one set without making any, prints a program
    whose `up` plans nothing, refreshes by the selector, and destroy deletes them."""
    project = SetProject(engine, tmp_path / "adopt", server)
    project.write("")
    program = (project.dir / "Pulumi.yaml").read_text()
    header = program.split("resources:")[0]
    (project.dir / "Pulumi.yaml").write_text(header + "resources: {}\n")
    sdk = openai.OpenAI(api_key="sk-unused-by-the-local-server", base_url=server.base_url)
    made = {
        key: sdk.chat.completions.create(
            model="gpt-4o-mini",
            store=True,
            metadata={"dataset": project.dataset, "item": key},
            messages=[
                {"role": "system", "content": "Answer in one word."},
                {"role": "user", "content": question},
            ],
        ).id
        for key, question in (("q1", "Capital of France?"), ("q2", "Capital of Peru?"))
    }
    refused = project.cli("import", SET, "evals", "dataset=evals", "--yes", check=False)
    assert "is not a selector" in refused and "<key name>:<name>=<value>" in refused
    assert "Traceback" not in refused
    server.admin.reset_counters()
    printed = tmp_path / "imported.yaml"
    selector = f"item:dataset={project.dataset}"
    project.cli("import", SET, "evals", selector, "--yes", "--protect=false", "--out", str(printed))
    assert project.calls().get("POST /v1/chat/completions", 0) == 0  # adopted, not made
    code = printed.read_text()
    assert "type: chatcomp:ChatCompletionSet" in code
    assert "Capital of Peru?" in code and "Answer in one word." in code
    state = project.state()
    assert state["id"] == selector
    assert {k: r["id"] for k, r in state["outputs"]["results"].items()} == made

    (project.dir / "Pulumi.yaml").write_text(header + code)
    server.admin.reset_counters()
    project.cli("preview", "--expect-no-changes")
    project.cli("up", "--yes", "--skip-preview", "--expect-no-changes")
    assert project.calls() == {}

    sdk.chat.completions.delete(made["q1"])
    project.cli("refresh", "--yes", "--skip-preview")
    assert sorted(project.state()["outputs"]["results"]) == ["q2"]
    project.cli("destroy", "--yes", "--skip-preview")
    assert project.stored() == {}


NATIVE = """
import pulumi
from pulumi_chatcomp import native

evals = native.ChatCompletionSet(
    "evals",
    model="gpt-4o-mini",
    max_completion_tokens=32,
    metadata={"dataset": pulumi.get_project()},
    items={"inline": {"messages": [{"role": "user", "content": "Say hi."}], "temperature": 0.2}},
    items_file=pulumi.FileAsset("items.jsonl"),
)
pulumi.export("count", evals.count)
pulumi.export("ids", evals.results.apply(lambda r: {k: v["id"] for k, v in r.items()}))
pulumi.export("finish", evals.results.apply(lambda r: r["inline"]["finish_reason"]))
pulumi.export("tokens", evals.usage.apply(lambda u: u["total_tokens"]))
"""


def _lines(count: int, edited: int | None = None) -> str:
    def line(index: int) -> str:
        question = f"Question {index}{' (edited)' if index == edited else ''}?"
        return json.dumps(
            {"key": f"f-{index:03d}", "messages": [{"role": "user", "content": question}]}
        )

    return "\n".join(line(index) for index in range(count)) + "\n"


def test_a_python_program_keeps_a_set_read_from_a_json_lines_file(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = tmp_path / "native"
    project.mkdir()
    name = f"native-{tmp_path.name[-20:]}"
    (project / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n{plugin_section()}")
    (project / "__main__.py").write_text(NATIVE)
    (project / "items.jsonl").write_text(_lines(12))
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    up = ("up", "--yes", "--skip-preview", "--non-interactive")
    engine.cli(*up, cwd=project)
    outputs = json.loads(engine.cli("stack", "output", "--json", cwd=project).stdout)
    assert outputs["count"] == 13
    assert outputs["finish"] == "stop"  # snake_case in Python, from the plugin's camelCase
    assert outputs["tokens"] > 0

    # One line of the file changes: only that item is made again.
    (project / "items.jsonl").write_text(_lines(12, edited=5))
    done = engine.cli("preview", "--diff", "--non-interactive", cwd=project)
    assert "items: 1 to make again (f-005), 12 unchanged" in done.stdout + done.stderr
    server.admin.reset_counters()
    engine.cli(*up, cwd=project)
    counters = server.admin.counters()
    assert counters.get("POST /v1/chat/completions") == 1
    assert counters.get("DELETE /v1/chat/completions/{id}") == 1
    after = json.loads(engine.cli("stack", "output", "--json", cwd=project).stdout)["ids"]
    changed = {key for key in after if after[key] != outputs["ids"][key]}
    assert changed == {"f-005"}
    engine.cli("destroy", "--yes", "--skip-preview", "--non-interactive", cwd=project)
