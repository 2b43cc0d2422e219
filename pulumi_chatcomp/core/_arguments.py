"""Checking data source arguments before any request, with errors naming function and argument."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pulumi

from pulumi_chatcomp._exceptions import ChatCompError

__all__ = [
    "InvalidArgumentError",
    "Order",
    "check_completion_id",
    "check_limit",
    "check_metadata",
    "check_model",
    "check_options",
    "check_order",
]

Order = Literal["asc", "desc"]


class InvalidArgumentError(ChatCompError, ValueError):
    """A data source was called with an argument it cannot use; nothing was sent.

    The message names the function and the argument, as the caller wrote them:

    >>> check_order("get_chat_completions", "up")
    Traceback (most recent call last):
    ...
    pulumi_chatcomp.core._arguments.InvalidArgumentError: get_chat_completions: \
order must be "asc" or "desc", got 'up'
    """

    def __init__(self, function: str, argument: str, problem: str) -> None:
        super().__init__(f"{function}: {argument} {problem}")
        self.function = function
        """The data source, e.g. ``get_chat_completions``."""
        self.argument = argument
        """The argument, e.g. ``order``."""


def check_completion_id(function: str, completion_id: object) -> str:
    if not isinstance(completion_id, str) or not completion_id.strip():
        raise InvalidArgumentError(
            function,
            "completion_id",
            f'must be a non-empty string such as "chatcmpl-abc123", got {completion_id!r}',
        )
    return completion_id.strip()


def check_model(function: str, model: object) -> str | None:
    if model is None:
        return None
    if not isinstance(model, str) or not model.strip():
        raise InvalidArgumentError(
            function, "model", f'must be a non-empty string such as "gpt-4o-mini", got {model!r}'
        )
    return model.strip()


def check_order(function: str, order: object) -> Order | None:
    if order is None:
        return None
    if order not in ("asc", "desc"):
        raise InvalidArgumentError(function, "order", f'must be "asc" or "desc", got {order!r}')
    return order


def check_limit(function: str, limit: object) -> int | None:
    if limit is None:
        return None
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InvalidArgumentError(
            function, "limit", f"must be a whole number, 1 or more (None for all), got {limit!r}"
        )
    return limit


def check_metadata(function: str, metadata: object) -> dict[str, str] | None:
    if metadata is None:
        return None
    if not isinstance(metadata, Mapping):
        raise InvalidArgumentError(
            function,
            "metadata",
            f'must map strings to strings, such as {{"dataset": "faq"}}, got {metadata!r}',
        )
    for key, value in metadata.items():
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError(
                function, "metadata", f"keys must be non-empty strings, got the key {key!r}"
            )
        if not isinstance(value, str):
            raise InvalidArgumentError(
                function, f"metadata[{key!r}]", f"must be a string, got {value!r}"
            )
    return dict(metadata)


def check_options(function: str, opts: object) -> None:
    """``opts`` must be ``pulumi.InvokeOptions`` (or ``InvokeOutputOptions``) or None.

    ``parent``, ``version`` and ``plugin_download_url`` change nothing for a function that
    runs in the program; ``provider`` would, and cannot be honoured, so it is refused.
    """
    if opts is None:
        return
    if not isinstance(opts, pulumi.InvokeOptions):
        raise InvalidArgumentError(
            function, "opts", f"must be a pulumi.InvokeOptions, got {type(opts).__name__}"
        )
    if opts.provider is not None:
        raise InvalidArgumentError(
            function,
            "opts.provider",
            "cannot be honoured: this data source runs in the program and reads the stack's "
            "chatcomp:* settings (and OPENAI_* variables); leave provider unset",
        )
