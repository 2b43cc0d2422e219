"""Helpers for end-to-end tests under the real Pulumi engine (see conftest.py)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

REPO = Path(__file__).resolve().parents[2]
# One source of truth for the pinned engine version: the install script.
PULUMI_VERSION = re.search(
    r'^PULUMI_VERSION="([^"]+)"', (REPO / "scripts" / "install-engine.sh").read_text(), re.M
)[1]  # type: ignore[index]
VENV_BIN = Path(sys.executable).parent
PROGRAMS = Path(__file__).parent / "programs"


def engine_bin_dir() -> Path:
    given = os.environ.get("CHATCOMP_PULUMI_BIN")
    if given:
        return Path(given)
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "install-engine.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/install-engine.sh failed:\n{done.stderr[-4000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


@dataclass
class Engine:
    """The built engine plus an isolated, offline environment to run it in."""

    bin_dir: Path
    home: Path
    backend: Path
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def offline(cls, bin_dir: Path, home: Path, backend: Path) -> Engine:
        """The engine in ``bin_dir`` with a private PULUMI_HOME and file backend, offline and
        without prompts; no ambient OPENAI_/PULUMI_/CHATCOMP_ variable leaks in."""
        env = {
            key: value
            for key, value in os.environ.items()
            # An ambient key must not leak into runs that assert where keys go.
            if not key.startswith(("OPENAI_", "PULUMI_", "CHATCOMP_"))
        }
        env |= {
            # The venv first, so `python3` (program, dynamic provider host, policy packs) is
            # the interpreter that has pulumi_chatcomp installed; the engine next.
            "PATH": os.pathsep.join([str(VENV_BIN), str(bin_dir), env.get("PATH", "")]),
            "PULUMI_HOME": str(home),
            "PULUMI_BACKEND_URL": f"file://{backend}",
            "PULUMI_CONFIG_PASSPHRASE": "chatcomp-offline-passphrase",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
            "PYTHONUNBUFFERED": "1",
        }
        return cls(bin_dir=bin_dir, home=home, backend=backend, env=env)

    def cli(
        self,
        *args: str,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        check: bool = True,
        timeout: float = 600,
    ) -> subprocess.CompletedProcess[str]:
        """Run the `pulumi` CLI with this engine's environment."""
        done = subprocess.run(
            [str(self.bin_dir / "pulumi"), *args],
            cwd=cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"pulumi {' '.join(args)} exited {done.returncode}\n"
                f"stdout:\n{done.stdout[-6000:]}\nstderr:\n{done.stderr[-6000:]}"
            )
        return done

    def stack(
        self,
        project_dir: Path,
        *,
        name: str | None = None,
        config: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> auto.Stack:
        """Create a fresh stack of the project in ``project_dir`` through the Automation API."""
        workspace = auto.LocalWorkspace(
            work_dir=str(project_dir),
            pulumi_home=str(self.home),
            env_vars={**self.env, **(env or {})},
            pulumi_command=auto.PulumiCommand(root=str(self.bin_dir.parent)),
        )
        stack = auto.Stack.create(name or f"t{uuid.uuid4().hex[:10]}", workspace)
        values = {k: auto.ConfigValue(v) for k, v in (config or {}).items()}
        values |= {k: auto.ConfigValue(v, secret=True) for k, v in (secrets or {}).items()}
        if values:
            stack.set_all_config(values)
        return stack


def unclaimed_port() -> int:
    """A free port on 127.0.0.1 for a server that must be started on a port known in advance
    (the quickstart's): below the kernel's ephemeral range, so no ``bind(0)`` of another test,
    worker or program, and no outgoing connection, is ever given it meanwhile."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    while True:
        port = random.randrange(10_000, low)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue  # someone listens there: draw again
            return port


def another_machine(engine: Engine, root: Path, *, plugin_on_path: bool) -> Engine:
    """The engine on a machine of its own (PULUMI_HOME and backend under ``root``), where
    nothing is pip-installed: ``python3`` is the interpreter the test venv was made from,
    without the venv's packages. The venv's ``bin``, which holds a ``pulumi-resource-chatcomp``,
    is last on PATH when ``plugin_on_path``, else not there."""
    python = root / "python-bin"
    python.mkdir(parents=True)
    for name in ("python3", "python"):
        (python / name).symlink_to(sys._base_executable)
    (root / "home").mkdir()
    (root / "backend").mkdir()
    machine = Engine.offline(engine.bin_dir, root / "home", root / "backend")
    path = [part for part in machine.env["PATH"].split(os.pathsep) if Path(part) != VENV_BIN]
    path = [str(python), *path, *([str(VENV_BIN)] if plugin_on_path else [])]
    machine.env["PATH"] = os.pathsep.join(path)
    return machine


def write_project(directory: Path, program: str, *, name: str = "chatcomp-test") -> Path:
    """Write a one-file Pulumi Python project and return its folder."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(program).lstrip())
    return directory


def copy_project(source: Path, directory: Path) -> Path:
    """Copy an example project (without stack files) into a scratch folder."""
    shutil.copytree(
        source, directory, ignore=shutil.ignore_patterns("Pulumi.*.yaml", "__pycache__")
    )
    return directory


def export_state(engine: Engine, project_dir: Path, stack: str, *, show_secrets: bool) -> str:
    """`pulumi stack export` as text, the way a user would look at the state."""
    args = ["stack", "export", "--stack", stack]
    if show_secrets:
        args.append("--show-secrets")
    return engine.cli(*args, cwd=project_dir).stdout


def resources_of(state_text: str, type_token: str) -> list[dict[str, Any]]:
    """The resources of one type in an exported state."""
    deployment = json.loads(state_text)["deployment"]
    return [r for r in deployment.get("resources", []) if r["type"] == type_token]


@dataclass(frozen=True)
class Face:
    """One way a Python program manages a ChatCompletion: the dynamic resource, or the
    provider plugin's (``pulumi_chatcomp.native``)."""

    name: str
    type_token: str
    anchors: int
    """Resources a program of this face has besides the stack and its completions: the
    dynamic face's one StackAnchor per stack (the plugin's provider resource is not counted
    in an update's summary)."""

    def prepare(self, project_dir: Path) -> Path:
        """Make the project use this face: its program reads the ``face`` config key, and the
        plugin face names the plugin's folder in ``Pulumi.yaml`` (so the engine finds it
        without the warning a plugin on PATH gets)."""
        if self.name == "plugin":
            with (project_dir / "Pulumi.yaml").open("a") as project:
                project.write(plugin_section())
        return project_dir


def plugin_section() -> str:
    """The ``plugins`` section of a ``Pulumi.yaml`` that finds ``pulumi-resource-chatcomp``
    in the test's virtual environment."""
    # A JSON string is a YAML 1.2 scalar that stays a string whatever the path holds.
    path = json.dumps(str(VENV_BIN))
    return f"plugins:\n  providers:\n    - name: chatcomp\n      path: {path}\n"


FACES = (
    Face("dynamic", "pulumi-python:dynamic/chatcomp:ChatCompletion", anchors=1),
    Face("plugin", "chatcomp:index:ChatCompletion", anchors=0),
)
