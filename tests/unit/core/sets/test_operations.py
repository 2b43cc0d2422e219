"""A set's lifecycle against an in-memory API: exactly the requests each plan needs, one list
by the set's tag where a list stands in for many look-ups, and every item that worked kept
when some fail."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_chatcomp.client._idempotency import IDEMPOTENCY_METADATA_KEY, SET_METADATA_KEY
from pulumi_chatcomp.core._sets._items import expand
from pulumi_chatcomp.core._sets._operations import (
    SET_TAG,
    PartialSetFailure,
    check_set,
    create_set,
    delete_set,
    diff_set,
    read_set,
    update_set,
)
from pulumi_chatcomp.core._sets._run import item_token
from tests.unit.client.helpers import completion_body
from tests.unit.core.sets.fake_api import FakeAPI


def _items(*questions: str) -> dict[str, Any]:
    return {q: {"messages": [{"role": "user", "content": q}]} for q in questions}


def _inputs(items: dict[str, Any], **shared: Any) -> dict[str, Any]:
    checked, problems = check_set(
        {"model": "gpt-4o-mini", "metadata": {"dataset": "faq"}, "items": items, **shared},
        identity="provider-1/urn:pulumi:dev::app::chatcomp:index:ChatCompletionSet::evals",
    )
    assert problems == []
    return checked


def test_a_first_up_makes_every_item_after_one_list_of_the_tag(api: FakeAPI, client: Any) -> None:
    inputs = _inputs(_items("a", "b", "c"))
    set_id, outputs = create_set(client, inputs, concurrency=4)
    assert set_id == f"set-{inputs[SET_TAG]}"
    assert api.calls == {"list": 1, "create": 3}  # no look-up per item
    assert sorted(outputs["results"]) == ["a", "b", "c"]
    assert outputs["count"] == 3 and outputs["usage"]["total_tokens"] == 12
    assert {c["metadata"][SET_METADATA_KEY] for c in api.stored.values()} == {inputs[SET_TAG]}
    assert "messages" not in json.dumps(outputs)  # the items' inputs are the engine's


def test_a_first_up_after_a_killed_one_keeps_one_completion_per_item(
    api: FakeAPI, client: Any
) -> None:
    """A killed run stored "a" twice (the same request: its token), "b" from a request the
    program has since edited, and "z", an item the program no longer has. The newest "a"
    is adopted, not made again; the rest is made and every other completion deleted."""
    inputs = _inputs(_items("a", "b"))
    tag = inputs[SET_TAG]
    fingerprints = {item.key: item.fingerprint for item in expand(inputs)[0]}
    killed = {
        "old-a": item_token(tag, "a", fingerprints["a"], None),
        "new-a": item_token(tag, "a", fingerprints["a"], None),
        "edited-b": item_token(tag, "b", "an-older-request", None),
        "gone-z": item_token(tag, "z", "fp", None),
    }
    for cid, token in killed.items():
        api.stored[cid] = completion_body(
            cid, metadata={SET_METADATA_KEY: tag, IDEMPOTENCY_METADATA_KEY: token}
        )
    _, outputs = create_set(client, inputs, concurrency=2)
    assert outputs["results"]["a"]["id"] == "new-a"
    assert api.calls["create"] == 1  # b alone
    assert set(api.stored) == {r["id"] for r in outputs["results"].values()}  # nothing else


def test_an_edit_makes_exactly_what_it_changes(api: FakeAPI, client: Any) -> None:
    _, outputs = create_set(
        client, _inputs(_items("keep", "again", "moved", "gone")), concurrency=4
    )
    news = _inputs(
        {
            **_items("keep", "new"),
            "again": {"messages": [{"role": "user", "content": "again, edited"}]},
            "moved": {"messages": [{"role": "user", "content": "moved"}], "metadata": {"x": "1"}},
        }
    )
    set_plan = diff_set(outputs, news)
    assert (set_plan.create, set_plan.replace, set_plan.update, set_plan.delete) == (
        ("new",),
        ("again",),
        ("moved",),
        ("gone",),
    )
    api.calls.clear()
    after = update_set(client, "set-x", outputs, news, concurrency=4)
    # Two creates, each with its look-up; one update; the old "again" and "gone" deleted.
    assert api.calls == {"create": 2, "list": 2, "update": 1, "delete": 2}
    assert after["results"]["keep"]["id"] == outputs["results"]["keep"]["id"]
    assert after["results"]["moved"]["id"] == outputs["results"]["moved"]["id"]
    assert set(api.stored) == {r["id"] for r in after["results"].values()}
    moved = api.stored[after["results"]["moved"]["id"]]["metadata"]
    assert moved == {"dataset": "faq", "x": "1", SET_METADATA_KEY: news[SET_TAG]}
    assert not diff_set(after, news).changed


def test_items_that_fail_are_named_and_the_others_kept(api: FakeAPI, client: Any) -> None:
    with pytest.raises(PartialSetFailure) as caught:
        create_set(client, _inputs(_items("a", "fail", "b")), concurrency=2)
    failure = caught.value
    assert failure.failed == ["fail"]
    assert 'items["fail"]' in str(failure) and "this one is refused" in str(failure)
    assert "The 2 items that worked are kept" in str(failure)
    assert sorted(failure.outputs["results"]) == ["a", "b"]
    assert set(api.stored) == {r["id"] for r in failure.outputs["results"].values()}


def test_a_refresh_lists_the_tag_once_and_reads_only_what_the_list_misses(
    api: FakeAPI, client: Any
) -> None:
    _, outputs = create_set(client, _inputs(_items("a", "b", "c", "d")), concurrency=4)
    ids = {k: r["id"] for k, r in outputs["results"].items()}
    del api.stored[ids["a"]]  # deleted out of band
    api.stored[ids["b"]]["metadata"] = {"dataset": "faq", "split": "train"}  # tag dropped too
    api.stored[ids["c"]]["metadata"] = {**api.stored[ids["c"]]["metadata"], "more": "1"}
    api.calls.clear()
    found = read_set(client, outputs)
    assert api.calls == {"list": 1, "retrieve": 2}  # the list misses "a" and "b"
    assert sorted(found["results"]) == ["b", "c", "d"]
    news = _inputs(_items("a", "b", "c", "d"))
    set_plan = diff_set(found, news)
    assert (set_plan.create, set_plan.update) == (("a",), ("b", "c"))


def test_a_delete_deletes_every_item_and_takes_gone_ones_as_deleted(
    api: FakeAPI, client: Any
) -> None:
    _, outputs = create_set(client, _inputs(_items("a", "b", "c")), concurrency=4)
    del api.stored[outputs["results"]["a"]["id"]]
    delete_set(client, outputs, concurrency=2)
    assert api.stored == {}
