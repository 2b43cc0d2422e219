"""A ChatCompletionSet under the rules: every item checked as the completion it makes (the
set's shared fields with its own), each finding named by the item's key; the budget sums
every item of every set with every single completion."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import ResourceValidationPolicy
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from pulumi_chatcomp.plugin._casing import package_names
from pulumi_chatcomp.policy import (
    CHAT_COMPLETION_SET_TYPE,
    MAX_FINDINGS,
    UNKNOWN,
    all_policies,
    allowed_models_policy,
    check_allowed_models,
    check_set_items,
    completion_budget_policy,
    no_credentials_in_prompts_policy,
)
from tests.unit.policy.test_policy_faces import BREAKER

KEY = "AKIA" + "Z7Q3XK5PM2W9R4T8"  # assembled: the repository holds no key-shaped literal
# How the engine sends an asset: its signature, and a path or a text.
ASSET_SIG = {"4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17"}
SHARED: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "developer", "content": "Answer briefly."}],
    "max_completion_tokens": 64,
    "metadata": {"owner": "evals", "purpose": "faq"},
}


def _ask(text: str, **fields: Any) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}], **fields}


def _set(items: dict[str, Any], **shared: Any) -> dict[str, Any]:
    """A set's properties as the plugin's resource has them (camelCase)."""
    props = {**SHARED, **shared, "items": items}
    schema: dict[str, Any] = package_names().resources[CHAT_COMPLETION_SET_TYPE].to_schema(props)
    return schema


def _resource_policies() -> list[ResourceValidationPolicy]:
    return [p for p in all_policies() if isinstance(p, ResourceValidationPolicy)]


@pytest.mark.parametrize("policy", _resource_policies(), ids=lambda p: p.name)
def test_each_rule_checks_every_item_and_names_the_one_that_breaks_it(
    policy: ResourceValidationPolicy, run_resource: Callable[..., Any]
) -> None:
    # BREAKER breaks every rule; here it is one item's own fields, beside a compliant item.
    good = _ask("Where is my order?", metadata=SHARED["metadata"])
    props = _set({"good": good, "bad": {**BREAKER, "metadata": {"team": "x"}}}, metadata=None)
    outcome = run_resource(policy, props, resource_type=CHAT_COMPLETION_SET_TYPE, name="s1")
    assert outcome.violations, outcome
    assert all(v.startswith('items["bad"]') for v in outcome.violations), outcome.violations
    assert not any('items["good"]' in v for v in outcome.violations)
    assert outcome.unknown_note is None


def test_what_every_item_inherits_is_reported_once_for_the_whole_set(
    run_resource: Callable[..., Any],
) -> None:
    props = _set({f"q-{n}": _ask(f"Q{n}?") for n in range(500)}, model="gpt-4o")
    outcome = run_resource(
        allowed_models_policy(), props, resource_type=CHAT_COMPLETION_SET_TYPE, name="s2"
    )
    assert outcome.violations == [
        "all 500 items: model 'gpt-4o' is not allowed; use a model matching one of: "
        "gpt-4o-mini*, gpt-4.1-mini*, gpt-4.1-nano*, gpt-5-mini*, gpt-5-nano* "
        "(policy config allowedModels)"
    ]


def test_an_items_own_messages_are_numbered_after_the_shared_ones(
    run_resource: Callable[..., Any],
) -> None:
    items = {"q-1": _ask("Where?"), "q-2": _ask(f"My key is {KEY}")}
    outcome = run_resource(
        no_credentials_in_prompts_policy(),
        _set(items),
        resource_type=CHAT_COMPLETION_SET_TYPE,
        name="s3",
    )
    assert [v.split(" contains ")[0] for v in outcome.violations] == [
        'items["q-2"].messages[1].content'
    ]
    assert KEY not in " ".join(outcome.violations)
    # In the shared messages, it is the set's, said once for every item.
    shared = [{"role": "developer", "content": f"Use {KEY}."}]
    outcome = run_resource(
        no_credentials_in_prompts_policy(),
        _set(items, messages=shared),
        resource_type=CHAT_COMPLETION_SET_TYPE,
        name="s3",
    )
    assert [v.split(" contains ")[0] for v in outcome.violations] == [
        "all 2 items: messages[0].content",
        'items["q-2"].messages[1].content',
    ]


def test_a_finding_some_items_share_names_a_few_of_them_and_counts_the_rest() -> None:
    props = {"model": "gpt-4o-mini", "items": {f"q-{n}": {"model": "gpt-4o"} for n in range(7)}}
    props["items"]["q-ok"] = {}
    found = check_set_items(props, lambda r: check_allowed_models(r, allowed=["gpt-4o-mini"]))
    (violation,) = found.violations
    assert violation.startswith('items["q-0"], items["q-1"], items["q-2"] and 4 more: model')


def test_a_rule_lists_a_bounded_number_of_findings_per_set() -> None:
    models = {f"q-{n:03d}": {"model": f"gpt-4o-{n}"} for n in range(25)}
    found = check_set_items(
        {"model": "gpt-4o-mini", "items": models},
        lambda r: check_allowed_models(r, allowed=["gpt-4o-mini"]),
    )
    assert len(found.violations) == MAX_FINDINGS + 1
    assert found.violations[-1] == f"and {25 - MAX_FINDINGS} more findings"


def test_values_unknown_during_preview_are_named_by_item_and_never_guessed(
    run_resource: Callable[..., Any],
) -> None:
    items = {
        "known": _ask("Hi"),
        "late": _ask(UNKNOWN_STRING_VALUE),
        "whole": UNKNOWN_STRING_VALUE,
    }
    outcome = run_resource(
        no_credentials_in_prompts_policy(),
        _set(items),
        resource_type=CHAT_COMPLETION_SET_TYPE,
        name="s4",
    )
    assert outcome.violations == []
    assert outcome.unknown_note is not None
    assert 'cannot check items["whole"], items["late"].messages[1].content during preview' in (
        outcome.unknown_note
    )
    # A shared field every item inherits is the set's own path.
    outcome = run_resource(
        allowed_models_policy(),
        _set({"a": _ask("Hi"), "b": _ask("Ho")}, model=UNKNOWN_STRING_VALUE),
        resource_type=CHAT_COMPLETION_SET_TYPE,
        name="s4",
    )
    assert outcome.unknown_note is not None
    assert outcome.unknown_note.startswith("cannot check model during preview")


def _file_asset(path: str) -> dict[str, Any]:
    return {**ASSET_SIG, "path": path, "hash": "0" * 64}


def _lines(*items: dict[str, Any]) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def test_items_from_a_file_the_pack_can_read_are_checked(
    run_resource: Callable[..., Any], tmp_path: Path
) -> None:
    # File lines use the API's names, as the provider reads them.
    text = _lines({"key": "f-1", **_ask("Hi")}, {"key": "f-2", "model": "gpt-4o", **_ask("Ho")})
    absolute = tmp_path / "items.jsonl"
    absolute.write_text(text)
    for asset in ({**ASSET_SIG, "text": text}, _file_asset(str(absolute))):
        props = {**_set({"inline": _ask("Hey")}), "itemsFile": asset}
        outcome = run_resource(
            allowed_models_policy(), props, resource_type=CHAT_COMPLETION_SET_TYPE, name="s5"
        )
        assert [v.split(":")[0] for v in outcome.violations] == ['items["f-2"]'], asset
        assert outcome.unknown_note is None


def test_an_items_file_the_pack_cannot_see_is_said_not_passed(
    run_resource: Callable[..., Any], tmp_path: Path
) -> None:
    for path, why in (
        ("items.jsonl", "a path relative to the program's folder"),
        (str(tmp_path / "gone.jsonl"), "No such file or directory"),
    ):
        props = {**_set({"inline": _ask("Hey")}), "itemsFile": _file_asset(path)}
        outcome = run_resource(
            allowed_models_policy(), props, resource_type=CHAT_COMPLETION_SET_TYPE, name="s6"
        )
        assert outcome.violations == []
        # An advisory note (pulumi-policy shows an UnknownValueError so), not a pass.
        assert outcome.unknown_note is not None
        assert outcome.unknown_note.startswith(f"cannot check items_file {path!r} ({why}")


PRICES = {"cheap": {"input": 1.0, "output": 1000.0}}  # $1 per 1,000 output tokens


def test_the_budget_sums_every_item_of_every_set_and_every_completion(
    run_resource: Callable[..., Any], run_stack: Callable[..., Any], urn: Callable[..., str]
) -> None:
    items = {"q-1": _ask("Hi"), "q-2": _ask("Ho", max_completion_tokens=4000)}
    evals = _set(items, model="cheap-1", max_completion_tokens=1000)
    single = {"model": "cheap-1", "messages": [{"role": "user", "content": "hi"}]}
    single["max_completion_tokens"] = 2000
    policy = completion_budget_policy()
    # The engine runs the resource rules on the set's inputs first, then the stack rules.
    run_resource(
        allowed_models_policy(), evals, resource_type=CHAT_COMPLETION_SET_TYPE, name="evals"
    )
    outputs = {"results": {}, "count": 0, "usage": {}, "tag": "t"}
    outcome = run_stack(
        policy,
        [("evals", outputs, CHAT_COMPLETION_SET_TYPE), ("single", single)],
        {"budgetUsd": 6, "prices": PRICES},
    )
    (message,) = outcome.violations
    assert "this stack's 3 chat completions is $7.00" in message, message
    assert message.index("evals $5.00") < message.index("single $2.00"), message
    assert '(2 items; the biggest, items["q-2"], $4.00' in message
    assert urn("evals", CHAT_COMPLETION_SET_TYPE)  # the set's URN is what joined the two
    within = run_stack(
        policy,
        [("evals", outputs, CHAT_COMPLETION_SET_TYPE), ("single", single)],
        {"budgetUsd": 7.01, "prices": PRICES},
    )
    assert within.violations == [] and within.unknown_note is None


def test_the_budget_says_which_items_it_could_not_price(
    run_resource: Callable[..., Any], run_stack: Callable[..., Any]
) -> None:
    items = {"q-1": _ask(UNKNOWN_STRING_VALUE), "q-2": _ask("Ho"), "q-3": _ask("Hey")}
    evals = _set(items, model="cheap-1")
    run_resource(allowed_models_policy(), evals, resource_type=CHAT_COMPLETION_SET_TYPE, name="ev2")
    outputs = {"results": UNKNOWN_STRING_VALUE}
    outcome = run_stack(
        completion_budget_policy(),
        [("ev2", outputs, CHAT_COMPLETION_SET_TYPE), ("unseen", outputs, CHAT_COMPLETION_SET_TYPE)],
        {"budgetUsd": 100, "prices": PRICES},
    )
    assert outcome.violations == []
    assert outcome.unknown_note is not None
    assert 'cannot check items["q-1"].messages[1].content of ev2 during preview' in (
        outcome.unknown_note
    )
    # A set no resource rule saw in this run (the stack rule has only its results).
    assert "cannot check the items of unseen" in outcome.unknown_note


def test_an_unknown_value_is_the_policy_sentinel_not_a_string() -> None:
    # check_set_items takes plain data: UNKNOWN, as plain() makes it, stands for a value
    # unknown during preview.
    found = check_set_items(
        {"model": UNKNOWN, "items": {"a": {}}},
        lambda r: check_allowed_models(r, allowed=["gpt-4o-mini"]),
    )
    assert found.violations == [] and found.unknown == ["model"]
