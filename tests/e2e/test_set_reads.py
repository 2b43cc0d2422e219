"""A ChatCompletionSet read back under the real engine: by a program (the plugin's
``getChatCompletions`` with ``setTag``; the Python data sources of both faces with
``set_tag``), by ``chatcomp export --stack --set`` and by ``chatcomp report --stack``.

Each program makes its set once; the reads are checked against the set's own results, and
against what the local server holds.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import openai
import pytest

from pulumi_chatcomp.core._names import SET_TYPE_TOKEN as SET
from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import VENV_BIN, Engine, plugin_section

PROGRAM = """\
resources:
  evals:
    type: chatcomp:index:ChatCompletionSet
    properties:
      model: gpt-4o-mini
      maxCompletionTokens: 32
      messages: [{role: developer, content: "Answer briefly."}]
      metadata: {dataset: DATASET}
      items:
        q-0001: {messages: [{role: user, content: "Where is my order?"}]}
        q-0002:
          model: gpt-4o
          metadata: {split: test}
          messages: [{role: user, content: "How do I return an item?"}]
      itemsFile:
        fn::fileAsset: items.jsonl
variables:
  stored:
    fn::invoke:
      function: chatcomp:index:getChatCompletions
      arguments:
        setTag: ${evals.tag}
outputs:
  results: ${evals.results}
  tag: ${evals.tag}
  listed: ${stored.data}
  echoed: ${stored.setTag}
"""


def _line(question: str) -> str:
    return json.dumps({"key": "f-0001", "messages": [{"role": "user", "content": question}]})


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


class Project:
    """A project and its stack ``dev``, on the local server."""

    def __init__(self, engine: Engine, directory: Path, server: LocalServer) -> None:
        self.engine = engine
        self.dir = directory
        self.dataset = directory.parent.name[-24:]
        engine.cli("stack", "init", "dev", "--non-interactive", cwd=directory)
        engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=directory)

    def up(self) -> None:
        self.engine.cli("up", "--yes", "--skip-preview", "--non-interactive", cwd=self.dir)

    def outputs(self) -> dict[str, Any]:
        done = self.engine.cli("stack", "output", "--json", "--show-secrets", cwd=self.dir)
        outputs: dict[str, Any] = json.loads(done.stdout)
        return outputs

    def chatcomp(self, *args: str) -> subprocess.CompletedProcess[str]:
        # No OPENAI_* in the environment: the commands take the stack's provider settings.
        return subprocess.run(
            [str(VENV_BIN / "chatcomp"), *args],
            cwd=self.dir,
            env=self.engine.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def destroy(self) -> None:
        self.engine.cli("destroy", "--yes", "--skip-preview", "--non-interactive", cwd=self.dir)


@pytest.fixture(scope="module")
def yaml_set(
    engine: Engine, server: LocalServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Project]:
    """A YAML program's set, made once: two items of its own and one from its file."""
    directory = tmp_path_factory.mktemp("set-reads") / "yaml"
    directory.mkdir()
    name = f"name: reads-{directory.parent.name[-20:]}\nruntime: yaml\n{plugin_section()}"
    (directory / "Pulumi.yaml").write_text(
        name + PROGRAM.replace("DATASET", directory.parent.name[-24:])
    )
    (directory / "items.jsonl").write_text(_line("Do you ship abroad?") + "\n")
    project = Project(engine, directory, server)
    project.up()
    yield project
    project.destroy()


def _ids(results: Mapping[str, Any]) -> list[str]:
    return sorted(result["id"] for result in results.values())


def test_a_program_lists_its_sets_items_by_the_sets_tag(yaml_set: Project) -> None:
    outputs = yaml_set.outputs()
    assert sorted(outputs["results"]) == ["f-0001", "q-0001", "q-0002"]
    assert sorted(c["id"] for c in outputs["listed"]) == _ids(outputs["results"])
    assert outputs["echoed"] == outputs["tag"]
    # The items' metadata as users see it: the set's tag is the package's.
    by_id = {c["id"]: c["metadata"] for c in outputs["listed"]}
    dataset = yaml_set.dataset
    assert by_id[outputs["results"]["q-0002"]["id"]] == {"dataset": dataset, "split": "test"}
    assert by_id[outputs["results"]["f-0001"]["id"]] == {"dataset": dataset}


def test_export_writes_a_stacks_set_by_its_name(yaml_set: Project) -> None:
    results = yaml_set.outputs()["results"]
    raw = yaml_set.chatcomp("export", "--stack", "dev", "--set", "evals", "--format", "raw")
    assert raw.returncode == 0, raw.stderr
    assert sorted(json.loads(line)["id"] for line in raw.stdout.splitlines()) == _ids(results)
    examples = yaml_set.chatcomp("export", "--stack", "dev", "--set", "evals")
    assert examples.returncode == 0, examples.stderr
    answers = sorted(
        json.loads(line)["messages"][-1]["content"] for line in examples.stdout.splitlines()
    )
    assert answers == sorted(result["content"] for result in results.values())
    assert "wrote 3 examples" in examples.stderr
    missing = yaml_set.chatcomp("export", "--stack", "dev", "--set", "nope")
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "chatcomp export: --set 'nope' is no ChatCompletionSet of stack 'dev' (its sets: evals)"
    )


def test_report_counts_a_sets_items_by_their_model_and_metadata(yaml_set: Project) -> None:
    results = yaml_set.outputs()["results"]
    done = yaml_set.chatcomp("report", "--stack", "dev", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["total"]["completions"] == 3
    assert report["total"]["prompt_tokens"] == sum(
        r["usage"]["promptTokens"] for r in results.values()
    )
    assert {m: t["completions"] for m, t in report["by_model"].items()} == {
        "gpt-4o": 1,
        "gpt-4o-mini": 2,
    }
    assert report["by_metadata"]["split"]["test"]["completions"] == 1
    assert report["by_metadata"]["dataset"][yaml_set.dataset]["completions"] == 3
    assert report["total"]["unpriced"] == 0

    # The file's line edited since it was made: counted all the same, without its model.
    items = yaml_set.dir / "items.jsonl"
    made = items.read_text()
    items.write_text(_line("Do you ship to the moon?") + "\n")
    try:
        edited = yaml_set.chatcomp("report", "--stack", "dev", "--json")
    finally:
        items.write_text(made)
    assert edited.returncode == 0, edited.stderr
    assert edited.stderr.strip() == (
        "chatcomp report: evals: 1 item (f-0001) counted with no model or metadata: their "
        "request in the program is not the one that made them (edited since?)"
    )
    again = json.loads(edited.stdout)
    assert again["total"]["prompt_tokens"] == report["total"]["prompt_tokens"]
    assert again["by_model"]["?"]["completions"] == 1 and again["total"]["unpriced"] == 1


NATIVE = textwrap.dedent(
    """\
    import pulumi
    import pulumi_chatcomp as chatcomp
    from pulumi_chatcomp import native

    evals = native.ChatCompletionSet(
        "evals",
        model="gpt-4o-mini",
        max_completion_tokens=16,
        items={k: {"messages": [{"role": "user", "content": k}]} for k in ("a", "b")},
    )
    plugin = native.get_chat_completions_output(set_tag=evals.tag)
    program = chatcomp.get_chat_completions_output(set_tag=evals.tag)
    pulumi.export("results", evals.results.apply(lambda r: sorted(v["id"] for v in r.values())))
    pulumi.export("native", plugin.data.apply(lambda d: sorted(c.id for c in d)))
    pulumi.export("dynamic", program.data.apply(lambda d: sorted(c.id for c in d)))
    pulumi.export("echoed", plugin.set_tag)
    """
)


def test_both_python_faces_read_a_sets_items_by_its_tag(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    directory = tmp_path / "python"
    directory.mkdir()
    name = f"name: reads-py-{tmp_path.name[-16:]}\nruntime: python\n{plugin_section()}"
    (directory / "Pulumi.yaml").write_text(name)
    (directory / "__main__.py").write_text(NATIVE)
    project = Project(engine, directory, server)
    # The dynamic face's data source reads the API from the program: stack config.
    project.up()
    try:
        outputs = project.outputs()
        assert len(outputs["results"]) == 2
        assert outputs["native"] == outputs["dynamic"] == outputs["results"]
        assert isinstance(outputs["echoed"], str) and outputs["echoed"]
    finally:
        project.destroy()


def test_export_and_report_read_a_set_adopted_by_pulumi_import(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    """What an imported set adopted keeps its own metadata (no set tag): export finds it by
    the set's selector, report counts it by the inputs the import rebuilt."""
    directory = tmp_path / "imported"
    directory.mkdir()
    dataset = f"adopted-{tmp_path.name[-16:]}"
    header = f"name: {dataset}\nruntime: yaml\n{plugin_section()}"
    (directory / "Pulumi.yaml").write_text(header + "resources: {}\n")
    project = Project(engine, directory, server)
    sdk = openai.OpenAI(api_key="sk-unused-by-the-local-server", base_url=server.base_url)
    made = {
        key: sdk.chat.completions.create(
            model="gpt-4o-mini",
            store=True,
            metadata={"dataset": dataset, "item": key},
            messages=[{"role": "user", "content": question}],
        )
        for key, question in (("q1", "Capital of France?"), ("q2", "Capital of Peru?"))
    }
    sdk.close()
    selector = f"item:dataset={dataset}"
    engine.cli(
        "import",
        SET,
        "evals",
        selector,
        "--yes",
        "--protect=false",
        "--non-interactive",
        cwd=directory,
    )
    raw = project.chatcomp("export", "--stack", "dev", "--set", "evals", "--format", "raw")
    assert raw.returncode == 0, raw.stderr
    assert [json.loads(line)["id"] for line in raw.stdout.splitlines()] == [
        made["q1"].id,
        made["q2"].id,
    ]
    report = project.chatcomp("report", "--stack", "dev", "--json")
    assert report.returncode == 0 and report.stderr == "", report.stderr
    counted = json.loads(report.stdout)
    assert counted["by_model"]["gpt-4o-mini"]["completions"] == 2
    assert counted["total"]["prompt_tokens"] == sum(
        c.usage.prompt_tokens for c in made.values() if c.usage
    )
    items = counted["by_metadata"]["item"]
    assert {value: tally["completions"] for value, tally in items.items()} == {"q1": 1, "q2": 1}
    engine.cli("destroy", "--yes", "--skip-preview", "--non-interactive", cwd=directory)
