"""When to retry a request and how long to wait: small pure functions.

An *outcome* is what one attempt produced: an ``httpx.Response`` with an error status, or the
exception the transport raised. ``classify`` says what it tells about the server (a
``Failure``), and ``decide`` looks up what the retry loop does next in one table, by how the
request is sent (a ``Sending``), that failure, and whether attempts are left. The rules follow
the official SDK, with one deliberate change: a server-asked delay above ``MAX_RETRY_AFTER``
seconds is ignored (backoff is used instead) rather than turning off retries.

>>> decide(Sending.FINDABLE_CREATE, classify(httpx.Response(500)), attempt=0, max_retries=2)
Decision(wait=True, look_up=True, send_again=True, may_exist=False, note=None)
>>> retry_delay(0, httpx.Headers({"retry-after": "2"}), max_retries=2)
2.0
"""

from __future__ import annotations

import datetime
import email.utils
import enum
import random
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple

import httpx

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "Decision",
    "Failure",
    "Outcome",
    "Sending",
    "classify",
    "decide",
    "retry_after",
    "retry_delay",
]

Outcome = httpx.Response | BaseException

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""Server-asked waits longer than this are not honoured; capped backoff is used instead."""

_RETRY_STATUSES = frozenset({408, 409})

# The request never left this process: no connection was made, or none was free in the pool.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Failure(enum.Enum):
    """What a failed attempt tells about the server, as far as retrying goes."""

    UNSENT = "unsent"
    """The server certainly did not act on the request (it never reached the server, or the
    server refused it and said so): even a create may be sent again."""
    AMBIGUOUS = "ambiguous"
    """Worth another attempt, but the server may have acted: a read timeout, a dropped
    connection, 408, 409, other 5xx."""
    FINAL = "final"
    """An answer another attempt would not change: 4xx, ``x-should-retry: false``."""
    UNREADABLE = "unreadable"
    """The server answered, but not with what the API promises; it did act on the request."""


class Sending(enum.Enum):
    """How a request may be sent more than once."""

    IDEMPOTENT = "idempotent"
    """A read, update or delete: sending it twice does no harm."""
    CREATE = "create"
    """A create nothing can look up: sent twice, it could store two completions."""
    FINDABLE_CREATE = "findable create"
    """A create whose token a look-up finds, so a lost answer can be looked up."""


class Decision(NamedTuple):
    """What the retry loop does after a failed attempt, in this order.

    A look-up that itself fails, when ``may_exist`` is not already set, makes the error
    raised ``maybe_created`` and says so (the create may exist, and nothing could tell).
    """

    wait: bool = False
    """Sleep first: as the server asked (``retry-after``) or with backoff."""
    look_up: bool = False
    """Look the create up: what an earlier attempt stored is the answer."""
    send_again: bool = False
    """Send the request again (after a look-up, only when it found nothing)."""
    may_exist: bool = False
    """When raising: the completion may have been stored (``APIError.maybe_created``)."""
    note: str | None = None
    """When raising: a sentence the error gets, saying why there was no retry."""


_RAISE = Decision()
_RETRY = Decision(wait=True, send_again=True)
_LOOK_UP_THEN_RETRY = Decision(wait=True, look_up=True, send_again=True)
_LOOK_UP = Decision(wait=True, look_up=True)
_ADOPT = Decision(look_up=True, may_exist=True)
_MAY_EXIST = Decision(may_exist=True)
_NOT_SENT_AGAIN = Decision(
    may_exist=True,
    note=(
        "The completion may have been created, so the create was not sent again "
        "(a create with a new token could store a duplicate)"
    ),
)

_DECISIONS: Mapping[tuple[Sending, Failure], tuple[Decision, Decision]] = {
    # (how it is sent, how it failed):                 (attempts left,      the last attempt)
    (Sending.IDEMPOTENT, Failure.UNSENT): (_RETRY, _RAISE),
    (Sending.IDEMPOTENT, Failure.AMBIGUOUS): (_RETRY, _RAISE),
    (Sending.IDEMPOTENT, Failure.FINAL): (_RAISE, _RAISE),
    (Sending.IDEMPOTENT, Failure.UNREADABLE): (_RAISE, _RAISE),
    (Sending.CREATE, Failure.UNSENT): (_RETRY, _RAISE),
    (Sending.CREATE, Failure.AMBIGUOUS): (_NOT_SENT_AGAIN, _NOT_SENT_AGAIN),
    (Sending.CREATE, Failure.FINAL): (_RAISE, _RAISE),
    (Sending.CREATE, Failure.UNREADABLE): (_MAY_EXIST, _MAY_EXIST),
    (Sending.FINDABLE_CREATE, Failure.UNSENT): (_RETRY, _RAISE),
    (Sending.FINDABLE_CREATE, Failure.AMBIGUOUS): (_LOOK_UP_THEN_RETRY, _LOOK_UP),
    (Sending.FINDABLE_CREATE, Failure.FINAL): (_RAISE, _RAISE),
    (Sending.FINDABLE_CREATE, Failure.UNREADABLE): (_ADOPT, _ADOPT),
}


def decide(sending: Sending, failure: Failure, *, attempt: int, max_retries: int) -> Decision:
    """What follows attempt number ``attempt`` (0 is the first) of at most
    ``max_retries + 1``, after ``failure``.

    >>> decide(Sending.IDEMPOTENT, Failure.AMBIGUOUS, attempt=2, max_retries=2).send_again
    False
    """
    more, last = _DECISIONS[sending, failure]
    return last if attempt >= max_retries else more


def classify(outcome: Outcome) -> Failure:
    """What an attempt's outcome tells about the server.

    A server's ``x-should-retry: true|false`` overrides every other rule (true: unsent,
    false: final). Otherwise a connection never made (connect error or timeout, pool
    timeout), 429 (rejected before any work) and 503 with ``retry-after``/``retry-after-ms``
    (refused, saying when to come back) are unsent; other transport errors, 408, 409 and
    5xx are ambiguous; the rest is final.

    >>> classify(httpx.Response(503, headers={"retry-after": "1"}))
    <Failure.UNSENT: 'unsent'>
    """
    told = _told(outcome)
    if told is not None:
        return Failure.UNSENT if told else Failure.FINAL
    if isinstance(outcome, httpx.Response):
        status = outcome.status_code
        if status == 429 or (status == 503 and _asked_to_wait(outcome.headers)):
            return Failure.UNSENT
        if status in _RETRY_STATUSES or status >= 500:
            return Failure.AMBIGUOUS
        return Failure.FINAL
    if isinstance(outcome, _NOT_SENT):
        return Failure.UNSENT
    if isinstance(outcome, httpx.TransportError):
        return Failure.AMBIGUOUS
    return Failure.FINAL


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


def _asked_to_wait(headers: httpx.Headers) -> bool:
    return "retry-after" in headers or "retry-after-ms" in headers


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
