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
from pulumi_chatcomp.core._names import PACKAGE
from pulumi_chatcomp.plugin._casing import package_names
from pulumi_chatcomp.program._errors import reported
from pulumi_chatcomp.program._outputs import call_with_inputs
from pulumi_chatcomp.program._records import (
    GetChatCompletionMessagesResult,
    GetChatCompletionResult,
    GetChatCompletionsResult,
    Record,
)

__all__ = [
    "get_chat_completion",
    "get_chat_completion_messages",
    "get_chat_completion_messages_output",
    "get_chat_completion_output",
    "get_chat_completions",
    "get_chat_completions_output",
]

RecordT = TypeVar("RecordT", bound=Record)


def get_chat_completion(
    completion_id: str, opts: pulumi.InvokeOptions | None = None
) -> GetChatCompletionResult:
    """One stored chat completion, by its ID (``chatcomp:index:getChatCompletion``)."""
    return _invoke(
        "get_chat_completion", GetChatCompletionResult, {"completion_id": completion_id}, opts
    )


def get_chat_completion_output(
    completion_id: pulumi.Input[str], opts: pulumi.InvokeOutputOptions | None = None
) -> pulumi.Output[GetChatCompletionResult]:
    """``get_chat_completion`` over an Input, after the resources in ``opts.depends_on``."""
    return _invoke_output(
        "get_chat_completion", GetChatCompletionResult, {"completion_id": completion_id}, opts
    )


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
    args = {
        "model": model,
        "metadata": metadata,
        "order": order,
        "limit": limit,
        "set_tag": set_tag,
    }
    return _invoke("get_chat_completions", GetChatCompletionsResult, args, opts)


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
    args = {
        "model": model,
        "metadata": metadata,
        "order": order,
        "limit": limit,
        "set_tag": set_tag,
    }
    return _invoke_output("get_chat_completions", GetChatCompletionsResult, args, opts)


def get_chat_completion_messages(
    completion_id: str,
    order: str | None = None,
    limit: int | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> GetChatCompletionMessagesResult:
    """A completion's stored input messages (``chatcomp:index:getChatCompletionMessages``)."""
    args = {"completion_id": completion_id, "order": order, "limit": limit}
    return _invoke("get_chat_completion_messages", GetChatCompletionMessagesResult, args, opts)


def get_chat_completion_messages_output(
    completion_id: pulumi.Input[str],
    order: pulumi.Input[str | None] = None,
    limit: pulumi.Input[int | None] = None,
    opts: pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetChatCompletionMessagesResult]:
    """``get_chat_completion_messages`` over Inputs, after ``opts.depends_on``."""
    args = {"completion_id": completion_id, "order": order, "limit": limit}
    return _invoke_output(
        "get_chat_completion_messages", GetChatCompletionMessagesResult, args, opts
    )


def _token(function: str) -> str:
    head, *rest = function.split("_")
    return f"{PACKAGE}:index:{head}{''.join(word.title() for word in rest)}"


def _invoke(
    function: str,
    result: type[RecordT],
    args: Mapping[str, Any],
    opts: pulumi.InvokeOptions | None,
) -> RecordT:
    token = _token(function)
    with reported(function):
        try:
            answer = pulumi.runtime.invoke(token, _sent(token, args), _with_version(opts))
        except Exception as error:  # the SDK raises a plain Exception with the plugin's words
            raise _failure(function, error) from None
    return _answered(token, result, answer.value)


def _invoke_output(
    function: str,
    result: type[RecordT],
    args: Mapping[str, Any],
    opts: pulumi.InvokeOutputOptions | None,
) -> pulumi.Output[RecordT]:
    def call(_function: str, **resolved: Any) -> Awaitable[RecordT]:
        return _invoke_async(function, result, resolved, opts)

    # Our Output plumbing, not the SDK's invoke_output: so a failure prints as its message.
    runner: Callable[..., Awaitable[RecordT]] = call
    return call_with_inputs(runner, function, args, opts, blocking=False)


async def _invoke_async(
    function: str, result: type[RecordT], args: Mapping[str, Any], opts: pulumi.InvokeOptions | None
) -> RecordT:
    token = _token(function)
    with reported(function):
        try:
            answer = await pulumi.runtime.invoke_async(
                token, _sent(token, args), _with_version(opts)
            )
        except Exception as error:
            raise _failure(function, error) from None
    return _answered(token, result, answer)


def _with_version(opts: pulumi.InvokeOptions | None) -> pulumi.InvokeOptions:
    from pulumi_chatcomp import __version__

    return pulumi.InvokeOptions.merge(pulumi.InvokeOptions(version=__version__), opts)


def _sent(token: str, args: Mapping[str, Any]) -> dict[str, Any]:
    sent: dict[str, Any] = package_names().arguments[token].to_schema(dict(args))
    return sent


def _failure(function: str, error: Exception) -> ChatCompError:
    # The SDK's text holds the plugin's str(error): "invoke of <token> failed: invocation of
    # <token> returned an error: <function>: <ours>".
    ours = without_entry_point(str(error), function)
    return ChatCompError(package_names().reword(ours, "api"))


def _answered(token: str, result: type[RecordT], value: Any) -> RecordT:
    return result.of(package_names().results[token].to_api(dict(value or {})))
