"""Fixtures that run the real Pulumi engine (built by scripts/install-engine.sh).

Every test here drives the real `pulumi` CLI on a `file://` backend in a temporary folder,
through the Automation API (`pulumi.automation`) or the CLI itself, against the local
chat-completions server over HTTP. Nothing is stubbed: if the engine cannot be built the
tests error out, they are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import Engine, engine_bin_dir


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The real Pulumi CLI, a private PULUMI_HOME and a file backend, all offline."""
    return Engine.offline(
        engine_bin_dir(),
        tmp_path_factory.mktemp("pulumi-home"),
        tmp_path_factory.mktemp("pulumi-backend"),
    )


@pytest.fixture
def project_dir(tmp_path: Path) -> Iterator[Path]:
    """A scratch folder for one test's Pulumi project."""
    yield tmp_path / "project"
