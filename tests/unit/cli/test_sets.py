"""The completions of a stack's set, as export lists them: the set's members only, once each,
in creation order across its lists, at most --limit; the members none finds are named."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from pulumi_chatcomp.cli._sets import SetSelection, filters
from pulumi_chatcomp.core._reads import CompletionsQuery

# What the API would list for each query: (id, created).
BY_TAG = [("a", 1), ("c", 3), ("stranger", 4), ("e", 5)]
BY_SELECTOR = [("b", 2), ("c", 3), ("d", 4)]


def _selection(ids: str, *, order: str | None = None, limit: int | None = None) -> SetSelection:
    queries = (
        CompletionsQuery.of(set_tag="tag", order=order),
        CompletionsQuery.of(metadata={"dataset": "evals"}, order=order),
    )
    return SetSelection("evals", frozenset(ids), queries, limit)


def _list(query: CompletionsQuery) -> Iterable[dict[str, Any]]:
    listed = BY_TAG if query.set_tag else BY_SELECTOR
    ordered = listed[::-1] if query.order == "desc" else listed
    return ({"id": i, "created": c} for i, c in ordered)


def _run(selection: SetSelection) -> tuple[list[str], list[list[str]]]:
    missing: list[list[str]] = []
    listed = selection.listed(
        _list, lambda c: c["id"], lambda c: c["created"], on_missing=missing.append
    )
    return [c["id"] for c in listed], missing


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        pytest.param(None, ["a", "b", "c", "d", "e"], id="asc"),
        pytest.param("desc", ["e", "d", "c", "b", "a"], id="desc"),
    ],
)
def test_members_of_both_lists_once_each_in_creation_order(
    order: str | None, expected: list[str]
) -> None:
    assert _run(_selection("abcde", order=order)) == (expected, [])


def test_a_member_no_list_finds_is_named_and_a_stranger_is_left_out() -> None:
    assert _run(_selection("abcz")) == (["a", "b", "c"], [["z"]])


def test_limit_caps_the_members_and_names_no_missing_one_it_did_not_look_for() -> None:
    assert _run(_selection("abcdez", limit=2)) == (["a", "b"], [])


def test_the_lists_filters_carry_the_sets_tag() -> None:
    query = CompletionsQuery.of(model="gpt-4o-mini", metadata={"split": "test"}, set_tag="t")
    assert filters(query)["metadata"] == {"split": "test", "pulumi_chatcomp_set": "t"}
