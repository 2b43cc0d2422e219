"""The six ``/v1/chat/completions`` endpoints: parse, let the backend answer, serialise.

Each route parses its path, query (``_validate.list_params``) and body
(``_validate.parse_create``/``parse_update``), calls ``_backend`` in the thread pool (it
works on SQLite) and writes the answer as JSON or as server-sent events. Failed lookups
become OpenAI's 404 envelopes; nothing here decides what is stored or how a list pages.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from pulumi_chatcomp.server._backend import CompletionsBackend
from pulumi_chatcomp.server._errors import APIErrorResponse, not_found
from pulumi_chatcomp.server._state import ServerState
from pulumi_chatcomp.server._store import Page, UnknownAfter, UnknownCompletion
from pulumi_chatcomp.server._validate import json_body, list_params, parse_create, parse_update


def _backend(request: Request) -> CompletionsBackend:
    state: ServerState = request.app.state.chatcomp
    return state.backend


async def create(request: Request) -> Response:
    body = parse_create(json_body(await request.body()))
    request_id = request.scope["state"].get("request_id")
    created = await run_in_threadpool(_backend(request).create, body, request_id)
    if created.events is not None:
        return StreamingResponse(created.events, media_type="text/event-stream")
    return JSONResponse(created.completion)


async def list_completions(request: Request) -> Response:
    params = list_params(request.query_params, with_filters=True)
    try:
        page = await run_in_threadpool(_backend(request).list_completions, **params)
    except UnknownAfter as exc:
        raise _unknown_after(exc.after) from None
    return JSONResponse(_list(page))


async def retrieve(request: Request) -> Response:
    completion_id = request.path_params["completion_id"]
    try:
        completion = await run_in_threadpool(_backend(request).retrieve, completion_id)
    except UnknownCompletion:
        raise not_found(completion_id) from None
    return JSONResponse(completion)


async def update(request: Request) -> Response:
    completion_id = request.path_params["completion_id"]
    metadata = parse_update(json_body(await request.body()))
    try:
        completion = await run_in_threadpool(_backend(request).update, completion_id, metadata)
    except UnknownCompletion:
        raise not_found(completion_id) from None
    return JSONResponse(completion)


async def delete(request: Request) -> Response:
    completion_id = request.path_params["completion_id"]
    try:
        await run_in_threadpool(_backend(request).delete, completion_id)
    except UnknownCompletion:
        raise not_found(completion_id) from None
    return JSONResponse({"object": "chat.completion.deleted", "id": completion_id, "deleted": True})


async def list_messages(request: Request) -> Response:
    completion_id = request.path_params["completion_id"]
    params = list_params(request.query_params, with_filters=False)
    try:
        page = await run_in_threadpool(_backend(request).list_messages, completion_id, **params)
    except UnknownCompletion:
        raise not_found(completion_id) from None
    except UnknownAfter as exc:
        raise _unknown_after(exc.after) from None
    return JSONResponse(_list(page))


def _list(page: Page[dict[str, Any]]) -> dict[str, Any]:
    items = page.items
    # An empty page has no first/last id; null (not "") is what clients must expect.
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else None,
        "last_id": items[-1]["id"] if items else None,
        "has_more": page.has_more,
    }


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
