"""Fixtures that run the real Pulumi engine (built by scripts/install-engine.sh).

Every test here drives the real `pulumi` CLI on a `file://` backend in a temporary folder,
through the Automation API (`pulumi.automation`) or the CLI itself, against the local
chat-completions server over HTTP. Nothing is stubbed: if the engine cannot be built the
tests error out, they are never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import VENV_BIN, Engine, engine_bin_dir


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The real Pulumi CLI, a private PULUMI_HOME and a file backend, all offline."""
    bin_dir = engine_bin_dir()
    home = tmp_path_factory.mktemp("pulumi-home")
    backend = tmp_path_factory.mktemp("pulumi-backend")
    env = {
        key: value
        for key, value in os.environ.items()
        # An ambient key must not leak into tests that assert where keys go.
        if not key.startswith(("OPENAI_", "PULUMI_", "CHATCOMP_"))
    }
    env |= {
        # The venv first, so `python3` (program, dynamic provider host, policy packs) is
        # the interpreter that has pulumi_chatcomp installed; the engine next.
        "PATH": os.pathsep.join([str(VENV_BIN), str(bin_dir), env.get("PATH", "")]),
        "PULUMI_HOME": str(home),
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_CONFIG_PASSPHRASE": "chatcomp-e2e-passphrase",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_SKIP_CONFIRMATIONS": "true",
        "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
        "PYTHONUNBUFFERED": "1",
    }
    return Engine(bin_dir=bin_dir, home=home, backend=backend, env=env)


@pytest.fixture
def project_dir(tmp_path: Path) -> Iterator[Path]:
    """A scratch folder for one test's Pulumi project."""
    yield tmp_path / "project"
