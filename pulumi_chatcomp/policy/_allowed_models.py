"""allowed-models: completions may only use models from an allow list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any, Final

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from pulumi_chatcomp.policy._adapter import string_list_policy
from pulumi_chatcomp.policy._values import Findings, is_unknown

NAME: Final = "allowed-models"
DEFAULT_ALLOWED_MODELS: Final[tuple[str, ...]] = (
    "gpt-4o-mini*",
    "gpt-4.1-mini*",
    "gpt-4.1-nano*",
    "gpt-5-mini*",
    "gpt-5-nano*",
)


def model_allowed(model: str, allowed: Sequence[str]) -> bool:
    """Whether ``model`` matches an entry of ``allowed`` (exact, or a shell pattern such as
    ``gpt-4.1*``).

    >>> model_allowed("gpt-4.1-mini-2025-04-14", ["gpt-4.1*"])
    True
    >>> model_allowed("gpt-4o", ["gpt-4o-mini"])
    False
    """
    return any(fnmatchcase(model, pattern) for pattern in allowed)


def check_allowed_models(props: Mapping[str, Any], *, allowed: Sequence[str]) -> Findings:
    """Report a completion whose ``model`` matches none of ``allowed``.

    >>> check_allowed_models({"model": "gpt-4o-mini"}, allowed=["gpt-4o-mini"]).ok
    True
    """
    model = props.get("model")
    if is_unknown(model):
        return Findings(unknown=["model"])
    choices = ", ".join(allowed) if allowed else "(none: allowedModels is empty)"
    hint = f"use a model matching one of: {choices} (policy config allowedModels)"
    if not isinstance(model, str) or not model:
        return Findings(violations=[f"model is not set; {hint}"])
    if model_allowed(model, allowed):
        return Findings()
    return Findings(violations=[f"model {model!r} is not allowed; {hint}"])


def allowed_models_policy(
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
    allowed_models: Sequence[str] = DEFAULT_ALLOWED_MODELS,
) -> ResourceValidationPolicy:
    """The ``allowed-models`` policy; config ``allowedModels`` overrides ``allowed_models``.

    >>> allowed_models_policy(allowed_models=["gpt-4o-mini", "gpt-4.1*"]).name
    'allowed-models'
    """
    return string_list_policy(
        name=NAME,
        description="Chat completions may only use models from the allowed list.",
        enforcement_level=enforcement_level,
        setting="allowedModels",
        setting_description=(
            "Allowed model names; `*` matches any text, e.g. gpt-4.1* for a family."
        ),
        default=allowed_models,
        check=lambda props, allowed: check_allowed_models(props, allowed=allowed),
    )
