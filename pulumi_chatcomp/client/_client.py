"""The one httpx client shared by the provider and the data sources.

`ChatCompletionsClient` wraps a single pooled, thread-safe `httpx.Client` and speaks the six
stored Chat Completions endpoints, returning models from `pulumi_chatcomp.models`. Use
`get_client(settings)` to share one client per process and settings.

>>> client = get_client(Settings.resolve())  # doctest: +SKIP
>>> for completion in client.list(metadata={"dataset": "faq"}, limit=50):  # doctest: +SKIP
...     print(completion.id)
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp._exceptions import APIResponseValidationError, ChatCompError
from pulumi_chatcomp._redact import REDACTED, redact
from pulumi_chatcomp.client._http import COMPLETIONS_PATH, AttemptFailed, HTTPSession, logger
from pulumi_chatcomp.client._idempotency import IDEMPOTENCY_METADATA_KEY, add_token
from pulumi_chatcomp.client._pages import HasId, check_limit, iterate_pages
from pulumi_chatcomp.client._parse import parse_body
from pulumi_chatcomp.client._retry import is_unprocessed, should_retry
from pulumi_chatcomp.client._stream import read_stream
from pulumi_chatcomp.models import (
    ChatCompletion,
    ChatCompletionCreateParams,
    ChatCompletionDeleted,
    ChatCompletionStoreMessage,
    CursorPage,
)

__all__ = ["IDEMPOTENCY_METADATA_KEY", "ChatCompletionsClient", "get_client"]

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)
ItemT = TypeVar("ItemT", bound=HasId)
Order = Literal["asc", "desc"]


class ChatCompletionsClient:
    """Create, read, update, delete and list stored chat completions.

    Retries: reads, updates and deletes are retried up to `settings.max_retries` times after
    connection errors, timeouts, 408, 409, 429 and 5xx (see `_retry.should_retry`), waiting
    as the server asks (`retry-after-ms`, `Retry-After`) or with capped, jittered backoff.
    Creates are never retried blindly, see `create`.

    >>> with ChatCompletionsClient(Settings(api_key="sk-...")) as client:  # doctest: +SKIP
    ...     completion = client.create(
    ...         {"model": "gpt-4o", "store": True, "messages": [{"role": "user", "content": "Hi"}]},
    ...         idempotency_token="3f2a...",
    ...     )
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._session = HTTPSession(settings, transport=transport, sleep=sleep)
        self._secrets = self._session.secrets

    def __repr__(self) -> str:
        key = None if self.settings.api_key is None else REDACTED
        return (
            f"ChatCompletionsClient(base_url={redact(self.settings.base_url)!r}, api_key={key!r})"
        )

    @property
    def last_request_id(self) -> str | None:
        """The `x-request-id` of the last response this thread received."""
        return self._session.last_request_id

    @property
    def is_closed(self) -> bool:
        """Whether `close()` was called."""
        return self._session.httpx_client.is_closed

    def close(self) -> None:
        """Close the pooled connections; the client cannot be used afterwards."""
        self._session.httpx_client.close()

    def __enter__(self) -> ChatCompletionsClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- the six endpoints --------------------------------------------------------------------

    def create(
        self,
        params: ChatCompletionCreateParams | Mapping[str, Any],
        *,
        idempotency_token: str | None = None,
    ) -> ChatCompletion:
        """POST /chat/completions; a streamed create (`stream: true`) is assembled into one.

        `params` is validated into `ChatCompletionCreateParams` (a `pydantic.ValidationError`
        names the bad field). Retry rule, so that a lost response never stores a duplicate:

        - With `idempotency_token` (needs `store: true`): the token is added to the request
          metadata under `IDEMPOTENCY_METADATA_KEY`. After an ambiguous failure (read timeout
          or connection dropped after sending, 408, 409, 5xx) the client waits, then looks the
          token up with `list(metadata={key: token}, limit=1)` and returns the stored
          completion if found; only if nothing is found does it send the create again. The
          look-up also runs after the last attempt. If the look-up itself fails, the original
          error is raised and nothing is resent. Failures where the request certainly was not
          processed are retried without a look-up.
        - Without a token: retried only when the server certainly did not process the request
          (`_retry.is_unprocessed`: connect error or timeout, pool timeout, 429, 503 with
          `Retry-After`/`retry-after-ms`, or `x-should-retry: true`); any other failure is
          raised at once.

        `x-should-retry: false` is never retried. Attempts are capped by `max_retries`.
        """
        if not isinstance(params, ChatCompletionCreateParams):
            params = ChatCompletionCreateParams.model_validate(params)
        body = params.to_body()
        if idempotency_token is not None:
            body = add_token(body, idempotency_token)
        streamed = bool(body.get("stream"))
        endpoint = f"POST /{COMPLETIONS_PATH}"

        def read(response: httpx.Response) -> ChatCompletion:
            if streamed and response.headers.get("content-type", "").startswith(
                "text/event-stream"
            ):
                return read_stream(response, endpoint=endpoint, secrets=self._secrets)
            response.read()  # some compatible servers answer a stream request with plain JSON
            return parse_body(ChatCompletion, response, endpoint=endpoint, secrets=self._secrets)

        headers = {"Accept": "text/event-stream"} if streamed else None
        max_retries = self.settings.max_retries
        for attempt in range(max_retries + 1):
            try:
                return self._session.send_once(
                    "POST", COMPLETIONS_PATH, read, json=body, headers=headers, attempt=attempt
                )
            except APIResponseValidationError:
                # The server answered, so it may well have stored the completion: a token
                # finds it; without one, resending could store a duplicate.
                found = (
                    self._find_after_bad_answer(idempotency_token) if idempotency_token else None
                )
                if found is None:
                    raise
                return found
            except AttemptFailed as failure:
                unprocessed = is_unprocessed(failure.outcome)
                ambiguous = not unprocessed and should_retry(failure.outcome)
                last = attempt == max_retries
                if idempotency_token is not None and ambiguous:
                    self._session.wait(attempt, failure, endpoint)
                    found = self._find_created(idempotency_token, failure)
                    if found is not None:
                        return found
                    if last:
                        raise failure.error from failure.cause
                elif unprocessed and not last:
                    self._session.wait(attempt, failure, endpoint)
                else:
                    if ambiguous:
                        failure.error.add_sentence(
                            "The completion may have been created, so the create was not "
                            "retried (a retry could store a duplicate)"
                        )
                    raise failure.error from failure.cause
        raise AssertionError("unreachable: the last attempt returns or raises")

    def retrieve(self, completion_id: str) -> ChatCompletion:
        """GET /chat/completions/{completion_id}: a stored completion."""
        path = _completion_path(completion_id)
        return self._session.call("GET", path, self._reader(ChatCompletion, "GET", path))

    def update(self, completion_id: str, metadata: Mapping[str, str] | None) -> ChatCompletion:
        """POST /chat/completions/{completion_id}: replace the metadata (None clears it)."""
        path = _completion_path(completion_id)
        body = {"metadata": None if metadata is None else _metadata(metadata, "metadata")}
        return self._session.call(
            "POST", path, self._reader(ChatCompletion, "POST", path), json=body
        )

    def delete(self, completion_id: str) -> ChatCompletionDeleted:
        """DELETE /chat/completions/{completion_id}.

        Retried like reads: if a lost response is retried, the retry answers `NotFoundError`,
        which callers treat as already deleted.
        """
        path = _completion_path(completion_id)
        return self._session.call(
            "DELETE", path, self._reader(ChatCompletionDeleted, "DELETE", path)
        )

    def list(
        self,
        *,
        model: str | None = None,
        metadata: Mapping[str, str] | None = None,
        order: Order | None = None,
        limit: int | None = None,
    ) -> Iterator[ChatCompletion]:
        """GET /chat/completions: stored completions, fetched lazily page by page.

        `limit` caps the total number of completions yielded (None: all); `metadata` filters
        on exact key/value pairs (sent as `metadata[key]=value`); `order` is "asc" or "desc".
        """
        check_limit(limit)
        params: dict[str, str | int] = {}
        if model is not None:
            params["model"] = model
        for key, value in _metadata(metadata or {}, "metadata").items():
            params[f"metadata[{key}]"] = value
        if order is not None:
            params["order"] = _order(order)
        return self._paginate(CursorPage[ChatCompletion], COMPLETIONS_PATH, params, limit)

    def list_messages(
        self, completion_id: str, *, order: Order | None = None, limit: int | None = None
    ) -> Iterator[ChatCompletionStoreMessage]:
        """GET /chat/completions/{completion_id}/messages: the stored input messages, lazily."""
        check_limit(limit)
        path = f"{_completion_path(completion_id)}/messages"
        params: dict[str, str | int] = {} if order is None else {"order": _order(order)}
        return self._paginate(CursorPage[ChatCompletionStoreMessage], path, params, limit)

    # -- plumbing -----------------------------------------------------------------------------

    def _paginate(
        self,
        page_model: type[CursorPage[ItemT]],
        path: str,
        params: dict[str, str | int],
        limit: int | None,
    ) -> Iterator[ItemT]:
        read = self._reader(page_model, "GET", path)

        def fetch(after: str | None, page_size: int) -> tuple[list[ItemT], bool]:
            query = {**params, "limit": page_size}
            if after is not None:
                query["after"] = after
            page = self._session.call("GET", path, read, params=query)
            return list(page.data), page.has_more

        return iterate_pages(fetch, limit=limit)

    def _reader(
        self, model: type[ModelT], method: str, path: str
    ) -> Callable[[httpx.Response], ModelT]:
        endpoint = f"{method} /{path}"

        def read(response: httpx.Response) -> ModelT:
            response.read()
            return parse_body(model, response, endpoint=endpoint, secrets=self._secrets)

        return read

    def find_created(self, token: str) -> ChatCompletion | None:
        """The stored completion an earlier create tagged with `token`, if there is one.

        >>> callable(ChatCompletionsClient.find_created)
        True
        """
        return next(self.list(metadata={IDEMPOTENCY_METADATA_KEY: token}, limit=1), None)

    def _find_after_bad_answer(self, token: str) -> ChatCompletion | None:
        try:
            return self.find_created(token)
        except ChatCompError as exc:
            logger.debug("idempotency look-up failed: %s", type(exc).__name__)
            return None

    def _find_created(self, token: str, failure: AttemptFailed) -> ChatCompletion | None:
        """The completion an earlier attempt stored under `token`, if the server has it."""
        try:
            found = self.find_created(token)
        except ChatCompError as exc:
            logger.debug("idempotency look-up failed: %s", type(exc).__name__)
            failure.error.add_sentence(
                "Could not check whether the completion was created, so the create was not "
                f"retried (the look-up failed: {exc})"
            )
            raise failure.error from exc
        if found is not None:
            logger.debug("adopted completion %s stored by an earlier attempt", found.id)
        return found


def _completion_path(completion_id: str) -> str:
    if not isinstance(completion_id, str) or not completion_id.strip():
        raise ValueError(f"completion_id must be a non-empty string, got {completion_id!r}")
    return f"{COMPLETIONS_PATH}/{quote(completion_id, safe='')}"


def _order(order: str) -> str:
    if order not in ("asc", "desc"):
        raise ValueError(f'order must be "asc" or "desc", got {order!r}')
    return order


def _metadata(metadata: Mapping[str, str], name: str) -> dict[str, str]:
    if not isinstance(metadata, Mapping) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in metadata.items()
    ):
        raise ValueError(f"{name} must map strings to strings, got {metadata!r}")
    return dict(metadata)


_clients: dict[Settings, ChatCompletionsClient] = {}
_clients_lock = threading.Lock()


def get_client(settings: Settings) -> ChatCompletionsClient:
    """The process-wide client for `settings`, created on first use and then reused.

    Every provider call and data source with the same settings shares one connection pool.

    >>> get_client(Settings()) is get_client(Settings())
    True
    """
    with _clients_lock:
        client = _clients.get(settings)
        if client is None or client.is_closed:
            if not _clients:
                atexit.register(_close_clients)
            client = _clients[settings] = ChatCompletionsClient(settings)
        return client


def _close_clients() -> None:
    # Close pooled connections politely at exit instead of leaving it to the GC.
    with _clients_lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
