"""Turn pydantic validation errors into problems worded for the person who wrote the input.

Pydantic locations carry union noise (``str``, ``list[...]``, ``function-after[...]``, tag
names): this module drops it, keeps the branch of a union that the input was meant for,
and words one message per problem, e.g. ``temperature must be between 0 and 2, got 3.5``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from pulumi_chatcomp.models._base import (
    INVALID_VALUE,
    OUT_OF_RANGE,
    PREWORDED,
    TAG_ERROR_PREFIX,
    RequestModel,
)
from pulumi_chatcomp.models._field_problem import FieldProblem

# Fields whose next location item is a user-chosen map key, not a field name.
_MAP_FIELDS = frozenset({"metadata", "logit_bias"})
_TYPE_NAMES = frozenset({"str", "int", "float", "bool", "none", "bytes", "list", "dict"})
# Errors meaning "this union member is the wrong kind of value", as opposed to "right
# kind, wrong content".
_MISMATCH = frozenset(
    {
        "string_type",
        "int_type",
        "int_parsing",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "literal_error",
        "none_required",
        "is_instance_of",
    }
)
_KIND_WORDS = {
    "string_type": "a string",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "none_required": "null",
}

Segment = tuple[str, Any]  # ("field", name) | ("index", i) | ("key", k) | ("branch", name)


@dataclass(frozen=True)
class _Error:
    order: int
    segments: tuple[Segment, ...]
    detail: ErrorDetails


def validation_problems(exc: ValidationError, *, prefix: str = "") -> list[FieldProblem]:
    """Word every error of a pydantic ``ValidationError`` as a ``FieldProblem``.

    ``prefix`` names the validated value when it is not a whole request, e.g.
    ``prefix="messages"`` for errors from ``MESSAGES_ADAPTER``.

    >>> from pydantic import ValidationError
    >>> from pulumi_chatcomp.models import ChatCompletionCreateParams
    >>> try:
    ...     ChatCompletionCreateParams(model="gpt-4o", messages=[], temperature=3.5)
    ... except ValidationError as exc:
    ...     [p.message for p in validation_problems(exc)]
    ['messages must have at least 1 item, got 0', 'temperature must be between 0 and 2, got 3.5']
    """
    errors = [
        _Error(order, _segments(detail["loc"]), detail)
        for order, detail in enumerate(exc.errors(include_url=False))
    ]
    resolved = sorted(_resolve(errors), key=lambda error: error.order)
    problems: list[FieldProblem] = []
    seen: set[FieldProblem] = set()
    for error in _drop_beside_wrong_type(resolved):
        problem = _word(error, prefix)
        if problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return problems


def join_path(base: str, relative: str) -> str:
    """Append a relative path (``name``, ``[2]`` or ``a.b``) to ``base``."""
    if not relative:
        return base
    if not base or relative.startswith("["):
        return base + relative
    return f"{base}.{relative}"


def show(value: Any) -> str:
    """A short, safe rendering of a user value for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        # Long strings and anything shaped like an API key are described, not echoed.
        if len(value) > 40 or value.startswith(("sk-", "Bearer ")):
            return f"a string of {len(value)} characters"
        return repr(value)
    if isinstance(value, list | tuple):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, Mapping):
        return "an object"
    return f"a value of type {type(value).__name__}"


def _segments(loc: Iterable[int | str]) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    after_map = False
    for item in loc:
        if isinstance(item, int):
            segments.append(("index", item))
        elif after_map:
            segments.append(("key", item))
        elif item == "[key]":
            continue
        elif "=" in item:
            continue  # a union tag such as role=user; the input already says it
        elif "[" in item or item in _TYPE_NAMES or item[:1].isupper():
            segments.append(("branch", item))
        else:
            segments.append(("field", item))
        after_map = isinstance(item, str) and item in _MAP_FIELDS and not after_map
    return tuple(segments)


def _resolve(errors: list[_Error]) -> list[_Error]:
    """Keep, for every union, only the errors of the member the input was meant for."""
    done: list[_Error] = []
    groups: dict[tuple[Segment, ...], list[_Error]] = {}
    for error in errors:
        position = next((i for i, (kind, _) in enumerate(error.segments) if kind == "branch"), None)
        if position is None:
            done.append(error)
        else:
            groups.setdefault(error.segments[:position], []).append(error)
    for head, members in groups.items():
        position = len(head)
        branches: dict[str, list[_Error]] = {}
        for error in members:
            branches.setdefault(error.segments[position][1], []).append(error)
        meant = {
            name: errors_
            for name, errors_ in branches.items()
            if not all(_is_mismatch(error, position) for error in errors_)
        }
        if len(branches) > 1 and not meant:
            done.append(_merge(head, members))
            continue
        candidates = meant or branches
        deepest = max(candidates, key=lambda name: max(len(e.segments) for e in candidates[name]))
        stripped = [
            replace(error, segments=error.segments[:position] + error.segments[position + 1 :])
            for error in candidates[deepest]
        ]
        done.extend(_resolve(stripped))
    return done


def _is_mismatch(error: _Error, position: int) -> bool:
    if len(error.segments) != position + 1:
        return False
    kind = error.detail["type"]
    if kind.startswith(TAG_ERROR_PREFIX):
        return not isinstance(error.detail["input"], Mapping)
    return kind in _MISMATCH


def _merge(head: tuple[Segment, ...], members: list[_Error]) -> _Error:
    words: list[str] = []
    for error in members:
        word = _kind_word(error.detail)
        if word not in words:
            words.append(word)
    first = members[0]
    detail = ErrorDetails(
        type="chatcomp_union",
        loc=first.detail["loc"],
        msg=f"must be {_or(words)}, got {show(first.detail['input'])}",
        input=first.detail["input"],
    )
    return _Error(first.order, head, detail)


def _kind_word(detail: ErrorDetails) -> str:
    kind = detail["type"]
    if kind == "literal_error":
        return str((detail.get("ctx") or {}).get("expected", "an allowed value"))
    if kind.startswith(TAG_ERROR_PREFIX):
        return f"an object with {kind.removeprefix(TAG_ERROR_PREFIX)} {detail['msg']}"
    return _KIND_WORDS.get(kind, "a valid value")


def _drop_beside_wrong_type(errors: list[_Error]) -> list[_Error]:
    # A part sent with the wrong "type" (an image in a system message) also trips
    # "unknown field" and "required" on its payload; the type error alone says it better.
    wrong_type = {
        error.segments[:-1]: error
        for error in errors
        if error.segments[-1:] == (("field", "type"),) and error.detail["type"] == "literal_error"
    }
    return [
        error
        for error in errors
        if not any(
            error.segments[: len(parent)] == parent and error is not type_error
            for parent, type_error in wrong_type.items()
        )
    ]


def _path(segments: Iterable[Segment], prefix: str) -> str:
    path = prefix
    for kind, value in segments:
        if kind == "index":
            path += f"[{value}]"
        elif kind == "key":
            path += f"[{json.dumps(value)}]"
        elif kind == "field":
            path = join_path(path, value)
    return path


def _word(error: _Error, prefix: str) -> FieldProblem:
    detail = error.detail
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    value = detail.get("input")
    path = _path(error.segments, prefix)
    if kind == PREWORDED:
        return FieldProblem(join_path(path, str(ctx.get("at", ""))), detail["msg"])
    if kind == INVALID_VALUE:
        path = join_path(path, str(ctx.get("at", "")))
        phrase = detail["msg"]
    elif kind.startswith(TAG_ERROR_PREFIX):
        key = kind.removeprefix(TAG_ERROR_PREFIX)
        if not isinstance(value, Mapping):
            phrase = f"must be an object with {key} {detail['msg']}, got {show(value)}"
        else:
            path = join_path(path, key)
            if value.get(key) is None:
                phrase = f"is required: {detail['msg']}"
            else:
                phrase = f"must be {detail['msg']}, got {show(value.get(key))}"
    else:
        phrase = _phrase(kind, ctx, value, detail["msg"], path)
    return FieldProblem(path, f"{path or 'the input'} {phrase}")


def _phrase(kind: str, ctx: Mapping[str, Any], value: Any, fallback: str, path: str) -> str:
    if kind in (OUT_OF_RANGE, "chatcomp_union"):
        return fallback
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        name = path.rsplit(".", 1)[-1]
        guess = difflib.get_close_matches(name, _known_field_names(), n=1, cutoff=0.75)
        hint = f"; did you mean {guess[0]!r}?" if guess else "; check the spelling"
        return f"is not a known field{hint}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}, got {show(value)}"
    if kind in _KIND_WORDS:
        return f"must be {_KIND_WORDS[kind]}, got {show(value)}"
    if kind == "int_from_float":
        return f"must be a whole number, got {show(value)}"
    if kind == "too_short":
        least = ctx.get("min_length")
        return f"must have at least {least} item{_s(least)}, got {ctx.get('actual_length')}"
    if kind == "too_long":
        most = ctx.get("max_length")
        return f"must have at most {most} item{_s(most)}, got {ctx.get('actual_length')}"
    if kind == "string_too_short":
        least = ctx.get("min_length")
        return "must not be empty" if least == 1 else f"must have at least {least} characters"
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "more"
        return f"must have at most {ctx.get('max_length')} characters, got {length}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {ctx.get(key)}, got {show(value)}"
    text = fallback.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return text[:1].lower() + text[1:]


def _s(count: object) -> str:
    return "" if count == 1 else "s"


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


@cache
def _known_field_names() -> tuple[str, ...]:
    names: set[str] = set()
    pending: list[type[RequestModel]] = [RequestModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        for name, field in model.model_fields.items():
            names.add(field.alias or name)
    return tuple(sorted(names))
