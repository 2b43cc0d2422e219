"""Admin endpoints outside ``/v1``: health, faults, request counters."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pulumi_chatcomp.server._errors import bad_request
from pulumi_chatcomp.server._faults import FaultConfigError
from pulumi_chatcomp.server._state import ServerState
from pulumi_chatcomp.server._validate import json_body


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.chatcomp
    return state


async def health(request: Request) -> Response:
    state = _state(request)
    count = await run_in_threadpool(state.store.count)
    return JSONResponse(
        {
            "status": "ok",
            "completions": count,
            "db": state.store.path,
            # Tests wait for 0 after killing a client: what it had sent is then done.
            "in_flight": state.counters.in_flight,
        }
    )


async def get_faults(request: Request) -> Response:
    return JSONResponse(_state(request).faults.config.to_json())


async def set_faults(request: Request) -> Response:
    changes = json_body(await request.body())
    if not isinstance(changes, dict):
        raise bad_request("The body must be a JSON object of fault settings.", param=None)
    try:
        config = _state(request).faults.update(changes)
    except FaultConfigError as exc:
        raise bad_request(str(exc), param=exc.param) from None
    return JSONResponse(config.to_json())


async def reset_faults(request: Request) -> Response:
    return JSONResponse(_state(request).faults.reset().to_json())


async def counters(request: Request) -> Response:
    return JSONResponse(_state(request).counters.snapshot())


async def reset_counters(request: Request) -> Response:
    _state(request).counters.reset()
    return JSONResponse({})


ROUTES = [
    Route("/_admin/health", health, methods=["GET"]),
    Route("/_admin/faults", get_faults, methods=["GET"]),
    Route("/_admin/faults", set_faults, methods=["POST"]),
    Route("/_admin/faults", reset_faults, methods=["DELETE"]),
    Route("/_admin/counters", counters, methods=["GET"]),
    Route("/_admin/reset-counters", reset_counters, methods=["POST"]),
]
