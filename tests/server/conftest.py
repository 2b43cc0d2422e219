"""Fixtures for the server conformance tests (servers come from the ``chatcomp`` plugin)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest

from pulumi_chatcomp.server.testing import LocalServer


@pytest.fixture
def server(chatcomp_server: LocalServer) -> Iterator[LocalServer]:
    """The session server, with faults and counters reset around each test."""
    chatcomp_server.admin.reset_faults()
    chatcomp_server.admin.reset_counters()
    yield chatcomp_server
    chatcomp_server.admin.reset_faults()


@pytest.fixture
def client(server: LocalServer) -> Iterator[openai.OpenAI]:
    """The official SDK pointed at the local server, without retries unless a test asks."""
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as sdk:
        yield sdk


@pytest.fixture
def http(server: LocalServer) -> Iterator[httpx.Client]:
    """Raw HTTP, for what the SDK hides (headers, bodies of errors)."""
    with httpx.Client(base_url=server.base_url, timeout=10) as raw:
        yield raw
