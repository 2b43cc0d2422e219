"""Request checks: the shared model layer for shapes, plus the rules the API enforces
across fields (``metadata`` needs ``store``, ``top_logprobs`` needs ``logprobs`` ...)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from pulumi_chatcomp.models import (
    ChatCompletionCreateParams,
    FieldProblem,
    validate_metadata,
    validation_problems,
)
from pulumi_chatcomp.server._errors import APIErrorResponse, bad_request


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
    if raw.get("metadata") is not None and raw.get("store") is not True:
        # The API's own words for the most common mistake (checked before the shape).
        raise bad_request(
            "The 'metadata' parameter is only allowed when 'store' is enabled.",
            param="metadata",
        )
    try:
        params = ChatCompletionCreateParams.from_body(raw, warn_deprecated=False)
    except ValidationError as exc:
        raise _problems_error(validation_problems(exc)) from None
    body = params.to_body()
    _tool_choice_rules(body)
    return body


def _problems_error(problems: Sequence[FieldProblem]) -> APIErrorResponse:
    if not problems:
        return bad_request("The request body is invalid.", param=None)
    message = "; ".join(problem.message for problem in problems)
    return bad_request(f"Invalid request: {message}.", param=problems[0].path or None)


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
    metadata = raw["metadata"]
    problems = validate_metadata(metadata)
    if problems:
        raise _problems_error(problems)
    return dict(metadata or {})


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
