"""Fixtures for the cli tests."""

from __future__ import annotations

import socket

import pytest

from tests.unit.cli.helpers import KEY


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> str:
    """A base URL where nothing listens (connections are refused), paired with KEY."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}/v1"
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("CHATCOMP_MAX_RETRIES", "0")
    return base_url
