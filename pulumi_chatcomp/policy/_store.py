"""store-required: completions are stored, so Pulumi can read, update and delete them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from pulumi_chatcomp.policy._adapter import resource_validation
from pulumi_chatcomp.policy._values import Findings, is_unknown

NAME: Final = "store-required"


def check_store_required(props: Mapping[str, Any]) -> Findings:
    """Report ``store=False``; an absent store is fine because the provider defaults it to true.

    >>> check_store_required({"model": "gpt-4o-mini"}).ok
    True
    """
    store = props.get("store")
    if is_unknown(store):
        return Findings(unknown=["store"])
    if store is False:
        return Findings(
            violations=[
                "store is false, but a ChatCompletion needs a stored completion so that "
                "refresh, metadata updates and delete work; remove store=False "
                "(it defaults to true)"
            ]
        )
    return Findings()


def store_required_policy(
    *, enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY
) -> ResourceValidationPolicy:
    """The ``store-required`` policy; it has no config besides its enforcement level.

    >>> store_required_policy().name
    'store-required'
    """

    def validate_store_required(props: Mapping[str, Any], config: Mapping[str, Any]) -> Findings:
        return check_store_required(props)

    return ResourceValidationPolicy(
        name=NAME,
        description="Chat completions must be stored (store must not be false).",
        enforcement_level=enforcement_level,
        validate=resource_validation(validate_store_required),
    )
