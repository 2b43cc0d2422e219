"""Assemble the ASGI app: routes, error envelopes, middleware, storage lifetime."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pulumi_chatcomp.server import _routes_admin, _routes_completions
from pulumi_chatcomp.server._errors import (
    APIErrorResponse,
    error_body,
    handle_api_error,
    handle_http_exception,
)
from pulumi_chatcomp.server._faults import FaultConfig, FaultInjector
from pulumi_chatcomp.server._middleware import QUIET_DROPS, ServerMiddleware
from pulumi_chatcomp.server._state import ServerState
from pulumi_chatcomp.server._store import CompletionStore, Synchronous


async def _handle_crash(request: Request, exc: Exception) -> Response:
    logging.getLogger("pulumi_chatcomp.server").exception("unhandled error", exc_info=exc)
    body = error_body("The server had an error while processing your request.", type="server_error")
    return JSONResponse(body, status_code=500)


def create_app(
    *,
    db: str = ":memory:",
    api_key: str | None = None,
    faults: FaultConfig | None = None,
    synchronous: Synchronous = "normal",
) -> ServerMiddleware:
    """The server as an ASGI app (run it with uvicorn or any ASGI server).

    The database closes (WAL checkpointed) when the app's lifespan ends.

    >>> app = create_app(db=":memory:")
    >>> app.state.store.count()
    0
    """
    state = ServerState(CompletionStore(db, synchronous=synchronous), FaultInjector(faults))
    state.api_key = api_key

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.store.close()

    app = Starlette(
        routes=[*_routes_completions.ROUTES, *_routes_admin.ROUTES],
        exception_handlers={
            APIErrorResponse: handle_api_error,
            HTTPException: handle_http_exception,
            Exception: _handle_crash,
        },
        lifespan=lifespan,
    )
    app.state.chatcomp = state
    logging.getLogger("uvicorn.error").addFilter(QUIET_DROPS)
    return ServerMiddleware(app, state)
