"""Idempotent creates: tag the request with a token the client can find again.

The Chat Completions API has no `Idempotency-Key`, so a create whose response was lost may
have stored a completion anyway. The client writes a caller-chosen token into the request's
`metadata` under `IDEMPOTENCY_METADATA_KEY`; after an ambiguous failure it lists stored
completions filtered on that pair and adopts the one it finds instead of creating another.

>>> add_token({"model": "m", "store": True, "messages": []}, "tok-1")["metadata"]
{'pulumi_chatcomp_token': 'tok-1'}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_chatcomp.models import METADATA_MAX_PAIRS, METADATA_VALUE_MAX

__all__ = ["IDEMPOTENCY_METADATA_KEY", "add_token", "without_token"]

IDEMPOTENCY_METADATA_KEY = "pulumi_chatcomp_token"
"""Reserved metadata key holding a create's idempotency token."""


def add_token(body: dict[str, Any], token: str) -> dict[str, Any]:
    """A copy of the create `body` with `token` in its metadata; ValueError names the problem."""
    if not isinstance(token, str) or not token.strip() or len(token) > METADATA_VALUE_MAX:
        raise ValueError(
            f"idempotency_token must be a non-empty string of at most {METADATA_VALUE_MAX} "
            f"characters, got {token!r}"
        )
    if body.get("store") is not True:
        raise ValueError(
            "idempotency_token needs store=true: the token is found again through the "
            "stored completion's metadata"
        )
    metadata = dict(body.get("metadata") or {})
    existing = metadata.get(IDEMPOTENCY_METADATA_KEY)
    if existing is not None and existing != token:
        raise ValueError(
            f"metadata key {IDEMPOTENCY_METADATA_KEY!r} is reserved for idempotent creates; "
            "use another key"
        )
    metadata[IDEMPOTENCY_METADATA_KEY] = token
    if len(metadata) > METADATA_MAX_PAIRS:
        raise ValueError(
            f"metadata has {len(metadata) - 1} pairs; idempotent creates need one of the "
            f"{METADATA_MAX_PAIRS} allowed pairs for {IDEMPOTENCY_METADATA_KEY!r}, "
            f"so use at most {METADATA_MAX_PAIRS - 1}"
        )
    return {**body, "metadata": metadata}


def without_token(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """``metadata`` as users see it: without the reserved idempotency key.

    >>> without_token({"owner": "me", IDEMPOTENCY_METADATA_KEY: "tok-1"})
    {'owner': 'me'}
    """
    return {k: v for k, v in metadata.items() if k != IDEMPOTENCY_METADATA_KEY}
