"""What each chat completions endpoint does, HTTP aside: every decision, over the store.

The routes parse a request and serialise the answer; the part between is here. A create
generates its choices (``_generate``) and builds the completion; with ``store: true`` it
decides what is kept: the completion with the request settings a stored completion echoes
back (the API's defaults where the request left them out), the request id, the request's
``user`` as ``input_user``, the metadata, and the request messages, which the messages list
serves in the shape of stored messages. How rows are kept and paged is ``_store``'s.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Unpack

from pulumi_chatcomp.server._faults import FaultInjector
from pulumi_chatcomp.server._generate import build_completion, generate_choices
from pulumi_chatcomp.server._ids import message_id, new_completion_id
from pulumi_chatcomp.server._store import CompletionsQuery, CompletionStore, Page, PageQuery
from pulumi_chatcomp.server._stream import sse_events

# Request settings a stored completion echoes back (seen in the spec's GET/list examples).
_ECHOED = (
    "seed",
    "temperature",
    "top_p",
    "presence_penalty",
    "frequency_penalty",
    "tool_choice",
    "tools",
    "response_format",
)
_DEFAULTS: dict[str, Any] = {
    "temperature": 1.0,
    "top_p": 1.0,
    "presence_penalty": 0.0,
    "frequency_penalty": 0.0,
}


@dataclass(frozen=True)
class Created:
    """A create's answer: the completion, and the stream's events when the request streams."""

    completion: dict[str, Any]
    events: Iterator[str] | None = None


class CompletionsBackend:
    """The completions API over a store, one method per endpoint.

    Lookups raise ``UnknownCompletion`` for an id that is not stored (or was deleted), and
    the lists ``UnknownAfter`` for an ``after`` cursor that names nothing in them.

    >>> backend = CompletionsBackend(CompletionStore(":memory:"))
    >>> body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}], "store": True}
    >>> stored = backend.retrieve(backend.create(body, "req_1").completion["id"])
    >>> stored["temperature"], stored["request_id"], stored["input_user"], stored["metadata"]
    (1.0, 'req_1', None, {})
    """

    def __init__(self, store: CompletionStore, faults: FaultInjector | None = None) -> None:
        self.store = store
        self.faults = faults
        """Where a create that asks for JSON takes its ``structured_next`` fault from."""

    def create(self, body: dict[str, Any], request_id: str | None) -> Created:
        """Answer a create body as ``_validate.parse_create`` returns it; store it if asked.

        The answer a ``structured_next`` fault breaks is the one stored, as the API stores
        whatever its model said."""
        choices = generate_choices(body, self._structured_fault(body))
        completion = build_completion(body, new_completion_id(), int(time.time()), choices)
        if body.get("store"):
            metadata: dict[str, str] = body.get("metadata") or {}
            # Committed before the answer is returned, so before any byte of it is sent: a
            # lost answer never loses data.
            self.store.add(_stored(completion, body, request_id), metadata, body["messages"])
            completion["metadata"] = metadata
        if body.get("stream"):
            events = sse_events(completion, choices, body.get("stream_options"))
            return Created(completion, events)
        return Created(completion)

    def _structured_fault(self, body: dict[str, Any]) -> str | None:
        kind = (body.get("response_format") or {}).get("type")
        if self.faults is None or kind not in ("json_schema", "json_object"):
            return None  # the faults are for creates that ask for JSON; others keep the list
        return self.faults.next_structured()

    def retrieve(self, completion_id: str) -> dict[str, Any]:
        return self.store.get(completion_id)

    def update(self, completion_id: str, metadata: Mapping[str, str]) -> dict[str, Any]:
        """Replace the whole metadata map (not merged); returns the updated completion."""
        return self.store.set_metadata(completion_id, metadata)

    def delete(self, completion_id: str) -> None:
        self.store.delete(completion_id)

    def list_completions(self, **query: Unpack[CompletionsQuery]) -> Page[dict[str, Any]]:
        """Stored completions in creation order, of ``model`` and with ``metadata`` if given."""
        return self.store.completions_page(**query)

    def list_messages(self, completion_id: str, **query: Unpack[PageQuery]) -> Page[dict[str, Any]]:
        """A stored completion's request messages, ids ``<completion_id>-<index>``."""
        page = self.store.messages_page(completion_id, **query)
        items = [_store_message(completion_id, index, message) for index, message in page.items]
        return Page(items, page.has_more)


def _stored(
    completion: dict[str, Any], body: dict[str, Any], request_id: str | None
) -> dict[str, Any]:
    # Without metadata: the store keeps that apart (it is filtered on and replaced).
    stored = dict(completion)
    stored["request_id"] = request_id
    for name in _ECHOED:
        stored[name] = body.get(name, _DEFAULTS.get(name))
    stored["input_user"] = body.get("user")
    return stored


def _store_message(completion_id: str, index: int, message: dict[str, Any]) -> dict[str, Any]:
    # A request message as the messages list serves it: content as text (the text parts
    # joined) beside the text and image parts themselves, and only the call fields it has.
    content = message.get("content")
    parts = None
    if isinstance(content, list):
        parts = [p for p in content if p.get("type") in ("text", "image_url")]
        texts = [p["text"] for p in content if p.get("type") == "text"]
        content = "".join(texts) if texts else None
    item: dict[str, Any] = {
        "id": message_id(completion_id, index),
        "role": message["role"],
        "content": content,
        "refusal": message.get("refusal"),
        "name": message.get("name"),
        "content_parts": parts,
    }
    for optional in ("tool_calls", "tool_call_id", "function_call"):
        if message.get(optional) is not None:
            item[optional] = message[optional]
    return item
