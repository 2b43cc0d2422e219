"""A set's plan: per key, from fingerprints, with no API call."""

from __future__ import annotations

from pulumi_chatcomp.core._sets._items import Item
from pulumi_chatcomp.core._sets._plan import SetPlan, plan

OLD = {
    "same": {"id": "c1", "fingerprint": "r1.m1"},
    "moved": {"id": "c2", "fingerprint": "r2.m2"},
    "again": {"id": "c3", "fingerprint": "r3.m3"},
    "gone": {"id": "c4", "fingerprint": "r4.m4"},
}


def test_each_key_is_created_made_again_updated_deleted_or_left() -> None:
    items = [
        Item("same", {}, "r1.m1"),
        Item("moved", {}, "r2.mX"),
        Item("again", {}, "rX.m3"),
        Item("new", {}, "r5.m5"),
    ]
    found = plan(OLD, items)
    assert found == SetPlan(
        create=("new",), replace=("again",), update=("moved",), delete=("gone",), same=1
    )
    assert found.changes() == {
        'items["new"]': "create",
        'items["again"]': "replace",
        'items["moved"]': "update",
        'items["gone"]': "delete",
    }


def test_an_unchanged_set_plans_nothing() -> None:
    items = [Item(key, {}, value["fingerprint"]) for key, value in OLD.items()]
    assert not plan(OLD, items).changed


def test_an_item_unknown_during_a_preview_counts_as_made_again() -> None:
    assert plan(OLD, [Item("same", {}, None)]).replace == ("same",)
