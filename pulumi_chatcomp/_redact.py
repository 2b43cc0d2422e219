"""Keep API keys out of every text a user or a log may see: ``remember`` and ``redact``.

Error messages quote server bodies, URLs and exception texts from httpx; any of them can echo
a key (a proxy that prints the request, a key pasted into a URL by mistake). So the keys this
process is given are remembered where they enter it (``Settings`` does it as it resolves
them), and every error and log record of this package is redacted where it is made: call
sites never pass secrets around. Anything shaped like a credential is replaced too, whoever
it belongs to.

>>> remember("sk-proj-abcdefgh1234")
>>> redact("401: bad key sk-proj-abcdefgh1234 for Bearer xyz-42")
'401: bad key [REDACTED] for Bearer [REDACTED]'
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable, Iterable
from urllib.parse import quote

__all__ = ["REDACTED", "RedactingFilter", "redact", "remember"]

REDACTED = "[REDACTED]"

# Punctuation that may close the sentence or bracket around a token: it stays in the text, so
# "(i.e. Authorization: Bearer YOUR_KEY)." keeps its ")." (a real token never ends in these).
_CLOSING = re.compile(r"[.,:;!?)\]}>]+$")
# A bearer token has a digit or punctuation; "Missing bearer authentication" stays legible.
_TOKEN_LIKE = re.compile(r"[0-9_.~+/=-]")


def _token(match: re.Match[str], *, shaped: bool) -> str:
    prefix, token = match.group(1), match.group(2)
    if token.startswith(REDACTED):  # a known key, already replaced
        return match.group()
    closing = _CLOSING.search(token)
    tail = closing.group() if closing else ""
    secret = token[: len(token) - len(tail)]
    if not secret or (shaped and not _TOKEN_LIKE.search(secret)):
        return match.group()
    return f"{prefix}{REDACTED}{tail}"


# Shapes that are secret whoever they belong to; the exact keys we know are handled separately.
_PATTERNS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"(?i)\b(bearer\s+)([^\s'\",;]+)"), functools.partial(_token, shaped=True)),
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"), REDACTED),
    (
        re.compile(r"(?i)\b((?:api[_-]?key|access[_-]?token|key)=)([^\s&'\"]+)"),
        functools.partial(_token, shaped=False),
    ),
    # user:password@ in URLs
    (re.compile(r"(://)[^/@\s]+@"), rf"\g<1>{REDACTED}@"),
)

# Shorter "keys" are test fixtures at best; replacing every "ab" would garble the message.
_MIN_SECRET_LENGTH = 4

_remembered: set[str] = set()
_lock = threading.Lock()


def remember(*secrets: str | None) -> None:
    """Have every later ``redact`` replace these secrets (and their URL-encoded forms)."""
    with _lock:
        _remembered.update(
            s for s in secrets if isinstance(s, str) and len(s) >= _MIN_SECRET_LENGTH
        )


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with the remembered secrets, ``secrets`` and credential shapes replaced.

    >>> redact("https://user:pw@proxy.example/v1")
    'https://[REDACTED]@proxy.example/v1'
    """
    with _lock:
        known = sorted({*_remembered, *(s for s in secrets if s)}, key=len, reverse=True)
    for secret in known:
        if len(secret) < _MIN_SECRET_LENGTH:
            continue
        text = text.replace(secret, REDACTED)
        encoded = quote(secret, safe="")
        if encoded != secret:
            text = text.replace(encoded, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record of the logger it is added to, as it is made."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True
