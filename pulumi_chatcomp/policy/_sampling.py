"""sampling-bounds: temperature and top_p stay within configured ranges."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy

from pulumi_chatcomp.policy._adapter import resource_validation
from pulumi_chatcomp.policy._config import config_number, number_schema
from pulumi_chatcomp.policy._values import Findings, format_number, is_number, is_unknown

NAME: Final = "sampling-bounds"
API_DEFAULT: Final = 1.0
"""The API's default for both temperature and top_p, which applies when they are not set."""


class Bounds(NamedTuple):
    """An inclusive range for one sampling parameter.

    >>> Bounds(0.0, 1.0).contains(0.7)
    True
    """

    minimum: float
    maximum: float

    def contains(self, value: float) -> bool:
        """Whether ``value`` is inside the range."""
        return self.minimum <= value <= self.maximum


DEFAULT_TEMPERATURE: Final = Bounds(0.0, 1.0)
DEFAULT_TOP_P: Final = Bounds(0.0, 1.0)


def _check(field: str, value: Any, bounds: Bounds, config_suffix: str) -> list[str]:
    if value is None:
        if bounds.contains(API_DEFAULT):
            return []
        where = _where(API_DEFAULT, bounds, config_suffix)
        return [
            f"{field} is not set, so the API default {format_number(API_DEFAULT)} applies, "
            f"which is {where}; set {field} explicitly"
        ]
    if not is_number(value) or bounds.contains(float(value)):
        # Non-numbers are the provider's to reject, with a message naming the field.
        return []
    return [f"{field} {format_number(value)} is {_where(float(value), bounds, config_suffix)}"]


def _where(value: float, bounds: Bounds, config_suffix: str) -> str:
    if value < bounds.minimum:
        limit, key = f"minimum {format_number(bounds.minimum)}", f"min{config_suffix}"
        return f"below the {limit} (policy config {key})"
    limit, key = f"maximum {format_number(bounds.maximum)}", f"max{config_suffix}"
    return f"above the {limit} (policy config {key})"


def check_sampling_bounds(
    props: Mapping[str, Any], *, temperature: Bounds, top_p: Bounds
) -> Findings:
    """Report temperature or top_p outside their bounds; an unset one counts as the API default 1.

    >>> check_sampling_bounds({"top_p": 0.9}, temperature=Bounds(0, 1), top_p=Bounds(0, 1)).ok
    True
    """
    findings = Findings()
    for field, bounds, config_suffix in (
        ("temperature", temperature, "Temperature"),
        ("top_p", top_p, "TopP"),
    ):
        value = props.get(field)
        if is_unknown(value):
            findings.unknown.append(field)
        else:
            findings.violations.extend(_check(field, value, bounds, config_suffix))
    return findings


def sampling_bounds_policy(
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.ADVISORY,
    temperature: Bounds = DEFAULT_TEMPERATURE,
    top_p: Bounds = DEFAULT_TOP_P,
) -> ResourceValidationPolicy:
    """The ``sampling-bounds`` policy; config ``min/maxTemperature`` and ``min/maxTopP``.

    >>> sampling_bounds_policy(temperature=Bounds(0.0, 0.7)).name
    'sampling-bounds'
    """

    def validate_sampling_bounds(props: Mapping[str, Any], config: Mapping[str, Any]) -> Findings:
        return check_sampling_bounds(
            props,
            temperature=Bounds(
                config_number(config, "minTemperature", temperature.minimum),
                config_number(config, "maxTemperature", temperature.maximum),
            ),
            top_p=Bounds(
                config_number(config, "minTopP", top_p.minimum),
                config_number(config, "maxTopP", top_p.maximum),
            ),
        )

    return ResourceValidationPolicy(
        name=NAME,
        description="Chat completions must keep temperature and top_p within configured ranges.",
        enforcement_level=enforcement_level,
        config_schema=PolicyConfigSchema(
            properties={
                "minTemperature": number_schema(
                    "Lowest allowed temperature.", temperature.minimum, minimum=0
                ),
                "maxTemperature": number_schema(
                    "Highest allowed temperature (an unset temperature counts as 1).",
                    temperature.maximum,
                    minimum=0,
                ),
                "minTopP": number_schema("Lowest allowed top_p.", top_p.minimum, minimum=0),
                "maxTopP": number_schema(
                    "Highest allowed top_p (an unset top_p counts as 1).", top_p.maximum, minimum=0
                ),
            }
        ),
        validate=resource_validation(validate_sampling_bounds),
    )
