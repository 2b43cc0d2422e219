"""Identifiers shaped like OpenAI's: ``chatcmpl-…``, ``req_…``."""

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
