"""``ChatCompletion``: a stored OpenAI chat completion managed by Pulumi.

>>> import pulumi_chatcomp as chatcomp
>>> chatcomp.ChatCompletion.__name__, TYPE_TOKEN
('ChatCompletion', 'pulumi-python:dynamic/chatcomp:ChatCompletion')

In a Pulumi program::

    greeting = chatcomp.ChatCompletion(
        "greeting",
        chatcomp.ChatCompletionArgs(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "Say hello to Pulumi."}],
            max_completion_tokens=64,
            metadata={"owner": "platform"},
        ),
    )
    pulumi.export("content", greeting.content)
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi
from pulumi.dynamic import Resource
from pulumi.dynamic.dynamic import PROVIDER_KEY

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.core._names import ADOPT_NAME, OUTPUT_NAMES, TYPE_TOKEN
from pulumi_chatcomp.dynamic._errors import reported
from pulumi_chatcomp.dynamic._pickling import serialized_provider
from pulumi_chatcomp.models import ChatCompDeprecationWarning, deprecated_fields

__all__ = ["SECRET_PROPERTIES", "TYPE_TOKEN", "ChatCompletion", "ChatCompletionArgs"]

Json = Any
"""A JSON value shaped as the API documents it (a dict, list, string, number or bool)."""

SECRET_PROPERTIES = ("choices", "content", "messages", "prediction", "refusal", "tool_calls")
"""What ``secret_outputs=True`` encrypts in state: the prompts and what the model said."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChatCompletionArgs:
    """The inputs of a ``ChatCompletion``: the API's request fields, plus ``triggers``.

    Each field takes a plain value or a ``pulumi.Input``; names and limits are the API's
    (see the Chat Completions reference). ``store`` defaults to true, because reading,
    updating and deleting need a stored completion. Only ``metadata`` changes in place;
    changing anything else creates a new completion (then deletes the old one).

    >>> ChatCompletionArgs(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}]).n
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


_ARG_NAMES = frozenset(f.name for f in dataclasses.fields(ChatCompletionArgs))


class ChatCompletion(Resource, module="chatcomp", name="ChatCompletion"):
    """A stored chat completion: created on ``pulumi up``, refreshed, updated, deleted.

    Call it as generated Pulumi SDKs' resources are called: ``ChatCompletion(name, args,
    opts)`` with a ``ChatCompletionArgs``, or ``ChatCompletion(name, opts, model=...,
    messages=...)`` with the fields as keywords (``opts`` positional or not). Credentials
    come from the stack config (``chatcomp:apiKey``, ``chatcomp:baseUrl``, ...) or
    ``OPENAI_*`` variables and never enter the state. ``secret_outputs=True`` encrypts the
    prompts and the generated text in state.
    """

    content: pulumi.Output[str | None]
    """The first choice's message text."""
    refusal: pulumi.Output[str | None]
    """The first choice's refusal, when the model refused."""
    finish_reason: pulumi.Output[str | None]
    """Why the first choice stopped: ``stop``, ``length``, ``tool_calls``, ..."""
    tool_calls: pulumi.Output[list[dict[str, Any]] | None]
    """The first choice's tool calls."""
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
        with reported(f"ChatCompletion {resource_name!r}"):
            args, opts = _args_and_opts(positional, kwargs)
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
        if opts is not None and opts.import_ is not None:
            # The dynamic provider host cannot serve the engine's bare import read (it has
            # no pickled provider to load), so the provider adopts the completion instead:
            # its create reads the stored completion rather than making a new one.
            props[ADOPT_NAME] = opts.import_
            opts = copy.copy(opts)
            opts.import_ = None
        # Declared outputs must be present (as None) for the engine to report them.
        for name in OUTPUT_NAMES:
            props.setdefault(name, None)
        for name in ("metadata", "model", "messages", "store"):
            props.setdefault(name, None)
        props[PROVIDER_KEY] = serialized_provider()
        # What pulumi.dynamic.Resource.__init__ does, with the provider pickled once per
        # program rather than per resource. Calling CustomResource's __init__ from here also
        # lets the SDK record the user's line as the resource's source position, not ours.
        pulumi.CustomResource.__init__(self, TYPE_TOKEN, resource_name, props, opts)

    @property
    def completion_id(self) -> pulumi.Output[str]:
        """The completion's ID (``chatcmpl-...``): the resource's ``id``, not kept twice."""
        return self.id

    @property
    def object(self) -> pulumi.Output[str]:
        """Always ``chat.completion`` (a constant, so state does not keep it)."""
        return pulumi.Output.from_input("chat.completion")

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> ChatCompletion:
        """Look up an existing stored completion by ID without managing it.

        Example::

            stored = ChatCompletion.get("stored", "chatcmpl-abc123")
            pulumi.export("stored_content", stored.content)
        """
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return ChatCompletion(resource_name, merged)


def _args_and_opts(
    positional: Sequence[Any], keywords: Mapping[str, Any]
) -> tuple[ChatCompletionArgs | None, pulumi.ResourceOptions | None]:
    # The call shapes of generated Pulumi SDKs: (name, args, opts), (name, opts, **fields)
    # with opts positional or not, and keywords only.
    kwargs = dict(keywords)
    if len(positional) > 2:
        raise InvalidArgumentError(
            "arguments", f"after the name are at most args and opts, got {len(positional)}"
        )
    slots: dict[str, object] = dict(zip(("args", "opts"), positional, strict=False))
    for name in ("args", "opts"):
        if kwargs.get(name) is not None:
            if slots.get(name) is not None:
                raise InvalidArgumentError(name, f"is given twice, positionally and as {name}=")
            slots[name] = kwargs[name]
        kwargs.pop(name, None)
    args, opts = slots.get("args"), slots.get("opts")
    if isinstance(args, pulumi.ResourceOptions):  # (name, opts, **fields)
        if opts is not None:
            raise InvalidArgumentError("opts", "is given twice, positionally and as opts=")
        args, opts = None, args
    if args is not None and not isinstance(args, ChatCompletionArgs):
        raise InvalidArgumentError(
            "args",
            f"must be a ChatCompletionArgs or pulumi.ResourceOptions, got {type(args).__name__}",
        )
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise InvalidArgumentError(
            "opts", f"must be a pulumi.ResourceOptions, got {type(opts).__name__}"
        )
    if args is not None and kwargs:
        given = ", ".join(sorted(kwargs))
        raise InvalidArgumentError(
            "args", f"and keyword arguments cannot both be given (got args and {given})"
        )
    unknown = sorted(set(kwargs) - _ARG_NAMES)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(_ARG_NAMES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InvalidArgumentError(
            ", ".join(unknown),
            f"{'is not an argument' if len(unknown) == 1 else 'are not arguments'} of "
            f"ChatCompletion (see ChatCompletionArgs){hint}",
        )
    missing = [name for name in ("model", "messages") if kwargs and name not in kwargs]
    if missing:
        raise InvalidArgumentError(
            " and ".join(missing), f"{'is' if len(missing) == 1 else 'are'} required"
        )
    return (ChatCompletionArgs(**kwargs) if kwargs else args), opts


def _warn_deprecated(resource_name: str, props: Mapping[str, Any]) -> None:
    known = {k: v for k, v in props.items() if not isinstance(v, pulumi.Output)}
    for problem in deprecated_fields(known):
        text = f"ChatCompletion {resource_name!r}: {problem.message}"
        warnings.warn(text, ChatCompDeprecationWarning, stacklevel=3)
        pulumi.log.warn(text)
