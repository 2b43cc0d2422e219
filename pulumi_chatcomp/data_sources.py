"""Data sources: read stored chat completions from a Pulumi program (or any Python code).

Dynamic providers cannot serve invokes, so these are plain functions that run in the program
process, named as generated Pulumi SDKs name invokes: ``get_x(...)`` returns the result now,
``get_x_output(...)`` takes ``pulumi.Input``s and returns a ``pulumi.Output`` of it.

Settings resolve as the ``ChatCompletion`` resource's do: the stack config ``chatcomp:*``
(``apiKey``, ``baseUrl``, ``timeout``, ``maxRetries``, ...), then ``OPENAI_*`` variables
(see ``Settings``); outside a Pulumi program the config is empty. Calls share the resource's
client: same retries, same errors (``ChatCompError`` and subclasses), each naming the function
that was called. Bad arguments raise ``InvalidArgumentError`` (a ``ValueError``) before anything
is sent. Every error these functions raise is also a ``pulumi.RunError``, so a program that
does not catch it fails with the message alone, without a traceback.

Each function takes ``opts`` as generated SDKs' invokes do: ``pulumi.InvokeOptions`` for the
plain form, ``pulumi.InvokeOutputOptions`` (``depends_on``) for the ``_output`` form.

Results are ``dict``s whose keys read as attributes, so they can be passed to
``pulumi.export`` as they are::

    import pulumi
    import pulumi_chatcomp as chatcomp

    greeting = chatcomp.ChatCompletion("greeting", model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Hi"}], metadata={"dataset": "greetings"})
    found = chatcomp.get_chat_completions_output(
        metadata={"dataset": "greetings"},
        opts=pulumi.InvokeOutputOptions(depends_on=[greeting]),
    )
    pulumi.export("first", found.data[0].choices[0].message.content)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import pulumi

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.program._errors import reported
from pulumi_chatcomp.program._outputs import call_with_inputs, is_plain
from pulumi_chatcomp.program._records import (
    Answer,
    GetChatCompletionMessagesResult,
    GetChatCompletionResult,
    GetChatCompletionsResult,
    Record,
    StoredChatCompletion,
    StoredChatCompletionMessage,
)
from pulumi_chatcomp.program._settings import program_client

AnswerT = TypeVar("AnswerT", bound=Answer)

__all__ = [
    "GetChatCompletionMessagesResult",
    "GetChatCompletionResult",
    "GetChatCompletionsResult",
    "InvalidArgumentError",
    "Record",
    "StoredChatCompletion",
    "StoredChatCompletionMessage",
    "get_chat_completion",
    "get_chat_completion_messages",
    "get_chat_completion_messages_output",
    "get_chat_completion_output",
    "get_chat_completions",
    "get_chat_completions_output",
]


def get_chat_completion(
    completion_id: str, opts: pulumi.InvokeOptions | None = None
) -> GetChatCompletionResult:
    """Read one stored chat completion by its ID.

    Raises ``NotFoundError`` when there is no such stored completion (created with
    ``store=false``, deleted, or older than 30 days).

    Example::

        completion = get_chat_completion("chatcmpl-abc123")
        completion.choices[0].message.content, completion.usage.total_tokens
        # ('Hello!', 12)
    """
    return _now(GetChatCompletionResult, opts, completion_id)


def get_chat_completion_output(
    completion_id: pulumi.Input[str], opts: pulumi.InvokeOutputOptions | None = None
) -> pulumi.Output[GetChatCompletionResult]:
    """``get_chat_completion`` over an Input, e.g. the ID of a completion in this program.

    Unknown while ``completion_id`` (or a resource in ``opts.depends_on``) is unknown, as in
    the preview before the completion exists.

    Example::

        answer = chatcomp.ChatCompletion("answer", ...)
        stored = get_chat_completion_output(answer.id)
        pulumi.export("tokens", stored.usage.total_tokens)
    """
    return _later(GetChatCompletionResult, opts, completion_id)


def get_chat_completions(
    model: str | None = None,
    metadata: Mapping[str, str] | None = None,
    order: str | None = None,
    limit: int | None = None,
    set_tag: str | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> GetChatCompletionsResult:
    """List stored chat completions, following every page; ``limit`` caps the total.

    Filters: ``model`` (exact), ``metadata`` (every pair must match), ``set_tag`` (only the
    items of the ChatCompletionSet with this ``tag`` output), ``order`` ("asc" or "desc" by
    creation time; the API's default is "asc").

    Pages are read one at a time, but ``data`` is a list of everything found; for very large
    sets pass ``limit``, or walk them with ``ChatCompletionsClient.list`` (a lazy iterator)
    to keep memory flat.

    Example::

        found = get_chat_completions(metadata={"dataset": "faq"}, limit=50)
        [c.id for c in found.data]
        # ['chatcmpl-abc123', ...]
    """
    return _now(GetChatCompletionsResult, opts, model, metadata, order, limit, set_tag)


def get_chat_completions_output(
    model: pulumi.Input[str | None] = None,
    metadata: pulumi.Input[Mapping[str, pulumi.Input[str]] | None] = None,
    order: pulumi.Input[str | None] = None,
    limit: pulumi.Input[int | None] = None,
    set_tag: pulumi.Input[str | None] = None,
    opts: pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetChatCompletionsResult]:
    """``get_chat_completions`` over Inputs; runs after the resources in ``opts.depends_on``.
    A set's ``tag`` output as ``set_tag`` reads its items once the set is made.

    Example::

        found = get_chat_completions_output(
            metadata={"dataset": "greetings"},
            opts=pulumi.InvokeOutputOptions(depends_on=[first, second]),
        )
        pulumi.export("count", found.data.apply(len))
    """
    return _later(GetChatCompletionsResult, opts, model, metadata, order, limit, set_tag)


def get_chat_completion_messages(
    completion_id: str,
    order: str | None = None,
    limit: int | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> GetChatCompletionMessagesResult:
    """The input messages stored with a completion, following every page.

    Raises ``NotFoundError`` when there is no such stored completion.

    Example::

        messages = get_chat_completion_messages("chatcmpl-abc123")
        [(m.role, m.content) for m in messages.data]
        # [('user', 'Say hello.')]
    """
    return _now(GetChatCompletionMessagesResult, opts, completion_id, order, limit)


def get_chat_completion_messages_output(
    completion_id: pulumi.Input[str],
    order: pulumi.Input[str | None] = None,
    limit: pulumi.Input[int | None] = None,
    opts: pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetChatCompletionMessagesResult]:
    """``get_chat_completion_messages`` over Inputs (unknown while they are unknown).

    Example::

        prompt = get_chat_completion_messages_output(answer.id)
        pulumi.export("prompt", prompt.data[0].content)
    """
    return _later(GetChatCompletionMessagesResult, opts, completion_id, order, limit)


# The work behind each pair: the function is the one the result class answers
# (``core._functions``), its arguments are given in the order it declares them.


def _now(result: type[AnswerT], opts: pulumi.InvokeOptions | None, *values: object) -> AnswerT:
    function = result._function
    return _answer(result, function.name, function.named(values), opts)


def _later(
    result: type[AnswerT], opts: pulumi.InvokeOutputOptions | None, *values: object
) -> pulumi.Output[AnswerT]:
    function = result._function
    called = f"{function.name}_output"
    inputs = function.named(values)
    with reported(called):
        _check_options(opts)
        # What can be checked now is: the known values, with a sample for each unknown one.
        function.check(
            **{
                argument.name: value if is_plain(value) else argument.sample
                for argument, value in zip(function.arguments, values, strict=True)
            }
        )

    def answer(called: str, **resolved: object) -> AnswerT:
        return _answer(result, called, resolved, None)

    return call_with_inputs(answer, called, inputs, opts)


def _answer(
    result: type[AnswerT],
    called: str,
    arguments: Mapping[str, object],
    opts: pulumi.InvokeOptions | None,
) -> AnswerT:
    with reported(called):
        _check_options(opts)
        query = result._function.check(**arguments)
        client = program_client()
        answer = result.of(result._function.answer(client, query))
        answer.request_id = client.last_request_id
        return answer


def _check_options(opts: object) -> None:
    # parent, version and plugin_download_url change nothing for a function that runs in the
    # program; provider would, and cannot be honoured, so it is refused.
    if opts is None:
        return
    if not isinstance(opts, pulumi.InvokeOptions):
        raise InvalidArgumentError(
            "opts", f"must be a pulumi.InvokeOptions, got {type(opts).__name__}"
        )
    if opts.provider is not None:
        raise InvalidArgumentError(
            "opts.provider",
            "cannot be honoured: this data source runs in the program and reads the stack's "
            "chatcomp:* settings (and OPENAI_* variables); leave provider unset",
        )
