"""Run policies the way pulumi-policy's analyzer does, without the engine.

Properties and config go through a protobuf ``Struct`` (so numbers arrive as floats, as
they do from the engine), then through pulumi-policy's own ``deserialize_properties`` and
``unknown_checking_proxy``, into real ``ResourceValidationArgs`` / ``StackValidationArgs``.
Config starts from the policy's schema defaults, as the engine's config reconciliation does.
An ``UnknownValueError`` is caught the way the analyzer catches it (it becomes an advisory
note instead of a violation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from google.protobuf import json_format, struct_pb2
from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from pulumi_chatcomp.policy import CHAT_COMPLETION_TYPE


@dataclass
class Outcome:
    """What a policy reported: violation messages (with their URNs) and the preview note."""

    violations: list[str] = field(default_factory=list)
    urns: list[str | None] = field(default_factory=list)
    unknown_note: str | None = None


def _wire(value: Mapping[str, Any]) -> dict[str, Any]:
    struct = struct_pb2.Struct()
    struct.update(dict(value))
    result: dict[str, Any] = json_format.MessageToDict(struct)
    return result


def _sdk_props(props: Mapping[str, Any]) -> Any:
    """`props` as pulumi-policy hands them to a validation."""
    return unknown_checking_proxy(deserialize_properties(_wire(props)))


def _config(policy: Policy, config: Mapping[str, Any] | None) -> dict[str, Any]:
    schema = policy.config_schema.properties if policy.config_schema else {}
    merged = {key: prop["default"] for key, prop in schema.items() if "default" in prop}
    merged.update(config or {})
    return _wire(merged)


def _options() -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def _urn(name: str, resource_type: str = CHAT_COMPLETION_TYPE) -> str:
    return f"urn:pulumi:dev::chat::{resource_type}::{name}"


def _collect(outcome: Outcome) -> Callable[[str, str | None], None]:
    def report_violation(message: str, urn: str | None = None) -> None:
        outcome.violations.append(message)
        outcome.urns.append(urn)

    return report_violation


def _run_resource(
    policy: ResourceValidationPolicy,
    props: Mapping[str, Any],
    config: Mapping[str, Any] | None = None,
    *,
    resource_type: str = CHAT_COMPLETION_TYPE,
    name: str = "completion",
) -> Outcome:
    outcome = Outcome()
    args = ResourceValidationArgs(
        resource_type,
        _sdk_props(props),
        _urn(name, resource_type),
        name,
        _options(),
        None,
        _config(policy, config),
    )
    try:
        policy.validate(args, _collect(outcome))
    except UnknownValueError as exc:
        outcome.unknown_note = exc.message
    return outcome


def _run_stack(
    policy: StackValidationPolicy,
    resources: Sequence[tuple[str, Mapping[str, Any]] | tuple[str, Mapping[str, Any], str]],
    config: Mapping[str, Any] | None = None,
) -> Outcome:
    outcome = Outcome()
    policy_resources = []
    for name, props, *rest in resources:
        resource_type = rest[0] if rest else CHAT_COMPLETION_TYPE
        policy_resources.append(
            PolicyResource(
                resource_type,
                _sdk_props(props),
                _urn(name, resource_type),
                name,
                _options(),
                None,
                None,
                [],
                {},
            )
        )
    args = StackValidationArgs(policy_resources, _config(policy, config))
    try:
        policy.validate(args, _collect(outcome))
    except UnknownValueError as exc:
        outcome.unknown_note = exc.message
    return outcome


def _completion(**fields: Any) -> dict[str, Any]:
    """A compliant completion's properties (for every rule's defaults), with `fields` merged."""
    props: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "You summarise release notes."},
            {"role": "user", "content": "Summarise: fixed the login bug."},
        ],
        "max_completion_tokens": 500,
        "metadata": {"owner": "ml-platform", "purpose": "release-notes"},
        "triggers": ["v1"],
    }
    props.update(fields)
    return {key: value for key, value in props.items() if value is not None}


@pytest.fixture
def sdk_props() -> Callable[[Mapping[str, Any]], Any]:
    """Properties as pulumi-policy hands them to a validation."""
    return _sdk_props


@pytest.fixture
def run_resource() -> Callable[..., Outcome]:
    """Run a resource policy on properties (and config) as the analyzer would."""
    return _run_resource


@pytest.fixture
def run_stack() -> Callable[..., Outcome]:
    """Run a stack policy on ``(name, props[, type])`` resources as the analyzer would."""
    return _run_stack


@pytest.fixture
def completion() -> Callable[..., dict[str, Any]]:
    """A factory of compliant completion properties, with given fields replaced."""
    return _completion


@pytest.fixture
def urn() -> Callable[..., str]:
    """The URN the runners give a resource of a name (and type)."""
    return _urn
