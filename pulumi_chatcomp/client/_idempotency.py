"""Idempotent creates: the token a stored create carries is made, sent, looked up and hidden
here, and nowhere else.

The Chat Completions API has no ``Idempotency-Key``, so a create whose answer was lost may have
stored a completion anyway. A stored create gets a token (``new_token``) written into its
request's metadata under ``IDEMPOTENCY_METADATA_KEY`` (``with_token``); after an ambiguous
failure the client lists the stored completions carrying that pair (``lookup``) and adopts
the one it finds instead of creating another; and every completion the client returns has the
pair taken out of its metadata (``without_token``), so nothing above the client sees it.

A resource's token is not random but derived (``derived_token``) from what survives every
failure: the identity of the resource (its stack's provider and its URN) and the token of the
completion it replaces, if any. A create whose answer and process were both lost is then
found again by the next run, which makes the same token from the same state.

>>> with_token({"model": "m", "store": True, "messages": []}, "tok-1")["metadata"]
{'pulumi_chatcomp_token': 'tok-1'}
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from typing import Any, Final

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.models._metadata import METADATA_MAX_PAIRS, METADATA_VALUE_MAX

__all__ = [
    "IDEMPOTENCY_METADATA_KEY",
    "RESERVED_METADATA_KEYS",
    "SET_METADATA_KEY",
    "derived_token",
    "lookup",
    "new_token",
    "with_token",
    "without_token",
]

IDEMPOTENCY_METADATA_KEY: Final = "pulumi_chatcomp_token"
"""Reserved metadata key holding a create's idempotency token."""

SET_METADATA_KEY: Final = "pulumi_chatcomp_set"
"""Reserved metadata key holding the tag of the ``ChatCompletionSet`` a completion belongs
to: one list filtered on it reads every completion of the set, page by page."""

RESERVED_METADATA_KEYS: Final = (IDEMPOTENCY_METADATA_KEY, SET_METADATA_KEY)
"""The metadata keys this package writes; users never see them."""


def new_token() -> str:
    """A fresh token: 32 hex digits, unguessable and unique in practice."""
    return secrets.token_hex(16)


def derived_token(identity: str, replaces: str | None = None) -> str:
    """The token of a resource's create: the same for every attempt of one create, and
    different for every other create (32 hex digits).

    ``identity`` names the resource within one stack instance (its stack's provider id and
    its URN); ``replaces`` is the token of the completion this create replaces, so that a
    replacement never finds the completion it replaces, and that a retry of a failed
    replacement finds what the failed attempt stored.

    >>> derived_token("p-1/urn:a") == derived_token("p-1/urn:a")
    True
    >>> derived_token("p-1/urn:a", replaces="t0") == derived_token("p-1/urn:a")
    False
    """
    material = json.dumps(["pulumi-chatcomp create token v1", identity, replaces])
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def with_token(body: dict[str, Any], token: str) -> dict[str, Any]:
    """A copy of the create ``body`` with ``token`` in its metadata."""
    if not isinstance(token, str) or not token.strip() or len(token) > METADATA_VALUE_MAX:
        raise InvalidArgumentError(
            "idempotency_token",
            f"must be a non-empty string of at most {METADATA_VALUE_MAX} characters, got {token!r}",
        )
    if body.get("store") is not True:
        raise InvalidArgumentError(
            "idempotency_token",
            "needs store=true: the token is found again through the stored completion's metadata",
        )
    metadata = dict(body.get("metadata") or {})
    existing = metadata.get(IDEMPOTENCY_METADATA_KEY)
    if existing is not None and existing != token:
        raise InvalidArgumentError(
            f"metadata[{IDEMPOTENCY_METADATA_KEY!r}]",
            "is reserved for idempotent creates; use another key",
        )
    metadata[IDEMPOTENCY_METADATA_KEY] = token
    if len(metadata) > METADATA_MAX_PAIRS:
        raise InvalidArgumentError(
            "metadata",
            f"has {len(metadata) - 1} pairs; idempotent creates need one of the "
            f"{METADATA_MAX_PAIRS} allowed pairs for {IDEMPOTENCY_METADATA_KEY!r}, "
            f"so use at most {METADATA_MAX_PAIRS - 1}",
        )
    return {**body, "metadata": metadata}


def lookup(token: str) -> dict[str, str]:
    """The list filter that finds the completion a create tagged with ``token``."""
    return {IDEMPOTENCY_METADATA_KEY: token}


def without_token(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """``metadata`` as users see it: without the reserved keys (the token, a set's tag).

    >>> without_token({"owner": "me", IDEMPOTENCY_METADATA_KEY: "tok-1"})
    {'owner': 'me'}
    """
    return {k: v for k, v in metadata.items() if k not in RESERVED_METADATA_KEYS}
