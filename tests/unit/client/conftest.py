"""Fixtures for client tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.client.helpers import Harness


@pytest.fixture
def harness() -> Iterator[Harness]:
    harness = Harness()
    yield harness
    for client in harness.clients:
        client.close()
