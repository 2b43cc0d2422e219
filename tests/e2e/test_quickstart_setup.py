"""The quickstart in a fresh clone for someone who has the Pulumi CLI and no Go.

scripts/find-engine.sh picks a `pulumi` already on PATH when its version is supported and
builds the pinned engine only otherwise, which needs Go. These tests clone the repository at
HEAD (so they see committed changes only) and run `bash scripts/quickstart.sh` with a PATH
that has no `go`: once with the "user's" Pulumi (links to the engine the tests built), once
with a `pulumi` too old to use.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

from tests.e2e.helpers import PULUMI_VERSION, REPO, VENV_BIN, Engine

# What the user's installation holds of the engine (the official installer puts these, and
# more, in ~/.pulumi/bin).
USER_BINARIES = (
    "pulumi",
    "pulumi-language-python",
    "pulumi-language-python-exec",
    "pulumi-resource-pulumi-python",
)


def clone(tmp_path: Path) -> Path:
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def without_go(tmp_path: Path, pulumi_dir: Path) -> dict[str, str]:
    """The environment of a user whose PATH has `pulumi_dir`, Python, git and coreutils,
    and no Go; nothing of the test run's own PULUMI_/CHATCOMP_ settings (CI's
    CHATCOMP_BUILD_ENGINE=1 above all)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PULUMI_", "CHATCOMP_", "OPENAI_"))
    }
    env["PATH"] = os.pathsep.join([str(pulumi_dir), str(VENV_BIN), "/usr/bin", "/bin"])
    assert shutil.which("go", path=env["PATH"]) is None, "the test needs a PATH without go"
    env["PULUMI_HOME"] = str(tmp_path / "pulumi-home")
    env["CHATCOMP_QUICKSTART_PORT"] = str(free_port())
    return env


def test_quickstart_uses_the_users_pulumi_without_building(engine: Engine, tmp_path: Path) -> None:
    repo = clone(tmp_path)
    user_pulumi = tmp_path / "user-pulumi"
    user_pulumi.mkdir()
    for name in USER_BINARIES:
        (user_pulumi / name).symlink_to(engine.bin_dir / name)

    # setup.sh makes the clone's own .venv (pip install -e '.[dev]'): most of the time.
    done = subprocess.run(
        ["bash", "scripts/quickstart.sh"],
        cwd=repo,
        env=without_go(tmp_path, user_pulumi),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    assert done.returncode == 0, f"stdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"
    assert f"find-engine: using pulumi v{PULUMI_VERSION} at {user_pulumi}/pulumi" in done.stderr
    assert "building pulumi" not in done.stderr
    # The script ends with `pulumi stack output --json`.
    outputs = json.loads(done.stdout[done.stdout.rindex("\n{") :])
    assert outputs["id"].startswith("chatcmpl-")
    assert outputs["content"]
    assert outputs["usage"]["total_tokens"] > 0


def test_quickstart_names_the_versions_when_pulumi_is_too_old_and_go_is_missing(
    tmp_path: Path,
) -> None:
    repo = clone(tmp_path)
    old_pulumi = tmp_path / "old-pulumi"
    old_pulumi.mkdir()
    stub = old_pulumi / "pulumi"
    stub.write_text("#!/bin/sh\necho v3.100.0\n")
    stub.chmod(0o755)
    env = without_go(tmp_path, old_pulumi)
    # No ~/.pulumi/bin of the machine's own user either.
    env["HOME"] = str(tmp_path / "home")

    done = subprocess.run(
        ["bash", "scripts/quickstart.sh"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode != 0, done.stdout[-4000:]
    assert f"pulumi v3.100.0 at {stub}, older than v3.200.0" in done.stderr
    assert "Go" in done.stderr and "https://go.dev/dl/" in done.stderr
    assert "building pulumi" not in done.stderr
    # It says so before the slow part of the setup.
    assert not (repo / ".venv").exists()
