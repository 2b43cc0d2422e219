"""Per-endpoint request counters, keyed like ``"GET /v1/chat/completions/{id}"``, and how many
requests are in flight (received, not yet done)."""

from __future__ import annotations

import re
import threading
from collections import Counter

_TEMPLATES = (
    (re.compile(r"^/v1/chat/completions/?$"), "/v1/chat/completions"),
    (re.compile(r"^/v1/chat/completions/[^/]+/messages/?$"), "/v1/chat/completions/{id}/messages"),
    (re.compile(r"^/v1/chat/completions/[^/]+/?$"), "/v1/chat/completions/{id}"),
)


def endpoint_key(method: str, path: str) -> str:
    """The counter key for a request.

    >>> endpoint_key("GET", "/v1/chat/completions/chatcmpl-abc/messages")
    'GET /v1/chat/completions/{id}/messages'
    """
    for pattern, template in _TEMPLATES:
        if pattern.match(path):
            return f"{method} {template}"
    return f"{method} {path}"


class RequestCounters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._in_flight = 0

    def add(self, key: str) -> None:
        """Count a request, in flight until ``done()``."""
        with self._lock:
            self._counts[key] += 1
            self._in_flight += 1

    def done(self) -> None:
        """A counted request is finished: answered, failed, or its client gone."""
        with self._lock:
            self._in_flight -= 1

    @property
    def in_flight(self) -> int:
        """Requests received and not yet done (a reset of the counts keeps them)."""
        with self._lock:
            return self._in_flight

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counts.items()))

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
