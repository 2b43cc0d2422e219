"""Keep API keys out of every text a user or a log may see.

Error messages quote server bodies, URLs and exception texts from httpx; any of them can echo a
key (a proxy that prints the request, a key pasted into a URL by mistake). Everything that
builds such a text runs it through `redact` first.

>>> redact("401: bad key sk-proj-abcdefgh1234 for Bearer xyz-42", ["sk-proj-abcdefgh1234"])
'401: bad key [REDACTED] for Bearer [REDACTED]'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "[REDACTED]"

# Shapes that are secret whoever they belong to; the exact keys we know are handled separately.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A bearer token has a digit or punctuation; "Missing bearer authentication" stays legible.
    (
        re.compile(r"(?i)\b(bearer\s+)(?=[^\s'\",;]*[0-9_.~+/=-])[^\s'\",;]+"),
        rf"\g<1>{REDACTED}",
    ),
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"), REDACTED),
    (re.compile(r"(?i)\b((?:api[_-]?key|access[_-]?token|key)=)[^\s&'\"]+"), rf"\g<1>{REDACTED}"),
    # user:password@ in URLs
    (re.compile(r"(://)[^/@\s]+@"), rf"\g<1>{REDACTED}@"),
)

# Shorter "keys" are test fixtures at best; replacing every "ab" would garble the message.
_MIN_SECRET_LENGTH = 4


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return `text` with the given secrets and anything shaped like a credential replaced.

    >>> redact("https://user:pw@proxy.example/v1")
    'https://[REDACTED]@proxy.example/v1'
    """
    for secret in secrets:
        if secret and len(secret) >= _MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
            encoded = quote(secret, safe="")
            if encoded != secret:
                text = text.replace(encoded, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
