"""The six ``/v1/chat/completions`` endpoints."""

from __future__ import annotations

import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from pulumi_chatcomp.server._errors import APIErrorResponse, not_found
from pulumi_chatcomp.server._generate import build_completion, generate_choices
from pulumi_chatcomp.server._ids import message_id, new_completion_id
from pulumi_chatcomp.server._state import ServerState
from pulumi_chatcomp.server._store import UnknownAfter, UnknownCompletion
from pulumi_chatcomp.server._stream import sse_events
from pulumi_chatcomp.server._validate import json_body, list_params, parse_create, parse_update

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


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.chatcomp
    return state


async def create(request: Request) -> Response:
    state = _state(request)
    body = parse_create(json_body(await request.body()))
    completion_id = new_completion_id()
    choices = generate_choices(body)
    completion = build_completion(body, completion_id, int(time.time()), choices)
    if body.get("store"):
        metadata: dict[str, str] = body.get("metadata") or {}
        stored = dict(completion)
        stored["request_id"] = request.scope["state"].get("request_id")
        for name in _ECHOED:
            stored[name] = body.get(name, _DEFAULTS.get(name))
        stored["input_user"] = body.get("user")
        # Committed before any byte of the answer leaves: a lost answer never loses data.
        await run_in_threadpool(state.store.add, stored, metadata, body["messages"])
        completion["metadata"] = metadata
    if body.get("stream"):
        events = sse_events(completion, choices, body.get("stream_options"))
        return StreamingResponse(events, media_type="text/event-stream")
    return JSONResponse(completion)


async def list_completions(request: Request) -> Response:
    params = list_params(request.query_params, with_filters=True)
    try:
        page = await run_in_threadpool(lambda: _state(request).store.completions_page(**params))
    except UnknownAfter as exc:
        raise _unknown_after(exc.after) from None
    return JSONResponse(_page(page.items, page.has_more))


async def retrieve(request: Request) -> Response:
    completion_id = request.path_params["completion_id"]
    try:
        completion = await run_in_threadpool(_state(request).store.get, completion_id)
    except UnknownCompletion:
        raise not_found(completion_id) from None
    return JSONResponse(completion)


async def update(request: Request) -> Response:
    completion_id = request.path_params["completion_id"]
    metadata = parse_update(json_body(await request.body()))
    try:
        completion = await run_in_threadpool(
            _state(request).store.set_metadata, completion_id, metadata
        )
    except UnknownCompletion:
        raise not_found(completion_id) from None
    return JSONResponse(completion)


async def delete(request: Request) -> Response:
    completion_id = request.path_params["completion_id"]
    try:
        await run_in_threadpool(_state(request).store.delete, completion_id)
    except UnknownCompletion:
        raise not_found(completion_id) from None
    return JSONResponse({"object": "chat.completion.deleted", "id": completion_id, "deleted": True})


async def list_messages(request: Request) -> Response:
    completion_id = request.path_params["completion_id"]
    params = list_params(request.query_params, with_filters=False)
    try:
        page = await run_in_threadpool(
            lambda: _state(request).store.messages_page(completion_id, **params)
        )
    except UnknownCompletion:
        raise not_found(completion_id) from None
    except UnknownAfter as exc:
        raise _unknown_after(exc.after) from None
    items = [_store_message(completion_id, i, m) for i, m in page.items]
    return JSONResponse(_page(items, page.has_more))


def _page(items: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    # An empty page has no first/last id; null (not "") is what clients must expect.
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else None,
        "last_id": items[-1]["id"] if items else None,
        "has_more": has_more,
    }


def _store_message(completion_id: str, index: int, message: dict[str, Any]) -> dict[str, Any]:
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


def _unknown_after(after: str) -> APIErrorResponse:
    return APIErrorResponse(404, f"No object found with id '{after}' to page after.", param="after")


ROUTES = [
    Route("/v1/chat/completions", create, methods=["POST"]),
    Route("/v1/chat/completions", list_completions, methods=["GET"]),
    Route("/v1/chat/completions/{completion_id}", retrieve, methods=["GET"]),
    Route("/v1/chat/completions/{completion_id}", update, methods=["POST"]),
    Route("/v1/chat/completions/{completion_id}", delete, methods=["DELETE"]),
    Route("/v1/chat/completions/{completion_id}/messages", list_messages, methods=["GET"]),
]
