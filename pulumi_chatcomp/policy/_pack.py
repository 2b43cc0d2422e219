"""Every rule at once, with its default settings, for building a policy pack."""

from __future__ import annotations

from pulumi_policy import Policy, ResourceValidationPolicy

from pulumi_chatcomp.policy._allowed_models import allowed_models_policy
from pulumi_chatcomp.policy._budget import completion_budget_policy
from pulumi_chatcomp.policy._credentials import no_credentials_in_prompts_policy
from pulumi_chatcomp.policy._deprecated import no_deprecated_parameters_policy
from pulumi_chatcomp.policy._metadata import required_metadata_policy
from pulumi_chatcomp.policy._output_tokens import max_output_tokens_policy
from pulumi_chatcomp.policy._sampling import sampling_bounds_policy
from pulumi_chatcomp.policy._store import store_required_policy


def chat_completion_policies() -> list[ResourceValidationPolicy]:
    """The per-resource rules, each with its default enforcement level and config.

    >>> [policy.name for policy in chat_completion_policies()][:2]
    ['allowed-models', 'max-output-tokens']
    """
    return [
        allowed_models_policy(),
        max_output_tokens_policy(),
        sampling_bounds_policy(),
        required_metadata_policy(),
        store_required_policy(),
        no_deprecated_parameters_policy(),
        no_credentials_in_prompts_policy(),
    ]


def all_policies() -> list[Policy]:
    """Every rule: ``chat_completion_policies`` plus the ``completion-budget`` stack rule.

    >>> sorted(policy.name for policy in all_policies())[:3]
    ['allowed-models', 'completion-budget', 'max-output-tokens']
    """
    return [*chat_completion_policies(), completion_budget_policy()]
