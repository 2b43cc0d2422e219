"""Fixtures that run the real Pulumi engine (built by scripts/install-engine.sh).

Every test here drives the real `pulumi` CLI on a `file://` backend in a temporary folder,
through the Automation API (`pulumi.automation`) or the CLI itself, against the local
chat-completions server over HTTP. Nothing is stubbed: if the engine cannot be built the
tests error out, they are never skipped.

The test command runs the suite in several pytest-xdist workers at once (scripts/test.sh):
these tests mostly wait on subprocesses. Each worker is a pytest session of its own, with its
own temporary folders, so session- and module-scoped fixtures are made once per worker that
needs them. A test is worker-safe when:

- everything it writes is under ``tmp_path`` / ``tmp_path_factory`` or in its worker's
  ``engine`` (a PULUMI_HOME and a file backend of the worker's own): never into the
  repository, ``~/.pulumi``, ``~/.cache`` or a fixed path. Machine-wide caches are written only
  by tools that lock or rename atomically (npm, go, pip, install-engine.sh, check-sdks.sh);
- its stacks have names of their own within the worker's backend (``engine.stack()`` draws
  one; a file backend keys stacks by project, so a project name of the test's own does too);
- its servers listen on port 0 (``LocalServer``, ``InFlightProxy``); a port that must be known
  before its server starts comes from ``unclaimed_port()``, and one that must refuse
  connections from the ``refused_port`` fixture;
- it needs no other test to have run before it (a module's tests are spread over workers);
  faults it sets on a module's server are reset by a fixture, as the modules here do;
- it waits for a condition (a counter, a state, a process), never a fixed time for something
  to happen elsewhere: under load a second is not a second. Timeouts only bound a failure;
- tests that share an expensive module fixture (a build, an install) carry one
  ``pytest.mark.xdist_group`` name, so that one worker makes it once for all of them.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import Engine, engine_bin_dir

# Modules whose tests take up to a minute each on a quiet machine (npm, go and pip installs
# into fresh folders), longest first: they start first, so that none is what a run waits for.
LONG = ("test_packages.py", "test_sdks.py", "test_quickstart_setup.py", "test_other_runtimes.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: _start_rank(item, here))


def _start_rank(item: pytest.Item, here: Path) -> int:
    if here in item.path.parents and item.path.name in LONG:
        return LONG.index(item.path.name)
    return len(LONG)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The real Pulumi CLI, a private PULUMI_HOME and a file backend, all offline (one per
    pytest-xdist worker)."""
    return Engine.offline(
        engine_bin_dir(),
        tmp_path_factory.mktemp("pulumi-home"),
        tmp_path_factory.mktemp("pulumi-backend"),
    )


@pytest.fixture
def project_dir(tmp_path: Path) -> Iterator[Path]:
    """A scratch folder for one test's Pulumi project."""
    yield tmp_path / "project"


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections for the whole test: bound but never
    listening, so no server of another test or worker can be given it meanwhile."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        port: int = held.getsockname()[1]
        yield port
