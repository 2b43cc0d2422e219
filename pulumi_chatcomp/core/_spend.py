"""What stored completions spent: tokens and US dollars, per model and per metadata value.

Each completion contributes its ``usage`` as the API reported it, priced by the model that
answered (``core._prices``: the longest prefix, else ``*``): prompt tokens, of which cached
(billed at the cached rate), and completion tokens, of which reasoning. A completion whose
model has no price in the table is counted in tokens and listed as unpriced, never as free.

A ChatCompletionSet's items are completions too (``spent_from_set_state``): each item's
usage is in the set's results, and its model and metadata are its request's (the set keeps
no answering model per item), known when the item in the program is the one that made it.

>>> report = spend_of([Spent("gpt-4o-mini", {"prompt_tokens": 10, "completion_tokens": 5},
...                          {"team": "ml"})])
>>> report.by_model["gpt-4o-mini"].completion_tokens, report.by_metadata["team"]["ml"].completions
(5, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from pulumi_chatcomp.core._names import SET_TYPE_TOKEN, TYPE_TOKENS
from pulumi_chatcomp.core._prices import Price, price_for, tokens_of

__all__ = [
    "UNKNOWN_MODEL",
    "SetSpent",
    "Spend",
    "Spent",
    "Tally",
    "spend_of",
    "spent_from_api",
    "spent_from_set_state",
    "spent_from_state",
]

UNKNOWN_MODEL = "?"
"""The model of a completion whose model cannot be told (no price: counted, never free)."""


@dataclass(frozen=True)
class Spent:
    """One completion's model (the one that answered), usage and metadata."""

    model: str
    usage: Mapping[str, Any]
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Tally:
    """Tokens and cost of some completions."""

    completions: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0
    """Completions whose model the price table has no entry for (not in ``cost_usd``)."""

    def add(self, spent: Spent, price: Price | None) -> None:
        counted = tokens_of(spent.usage)
        self.completions += 1
        self.prompt_tokens += counted["prompt_tokens"]
        self.cached_tokens += counted["cached"]
        self.completion_tokens += counted["completion_tokens"]
        self.reasoning_tokens += counted["reasoning"]
        if price is None:
            self.unpriced += 1
        else:
            self.cost_usd += price.cost_of_usage(spent.usage)

    def to_json(self) -> dict[str, Any]:
        """The tally as plain JSON (cost rounded to a millionth of a dollar)."""
        return asdict(self) | {"cost_usd": round(self.cost_usd, 6)}


@dataclass
class Spend:
    """The whole: in total, per model, and per value of each metadata key."""

    total: Tally = field(default_factory=Tally)
    by_model: dict[str, Tally] = field(default_factory=dict)
    by_metadata: dict[str, dict[str, Tally]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON, groups in name order."""
        return {
            "total": self.total.to_json(),
            "by_model": {name: self.by_model[name].to_json() for name in sorted(self.by_model)},
            "by_metadata": {
                key: {value: values[value].to_json() for value in sorted(values)}
                for key, values in sorted(self.by_metadata.items())
            },
        }


def spend_of(
    spent: Iterable[Spent],
    prices: Mapping[str, Price] | None = None,
    metadata_keys: Collection[str] | None = None,
) -> Spend:
    """Tally ``spent`` with ``prices`` (default: the built-in table), grouped by model and
    by the value of every metadata key (or only of ``metadata_keys``)."""
    from pulumi_chatcomp.core._prices import DEFAULT_PRICES

    table = DEFAULT_PRICES if prices is None else prices
    spend = Spend()
    for one in spent:
        # A model that cannot be told has no price, not the table's price for any model.
        price = None if one.model == UNKNOWN_MODEL else price_for(one.model, table)
        spend.total.add(one, price)
        spend.by_model.setdefault(one.model, Tally()).add(one, price)
        for key, value in one.metadata.items():
            if metadata_keys is None or key in metadata_keys:
                spend.by_metadata.setdefault(key, {}).setdefault(value, Tally()).add(one, price)
    return spend


def spent_from_api(completion: Mapping[str, Any]) -> Spent:
    """A stored completion as the API returns it (the list's items, a retrieve)."""
    return Spent(
        str(completion.get("model") or UNKNOWN_MODEL),
        completion.get("usage") or {},
        _strings(completion.get("metadata")),
    )


def spent_from_state(resource: Mapping[str, Any]) -> Spent | None:
    """A ChatCompletion of either face in an exported state (secrets already plain), or None
    for any other resource and for one on its way out (``delete``). The plugin's outputs
    may be in its schema's names or, written before those, the API's: both are read."""
    from pulumi_chatcomp.plugin._casing import api_state

    if resource.get("type") not in TYPE_TOKENS or resource.get("delete"):
        return None
    outputs: Mapping[str, Any] = api_state(resource).get("outputs") or {}
    model = outputs.get("response_model") or outputs.get("model") or UNKNOWN_MODEL
    return Spent(str(model), outputs.get("usage") or {}, _strings(outputs.get("metadata")))


class SetSpent(NamedTuple):
    """A set's items as spent, and the keys of those whose request is not known (counted
    with ``UNKNOWN_MODEL`` and no metadata)."""

    spent: list[Spent]
    unknown: list[str]


def spent_from_set_state(
    resource: Mapping[str, Any], read_file: Callable[[object], str | None]
) -> SetSpent | None:
    """The items of a ChatCompletionSet in an exported state (secrets already plain), or
    None for any other resource and for one on its way out. ``read_file`` gives the text
    of the set's items file (the asset state records), or None when it cannot be read. An
    item's model and metadata are those of its request when that request is the one that
    made it (its fingerprint is the one its result records); otherwise (its line of the
    file changed since, or the file cannot be read) it is counted with its usage alone."""
    from pulumi_chatcomp.core._sets._items import expand
    from pulumi_chatcomp.plugin._casing import api_state

    if resource.get("type") != SET_TYPE_TOKEN or resource.get("delete"):
        return None
    state = api_state(resource)
    inputs: Mapping[str, Any] = state.get("inputs") or {}
    outputs: Mapping[str, Any] = state.get("outputs") or {}
    asset = inputs.get("items_file")
    text = None if asset is None else read_file(asset)
    items, _ = expand({**inputs, "items_file": text}, validate=False)
    made = {item.key: item for item in items if item.fingerprint is not None}
    found = SetSpent([], [])
    for key, result in sorted((outputs.get("results") or {}).items()):
        if not isinstance(result, Mapping):
            continue
        usage = result.get("usage") or {}
        item = made.get(key)
        fingerprint = str(result.get("fingerprint") or "")
        if item is None or _made_part(item.fingerprint) != _made_part(fingerprint):
            found.unknown.append(key)
            found.spent.append(Spent(UNKNOWN_MODEL, usage))
            continue
        model = item.request.get("model")
        metadata = _strings(item.request.get("metadata"))
        found.spent.append(Spent(str(model or UNKNOWN_MODEL), usage, metadata))
    return found


def _made_part(fingerprint: str | None) -> str:
    # What made the completion; the rest is its metadata, which may have drifted since.
    return (fingerprint or "").partition(".")[0]


def _strings(metadata: object) -> dict[str, str]:
    if not isinstance(metadata, Mapping):
        return {}
    return {str(key): str(value) for key, value in metadata.items()}
