"""A ChatCompletionSet's items in a stack's report: each item's usage from the set's
results, its model and metadata from its request, when that request is the one that made
it; never dropped when it is not."""

from __future__ import annotations

import json
from typing import Any

from pulumi_chatcomp.core._names import SET_TYPE_TOKEN
from pulumi_chatcomp.core._sets._items import expand
from pulumi_chatcomp.core._spend import UNKNOWN_MODEL, Spent, spend_of, spent_from_set_state
from pulumi_chatcomp.plugin._casing import in_state

INPUTS: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "developer", "content": "Answer briefly."}],
    "metadata": {"dataset": "faq"},
    "items": {
        "q-1": {"messages": [{"role": "user", "content": "Where?"}]},
        "q-2": {
            "messages": [{"role": "user", "content": "How?"}],
            "model": "gpt-4o",
            "metadata": {"split": "test"},
        },
    },
}
LINES = json.dumps({"key": "f-1", "messages": [{"role": "user", "content": "Why?"}]}) + "\n"
ASSET = {"4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17"}


def _usage(tokens: int) -> dict[str, int]:
    return {"prompt_tokens": tokens, "completion_tokens": tokens, "total_tokens": 2 * tokens}


def _state(inputs: dict[str, Any], made_from: dict[str, Any]) -> dict[str, Any]:
    """A set as an exported state holds it (the schema's names): its inputs, and results
    made from ``made_from`` (what the program said when its items were made)."""
    items, problems = expand(made_from, validate=False)
    assert problems == []
    results = {
        item.key: {"id": f"chatcmpl-{n}", "usage": _usage(n + 1), "fingerprint": item.fingerprint}
        for n, item in enumerate(items)
    }
    return {
        "type": SET_TYPE_TOKEN,
        "urn": f"urn:pulumi:dev::p::{SET_TYPE_TOKEN}::evals",
        "inputs": in_state(SET_TYPE_TOKEN, {**inputs, "items_file": {**ASSET, "path": "i.jsonl"}}),
        "outputs": in_state(SET_TYPE_TOKEN, {"results": results, "count": len(results)}),
    }


def test_each_item_counts_with_its_requests_model_and_metadata() -> None:
    state = _state(INPUTS, {**INPUTS, "items_file": LINES})
    found = spent_from_set_state(state, lambda asset: LINES)
    assert found is not None and found.unknown == []
    assert found.spent == [
        Spent("gpt-4o-mini", _usage(3), {"dataset": "faq"}),
        Spent("gpt-4o-mini", _usage(1), {"dataset": "faq"}),
        Spent("gpt-4o", _usage(2), {"dataset": "faq", "split": "test"}),
    ]
    spend = spend_of(found.spent)
    assert {model: t.completions for model, t in spend.by_model.items()} == {
        "gpt-4o-mini": 2,
        "gpt-4o": 1,
    }
    assert spend.by_metadata["split"]["test"].prompt_tokens == 2


def test_an_item_whose_request_is_not_the_one_that_made_it_counts_without_a_model() -> None:
    # q-2's model was edited, and the file cannot be read: their tokens still count.
    state = _state(INPUTS, {**INPUTS, "items_file": LINES})
    edited = json.loads(json.dumps(INPUTS))
    edited["items"]["q-2"]["model"] = "gpt-4.1"
    state["inputs"] = in_state(SET_TYPE_TOKEN, {**edited, "items_file": {**ASSET, "path": "x"}})
    found = spent_from_set_state(state, lambda asset: None)
    assert found is not None
    assert found.unknown == ["f-1", "q-2"]
    assert [s.model for s in found.spent] == [UNKNOWN_MODEL, "gpt-4o-mini", UNKNOWN_MODEL]
    assert sum(s.usage["prompt_tokens"] for s in found.spent) == 1 + 2 + 3
    assert spend_of(found.spent).total.unpriced == 2  # counted, never free


def test_a_set_on_its_way_out_and_other_resources_are_not_a_sets_items() -> None:
    state = _state(INPUTS, INPUTS)
    assert spent_from_set_state({**state, "delete": True}, lambda asset: None) is None
    assert spent_from_set_state({**state, "type": "random:index:Id"}, lambda a: None) is None
