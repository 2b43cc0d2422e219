"""The in-memory API and a client on it, for every set test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.unit.client.helpers import Harness
from tests.unit.core.sets.fake_api import FakeAPI


@pytest.fixture
def api() -> FakeAPI:
    return FakeAPI()


@pytest.fixture
def client(api: FakeAPI) -> Iterator[Any]:
    harness = Harness()
    yield harness.client(api)
    for made in harness.clients:
        made.close()
