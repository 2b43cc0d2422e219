"""The example policy pack (examples/policy-pack) under the real pulumi CLI.

Each test previews (or updates) a small program with ``--policy-pack`` and reads the
"Policies:" block the CLI prints, the way a user (or CI) would. One program breaks every
resource rule at once and is previewed once for the whole module, to keep this file fast.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulumi_chatcomp import __version__
from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.policy import CHAT_COMPLETION_SET_TYPE, CHAT_COMPLETION_TYPE
from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import REPO, Engine, plugin_section, write_project

PACK = REPO / "examples" / "policy-pack"
EXAMPLE_CONFIG = PACK / "policy-config.example.json"
# Assembled at run time so that the repository holds no key-shaped literal.
KEY_PARTS = ("AKIA", "Z7Q3XK5P", "M2W9R4T8")
FAKE_AWS_KEY = "".join(KEY_PARTS)
PROJECT = "chatcomp-policy"

HEADER = """\
import pulumi_chatcomp as chatcomp

TAGS = {"owner": "e2e", "purpose": "policy"}
HI = [{"role": "user", "content": "Say hi."}]
"""

MANDATORY_BREAKERS = f"""\
chatcomp.ChatCompletion("wrong-model", model="gpt-4o", messages=HI,
                        max_completion_tokens=64, metadata=TAGS)
chatcomp.ChatCompletion("uncapped", model="gpt-4o-mini", messages=HI, metadata=TAGS)
chatcomp.ChatCompletion("too-many-choices", model="gpt-4o-mini", messages=HI,
                        max_completion_tokens=3000, n=2, metadata=TAGS)
# No metadata: the provider refuses metadata on a completion that is not stored.
chatcomp.ChatCompletion("unstored", model="gpt-4o-mini", messages=HI,
                        max_completion_tokens=64, store=False)
key = {" + ".join(map(repr, KEY_PARTS))}
chatcomp.ChatCompletion("leaky", model="gpt-4o-mini",
                        messages=[{{"role": "user", "content": "My key is " + key}}],
                        max_completion_tokens=64, metadata=TAGS)
"""

ADVISORY_BREAKERS = """\
chatcomp.ChatCompletion("hot", model="gpt-4o-mini", messages=HI,
                        max_completion_tokens=64, temperature=1.5, metadata=TAGS)
chatcomp.ChatCompletion("untagged", model="gpt-4o-mini", messages=HI,
                        max_completion_tokens=64, metadata={"team": "e2e"})
chatcomp.ChatCompletion("old", model="gpt-4o-mini", messages=HI,
                        max_tokens=64, seed=7, user="someone", metadata=TAGS)
"""

COMPLIANT = """\
chatcomp.ChatCompletion("greeting", model="gpt-4o-mini", messages=HI,
                        max_completion_tokens=64, temperature=0.2, metadata=TAGS)
chatcomp.ChatCompletion("summary", model="gpt-4.1-nano", messages=[
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": [{"type": "text", "text": "Summarise Pulumi."}]},
], max_completion_tokens=256, n=2, top_p=0.9, metadata=TAGS)
"""

BUDGET = """\
chatcomp.ChatCompletion("small-batch", model="gpt-4o-mini", messages=HI,
                        max_completion_tokens=1000, metadata=TAGS)
chatcomp.ChatCompletion("big-batch", model="gpt-4o-mini", messages=HI,
                        max_completion_tokens=4000, metadata=TAGS)
"""

# The review's prompt is the draft's answer: unknown until the draft is created.
CHAINED = """\
draft = chatcomp.ChatCompletion("draft", model="gpt-4o-mini", messages=HI,
                                max_completion_tokens=64, metadata=TAGS)
chatcomp.ChatCompletion("review", model="gpt-4o-mini", messages=[
    {"role": "user", "content": "Review this answer."},
    {"role": "user", "content": draft.content},
], max_completion_tokens=64, metadata=TAGS)
"""

# The review's prompt holds a key, but only once the draft exists: preview cannot see it.
LEAK_AFTER_DRAFT = f"""\
key = {" + ".join(map(repr, KEY_PARTS))}
draft = chatcomp.ChatCompletion("draft", model="gpt-4o-mini", messages=HI,
                                max_completion_tokens=64, metadata=TAGS)
chatcomp.ChatCompletion("review", model="gpt-4o-mini", messages=[
    {{"role": "user", "content": draft.content.apply(lambda answer: answer + " " + key)}},
], max_completion_tokens=64, metadata=TAGS)
"""

_HEADER_LINE = re.compile(
    r"^\s*- \[(?P<level>mandatory|advisory)\]\s+(?P<policy>[\w-]+)\s+"
    r"\((?P<type>\S+): (?P<name>[^)]+)\)\s*$"
)


@dataclass(frozen=True)
class Finding:
    """One entry of the CLI's "Policies:" block."""

    level: str
    policy: str
    type: str
    name: str
    text: str


@dataclass(frozen=True)
class Run:
    """A finished `pulumi preview`/`up` and what its "Policies:" block reported."""

    stack: str
    done: subprocess.CompletedProcess[str]

    @property
    def output(self) -> str:
        return self.done.stdout + self.done.stderr

    @property
    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        lines = self.done.stdout.splitlines()
        for index, line in enumerate(lines):
            header = _HEADER_LINE.match(line)
            if header is None:
                continue
            body: list[str] = []
            for following in lines[index + 1 :]:
                if not following.strip() or _HEADER_LINE.match(following):
                    break
                body.append(following.strip())
            found.append(Finding(**header.groupdict(), text="\n".join(body)))
        return found

    def flagged(self) -> set[tuple[str, str, str]]:
        return {(f.level, f.policy, f.name) for f in self.findings}

    def texts(self, level: str, policy: str, name: str) -> str:
        return "\n".join(
            f.text for f in self.findings if (f.level, f.policy, f.name) == (level, policy, name)
        )

    def explain(self) -> str:
        return f"exit {self.done.returncode}\n{self.output[-6000:]}"


def run_pack(
    engine: Engine,
    server: LocalServer,
    directory: Path,
    program: str,
    *,
    command: tuple[str, ...] = ("preview",),
    config: Path | None = None,
) -> Run:
    project = write_project(directory, HEADER + program, name=PROJECT)
    stack = engine.stack(project, config={"chatcomp:baseUrl": server.base_url})
    args = [*command, "--stack", stack.name, "--non-interactive", "--policy-pack", str(PACK)]
    if config is not None:
        args += ["--policy-pack-config", str(config)]
    return Run(stack.name, engine.cli(*args, cwd=project, check=False))


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture(scope="module")
def everything(
    engine: Engine, server: LocalServer, tmp_path_factory: pytest.TempPathFactory
) -> Run:
    """One preview of a program that breaks every resource rule, shared by several tests."""
    return run_pack(
        engine,
        server,
        tmp_path_factory.mktemp("everything"),
        MANDATORY_BREAKERS + ADVISORY_BREAKERS,
    )


@pytest.mark.xdist_group("policy-everything")  # one preview of `everything`
@pytest.mark.parametrize(
    ("level", "policy", "name", "message"),
    [
        pytest.param(
            "mandatory",
            "allowed-models",
            "wrong-model",
            "model 'gpt-4o' is not allowed",
            id="allowed-models",
        ),
        pytest.param(
            "mandatory",
            "max-output-tokens",
            "uncapped",
            "neither max_completion_tokens nor max_tokens is set",
            id="max-output-tokens-no-cap",
        ),
        pytest.param(
            "mandatory",
            "max-output-tokens",
            "too-many-choices",
            "max_completion_tokens x n = 3,000 x 2 = 6,000 output tokens, above the limit of 4,096",
            id="max-output-tokens-cap-times-n",
        ),
        pytest.param(
            "mandatory", "store-required", "unstored", "store is false", id="store-required"
        ),
        pytest.param(
            "mandatory",
            "no-credentials-in-prompts",
            "leaky",
            "messages[0].content contains what looks like an AWS access key ID "
            "(AKIA****, 20 characters)",
            id="no-credentials-in-prompts",
        ),
        pytest.param(
            "advisory",
            "sampling-bounds",
            "hot",
            "temperature 1.5 is above the maximum 1",
            id="sampling-bounds",
        ),
        pytest.param(
            "advisory",
            "required-metadata",
            "untagged",
            "metadata is missing the required keys owner, purpose",
            id="required-metadata",
        ),
        pytest.param(
            "advisory",
            "no-deprecated-parameters",
            "old",
            "seed is deprecated",
            id="no-deprecated-seed",
        ),
        pytest.param(
            "advisory",
            "no-deprecated-parameters",
            "old",
            "user is deprecated",
            id="no-deprecated-user",
        ),
        pytest.param(
            "advisory",
            "no-deprecated-parameters",
            "old",
            "max_tokens is deprecated",
            id="no-deprecated-max-tokens",
        ),
    ],
)
def test_each_rule_names_itself_the_resource_and_the_problem(
    everything: Run, level: str, policy: str, name: str, message: str
) -> None:
    assert message in everything.texts(level, policy, name), everything.explain()


@pytest.mark.xdist_group("policy-everything")  # one preview of `everything`
def test_mandatory_violations_fail_the_preview(everything: Run) -> None:
    assert everything.done.returncode != 0, everything.explain()
    assert "Traceback" not in everything.output
    # Nothing else is flagged: the compliant parts of each resource pass every rule.
    assert everything.flagged() == {
        ("mandatory", "allowed-models", "wrong-model"),
        ("mandatory", "max-output-tokens", "uncapped"),
        ("mandatory", "max-output-tokens", "too-many-choices"),
        ("mandatory", "store-required", "unstored"),
        ("mandatory", "no-credentials-in-prompts", "leaky"),
        ("advisory", "sampling-bounds", "hot"),
        ("advisory", "required-metadata", "untagged"),
        ("advisory", "required-metadata", "unstored"),
        ("advisory", "no-deprecated-parameters", "old"),
    }, everything.explain()
    assert {f.type for f in everything.findings} == {CHAT_COMPLETION_TYPE}


@pytest.mark.xdist_group("policy-everything")  # one preview of `everything`
def test_a_credential_in_a_prompt_is_never_printed(everything: Run) -> None:
    assert "AKIA****" in everything.output, everything.explain()
    assert FAKE_AWS_KEY not in everything.output


def test_advisory_violations_alone_warn_but_pass(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    run = run_pack(engine, server, tmp_path / "advisory", ADVISORY_BREAKERS)
    assert run.done.returncode == 0, run.explain()
    assert run.flagged() == {
        ("advisory", "sampling-bounds", "hot"),
        ("advisory", "required-metadata", "untagged"),
        ("advisory", "no-deprecated-parameters", "old"),
    }, run.explain()


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(None, id="default-config"),
        pytest.param(EXAMPLE_CONFIG, id="example-config"),
    ],
)
def test_a_compliant_program_passes(
    engine: Engine, server: LocalServer, tmp_path: Path, config: Path | None
) -> None:
    run = run_pack(engine, server, tmp_path / "compliant", COMPLIANT, config=config)
    assert run.done.returncode == 0, run.explain()
    # The pack did run (a pack that failed to load would flag nothing, too).
    assert f"chatcomp@v{__version__}" in run.done.stdout, run.explain()
    assert run.findings == [], run.explain()


def test_the_budget_lists_the_biggest_completions_first(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    config = tmp_path / "budget.json"
    config.write_text('{"completion-budget": {"budgetUsd": 0.001}}')
    run = run_pack(engine, server, tmp_path / "budget", BUDGET, config=config)
    assert run.done.returncode != 0, run.explain()
    # A stack rule reports against the stack resource, named <project>-<stack>.
    stack_resource = f"{PROJECT}-{run.stack}"
    assert run.flagged() == {("mandatory", "completion-budget", stack_resource)}, run.explain()
    text = run.texts("mandatory", "completion-budget", stack_resource)
    assert "2 chat completions" in text
    assert "over the budget of $0.0010 (policy config budgetUsd)" in text
    assert 0 <= text.index("big-batch $") < text.index("small-batch $"), text


def test_values_unknown_during_preview_are_left_for_up(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    run = run_pack(engine, server, tmp_path / "chained", CHAINED)
    assert run.done.returncode == 0, run.explain()
    assert "Traceback" not in run.output
    note = run.texts("advisory", "no-credentials-in-prompts", "review")
    assert "cannot check messages[1].content during preview" in note, run.explain()
    assert ("advisory", "no-credentials-in-prompts", "draft") not in run.flagged()
    budget = run.texts("advisory", "completion-budget", f"{PROJECT}-{run.stack}")
    assert "cannot check messages[1].content of review during preview" in budget, run.explain()
    # One version, the package's, in the engine's header and in pulumi-policy's notes alike.
    assert f"policy pack 'chatcomp@v{__version__}' during preview" in note, run.explain()
    versions = set(re.findall(r"chatcomp@v([0-9][^\s':]*)", run.output))
    assert versions == {__version__}, run.explain()


def test_up_stops_before_creating_a_violating_completion(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    program = """\
chatcomp.ChatCompletion("wrong-model", model="gpt-4o", messages=HI,
                        max_completion_tokens=64, metadata=TAGS)
"""
    server.admin.reset_counters()
    run = run_pack(
        engine, server, tmp_path / "up", program, command=("up", "--yes", "--skip-preview")
    )
    assert run.done.returncode != 0, run.explain()
    assert ("mandatory", "allowed-models", "wrong-model") in run.flagged(), run.explain()
    assert "POST /v1/chat/completions" not in server.admin.counters()


def test_up_with_its_preview_stops_an_over_budget_stack_before_any_create(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    # Stack rules run after every resource is registered; in an update that is after the
    # creates, so only the preview `pulumi up` runs first can stop an over-budget stack.
    config = tmp_path / "budget.json"
    config.write_text('{"completion-budget": {"budgetUsd": 0.001}}')
    server.admin.reset_counters()
    run = run_pack(
        engine, server, tmp_path / "up-budget", BUDGET, command=("up", "--yes"), config=config
    )
    assert run.done.returncode != 0, run.explain()
    assert ("mandatory", "completion-budget", f"{PROJECT}-{run.stack}") in run.flagged()
    assert "POST /v1/chat/completions" not in server.admin.counters()


def test_up_checks_values_unknown_during_preview_before_creating(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    server.admin.reset_counters()
    run = run_pack(engine, server, tmp_path / "up-leak", LEAK_AFTER_DRAFT, command=("up", "--yes"))
    assert run.done.returncode != 0, run.explain()
    note = run.texts("advisory", "no-credentials-in-prompts", "review")
    assert "cannot check messages[0].content during preview" in note, run.explain()
    leak = run.texts("mandatory", "no-credentials-in-prompts", "review")
    assert "AWS access key ID (AKIA****, 20 characters)" in leak, run.explain()
    assert FAKE_AWS_KEY not in run.output
    # The draft was created; the review, whose prompt would leak the key, was not.
    assert server.admin.counters().get("POST /v1/chat/completions") == 1


# The same mistakes, made by a YAML program through the provider plugin.
YAML_BREAKERS = """\
resources:
  wrong-model:
    type: chatcomp:index:ChatCompletion
    properties:
      model: gpt-4o
      messages: [{role: user, content: Say hi.}]
      maxCompletionTokens: 64
      metadata: {owner: e2e, purpose: policy}
  hot:
    type: chatcomp:index:ChatCompletion
    properties:
      model: gpt-4o-mini
      messages: [{role: user, content: Say hi.}]
      maxCompletionTokens: 64
      temperature: 1.5
      metadata: {team: e2e}
"""


def test_the_pack_checks_a_yaml_programs_completions_too(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = tmp_path / "yaml"
    project.mkdir()
    header = f"name: {PROJECT}\nruntime: yaml\n{plugin_section()}"
    (project / "Pulumi.yaml").write_text(header + YAML_BREAKERS)
    stack = engine.stack(project, config={"chatcomp:baseUrl": server.base_url})
    args = ["preview", "--stack", stack.name, "--non-interactive", "--policy-pack", str(PACK)]
    run = Run(stack.name, engine.cli(*args, cwd=project, check=False))
    assert run.done.returncode != 0, run.explain()
    assert run.flagged() == {
        ("mandatory", "allowed-models", "wrong-model"),
        ("advisory", "sampling-bounds", "hot"),
        ("advisory", "required-metadata", "hot"),
    }, run.explain()
    assert {f.type for f in run.findings} == {PLUGIN_TYPE_TOKEN}
    assert "model 'gpt-4o' is not allowed" in run.texts(
        "mandatory", "allowed-models", "wrong-model"
    )


# A YAML program's sets: `evals` breaks rules in some items (its own, and a line of a file it
# names by an absolute path, which the pack can read); `relative` names the same file by a
# path relative to the program, which the pack cannot see.
YAML_SETS = """\
resources:
  evals:
    type: chatcomp:index:ChatCompletionSet
    properties:
      model: gpt-4o-mini
      maxCompletionTokens: 64
      messages: [{role: developer, content: "Answer briefly."}]
      metadata: {owner: e2e, purpose: policy}
      items:
        q-0001: {messages: [{role: user, content: "Where is my order?"}]}
        q-0002: {model: gpt-4o, messages: [{role: user, content: "How do I return an item?"}]}
        q-0003: {messages: [{role: user, content: "My key is KEY"}]}
      itemsFile:
        fn::fileAsset: ${pulumi.cwd}/items.jsonl
  relative:
    type: chatcomp:index:ChatCompletionSet
    properties:
      model: gpt-4o-mini
      maxCompletionTokens: 64
      metadata: {owner: e2e, purpose: policy}
      items:
        r-0001: {messages: [{role: user, content: "Say hi."}]}
      itemsFile:
        fn::fileAsset: items.jsonl
"""


def test_the_pack_checks_every_item_of_a_set_and_says_what_it_cannot_read(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = tmp_path / "sets"
    project.mkdir()
    header = f"name: {PROJECT}\nruntime: yaml\n{plugin_section()}"
    (project / "Pulumi.yaml").write_text(header + YAML_SETS.replace("KEY", FAKE_AWS_KEY))
    line = {"key": "f-0001", "max_completion_tokens": 9000}
    line["messages"] = [{"role": "user", "content": "Write an essay."}]
    (project / "items.jsonl").write_text(json.dumps(line) + "\n")
    config = tmp_path / "budget.json"
    config.write_text('{"completion-budget": {"budgetUsd": 0.001}}')
    stack = engine.stack(project, config={"chatcomp:baseUrl": server.base_url})
    args = ["preview", "--stack", stack.name, "--non-interactive", "--policy-pack", str(PACK)]
    server.admin.reset_counters()
    run = Run(
        stack.name,
        engine.cli(*args, "--policy-pack-config", str(config), cwd=project, check=False),
    )
    assert run.done.returncode != 0, run.explain()
    assert "Traceback" not in run.output and FAKE_AWS_KEY not in run.output
    assert "POST /v1/chat/completions" not in server.admin.counters()
    stack_resource = f"{PROJECT}-{run.stack}"
    assert {f for f in run.flagged() if f[0] == "mandatory"} == {
        ("mandatory", "allowed-models", "evals"),
        ("mandatory", "no-credentials-in-prompts", "evals"),
        ("mandatory", "max-output-tokens", "evals"),
        ("mandatory", "completion-budget", stack_resource),
    }, run.explain()
    # Each finding names its item: one of the map, or a line of the file.
    expected = {
        "allowed-models": "items[\"q-0002\"]: model 'gpt-4o' is not allowed",
        "no-credentials-in-prompts": 'items["q-0003"].messages[1].content contains what looks '
        "like an AWS access key ID (AKIA****, 20 characters)",
        "max-output-tokens": 'items["f-0001"]: max_completion_tokens x n = 9,000 x 1',
    }
    for policy, words in expected.items():
        assert words in run.texts("mandatory", policy, "evals"), run.explain()
    # The budget sums the items of both sets (the file's too, where it can be read).
    budget = run.texts("mandatory", "completion-budget", stack_resource)
    assert "this stack's 5 chat completions" in budget, run.explain()
    assert "evals $" in budget and '(4 items; the biggest, items["f-0001"]' in budget
    # What the pack cannot read is an advisory note, never a pass.
    unseen = "cannot check items_file 'items.jsonl' (a path relative to the program's folder"
    assert unseen in run.texts("advisory", "allowed-models", "relative"), run.explain()
    assert ("advisory", "completion-budget", stack_resource) in run.flagged(), run.explain()
    assert "items_file 'items.jsonl' of relative" in run.texts(
        "advisory", "completion-budget", stack_resource
    )
    assert {f.type for f in run.findings if f.name in ("evals", "relative")} == {
        CHAT_COMPLETION_SET_TYPE
    }


def test_up_makes_none_of_a_sets_items_when_one_breaks_a_mandatory_rule(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = tmp_path / "set-up"
    project.mkdir()
    program = YAML_SETS.split("  relative:")[0].replace("KEY", "nothing secret")
    program = program.replace("        fn::fileAsset: ${pulumi.cwd}/items.jsonl\n", "")
    program = program.replace("      itemsFile:\n", "")
    header = f"name: {PROJECT}\nruntime: yaml\n{plugin_section()}"
    (project / "Pulumi.yaml").write_text(header + program)
    stack = engine.stack(project, config={"chatcomp:baseUrl": server.base_url})
    args = ["up", "--yes", "--skip-preview", "--stack", stack.name, "--non-interactive"]
    server.admin.reset_counters()
    run = Run(stack.name, engine.cli(*args, "--policy-pack", str(PACK), cwd=project, check=False))
    assert run.done.returncode != 0, run.explain()
    assert run.flagged() == {("mandatory", "allowed-models", "evals")}, run.explain()
    assert "POST /v1/chat/completions" not in server.admin.counters()
