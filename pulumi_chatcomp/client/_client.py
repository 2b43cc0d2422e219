"""``ChatCompletionsClient``: the six stored Chat Completions endpoints, returning models.

One pooled, thread-safe client per process and settings (``get_client``) serves every
provider call, data source and command.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, NamedTuple, TypeVar, Unpack
from urllib.parse import quote

import httpx
import pydantic

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp._exceptions import (
    APIResponseValidationError,
    about_completion,
    entry_point,
)
from pulumi_chatcomp._redact import REDACTED, redact
from pulumi_chatcomp.client._http import COMPLETIONS_PATH, Create, HTTPSession, SessionOptions
from pulumi_chatcomp.client._idempotency import (
    IDEMPOTENCY_METADATA_KEY,
    RESERVED_METADATA_KEYS,
    SET_METADATA_KEY,
    lookup,
    new_token,
    with_token,
    without_token,
)
from pulumi_chatcomp.client._pages import HasId, iterate_pages
from pulumi_chatcomp.client._parse import describe_validation_error, parse_body, parse_json
from pulumi_chatcomp.client._query import ListQuery
from pulumi_chatcomp.client._stream import read_stream
from pulumi_chatcomp.models import (
    ChatCompletion,
    ChatCompletionCreateParams,
    ChatCompletionDeleted,
    ChatCompletionStoreMessage,
    CursorPage,
)
from pulumi_chatcomp.models._lists import (
    Order,
    check_completion_id,
    check_limit,
    check_list_metadata,
    check_order,
)

__all__ = ["IDEMPOTENCY_METADATA_KEY", "ChatCompletionsClient", "get_client"]

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)
ItemT = TypeVar("ItemT", bound=HasId)


class ChatCompletionsClient:
    """Create, read, update, delete and list stored chat completions.

    Reads, updates and deletes are retried up to ``settings.max_retries`` times after
    connection errors, timeouts, 408, 409, 429 and 5xx, waiting as the server asks
    (``retry-after-ms``, ``Retry-After``) or with capped, jittered backoff; creates are never
    retried blindly (see ``create``). Arguments are checked before anything is sent
    (``InvalidArgumentError`` names the argument). The metadata of every completion it
    returns is the user's: the idempotency key is taken out.

    Example::

        with ChatCompletionsClient(Settings.resolve()) as client:
            for completion in client.list(metadata={"dataset": "faq"}, limit=50):
                print(completion.id, completion.choices[0].message.content)
    """

    def __init__(self, settings: Settings, **options: Unpack[SessionOptions]) -> None:
        self.settings = settings
        self._session = HTTPSession(settings, **options)

    def __repr__(self) -> str:
        key = None if self.settings.api_key is None else REDACTED
        return (
            f"ChatCompletionsClient(base_url={redact(self.settings.base_url)!r}, api_key={key!r})"
        )

    @property
    def last_request_id(self) -> str | None:
        """The ``x-request-id`` of the last response this thread received."""
        return self._session.last_request_id

    @property
    def is_closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._session.is_closed

    def close(self) -> None:
        """Close the pooled connections; the client cannot be used afterwards."""
        self._session.close()

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
        idempotent: bool = False,
        idempotency_token: str | None = None,
        predating: Callable[[], Collection[str]] | None = None,
    ) -> ChatCompletion:
        """POST /chat/completions; a streamed create (``stream: true``) is assembled into one.

        ``params`` is validated into ``ChatCompletionCreateParams`` (a
        ``pydantic.ValidationError`` names the bad field). So that a lost answer never stores
        a duplicate:

        - ``idempotent=True`` (with ``store: true``) tags the request with a fresh token
          (``idempotency_token`` names one instead, to find a create again later). After an
          ambiguous failure (read timeout or connection dropped after sending, 408, 409, 5xx,
          or an answer that cannot be parsed) the client waits, looks the token up and
          returns the stored completion if found; only if nothing is found does it send the
          create again, and never when the look-up itself failed. ``predating`` names the
          completions that carried the token before this create (called only after an
          ambiguous failure): they are not what this create stored, so they are not
          returned for it.
        - Otherwise a create is sent again only when the server certainly did not process it
          (connect error or timeout, pool timeout, 429, 503 with ``Retry-After``, or
          ``x-should-retry: true``); any other failure is raised at once.
        """
        if not isinstance(params, ChatCompletionCreateParams):
            params = ChatCompletionCreateParams.model_validate(params)
        body = params.to_body()
        token = idempotency_token
        if token is None and idempotent and body.get("store") is True:
            token = new_token()
        if token is not None:
            with entry_point("ChatCompletionsClient.create"):
                body = with_token(body, token)
        streamed = bool(body.get("stream"))
        endpoint = f"POST /{COMPLETIONS_PATH}"

        def read(response: httpx.Response) -> ChatCompletion:
            if streamed and response.headers.get("content-type", "").startswith(
                "text/event-stream"
            ):
                return read_stream(response, endpoint=endpoint)
            response.read()  # some compatible servers answer a stream request with plain JSON
            return parse_body(ChatCompletion, response, endpoint=endpoint)

        created = self._session.request(
            "POST",
            COMPLETIONS_PATH,
            read,
            json=body,
            headers={"Accept": "text/event-stream"} if streamed else None,
            create=Create(find=None if token is None else lambda: self._find(token, predating)),
        )
        return _users(created)

    def retrieve(self, completion_id: str) -> ChatCompletion:
        """GET /chat/completions/{completion_id}: a stored completion."""
        path = self._completion_path("retrieve", completion_id)
        with about_completion(completion_id):
            return _users(self._session.request("GET", path, _reader(ChatCompletion, "GET", path)))

    def update(self, completion_id: str, metadata: Mapping[str, str] | None) -> ChatCompletion:
        """POST /chat/completions/{completion_id}: replace the metadata (None clears it)."""
        path = self._completion_path("update", completion_id)
        with entry_point("ChatCompletionsClient.update"):
            body = {"metadata": check_list_metadata(metadata)}
        read = _reader(ChatCompletion, "POST", path)
        with about_completion(completion_id):
            return _users(self._session.request("POST", path, read, json=body))

    def delete(self, completion_id: str) -> ChatCompletionDeleted:
        """DELETE /chat/completions/{completion_id}.

        Retried like reads: if a lost response is retried, the retry answers
        ``NotFoundError``, which callers treat as already deleted.
        """
        path = self._completion_path("delete", completion_id)
        with about_completion(completion_id):
            return self._session.request(
                "DELETE", path, _reader(ChatCompletionDeleted, "DELETE", path)
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

        ``limit`` caps the total number of completions yielded (None: all); ``metadata``
        filters on exact key/value pairs (sent as ``metadata[key]=value``); ``order`` is
        ``asc`` or ``desc``.
        """
        with entry_point("ChatCompletionsClient.list"):
            query = ListQuery.of(model, metadata, order, limit)
        pages = self._paginate(
            CursorPage[ChatCompletion], COMPLETIONS_PATH, query.params(), query.limit
        )
        return (_users(completion) for completion in pages)

    def list_raw(
        self,
        *,
        model: str | None = None,
        metadata: Mapping[str, str] | None = None,
        order: Order | None = None,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """GET /chat/completions like ``list``, each completion the JSON object the API sent.

        Nothing is parsed into models, so every field and value is the server's, unknown or
        not, in its order; only the page itself is checked (its ``data`` and ``has_more``, and
        each item's ``id``, which is the next page's cursor). The idempotency key is taken
        out of ``metadata``, as ``list`` does.

        Example::

            for completion in client.list_raw(metadata={"dataset": "faq"}):
                print(json.dumps(completion))
        """
        with entry_point("ChatCompletionsClient.list_raw"):
            query = ListQuery.of(model, metadata, order, limit)
        read = _raw_page_reader(f"GET /{COMPLETIONS_PATH}")
        items = self._pages(COMPLETIONS_PATH, query.params(), read, query.limit)
        return (_users_raw(item.body) for item in items)

    def list_messages(
        self, completion_id: str, *, order: Order | None = None, limit: int | None = None
    ) -> Iterator[ChatCompletionStoreMessage]:
        """GET /chat/completions/{completion_id}/messages: the stored input messages, lazily."""
        path = f"{self._completion_path('list_messages', completion_id)}/messages"
        with entry_point("ChatCompletionsClient.list_messages"):
            checked_order = check_order(order)
            checked_limit = check_limit(limit)
        query: dict[str, str | int] = {} if checked_order is None else {"order": checked_order}
        pages = self._paginate(CursorPage[ChatCompletionStoreMessage], path, query, checked_limit)
        return _about(completion_id, pages)

    def find_created(self, token: str, *, excluding: Collection[str] = ()) -> ChatCompletion | None:
        """The newest stored completion a create tagged with ``token``, if there is one,
        leaving out the ids in ``excluding``."""
        return next((c for c in self.created_with(token) if c.id not in excluding), None)

    def created_with(self, token: str) -> tuple[ChatCompletion, ...]:
        """Every stored completion a create tagged with ``token``, newest first."""
        return tuple(self.list(metadata=lookup(token), order="desc"))

    def members(self, tag: str) -> Iterator[Member]:
        """Every stored completion of the ``ChatCompletionSet`` tagged ``tag``, with the
        create token each carries, fetched lazily page by page (oldest first)."""
        with entry_point("ChatCompletionsClient.members"):
            query = ListQuery.of(None, {SET_METADATA_KEY: tag}, "asc", None)
        pages = self._paginate(CursorPage[ChatCompletion], COMPLETIONS_PATH, query.params(), None)
        for completion in pages:
            token = (completion.metadata or {}).get(IDEMPOTENCY_METADATA_KEY)
            yield Member(_users(completion), token)

    # -- plumbing -----------------------------------------------------------------------------

    def _find(
        self, token: str, predating: Callable[[], Collection[str]] | None
    ) -> ChatCompletion | None:
        return self.find_created(token, excluding=predating() if predating else ())

    def _completion_path(self, method: str, completion_id: object) -> str:
        with entry_point(f"ChatCompletionsClient.{method}"):
            checked = check_completion_id(completion_id)
        return f"{COMPLETIONS_PATH}/{quote(checked, safe='')}"

    def _paginate(
        self,
        page_model: type[CursorPage[ItemT]],
        path: str,
        query: Mapping[str, str | int],
        limit: int | None,
    ) -> Iterator[ItemT]:
        return self._pages(path, query, _page_reader(page_model, path), limit)

    def _pages(
        self,
        path: str,
        query: Mapping[str, str | int],
        read: Callable[[httpx.Response], tuple[Sequence[ItemT], bool]],
        limit: int | None,
    ) -> Iterator[ItemT]:
        # Each page is one GET of ``path`` with the query, its size and the cursor.
        def fetch(after: str | None, page_size: int) -> tuple[Sequence[ItemT], bool]:
            params = {**query, "limit": page_size}
            if after is not None:
                params["after"] = after
            return self._session.request("GET", path, read, params=params)

        return iterate_pages(fetch, limit=limit)


def _reader(model: type[ModelT], method: str, path: str) -> Callable[[httpx.Response], ModelT]:
    endpoint = f"{method} /{path}"

    def read(response: httpx.Response) -> ModelT:
        response.read()
        return parse_body(model, response, endpoint=endpoint)

    return read


def _page_reader(
    page_model: type[CursorPage[ItemT]], path: str
) -> Callable[[httpx.Response], tuple[Sequence[ItemT], bool]]:
    read_page = _reader(page_model, "GET", path)

    def read(response: httpx.Response) -> tuple[Sequence[ItemT], bool]:
        page = read_page(response)
        return page.data, page.has_more

    return read


class Member(NamedTuple):
    """A stored completion of a ``ChatCompletionSet`` (its metadata as users see it) and
    the create token it carries, if any."""

    completion: ChatCompletion
    token: str | None


class _RawItem(NamedTuple):
    # A listed JSON object with its cursor, for iterate_pages.
    id: str
    body: dict[str, Any]


def _raw_page_reader(endpoint: str) -> Callable[[httpx.Response], tuple[list[_RawItem], bool]]:
    page_model = CursorPage[dict[str, Any]]

    def read(response: httpx.Response) -> tuple[list[_RawItem], bool]:
        response.read()

        def refuse(problem: str) -> APIResponseValidationError:
            problem = f"the body is not a valid page of ChatCompletion: {problem}"
            return APIResponseValidationError(problem, endpoint=endpoint, response=response)

        # The envelope is the model layer's; the items stay as sent.
        try:
            page = page_model.model_validate(parse_json(response, endpoint=endpoint))
        except pydantic.ValidationError as exc:
            raise refuse(describe_validation_error(exc)) from exc
        items = []
        for index, body in enumerate(page.data):
            item_id = body.get("id")
            if not isinstance(item_id, str) or not item_id:
                raise refuse(f"data[{index}].id must be a non-empty string")
            items.append(_RawItem(item_id, body))
        return items, page.has_more

    return read


def _users_raw(completion: dict[str, Any]) -> dict[str, Any]:
    # As _users, for a completion as sent: the same keys go, nothing else changes.
    metadata = completion.get("metadata")
    if not isinstance(metadata, dict) or not RESERVED_METADATA_KEYS & metadata.keys():
        return completion
    return {**completion, "metadata": without_token(metadata)}


def _users(completion: ChatCompletion) -> ChatCompletion:
    # The reserved keys are ours: every completion leaves the client without them.
    metadata = completion.metadata
    if metadata is None or not RESERVED_METADATA_KEYS & metadata.keys():
        return completion
    return completion.model_copy(update={"metadata": without_token(metadata)})


def _about(completion_id: str, items: Iterator[ItemT]) -> Iterator[ItemT]:
    # Pages are fetched while the caller iterates, so the completion is named from here.
    with about_completion(completion_id):
        yield from items


_clients: dict[Settings, ChatCompletionsClient] = {}
_clients_lock = threading.Lock()


def get_client(settings: Settings) -> ChatCompletionsClient:
    """The process-wide client for ``settings``, created on first use and then reused.

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
