"""Exactly once: a resource's create leaves one stored completion with its token, whatever
an earlier attempt of the same create left behind.

A create's token is derived from what survives every failure (``derived_token``), so a run
that follows a lost answer, a killed plugin or a killed ``pulumi`` makes the same token as
the attempt that may have stored something. ``create_once`` therefore lists what already
carries the token while its own create is in flight (the list costs no wait: it runs beside
the create), and once its own completion is stored deletes every other one. Those are what
earlier attempts stored and no stack owns, or, in a ``pulumi up --replace``, the completion
being replaced, which the engine deletes next anyway. Adopting an earlier completion instead
would be cheaper, but it cannot be told apart from the one ``--replace`` must not keep.

If the answer to this create is lost too, the client looks the token up again and takes
only a completion that was not there before (``predating``); if it cannot tell, the error
says the next ``pulumi up`` settles it, which it does the same way.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Final

from pulumi_chatcomp._exceptions import APIError, ChatCompError, NotFoundError

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient
    from pulumi_chatcomp.models import ChatCompletion, ChatCompletionCreateParams

__all__ = ["RETRY_IS_SAFE", "create_once"]

RETRY_IS_SAFE = (
    "Running pulumi up again is safe: its create finds what this one stored by the create "
    "token and keeps exactly one completion"
)
"""What an ambiguous create failure tells the user (the answer was lost after sending)."""

# Each create waits for its own look-up, so look-ups must run as many at once as creates
# do (the provider's chatcomp:maxConcurrency, 64 by default): a pool makes a thread only when
# none is idle, so this bound costs nothing until that many creates run.
_LOOKUP_THREADS: Final = 512
_lookups: ThreadPoolExecutor | None = None
_lookups_lock = threading.Lock()


def create_once(
    client: ChatCompletionsClient,
    request: ChatCompletionCreateParams,
    token: str,
    *,
    earlier_ids: Collection[str] | None = None,
) -> ChatCompletion:
    """Create ``request`` tagged with ``token``; the one stored completion that carries it.

    ``earlier_ids`` are what carried the token before, when the caller already knows (a set
    lists all its items at once): then no look-up runs beside the create."""
    earlier: Future[list[str]]
    if earlier_ids is None:
        earlier = _lookup_pool().submit(_ids_with, client, token)
    else:
        earlier = Future()
        earlier.set_result(list(earlier_ids))
    asked = threading.Event()

    def predating() -> Collection[str]:
        # Only called after an ambiguous failure: the first attempt may have stored one.
        asked.set()
        return earlier.result()

    try:
        completion = client.create(request, idempotency_token=token, predating=predating)
    except APIError as error:
        if error.maybe_created:
            error.add_sentence(RETRY_IS_SAFE)
        raise
    finally:
        # The look-up's own failure is reported below, or not at all when the create failed.
        if not earlier.done():
            earlier.add_done_callback(_silence)
    others = set(_settled(earlier, completion)) - {completion.id}
    if asked.is_set() or others:
        # Attempts of this very create may have stored more than the list saw before.
        others |= set(_ids_with(client, token)) - {completion.id}
    _delete_all(client, completion, sorted(others))
    return completion


def _ids_with(client: ChatCompletionsClient, token: str) -> list[str]:
    return [found.id for found in client.created_with(token)]


def _settled(earlier: Future[list[str]], completion: ChatCompletion) -> list[str]:
    try:
        return earlier.result()
    except ChatCompError as error:
        raise _kept(
            completion,
            f"could not check whether an earlier attempt of this create stored one too "
            f"({error.describe().rstrip('.')})",
        ) from error


def _delete_all(client: ChatCompletionsClient, completion: ChatCompletion, ids: list[str]) -> None:
    for completion_id in ids:
        try:
            with contextlib.suppress(NotFoundError):
                client.delete(completion_id)
        except ChatCompError as error:
            raise _kept(
                completion,
                f"could not delete {completion_id}, which an earlier attempt of this create "
                f"stored ({error.describe().rstrip('.')})",
            ) from error


def _kept(completion: ChatCompletion, why: str) -> ChatCompError:
    # Failing leaves the stack's state as it was; the stored completions keep the token,
    # so the next run finds them all and keeps one.
    error = ChatCompError(f"The completion {completion.id} was stored, but pulumi-chatcomp {why}")
    error.add_sentence(
        "The stack's state is unchanged; the next pulumi up finds every completion this "
        "create's token tagged and keeps exactly one"
    )
    return error


def _silence(future: Future[list[str]]) -> None:
    future.exception()  # retrieved, so that a failed look-up nobody waits for is not logged


def _lookup_pool() -> ThreadPoolExecutor:
    # The look-ups run beside creates that already hold the caller's threads; one pool per
    # process, made on first use.
    global _lookups
    with _lookups_lock:
        if _lookups is None:
            _lookups = ThreadPoolExecutor(
                max_workers=_LOOKUP_THREADS, thread_name_prefix="chatcomp-lookup"
            )
        return _lookups
