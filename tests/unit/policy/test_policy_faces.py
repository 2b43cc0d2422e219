"""Both faces' completions, read the same: the provider plugin's properties have its schema's
camelCase names (or, in a stack made before those, the API's), the dynamic resource's the
API's; every rule finds the same in each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy import ResourceValidationPolicy

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN, TYPE_TOKEN
from pulumi_chatcomp.plugin._casing import package_names
from pulumi_chatcomp.policy import all_policies, completion_budget_policy

# Breaks most rules at once, in the API's names.
BREAKER: dict[str, Any] = {
    "model": "gpt-4o",
    "messages": [
        {"role": "function", "name": "f", "content": "AKIAIOSFODNN7EXAMPLE"},
        {"role": "assistant", "content": None, "function_call": {"name": "f", "arguments": "{}"}},
    ],
    "max_completion_tokens": 9000,
    "max_tokens": 10,
    "temperature": 1.9,
    "top_p": 0.5,
    "store": False,
    "metadata": {"owner": "someone"},
}


def _resource_policies() -> list[ResourceValidationPolicy]:
    return [p for p in all_policies() if isinstance(p, ResourceValidationPolicy)]


@pytest.mark.parametrize("policy", _resource_policies(), ids=lambda p: p.name)
def test_each_rule_finds_the_same_in_a_plugin_completion(
    policy: ResourceValidationPolicy, run_resource: Callable[..., Any]
) -> None:
    dynamic = run_resource(policy, BREAKER, resource_type=TYPE_TOKEN)
    camel = package_names().resource.to_schema(BREAKER)
    assert "maxCompletionTokens" in camel
    plugin = run_resource(policy, camel, resource_type=PLUGIN_TYPE_TOKEN)
    before = run_resource(policy, BREAKER, resource_type=PLUGIN_TYPE_TOKEN)
    assert plugin.violations == dynamic.violations == before.violations


def test_every_rule_finds_something_in_the_breaker(run_resource: Callable[..., Any]) -> None:
    # So the comparison above compares findings, not silences.
    silent = [
        p.name
        for p in _resource_policies()
        if not run_resource(p, BREAKER, resource_type=TYPE_TOKEN).violations
    ]
    assert silent == []


def test_the_budget_reads_plugin_completions_in_either_form(
    run_stack: Callable[..., Any],
) -> None:
    policy = completion_budget_policy()
    big = {**BREAKER, "store": True, "max_completion_tokens": 90_000_000, "n": 1}
    camel = package_names().resource.to_schema(big)
    dynamic = run_stack(policy, [("a", big, TYPE_TOKEN)])
    plugin = run_stack(policy, [("a", camel, PLUGIN_TYPE_TOKEN)])
    assert dynamic.violations and plugin.violations == dynamic.violations
