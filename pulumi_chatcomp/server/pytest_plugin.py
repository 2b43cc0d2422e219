"""pytest plugin (entry point ``chatcomp``): fixtures that run a local chatcomp server.

- ``chatcomp_server`` (session): one server for the whole run; reset faults you set.
- ``chatcomp_server_fresh`` (function): a server of its own with default flags.
- ``chatcomp_server_factory`` (function): ``factory(*flags) -> LocalServer`` for custom
  flags, a ``--db`` file or restarts; every server it starts is stopped after the test.

For example::

    def test_a_rate_limit_is_retried(chatcomp_server):
        chatcomp_server.admin.set_faults(fail_next=[429])
        client = openai.OpenAI(base_url=chatcomp_server.base_url, api_key="sk-test")
        assert client.chat.completions.create(model="gpt-4o-mini", messages=...).id
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from pulumi_chatcomp.server.testing import LocalServer


@pytest.fixture(scope="session")
def chatcomp_server() -> Iterator[LocalServer]:
    """A local server shared by the whole test session."""
    with LocalServer() as server:
        yield server


@pytest.fixture
def chatcomp_server_fresh() -> Iterator[LocalServer]:
    """A local server for this test only (empty database, no faults)."""
    with LocalServer() as server:
        yield server


@pytest.fixture
def chatcomp_server_factory() -> Iterator[Callable[..., LocalServer]]:
    """Start servers with custom flags: ``chatcomp_server_factory("--api-key", "k")``."""
    servers: list[LocalServer] = []

    def start(*flags: str) -> LocalServer:
        server = LocalServer(flags)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()
