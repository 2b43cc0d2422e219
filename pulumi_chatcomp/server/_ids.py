"""Identifiers shaped like OpenAI's: ``chatcmpl-…``, ``req_…``; a stored message's id is
``<completion id>-<index>``, and ``message_index`` reads the index back."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def new_completion_id() -> str:
    return "chatcmpl-" + "".join(secrets.choice(_ALPHABET) for _ in range(29))


def new_request_id() -> str:
    return "req_" + secrets.token_hex(16)


def message_id(completion_id: str, index: int) -> str:
    return f"{completion_id}-{index}"


def message_index(completion_id: str, candidate: str) -> int | None:
    """The ``index`` for which ``candidate == message_id(completion_id, index)``, else None.

    >>> message_index("chatcmpl-a", "chatcmpl-a-2"), message_index("chatcmpl-a", "chatcmpl-a-02")
    (2, None)
    """
    prefix = f"{completion_id}-"
    digits = candidate[len(prefix) :] if candidate.startswith(prefix) else ""
    # Checked before int(), which would also take "+1", " 1", "1_0" and non-ASCII digits; 18
    # digits at most keeps the index within SQLite's 64-bit integers.
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
        return None
    index = int(digits)
    return index if message_id(completion_id, index) == candidate else None
