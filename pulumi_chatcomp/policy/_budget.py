"""completion-budget: the stack's chat completions, those of its sets' items included, stay
within a worst-case cost budget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, StackValidationPolicy

from pulumi_chatcomp._exceptions import PolicyConfigError
from pulumi_chatcomp.core._prices import PRICE_KEYS, parse_prices
from pulumi_chatcomp.policy._adapter import Completion, stack_validation
from pulumi_chatcomp.policy._config import (
    config_count,
    config_number,
    number_schema,
)
from pulumi_chatcomp.policy._pricing import (
    DEFAULT_NON_TEXT_PART_TOKENS,
    DEFAULT_PRICES,
    DEFAULT_UNCAPPED_OUTPUT_TOKENS,
    CostEstimate,
    Price,
    estimate_cost,
    price_for,
    unknown_cost_inputs,
)
from pulumi_chatcomp.policy._sets import some_items
from pulumi_chatcomp.policy._values import Findings

NAME: Final = "completion-budget"
DEFAULT_BUDGET_USD: Final = 10.0
TOP_CONTRIBUTORS: Final = 5


def _usd(amount: float) -> str:
    return f"${amount:,.4f}"


def _tokens(estimate: CostEstimate) -> str:
    cap = "" if estimate.capped else ", no token cap so the default cap was assumed"
    return (
        f"{estimate.model}, ~{estimate.input_tokens:,} input + "
        f"{estimate.output_tokens:,} x {estimate.n} output tokens{cap}"
    )


def _describe(estimates: Sequence[tuple[Completion, CostEstimate]]) -> str:
    """One resource's contribution: a completion's, or a set's items' (with its biggest)."""
    completion, estimate = max(estimates, key=lambda pair: pair[1].cost)
    if completion.item is None:
        return f"{completion.name} {_usd(estimate.cost)} ({_tokens(estimate)})"
    total = sum(cost.cost for _, cost in estimates)
    count = f"{len(estimates):,} item{'s' if len(estimates) != 1 else ''}"
    return (
        f"{completion.name} {_usd(total)} ({count}; the biggest, {completion.item.path}, "
        f"{_usd(estimate.cost)}: {_tokens(estimate)})"
    )


def check_completion_budget(
    completions: Sequence[Completion],
    *,
    budget_usd: float,
    prices: Mapping[str, Price] = DEFAULT_PRICES,
    uncapped_output_tokens: int = DEFAULT_UNCAPPED_OUTPUT_TOKENS,
    non_text_part_tokens: int = DEFAULT_NON_TEXT_PART_TOKENS,
) -> Findings:
    """Report a stack whose completions' total worst-case cost is over ``budget_usd``.

    The message lists the biggest contributors: completions, and sets (all their items).
    A completion whose model has no price is reported on its own and left out of the total,
    as is one with no model at all (which the provider rejects); one with values unknown
    during preview is left out and named in ``Findings.unknown``, so a total over budget is
    still reported (the unknown ones can only add to it).

    >>> check_completion_budget([], budget_usd=1.0).ok
    True
    """
    findings = Findings()
    unknown: dict[str, None] = {}
    unpriced: dict[tuple[str, str], list[Completion]] = {}
    by_resource: dict[str, list[tuple[Completion, CostEstimate]]] = {}
    for completion in completions:
        paths = unknown_cost_inputs(completion.props)
        if paths:
            unknown.update(dict.fromkeys(completion.named(path) for path in paths))
            continue
        model = completion.props.get("model")
        if not isinstance(model, str):
            # Without a model there is nothing to price; the provider rejects it anyway.
            continue
        price = price_for(model, prices)
        if price is None:
            unpriced.setdefault((completion.name, model), []).append(completion)
            continue
        estimate = estimate_cost(
            completion.props,
            price,
            uncapped_output_tokens=uncapped_output_tokens,
            non_text_part_tokens=non_text_part_tokens,
        )
        by_resource.setdefault(completion.urn, []).append((completion, estimate))
    findings.unknown.extend(unknown)
    for (name, model), which in unpriced.items():
        items = [c.item for c in which if c.item is not None]
        findings.violations.append(
            f"{name}{f' ({some_items(items)})' if items else ''}: model {model!r} has no price "
            "in policy config prices and is left out of the total; add its name or a prefix "
            "of it (or a * entry)"
        )
    total = sum(e.cost for estimates in by_resource.values() for _, e in estimates)
    if total > budget_usd:
        count = sum(len(estimates) for estimates in by_resource.values())
        biggest = sorted(
            by_resource.values(), key=lambda pairs: sum(e.cost for _, e in pairs), reverse=True
        )
        listed = "; ".join(_describe(estimates) for estimates in biggest[:TOP_CONTRIBUTORS])
        findings.violations.insert(
            0,
            f"the worst-case cost of this stack's {count:,} chat completions is "
            f"{_usd(total)}, over the budget of {_usd(budget_usd)} (policy config budgetUsd); "
            f"biggest: {listed}. Lower max_completion_tokens or n, or use cheaper models",
        )
    return findings


def config_prices(config: Mapping[str, Any], default: Mapping[str, Price]) -> Mapping[str, Price]:
    """The ``prices`` table from policy config, which replaces ``default`` entirely."""
    value = config.get("prices")
    if value is None:
        return default
    try:
        return parse_prices(value)
    except ValueError as error:
        separator = "" if str(error).startswith("[") else " "
        raise PolicyConfigError(f"policy config prices{separator}{error}") from None


def _prices_schema(default: Mapping[str, Price]) -> dict[str, Any]:
    price = {"type": "number", "minimum": 0}
    return {
        "type": "object",
        "description": (
            "US dollars per 1M tokens by model-name prefix (longest prefix wins; * matches "
            "any other model). Replaces the built-in table."
        ),
        "additionalProperties": {
            "type": "object",
            "properties": {"input": price, "output": price, "cached_input": price},
            "required": list(PRICE_KEYS),
        },
        "default": {
            prefix: {"input": entry.input, "output": entry.output}
            | ({} if entry.cached_input is None else {"cached_input": entry.cached_input})
            for prefix, entry in default.items()
        },
    }


def completion_budget_policy(
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
    budget_usd: float = DEFAULT_BUDGET_USD,
    prices: Mapping[str, Price] = DEFAULT_PRICES,
    uncapped_output_tokens: int = DEFAULT_UNCAPPED_OUTPUT_TOKENS,
    non_text_part_tokens: int = DEFAULT_NON_TEXT_PART_TOKENS,
) -> StackValidationPolicy:
    """The ``completion-budget`` stack policy.

    Config: ``budgetUsd``, ``prices``, ``uncappedOutputTokens``, ``nonTextPartTokens``.

    >>> completion_budget_policy(budget_usd=2.5).name
    'completion-budget'
    """

    def validate_completion_budget(
        completions: Sequence[Completion], config: Mapping[str, Any]
    ) -> Findings:
        return check_completion_budget(
            completions,
            budget_usd=config_number(config, "budgetUsd", budget_usd),
            prices=config_prices(config, prices),
            uncapped_output_tokens=config_count(
                config, "uncappedOutputTokens", uncapped_output_tokens
            ),
            non_text_part_tokens=config_count(config, "nonTextPartTokens", non_text_part_tokens),
        )

    return StackValidationPolicy(
        name=NAME,
        description=(
            "The worst-case cost of all chat completions in the stack must stay within budget."
        ),
        enforcement_level=enforcement_level,
        config_schema=PolicyConfigSchema(
            properties={
                "budgetUsd": number_schema(
                    "Most the stack's completions may cost, in US dollars, in the worst case.",
                    budget_usd,
                    minimum=0,
                ),
                "prices": _prices_schema(prices),
                "uncappedOutputTokens": number_schema(
                    "Output tokens per choice assumed for a completion with no token cap.",
                    uncapped_output_tokens,
                    minimum=0,
                    integer=True,
                ),
                "nonTextPartTokens": number_schema(
                    "Input tokens assumed for each image, audio or file content part.",
                    non_text_part_tokens,
                    minimum=0,
                    integer=True,
                ),
            }
        ),
        validate=stack_validation(validate_completion_budget),
    )
