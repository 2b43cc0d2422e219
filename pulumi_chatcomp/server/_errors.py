"""OpenAI's error envelope: ``{"error": {"message", "type", "param", "code"}}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

INVALID_REQUEST = "invalid_request_error"


class APIErrorResponse(Exception):
    """Raised by a route to answer with OpenAI's error envelope, e.g.
    ``raise APIErrorResponse(404, "No chat completion found with id 'x'.")``."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        type: str = INVALID_REQUEST,
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return error_body(self.message, type=self.type, param=self.param, code=self.code)

    def response(self) -> Response:
        return JSONResponse(self.body(), status_code=self.status_code, headers=self.headers)


def error_body(
    message: str, *, type: str = INVALID_REQUEST, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def not_found(completion_id: str) -> APIErrorResponse:
    return APIErrorResponse(404, f"No chat completion found with id '{completion_id}'.")


def bad_request(message: str, *, param: str | None, code: str | None = None) -> APIErrorResponse:
    return APIErrorResponse(400, message, param=param, code=code)


async def handle_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, APIErrorResponse)
    return exc.response()


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    # Starlette's own 404/405 for unknown routes, worded like the real API.
    assert isinstance(exc, HTTPException)
    if exc.status_code in (404, 405):
        message = f"Invalid URL ({request.method} {request.url.path})"
    else:
        message = str(exc.detail)
    return JSONResponse(error_body(message), status_code=exc.status_code, headers=exc.headers)
