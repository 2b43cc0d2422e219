"""The three reads behind the data sources (and the plugin's invokes, and the CLI): one
stored completion, the stored completions a filter selects, and a completion's messages.

A query is checked once, as it is made (``CompletionsQuery.of``, ``MessagesQuery.of``: an
``InvalidArgumentError`` names the argument that is wrong, before anything is sent), and
carries the checked arguments for the faces that echo them. Results are the API's JSON
objects, null fields included, without the client's idempotency key, fetched lazily; each
completion also carries ``parsed``, as the resource does (see ``_structured``), decided by
the ``response_format`` the stored completion echoes.

>>> CompletionsQuery.of(model=" gpt-4o-mini ", order="desc")
CompletionsQuery(model='gpt-4o-mini', metadata=None, order='desc', limit=None)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp.core._names import PARSED_NAME
from pulumi_chatcomp.core._structured import parsed_from_answer
from pulumi_chatcomp.models._lists import (
    Order,
    check_completion_id,
    check_limit,
    check_list_metadata,
    check_model,
    check_order,
)

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient

__all__ = [
    "CompletionsQuery",
    "MessagesQuery",
    "list_completions",
    "list_messages",
    "read_completion",
]


@dataclass(frozen=True)
class CompletionsQuery:
    """Which stored completions to list: filters, order and a cap on how many."""

    model: str | None = None
    metadata: dict[str, str] | None = None
    order: Order | None = None
    limit: int | None = None

    @classmethod
    def of(
        cls,
        model: object = None,
        metadata: object = None,
        order: object = None,
        limit: object = None,
    ) -> CompletionsQuery:
        """The query for these arguments, each checked."""
        return cls(
            check_model(model),
            check_list_metadata(metadata),
            check_order(order),
            check_limit(limit),
        )


@dataclass(frozen=True)
class MessagesQuery:
    """Which completion's input messages to list, in which order, and how many."""

    completion_id: str
    order: Order | None = None
    limit: int | None = None

    @classmethod
    def of(cls, completion_id: object, order: object = None, limit: object = None) -> MessagesQuery:
        """The query for these arguments, each checked."""
        return cls(check_completion_id(completion_id), check_order(order), check_limit(limit))


def read_completion(client: ChatCompletionsClient, completion_id: object) -> dict[str, Any]:
    """``GET /chat/completions/{completion_id}``, as JSON."""
    completion = client.retrieve(check_completion_id(completion_id))
    return _with_parsed(completion.model_dump(mode="json", by_alias=True))


def list_completions(
    client: ChatCompletionsClient, query: CompletionsQuery
) -> Iterator[dict[str, Any]]:
    """``GET /chat/completions``, page by page, as JSON objects."""
    found = client.list(
        model=query.model, metadata=query.metadata, order=query.order, limit=query.limit
    )
    return (_with_parsed(completion.model_dump(mode="json", by_alias=True)) for completion in found)


def list_messages(client: ChatCompletionsClient, query: MessagesQuery) -> Iterator[dict[str, Any]]:
    """``GET /chat/completions/{completion_id}/messages``, page by page, as JSON objects."""
    found = client.list_messages(query.completion_id, order=query.order, limit=query.limit)
    return (message.model_dump(mode="json", by_alias=True) for message in found)


def _with_parsed(answer: dict[str, Any]) -> dict[str, Any]:
    # Null for a completion that did not ask for JSON: results keep null fields.
    answer[PARSED_NAME] = parsed_from_answer(answer)
    return answer
