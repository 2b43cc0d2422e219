"""The provider plugin's functions for Python programs, as invokes: the same names, arguments
and results as ``pulumi_chatcomp.data_sources``, answered by ``pulumi-resource-chatcomp``.

Only the message of a failure crosses the plugin's boundary, so every error here is a
``ChatCompError`` (and a ``pulumi.RunError``: the program fails with the message alone).
Arguments are sent, and results and messages read, with the plugin's one mapping between
the schema's camelCase and the snake_case of Python (``plugin._casing``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import pulumi

from pulumi_chatcomp._exceptions import ChatCompError, without_entry_point
from pulumi_chatcomp.core._functions import Function
from pulumi_chatcomp.plugin._casing import package_names
from pulumi_chatcomp.program._errors import reported
from pulumi_chatcomp.program._outputs import call_with_inputs
from pulumi_chatcomp.program._records import (
    Answer,
    GetChatCompletionMessagesResult,
    GetChatCompletionResult,
    GetChatCompletionsResult,
)

__all__ = [
    "get_chat_completion",
    "get_chat_completion_messages",
    "get_chat_completion_messages_output",
    "get_chat_completion_output",
    "get_chat_completions",
    "get_chat_completions_output",
]

AnswerT = TypeVar("AnswerT", bound=Answer)


def get_chat_completion(
    completion_id: str, opts: pulumi.InvokeOptions | None = None
) -> GetChatCompletionResult:
    """One stored chat completion, by its ID (``chatcomp:index:getChatCompletion``)."""
    return _invoke(GetChatCompletionResult, opts, completion_id)


def get_chat_completion_output(
    completion_id: pulumi.Input[str], opts: pulumi.InvokeOutputOptions | None = None
) -> pulumi.Output[GetChatCompletionResult]:
    """``get_chat_completion`` over an Input, after the resources in ``opts.depends_on``."""
    return _invoke_output(GetChatCompletionResult, opts, completion_id)


def get_chat_completions(
    model: str | None = None,
    metadata: Mapping[str, str] | None = None,
    order: str | None = None,
    limit: int | None = None,
    set_tag: str | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> GetChatCompletionsResult:
    """The stored chat completions a filter selects (``chatcomp:index:getChatCompletions``);
    ``set_tag``, a ChatCompletionSet's ``tag`` output, selects that set's items."""
    return _invoke(GetChatCompletionsResult, opts, model, metadata, order, limit, set_tag)


def get_chat_completions_output(
    model: pulumi.Input[str | None] = None,
    metadata: pulumi.Input[Mapping[str, pulumi.Input[str]] | None] = None,
    order: pulumi.Input[str | None] = None,
    limit: pulumi.Input[int | None] = None,
    set_tag: pulumi.Input[str | None] = None,
    opts: pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetChatCompletionsResult]:
    """``get_chat_completions`` over Inputs, after the resources in ``opts.depends_on`` (and
    the set whose ``tag`` is ``set_tag``)."""
    return _invoke_output(GetChatCompletionsResult, opts, model, metadata, order, limit, set_tag)


def get_chat_completion_messages(
    completion_id: str,
    order: str | None = None,
    limit: int | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> GetChatCompletionMessagesResult:
    """A completion's stored input messages (``chatcomp:index:getChatCompletionMessages``)."""
    return _invoke(GetChatCompletionMessagesResult, opts, completion_id, order, limit)


def get_chat_completion_messages_output(
    completion_id: pulumi.Input[str],
    order: pulumi.Input[str | None] = None,
    limit: pulumi.Input[int | None] = None,
    opts: pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetChatCompletionMessagesResult]:
    """``get_chat_completion_messages`` over Inputs, after ``opts.depends_on``."""
    return _invoke_output(GetChatCompletionMessagesResult, opts, completion_id, order, limit)


def _invoke(result: type[AnswerT], opts: pulumi.InvokeOptions | None, *values: object) -> AnswerT:
    function = result._function
    with reported(function.name):
        try:
            answer = pulumi.runtime.invoke(
                function.token, _sent(function, function.named(values)), _with_version(opts)
            )
        except Exception as error:  # the SDK raises a plain Exception with the plugin's words
            raise _failure(function, error) from None
    return _answered(function, result, answer.value)


def _invoke_output(
    result: type[AnswerT], opts: pulumi.InvokeOutputOptions | None, *values: object
) -> pulumi.Output[AnswerT]:
    function = result._function

    def call(_called: str, **resolved: Any) -> Awaitable[AnswerT]:
        return _invoke_async(result, resolved, opts)

    # Our Output plumbing, not the SDK's invoke_output: so a failure prints as its message.
    runner: Callable[..., Awaitable[AnswerT]] = call
    return call_with_inputs(runner, function.name, function.named(values), opts, blocking=False)


async def _invoke_async(
    result: type[AnswerT], args: Mapping[str, Any], opts: pulumi.InvokeOptions | None
) -> AnswerT:
    function = result._function
    with reported(function.name):
        try:
            answer = await pulumi.runtime.invoke_async(
                function.token, _sent(function, args), _with_version(opts)
            )
        except Exception as error:
            raise _failure(function, error) from None
    return _answered(function, result, answer)


def _with_version(opts: pulumi.InvokeOptions | None) -> pulumi.InvokeOptions:
    from pulumi_chatcomp import __version__

    return pulumi.InvokeOptions.merge(pulumi.InvokeOptions(version=__version__), opts)


def _sent(function: Function, args: Mapping[str, Any]) -> dict[str, Any]:
    sent: dict[str, Any] = package_names().arguments[function.token].to_schema(dict(args))
    return sent


def _failure(function: Function, error: Exception) -> ChatCompError:
    # The SDK's text holds the plugin's str(error): "invoke of <token> failed: invocation of
    # <token> returned an error: <function>: <ours>".
    ours = without_entry_point(str(error), function.name)
    return ChatCompError(package_names().reword(ours, "api"))


def _answered(function: Function, result: type[AnswerT], value: Any) -> AnswerT:
    return result.of(package_names().results[function.token].to_api(dict(value or {})))
