"""Limits on ``metadata``, the string map stored with a completion."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulumi_chatcomp.models._field_problem import FieldProblem

METADATA_MAX_PAIRS = 16
"""At most this many key/value pairs, reserved keys included."""
METADATA_KEY_MAX = 64
"""Longest key, in characters."""
METADATA_VALUE_MAX = 512
"""Longest value, in characters."""


def validate_metadata(
    metadata: Mapping[str, Any] | None, *, reserved_pairs: int = 0, path: str = "metadata"
) -> list[FieldProblem]:
    """Every way ``metadata`` breaks the API's limits (an empty list when it is fine).

    ``reserved_pairs`` counts keys the caller will add itself (such as the provider's
    idempotency key) against the 16-pair limit. Values are never echoed, only measured.

    >>> validate_metadata({"team": "ml"})
    []
    >>> [p.message for p in validate_metadata({"k": "v"}, reserved_pairs=16)]
    ['metadata has 1 pair and 16 more are reserved by pulumi-chatcomp; at most 16 are allowed']
    """
    if metadata is None:
        return []
    if not isinstance(metadata, Mapping):
        return [FieldProblem(path, f"{path} must be a map of strings to strings")]
    problems: list[FieldProblem] = []
    count = len(metadata)
    if count + reserved_pairs > METADATA_MAX_PAIRS:
        pairs = f"{count} pair{'' if count == 1 else 's'}"
        reserved = (
            f" and {reserved_pairs} more are reserved by pulumi-chatcomp" if reserved_pairs else ""
        )
        problems.append(
            FieldProblem(
                path, f"{path} has {pairs}{reserved}; at most {METADATA_MAX_PAIRS} are allowed"
            )
        )
    for key, value in metadata.items():
        where = f"{path}[{json.dumps(key) if isinstance(key, str) else repr(key)}]"
        if not isinstance(key, str):
            problems.append(FieldProblem(where, f"{where}: keys must be strings"))
            continue
        if len(key) > METADATA_KEY_MAX:
            problems.append(
                FieldProblem(
                    where,
                    f"{path} key {json.dumps(key[:20])}... has {len(key)} characters; "
                    f"keys may have at most {METADATA_KEY_MAX}",
                )
            )
        if not isinstance(value, str):
            problems.append(FieldProblem(where, f"{where} must be a string"))
        elif len(value) > METADATA_VALUE_MAX:
            problems.append(
                FieldProblem(
                    where,
                    f"{where} has {len(value)} characters; "
                    f"values may have at most {METADATA_VALUE_MAX}",
                )
            )
    return problems
