"""The package's three functions, declared once: ``FUNCTIONS``.

Each row is a function as every face knows it: its name (the data source's,
``get_chat_completions``), its token (the plugin's invoke), its arguments, the type of its
result, and the read that answers it. The plugin's schema and dispatch, the ``native``
wrappers and the dynamic data sources are all made from these rows; a face writes out only
its typed signatures, which tests pin to the rows.

A call is checked first (``Function.check``: no I/O, an ``InvalidArgumentError`` naming the
argument), then answered with a client (``Function.answer``: the result as JSON, a list's
pages all read, its arguments echoed).

>>> function = BY_TOKEN["chatcomp:index:getChatCompletionMessages"]
>>> function.name, [argument.name for argument in function.arguments]
('get_chat_completion_messages', ['completion_id', 'order', 'limit'])
>>> function.check(completion_id="chatcmpl-1", order="desc")
MessagesQuery(completion_id='chatcmpl-1', order='desc', limit=None)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from pulumi_chatcomp.core._names import PACKAGE
from pulumi_chatcomp.core._reads import (
    CompletionsQuery,
    MessagesQuery,
    list_completions,
    list_messages,
    read_completion,
)
from pulumi_chatcomp.models._lists import check_completion_id

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient

__all__ = [
    "BY_NAME",
    "BY_TOKEN",
    "FUNCTIONS",
    "GET_CHAT_COMPLETION",
    "GET_CHAT_COMPLETIONS",
    "GET_CHAT_COMPLETION_MESSAGES",
    "Argument",
    "Function",
]


@dataclass(frozen=True)
class Argument:
    """One argument of a function, in the API's name.

    >>> [(a.name, a.kind.__name__, a.required) for a in GET_CHAT_COMPLETION.arguments]
    [('completion_id', 'str', True)]
    """

    name: str
    kind: type[object]
    """What it takes: a string, a whole number, or a map of strings (``dict``)."""
    required: bool = False
    description: str | None = None
    """What the schema says of it where the API's reference says nothing."""
    sample: object = None
    """A value it accepts, checked in place of one not known yet (an ``_output`` form's
    Input during a preview), so that the others are checked at once."""


@dataclass(frozen=True)
class Function:
    """A function of the package: a read of stored completions, with what every face needs.

    >>> GET_CHAT_COMPLETIONS.named(["gpt-4o-mini", None, "desc", 10, None])
    {'model': 'gpt-4o-mini', 'metadata': None, 'order': 'desc', 'limit': 10, 'set_tag': None}
    """

    name: str
    """The data source's name (``get_chat_completions``), and the entry point errors name."""
    token: str
    """The plugin's invoke (``chatcomp:index:getChatCompletions``)."""
    description: str
    arguments: tuple[Argument, ...]
    result: str
    """The type of the result, or of each item of a list's ``data``
    (``StoredChatCompletion``)."""
    query: Callable[..., Any]
    """The checked query from the arguments, by name (each one that is missing is None)."""
    read: Callable[[ChatCompletionsClient, Any], Any]
    """The core read of a query: a JSON object, or, for a list, an iterator of them."""
    listing: str | None = None
    """For a list: what its result is. None for a function that returns one object."""

    @property
    def names(self) -> tuple[str, ...]:
        """The arguments' names, in order."""
        return tuple(argument.name for argument in self.arguments)

    def check(self, **arguments: object) -> Any:
        """The query for these arguments, each checked; nothing is sent."""
        return self.query(**{name: arguments.get(name) for name in self.names})

    def named(self, values: Sequence[object]) -> dict[str, object]:
        """The arguments by name, from values given in the order of ``arguments``."""
        return dict(zip(self.names, values, strict=True))

    def answer(self, client: ChatCompletionsClient, query: Any) -> dict[str, Any]:
        """The result as JSON: the object read, or a list's items (every page) in ``data``
        beside the arguments it echoes."""
        found = self.read(client, query)
        if self.listing is None:
            answer: dict[str, Any] = found
            return answer
        return {"data": list(found), **dataclasses.asdict(query)}


_SET_TAG_DESCRIPTION: Final = (
    "Only the items of the ChatCompletionSet with this tag: the set's `tag` output (e.g. "
    "`${evals.tag}`, which also has the call wait for the set), which every item the set "
    "makes carries under the metadata key `pulumi_chatcomp_set` that the package reserves "
    "(an item a set adopted by `pulumi import` carries it once an `up` updates it or makes "
    "it again)."
)

_COMPLETION_ID: Final = Argument("completion_id", str, required=True, sample="chatcmpl-pending")
_ORDER: Final = Argument("order", str)
_LIMIT: Final = Argument("limit", int)

GET_CHAT_COMPLETION: Final = Function(
    name="get_chat_completion",
    token=f"{PACKAGE}:index:getChatCompletion",
    description="One stored chat completion, by its ID.",
    arguments=(_COMPLETION_ID,),
    result="StoredChatCompletion",
    query=check_completion_id,
    read=read_completion,
)

GET_CHAT_COMPLETIONS: Final = Function(
    name="get_chat_completions",
    token=f"{PACKAGE}:index:getChatCompletions",
    description=(
        "The stored chat completions a filter selects (model, metadata, the items of a "
        "ChatCompletionSet), every page read; `limit` caps how many."
    ),
    arguments=(
        Argument("model", str),
        Argument("metadata", dict),
        _ORDER,
        _LIMIT,
        Argument("set_tag", str, description=_SET_TAG_DESCRIPTION),
    ),
    result="StoredChatCompletion",
    query=CompletionsQuery.of,
    read=list_completions,
    listing="The stored chat completions the filter selects, and the filter.",
)

GET_CHAT_COMPLETION_MESSAGES: Final = Function(
    name="get_chat_completion_messages",
    token=f"{PACKAGE}:index:getChatCompletionMessages",
    description="The input messages stored with a completion, every page read.",
    arguments=(_COMPLETION_ID, _ORDER, _LIMIT),
    result="StoredChatCompletionMessage",
    query=MessagesQuery.of,
    read=list_messages,
    listing="The input messages stored with the completion, and the call's arguments.",
)

FUNCTIONS: Final = (GET_CHAT_COMPLETION, GET_CHAT_COMPLETIONS, GET_CHAT_COMPLETION_MESSAGES)
"""Every function, in the order the faces list them."""

BY_TOKEN: Final[Mapping[str, Function]] = {function.token: function for function in FUNCTIONS}
"""Each function by its token: what the plugin's dispatch looks an invoke up in."""

BY_NAME: Final[Mapping[str, Function]] = {function.name: function for function in FUNCTIONS}
"""Each function by its name (``get_chat_completions``)."""
