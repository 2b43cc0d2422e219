"""The ChatCompletion resource's property names and the pure functions that move between
inputs, API requests and outputs.

Inputs use the API's own request field names (``messages``, ``model``, ``max_completion_tokens``
...) plus ``triggers``. Outputs repeat the inputs (so that ``diff`` can compare a stack's prior
state with the program without any API call) and add what the API answered. Response fields
whose name clashes with an input of another meaning are renamed: the response's ``model`` (the
resolved snapshot, e.g. ``gpt-4o-mini-2024-07-18``) is ``response_model`` and its
``service_tier`` is ``response_service_tier``.

>>> sorted(inputs_of({"model": "m", "content": "hi", "__provider": "..."}))
['model']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

# The constants live in _names (no models needed, so programs import them cheaply);
# re-exported here beside the functions that use them.
from pulumi_chatcomp.core._names import (
    ADOPT_NAME,
    ANSWER_PATHS,
    OUTPUT_NAMES,
    PARSED_NAME,
    TYPE_TOKEN,
)
from pulumi_chatcomp.core._structured import parsed_of
from pulumi_chatcomp.models import ChatCompletionCreateParams

if TYPE_CHECKING:
    # Only a type here: the response models load with the client, at the first create,
    # so that the provider host's first check (which every create waits for) stays light.
    from pulumi_chatcomp.models import ChatCompletion

__all__ = [
    "ADOPT_NAME",
    "INPUT_NAMES",
    "OUTPUT_NAMES",
    "REQUEST_NAMES",
    "TYPE_TOKEN",
    "at_path",
    "contains_unknown",
    "inputs_of",
    "outputs_from",
    "request_of",
    "user_metadata",
]

REQUEST_NAMES: Final = frozenset(ChatCompletionCreateParams.model_fields)
"""Inputs that are sent to the API as they are."""

INPUT_NAMES: Final = REQUEST_NAMES | {"triggers"}
"""Every input that describes the completion: the request fields and ``triggers``."""


def contains_unknown(value: Any) -> bool:
    """Whether a property value is, or holds, a value unknown during preview."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def inputs_of(props: Mapping[str, Any]) -> dict[str, Any]:
    """The input properties of ``props`` (inputs or prior outputs), without nulls."""
    return {k: v for k, v in props.items() if k in INPUT_NAMES and v is not None}


def user_metadata(metadata: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Metadata as the user sees it (the client has taken its idempotency key out)."""
    if metadata is None:
        return None
    return {k: str(v) for k, v in metadata.items()}


def request_of(inputs: Mapping[str, Any]) -> ChatCompletionCreateParams:
    """The API request for checked inputs (raises pydantic's ValidationError)."""
    return ChatCompletionCreateParams.model_validate(
        {k: v for k, v in inputs.items() if k in REQUEST_NAMES and v is not None}
    )


def outputs_from(inputs: Mapping[str, Any], completion: ChatCompletion) -> dict[str, Any]:
    """The resource's outputs: its inputs, then plain-JSON fields of the API's answer.

    ``choices`` is left out when it would only repeat the first-choice outputs (one choice
    whose message is just content, refusal and tool calls, without logprobs), which is the
    common case; with ``n`` > 1, logprobs, annotations or audio it holds every choice.
    ``parsed`` is there only for a JSON ``response_format`` whose content parses.
    """
    answer = completion.model_dump(mode="json", exclude_none=True)
    outputs = dict(inputs)
    outputs |= {name: at_path(answer, path) for name, path in ANSWER_PATHS.items()}
    # The program's response_format; without one (a `get` or an import rebuilds only the
    # prompt), the one the stored completion echoes.
    response_format = inputs.get("response_format") or answer.get("response_format")
    outputs[PARSED_NAME] = parsed_of(response_format, outputs.get("content"))
    if _only_repeats(answer.get("choices", [])):
        outputs["choices"] = None
    # The stored metadata is the truth (drift shows on refresh).
    stored = user_metadata(answer.get("metadata"))
    if stored or inputs.get("metadata") is not None:
        outputs["metadata"] = stored or {}
    return {k: v for k, v in outputs.items() if v is not None}


def at_path(answer: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` of an answer (as ``ANSWER_PATHS`` has them), or None.

    >>> at_path({"choices": [{"message": {"content": "Hi"}}]}, ANSWER_PATHS["content"])
    'Hi'
    """
    for step in path:
        if isinstance(step, int):
            answer = answer[step] if isinstance(answer, list) and len(answer) > step else None
        else:
            answer = answer.get(step) if isinstance(answer, Mapping) else None
    return answer


# What the first-choice outputs carry of a choice and its message.
_FLAT_CHOICE = frozenset({"index", "message", "finish_reason", "logprobs"})
_FLAT_MESSAGE = frozenset({"role", "content", "refusal", "tool_calls"})


def _only_repeats(choices: list[dict[str, Any]]) -> bool:
    if len(choices) != 1:
        return not choices
    (choice,) = choices
    message = choice.get("message", {})
    return (
        set(choice) <= _FLAT_CHOICE
        and choice.get("logprobs") is None
        and set(message) <= _FLAT_MESSAGE | {"annotations"}
        and not message.get("annotations")
    )
