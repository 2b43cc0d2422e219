"""An item's request, as every reader of a set makes it (check, the policy pack, the report):
the shared fields with the item's own, what is not known yet kept unknown."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp.core._sets._items import expand, item_request

PREFIX = [{"role": "developer", "content": "Answer briefly."}]
OWN = [{"role": "user", "content": "Where is my order?"}]


@pytest.mark.parametrize(
    ("shared", "own", "name"),
    [
        pytest.param({"messages": UNKNOWN}, {"messages": OWN}, "messages", id="shared-messages"),
        pytest.param({"messages": PREFIX}, {"messages": UNKNOWN}, "messages", id="own-messages"),
        pytest.param({"metadata": UNKNOWN}, {"metadata": {"k": "v"}}, "metadata", id="metadata"),
    ],
)
def test_a_part_not_known_yet_leaves_the_whole_unknown(
    shared: dict[str, Any], own: dict[str, Any], name: str
) -> None:
    # Not the item's own part alone, which would read as the whole request.
    assert item_request(shared, own)[name] == UNKNOWN
    (item,) = expand({"model": "m", **shared, "items": {"q": {**own}}}, validate=False)[0]
    assert item.fingerprint is None  # planned as unknown, judged at up


def test_known_parts_are_joined_and_store_defaults_to_true() -> None:
    request = item_request(
        {"messages": PREFIX, "metadata": {"dataset": "faq"}, "model": "m"},
        {"messages": OWN, "metadata": {"split": "test"}, "store": True, "regenerate": "1"},
    )
    assert request == {
        "messages": [*PREFIX, *OWN],
        "metadata": {"dataset": "faq", "split": "test"},
        "model": "m",
        "store": True,
    }
