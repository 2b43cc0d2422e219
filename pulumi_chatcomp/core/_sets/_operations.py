"""A ChatCompletionSet's lifecycle as plain functions, as ``core._operations`` is for one
completion: check, diff, create, read, update, delete.

Inputs are the set's (``SET_INPUT_NAMES``, with ``items_file`` as the file's text) plus the
tag check gives it (``SET_TAG``); outputs are what users read and what a preview compares,
never the items' inputs, which the engine keeps already:

- ``results``: per key, the completion's ``id``, ``content``, ``parsed`` (for a JSON
  ``response_format``), ``finish_reason``, ``usage`` and the ``fingerprint`` it was made from;
- ``count``, ``usage`` (prompt, completion and total tokens summed over the items), ``tag``.

A run in which some items fail raises ``PartialSetFailure`` carrying the outputs of every
item that worked, for the face to have the engine keep them; the next ``up`` plans only
what is left.

>>> inputs, problems = check_set({"model": "gpt-4o-mini", "items": {}}, identity="p/urn")
>>> len(inputs[SET_TAG]), problems
(32, [])
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp._exceptions import ChatCompError, NotFoundError
from pulumi_chatcomp.client._idempotency import derived_token
from pulumi_chatcomp.core._properties import REQUEST_NAMES, contains_unknown
from pulumi_chatcomp.core._sets._import import adopt, parse_selector
from pulumi_chatcomp.core._sets._items import SET_INPUT_NAMES, Item, expand, metadata_digest
from pulumi_chatcomp.core._sets._plan import SetPlan, item_path, plan
from pulumi_chatcomp.core._sets._run import Outcome, Progress, apply, delete_all
from pulumi_chatcomp.models import FieldProblem

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient
    from pulumi_chatcomp.models import ChatCompletion

__all__ = [
    "FILE_HASH",
    "FILE_ITEMS",
    "MAX_CONCURRENCY_LIMIT",
    "SET_TAG",
    "PartialSetFailure",
    "check_set",
    "create_set",
    "delete_set",
    "diff_set",
    "import_set",
    "read_set",
    "update_set",
]

FILE_ITEMS: Final = "__file_items"
"""Set by check when the set has an items file: each of its items' fingerprint, by key. The
engine hands a provider only an asset's hash outside check, create and update, so a
preview's diff plans the file's items from these."""

FILE_HASH: Final = "__file_hash"
"""Set by check: the items file's SHA-256, so that an unchanged file is not checked again."""

SET_TAG: Final = "__set_tag"
"""Set by check: the tag every item of the set carries in its metadata, derived as a
completion's create token is (from the set's identity), so a run that follows a killed
one lists the same items. Kept while the set lives, never diffed."""

MAX_CONCURRENCY_LIMIT: Final = 512
"""Most items a set runs at once."""

_FAILURES_SHOWN = 5


class PartialSetFailure(ChatCompError):
    """Some items of a set failed; ``outputs`` hold every item that worked."""

    def __init__(self, set_id: str, outputs: dict[str, Any], outcome: Outcome) -> None:
        failures = outcome.failures
        shown = [
            f"{item_path(key)}: {error.describe().rstrip('.')}"
            for key, error in sorted(failures.items())[:_FAILURES_SHOWN]
        ]
        more = len(failures) - len(shown)
        kept = len(outcome.results)
        super().__init__(
            f"{len(failures)} item{'s' if len(failures) != 1 else ''} of the set failed: "
            + "; ".join(shown)
            + (f"; and {more} more" if more > 0 else "")
        )
        self.add_sentence(
            f"The {kept} item{'s' if kept != 1 else ''} that worked are kept; run pulumi up "
            "again to retry only the failed ones"
        )
        self.set_id = set_id
        self.outputs = outputs
        self.failed = sorted(failures)


def check_set(
    news: Mapping[str, Any],
    olds: Mapping[str, Any] | None = None,
    *,
    identity: str | None,
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Checked inputs (with ``SET_TAG``) and every problem, each item's named by its key."""
    problems: list[FieldProblem] = []
    for name, value in news.items():
        if name in SET_INPUT_NAMES or name == SET_TAG or name.startswith("__") or value is None:
            continue
        close = difflib.get_close_matches(name, sorted(SET_INPUT_NAMES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.append(FieldProblem(name, f"{name!r} is not an input of ChatCompletionSet{hint}"))
    inputs = {k: v for k, v in news.items() if k in SET_INPUT_NAMES and v is not None}
    if "items" not in inputs and "items_file" not in inputs:
        problems.append(FieldProblem("items", "a set needs items, items_file or both"))
    problems += _concurrency_problems(inputs.get("max_concurrency"))
    triggers = inputs.get("triggers")
    if (
        triggers is not None
        and not contains_unknown(triggers)
        and not isinstance(triggers, Mapping)
    ):
        problems.append(FieldProblem("triggers", "triggers must be a map of strings"))
    problems += _checked_items(inputs, olds or {})
    prior = (olds or {}).get(SET_TAG)
    if isinstance(prior, str) and prior and not contains_unknown(prior):
        inputs[SET_TAG] = prior
    elif identity is None or contains_unknown(identity):
        inputs[SET_TAG] = UNKNOWN
    else:
        inputs[SET_TAG] = derived_token(identity)
    return inputs, problems


def _checked_items(inputs: dict[str, Any], olds: Mapping[str, Any]) -> list[FieldProblem]:
    """Check the items; record the file's items (``FILE_ITEMS``) and the file's hash. A file
    and shared fields already checked in the same form (every preview and up of a dataset
    that did not change) are not checked again: their items are what the prior check said."""
    text = inputs.get("items_file")
    if not isinstance(text, str):
        return expand(inputs)[1]
    file_hash = hashlib.sha256(text.encode()).hexdigest()
    inputs[FILE_HASH] = file_hash
    known = olds.get(FILE_ITEMS)
    if (
        olds.get(FILE_HASH) == file_hash
        and _shared(olds) == _shared(inputs)
        and isinstance(known, Mapping)
    ):
        items, problems = expand({**inputs, "items_file": None})
        problems += [
            FieldProblem(f"items[{key!r}]", f"items[{key!r}]: the key is in items_file too")
            for key in sorted({item.key for item in items} & set(known))
        ]
        inputs[FILE_ITEMS] = dict(known)
        return problems
    items, problems = expand(inputs)
    inputs[FILE_ITEMS] = {item.key: item.fingerprint for item in items if item.from_file}
    return problems


def _shared(inputs: Mapping[str, Any]) -> dict[str, Any]:
    # What a file's items take from the rest of the set.
    return {k: v for k, v in inputs.items() if k in REQUEST_NAMES or k == "triggers"}


def diff_set(outputs: Mapping[str, Any], news: Mapping[str, Any]) -> SetPlan:
    """The plan from the set's state (``outputs``) to its new inputs: no API call, and no
    read of the items file (its items' fingerprints are check's, ``FILE_ITEMS``)."""
    if contains_unknown(news.get("items")) and not isinstance(news.get("items"), Mapping):
        # The whole map is unknown during this preview: any item may change.
        return plan(_results(outputs), [Item(key, {}, None) for key in _results(outputs)])
    items, _ = expand({**news, "items_file": None}, validate=False)
    from_file = news.get(FILE_ITEMS)
    if isinstance(from_file, Mapping):
        items += [
            Item(str(key), {}, fp if isinstance(fp, str) else None) for key, fp in from_file.items()
        ]
    elif news.get("items_file") is not None:
        items += [Item(key, {}, None) for key in _results(outputs)]  # unknown until check
    return plan(_results(outputs), items)


def create_set(
    client: ChatCompletionsClient,
    inputs: Mapping[str, Any],
    *,
    concurrency: int,
    report: Callable[[Progress], None] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Make every item; the set's id and outputs. One list by the set's tag first finds
    what a killed run of the same set stored (nothing, on a set's first ``up``): an item it
    made from the same request is kept, not made again."""
    tag = str(inputs[SET_TAG])
    items = _items(inputs)
    listed: dict[str, list[ChatCompletion]] = {}
    for member in client.members(tag):
        listed.setdefault(member.token or "", []).append(member.completion)
    outcome = _apply(client, items, {}, tag, inputs, concurrency, report, listed)
    return set_id(tag), _outputs(outcome.results, tag)


def update_set(
    client: ChatCompletionsClient,
    set_id_: str,
    outputs: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    concurrency: int,
    report: Callable[[Progress], None] | None = None,
) -> dict[str, Any]:
    """Carry out the plan from ``outputs`` to ``news``; the new outputs."""
    tag = str(outputs.get("tag") or news[SET_TAG])
    items = _items(news)
    results = _results(outputs)
    outcome = _apply(client, items, results, tag, news, concurrency, report, None, set_id_)
    return _outputs(outcome.results, tag, outputs.get("selector"))


def read_set(client: ChatCompletionsClient, outputs: Mapping[str, Any]) -> dict[str, Any]:
    """The set as the API holds it: items deleted out of band (or expired) are gone from
    the results, and an item whose metadata drifted is marked so the next ``up`` restores
    it; one paged list by the set's tag (and by the selector of an imported set), and a
    read only of an item the lists miss."""
    tag = str(outputs.get("tag") or "")
    selector = outputs.get("selector")
    stored = (
        {member.completion.id: member.completion for member in client.members(tag)} if tag else {}
    )
    if selector:
        pairs = parse_selector(str(selector)).pairs
        stored |= {c.id: c for c in client.list(metadata=pairs or None, order="asc")}
    results: dict[str, dict[str, Any]] = {}
    for key, result in _results(outputs).items():
        completion_id = str(result.get("id"))
        completion = stored.get(completion_id)
        if completion is None:
            # Not under the tag: deleted, expired, or its metadata replaced out of band
            # (which drops the tag too); only a read of the item itself tells which.
            try:
                completion = client.retrieve(completion_id)
            except NotFoundError:
                continue
        made, _, _ = str(result.get("fingerprint") or "").partition(".")
        drifted = metadata_digest(completion.metadata or {})
        results[key] = {**result, "fingerprint": f"{made}.{drifted}"}
    return _outputs(results, tag, selector)


def import_set(
    client: ChatCompletionsClient, selector: str, *, concurrency: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The inputs and outputs of a set adopted by ``pulumi import``: the stored completions
    ``selector`` picks (see ``_import``), keyed by the metadata value it names. The set has
    no tag until an ``up`` makes an item; a refresh lists by the selector."""
    inputs, results = adopt(client, selector, concurrency=concurrency)
    return inputs, _outputs(results, "", selector)


def delete_set(
    client: ChatCompletionsClient, outputs: Mapping[str, Any], *, concurrency: int
) -> None:
    """Delete every item of the set (one already gone counts as deleted)."""
    ids = [str(result["id"]) for result in _results(outputs).values()]
    delete_all(client, ids, concurrency=concurrency)


def set_id(tag: str) -> str:
    """The resource id of the set whose items carry ``tag``.

    >>> set_id("0123abcd")
    'set-0123abcd'
    """
    return f"set-{tag}"


def _apply(
    client: ChatCompletionsClient,
    items: Mapping[str, Item],
    results: Mapping[str, Mapping[str, Any]],
    tag: str,
    inputs: Mapping[str, Any],
    concurrency: int,
    report: Callable[[Progress], None] | None,
    listed: Mapping[str, list[ChatCompletion]] | None,
    set_id_: str | None = None,
) -> Outcome:
    # Plan from the stored results to the items, carry the plan out, and fail with what
    # was done when a step failed.
    set_plan = plan(results, list(items.values()))
    steps = len(set_plan.create) + len(set_plan.replace) + len(set_plan.update)
    progress = Progress(total=steps + len(set_plan.delete))
    if report is not None:
        progress.report = report
    width = int(inputs.get("max_concurrency") or concurrency)
    outcome = apply(
        client, set_plan, items, results, tag, concurrency=width, listed=listed, progress=progress
    )
    if outcome.failures:
        raise PartialSetFailure(set_id_ or set_id(tag), _outputs(outcome.results, tag), outcome)
    return outcome


def _items(inputs: Mapping[str, Any]) -> dict[str, Item]:
    items, problems = expand(inputs)
    if problems:  # check refused these already; a create never sees them
        raise ChatCompError(problems[0].message)
    return {item.key: item for item in items}


def _results(outputs: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    results = outputs.get("results") or {}
    return {str(key): dict(value) for key, value in results.items() if isinstance(value, Mapping)}


def _outputs(
    results: Mapping[str, Mapping[str, Any]], tag: str, selector: object = None
) -> dict[str, Any]:
    totals = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    for result in results.values():
        usage = result.get("usage") or {}
        for name in totals:
            value = usage.get(name)
            if isinstance(value, int | float):
                totals[name] += int(value)
    return {
        "results": {key: dict(value) for key, value in sorted(results.items())},
        "count": len(results),
        "usage": totals,
        "tag": tag,
    } | ({"selector": str(selector)} if selector else {})


def _concurrency_problems(value: object) -> list[FieldProblem]:
    if value is None or contains_unknown(value):
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_CONCURRENCY_LIMIT
    ):
        return [
            FieldProblem(
                "max_concurrency",
                f"max_concurrency must be a whole number from 1 to {MAX_CONCURRENCY_LIMIT}, "
                f"got {value!r}",
            )
        ]
    return []
