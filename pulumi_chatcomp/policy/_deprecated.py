"""no-deprecated-parameters: completions avoid request fields the API has deprecated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from pulumi_chatcomp.models._warnings import (
    DEPRECATED_REQUEST_FIELDS,
    FUNCTION_CALL_ADVICE,
    FUNCTION_ROLE_ADVICE,
)
from pulumi_chatcomp.policy._adapter import string_list_policy
from pulumi_chatcomp.policy._messages import entries
from pulumi_chatcomp.policy._values import Findings, Unknown, is_unknown

NAME: Final = "no-deprecated-parameters"

DEPRECATED_PARAMETERS: Final[Mapping[str, str]] = DEPRECATED_REQUEST_FIELDS
"""Deprecated request fields and what to do instead (the model layer's table)."""

FUNCTION_MESSAGES: Final = "function_messages"
"""The name to put in config ``allowed`` to tolerate role "function" messages."""


def _message_findings(messages: Any, allowed: Sequence[str]) -> Findings:
    findings = Findings()
    for path, message in entries("messages", messages):
        if isinstance(message, Unknown):
            findings.unknown.append(path)
            continue
        role = message.get("role")
        if is_unknown(role):
            findings.unknown.append(f"{path}.role")
        elif role == "function" and FUNCTION_MESSAGES not in allowed:
            findings.violations.append(
                f'{path} has the deprecated role "function"; {FUNCTION_ROLE_ADVICE}'
            )
        if message.get("function_call") is not None and "function_call" not in allowed:
            findings.violations.append(
                f"{path}.function_call is deprecated; {FUNCTION_CALL_ADVICE}"
            )
    return findings


def check_no_deprecated_parameters(
    props: Mapping[str, Any], *, allowed: Sequence[str] = ()
) -> Findings:
    """Report deprecated request fields that are set, except those named in ``allowed``.

    A field whose value is unknown during preview is still set, so it is reported.

    >>> check_no_deprecated_parameters({"max_completion_tokens": 100}).ok
    True
    """
    findings = _message_findings(props.get("messages"), allowed)
    for field, advice in DEPRECATED_PARAMETERS.items():
        if field in allowed or props.get(field) is None:
            continue
        findings.violations.append(f"{field} is deprecated; {advice}")
    return findings


def no_deprecated_parameters_policy(
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.ADVISORY,
    allowed: Sequence[str] = (),
) -> ResourceValidationPolicy:
    """The ``no-deprecated-parameters`` policy; config ``allowed`` lists fields to tolerate.

    >>> no_deprecated_parameters_policy(allowed=["seed"]).name
    'no-deprecated-parameters'
    """
    return string_list_policy(
        name=NAME,
        description="Chat completions should not use request fields the API has deprecated.",
        enforcement_level=enforcement_level,
        setting="allowed",
        setting_description=(
            'Deprecated fields to tolerate; function_messages stands for role "function" messages.'
        ),
        default=allowed,
        check=lambda props, tolerated: check_no_deprecated_parameters(props, allowed=tolerated),
        choices=[*DEPRECATED_PARAMETERS, FUNCTION_MESSAGES],
    )
