"""Reliability and secrets under the real engine (issue 9): rate limits, server errors,
malformed answers, interrupted updates, and where the API key must never appear.

Long versions of these runs are in bench/ (bench_faults.py, bench_check_fuzz.py).
"""

from __future__ import annotations

import base64
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import FACES, Engine, Face, export_state, resources_of
from tests.e2e.projects import KEY, Project, chatcomp, creates, provider_of, settle

TYPE = "pulumi-python:dynamic/chatcomp:ChatCompletion"
KEY_FORMS = (KEY, base64.b64encode(KEY.encode()).decode())


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


@pytest.fixture
def faults(server: LocalServer) -> Iterator[LocalServer]:
    """The module's server with faults cleared before and after the test."""
    server.admin.reset_faults()
    yield server
    server.admin.reset_faults()


# -- rate limits and server errors (9.1) ------------------------------------------------------


def test_rate_limits_and_503s_create_everything_once(
    engine: Engine, faults: LocalServer, tmp_path: Path
) -> None:
    project = Project(engine, tmp_path / "limits", faults, count=10)
    faults.admin.reset_counters()
    faults.admin.set_faults(rate_429=0.3, rate_503=0.1, retry_after=0.2, seed=91)
    project.up()
    project.assert_converged()
    # The faults really fired: more create attempts than completions.
    assert creates(faults) > project.count


# -- malformed answers (9.4) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def created(
    engine: Engine, server: LocalServer, tmp_path_factory: pytest.TempPathFactory
) -> Project:
    """One stack with two completions, shared by the malformed-answer tests."""
    server.admin.reset_faults()
    project = Project(engine, tmp_path_factory.mktemp("malformed") / "p", server, count=2)
    project.up()
    return project


MODES = [pytest.param(mode, id=mode) for mode in ("html", "truncated", "wrong_types", "empty")]


def _assert_clean_failure(done: subprocess.CompletedProcess[str], endpoint: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert endpoint in output, output[-3000:]
    assert "returned an unexpected response (HTTP 200)" in output, output[-3000:]
    assert "[request id req_" in output
    assert "Traceback" not in output


@pytest.mark.xdist_group("reliability-created")  # one stack, `created`
@pytest.mark.parametrize("mode", MODES)
def test_a_malformed_create_answer_fails_cleanly_and_keeps_state(
    created: Project, faults: LocalServer, mode: str
) -> None:
    """The completion is stored even though its answer was garbled, so one orphan per
    failed create stays on the server (counted below); state does not change."""
    before = created.completions()
    stored_before = len(created.stored())
    created.cli("config", "set", "prompt", f"Garbled {mode}.")
    faults.admin.set_faults(malformed=mode)
    try:
        _assert_clean_failure(created.up(check=False), "POST /chat/completions")
    finally:
        faults.admin.reset_faults()
        created.cli("config", "rm", "prompt")
    assert created.completions() == before
    assert not created.deployment().get("pending_operations")
    assert len(created.stored()) - stored_before == created.count  # the orphans


@pytest.mark.xdist_group("reliability-created")  # one stack, `created`
@pytest.mark.parametrize("mode", MODES)
def test_a_malformed_read_answer_fails_refresh_cleanly_and_keeps_state(
    created: Project, faults: LocalServer, mode: str
) -> None:
    before = created.completions()
    faults.admin.set_faults(malformed=mode)
    done = created.cli("refresh", "--yes", "--skip-preview", check=False)
    faults.admin.reset_faults()
    _assert_clean_failure(done, "GET /chat/completions/chatcmpl-")
    assert created.completions() == before


# -- interruption (9.6) -----------------------------------------------------------------------


def _interrupt(project: Project, signals: list[signal.Signals]) -> str:
    """`pulumi up` killed with ``signals`` once the server saw the first create; returns once
    its provider has ended and the server has finished what it was sent (``settle``)."""
    project.server.admin.reset_counters()
    running = project.popen_up()
    try:
        provider = provider_of(running, project.face)
        deadline = time.monotonic() + 120
        while creates(project.server) < 1:
            assert running.poll() is None, running.communicate()[0]
            assert time.monotonic() < deadline, "no create reached the server"
            time.sleep(0.05)
        for sent in signals:
            running.send_signal(sent)
            time.sleep(0.3)
        output, _ = running.communicate(timeout=180)
    finally:
        if running.poll() is None:
            running.kill()
            running.wait()
    assert running.returncode != 0, output
    settle(project, provider)
    return output


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_up_converges_when_run_again(
    engine: Engine, faults: LocalServer, tmp_path: Path, sent: signal.Signals
) -> None:
    """pulumi 3.274 treats one SIGINT or SIGTERM as a cancel: the creates in flight finish
    and are recorded, nothing is left pending, and the next `up` creates only the rest."""
    project = Project(engine, tmp_path / "interrupted", faults, count=10)
    faults.admin.set_faults(latency=1)
    output = _interrupt(project, [sent])
    assert "cancel" in output.lower()
    deployment = project.deployment()
    assert not deployment.get("pending_operations")
    recorded = project.state_ids()
    assert 0 < len(recorded) < project.count, output[-2000:]
    assert len(project.stored()) == len(recorded)  # every create that ran is in state
    project.up()
    project.assert_converged()
    assert {k: v for k, v in project.state_ids().items() if k in recorded} == recorded


@pytest.mark.parametrize("face", FACES, ids=lambda face: face.name)
def test_a_hard_interrupt_is_recovered_with_chatcomp_recover(
    engine: Engine, faults: LocalServer, tmp_path: Path, face: Face
) -> None:
    """A second SIGINT terminates at once: creates in flight become pending operations, and
    their completions are usually stored on the server already. A plain `up` would create
    them again (one duplicate per pending create; seen: 8 of 10). `chatcomp recover` finds
    each stored one by the create token the engine recorded in the pending create's inputs
    and adopts it; then `up` creates only what never reached the server.
    """
    project = Project(engine, tmp_path / "hard", faults, count=10, face=face)
    faults.admin.set_faults(latency=1)
    _interrupt(project, [signal.SIGINT, signal.SIGINT])  # what was sent is stored then
    faults.admin.reset_faults()
    pending = project.deployment().get("pending_operations") or []
    assert pending, "a hard interrupt should leave pending creates"
    assert {op["type"] for op in pending} == {"creating"}
    stored_before = {c["id"] for c in project.stored()}
    recorded = set(project.state_ids().values())
    orphans = stored_before - recorded
    assert orphans, "the killed creates should have stored completions no resource owns"

    dry = chatcomp(engine, project, "recover", "--stack", project.stack, "--dry-run")
    assert f"would adopt {len(orphans)}," in dry.stdout
    assert project.deployment().get("pending_operations")  # a dry run changes nothing

    done = chatcomp(engine, project, "recover", "--stack", project.stack)
    assert done.returncode == 0, done.stderr
    assert f"adopted {len(orphans)}, dropped {len(pending) - len(orphans)}," in done.stdout
    assert KEY not in done.stdout + done.stderr
    assert not project.deployment().get("pending_operations")
    assert set(project.state_ids().values()) == stored_before  # every orphan is owned now

    faults.admin.reset_counters()
    project.up()
    assert creates(faults) == project.count - len(stored_before)  # only the missing ones
    project.assert_converged()  # no duplicate, no orphan
    # The adopted resources' outputs are what the API holds: a refresh finds nothing to change.
    project.cli("refresh", "--yes", "--skip-preview", "--expect-no-changes")


# -- secrets (9.5) ----------------------------------------------------------------------------


def test_the_key_is_not_in_verbose_engine_logs_or_state(
    engine: Engine, faults: LocalServer, tmp_path: Path
) -> None:
    """The config-key path, with the engine's own verbose logging (which records every
    gRPC call to the provider) and the provider's retries: no form of the key anywhere."""
    project = Project(engine, tmp_path / "verbose", faults, count=1)
    faults.admin.set_faults(fail_next=[503, 500])
    done = project.up("--logtostderr", "-v=9", "--logflow")
    output = done.stdout + done.stderr
    assert "RegisterResource" in output or "Create" in output  # the logs are really there
    shown = export_state(engine, project.dir, project.stack, show_secrets=False)
    for form in KEY_FORMS:
        assert form not in output
        assert form not in shown
    for resource in resources_of(shown, TYPE):
        assert KEY.encode() not in base64.b64decode(resource["outputs"]["__provider"])


def test_a_rejected_key_is_reported_without_it(
    engine: Engine, faults: LocalServer, tmp_path: Path
) -> None:
    project = Project(engine, tmp_path / "wrong-key", faults, count=1)
    wrong = "sk-e2e-wrong-key-zyxwvutsrq9876543210"
    project.cli("config", "set", "--secret", "chatcomp:apiKey", wrong)
    done = project.up(check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "401" in output
    assert "POST /chat/completions" in output
    assert "Traceback" not in output
    for form in (wrong, base64.b64encode(wrong.encode()).decode(), *KEY_FORMS):
        assert form not in output
