"""Turn pure validators into pulumi-policy callbacks.

The callbacks return early for resources that are neither ChatCompletions nor
ChatCompletionSets, copy the properties into plain data (see ``plain``) with the API's names
(the provider plugin's resources have its schema's camelCase names, the dynamic ones the
API's; validators read the API's), report each violation, and, when something could not be
checked because it is unknown during preview, raise ``UncheckedDuringPreview``. pulumi-policy
catches that (it is an ``UnknownValueError``) and shows it as an *advisory* note, so an unknown
value never blocks a preview nor fails silently. ``pulumi up`` checks the real values again:
a resource rule before the completion is created, a stack rule (which the engine runs once
every resource is registered) after the completions are created.

A set is checked item by item (``_sets``). A stack rule is handed each resource's outputs,
and a set's outputs hold its results, not its items; so the resource rules, which the
engine runs on every resource's inputs first, keep each set's inputs by URN for the stack
rules of the same run (one policy pack process serves a whole preview or update).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidation,
    StackValidationArgs,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from pulumi_chatcomp.core._names import SET_TYPE_TOKEN, TYPE_TOKEN, TYPE_TOKENS
from pulumi_chatcomp.policy._config import config_strings, string_list_schema
from pulumi_chatcomp.policy._sets import SetItem, check_set_items, set_items
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
    """One completion of a stack, as the stack validators see it: a ChatCompletion
    resource, or an item of a ChatCompletionSet (``item``; ``props`` is its request).

    >>> Completion("urn:pulumi:dev::p::t::summary", "summary", {"model": "gpt-4o"}).name
    'summary'
    """

    urn: str
    name: str
    props: Mapping[str, Any]
    item: SetItem | None = None

    def named(self, path: str) -> str:
        """``path`` of this completion's request, with the resource (and item) it is of.

        >>> Completion("urn", "review", {}).named("messages[1].content")
        'messages[1].content of review'
        """
        return f"{self.item.named(path) if self.item else path} of {self.name}"


class UncheckedDuringPreview(UnknownValueError):
    """Raised to tell pulumi-policy that some properties could only be checked by ``pulumi up``.

    ``recheck`` says when that happens: ``RESOURCE_RECHECK`` for a resource rule,
    ``STACK_RECHECK`` for a stack rule.

    >>> str(UncheckedDuringPreview(["model"]))[:41]
    'cannot check model during preview because'
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        recheck: str = RESOURCE_RECHECK,
        unchecked: Sequence[str] = (),
    ) -> None:
        Exception.__init__(self)
        self.unknown_type_sentinel = UNKNOWN_STRING_VALUE
        self.props = list(paths)
        notes = [f"cannot check {reason}" for reason in unchecked]
        if paths:
            notes.insert(
                0,
                f"cannot check {', '.join(paths)} during preview because "
                f"{'it is' if len(paths) == 1 else 'they are'} unknown; {recheck}",
            )
        self.message = "; ".join(notes)

    def __str__(self) -> str:
        return str(self.message)


def _report(
    findings: Findings, report_violation: ReportViolation, urn: str | None, *, recheck: str
) -> None:
    for message in findings.violations:
        report_violation(message, urn)
    if findings.unknown or findings.unchecked:
        raise UncheckedDuringPreview(
            findings.unknown, recheck=recheck, unchecked=findings.unchecked
        )


def _api_names(resource_type: str, props: dict[str, Any]) -> dict[str, Any]:
    if resource_type == TYPE_TOKEN:
        return props
    from pulumi_chatcomp.plugin._casing import package_names

    renamed: dict[str, Any] = package_names().resources[resource_type].to_api(props)
    return renamed


class _SetsSeen:
    """Each set's inputs (plain, in the API's names) by URN, as the resource rules saw
    them in this run, for the stack rules (see the module's docstring)."""

    def __init__(self) -> None:
        self._inputs: dict[str, Mapping[str, Any]] = {}
        self._lock = threading.Lock()

    def keep(self, urn: str, props: Mapping[str, Any]) -> None:
        with self._lock:
            self._inputs[urn] = props

    def get(self, urn: str) -> Mapping[str, Any] | None:
        with self._lock:
            return self._inputs.get(urn)


SETS_SEEN = _SetsSeen()


def resource_validation(validator: ResourceValidator) -> ResourceValidation:
    """Wrap a pure validator as a ``ResourceValidation`` for ChatCompletion resources; a
    ChatCompletionSet's items are each checked with it (``check_set_items``)."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in (*TYPE_TOKENS, SET_TYPE_TOKEN):
            return
        props = _api_names(args.resource_type, plain(args.props))
        config = plain(args.get_config())
        if args.resource_type == SET_TYPE_TOKEN:
            SETS_SEEN.keep(args.urn, props)
            findings = check_set_items(props, lambda request: validator(request, config))
        else:
            findings = validator(props, config)
        _report(findings, report_violation, None, recheck=RESOURCE_RECHECK)

    validate.__name__ = getattr(validator, "__name__", "validate")
    return validate


def string_list_policy(
    *,
    name: str,
    description: str,
    enforcement_level: EnforcementLevel,
    setting: str,
    setting_description: str,
    default: Sequence[str],
    check: Callable[[Mapping[str, Any], tuple[str, ...]], Findings],
    choices: Sequence[str] | None = None,
) -> ResourceValidationPolicy:
    """A resource policy whose one config property, ``setting``, is a list of strings
    (``default`` when unset, limited to ``choices`` if given), handed to
    ``check(props, strings)``.

    >>> string_list_policy(
    ...     name="no-x", description="No x.", enforcement_level=EnforcementLevel.ADVISORY,
    ...     setting="allowed", setting_description="Tolerated.", default=[],
    ...     check=lambda props, allowed: Findings(),
    ... ).config_schema.properties["allowed"]["type"]
    'array'
    """
    strings = tuple(default)

    def validate(props: Mapping[str, Any], config: Mapping[str, Any]) -> Findings:
        return check(props, config_strings(config, setting, strings))

    validate.__name__ = "validate_" + name.replace("-", "_")
    schema = string_list_schema(setting_description, strings, choices=choices)
    return ResourceValidationPolicy(
        name=name,
        description=description,
        enforcement_level=enforcement_level,
        config_schema=PolicyConfigSchema(properties={setting: schema}),
        validate=resource_validation(validate),
    )


def stack_validation(validator: StackValidator) -> StackValidation:
    """Wrap a pure validator as a ``StackValidation`` over the stack's ChatCompletions and
    the items of its ChatCompletionSets (each item a ``Completion`` of its own)."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        completions: list[Completion] = []
        unseen = Findings()
        for resource in args.resources:
            if resource.resource_type in TYPE_TOKENS:
                props = _api_names(resource.resource_type, plain(resource.props))
                completions.append(Completion(resource.urn, resource.name, props))
            elif resource.resource_type == SET_TYPE_TOKEN:
                completions += _set_completions(resource.urn, resource.name, unseen)
        if not completions and unseen.ok:
            return
        findings = validator(completions, plain(args.get_config()))
        findings.unknown.extend(unseen.unknown)
        findings.unchecked.extend(unseen.unchecked)
        _report(findings, report_violation, None, recheck=STACK_RECHECK)

    validate.__name__ = getattr(validator, "__name__", "validate")
    return validate


def _set_completions(urn: str, name: str, unseen: Findings) -> list[Completion]:
    """Each item of the set ``urn`` as a completion; what cannot be read goes to
    ``unseen``."""
    props = SETS_SEEN.get(urn)
    if props is None:
        unseen.unchecked.append(
            f"the items of {name}: a stack rule is given a set's results, not its items, "
            "which this pack's resource rules read, and none of them ran on it in this run"
        )
        return []
    found = set_items(props, owner=name)
    unseen.unknown.extend(f"{part} of {name}" for part in found.unknown)
    unseen.unchecked.extend(found.unchecked)
    return [Completion(urn, name, item.request, item) for item in found.items]
