"""Request checks: the shared model layer for shapes, plus the rules the API enforces
across fields (``metadata`` needs ``store``, ``top_logprobs`` needs ``logprobs`` ...)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulumi_chatcomp.server._errors import bad_request

METADATA_MAX_PAIRS = 16
METADATA_KEY_MAX = 64
METADATA_VALUE_MAX = 512


def json_body(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise bad_request(
            "We could not parse the JSON body of your request. The OpenAI API expects a JSON "
            "payload, but what was sent was not valid JSON.",
            param=None,
        ) from None


def parse_create(raw: Any) -> dict[str, Any]:
    """Validate a create body; returns it JSON-ready, or raises a 400 naming the field."""
    if not isinstance(raw, dict):
        raise bad_request("The request body must be a JSON object.", param=None)
    body = _shape(raw)
    _cross_field_rules(body)
    return body


def _shape(raw: dict[str, Any]) -> dict[str, Any]:
    # Provisional until pulumi_chatcomp.models lands: the two required fields only.
    if not isinstance(raw.get("model"), str):
        raise bad_request("model is required and must be a string", param="model")
    messages = raw.get("messages")
    if not isinstance(messages, list) or not messages:
        raise bad_request("messages must be a non-empty list", param="messages")
    return raw


def _cross_field_rules(body: dict[str, Any]) -> None:
    if body.get("metadata") is not None:
        if body.get("store") is not True:
            raise bad_request(
                "The 'metadata' parameter is only allowed when 'store' is enabled.",
                param="metadata",
            )
        check_metadata(body["metadata"])
    if body.get("stream_options") is not None and body.get("stream") is not True:
        raise bad_request(
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            param="stream_options",
        )
    if body.get("top_logprobs") is not None and body.get("logprobs") is not True:
        raise bad_request(
            "Invalid value for 'top_logprobs': 'logprobs' must be set to true when "
            "'top_logprobs' is used.",
            param="top_logprobs",
        )
    _tool_choice_rules(body)


def _tool_choice_rules(body: dict[str, Any]) -> None:
    choice = body.get("tool_choice")
    if choice is None:
        return
    tools = body.get("tools") or []
    if not tools:
        raise bad_request(
            "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are "
            "specified.",
            param="tool_choice",
        )
    if isinstance(choice, dict) and choice.get("type") in ("function", "custom"):
        kind = choice["type"]
        name = (choice.get(kind) or {}).get("name")
        names = {(t.get(t.get("type", "function")) or {}).get("name") for t in tools}
        if name not in names:
            raise bad_request(
                f"Invalid value for 'tool_choice': no {kind} tool named '{name}' in 'tools'.",
                param="tool_choice",
            )


def check_metadata(metadata: Any) -> dict[str, str]:
    """Validate a metadata map (≤16 pairs, keys ≤64 chars, values ≤512 chars, strings)."""
    if not isinstance(metadata, Mapping):
        raise bad_request("metadata must be an object of string keys and values.", param="metadata")
    if len(metadata) > METADATA_MAX_PAIRS:
        raise bad_request(
            f"metadata must have at most {METADATA_MAX_PAIRS} pairs, got {len(metadata)}.",
            param="metadata",
        )
    for key, value in metadata.items():
        if len(key) > METADATA_KEY_MAX:
            raise bad_request(
                f"metadata keys must be at most {METADATA_KEY_MAX} characters, got {len(key)}.",
                param=f"metadata.{key[:METADATA_KEY_MAX]}",
            )
        if not isinstance(value, str):
            raise bad_request(f"metadata.{key} must be a string.", param=f"metadata.{key}")
        if len(value) > METADATA_VALUE_MAX:
            raise bad_request(
                f"metadata.{key} must be at most {METADATA_VALUE_MAX} characters, got "
                f"{len(value)}.",
                param=f"metadata.{key}",
            )
    return dict(metadata)


def parse_update(raw: Any) -> dict[str, str]:
    """The metadata of an update body ``{"metadata": {...} | null}``; null clears it."""
    if not isinstance(raw, dict) or "metadata" not in raw:
        raise bad_request("Missing required parameter: 'metadata'.", param="metadata")
    unknown = sorted(set(raw) - {"metadata"})
    if unknown:
        raise bad_request(
            f"Unrecognized request argument supplied: {unknown[0]}. Only 'metadata' can be "
            "updated.",
            param=unknown[0],
        )
    return {} if raw["metadata"] is None else check_metadata(raw["metadata"])


def list_params(query: Mapping[str, str], *, with_filters: bool) -> dict[str, Any]:
    """``after``, ``limit`` (1..100, default 20), ``order`` (asc|desc) and, for the list of
    completions, ``model`` and ``metadata[key]=value`` filters."""
    params: dict[str, Any] = {"after": query.get("after"), "limit": 20, "order": "asc"}
    if "limit" in query:
        try:
            limit = int(query["limit"])
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            raise bad_request(
                f"limit must be an integer between 1 and 100, got '{query['limit']}'.",
                param="limit",
            )
        params["limit"] = limit
    order = query.get("order", "asc")
    if order not in ("asc", "desc"):
        raise bad_request(f"order must be 'asc' or 'desc', got '{order}'.", param="order")
    params["order"] = order
    if with_filters:
        params["model"] = query.get("model")
        params["metadata"] = {
            key[len("metadata[") : -1]: value
            for key, value in query.items()
            if key.startswith("metadata[") and key.endswith("]")
        }
    return params
