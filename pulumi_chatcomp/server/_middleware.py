"""ASGI middleware around the app: request ids, counters, auth, latency and faults.

A pure ASGI middleware (not ``BaseHTTPMiddleware``) so streaming responses pass through
untouched and a dropped connection can be produced after the route committed.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pulumi_chatcomp.server._counters import endpoint_key
from pulumi_chatcomp.server._errors import error_body
from pulumi_chatcomp.server._faults import Decision
from pulumi_chatcomp.server._ids import new_request_id
from pulumi_chatcomp.server._malformed import malform
from pulumi_chatcomp.server._state import ServerState

_WRITE_METHODS = frozenset({"POST", "DELETE", "PUT", "PATCH"})
_STATUS_ERRORS = {
    429: ("rate_limit_exceeded", "requests", "Rate limit reached (injected fault). Please retry."),
    500: ("server_error", "server_error", "The server had an error while processing your request."),
    503: ("server_error", "server_error", "The server is overloaded. Please retry."),
}


class ConnectionDropped(Exception):
    """Raised after a write committed so that uvicorn closes the socket mid-response."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped)


QUIET_DROPS = _QuietDrops()


class ServerMiddleware:
    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        send = _with_headers(send, {"x-request-id": request_id, "openai-version": "2020-10-01"})
        path: str = scope["path"]
        if path != "/v1" and not path.startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        endpoint = endpoint_key(method, path)
        self.state.counters.add(endpoint)
        try:
            await self._serve(scope, receive, send, method, endpoint)
        finally:
            self.state.counters.done()

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, method: str, endpoint: str
    ) -> None:
        decision = self.state.faults.decide(is_write=method in _WRITE_METHODS, endpoint=endpoint)
        if decision.latency:
            # The request is received before the work takes its time: a client that goes
            # away meanwhile does not undo it, as with the real API (a create is stored).
            receive = await _received(receive)
            await anyio.sleep(decision.latency)
        denied = self._auth_error(scope)
        if denied is not None:
            await _send_json(send, 401, denied)
            return
        if decision.status is not None:
            await _send_fault(send, decision)
            return
        if decision.drop or decision.malformed:
            await self._call_faulty(scope, receive, send, decision)
            return
        await self.app(scope, receive, send)

    def _auth_error(self, scope: Scope) -> dict[str, Any] | None:
        expected = self.state.api_key
        if expected is None:
            return None
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = header.partition(" ")
        if not header:
            return error_body(
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            )
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip(), expected):
            # Never echo the key back, not even masked.
            return error_body(
                "Incorrect API key provided. Check the key this server was started with "
                "(--api-key).",
                code="invalid_api_key",
            )
        return None

    async def _call_faulty(
        self, scope: Scope, receive: Receive, send: Send, decision: Decision
    ) -> None:
        start: Message = {}
        body = bytearray()
        streamed: list[Message] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                streamed.append(message)

        await self.app(scope, receive, capture)
        status = int(start.get("status", 500))
        headers: list[tuple[bytes, bytes]] = list(start.get("headers", []))
        is_json = any(
            k == b"content-type" and v.startswith(b"application/json") for k, v in headers
        )
        if decision.drop and status < 300:
            # The write is committed; the client gets headers, then the socket closes.
            await send(start)
            raise ConnectionDropped(scope["path"])
        if decision.malformed and status < 300 and is_json:
            content_type, payload = malform(bytes(body), decision.malformed)
            headers = [(k, v) for k, v in headers if k not in (b"content-type", b"content-length")]
            headers += [(b"content-type", content_type), (b"content-length", b"%d" % len(payload))]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": payload})
            return
        await send(start)
        for message in streamed:
            await send(message)


async def _received(receive: Receive) -> Receive:
    """Read the whole request body now; a ``receive`` that hands it out, then waits as the
    original does (for the client to go away)."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # gone already: the body so far is all there is
        body.extend(message.get("body", b""))
        if not message.get("more_body", False):
            break
    pending = [{"type": "http.request", "body": bytes(body), "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def _with_headers(send: Send, extra: dict[str, str]) -> Send:
    encoded = [(k.encode(), v.encode()) for k, v in extra.items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *encoded]}
        await send(message)

    return wrapped


async def _send_fault(send: Send, decision: Decision) -> None:
    assert decision.status is not None
    code, kind, message = _STATUS_ERRORS.get(
        decision.status, (None, "invalid_request_error", f"Injected fault {decision.status}.")
    )
    await _send_json(
        send, decision.status, error_body(message, type=kind, code=code), decision.headers
    )


async def _send_json(
    send: Send, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    body = json.dumps(payload).encode()
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
        *[(k.encode(), v.encode()) for k, v in (headers or {}).items()],
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
