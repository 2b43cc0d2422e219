"""The backend's decisions, without HTTP: what a create answers and stores, how messages show."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_chatcomp.server._backend import CompletionsBackend
from pulumi_chatcomp.server._store import CompletionStore, UnknownAfter, UnknownCompletion
from pulumi_chatcomp.server._validate import parse_create
from tests.server.helpers import WEATHER_TOOL, user

ECHOED_DEFAULTS = {
    "seed": None,
    "temperature": 1.0,
    "top_p": 1.0,
    "presence_penalty": 0.0,
    "frequency_penalty": 0.0,
    "tool_choice": None,
    "tools": None,
    "response_format": None,
}


@pytest.fixture
def backend() -> Iterator[CompletionsBackend]:
    store = CompletionStore(":memory:")
    yield CompletionsBackend(store)
    store.close()


def _body(**fields: Any) -> dict[str, Any]:
    return parse_create({"model": "gpt-4o", "messages": user("Hello"), **fields})


def test_a_stored_completion_echoes_the_request_settings_or_their_defaults(
    backend: CompletionsBackend,
) -> None:
    plain = backend.create(_body(store=True), "req_plain").completion
    assert {name: backend.retrieve(plain["id"])[name] for name in ECHOED_DEFAULTS} == (
        ECHOED_DEFAULTS
    )
    settings = {
        "seed": 7,
        "temperature": 0.5,
        "top_p": 0.9,
        "presence_penalty": 0.1,
        "frequency_penalty": 0.2,
        "tool_choice": "auto",
        "tools": [WEATHER_TOOL],
        "response_format": {"type": "json_object"},
    }
    tuned = backend.create(_body(store=True, **settings), "req_tuned").completion
    assert {name: backend.retrieve(tuned["id"])[name] for name in settings} == settings


def test_a_stored_completion_keeps_the_request_id_user_and_metadata(
    backend: CompletionsBackend,
) -> None:
    created = backend.create(
        _body(store=True, user="ann", metadata={"team": "ml"}), "req_1"
    ).completion
    assert created["metadata"] == {"team": "ml"}
    stored = backend.retrieve(created["id"])
    assert (stored["request_id"], stored["input_user"], stored["metadata"]) == (
        "req_1",
        "ann",
        {"team": "ml"},
    )
    # Apart from what only a stored completion shows, it is the answer the create gave.
    extra = {"request_id", "input_user", *ECHOED_DEFAULTS}
    assert {k: v for k, v in stored.items() if k not in extra} == created
    assert [m["content"] for m in backend.list_messages(created["id"]).items] == ["Hello"]


@pytest.mark.parametrize("store", [None, False])
def test_a_completion_not_asked_to_be_stored_keeps_nothing(
    backend: CompletionsBackend, store: bool | None
) -> None:
    body = _body() if store is None else _body(store=store)
    created = backend.create(body, "req_1").completion
    assert "metadata" not in created
    assert backend.store.count() == 0
    with pytest.raises(UnknownCompletion):
        backend.retrieve(created["id"])


def test_a_streamed_create_is_stored_before_its_events_are_read(
    backend: CompletionsBackend,
) -> None:
    created = backend.create(
        _body(store=True, stream=True, stream_options={"include_usage": True}), "req_1"
    )
    assert created.events is not None
    stored = backend.retrieve(created.completion["id"])  # no event read yet
    events = list(created.events)
    assert events[-1] == "data: [DONE]\n\n"
    chunks = [json.loads(event.removeprefix("data: ")) for event in events[:-1]]
    assert {chunk["id"] for chunk in chunks} == {stored["id"]}
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == stored["choices"][0]["message"]["content"]
    assert chunks[-1]["usage"] == stored["usage"]


def test_an_unstreamed_create_has_no_events(backend: CompletionsBackend) -> None:
    assert backend.create(_body(), "req_1").events is None


def test_request_messages_are_served_in_the_stored_message_shape(
    backend: CompletionsBackend,
) -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    image = {"type": "image_url", "image_url": {"url": "https://example.invalid/a.png"}}
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "name": "ann", "content": [{"type": "text", "text": "a"}, image]},
        {"role": "user", "content": [image]},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "content": "done"},
        {"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}},
    ]
    created = backend.create(_body(store=True, messages=messages), "req_1").completion
    cid = created["id"]
    served = backend.list_messages(cid).items

    def shape(index: int, role: str, content: Any, **more: Any) -> dict[str, Any]:
        item = {"id": f"{cid}-{index}", "role": role, "content": content, "refusal": None}
        return {**item, "name": more.pop("name", None), "content_parts": None, **more}

    assert served == [
        shape(0, "system", "Be brief."),
        shape(1, "user", "a", name="ann", content_parts=[{"type": "text", "text": "a"}, image]),
        shape(2, "user", None, content_parts=[image]),
        shape(3, "assistant", None, tool_calls=[call]),
        shape(4, "tool", "done", tool_call_id="call_1"),
        shape(5, "assistant", None, function_call={"name": "f", "arguments": "{}"}),
    ]


def test_messages_page_by_their_ids(backend: CompletionsBackend) -> None:
    messages = [{"role": "user", "content": f"m{i}"} for i in range(5)]
    cid = backend.create(_body(store=True, messages=messages), "req_1").completion["id"]
    page = backend.list_messages(cid, after=f"{cid}-1", limit=2)
    assert ([m["content"] for m in page.items], page.has_more) == (["m2", "m3"], True)
    page = backend.list_messages(cid, after=f"{cid}-2", order="desc")
    assert ([m["id"] for m in page.items], page.has_more) == ([f"{cid}-1", f"{cid}-0"], False)
    with pytest.raises(UnknownAfter):
        backend.list_messages(cid, after=f"{cid}-5")


def test_update_replaces_metadata_and_delete_forgets(backend: CompletionsBackend) -> None:
    cid = backend.create(_body(store=True, metadata={"a": "1"}), "req_1").completion["id"]
    assert backend.update(cid, {"b": "2"})["metadata"] == {"b": "2"}
    assert [c["id"] for c in backend.list_completions(metadata={"b": "2"}).items] == [cid]
    assert backend.list_completions(metadata={"a": "1"}).items == []
    backend.delete(cid)
    for lookup in (backend.retrieve, backend.list_messages, backend.delete):
        with pytest.raises(UnknownCompletion):
            lookup(cid)
    with pytest.raises(UnknownCompletion):
        backend.update(cid, {})
