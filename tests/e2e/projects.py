"""A stack of N completions driven through the ``pulumi`` CLI (so signals can be sent), and
what the tests that fail, kill and repair it ask of it: its state, what the server stored,
and whether the two converged (no duplicate, no orphan, nothing pending)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import (
    FACES,
    VENV_BIN,
    Engine,
    Face,
    export_state,
    resources_of,
    write_project,
)

KEY = "sk-e2e-reliability-0123456789abcdefgh"
AUTH = {"Authorization": f"Bearer {KEY}"}

# N completions tagged with the stack's run id; `index` tells them apart. The `face` config
# picks the dynamic resource (default) or the plugin's.
MANY = """
import pulumi
import pulumi_chatcomp as chatcomp
from pulumi_chatcomp import native

config = pulumi.Config()
run = config.require("run")
face = native if config.get("face") == "plugin" else chatcomp
for index in range(config.require_int("count")):
    face.ChatCompletion(
        f"c{index}",
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": config.get("prompt") or f"Count to {index}."}],
        metadata={"run": run, "index": str(index)},
    )
"""


class Project:
    """A stack of the MANY program driven through the CLI (so signals can be sent)."""

    def __init__(
        self,
        engine: Engine,
        directory: Path,
        server: LocalServer,
        count: int,
        face: Face = FACES[0],
        run: str | None = None,
    ) -> None:
        self.engine = engine
        self.face = face
        self.dir = face.prepare(write_project(directory, MANY))
        self.server = server
        self.run = run or uuid.uuid4().hex[:12]
        """Names the stack and tags its completions: two projects of one run share both."""
        self.stack = f"s{self.run}"
        self.count = count
        engine.cli("stack", "init", self.stack, cwd=self.dir)
        for key, value in {
            "run": self.run,
            "count": str(count),
            "chatcomp:baseUrl": server.base_url,
            "chatcomp:maxRetries": "10",
            "face": face.name,
        }.items():
            self.cli("config", "set", key, value)
        self.cli("config", "set", "--secret", "chatcomp:apiKey", KEY)

    @property
    def command(self) -> list[str]:
        return [str(self.engine.bin_dir / "pulumi")]

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.engine.cli(*args, "--stack", self.stack, cwd=self.dir, check=check)

    def up(self, *flags: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.cli("up", "--yes", "--skip-preview", *flags, check=check)

    def popen_up(self, *flags: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*self.command, "up", "--yes", "--skip-preview", "--stack", self.stack, *flags],
            cwd=self.dir,
            env={**self.engine.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def deployment(self) -> dict[str, Any]:
        text = export_state(self.engine, self.dir, self.stack, show_secrets=False)
        deployment: dict[str, Any] = json.loads(text)["deployment"]
        return deployment

    def completions(self) -> list[dict[str, Any]]:
        """The ChatCompletion resources in state: URN, id, inputs and outputs, in URN order
        (a failed refresh may reorder resources and drop the engine's own bookkeeping,
        such as propertyDependencies, without changing anything of ours)."""
        found = resources_of(json.dumps({"deployment": self.deployment()}), self.face.type_token)
        kept = [{k: r.get(k) for k in ("urn", "id", "inputs", "outputs")} for r in found]
        return sorted(kept, key=lambda resource: str(resource["urn"]))

    def state_ids(self) -> dict[str, str]:
        """Resource name -> completion id, from the exported state."""
        return {r["urn"].rsplit("::", 1)[1]: r["id"] for r in self.completions()}

    def stored(self) -> list[dict[str, Any]]:
        """The completions of this stack's run on the server."""
        response = httpx.get(
            f"{self.server.base_url}/chat/completions",
            headers=AUTH,
            params={"metadata[run]": self.run, "limit": 100},
        )
        response.raise_for_status()
        data: list[dict[str, Any]] = response.json()["data"]
        return data

    def orphans(self) -> set[str]:
        """Completions of this run stored on the server that no resource of the state owns."""
        return {c["id"] for c in self.stored()} - set(self.state_ids().values())

    def assert_converged(self) -> None:
        """Every resource exists exactly once on the server: no duplicates, no orphans, no
        phantom (a resource whose completion is not stored), nothing pending."""
        stored = self.stored()
        indexes = sorted(int(c["metadata"]["index"]) for c in stored)
        assert indexes == list(range(self.count)), f"stored indexes {indexes}"
        assert self.state_ids() == {f"c{c['metadata']['index']}": c["id"] for c in stored}
        assert not self.deployment().get("pending_operations")


def processes_under(pid: int) -> list[tuple[int, str]]:
    """Every descendant of process ``pid``: (pid, command line)."""
    children: dict[int, list[int]] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        commands[int(entry.name)] = command
    found: list[tuple[int, str]] = []
    stack = list(children.get(pid, []))
    while stack:
        child = stack.pop()
        found.append((child, commands.get(child, "")))
        stack += children.get(child, [])
    return found


def running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# What a face's provider process looks like on its command line.
PROVIDER_PROCESS = {"dynamic": "-m pulumi.dynamic", "plugin": "pulumi-resource-chatcomp"}


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll ``condition`` until it holds; the timeout only bounds a failure."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def provider_of(up: subprocess.Popen[str], face: Face) -> int:
    """The pid of the provider process ``up`` started for ``face`` (waits for it)."""
    found: list[int] = []

    def started() -> bool:
        found[:] = [
            pid
            for pid, command in processes_under(up.pid)
            if PROVIDER_PROCESS[face.name] in command
        ]
        return bool(found)

    wait_for(started, f"the {face.name} provider process")
    return found[0]


def settle(project: Project, provider: int) -> None:
    """After ``up`` was killed or interrupted: wait until its provider process has ended and
    the server has finished all it was sent. A create whose client died still finishes on the
    server (after its latency fault, or later on a busy machine); what the test reads next must
    hold every completion that will ever be stored."""
    wait_for(lambda: not running(provider), "the provider to exit", 120)
    project.server.admin.wait_until_idle()


def kill_between_saves(up: subprocess.Popen[str], backend: Path) -> None:
    """SIGKILL ``up`` (a ``pulumi`` on the file backend ``backend``) at a moment when no
    checkpoint save is half done.

    The file backend renames a checkpoint into place, but writes its ``.attrs`` file in place:
    created empty, then written. A ``pulumi`` killed between the two leaves it empty, and every
    later command of the stack fails with ``failed to load checkpoint: EOF``; on a busy machine
    a kill lands there often enough to matter. So ``up`` is stopped first, and killed while
    stopped only if every ``.attrs`` file is whole; otherwise it runs on a moment and the next
    try comes."""
    while True:
        up.send_signal(signal.SIGSTOP)
        wait_for(lambda: _stopped(up.pid), "pulumi to stop")
        if all(_whole(attrs) for attrs in (backend / ".pulumi").rglob("*.attrs")):
            up.kill()
            return
        up.send_signal(signal.SIGCONT)
        time.sleep(0.01)


def _stopped(pid: int) -> bool:
    # A stop takes each thread in turn; all of them must have stopped.
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            state = (task / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # the thread is gone
        if state not in ("T", "t", "Z", "X"):
            return False
    return True


def _whole(attrs: Path) -> bool:
    try:
        json.loads(attrs.read_text())
    except (OSError, ValueError):
        return False
    return True


def creates(server: LocalServer) -> int:
    """Create requests the server has seen since its counters were reset."""
    return server.admin.counters().get("POST /v1/chat/completions", 0)


def chatcomp(engine: Engine, project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """The ``chatcomp`` command in the project's folder, with the engine on PATH."""
    return subprocess.run(
        [str(VENV_BIN / "chatcomp"), *args],
        cwd=project.dir,
        env=engine.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
