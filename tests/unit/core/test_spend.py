"""Spend: tokens and cost per model and per metadata value, as the usage details say."""

from __future__ import annotations

import pytest

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN, TYPE_TOKEN
from pulumi_chatcomp.core._prices import DEFAULT_PRICES, Price
from pulumi_chatcomp.core._spend import Spent, spend_of, spent_from_api, spent_from_state
from pulumi_chatcomp.plugin._casing import package_names

CACHED = {
    "prompt_tokens": 2_000,
    "completion_tokens": 1_000,
    "prompt_tokens_details": {"cached_tokens": 1_500},
    "completion_tokens_details": {"reasoning_tokens": 800},
}


def test_cached_prompt_tokens_cost_the_cached_rate_and_reasoning_counts_as_output() -> None:
    prices = {"o4": Price(input=1.0, output=4.0, cached_input=0.25)}
    spend = spend_of([Spent("o4-mini", CACHED)], prices)
    # 500 fresh at $1, 1,500 cached at $0.25, 1,000 out (800 of them reasoning) at $4; per 1M.
    assert spend.total.cost_usd == pytest.approx((500 * 1.0 + 1_500 * 0.25 + 1_000 * 4.0) / 1e6)
    assert (spend.total.cached_tokens, spend.total.reasoning_tokens) == (1_500, 800)


def test_without_a_cached_price_cached_tokens_cost_the_input_price() -> None:
    spend = spend_of([Spent("m", CACHED)], {"m": Price(1.0, 4.0)})
    assert spend.total.cost_usd == pytest.approx((2_000 * 1.0 + 1_000 * 4.0) / 1e6)


def test_groups_by_model_and_by_each_metadata_value() -> None:
    usage = {"prompt_tokens": 10, "completion_tokens": 5}
    spent = [
        Spent("gpt-4o-mini-2024-07-18", usage, {"team": "ml", "stage": "dev"}),
        Spent("gpt-4o-mini-2024-07-18", usage, {"team": "ml"}),
        Spent("gpt-4o-2024-08-06", usage, {"team": "web"}),
    ]
    spend = spend_of(spent)
    assert {m: t.completions for m, t in spend.by_model.items()} == {
        "gpt-4o-mini-2024-07-18": 2,
        "gpt-4o-2024-08-06": 1,
    }
    assert {v: t.prompt_tokens for v, t in spend.by_metadata["team"].items()} == {
        "ml": 20,
        "web": 10,
    }
    assert spend.by_model["gpt-4o-2024-08-06"].cost_usd == pytest.approx(
        DEFAULT_PRICES["gpt-4o"].cost(10, 5)
    )
    only = spend_of(spent, metadata_keys={"stage"})
    assert set(only.by_metadata) == {"stage"}


def test_a_model_without_a_price_is_counted_and_listed_never_free() -> None:
    spend = spend_of([Spent("mystery", {"prompt_tokens": 7})], {"gpt-4o": Price(1, 1)})
    assert spend.total.unpriced == 1 and spend.total.cost_usd == 0
    assert spend.total.prompt_tokens == 7


@pytest.mark.parametrize("type_", [TYPE_TOKEN, PLUGIN_TYPE_TOKEN])
def test_state_resources_of_both_faces_count_and_others_do_not(type_: str) -> None:
    outputs = {"model": "gpt-4o-mini", "response_model": "gpt-4o-mini-2024-07-18"}
    resource = {"type": type_, "outputs": {**outputs, "usage": CACHED, "metadata": {"k": "v"}}}
    spent = spent_from_state(resource)
    assert spent == Spent("gpt-4o-mini-2024-07-18", CACHED, {"k": "v"})
    assert spent_from_state({**resource, "delete": True}) is None
    assert spent_from_state({**resource, "type": "random:index:Id"}) is None


def test_api_completions_are_priced_by_the_model_that_answered() -> None:
    completion = {"model": "gpt-4o-mini-2024-07-18", "usage": CACHED, "metadata": None}
    assert spent_from_api(completion) == Spent("gpt-4o-mini-2024-07-18", CACHED, {})


def test_a_plugin_completion_counts_in_the_schemas_names_too() -> None:
    # The schema's names, as the plugin writes them; the test above has the API's names.
    camel = package_names().resource.to_schema({"usage": CACHED})["usage"]
    assert "promptTokensDetails" in camel
    outputs = {"model": "gpt-4o-mini", "responseModel": "gpt-4o-mini-2024-07-18"}
    resource = {"type": PLUGIN_TYPE_TOKEN, "outputs": {**outputs, "usage": camel}}
    assert spent_from_state(resource) == Spent("gpt-4o-mini-2024-07-18", CACHED, {})
