"""The three reads behind the data sources (and the plugin's invokes, and the CLI): one
stored completion, the stored completions a filter selects, and a completion's messages.

A query is checked once, as it is made (``CompletionsQuery.of``, ``MessagesQuery.of``: an
``InvalidArgumentError`` names the argument that is wrong, before anything is sent), and
carries the checked arguments for the faces that echo them. ``set_tag`` selects the items
of one ChatCompletionSet (its ``tag`` output), by the metadata key the package reserves for
it; the reserved keys are no ``metadata`` filter of the user's. Results are the API's JSON
objects, null fields included, without the client's idempotency key, fetched lazily; each
completion also carries ``parsed``, as the resource does (see ``_structured``), decided by
the ``response_format`` the stored completion echoes.

>>> CompletionsQuery.of(model=" gpt-4o-mini ", order="desc")
CompletionsQuery(model='gpt-4o-mini', metadata=None, order='desc', limit=None, set_tag=None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp._exceptions import InvalidArgumentError, Phrase, Terms
from pulumi_chatcomp.client._idempotency import RESERVED_METADATA_KEYS, SET_METADATA_KEY
from pulumi_chatcomp.client._query import ListQuery
from pulumi_chatcomp.core._names import PARSED_NAME
from pulumi_chatcomp.core._structured import parsed_from_answer
from pulumi_chatcomp.models._lists import (
    Order,
    check_completion_id,
    check_limit,
    check_order,
    check_set_tag,
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
class CompletionsQuery(ListQuery):
    """Which stored completions to list: the list's filters, order and cap, and a set."""

    set_tag: str | None = None
    """Only the items of the ChatCompletionSet with this ``tag``."""

    @classmethod
    def of(
        cls,
        model: object = None,
        metadata: object = None,
        order: object = None,
        limit: object = None,
        set_tag: object = None,
    ) -> CompletionsQuery:
        """The query for these arguments, each checked."""
        listed = ListQuery.of(model, metadata, order, limit)
        return cls(
            listed.model,
            _users_metadata(listed.metadata),
            listed.order,
            listed.limit,
            check_set_tag(set_tag),
        )

    def params(self) -> dict[str, str | int]:
        """The query string, the set's tag among the metadata filters."""
        return ListQuery(self.model, self.filters(), self.order, self.limit).params()

    def filters(self) -> dict[str, str] | None:
        """The list's metadata filter: the user's pairs, and the set's tag.

        >>> CompletionsQuery.of(metadata={"split": "test"}, set_tag="t1").filters()
        {'split': 'test', 'pulumi_chatcomp_set': 't1'}
        """
        if self.set_tag is None:
            return self.metadata
        return {**(self.metadata or {}), SET_METADATA_KEY: self.set_tag}


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
        model=query.model, metadata=query.filters(), order=query.order, limit=query.limit
    )
    return (_with_parsed(completion.model_dump(mode="json", by_alias=True)) for completion in found)


def list_messages(client: ChatCompletionsClient, query: MessagesQuery) -> Iterator[dict[str, Any]]:
    """``GET /chat/completions/{completion_id}/messages``, page by page, as JSON objects."""
    found = client.list_messages(query.completion_id, order=query.order, limit=query.limit)
    return (message.model_dump(mode="json", by_alias=True) for message in found)


def _users_metadata(metadata: dict[str, str] | None) -> dict[str, str] | None:
    # The reserved keys are the package's: users never see them, nor filter on them.
    for key in RESERVED_METADATA_KEYS:
        if metadata is not None and key in metadata:
            raise InvalidArgumentError(f"metadata[{key!r}]", Phrase(_reserved(key)))
    return metadata


def _reserved(key: str) -> Callable[[Terms], str]:
    def words(terms: Terms) -> str:
        if key == SET_METADATA_KEY:
            return (
                f"is a key pulumi-chatcomp reserves; give a set's tag {terms.given_as('set_tag')}"
            )
        return "is a key pulumi-chatcomp reserves; leave it out"

    return words


def _with_parsed(answer: dict[str, Any]) -> dict[str, Any]:
    # Null for a completion that did not ask for JSON: results keep null fields.
    answer[PARSED_NAME] = parsed_from_answer(answer)
    return answer
