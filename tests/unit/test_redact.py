"""Key redaction (pulumi_chatcomp._redact)."""

from __future__ import annotations

import pytest

from pulumi_chatcomp._redact import REDACTED, redact

KEY = "sk-live/with+odd=chars-0123456789"


@pytest.mark.parametrize(
    ("text", "secrets", "hidden"),
    [
        pytest.param(f"key {KEY} rejected", [KEY], KEY, id="exact-key"),
        pytest.param(
            "https://x/v1?key=sk-live%2Fwith%2Bodd%3Dchars-0123456789",
            [KEY],
            "0123456789",
            id="url-encoded",
        ),
        pytest.param("Authorization: Bearer abc.def-ghi", [], "abc.def-ghi", id="bearer"),
        pytest.param("bearer abc.def-ghi", [], "abc.def-ghi", id="bearer-lowercase"),
        pytest.param("sk-proj-ABCDEFGHijklmnop and more", [], "ABCDEFGH", id="sk-shape"),
        pytest.param("https://u:p4ssw0rd@host/v1", [], "p4ssw0rd", id="url-userinfo"),
        pytest.param("GET /x?api_key=topsecret&x=1", [], "topsecret", id="query-api-key"),
    ],
)
def test_secrets_are_replaced(text: str, secrets: list[str], hidden: str) -> None:
    result = redact(text, secrets)
    assert hidden not in result
    assert REDACTED in result


def test_ordinary_text_is_untouched() -> None:
    text = "HTTP 401 Unauthorized: Missing bearer authentication in header; skip-this is fine"
    assert redact(text, [None, "", "ab"]) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            # The local server's (and the API's) 401 when no key was sent.
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer [REDACTED]).",
            id="placeholder-in-brackets",
        ),
        pytest.param(
            "Authorization: Bearer abc.def-ghi, then more",
            "Authorization: Bearer [REDACTED], then more",
            id="bearer-then-comma",
        ),
        pytest.param(
            "token: Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl==.",
            "token: Bearer [REDACTED].",
            id="jwt-then-full-stop",
        ),
        pytest.param(
            "sent [key=topsecret]; retry",
            "sent [key=[REDACTED]]; retry",
            id="query-key-in-brackets",
        ),
        pytest.param(
            "key sk-proj-ABCDEFGHijklmnop).",
            "key [REDACTED]).",
            id="sk-shape-then-bracket",
        ),
    ],
)
def test_the_text_around_a_secret_is_kept(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_known_key_after_bearer_is_replaced_once() -> None:
    assert redact(f"(Bearer {KEY}).", [KEY]) == f"(Bearer {REDACTED})."
