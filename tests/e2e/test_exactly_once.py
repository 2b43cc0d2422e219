"""Exactly once, whatever dies: one stored completion per resource, no orphan, no phantom.

Each test breaks an ``up`` the way it breaks in real life (answers lost after the server
stored the completion, a look-up failing too, the provider process or ``pulumi`` itself
killed, a double Ctrl-C) and then runs what a user runs next: ``pulumi up``, or ``chatcomp
recover`` first. Every completion carries its run's id in its metadata, so the server's own
list says whether anything was stored twice or is owned by no resource. Both faces: the
dynamic resource and the provider plugin's, killed in their own processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import FACES, Engine, Face, export_state, plugin_section, write_project
from tests.e2e.projects import (
    KEY,
    Project,
    chatcomp,
    creates,
    kill_between_saves,
    provider_of,
    running,
    settle,
    wait_for,
)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running_server:
        yield running_server


@pytest.fixture
def faults(server: LocalServer) -> Iterator[LocalServer]:
    server.admin.reset_faults()
    yield server
    server.admin.reset_faults()


@pytest.fixture(params=FACES, ids=[face.name for face in FACES])
def face(request: pytest.FixtureRequest) -> Face:
    chosen: Face = request.param
    return chosen


# -- answers lost, look-ups failing -----------------------------------------------------------


def test_creates_whose_answers_and_look_ups_fail_leave_one_completion_after_the_next_up(
    engine: Engine, faults: LocalServer, tmp_path: Path, face: Face
) -> None:
    """Every create is stored and its answer lost, and the list that would find it again is
    down: each create fails, saying a retry is safe. The next `up` derives the same create
    tokens, finds what they stored, and keeps one completion each."""
    project = Project(engine, tmp_path / "lost", faults, count=8, face=face)
    project.cli("config", "rm", "chatcomp:maxRetries")  # the default, 2
    faults.admin.set_faults(drop_after_commit=1.0, outage=["GET /v1/chat/completions"])
    first = project.up(check=False)
    faults.admin.reset_faults()
    output = first.stdout + first.stderr
    assert first.returncode != 0
    assert "Traceback" not in output
    # Each failed create says so (the CLI prints each error more than once).
    for index in range(project.count):
        assert f"ChatCompletion (c{index}):" in output
    assert output.count("Running pulumi up again is safe") >= project.count, output[-3000:]
    assert len(project.orphans()) == project.count
    assert not project.state_ids()

    project.up()
    project.assert_converged()


# The mixes a busy API serves: rate limits, overload, answers dropped after the completion
# was stored, garbled answers and server errors, with the default two retries.
FAULT_MIXES = [
    pytest.param(
        {"rate_429": 0.3, "rate_503": 0.1, "drop_after_commit": 0.2, "retry_after": 0.1},
        id="429-503-dropped",
    ),
    pytest.param(
        {
            "rate_429": 0.3,
            "rate_503": 0.1,
            "drop_after_commit": 0.2,
            "malformed": 0.1,
            "rate_500": 0.05,
            "retry_after": 0.1,
        },
        id="and-malformed-and-500",
    ),
]


@pytest.mark.parametrize("mix", FAULT_MIXES)
def test_a_busy_api_leaves_one_completion_each_after_the_next_up(
    engine: Engine, faults: LocalServer, tmp_path: Path, face: Face, mix: dict[str, Any]
) -> None:
    """Whatever the first `up` makes of the faults (most creates succeed, some fail, some of
    those after storing), the next one converges: no duplicate, no orphan."""
    project = Project(engine, tmp_path / "busy", faults, count=16, face=face)
    project.cli("config", "rm", "chatcomp:maxRetries")
    faults.admin.set_faults(**mix)
    first = project.up("--parallel", "16", check=False)
    faults.admin.reset_faults()
    assert "Traceback" not in first.stdout + first.stderr

    project.up("--parallel", "16")
    project.assert_converged()


# -- a provider process killed ----------------------------------------------------------------


def test_a_killed_provider_leaves_one_completion_after_the_next_up(
    engine: Engine, faults: LocalServer, tmp_path: Path, face: Face
) -> None:
    """The plugin (or the dynamic provider host) is SIGKILLed with creates in flight: the
    engine drops them, and with them the tokens check had made; the server stores what it
    was sent. The next `up` derives the same tokens and settles every one."""
    project = Project(engine, tmp_path / "killed", faults, count=20, face=face)
    faults.admin.set_faults(latency=1)
    faults.admin.reset_counters()
    up = project.popen_up()
    provider = provider_of(up, face)
    wait_for(lambda: creates(faults) >= 4, "creates in flight")
    _kill(provider)
    output, _ = up.communicate(timeout=120)
    assert up.returncode != 0, output
    settle(project, provider)  # creates already sent finish on the server
    faults.admin.reset_faults()
    assert project.orphans(), "the killed creates should have stored completions"
    assert not project.deployment().get("pending_operations")  # the engine dropped them

    project.up()
    project.assert_converged()


def test_a_provider_killed_while_it_looks_up_a_lost_answer_leaves_one_completion(
    engine: Engine, faults: LocalServer, tmp_path: Path, face: Face
) -> None:
    """Every answer is dropped after the server stored the completion, so each create waits
    and looks its completion up; the provider is killed then. The next `up` settles them."""
    project = Project(engine, tmp_path / "lookups", faults, count=8, face=face)
    faults.admin.set_faults(drop_after_commit=1.0)
    faults.admin.reset_counters()
    up = project.popen_up()
    provider = provider_of(up, face)
    # Stored, not only sent: a create still on its way when its client dies is not stored.
    wait_for(lambda: len(project.stored()) >= 8, "every create stored")
    _kill(provider)
    up.communicate(timeout=120)
    settle(project, provider)
    faults.admin.reset_faults()
    assert len(project.orphans()) == 8

    project.up()
    project.assert_converged()


# -- pulumi itself killed ---------------------------------------------------------------------


def test_a_killed_pulumi_is_recovered_and_its_provider_exits(
    engine: Engine, faults: LocalServer, tmp_path: Path, face: Face
) -> None:
    """SIGKILL of the CLI leaves pending creates, a stale lock and, before this package
    watched for it, a provider process serving nobody. The provider exits by itself;
    `chatcomp recover` removes the stale lock, adopts what the pending creates stored (no
    completion made twice) and `up` creates the rest."""
    project = Project(engine, tmp_path / "cli", faults, count=10, face=face)
    faults.admin.set_faults(latency=1)
    faults.admin.reset_counters()
    up = project.popen_up()
    provider = provider_of(up, face)
    wait_for(lambda: creates(faults) >= 3, "creates in flight")
    kill_between_saves(up, engine.backend)
    up.communicate(timeout=60)
    wait_for(lambda: not running(provider), "the provider to exit after pulumi died", 60)
    settle(project, provider)
    faults.admin.reset_faults()
    assert project.deployment().get("pending_operations")
    locks = engine.backend / ".pulumi" / "locks"
    assert list(locks.rglob("*.json")), "the killed pulumi should have left its lock"

    done = chatcomp(engine, project, "recover", "--stack", project.stack)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "removed the lock the killed pulumi left" in done.stdout
    assert not list(locks.rglob("*.json"))
    owned = len(project.state_ids())
    assert not project.orphans()  # every stored completion is a resource's now
    faults.admin.reset_counters()
    project.up()
    project.assert_converged()
    # Recover adopted what was stored: the `up` made only what never reached the server.
    assert creates(faults) == project.count - owned


def test_a_plain_up_after_a_hard_interrupt_leaves_one_completion_each(
    engine: Engine, faults: LocalServer, tmp_path: Path, face: Face
) -> None:
    """Two Ctrl-Cs leave pending creates whose completions are mostly stored; the user runs
    `pulumi up` (as pulumi's own message suggests) rather than `chatcomp recover`. No
    duplicate: the creates find what the killed ones stored. The engine keeps the old
    pending creates through that `up`; `chatcomp recover` drops them (settled)."""
    project = Project(engine, tmp_path / "sigint", faults, count=12, face=face)
    faults.admin.set_faults(latency=1)
    faults.admin.reset_counters()
    up = project.popen_up()
    provider = provider_of(up, face)
    wait_for(lambda: creates(faults) >= 3, "creates in flight")
    for _ in range(2):
        up.send_signal(signal.SIGINT)
        time.sleep(0.3)
    up.communicate(timeout=120)
    settle(project, provider)
    faults.admin.reset_faults()
    assert project.orphans()

    project.up()
    stored = project.stored()
    assert sorted(int(c["metadata"]["index"]) for c in stored) == list(range(project.count))
    assert not project.orphans()

    done = chatcomp(engine, project, "recover", "--stack", project.stack)
    assert done.returncode == 0, done.stdout + done.stderr
    project.assert_converged()


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


# -- nothing that does not exist enters state -------------------------------------------------

MISSING = "chatcmpl-doesnotexist0000000000000"


def _yaml(directory: Path, resources: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text(
        f"name: {directory.name}\nruntime: yaml\n{plugin_section()}resources:\n{resources}"
    )
    return directory


def _stack(engine: Engine, project: Path, server: LocalServer) -> None:
    """A new stack of ``project`` (named after its folder, which is unique), selected."""
    name = project.parent.name[-40:]
    engine.cli("stack", "init", name, "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", KEY, cwd=project)


def _completions_in_state(engine: Engine, project: Path) -> list[dict[str, Any]]:
    state = export_state(engine, project, project.parent.name[-40:], show_secrets=False)
    return [
        r
        for r in json.loads(state)["deployment"].get("resources") or []
        if "id" in r and r["type"].endswith(":ChatCompletion")
    ]


def _assert_one_line_naming_the_id(done: subprocess.CompletedProcess[str]) -> None:
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert MISSING in output, output[-3000:]
    assert "Traceback" not in output
    assert "almost certainly a bug" not in output


def test_pulumi_import_of_a_missing_completion_fails_and_changes_nothing(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = _yaml(tmp_path / "import-missing", "  {}\n")
    _stack(engine, project, server)
    done = engine.cli(
        "import", "chatcomp:index:ChatCompletion", "b", MISSING, "--yes", cwd=project, check=False
    )
    _assert_one_line_naming_the_id(done)
    assert _completions_in_state(engine, project) == []


@pytest.mark.parametrize(
    "resources",
    [
        pytest.param(
            "  b:\n    type: chatcomp:index:ChatCompletion\n    properties:\n"
            "      model: gpt-4o-mini\n      messages: [{role: user, content: Hi}]\n"
            f"    options:\n      import: {MISSING}\n",
            id="import-option",
        ),
        pytest.param(
            f"  b:\n    type: chatcomp:index:ChatCompletion\n    get:\n      id: {MISSING}\n",
            id="get",
        ),
    ],
)
def test_a_yaml_program_that_adopts_or_reads_a_missing_completion_fails_and_changes_nothing(
    engine: Engine, server: LocalServer, tmp_path: Path, resources: str
) -> None:
    project = _yaml(tmp_path / "yaml-missing", resources)
    _stack(engine, project, server)
    done = engine.cli(
        "up", "--yes", "--skip-preview", "--non-interactive", cwd=project, check=False
    )
    _assert_one_line_naming_the_id(done)
    assert _completions_in_state(engine, project) == []


@pytest.mark.parametrize(
    "declared",
    [
        pytest.param(
            "chatcomp.ChatCompletion('b', model='gpt-4o-mini',"
            " messages=[{'role': 'user', 'content': 'Hi'}],"
            f" opts=pulumi.ResourceOptions(import_={MISSING!r}))",
            id="import-option",
        ),
        pytest.param(f"chatcomp.ChatCompletion.get('b', {MISSING!r})", id="get"),
    ],
)
def test_a_dynamic_resource_that_adopts_or_reads_a_missing_completion_fails_and_changes_nothing(
    engine: Engine, server: LocalServer, tmp_path: Path, declared: str
) -> None:
    project = write_project(
        tmp_path / "dynamic-missing",
        f"import pulumi\nimport pulumi_chatcomp as chatcomp\n\n{declared}\n",
    )
    _stack(engine, project, server)
    done = engine.cli(
        "up", "--yes", "--skip-preview", "--non-interactive", cwd=project, check=False
    )
    _assert_one_line_naming_the_id(done)
    assert _completions_in_state(engine, project) == []


# -- big stacks without checkpoints -----------------------------------------------------------


def test_a_killed_up_without_checkpoints_leaves_one_completion_each_after_the_next_up(
    engine: Engine, faults: LocalServer, tmp_path: Path
) -> None:
    """With PULUMI_SKIP_CHECKPOINTS=true the engine writes the state once, at the end: a
    pulumi killed half way records nothing of what it created, not even pending creates.
    The next `up` derives every create token again and keeps one completion each."""
    skip = {"PULUMI_SKIP_CHECKPOINTS": "true"}
    project = Project(engine, tmp_path / "skip", faults, count=24, face=FACES[1])
    faults.admin.set_faults(latency=0.5)
    faults.admin.reset_counters()
    up = project.popen_up("--parallel", "8", env=skip)
    provider = provider_of(up, project.face)
    wait_for(lambda: creates(faults) >= project.count // 2, "half the creates")
    kill_between_saves(up, engine.backend)
    up.communicate(timeout=60)
    settle(project, provider)
    faults.admin.reset_faults()
    assert not project.state_ids()  # nothing recorded
    orphans = project.orphans()
    assert orphans, "the killed run should have stored completions"

    project.cli("cancel", "--yes")  # the lock the killed pulumi left
    faults.admin.reset_counters()
    project.engine.cli(
        "up", "--yes", "--skip-preview", "--stack", project.stack, cwd=project.dir, env=skip
    )
    project.assert_converged()
    assert creates(faults) == project.count  # each made once more, the earlier ones removed


# -- two stacks of one name -------------------------------------------------------------------


def test_two_stacks_of_one_name_on_two_backends_never_take_each_others_completions(
    engine: Engine, faults: LocalServer, tmp_path: Path, face: Face
) -> None:
    """Two people's `dev` stacks of one project, each on its own backend, one OpenAI project:
    the same URNs, but each stack's create tokens are its own (its provider's id, or the
    dynamic face's StackAnchor), so neither removes the other's completions, not even when
    one of them replaces its own with `--replace`."""
    other = Engine.offline(engine.bin_dir, tmp_path / "home-b", tmp_path / "backend-b")
    (tmp_path / "backend-b").mkdir()
    mine = Project(engine, tmp_path / "a", faults, count=2, face=face)
    theirs = Project(other, tmp_path / "b", faults, count=2, face=face, run=mine.run)
    mine.up()
    theirs.up()
    stored = {c["id"] for c in mine.stored()}
    assert set(mine.state_ids().values()) | set(theirs.state_ids().values()) == stored
    assert len(stored) == 4  # two each, none removed

    urn = next(r["urn"] for r in theirs.completions())
    theirs.up("--replace", urn)
    assert set(mine.state_ids().values()) <= {c["id"] for c in mine.stored()}
