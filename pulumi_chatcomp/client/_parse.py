"""Turn response bodies into models, or into an ``APIResponseValidationError`` naming the
endpoint."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import httpx
import pydantic

from pulumi_chatcomp._exceptions import APIResponseValidationError
from pulumi_chatcomp.models import validation_problems

__all__ = ["describe_validation_error", "parse_body", "parse_json", "validate"]

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

_MAX_PROBLEMS = 3
_SNIPPET_LENGTH = 80


def parse_json(response: httpx.Response, *, endpoint: str) -> Any:
    """The response body as JSON; an empty, non-JSON or truncated body is a validation error."""
    content = response.content
    if not content.strip():
        raise APIResponseValidationError("the body is empty", endpoint=endpoint, response=response)
    try:
        return json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        content_type = response.headers.get("content-type", "no content type")
        snippet = " ".join(response.text.split())[:_SNIPPET_LENGTH]
        problem = f"the body is not valid JSON ({content_type}, starts with {snippet!r})"
        raise APIResponseValidationError(problem, endpoint=endpoint, response=response) from exc


def validate(
    model: type[ModelT],
    data: Any,
    *,
    endpoint: str,
    response: httpx.Response,
) -> ModelT:
    """``model.model_validate(data)``, with failures reported in the user's words."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problem = f"the body is not a valid {_model_name(model)}: {describe_validation_error(exc)}"
        raise APIResponseValidationError(problem, endpoint=endpoint, response=response) from exc


def parse_body(
    model: type[ModelT],
    response: httpx.Response,
    *,
    endpoint: str,
) -> ModelT:
    """Parse a successful response's JSON body into ``model``."""
    data = parse_json(response, endpoint=endpoint)
    return validate(model, data, endpoint=endpoint, response=response)


def describe_validation_error(exc: pydantic.ValidationError) -> str:
    """The first few problems (each names its path), joined by semicolons."""
    problems = validation_problems(exc)
    shown = [problem.message for problem in problems[:_MAX_PROBLEMS]]
    if len(problems) > _MAX_PROBLEMS:
        shown.append(f"and {len(problems) - _MAX_PROBLEMS} more")
    return "; ".join(shown)


def _model_name(model: type[pydantic.BaseModel]) -> str:
    # CursorPage[ChatCompletion] -> "page of ChatCompletion"
    name = model.__name__
    if name.startswith("CursorPage[") and name.endswith("]"):
        return f"page of {name[len('CursorPage[') : -1]}"
    return name
