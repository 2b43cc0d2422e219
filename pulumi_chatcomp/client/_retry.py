"""When to retry a request and how long to wait: small pure functions.

An *outcome* is what one attempt produced: an ``httpx.Response`` with an error status, or the
exception the transport raised. The rules follow the official SDK, with one deliberate change:
a server-asked delay above ``MAX_RETRY_AFTER`` seconds is ignored (backoff is used instead)
rather than turning off retries.

>>> retry_delay(0, httpx.Headers({"retry-after": "2"}), max_retries=2)
2.0
"""

from __future__ import annotations

import datetime
import email.utils
import random
import time
from collections.abc import Callable, Mapping

import httpx

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "Outcome",
    "is_unprocessed",
    "retry_after",
    "retry_delay",
    "should_retry",
]

Outcome = httpx.Response | BaseException

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""Server-asked waits longer than this are not honoured; capped backoff is used instead."""

_RETRY_STATUSES = frozenset({408, 409, 429})

# The request never left this process: no connection was made, or none was free in the pool.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def should_retry(outcome: Outcome) -> bool:
    """Whether an idempotent request may be sent again after this outcome.

    Connection errors and timeouts, 408, 409, 429 and every 5xx are retried; a server's
    ``x-should-retry: true|false`` overrides the status rule.

    >>> should_retry(httpx.Response(503))
    True
    """
    told = _told(outcome)
    if told is not None:
        return told
    if isinstance(outcome, httpx.Response):
        return outcome.status_code in _RETRY_STATUSES or outcome.status_code >= 500
    return isinstance(outcome, httpx.TransportError)


def is_unprocessed(outcome: Outcome) -> bool:
    """Whether the server certainly did not act on the request, so even a create may be resent.

    True for a connection that was never made (connect error or timeout, pool timeout), for
    429 (rejected before any work), for 503 with ``retry-after``/``retry-after-ms`` (the server
    refused and said when to come back) and for ``x-should-retry: true``;
    ``x-should-retry: false`` always wins. A read timeout, a dropped connection, 408, 409 and
    other 5xx are ambiguous: the completion may exist.

    >>> is_unprocessed(httpx.Response(500))
    False
    """
    told = _told(outcome)
    if told is not None:
        return told
    if isinstance(outcome, httpx.Response):
        if outcome.status_code == 429:
            return True
        return outcome.status_code == 503 and (
            "retry-after" in outcome.headers or "retry-after-ms" in outcome.headers
        )
    return isinstance(outcome, _NOT_SENT)


def retry_after(
    headers: Mapping[str, str], *, now: Callable[[], float] = time.time
) -> float | None:
    """The wait in seconds the server asked for, or None when absent, invalid or too long.

    Reads ``retry-after-ms`` (milliseconds), then ``retry-after`` as seconds, then as an HTTP date.
    Zero, negative, past and over-``MAX_RETRY_AFTER`` values give None.

    >>> retry_after(httpx.Headers({"retry-after-ms": "1500"}))
    1.5
    """
    headers = httpx.Headers(headers)
    seconds: float | None = None
    milliseconds = _number(headers.get("retry-after-ms"))
    if milliseconds is not None:
        seconds = milliseconds / 1000
    else:
        value = headers.get("retry-after")
        if value is not None:
            seconds = _number(value)
            if seconds is None:
                seconds = _http_date_delay(value, now())
    if seconds is None or not 0 < seconds <= MAX_RETRY_AFTER:
        return None
    return seconds


def retry_delay(
    attempt: int,
    headers: Mapping[str, str] | None = None,
    *,
    max_retries: int,
    jitter: Callable[[], float] = random.random,
    now: Callable[[], float] = time.time,
) -> float:
    """Seconds to wait before retry number ``attempt + 1`` (``attempt`` retries already taken).

    The server's ``retry-after-ms``/``Retry-After`` wins when usable; otherwise capped exponential
    backoff ``min(0.5 * 2**attempt, 8)`` scaled by a jitter factor in (0.75, 1.0].

    >>> retry_delay(1, None, max_retries=2, jitter=lambda: 0.0)
    1.0
    """
    if headers is not None:
        asked = retry_after(headers, now=now)
        if asked is not None:
            return asked
    retries_taken = max(0, min(attempt, max_retries, 1000))
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * jitter())


def _told(outcome: Outcome) -> bool | None:
    # The server's own word, `x-should-retry: true|false`, beats every other rule.
    if not isinstance(outcome, httpx.Response):
        return None
    value = outcome.headers.get("x-should-retry", "").strip().lower()
    if value == "true":
        return True
    if value == "false":
        return False
    return None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number else None  # NaN is not a number of seconds


def _http_date_delay(value: str, now: float) -> float | None:
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # "-0000" means UTC with no known local offset
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.timestamp() - now
