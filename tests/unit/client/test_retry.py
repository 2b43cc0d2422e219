"""Retry rules as pure functions (pulumi_chatcomp.client._retry)."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from pulumi_chatcomp.client._retry import (
    MAX_RETRY_AFTER,
    Failure,
    Outcome,
    classify,
    retry_after,
    retry_delay,
)

NOW = 1_800_000_000.0
REQUEST = httpx.Request("POST", "https://api.example/v1/chat/completions")


def response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={k.replace("_", "-"): v for k, v in headers.items()})


def http_date(offset: float) -> str:
    return email.utils.formatdate(NOW + offset, usegmt=True)


UNSENT, AMBIGUOUS, FINAL, UNREADABLE = (
    Failure.UNSENT,
    Failure.AMBIGUOUS,
    Failure.FINAL,
    Failure.UNREADABLE,
)


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        pytest.param(response(400), FINAL, id="400"),
        pytest.param(response(401), FINAL, id="401"),
        pytest.param(response(403), FINAL, id="403"),
        pytest.param(response(404), FINAL, id="404"),
        pytest.param(response(422), FINAL, id="422"),
        pytest.param(response(408), AMBIGUOUS, id="408"),
        pytest.param(response(409), AMBIGUOUS, id="409"),
        pytest.param(response(429), UNSENT, id="429"),
        pytest.param(response(500), AMBIGUOUS, id="500"),
        pytest.param(response(502), AMBIGUOUS, id="502"),
        pytest.param(response(503), AMBIGUOUS, id="503-bare"),
        pytest.param(response(504), AMBIGUOUS, id="504"),
        pytest.param(response(503, retry_after="1"), UNSENT, id="503-with-retry-after"),
        pytest.param(response(503, retry_after_ms="100"), UNSENT, id="503-with-retry-after-ms"),
        pytest.param(response(500, retry_after="1"), AMBIGUOUS, id="500-with-retry-after"),
        pytest.param(response(400, x_should_retry="true"), UNSENT, id="400-told-to-retry"),
        pytest.param(response(500, x_should_retry="true"), UNSENT, id="500-told-to-retry"),
        pytest.param(response(500, x_should_retry="false"), FINAL, id="500-told-not-to"),
        pytest.param(response(429, x_should_retry="FALSE"), FINAL, id="header-case-insensitive"),
        pytest.param(response(500, x_should_retry="maybe"), AMBIGUOUS, id="junk-header-ignored"),
        pytest.param(httpx.ConnectError("refused", request=REQUEST), UNSENT, id="connect-error"),
        pytest.param(httpx.ConnectTimeout("slow", request=REQUEST), UNSENT, id="connect-timeout"),
        pytest.param(httpx.PoolTimeout("busy", request=REQUEST), UNSENT, id="pool-timeout"),
        pytest.param(httpx.ReadTimeout("slow", request=REQUEST), AMBIGUOUS, id="read-timeout"),
        pytest.param(httpx.WriteError("broken", request=REQUEST), AMBIGUOUS, id="write-error"),
        pytest.param(
            httpx.RemoteProtocolError("dropped", request=REQUEST), AMBIGUOUS, id="dropped"
        ),
        pytest.param(httpx.ReadError("reset", request=REQUEST), AMBIGUOUS, id="read-error"),
        pytest.param(ValueError("bug"), FINAL, id="programming-error"),
    ],
)
def test_classify(outcome: Outcome, expected: Failure) -> None:
    assert classify(outcome) is expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({"retry-after-ms": "1500"}, 1.5, id="ms"),
        pytest.param({"retry-after-ms": "250", "retry-after": "9"}, 0.25, id="ms-wins"),
        pytest.param({"retry-after": "3"}, 3.0, id="seconds"),
        pytest.param({"retry-after": "0.5"}, 0.5, id="fractional-seconds"),
        pytest.param({"retry-after": http_date(10)}, 10.0, id="http-date"),
        pytest.param({"retry-after": http_date(-10)}, None, id="http-date-past"),
        pytest.param({"retry-after": http_date(3600)}, None, id="http-date-far"),
        pytest.param({"retry-after": "soon"}, None, id="junk"),
        pytest.param({"retry-after-ms": "lots", "retry-after": "2"}, 2.0, id="junk-ms-falls-back"),
        pytest.param({"retry-after": "0"}, None, id="zero"),
        pytest.param({"retry-after": "-5"}, None, id="negative"),
        pytest.param({"retry-after": "nan"}, None, id="nan"),
        pytest.param({"retry-after": "inf"}, None, id="inf"),
        pytest.param({"retry-after": str(MAX_RETRY_AFTER)}, MAX_RETRY_AFTER, id="at-cap"),
        pytest.param({"retry-after": "86400"}, None, id="huge"),
        pytest.param({"retry-after-ms": "600000"}, None, id="huge-ms"),
        pytest.param({}, None, id="absent"),
    ],
)
def test_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after(headers, now=lambda: NOW) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("attempt", "jitter", "expected"),
    [
        pytest.param(0, 0.0, 0.5, id="first-no-jitter"),
        pytest.param(1, 0.0, 1.0, id="second-no-jitter"),
        pytest.param(2, 0.0, 2.0, id="third"),
        pytest.param(0, 1.0, 0.375, id="first-full-jitter"),
        pytest.param(5, 0.0, 8.0, id="capped"),
        pytest.param(50, 0.0, 8.0, id="capped-far"),
    ],
)
def test_backoff_without_server_advice(attempt: int, jitter: float, expected: float) -> None:
    delay = retry_delay(attempt, httpx.Headers(), max_retries=100, jitter=lambda: jitter)
    assert delay == pytest.approx(expected)


def test_backoff_exponent_is_bounded_by_max_retries() -> None:
    assert retry_delay(9, None, max_retries=1, jitter=lambda: 0.0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({"retry-after-ms": "20"}, 0.02, id="ms"),
        pytest.param({"retry-after": "7"}, 7.0, id="seconds"),
        pytest.param({"retry-after": http_date(4)}, 4.0, id="http-date"),
        pytest.param({"retry-after": "junk"}, 1.0, id="junk-uses-backoff"),
        pytest.param({"retry-after": "3600"}, 1.0, id="huge-uses-backoff"),
    ],
)
def test_server_advice_wins_when_usable(headers: dict[str, str], expected: float) -> None:
    delay = retry_delay(1, headers, max_retries=2, jitter=lambda: 0.0, now=lambda: NOW)
    assert delay == pytest.approx(expected)


def test_jitter_keeps_delays_within_a_quarter_below_the_backoff() -> None:
    delays = {retry_delay(2, None, max_retries=2) for _ in range(200)}
    assert all(1.5 <= delay <= 2.0 for delay in delays)
    assert len(delays) > 1
