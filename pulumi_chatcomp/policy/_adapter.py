"""Turn pure validators into pulumi-policy callbacks.

The callbacks return early for resources that are not ChatCompletions, copy the properties
into plain data (see ``plain``) with the API's names (the provider plugin's resources have
its schema's camelCase names, the dynamic ones the API's; validators read the API's),
report each violation, and, when something could not be
checked because it is unknown during preview, raise ``UncheckedDuringPreview``. pulumi-policy
catches that (it is an ``UnknownValueError``) and shows it as an *advisory* note, so an unknown
value never blocks a preview nor fails silently. ``pulumi up`` checks the real values again:
a resource rule before the completion is created, a stack rule (which the engine runs once
every resource is registered) after the completions are created.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidation,
    StackValidationArgs,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN, TYPE_TOKENS
from pulumi_chatcomp.policy._values import Findings, plain

ResourceValidator = Callable[[Mapping[str, Any], Mapping[str, Any]], Findings]
"""A pure check of one completion: (plain properties, policy config) -> findings."""

StackValidator = Callable[[Sequence["Completion"], Mapping[str, Any]], Findings]
"""A pure check of all completions in a stack: (completions, policy config) -> findings."""

RESOURCE_RECHECK = "`pulumi up` checks the real values before creating the completion"
STACK_RECHECK = (
    "`pulumi up` checks the real values only after creating the completions, "
    "so this rule cannot stop them"
)


@dataclass(frozen=True)
class Completion:
    """One ChatCompletion resource of a stack, as the stack validators see it.

    >>> Completion("urn:pulumi:dev::p::t::summary", "summary", {"model": "gpt-4o"}).name
    'summary'
    """

    urn: str
    name: str
    props: Mapping[str, Any]


class UncheckedDuringPreview(UnknownValueError):
    """Raised to tell pulumi-policy that some properties could only be checked by ``pulumi up``.

    ``recheck`` says when that happens: ``RESOURCE_RECHECK`` for a resource rule,
    ``STACK_RECHECK`` for a stack rule.

    >>> str(UncheckedDuringPreview(["model"]))[:41]
    'cannot check model during preview because'
    """

    def __init__(self, paths: Sequence[str], *, recheck: str = RESOURCE_RECHECK) -> None:
        Exception.__init__(self)
        self.unknown_type_sentinel = UNKNOWN_STRING_VALUE
        self.props = list(paths)
        self.message = (
            f"cannot check {', '.join(paths)} during preview because "
            f"{'it is' if len(paths) == 1 else 'they are'} unknown; {recheck}"
        )

    def __str__(self) -> str:
        return str(self.message)


def _report(
    findings: Findings, report_violation: ReportViolation, urn: str | None, *, recheck: str
) -> None:
    for message in findings.violations:
        report_violation(message, urn)
    if findings.unknown:
        raise UncheckedDuringPreview(findings.unknown, recheck=recheck)


def _api_names(resource_type: str, props: dict[str, Any]) -> dict[str, Any]:
    if resource_type != PLUGIN_TYPE_TOKEN:
        return props
    from pulumi_chatcomp.plugin._casing import package_names

    renamed: dict[str, Any] = package_names().resource.to_api(props)
    return renamed


def resource_validation(validator: ResourceValidator) -> ResourceValidation:
    """Wrap a pure validator as a ``ResourceValidation`` for ChatCompletion resources."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in TYPE_TOKENS:
            return
        props = _api_names(args.resource_type, plain(args.props))
        findings = validator(props, plain(args.get_config()))
        _report(findings, report_violation, None, recheck=RESOURCE_RECHECK)

    validate.__name__ = getattr(validator, "__name__", "validate")
    return validate


def stack_validation(validator: StackValidator) -> StackValidation:
    """Wrap a pure validator as a ``StackValidation`` over the stack's ChatCompletions."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        completions = [
            Completion(
                resource.urn,
                resource.name,
                _api_names(resource.resource_type, plain(resource.props)),
            )
            for resource in args.resources
            if resource.resource_type in TYPE_TOKENS
        ]
        if not completions:
            return
        findings = validator(completions, plain(args.get_config()))
        _report(findings, report_violation, None, recheck=STACK_RECHECK)

    validate.__name__ = getattr(validator, "__name__", "validate")
    return validate
