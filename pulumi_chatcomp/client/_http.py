"""One pooled httpx client per settings, and the one retry loop every request goes through.

``HTTPSession.request`` sends an attempt and, when it fails, does what ``_retry.decide``
says for that failure: an idempotent request (read, update, delete) is sent again after any
retryable failure; a create is sent again only when the server certainly did not act on it,
and after an ambiguous failure it is looked up instead (its ``find``: the client's look-up of
the completion the lost attempt may have stored), so a lost answer never stores a duplicate.
Attempts are capped by ``Settings.max_retries``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, TypedDict, TypeVar, Unpack

import httpx

from pulumi_chatcomp import __version__
from pulumi_chatcomp._config import Settings
from pulumi_chatcomp._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    ChatCompError,
    Phrase,
    Terms,
    Text,
    status_error_from_response,
)
from pulumi_chatcomp._redact import RedactingFilter
from pulumi_chatcomp.client._retry import (
    Decision,
    Failure,
    Sending,
    classify,
    decide,
    retry_delay,
)

__all__ = ["COMPLETIONS_PATH", "Create", "HTTPSession", "SessionOptions", "logger"]

logger = logging.getLogger("pulumi_chatcomp")
"""Method, path, status, request id, attempt and wait, at debug level; never headers or
bodies, and every record redacted as it is made."""
logger.addFilter(RedactingFilter())

ResultT = TypeVar("ResultT")

COMPLETIONS_PATH = "chat/completions"
# Dozens of resources may be created at once (provider threads plus data sources); reads and
# writes get a pool of this size each (see HTTPSession).
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


def _user_agent() -> str:
    return f"pulumi-chatcomp/{__version__}"


@dataclass(frozen=True)
class Create(Generic[ResultT]):
    """How the retry loop treats a create (a request that is not idempotent).

    ``find`` looks up what an attempt whose answer was lost stored (None: nothing, so the
    create may be sent again); without it, an ambiguous failure is raised at once, since
    sending again could store a duplicate.
    """

    find: Callable[[], ResultT | None] | None = None


class SessionOptions(TypedDict, total=False):
    """How a session reaches the server and waits; the defaults are the network and
    ``time.sleep``, tests give their own."""

    transport: httpx.BaseTransport | None
    """Where requests go instead of the network, e.g. an ``httpx.MockTransport``."""
    sleep: Callable[[float], None]
    """How to wait between attempts."""


class _AttemptFailed(Exception):
    """One attempt failed: ``failure`` decides about retrying, the answer's ``headers`` how
    long to wait, ``error`` is what the user sees (raised from ``cause``)."""

    def __init__(
        self,
        error: APIError,
        failure: Failure,
        cause: BaseException | None,
        headers: httpx.Headers | None = None,
    ) -> None:
        super().__init__(str(error))
        self.error = error
        self.failure = failure
        self.cause = cause
        self.headers = headers

    def give_up(self) -> NoReturn:
        if self.failure is Failure.UNREADABLE:
            raise self.error  # as the reader raised it, from what it could not read
        raise self.error from self.cause


class HTTPSession:
    """Thread-safe pooled ``httpx.Client``s for one ``Settings``, with the retry loop.

    Sends ``Authorization: Bearer`` only when the settings carry a (paired) key, plus
    ``OpenAI-Organization``/``OpenAI-Project`` when set and
    ``User-Agent: pulumi-chatcomp/<version>``.

    Reads (GET) and writes have a connection pool each. An exactly-once create lists what
    carries its token beside the create itself, so N creates in flight are 2N requests: in
    one pool, past its connections, a create would wait for a look-up's connection (and the
    other way round), each waiting a whole answer; and httpcore's pool does work for every
    request that grows with the connections it holds, which at 128 costs more than the
    requests themselves.
    """

    def __init__(self, settings: Settings, **options: Unpack[SessionOptions]) -> None:
        self.settings = settings
        transport = options.get("transport")
        self._sleep = options.get("sleep", time.sleep)
        self._local = threading.local()
        headers = {"User-Agent": _user_agent(), "Accept": "application/json"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        if settings.organization:
            headers["OpenAI-Organization"] = settings.organization
        if settings.project:
            headers["OpenAI-Project"] = settings.project
        timeout = httpx.Timeout(
            settings.timeout, connect=min(settings.connect_timeout, settings.timeout)
        )
        # One TLS context for both pools: loading the trusted certificates takes a while.
        verify = httpx.create_ssl_context() if transport is None else True

        def pool() -> httpx.Client:
            return httpx.Client(
                base_url=settings.base_url + "/",
                headers=headers,
                timeout=timeout,
                limits=_LIMITS,
                verify=verify,
                transport=transport,
            )

        self.httpx_client = pool()
        """The writes' client (its settings are the reads' too)."""
        self._reads = pool()

    @property
    def is_closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self.httpx_client.is_closed

    def close(self) -> None:
        """Close the pooled connections of reads and writes."""
        self._reads.close()
        self.httpx_client.close()

    @property
    def last_request_id(self) -> str | None:
        """The ``x-request-id`` of the last response this thread received."""
        request_id: str | None = getattr(self._local, "request_id", None)
        return request_id

    def request(
        self,
        method: str,
        path: str,
        read: Callable[[httpx.Response], ResultT],
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        create: Create[ResultT] | None = None,
    ) -> ResultT:
        """``read(response)`` of the first successful attempt; retried as the module says.

        ``create`` marks a request that is not idempotent; without it the request is.
        """
        endpoint = f"{method} /{path}"
        max_retries = self.settings.max_retries
        sending = _sending(create)
        for attempt in range(max_retries + 1):
            try:
                return self._attempt(method, path, read, params, json, headers, attempt)
            except APIResponseValidationError as error:
                failed = _AttemptFailed(error, Failure.UNREADABLE, None)
            except _AttemptFailed as error:
                failed = error
            decision = decide(sending, failed.failure, attempt=attempt, max_retries=max_retries)
            if decision.wait:
                self._wait(attempt, failed, endpoint)
            if decision.look_up and create is not None and create.find is not None:
                found = _look_up(create.find, failed, decision)
                if found is not None:
                    return found
            if not decision.send_again:
                if decision.may_exist:
                    failed.error.maybe_created = True
                if decision.note:
                    failed.error.add_sentence(decision.note)
                failed.give_up()
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _attempt(
        self,
        method: str,
        path: str,
        read: Callable[[httpx.Response], ResultT],
        params: Mapping[str, str | int] | None,
        json: Any,
        headers: Mapping[str, str] | None,
        attempt: int,
    ) -> ResultT:
        endpoint = f"{method} /{path}"
        attempts = f"{attempt + 1}/{self.settings.max_retries + 1}"
        try:
            client = self._reads if method == "GET" else self.httpx_client
            with client.stream(method, path, params=params, json=json, headers=headers) as response:
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
                    answered = status_error_from_response(
                        response, endpoint=endpoint, hint=self._hint(response.status_code, path)
                    )
                    failure = classify(response)
                    raise _AttemptFailed(answered, failure, None, response.headers)
                return read(response)
        except httpx.TransportError as exc:
            self._local.request_id = None
            logger.debug("%s -> %s (attempt %s)", endpoint, type(exc).__name__, attempts)
            error = self._connection_error(exc, endpoint)
            raise _AttemptFailed(error, classify(exc), exc) from exc

    def _wait(self, attempt: int, failure: _AttemptFailed, endpoint: str) -> None:
        """Sleep before the next attempt, as the server asked or with backoff."""
        delay = retry_delay(attempt, failure.headers, max_retries=self.settings.max_retries)
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
            error: APIConnectionError = APITimeoutError(
                f"{endpoint} timed out: {waited}", endpoint=endpoint, request=_request_of(exc)
            )
            error.add_sentence(_RAISE_TIMEOUT)
        elif isinstance(exc, httpx.ConnectError):
            error = APIConnectionError(
                f"Could not connect to {where} for {endpoint} ({detail})",
                endpoint=endpoint,
                request=_request_of(exc),
            )
            error.add_sentence(_CHECK_BASE_URL)
        else:
            error = APIConnectionError(
                f"The connection to {where} failed during {endpoint} ({detail}).",
                endpoint=endpoint,
                request=_request_of(exc),
            )
        return error

    def _hint(self, status: int, path: str) -> Text | None:
        base_url = self.settings.base_url
        if status == 401 and not self.settings.api_key:
            return Phrase(lambda terms: _no_key_sent(base_url, terms), "apiKey", "useEnvApiKey")
        if status == 404 and path.rstrip("/") == COMPLETIONS_PATH:
            return Phrase(
                lambda terms: f"Check {terms.setting('baseUrl')}: {base_url} has no /{path}",
                "baseUrl",
            )
        return None


_RAISE_TIMEOUT = Phrase(
    lambda terms: f"Raise {terms.setting('timeout')} or try again later", "timeout"
)
_CHECK_BASE_URL = Phrase(
    lambda terms: f"Check {terms.setting('baseUrl')} (or OPENAI_BASE_URL) and the network",
    "baseUrl",
)


def _no_key_sent(base_url: str, terms: Terms) -> str:
    set_key = terms.set_key()
    how = f"set {set_key}. " if set_key else ""
    return (
        f"No API key was sent to {base_url}: {how}OPENAI_API_KEY is only sent to the official "
        f"API or to OPENAI_BASE_URL unless {terms.switched_on('useEnvApiKey')}"
    )


def _sending(create: Create[Any] | None) -> Sending:
    if create is None:
        return Sending.IDEMPOTENT
    return Sending.CREATE if create.find is None else Sending.FINDABLE_CREATE


def _look_up(
    find: Callable[[], ResultT | None], failed: _AttemptFailed, decision: Decision
) -> ResultT | None:
    try:
        found = find()
    except ChatCompError as exc:
        logger.debug("idempotency look-up failed: %s", type(exc).__name__)
        if decision.may_exist:
            return None  # no news: the error is raised marked anyway
        failed.error.maybe_created = True
        failed.error.add_sentence(_look_up_failed(exc))
        raise failed.error from exc
    if found is not None:
        logger.debug("adopted the completion an earlier attempt stored")
    return found


def _look_up_failed(error: ChatCompError) -> Phrase:
    return Phrase(
        lambda terms: (
            "Could not check whether the completion was created, so the create was not "
            f"retried (the look-up failed: {error.render(terms)})"
        ),
        *error.settings,
    )


def _request_of(exc: httpx.TransportError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:  # httpx raises when the error was not tied to a request
        return None
