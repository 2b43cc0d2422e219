"""The arguments of the reads: one completion by ID, and the two cursor-paged lists.

Checked the same way for every caller (the client, the data sources, the plugin's invokes,
the CLI), before anything is sent; each problem is an ``InvalidArgumentError`` naming the
argument, and the caller's entry point names itself (``_exceptions.entry_point``).

>>> check_order("desc"), check_limit(None)
('desc', None)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.models._metadata import METADATA_VALUE_MAX, validate_metadata

__all__ = [
    "COMPLETION_ID_MAX",
    "MAX_PAGE_SIZE",
    "MODEL_FILTER_MAX",
    "Order",
    "check_completion_id",
    "check_limit",
    "check_list_metadata",
    "check_model",
    "check_order",
    "check_set_tag",
]

Order = Literal["asc", "desc"]
"""Creation-time order of a list; the API's default is ``asc``."""

MAX_PAGE_SIZE: Final = 100
"""The largest page the API serves (``limit`` 1 to 100 per request)."""

COMPLETION_ID_MAX: Final = 256
"""Longest completion ID accepted, in characters. The API's are ``chatcmpl-`` and about 30
more; the bound is far above them, so that a value pasted by mistake is refused here with a
reason rather than sent as a URL no server takes."""

MODEL_FILTER_MAX: Final = 256
"""Longest model name a list is filtered on, for the same reason (the API's names are short,
``gpt-4o-mini-2024-07-18``)."""


def check_completion_id(completion_id: object) -> str:
    """A completion ID such as ``chatcmpl-abc123``, without surrounding spaces."""
    if not isinstance(completion_id, str) or not completion_id.strip():
        raise InvalidArgumentError(
            "completion_id",
            f'must be a non-empty string such as "chatcmpl-abc123", got {completion_id!r}',
        )
    return _bounded("completion_id", completion_id.strip(), COMPLETION_ID_MAX)


def check_model(model: object) -> str | None:
    """A model filter (exact match), or None for every model."""
    if model is None:
        return None
    if not isinstance(model, str) or not model.strip():
        raise InvalidArgumentError(
            "model", f'must be a non-empty string such as "gpt-4o-mini", got {model!r}'
        )
    return _bounded("model", model.strip(), MODEL_FILTER_MAX)


def _bounded(argument: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise InvalidArgumentError(
            argument, f"has {len(value)} characters; at most {limit} are accepted"
        )
    if not value.isprintable():
        raise InvalidArgumentError(argument, f"must hold no control characters, got {value!r}")
    return value


def check_set_tag(set_tag: object) -> str | None:
    """The tag of a ChatCompletionSet (its ``tag`` output), or None for no set.

    >>> check_set_tag(" 4fb1601e376a9f7e319f76647ff94ae5 ")
    '4fb1601e376a9f7e319f76647ff94ae5'
    """
    if set_tag is None:
        return None
    if not isinstance(set_tag, str) or not set_tag.strip():
        raise InvalidArgumentError(
            "set_tag", f"must be a set's tag (its tag output, a non-empty string), got {set_tag!r}"
        )
    return _bounded("set_tag", set_tag.strip(), METADATA_VALUE_MAX)


def check_order(order: object) -> Order | None:
    """``asc`` or ``desc``, or None for the API's default."""
    if order is None:
        return None
    if order not in ("asc", "desc"):
        raise InvalidArgumentError("order", f'must be "asc" or "desc", got {order!r}')
    return order


def check_limit(limit: object) -> int | None:
    """A cap on how many items a list yields in all (across pages), or None for all."""
    if limit is None:
        return None
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InvalidArgumentError(
            "limit", f"must be a whole number, 1 or more (None for all), got {limit!r}"
        )
    return limit


def check_list_metadata(metadata: object, *, argument: str = "metadata") -> dict[str, str] | None:
    """A map of strings to strings (a list filter, or the metadata an update sets)."""
    if metadata is None:
        return None
    if not isinstance(metadata, Mapping):
        raise InvalidArgumentError(
            argument,
            f'must map strings to strings, such as {{"dataset": "faq"}}, got {metadata!r}',
        )
    for key, value in metadata.items():
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError(
                argument, f"keys must be non-empty strings, got the key {key!r}"
            )
        if not isinstance(value, str):
            raise InvalidArgumentError(
                f"{argument}[{key!r}]",
                f"must be a string, got {value!r}; {argument} must map strings to strings",
            )
    # The API's own limits (pairs, key and value lengths), which a filter cannot exceed either.
    for problem in validate_metadata(metadata, path=argument)[:1]:
        where = problem.path if problem.message.startswith(problem.path + " ") else argument
        raise InvalidArgumentError(where, problem.message.removeprefix(where + " "))
    return dict(metadata)
