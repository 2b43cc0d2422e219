"""required-metadata: completions carry the metadata keys the organisation needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from pulumi_chatcomp.policy._adapter import string_list_policy
from pulumi_chatcomp.policy._values import Findings, is_unknown

NAME: Final = "required-metadata"
DEFAULT_REQUIRED_KEYS: Final[tuple[str, ...]] = ("owner", "purpose")


def check_required_metadata(props: Mapping[str, Any], *, required: Sequence[str]) -> Findings:
    """Report required metadata keys that are missing or blank.

    A key whose value is unknown during preview counts as present: only its value is unknown.

    >>> check_required_metadata({"metadata": {"owner": "ml"}}, required=["owner"]).ok
    True
    """
    metadata = props.get("metadata")
    if is_unknown(metadata):
        return Findings(unknown=["metadata"])
    if not isinstance(metadata, Mapping):
        metadata = {}
    missing = [
        key
        for key in required
        if key not in metadata
        or (isinstance(metadata[key], str) and not metadata[key].strip())
        or metadata[key] is None
    ]
    if not missing:
        return Findings()
    keys = ", ".join(missing)
    example = ", ".join(f'"{key}": "..."' for key in missing)
    noun = "key" if len(missing) == 1 else "keys"
    return Findings(
        violations=[
            f"metadata is missing the required {noun} {keys} (policy config requiredKeys); "
            f"add {'it' if len(missing) == 1 else 'them'}, e.g. metadata={{{example}}}"
        ]
    )


def required_metadata_policy(
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.ADVISORY,
    required_keys: Sequence[str] = DEFAULT_REQUIRED_KEYS,
) -> ResourceValidationPolicy:
    """The ``required-metadata`` policy; config ``requiredKeys`` overrides ``required_keys``.

    >>> required_metadata_policy(required_keys=["owner", "cost-center"]).name
    'required-metadata'
    """
    return string_list_policy(
        name=NAME,
        description="Chat completions must carry the required metadata keys with non-empty values.",
        enforcement_level=enforcement_level,
        setting="requiredKeys",
        setting_description="Metadata keys every completion must set to a non-empty value.",
        default=required_keys,
        check=lambda props, required: check_required_metadata(props, required=required),
    )
