"""A ChatCompletionSet's items: what each one asks the API, checked, and its fingerprint.

A set's inputs are the request fields every item shares (``model``, ``temperature``,
``metadata``, ``messages`` as a prefix, ...) and the items: ``items``, a map from a key the
user chooses to that item's ``messages`` and overrides of any shared field, and/or
``items_file``, the text of a JSON Lines file with the same shape per line plus its
``key``. An item's request is the shared fields, its overrides on top, the shared messages
then its own, the shared metadata then its own.

Each item is checked as a single completion is (the same model layer), each problem named
by the item's key: ``items["q-0042"].messages[1].content: ...``. Its fingerprint is a hash
of its request (and of what regenerates it: the set's ``triggers``, its own
``regenerate``), with its metadata hashed apart, so that comparing fingerprints tells an
item to make again from one whose metadata changes in place, without keeping its inputs
twice in state.

>>> items, problems = expand({"model": "gpt-4o-mini", "items": {
...     "q1": {"messages": [{"role": "user", "content": "Hi"}]}}})
>>> items[0].key, items[0].request["model"], problems
('q1', 'gpt-4o-mini', [])
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from pulumi.runtime.rpc import UNKNOWN
from pydantic import ValidationError

from pulumi_chatcomp.client._idempotency import RESERVED_METADATA_KEYS
from pulumi_chatcomp.core._properties import REQUEST_NAMES, contains_unknown, request_of
from pulumi_chatcomp.models import FieldProblem, validate_metadata, validation_problems
from pulumi_chatcomp.models._base import whole_numbers
from pulumi_chatcomp.models._problems import join_path

__all__ = [
    "ITEM_NAMES",
    "MAX_ITEMS",
    "MAX_KEY",
    "MAX_PROBLEMS",
    "SET_INPUT_NAMES",
    "Item",
    "expand",
    "item_request",
    "metadata_digest",
    "shared_fields",
]

ITEM_NAMES: Final = REQUEST_NAMES | {"regenerate"}
"""What an item may hold: its messages, overrides of any request field, ``regenerate``."""

SET_INPUT_NAMES: Final = REQUEST_NAMES | {"items", "items_file", "triggers", "max_concurrency"}
"""The set's inputs: the shared request fields, the items, and how the set is run."""

MAX_ITEMS: Final = 100_000
"""Most items in one set: far above a dataset's usual size, so that a file read by mistake
(a log, a dump) is refused rather than sent."""
MAX_KEY: Final = 256
"""Longest item key, in characters."""
MAX_PROBLEMS: Final = 20
"""Problems listed in full before the rest are counted: a file with one mistake per line
should not print ten thousand lines."""

# Items are stored, read back and deleted by the set's tag: they must be stored, and two
# metadata pairs are the package's (the item's create token, the set's tag).
_RESERVED_PAIRS = 2


@dataclass(frozen=True)
class Item:
    """One item of a set: its key, the request it makes (metadata included), and its
    fingerprint (None while some of it is unknown, during a preview)."""

    key: str
    request: dict[str, Any]
    fingerprint: str | None
    from_file: bool = False
    """Whether the item is a line of ``items_file`` (else an entry of ``items``)."""


def expand(
    inputs: Mapping[str, Any], *, validate: bool = True
) -> tuple[list[Item], list[FieldProblem]]:
    """The set's items, in the order given, and every problem with them (the first
    ``MAX_PROBLEMS`` in full, then one that counts the rest). ``validate=False`` skips the
    model layer (a diff of inputs check has already judged only needs fingerprints)."""
    shared = shared_fields(inputs)
    triggers = inputs.get("triggers")
    problems: list[FieldProblem] = []
    items: list[Item] = []
    seen: set[str] = set()
    for where, key, fields in _raw_items(inputs, problems):
        if key in seen:
            problems.append(FieldProblem(where, f"{where}: the key {key!r} is given twice"))
            continue
        seen.add(key)
        item, item_problems = _item(where, key, shared, fields, triggers, validate)
        problems += item_problems
        if item is not None:
            items.append(replace(item, from_file=where.startswith("items_file")))
    if len(items) > MAX_ITEMS:
        problems.insert(
            0, FieldProblem("items", f"a set holds at most {MAX_ITEMS} items, got {len(items)}")
        )
    return items, _capped(problems)


def _raw_items(
    inputs: Mapping[str, Any], problems: list[FieldProblem]
) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(where, key, fields) of each item, from ``items`` then ``items_file``."""
    items = inputs.get("items")
    if items is not None and items != UNKNOWN:  # an unknown item is judged on its own
        if not isinstance(items, Mapping):
            problems.append(FieldProblem("items", "items must be a map of key to item"))
        else:
            for key, fields in items.items():
                where = f"items[{json.dumps(key)}]"
                if _key_problem(key, where, problems):
                    continue
                if fields == UNKNOWN:
                    yield where, key, {"messages": UNKNOWN}  # the whole item, known at up
                elif _is_item(fields, where, problems):
                    yield where, key, fields
    text = inputs.get("items_file")
    if text is not None and text != UNKNOWN:
        if not isinstance(text, str):
            problems.append(FieldProblem("items_file", "items_file must be a file of JSON Lines"))
            return
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"items_file line {number}"
            try:
                fields = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(FieldProblem(where, f"{where} is not JSON: {error.msg}"))
                continue
            if not _is_item(fields, where, problems):
                continue
            key = fields.get("key")
            if _key_problem(key, f"{where}: key", problems):
                continue
            yield (
                f"{where} ({json.dumps(key)})",
                key,
                {k: v for k, v in fields.items() if k != "key"},
            )


def _item(
    where: str,
    key: str,
    shared: Mapping[str, Any],
    fields: Mapping[str, Any],
    triggers: Any,
    validate: bool = True,
) -> tuple[Item | None, list[FieldProblem]]:
    problems = [
        FieldProblem(join_path(where, name), f"{join_path(where, name)} is not a field of an item")
        for name in fields
        if name not in ITEM_NAMES
    ]
    request = item_request(shared, fields)
    if contains_unknown(request) or contains_unknown(fields.get("regenerate")):
        return Item(key, request, None), problems  # judged at up, when it is known
    if not validate:
        return Item(key, request, _fingerprint(request, triggers, fields.get("regenerate"))), []
    if request.get("store") is not True:
        problems.append(
            FieldProblem(
                join_path(where, "store"),
                f"{join_path(where, 'store')} must be true: a set finds its items again by "
                "their stored metadata",
            )
        )
    metadata = request.get("metadata")
    for problem in validate_metadata(metadata, reserved_pairs=_RESERVED_PAIRS, path="metadata"):
        problems.append(_under(where, problem))
    for reserved in RESERVED_METADATA_KEYS:
        if isinstance(metadata, Mapping) and reserved in metadata:
            path = join_path(where, f"metadata.{reserved}")
            problems.append(
                FieldProblem(path, f"{path}: the key {reserved!r} is reserved by pulumi-chatcomp")
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecations are the program's to report
        try:
            request_of(request)
        except ValidationError as exc:
            problems += [_under(where, problem) for problem in validation_problems(exc)]
    if problems:
        return None, problems
    return Item(key, request, _fingerprint(request, triggers, fields.get("regenerate"))), []


def shared_fields(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The request fields a set's items share: its inputs that are request fields.

    >>> shared_fields({"model": "gpt-4o-mini", "items": {}, "max_concurrency": 8})
    {'model': 'gpt-4o-mini'}
    """
    return {k: v for k, v in inputs.items() if k in REQUEST_NAMES and v is not None}


def item_request(shared: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """The request one item makes: the ``shared`` fields with the item's own ``fields`` in
    their place, its messages after the shared ones, its metadata over the shared metadata,
    and ``store`` true unless it says otherwise. Checks nothing (``expand`` does).

    >>> request = item_request(
    ...     {"model": "gpt-4o-mini", "messages": [{"role": "developer", "content": "Be brief."}]},
    ...     {"messages": [{"role": "user", "content": "Hi"}], "temperature": 0},
    ... )
    >>> [m["content"] for m in request["messages"]], request["temperature"], request["store"]
    (['Be brief.', 'Hi'], 0, True)
    """
    own = {k: v for k, v in fields.items() if k in REQUEST_NAMES}
    request = {**shared, **own}
    for name in ("messages", "metadata"):
        theirs, mine = shared.get(name), own.get(name)
        if theirs is None or mine is None:
            continue
        if isinstance(theirs, list) and isinstance(mine, list):
            request[name] = [*theirs, *mine]
        elif isinstance(theirs, Mapping) and isinstance(mine, Mapping):
            request[name] = {**theirs, **mine}
        elif not isinstance(theirs, list | Mapping):
            # The shared part is not known yet (a preview): so neither is the whole.
            request[name] = theirs
    request.setdefault("store", True)
    return request


def _fingerprint(request: Mapping[str, Any], triggers: Any, regenerate: Any) -> str:
    """``<what makes the completion>.<its metadata>``: the first part changes when the item
    must be made again, the second when only its metadata is to update in place."""
    made = {k: v for k, v in request.items() if k != "metadata"}
    return f"{_digest([made, triggers or {}, regenerate], 16)}.{metadata_digest(request)}"


def metadata_digest(request_or_metadata: Mapping[str, Any]) -> str:
    """The fingerprint's second part: of a request's metadata, or of a stored completion's
    (the user's pairs), so that drift found by a refresh reads as a metadata change.

    >>> metadata_digest({"metadata": {"a": "1"}}) == metadata_digest({"a": "1"})
    True
    """
    metadata = request_or_metadata.get("metadata", request_or_metadata)
    return _digest(metadata if isinstance(metadata, Mapping) else {}, 8)


def _digest(value: Any, length: int) -> str:
    text = json.dumps(whole_numbers(value), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _key_problem(key: object, where: str, problems: list[FieldProblem]) -> bool:
    if not isinstance(key, str) or not key:
        problems.append(FieldProblem(where, f"{where} must be a non-empty string, got {key!r}"))
    elif len(key) > MAX_KEY:
        problems.append(
            FieldProblem(
                where, f"{where} has {len(key)} characters; keys may have at most {MAX_KEY}"
            )
        )
    elif not key.isprintable():
        problems.append(FieldProblem(where, f"{where} must hold no control characters"))
    else:
        return False
    return True


def _is_item(fields: object, where: str, problems: list[FieldProblem]) -> bool:
    if isinstance(fields, Mapping):
        return True
    problems.append(FieldProblem(where, f"{where} must be an object with the item's messages"))
    return False


def _under(where: str, problem: FieldProblem) -> FieldProblem:
    path = join_path(where, problem.path)
    message = problem.message
    if problem.path and message.startswith(problem.path):
        message = path + message[len(problem.path) :]
    else:
        message = f"{where}: {message}"
    return FieldProblem(path, message)


def _capped(problems: list[FieldProblem]) -> list[FieldProblem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], FieldProblem("items", f"and {rest} more problems")]
