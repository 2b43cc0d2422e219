"""One pooled httpx client: headers, single attempts, retries of idempotent calls, errors.

`HTTPSession` is the plumbing under `ChatCompletionsClient`: it sends one attempt and turns
what came back into either a parsed result or an `AttemptFailed` (the error the user would
see, plus the outcome the retry rules look at), and retries idempotent calls.

>>> session = HTTPSession(Settings(api_key="sk-..."))  # doctest: +SKIP
>>> session.call("GET", "chat/completions/chatcmpl-1", read)  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from importlib import metadata as importlib_metadata
from typing import Any, TypeVar

import httpx

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    status_error_from_response,
)
from pulumi_chatcomp.client._retry import Outcome, retry_delay, should_retry

__all__ = ["COMPLETIONS_PATH", "AttemptFailed", "HTTPSession", "logger"]

logger = logging.getLogger("pulumi_chatcomp")

ResultT = TypeVar("ResultT")

COMPLETIONS_PATH = "chat/completions"
# Dozens of resources may be created at once (provider threads plus data sources).
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


def _user_agent() -> str:
    try:
        version = importlib_metadata.version("pulumi-chatcomp")
    except importlib_metadata.PackageNotFoundError:
        version = "0+unknown"
    return f"pulumi-chatcomp/{version}"


class AttemptFailed(Exception):
    """One attempt failed; `outcome` decides about retrying, `error` is what the user sees."""

    def __init__(self, error: APIError, outcome: Outcome, cause: BaseException | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.outcome = outcome
        self.cause = cause


class HTTPSession:
    """A thread-safe pooled `httpx.Client` for one `Settings`, with attempts and retries.

    Sends `Authorization: Bearer` only when the settings carry a (paired) key, plus
    `OpenAI-Organization`/`OpenAI-Project` when set and `User-Agent: pulumi-chatcomp/<version>`.
    Logs method, path, status, request id, attempt and wait at debug level on the
    `pulumi_chatcomp` logger; never headers or bodies.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.secrets = (settings.api_key,)
        self._sleep = sleep
        self._local = threading.local()
        headers = {"User-Agent": _user_agent(), "Accept": "application/json"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        if settings.organization:
            headers["OpenAI-Organization"] = settings.organization
        if settings.project:
            headers["OpenAI-Project"] = settings.project
        self.httpx_client = httpx.Client(
            base_url=settings.base_url + "/",
            headers=headers,
            timeout=httpx.Timeout(
                settings.timeout, connect=min(settings.connect_timeout, settings.timeout)
            ),
            limits=_LIMITS,
            transport=transport,
        )

    @property
    def last_request_id(self) -> str | None:
        """The `x-request-id` of the last response this thread received."""
        request_id: str | None = getattr(self._local, "request_id", None)
        return request_id

    def call(
        self,
        method: str,
        path: str,
        read: Callable[[httpx.Response], ResultT],
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
    ) -> ResultT:
        """Send an idempotent request, retrying as `should_retry` allows."""
        max_retries = self.settings.max_retries
        for attempt in range(max_retries + 1):
            try:
                return self.send_once(method, path, read, params=params, json=json, attempt=attempt)
            except AttemptFailed as failure:
                if attempt == max_retries or not should_retry(failure.outcome):
                    raise failure.error from failure.cause
                self.wait(attempt, failure, f"{method} /{path}")
        raise AssertionError("unreachable: the last attempt returns or raises")

    def send_once(
        self,
        method: str,
        path: str,
        read: Callable[[httpx.Response], ResultT],
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        attempt: int,
    ) -> ResultT:
        """One attempt: `read(response)` on success, else `AttemptFailed` (never retried here)."""
        endpoint = f"{method} /{path}"
        attempts = f"{attempt + 1}/{self.settings.max_retries + 1}"
        try:
            with self.httpx_client.stream(
                method, path, params=params, json=json, headers=headers
            ) as response:
                request_id = response.headers.get("x-request-id")
                self._local.request_id = request_id
                logger.debug(
                    "%s -> %d (request id %s, attempt %s)",
                    endpoint,
                    response.status_code,
                    request_id,
                    attempts,
                )
                if not response.is_success:
                    response.read()
                    error = status_error_from_response(
                        response,
                        endpoint=endpoint,
                        hint=self._hint(response.status_code, path),
                        secrets=self.secrets,
                    )
                    raise AttemptFailed(error, response, None)
                return read(response)
        except httpx.TransportError as exc:
            self._local.request_id = None
            logger.debug("%s -> %s (attempt %s)", endpoint, type(exc).__name__, attempts)
            raise AttemptFailed(self._connection_error(exc, endpoint), exc, exc) from exc

    def wait(self, attempt: int, failure: AttemptFailed, endpoint: str) -> None:
        """Sleep before the next attempt, as the server asked or with backoff."""
        outcome = failure.outcome
        headers = outcome.headers if isinstance(outcome, httpx.Response) else None
        delay = retry_delay(attempt, headers, max_retries=self.settings.max_retries)
        logger.debug(
            "%s: waiting %.2fs before attempt %d/%d",
            endpoint,
            delay,
            attempt + 2,
            self.settings.max_retries + 1,
        )
        self._sleep(delay)

    def _connection_error(self, exc: httpx.TransportError, endpoint: str) -> APIConnectionError:
        where = self.settings.base_url
        detail = str(exc) or type(exc).__name__
        if isinstance(exc, httpx.TimeoutException):
            if isinstance(exc, httpx.ConnectTimeout):
                waited = f"no connection to {where} within {self.httpx_client.timeout.connect}s"
            else:
                waited = f"no answer from {where} within {self.settings.timeout}s"
            return APITimeoutError(
                f"{endpoint} timed out: {waited}. Raise chatcomp:timeout or try again later.",
                endpoint=endpoint,
                request=_request_of(exc),
                secrets=self.secrets,
            )
        if isinstance(exc, httpx.ConnectError):
            sentence = (
                f"Could not connect to {where} for {endpoint} ({detail}). "
                "Check chatcomp:baseUrl (or OPENAI_BASE_URL) and the network."
            )
        else:
            sentence = f"The connection to {where} failed during {endpoint} ({detail})."
        return APIConnectionError(
            sentence, endpoint=endpoint, request=_request_of(exc), secrets=self.secrets
        )

    def _hint(self, status: int, path: str) -> str | None:
        if status == 401 and not self.settings.api_key:
            return (
                f"No API key was sent to {self.settings.base_url}: set chatcomp:apiKey "
                "(pulumi config set --secret chatcomp:apiKey ...). OPENAI_API_KEY is only sent "
                "to the official API or to OPENAI_BASE_URL unless chatcomp:useEnvApiKey is true"
            )
        if status == 404 and path.rstrip("/") == COMPLETIONS_PATH:
            return f"Check chatcomp:baseUrl: {self.settings.base_url} has no /{COMPLETIONS_PATH}"
        return None


def _request_of(exc: httpx.TransportError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:  # httpx raises when the error was not tied to a request
        return None
