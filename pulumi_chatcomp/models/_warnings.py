"""Deprecated request fields: one table, a pure lister (no pydantic), and the warning class."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp.models._field_problem import FieldProblem

if TYPE_CHECKING:
    from pydantic import BaseModel
    from typing_extensions import TypeIs


class ChatCompDeprecationWarning(FutureWarning):
    """A request uses a field the API has deprecated.

    It subclasses ``FutureWarning`` so that Python shows it by default (unlike
    ``DeprecationWarning``, which is hidden outside ``__main__``).

    >>> import warnings
    >>> issubclass(ChatCompDeprecationWarning, FutureWarning)
    True
    """


DEPRECATED_REQUEST_FIELDS: Mapping[str, str] = {
    "max_tokens": "use max_completion_tokens instead",
    "functions": "use tools instead",
    "function_call": "use tool_choice instead",
    "user": "use safety_identifier (and prompt_cache_key for caching) instead",
    "seed": "remove it; the API no longer promises deterministic sampling",
    "prompt_cache_retention": "use prompt_cache_options.ttl instead",
}
"""Request fields the API has deprecated (the spec marks them), and what to do instead; the
warnings here and the policy rule ``no-deprecated-parameters`` both read it."""

FUNCTION_ROLE_ADVICE = "use role 'tool' with tool_call_id instead"
"""What to do instead of a message with the deprecated role ``function``."""
FUNCTION_CALL_ADVICE = "use tool_calls instead"
"""What to do instead of an assistant message's deprecated ``function_call``."""

DEPRECATED_MESSAGE_ROLES: Mapping[str, str] = {"function": FUNCTION_ROLE_ADVICE}
"""Message roles the API has deprecated, and what to do instead."""
DEPRECATED_MESSAGE_FIELDS: Mapping[str, str] = {"function_call": FUNCTION_CALL_ADVICE}
"""Message fields the API has deprecated, and what to do instead."""


def deprecated_fields(params: BaseModel | Mapping[str, Any]) -> list[FieldProblem]:
    """List the deprecated fields a request sets, each with what to use instead.

    Accepts a validated ``ChatCompletionCreateParams`` or a raw request mapping (as a
    policy sees resource inputs), and never warns: the caller decides how to report.

    >>> [p.path for p in deprecated_fields({"model": "gpt-4o", "max_tokens": 5})]
    ['max_tokens']
    """
    body = params.model_dump(exclude_none=True) if _is_model(params) else params
    found = [
        FieldProblem(name, f"{name} is deprecated; {advice}")
        for name, advice in DEPRECATED_REQUEST_FIELDS.items()
        if body.get(name) is not None
    ]
    messages = body.get("messages")
    if isinstance(messages, list | tuple):
        for index, message in enumerate(messages):
            if not isinstance(message, Mapping):
                continue
            role = message.get("role")
            if isinstance(role, str) and role in DEPRECATED_MESSAGE_ROLES:
                found.append(
                    FieldProblem(
                        f"messages[{index}].role",
                        f"messages[{index}].role {role!r} is deprecated; "
                        f"{DEPRECATED_MESSAGE_ROLES[role]}",
                    )
                )
                continue
            for name, advice in DEPRECATED_MESSAGE_FIELDS.items():
                if message.get(name) is not None:
                    found.append(
                        FieldProblem(
                            f"messages[{index}].{name}",
                            f"messages[{index}].{name} is deprecated; {advice}",
                        )
                    )
    return found


def _is_model(value: object) -> TypeIs[BaseModel]:
    # A model instance implies pydantic.main is loaded; a mapping must not make us load it.
    pydantic_main = sys.modules.get("pydantic.main")
    return pydantic_main is not None and isinstance(value, pydantic_main.BaseModel)


def warn_deprecated(params: BaseModel, *, stacklevel: int) -> None:
    for problem in deprecated_fields(params):
        warnings.warn(problem.message, ChatCompDeprecationWarning, stacklevel=stacklevel + 1)
