"""Carrying out a set's plan against the API: many items at once, each exactly once, and
every item that worked kept when some fail.

Items run on a pool as wide as the set's concurrency. Each created item is tagged with the
set's tag (``SET_METADATA_KEY``: one list finds every item of the set) and a create token of
its own, derived from the set's tag, its key, its fingerprint and the fingerprint of the
item it replaces (``derived_token``), so that a run that follows a killed one makes the
same token and keeps one completion (``create_once``). When the caller has already listed
the set's items by its tag (a set's first ``up``), that list stands in for each item's own
look-up: an item a killed run of the same request stored is adopted, not made again, and
whatever the list found that no item of the program makes (left by a killed run whose
program differed) is deleted.

An item that fails after the client's retries leaves the others alone: the result holds
every item that worked and what failed, by key, so the face can have the engine keep the
first (a partial state) and say the second.

>>> Progress(total=3).done
0
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp._exceptions import ChatCompError, NotFoundError, StructuredOutputError
from pulumi_chatcomp.client._idempotency import SET_METADATA_KEY, derived_token
from pulumi_chatcomp.core._names import ANSWER_PATHS
from pulumi_chatcomp.core._once import create_once
from pulumi_chatcomp.core._properties import at_path, request_of
from pulumi_chatcomp.core._sets._items import Item
from pulumi_chatcomp.core._sets._plan import SetPlan
from pulumi_chatcomp.core._structured import StrictSchema, parsed_of

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient
    from pulumi_chatcomp.models import ChatCompletion

__all__ = ["Outcome", "Progress", "apply", "delete_all", "item_token", "result_of"]

# What a set's state keeps of each item: what users read, and what a preview compares.
_RESULT_PATHS = ("content", "finish_reason", "usage")


@dataclass
class Progress:
    """How far a run is: items done of the total; ``report`` is called after each."""

    total: int
    done: int = 0
    failed: int = 0
    report: Callable[[Progress], None] = lambda progress: None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def step(self, *, failed: bool = False) -> None:
        with self._lock:
            self.done += 1
            self.failed += failed
        self.report(self)


@dataclass
class Outcome:
    """The set's results after a run, and what failed (key -> error)."""

    results: dict[str, dict[str, Any]]
    failures: dict[str, ChatCompError] = field(default_factory=dict)


def item_token(tag: str, key: str, fingerprint: str | None, replaces: str | None) -> str:
    """An item's create token: its set's tag, its key, its fingerprint (what it asks, so
    that a completion found with the token answers this very request), the fingerprint of
    the item it replaces."""
    return derived_token(f"{tag}/{key}/{fingerprint}", replaces=replaces)


def apply(
    client: ChatCompletionsClient,
    set_plan: SetPlan,
    items: Mapping[str, Item],
    results: Mapping[str, Mapping[str, Any]],
    tag: str,
    *,
    concurrency: int,
    listed: Mapping[str, Sequence[ChatCompletion]] | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Carry out ``set_plan``: ``items`` by key, ``results`` the set's state, ``listed`` the
    set's stored completions by create token, oldest first (when the caller listed them by
    tag)."""
    outcome = Outcome({key: dict(value) for key, value in results.items()})
    lock = threading.Lock()
    progress = progress or Progress(total=0)

    def made(key: str) -> None:
        old, item = results.get(key), items[key]
        token = item_token(tag, key, item.fingerprint, old.get("fingerprint") if old else None)
        found = () if listed is None else listed.get(token, ())
        new = _adopted(client, item, found) if found else None
        if new is None:
            new = _create(client, item, tag, token, None if listed is None else ())
        if old is not None:
            with contextlib.suppress(NotFoundError):
                client.delete(str(old["id"]))
        with lock:
            outcome.results[key] = new

    def updated(key: str) -> None:
        metadata = {**(items[key].request.get("metadata") or {}), SET_METADATA_KEY: tag}
        client.update(str(results[key]["id"]), metadata)
        with lock:
            outcome.results[key] = {**results[key], "fingerprint": items[key].fingerprint}

    def deleted(key: str) -> None:
        with contextlib.suppress(NotFoundError):
            client.delete(str(results[key]["id"]))
        with lock:
            outcome.results.pop(key, None)

    def run(step: Callable[[str], None], key: str) -> None:
        try:
            step(key)
        except ChatCompError as error:
            with lock:
                outcome.failures[key] = error
            progress.step(failed=True)
            return
        progress.step()

    steps = [
        *((made, key) for key in (*set_plan.create, *set_plan.replace)),
        *((updated, key) for key in set_plan.update),
        *((deleted, key) for key in set_plan.delete),
    ]
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="set") as pool:
        list(pool.map(lambda pair: run(*pair), steps))
    if listed is not None and not outcome.failures:
        _delete_strays(client, listed, outcome, concurrency)
    return outcome


def delete_all(client: ChatCompletionsClient, ids: Sequence[str], *, concurrency: int) -> None:
    """Delete ``ids`` side by side (one already gone is deleted); the first failure raises
    once every other delete was tried."""
    errors: list[ChatCompError] = []

    def one(completion_id: str) -> None:
        try:
            with contextlib.suppress(NotFoundError):
                client.delete(completion_id)
        except ChatCompError as error:
            errors.append(error)

    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="set") as pool:
        list(pool.map(one, ids))
    if errors:
        raise errors[0]


def result_of(
    request: Mapping[str, Any], completion: ChatCompletion, fingerprint: str | None
) -> dict[str, Any]:
    """What a set's state keeps of an item: the completion's id, what users read of its
    answer (``content``, ``parsed``, ``finish_reason``, ``usage``), and its fingerprint."""
    answer = _answer(completion)
    result: dict[str, Any] = {"id": completion.id}
    result |= {name: answer[name] for name in _RESULT_PATHS if answer.get(name) is not None}
    if isinstance(result.get("usage"), Mapping):
        result["usage"] = _counted(result["usage"])
    parsed = parsed_of(request.get("response_format"), result.get("content"))
    if parsed is not None:
        result["parsed"] = parsed
    result["fingerprint"] = fingerprint
    return result


def _create(
    client: ChatCompletionsClient,
    item: Item,
    tag: str,
    token: str,
    earlier: Sequence[str] | None,
) -> dict[str, Any]:
    metadata = {**(item.request.get("metadata") or {}), SET_METADATA_KEY: tag}
    request = request_of({**item.request, "metadata": metadata})
    strict = StrictSchema.of(item.request.get("response_format"))
    if strict is not None:
        strict.check_schema()
    completion = create_once(client, request, token, earlier_ids=earlier)
    result = result_of(item.request, completion, item.fingerprint)
    if strict is not None:
        try:
            strict.check_answer(_answer(completion))
        except StructuredOutputError:
            with contextlib.suppress(ChatCompError):
                client.delete(completion.id)
            raise
    return result


def _adopted(
    client: ChatCompletionsClient, item: Item, found: Sequence[ChatCompletion]
) -> dict[str, Any] | None:
    """The result of the newest of ``found`` (completions a killed run stored for this very
    request), the others deleted; None when its answer breaks the item's strict schema."""
    *others, newest = found
    strict = StrictSchema.of(item.request.get("response_format"))
    keep = True
    if strict is not None:
        try:
            strict.check_answer(_answer(newest))
        except StructuredOutputError:
            keep, others = False, list(found)
    for other in others:
        with contextlib.suppress(NotFoundError):
            client.delete(other.id)
    return result_of(item.request, newest, item.fingerprint) if keep else None


def _counted(usage: Mapping[str, Any]) -> dict[str, Any]:
    """``usage`` without its zero counts: a set's state holds one per item, and the
    engine sends all of it to the program on every run, so what says nothing is left out.

    >>> _counted({"total_tokens": 9, "completion_tokens_details": {"reasoning_tokens": 0}})
    {'total_tokens': 9}
    """
    kept: dict[str, Any] = {}
    for name, value in usage.items():
        if isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if v}
        if value or name.endswith("_tokens"):
            kept[name] = value
    return kept


def _answer(completion: ChatCompletion) -> dict[str, Any]:
    # The first-choice outputs of a single completion (ANSWER_PATHS), by name.
    answer = completion.model_dump(mode="json", exclude_none=True)
    return {name: at_path(answer, path) for name, path in ANSWER_PATHS.items()}


def _delete_strays(
    client: ChatCompletionsClient,
    listed: Mapping[str, Sequence[ChatCompletion]],
    outcome: Outcome,
    concurrency: int,
) -> None:
    # What the listing found that no item now owns: left by a killed run of another program.
    owned = {str(result["id"]) for result in outcome.results.values()}
    strays = sorted({c.id for found in listed.values() for c in found} - owned)
    if strays:
        delete_all(client, strays, concurrency=concurrency)
