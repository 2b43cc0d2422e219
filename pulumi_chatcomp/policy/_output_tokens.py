"""max-output-tokens: every completion has a token cap, and cap x n stays under a limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy

from pulumi_chatcomp.policy._adapter import resource_validation
from pulumi_chatcomp.policy._config import config_count, number_schema
from pulumi_chatcomp.policy._values import Findings, format_number, is_number, is_unknown

NAME: Final = "max-output-tokens"
DEFAULT_MAX_OUTPUT_TOKENS: Final = 4096


class OutputCap(NamedTuple):
    """The output token cap of a completion request: which field set it, its value, and n."""

    field: str
    tokens: int
    n: int

    @property
    def total(self) -> int:
        """The most output tokens the request can produce over all its choices."""
        return self.tokens * self.n


def requested_choices(props: Mapping[str, Any]) -> int:
    """How many choices the request asks for: ``n``, or the API default 1.

    >>> requested_choices({"n": 3.0})
    3
    """
    n = props.get("n")
    return int(n) if is_number(n) and n >= 1 else 1


def output_cap(props: Mapping[str, Any]) -> tuple[OutputCap | None, list[str]]:
    """The request's output cap (None when it has none) and the unknown fields it depends on.

    ``max_completion_tokens`` wins over the deprecated ``max_tokens``, as in the API; ``n``
    defaults to 1.

    >>> output_cap({"max_completion_tokens": 500, "n": 2})
    (OutputCap(field='max_completion_tokens', tokens=500, n=2), [])
    >>> output_cap({"model": "gpt-4o"})
    (None, [])
    """
    unknown: list[str] = []
    if is_unknown(props.get("n")):
        unknown.append("n")
    n = requested_choices(props)
    for field in ("max_completion_tokens", "max_tokens"):
        value = props.get(field)
        if is_unknown(value):
            return None, [*unknown, field]
        if is_number(value):
            return OutputCap(field, int(value), n), unknown
    return None, unknown


def check_max_output_tokens(props: Mapping[str, Any], *, limit: int) -> Findings:
    """Report a completion with no output cap, or whose cap x n is above ``limit``.

    >>> check_max_output_tokens({"max_completion_tokens": 1000, "n": 2}, limit=4096).ok
    True
    """
    cap, unknown = output_cap(props)
    if unknown:
        return Findings(unknown=unknown)
    limit_text = f"{format_number(limit)} output tokens (policy config maxOutputTokens)"
    if cap is None:
        return Findings(
            violations=[
                "neither max_completion_tokens nor max_tokens is set, so output length (and cost) "
                "is bounded only by the model; set max_completion_tokens so that "
                f"max_completion_tokens x n is at most {limit_text}"
            ]
        )
    if cap.total <= limit:
        return Findings()
    return Findings(
        violations=[
            f"{cap.field} x n = {format_number(cap.tokens)} x {cap.n} = "
            f"{format_number(cap.total)} output tokens, above the limit of {limit_text}; "
            f"lower {cap.field} or n"
        ]
    )


def max_output_tokens_policy(
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
    max_output_tokens: int = DEFAULT_MAX_OUTPUT_TOKENS,
) -> ResourceValidationPolicy:
    """The ``max-output-tokens`` policy; config ``maxOutputTokens`` overrides the limit.

    >>> max_output_tokens_policy(max_output_tokens=2048).name
    'max-output-tokens'
    """

    def validate_max_output_tokens(props: Mapping[str, Any], config: Mapping[str, Any]) -> Findings:
        limit = config_count(config, "maxOutputTokens", max_output_tokens)
        return check_max_output_tokens(props, limit=limit)

    return ResourceValidationPolicy(
        name=NAME,
        description=(
            "Chat completions must cap output tokens, with max_completion_tokens x n "
            "under the configured limit."
        ),
        enforcement_level=enforcement_level,
        config_schema=PolicyConfigSchema(
            properties={
                "maxOutputTokens": number_schema(
                    "Most output tokens one completion may request: "
                    "max_completion_tokens (or max_tokens) x n.",
                    max_output_tokens,
                    minimum=1,
                    integer=True,
                )
            }
        ),
        validate=resource_validation(validate_max_output_tokens),
    )
