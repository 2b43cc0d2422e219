"""A set's items: merged from the shared fields and their own, checked by key, fingerprinted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp.core._sets._items import MAX_PROBLEMS, expand

SHARED: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "developer", "content": "Answer briefly."}],
    "metadata": {"dataset": "faq"},
    "temperature": 0.2,
}


def _ask(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


def test_an_item_is_the_shared_fields_then_its_own() -> None:
    items, problems = expand(
        {**SHARED, "items": {"q1": {**_ask("Where?"), "temperature": 0.9, "metadata": {"k": "v"}}}}
    )
    assert problems == []
    (item,) = items
    assert item.request["messages"] == [*SHARED["messages"], *_ask("Where?")["messages"]]
    assert item.request["temperature"] == 0.9  # its own, over the shared one
    assert item.request["metadata"] == {"dataset": "faq", "k": "v"}
    assert item.request["store"] is True


def test_items_come_from_the_map_and_the_file_in_order() -> None:
    lines = [json.dumps({"key": f"f{i}", **_ask(f"Q{i}?")}) for i in range(3)]
    items, problems = expand(
        {**SHARED, "items": {"a": _ask("A?")}, "items_file": "\n".join(lines) + "\n\n"}
    )
    assert problems == []
    assert [item.key for item in items] == ["a", "f0", "f1", "f2"]


@pytest.mark.parametrize(
    ("inputs", "path", "words"),
    [
        pytest.param(
            {"items": {"q-0042": {"messages": [{"role": "user", "content": 7}]}}},
            'items["q-0042"].messages[1].content',
            "must be",
            id="a-message",
        ),
        pytest.param(
            {"items": {"q1": {**_ask("Hi"), "temprature": 1}}},
            'items["q1"].temprature',
            "is not a field of an item",
            id="a-typo",
        ),
        pytest.param(
            {"items": {"q1": {**_ask("Hi"), "store": False}}},
            'items["q1"].store',
            "must be true",
            id="unstored",
        ),
        pytest.param(
            {"items": {"q1": {**_ask("Hi"), "metadata": {"pulumi_chatcomp_set": "x"}}}},
            'items["q1"].metadata.pulumi_chatcomp_set',
            "reserved",
            id="reserved-key",
        ),
        pytest.param(
            {"items": {"q1": {**_ask("Hi"), "metadata": {f"k{i}": "v" for i in range(14)}}}},
            'items["q1"].metadata',
            "reserved by pulumi-chatcomp",
            id="fourteen-pairs-and-the-shared-one",
        ),
        pytest.param({"items": {"": _ask("Hi")}}, 'items[""]', "non-empty", id="empty-key"),
        pytest.param({"items_file": "{nope\n"}, "items_file line 1", "is not JSON", id="json"),
        pytest.param(
            {"items_file": json.dumps(_ask("no key")) + "\n"},
            "items_file line 1: key",
            "non-empty string",
            id="no-key",
        ),
        pytest.param(
            {"items": {"q1": _ask("A")}, "items_file": json.dumps({"key": "q1", **_ask("B")})},
            'items_file line 1 ("q1")',
            "given twice",
            id="twice",
        ),
    ],
)
def test_each_problem_names_the_item_by_its_key(
    inputs: dict[str, Any], path: str, words: str
) -> None:
    _, problems = expand({**SHARED, **inputs})
    assert [p.path for p in problems][:1] == [path]
    assert words in problems[0].message
    assert problems[0].message.startswith(path)


def test_a_file_with_a_mistake_per_line_lists_a_few_and_counts_the_rest() -> None:
    lines = "\n".join(json.dumps({"key": f"k{i}", "messages": []}) for i in range(500))
    _, problems = expand({**SHARED, "messages": None, "items_file": lines})
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == f"and {500 - MAX_PROBLEMS} more problems"


def test_fingerprints_move_with_what_makes_the_item_and_apart_with_its_metadata() -> None:
    def fingerprint(**change: Any) -> str:
        inputs = {**SHARED, "items": {"q1": {**_ask("Hi"), **change.pop("item", {})}}, **change}
        (item,), _ = expand(inputs)
        assert item.fingerprint is not None
        return item.fingerprint

    base = fingerprint()
    made, metadata = base.split(".")
    assert fingerprint() == base  # the same every time
    assert fingerprint(temperature=0.2000) == base  # 0.2 and 0.2000 are one number
    assert fingerprint(temperature=0.5).split(".")[0] != made
    assert fingerprint(triggers={"rotate": "1"}).split(".")[0] != made
    assert fingerprint(item={"regenerate": "2"}).split(".")[0] != made
    moved = fingerprint(item={"metadata": {"split": "test"}})
    assert moved.split(".")[0] == made and moved.split(".")[1] != metadata


def test_an_item_unknown_during_a_preview_has_no_fingerprint_and_no_problem() -> None:
    items, problems = expand({**SHARED, "items": {"q1": {"messages": UNKNOWN}}})
    assert problems == []
    assert items[0].fingerprint is None
