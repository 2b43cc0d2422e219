"""What both Python faces' ChatCompletion share: its arguments, its outputs and the
properties a program registers it with.

``pulumi_chatcomp.ChatCompletion`` (the dynamic resource) and
``pulumi_chatcomp.native.ChatCompletion`` (the provider plugin's) take the same arguments,
with the call shapes of generated SDKs, and read the same outputs.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi

from pulumi_chatcomp.core._names import OUTPUT_NAMES, READ_BACK_NAMES
from pulumi_chatcomp.models import ChatCompDeprecationWarning, deprecated_fields
from pulumi_chatcomp.program._arguments import args_and_opts, resource_arguments
from pulumi_chatcomp.program._errors import reported

__all__ = [
    "SECRET_PROPERTIES",
    "ChatCompletionArgs",
    "ChatCompletionBase",
    "completion_props",
]

Json = Any
"""A JSON value shaped as the API documents it (a dict, list, string, number or bool)."""

SECRET_PROPERTIES = (
    "choices",
    "content",
    "messages",
    "parsed",
    "prediction",
    "refusal",
    "tool_calls",
)
"""What ``secret_outputs=True`` encrypts in state: the prompts and what the model said."""


@resource_arguments
@dataclasses.dataclass(frozen=True, kw_only=True)
class ChatCompletionArgs:
    """The inputs of a ``ChatCompletion``: the API's request fields, plus ``triggers``.

    Each field takes a plain value or a ``pulumi.Input``; names and limits are the API's
    (see the Chat Completions reference). ``store`` defaults to true, because reading,
    updating and deleting need a stored completion. Only ``metadata`` changes in place;
    changing anything else creates a new completion (then deletes the old one). A misspelt
    or missing field is reported by the ``ChatCompletion`` it is given to, in the same line
    as the same fields given as keywords.

    >>> from pulumi_chatcomp import ChatCompletion
    >>> args = ChatCompletionArgs(model="gpt-4o-mini", max_completon_tokens=64,
    ...                           messages=[{"role": "user", "content": "Hi"}])
    >>> ChatCompletion("greeting", args)
    Traceback (most recent call last):
    ...
    pulumi_chatcomp._exceptions.InvalidArgumentError: ChatCompletion 'greeting':
    max_completon_tokens is not an argument of ChatCompletion (see ChatCompletionArgs); did you
    mean 'max_completion_tokens'?
    """

    messages: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Json]]]]
    """The conversation so far: dicts with ``role`` and ``content`` (text or parts)."""
    model: pulumi.Input[str]
    """Model ID, for example ``gpt-4o-mini``."""
    audio: pulumi.Input[Mapping[str, Json]] | None = None
    frequency_penalty: pulumi.Input[float] | None = None
    function_call: pulumi.Input[str | Mapping[str, Json]] | None = None
    """Deprecated: use ``tool_choice``."""
    functions: pulumi.Input[Sequence[Mapping[str, Json]]] | None = None
    """Deprecated: use ``tools``."""
    logit_bias: pulumi.Input[Mapping[str, pulumi.Input[int]]] | None = None
    logprobs: pulumi.Input[bool] | None = None
    max_completion_tokens: pulumi.Input[int] | None = None
    """Upper bound on generated tokens, reasoning included."""
    max_tokens: pulumi.Input[int] | None = None
    """Deprecated: use ``max_completion_tokens``."""
    metadata: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """Up to 15 string pairs (one more is reserved); updated in place."""
    modalities: pulumi.Input[Sequence[str]] | None = None
    moderation: pulumi.Input[Mapping[str, Json]] | None = None
    n: pulumi.Input[int] | None = None
    parallel_tool_calls: pulumi.Input[bool] | None = None
    prediction: pulumi.Input[Mapping[str, Json]] | None = None
    presence_penalty: pulumi.Input[float] | None = None
    prompt_cache_key: pulumi.Input[str] | None = None
    prompt_cache_options: pulumi.Input[Mapping[str, Json]] | None = None
    prompt_cache_retention: pulumi.Input[str] | None = None
    reasoning_effort: pulumi.Input[str] | None = None
    response_format: pulumi.Input[Mapping[str, Json]] | None = None
    safety_identifier: pulumi.Input[str] | None = None
    seed: pulumi.Input[int] | None = None
    """Deprecated by the API; kept for compatibility."""
    service_tier: pulumi.Input[str] | None = None
    stop: pulumi.Input[str | Sequence[str]] | None = None
    store: pulumi.Input[bool] | None = None
    """Defaults to true. With false, read keeps the state and delete does nothing."""
    stream: pulumi.Input[bool] | None = None
    """Stream the answer (server-sent events); the provider assembles one completion."""
    stream_options: pulumi.Input[Mapping[str, Json]] | None = None
    temperature: pulumi.Input[float] | None = None
    tool_choice: pulumi.Input[str | Mapping[str, Json]] | None = None
    tools: pulumi.Input[Sequence[Mapping[str, Json]]] | None = None
    top_logprobs: pulumi.Input[int] | None = None
    top_p: pulumi.Input[float] | None = None
    user: pulumi.Input[str] | None = None
    """Deprecated: use ``safety_identifier`` and ``prompt_cache_key``."""
    verbosity: pulumi.Input[str] | None = None
    web_search_options: pulumi.Input[Mapping[str, Json]] | None = None
    triggers: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """Any change to this map creates a new completion: regenerate on demand."""


class ChatCompletionBase(pulumi.CustomResource):
    """A ChatCompletion of either face: its call shapes and its outputs, declared for type
    checkers and readers; each face registers the properties as its provider serves them
    (``_register_completion``).

    Called as generated Pulumi SDKs' resources are: ``ChatCompletion(name, args, opts)`` with
    a ``ChatCompletionArgs``, or ``ChatCompletion(name, opts, model=..., messages=...)`` with
    the fields as keywords; ``secret_outputs=True`` encrypts the prompts and the generated
    text in state.
    """

    content: pulumi.Output[str | None]
    """The first choice's message text."""
    refusal: pulumi.Output[str | None]
    """The first choice's refusal, when the model refused."""
    finish_reason: pulumi.Output[str | None]
    """Why the first choice stopped: ``stop``, ``length``, ``tool_calls``, ..."""
    tool_calls: pulumi.Output[list[dict[str, Any]] | None]
    """The first choice's tool calls."""
    parsed: pulumi.Output[Any]
    """The first choice's content decoded as JSON, for a ``response_format`` of type
    ``json_schema`` or ``json_object``: ``summary.parsed["title"]``. None for other
    completions, and for a non-strict one whose content is not JSON (a strict one that
    does not match its schema fails the create instead)."""
    choices: pulumi.Output[list[dict[str, Any]] | None]
    """Every choice as the API returned it (message, finish_reason, index, logprobs), when
    that says more than the first-choice outputs: with ``n`` > 1, logprobs, annotations or
    audio. For one plain choice it is None, as it would only repeat them."""
    created: pulumi.Output[int]
    """Unix time (seconds) when the completion was created."""
    response_model: pulumi.Output[str]
    """The model that answered, as the API names it (may be a dated snapshot)."""
    response_service_tier: pulumi.Output[str | None]
    """The service tier that processed the request."""
    system_fingerprint: pulumi.Output[str | None]
    """The backend configuration the model ran with."""
    usage: pulumi.Output[dict[str, Any]]
    """Token counts, with prompt and completion details."""
    metadata: pulumi.Output[dict[str, str] | None]
    """The stored metadata (drift shows on refresh; ``pulumi up`` restores it)."""
    model: pulumi.Output[str]
    """The model requested."""
    messages: pulumi.Output[list[dict[str, Any]]]
    """The prompt messages."""
    store: pulumi.Output[bool]
    """Whether the completion is stored."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: ChatCompletionArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        secret_outputs: bool = False,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        secret_outputs: bool = False,
        **kwargs: Any,
    ) -> None: ...

    def __init__(
        self, resource_name: str, *positional: Any, secret_outputs: bool = False, **kwargs: Any
    ) -> None:
        # Pulumi takes the third __init__ up the stack (this one) for the resource's, and the
        # line that called it for its source position: a face registers from a method of
        # another name, so that this line is the user's.
        props, opts = completion_props(resource_name, positional, kwargs, secret_outputs)
        self._register_completion(resource_name, props, opts)

    def _register_completion(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        """Register the completion with these properties (in the API's names)."""
        raise NotImplementedError

    @property
    def completion_id(self) -> pulumi.Output[str]:
        """The completion's ID (``chatcmpl-...``): the resource's ``id``, not kept twice."""
        return self.id

    @property
    def object(self) -> pulumi.Output[str]:
        """Always ``chat.completion`` (a constant, so state does not keep it)."""
        return pulumi.Output.from_input("chat.completion")


def completion_props(
    resource_name: str, positional: Sequence[Any], kwargs: Mapping[str, Any], secret_outputs: bool
) -> tuple[dict[str, Any], pulumi.ResourceOptions | None]:
    """The properties a ChatCompletion registers, and its options, from a constructor call."""
    with reported(f"ChatCompletion {resource_name!r}"):
        args, opts = args_and_opts(ChatCompletionArgs, positional, kwargs)
    props: dict[str, Any] = {}
    if args is not None:
        # Not dataclasses.asdict: it deep-copies, and Outputs refuse to be copied.
        props = {
            field.name: getattr(args, field.name)
            for field in dataclasses.fields(args)
            if getattr(args, field.name) is not None
        }
        _warn_deprecated(resource_name, props)
    if secret_outputs:
        for name in SECRET_PROPERTIES:
            if name in props:
                props[name] = pulumi.Output.secret(props[name])
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_PROPERTIES))
        )
    # Declared outputs must be present (as None) for the engine to report them.
    for name in (*OUTPUT_NAMES, *READ_BACK_NAMES):
        props.setdefault(name, None)
    return props, opts


def _warn_deprecated(resource_name: str, props: Mapping[str, Any]) -> None:
    known = {k: v for k, v in props.items() if not isinstance(v, pulumi.Output)}
    for problem in deprecated_fields(known):
        text = f"ChatCompletion {resource_name!r}: {problem.message}"
        warnings.warn(text, ChatCompDeprecationWarning, stacklevel=3)
        pulumi.log.warn(text)
