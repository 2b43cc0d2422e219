"""What the data sources return: JSON objects you can read by attribute and pass to export.

``pulumi.export`` serialises mappings, lists and plain values, but not pydantic models or plain
classes, so every object here is a ``dict`` (the API's JSON, null fields included) whose keys
also read as attributes. Declared annotations give type checkers the common fields; any
other field of the API's answer reads the same way, and ``record["name"]`` always works (also
for a field that shares its name with a dict method, such as ``items``).

>>> message = Record.of({"role": "assistant", "content": "Hi", "tool_calls": None})
>>> message.content, message["role"], message.tool_calls
('Hi', 'assistant', None)
>>> isinstance(message, dict)
True
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from pulumi_chatcomp.core._functions import (
    GET_CHAT_COMPLETION,
    GET_CHAT_COMPLETION_MESSAGES,
    GET_CHAT_COMPLETIONS,
    Function,
)

__all__ = [
    "Answer",
    "GetChatCompletionMessagesResult",
    "GetChatCompletionResult",
    "GetChatCompletionsResult",
    "Record",
    "StoredChatCompletion",
    "StoredChatCompletionMessage",
]

RecordT = TypeVar("RecordT", bound="Record")


class Record(dict[str, Any]):
    """A JSON object from the API: a ``dict`` whose keys also read as attributes.

    Nested objects are ``Record``s too, lists are lists. A field the object does not have
    raises ``AttributeError`` naming the fields it does have.

    >>> Record.of({"usage": {"total_tokens": 12}}).usage.total_tokens
    12
    """

    __slots__ = ()
    _kind: ClassVar[str] = "object"
    _items: ClassVar[type[Record] | None] = None
    """What the items of ``data`` are, for a result that lists them."""
    _always: ClassVar[tuple[str, ...]] = ()
    """Fields that read as None when the object lacks them: the plugin's invokes leave a
    null field out, and these must read alike from both faces."""

    @classmethod
    def of(cls: type[RecordT], data: dict[str, Any]) -> RecordT:
        """A record of ``data`` (a JSON object), with nested objects made records too."""
        record = cls((key, _wrap(value)) for key, value in data.items())
        for name in cls._always:
            record.setdefault(name, None)
        if cls._items is not None and isinstance(data.get("data"), list):
            record["data"] = [cls._items.of(item) for item in data["data"]]
        return record

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            if name.startswith("_"):  # copy, pickle and friends probe for dunders
                raise AttributeError(name) from None
            fields = ", ".join(sorted(self)) or "none"
            raise AttributeError(
                f"this {self._kind} has no field {name!r} (its fields: {fields})"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *(key for key in self if key.isidentifier())})

    def to_dict(self) -> dict[str, Any]:
        """A plain ``dict`` copy (nested records become plain dicts too)."""
        return _unwrap(self)  # type: ignore[no-any-return]


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Record((key, _wrap(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_wrap(item) for item in value]
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unwrap(item) for item in value]
    return value


class StoredChatCompletion(Record):
    """A stored chat completion, as ``GET /chat/completions/{completion_id}`` returns it:
    ``completion.choices[0].message.content``, ``completion.usage.total_tokens``."""

    __slots__ = ()
    _kind = "chat completion"
    _always = ("parsed",)

    id: str
    object: str
    created: int
    """Unix time (seconds) when the completion was created."""
    model: str
    choices: list[Record]
    """Each choice: ``index``, ``message`` (``role``, ``content``, ``refusal``, ...),
    ``finish_reason`` and ``logprobs``."""
    usage: Record | None
    service_tier: str | None
    system_fingerprint: str | None
    metadata: dict[str, str] | None
    """The stored metadata (without the resource's reserved idempotency key)."""
    parsed: Any
    """The first choice's content decoded as JSON when ``response_format`` asked for JSON
    (``json_schema`` or ``json_object``) and it parses, else None: ``completion.parsed.title``
    or ``completion.parsed["title"]``."""


class StoredChatCompletionMessage(Record):
    """One stored input message of a completion (``id`` is ``<completion_id>-<index>``)."""

    __slots__ = ()
    _kind = "message"

    id: str
    role: str
    content: str | None
    name: str | None
    content_parts: list[Record] | None


class Answer(Record):
    """A data source's result, with the ``x-request-id`` of the last request it made.

    ``request_id`` is an attribute, not a key, so exporting the result does not change on
    every run. Each result class names the function it answers (``core._functions``).

    >>> found = GetChatCompletionsResult.of({"data": [], "limit": 5})
    >>> found.limit, found.request_id, GetChatCompletionsResult._function.name
    (5, None, 'get_chat_completions')
    """

    __slots__ = ("request_id",)
    _function: ClassVar[Function]
    """The function (``core._functions``) whose result this is: what the faces call."""

    def __init__(self, *args: Any, request_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_id = request_id


class GetChatCompletionResult(StoredChatCompletion, Answer):
    """The result of ``get_chat_completion``: the stored completion plus ``request_id``.

    (A stored completion may carry a field of the same name, ``result["request_id"]``.)
    """

    __slots__ = ()
    _function = GET_CHAT_COMPLETION
    request_id: str | None


class GetChatCompletionsResult(Answer):
    """The result of ``get_chat_completions``: the matching completions in ``data``.

    The filters it was called with are echoed (``model``, ``metadata``, ``order``,
    ``limit``, ``set_tag``), as generated Pulumi SDKs echo invoke arguments. ``request_id``
    (an attribute, not a key) is the ``x-request-id`` of the last page read.
    """

    __slots__ = ()
    _kind = "result"
    _items = StoredChatCompletion
    _function = GET_CHAT_COMPLETIONS

    data: list[StoredChatCompletion]
    model: str | None
    metadata: dict[str, str] | None
    order: str | None
    limit: int | None
    set_tag: str | None
    request_id: str | None


class GetChatCompletionMessagesResult(Answer):
    """The result of ``get_chat_completion_messages``: the completion's input messages.

    ``data`` holds the messages; ``completion_id``, ``order`` and ``limit`` echo the call.
    ``request_id`` (an attribute, not a key) is the ``x-request-id`` of the last page read.
    """

    __slots__ = ()
    _kind = "result"
    _items = StoredChatCompletionMessage
    _function = GET_CHAT_COMPLETION_MESSAGES

    completion_id: str
    data: list[StoredChatCompletionMessage]
    order: str | None
    limit: int | None
    request_id: str | None
