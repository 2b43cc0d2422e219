"""The quickstart in a fresh clone for someone who has the Pulumi CLI and no Go, run twice.

scripts/find-engine.sh picks a `pulumi` already on PATH when its version is supported, else
the pinned engine, which it builds (with Go) only when no earlier run did. These tests clone
the repository at HEAD (so they see committed changes only) and run `bash
scripts/quickstart.sh` with a PATH that has no `go`: with the "user's" Pulumi (links to the
engine the tests built), twice, the second run installing nothing; and with a `pulumi` too
old to use. A last one asks find-engine.sh itself for the pinned engine the tests built.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.e2e.helpers import PULUMI_VERSION, REPO, VENV_BIN, Engine, unclaimed_port

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


def without_go(tmp_path: Path, pulumi_dir: Path) -> dict[str, str]:
    """The environment of a user whose PATH has `pulumi_dir`, Python, git and coreutils,
    and no Go; nothing of the test run's own PULUMI_/CHATCOMP_ settings (CI's
    CHATCOMP_BUILD_ENGINE=1 above all)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PULUMI_", "CHATCOMP_", "OPENAI_"))
    }
    env.pop("XDG_CACHE_HOME", None)  # so that HOME alone says where the engine cache is
    env["PATH"] = os.pathsep.join([str(pulumi_dir), str(VENV_BIN), "/usr/bin", "/bin"])
    assert shutil.which("go", path=env["PATH"]) is None, "the test needs a PATH without go"
    env["PULUMI_HOME"] = str(tmp_path / "pulumi-home")
    # The server listens on it in both runs of a test: a port no other server is given.
    env["CHATCOMP_QUICKSTART_PORT"] = str(unclaimed_port())
    return env


def quickstart(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["bash", "scripts/quickstart.sh"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"
    return done


def installed(repo: Path) -> dict[str, int]:
    """The files of the clone venv's install of the package, each with its modification time
    (ns): pip writes them all again whenever it installs the package."""
    (dist_info,) = (repo / ".venv" / "lib").glob(
        "python3*/site-packages/pulumi_chatcomp-*.dist-info"
    )
    files = [*dist_info.iterdir(), repo / ".venv" / "chatcomp-setup.stamp"]
    return {str(path): path.stat().st_mtime_ns for path in files}


def test_quickstart_uses_the_users_pulumi_and_installs_nothing_the_second_time(
    engine: Engine, tmp_path: Path
) -> None:
    repo = clone(tmp_path)
    user_pulumi = tmp_path / "user-pulumi"
    user_pulumi.mkdir()
    for name in USER_BINARIES:
        (user_pulumi / name).symlink_to(engine.bin_dir / name)
    env = without_go(tmp_path, user_pulumi)

    # setup.sh makes the clone's own .venv (pip install -e '.[dev]'): most of the time.
    first = quickstart(repo, env)
    using = f"find-engine: using pulumi v{PULUMI_VERSION} at {user_pulumi}/pulumi"
    assert using in first.stderr
    assert "building pulumi" not in first.stderr
    assert "Editable installation" not in first.stderr  # setuptools' box says nothing here
    # The script ends with `pulumi stack output --json`.
    outputs = json.loads(first.stdout[first.stdout.rindex("\n{") :])
    assert outputs["id"].startswith("chatcmpl-")
    assert outputs["content"]
    assert outputs["usage"]["total_tokens"] > 0

    # The second run has nothing to set up: pip installs nothing (the install's files are
    # untouched) and all setup says is which engine it uses.
    before = installed(repo)
    second = quickstart(repo, env)
    assert installed(repo) == before
    assert second.stderr.splitlines() == [using], second.stderr
    assert json.loads(second.stdout[second.stdout.rindex("\n{") :])["id"] == outputs["id"]

    # A change to pyproject.toml (here, one more command) is installed by the next setup.
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            "[project.scripts]\n",
            '[project.scripts]\nchatcomp-again = "pulumi_chatcomp.cli:main"\n',
        )
    )
    subprocess.run(["bash", "scripts/setup.sh"], cwd=repo, env=env, check=True, timeout=900)
    assert installed(repo) != before
    again = subprocess.run(
        [str(repo / ".venv" / "bin" / "chatcomp-again"), "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert again.stdout.startswith("chatcomp ")


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


def test_find_engine_uses_the_pinned_engine_built_earlier_and_says_so_in_one_line(
    engine: Engine, tmp_path: Path
) -> None:
    built = subprocess.run(
        ["bash", str(REPO / "scripts" / "install-engine.sh"), "--if-built"],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        pytest.fail(f"the pinned engine is not in install-engine.sh's cache: {built.stderr}")
    pinned = Path(built.stdout.strip())
    # No pulumi on PATH nor in ~/.pulumi/bin; Go, if the machine has it, stays on PATH.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CHATCOMP_BUILD_ENGINE", "XDG_CACHE_HOME")
    }
    env["PATH"] = os.pathsep.join(
        part for part in env["PATH"].split(os.pathsep) if not (Path(part) / "pulumi").exists()
    )
    env["HOME"] = str(tmp_path / "home")
    env["CHATCOMP_ENGINE_CACHE"] = str(pinned.parents[1])

    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "find-engine.sh")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert done.stdout.splitlines() == [str(pinned)]
    assert done.stderr.splitlines() == [
        f"find-engine: using the pinned pulumi v{PULUMI_VERSION}, built earlier"
    ]


def test_a_wheel_built_from_a_clone_carries_the_startup_file(tmp_path: Path) -> None:
    # The README's command for installing without a release: a wheel, built in the clone.
    repo = clone(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", "dist", "."],
        cwd=repo,
        check=True,
        timeout=600,
    )
    (wheel,) = (repo / "dist").glob("pulumi_chatcomp-*-py3-none-any.whl")
    shipped = (repo / "build-backend" / "pulumi_chatcomp-startup.pth").read_bytes()
    with zipfile.ZipFile(wheel) as built:
        assert built.read("pulumi_chatcomp-startup.pth") == shipped
        (record,) = (name for name in built.namelist() if name.endswith(".dist-info/RECORD"))
        assert "pulumi_chatcomp-startup.pth,sha256=" in built.read(record).decode()
