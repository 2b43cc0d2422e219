"""completion-budget: worst-case cost across the stack."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE, UNKNOWN_STRING_VALUE

from pulumi_chatcomp.policy import (
    DEFAULT_PRICES,
    Price,
    completion_budget_policy,
    estimate_input_tokens,
    price_for,
)

# $1 per 1M input tokens and $1,000 per 1M output tokens: output dominates, costs are easy.
PRICES = {"cheap": {"input": 1.0, "output": 1000.0}}


def _completion(name: str, output_tokens: int, *, n: int = 1) -> tuple[str, dict[str, Any]]:
    return name, {
        "model": "cheap-1",
        "messages": [{"role": "user", "content": "hi"}],
        "max_completion_tokens": output_tokens,
        "n": n,
    }


def _costs_in_message(message: str) -> list[tuple[str, float]]:
    listed = message.split("biggest: ", 1)[1]
    return [(name, float(cost)) for name, cost in re.findall(r"(\S+) \$([0-9.,]+) \(", listed)]


def test_under_budget_passes(run_stack: Callable[..., Any]) -> None:
    resources = [_completion("a", 1000), _completion("b", 2000)]
    outcome = run_stack(completion_budget_policy(), resources, {"budgetUsd": 5, "prices": PRICES})
    assert outcome.violations == []


def test_over_budget_lists_top_five_contributors_biggest_first(
    run_stack: Callable[..., Any],
) -> None:
    # Output costs $1 per 1,000 tokens; sizes chosen so that the order is not the input order.
    sizes = {"c1": 3000, "c2": 9000, "c3": 1000, "c4": 7000, "c5": 2000, "c6": 8000, "c7": 500}
    resources = [_completion(name, size) for name, size in sizes.items()]
    outcome = run_stack(completion_budget_policy(), resources, {"budgetUsd": 20, "prices": PRICES})
    assert len(outcome.violations) == 1
    message = outcome.violations[0]
    assert "this stack's 7 chat completions" in message
    assert "over the budget of $20.0000 (policy config budgetUsd)" in message
    listed = _costs_in_message(message)
    assert [name for name, _ in listed] == ["c2", "c6", "c4", "c1", "c5"]
    assert [cost for _, cost in listed] == sorted((cost for _, cost in listed), reverse=True)
    assert listed[0][1] == pytest.approx(9.0, abs=0.001)


def test_total_counts_input_once_and_output_per_choice(run_stack: Callable[..., Any]) -> None:
    props = {"model": "cheap", "messages": [{"role": "user", "content": "x" * 4000}]}
    props |= {"max_completion_tokens": 1000, "n": 3}
    outcome = run_stack(
        completion_budget_policy(), [("big", props)], {"budgetUsd": 0.001, "prices": PRICES}
    )
    input_tokens = estimate_input_tokens(props, non_text_part_tokens=0)
    expected = (input_tokens * 1.0 + 3000 * 1000.0) / 1_000_000
    assert f"is ${expected:,.4f}" in outcome.violations[0]
    assert f"~{input_tokens:,} input + 1,000 x 3 output tokens" in outcome.violations[0]


@pytest.mark.parametrize(
    ("config", "over"),
    [
        pytest.param({"budgetUsd": 16.0}, True, id="default-cap-16384-counts"),
        pytest.param({"budgetUsd": 17.0}, False, id="default-cap-within-budget"),
        pytest.param({"budgetUsd": 1.5, "uncappedOutputTokens": 1000}, False, id="config-cap"),
    ],
)
def test_uncapped_completion_counts_the_default_cap(
    config: dict[str, Any], over: bool, run_stack: Callable[..., Any]
) -> None:
    props = {"model": "cheap", "messages": [{"role": "user", "content": "hi"}]}
    outcome = run_stack(completion_budget_policy(), [("open", props)], config | {"prices": PRICES})
    assert bool(outcome.violations) is over
    if over:
        assert "no token cap so the default cap was assumed" in outcome.violations[0]


def test_non_text_parts_count_the_configured_tokens() -> None:
    messages = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}]
    props = {"messages": messages}
    with_images = estimate_input_tokens(props, non_text_part_tokens=1000)
    without = estimate_input_tokens(props, non_text_part_tokens=0)
    assert with_images - without == 1000


def test_input_estimate_is_a_quarter_of_the_characters_plus_overheads() -> None:
    props = {"messages": [{"role": "user", "content": "x" * 10}, {"role": "user", "content": "y"}]}
    assert estimate_input_tokens(props, non_text_part_tokens=0) == 3 + 2 * 4 + math.ceil(10 / 4) + 1


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        pytest.param("gpt-4o-mini-2024-07-18", DEFAULT_PRICES["gpt-4o-mini"], id="longest-prefix"),
        pytest.param("gpt-4o-2024-11-20", DEFAULT_PRICES["gpt-4o"], id="shorter-prefix"),
        pytest.param("gpt-4.1-nano", DEFAULT_PRICES["gpt-4.1-nano"], id="exact"),
        pytest.param("my-fine-tune", DEFAULT_PRICES["*"], id="star-fallback"),
    ],
)
def test_price_lookup(model: str, expected: Price) -> None:
    assert price_for(model, DEFAULT_PRICES) == expected


def test_unpriced_model_is_reported_and_left_out(run_stack: Callable[..., Any]) -> None:
    resources = [_completion("priced", 1000), ("odd", {"model": "llama-3", "messages": []})]
    outcome = run_stack(completion_budget_policy(), resources, {"prices": PRICES})
    assert outcome.violations == [
        "odd: model 'llama-3' has no price in policy config prices and is left out of the "
        "total; add its name or a prefix of it (or a * entry)"
    ]


def test_completion_without_a_model_is_not_counted(run_stack: Callable[..., Any]) -> None:
    resources = [("no-model", {"messages": [], "max_completion_tokens": 10**9})]
    outcome = run_stack(completion_budget_policy(), resources, {"budgetUsd": 1})
    assert outcome.violations == []


def test_other_resource_types_are_ignored(run_stack: Callable[..., Any]) -> None:
    resources = [("bucket", {"model": "x"}, "aws:s3/bucket:Bucket"), _completion("a", 1000)]
    outcome = run_stack(completion_budget_policy(), resources, {"budgetUsd": 5, "prices": PRICES})
    assert outcome.violations == []


def test_unknown_values_leave_a_note_and_known_total_is_still_checked(
    run_stack: Callable[..., Any],
) -> None:
    unknown_model = ("later", {"model": UNKNOWN_STRING_VALUE, "max_completion_tokens": 10})
    unknown_n = ("many", {"model": "cheap", "max_completion_tokens": 10, "n": UNKNOWN_NUMBER_VALUE})
    resources = [_completion("big", 9000), unknown_model, unknown_n]
    outcome = run_stack(completion_budget_policy(), resources, {"budgetUsd": 5, "prices": PRICES})
    assert len(outcome.violations) == 1
    assert "this stack's 1 chat completions" in outcome.violations[0]
    assert outcome.unknown_note is not None
    assert "model of later" in outcome.unknown_note
    assert "n of many" in outcome.unknown_note
    # A stack rule runs after the creates in `pulumi up`: the note must not promise otherwise.
    assert "only after creating the completions" in outcome.unknown_note


def test_constructor_arguments_set_defaults(run_stack: Callable[..., Any]) -> None:
    policy = completion_budget_policy(budget_usd=0.5, prices={"cheap": Price(1.0, 1000.0)})
    assert len(run_stack(policy, [_completion("a", 1000)]).violations) == 1


def test_default_enforcement_level_is_mandatory() -> None:
    assert completion_budget_policy().enforcement_level is EnforcementLevel.MANDATORY
