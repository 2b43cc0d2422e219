"""The list's arguments, checked once, and the query string they make (client._query)."""

from __future__ import annotations

import pytest

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.client._query import ListQuery
from pulumi_chatcomp.core._reads import CompletionsQuery


def test_the_query_string_is_the_checked_arguments() -> None:
    query = ListQuery.of(" gpt-4o-mini ", {"team": "ml", "split": "test"}, "asc", 5)
    assert query.params() == {
        "model": "gpt-4o-mini",
        "metadata[team]": "ml",
        "metadata[split]": "test",
        "order": "asc",
    }
    assert query.limit == 5
    assert ListQuery.of(None, None, None, None).params() == {}


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        pytest.param(("", None, None, None), "model", id="model"),
        pytest.param((None, {"k": 1}, None, None), "metadata", id="metadata"),
        pytest.param((None, None, "sideways", None), "order", id="order"),
        pytest.param((None, None, None, 0), "limit", id="limit"),
    ],
)
def test_a_bad_argument_is_named(arguments: tuple[object, ...], named: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        ListQuery.of(*arguments)
    assert caught.value.argument.startswith(named)


def test_a_sets_query_string_filters_on_its_tag_too() -> None:
    query = CompletionsQuery.of(metadata={"split": "test"}, set_tag="t1")
    assert query.params() == {"metadata[split]": "test", "metadata[pulumi_chatcomp_set]": "t1"}
