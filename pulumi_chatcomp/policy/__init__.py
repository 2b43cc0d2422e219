"""Policy-as-code rules for ChatCompletion resources (and the items of ChatCompletionSets),
for pulumi-policy packs.

Each rule is a pure validator (``check_*``: plain properties and settings in, ``Findings``
out) and a constructor (``*_policy``) that wraps it as a pulumi-policy policy with a
kebab-case name, a default enforcement level and a config schema. A pack only assembles
them, in its ``__main__.py``, and serves them with ``policy_pack`` (pulumi-policy's
``PolicyPack``, with the pack's version in every note it writes)::

    from pulumi_chatcomp import __version__
    from pulumi_chatcomp.policy import all_policies, policy_pack

    policy_pack("chatcomp", all_policies(), version=__version__)

Values unknown during preview are never guessed: rules check what is known and leave an
advisory "cannot check ... during preview" note for the rest (see ``UncheckedDuringPreview``).

A ChatCompletionSet is checked item by item: every resource rule checks each item's request
(the set's shared fields with the item's own) as it checks a single completion, and names
its findings by the item's key (``check_set_items``); the budget counts every item.
"""

from __future__ import annotations

from pulumi_chatcomp._exceptions import PolicyConfigError
from pulumi_chatcomp.core._names import TYPE_TOKEN as CHAT_COMPLETION_TYPE
from pulumi_chatcomp.core._names import TYPE_TOKENS as CHAT_COMPLETION_TYPES
from pulumi_chatcomp.policy._adapter import (
    Completion,
    UncheckedDuringPreview,
    resource_validation,
    stack_validation,
)
from pulumi_chatcomp.policy._allowed_models import (
    DEFAULT_ALLOWED_MODELS,
    allowed_models_policy,
    check_allowed_models,
    model_allowed,
)
from pulumi_chatcomp.policy._budget import (
    DEFAULT_BUDGET_USD,
    check_completion_budget,
    completion_budget_policy,
)
from pulumi_chatcomp.policy._credentials import (
    CREDENTIAL_PATTERNS,
    CredentialPattern,
    FoundCredential,
    check_no_credentials_in_prompts,
    find_credentials,
    no_credentials_in_prompts_policy,
)
from pulumi_chatcomp.policy._deprecated import (
    DEPRECATED_PARAMETERS,
    check_no_deprecated_parameters,
    no_deprecated_parameters_policy,
)
from pulumi_chatcomp.policy._metadata import (
    DEFAULT_REQUIRED_KEYS,
    check_required_metadata,
    required_metadata_policy,
)
from pulumi_chatcomp.policy._output_tokens import (
    DEFAULT_MAX_OUTPUT_TOKENS,
    OutputCap,
    check_max_output_tokens,
    max_output_tokens_policy,
    output_cap,
)
from pulumi_chatcomp.policy._pack import all_policies, chat_completion_policies
from pulumi_chatcomp.policy._pricing import (
    DEFAULT_PRICES,
    CostEstimate,
    Price,
    estimate_cost,
    estimate_input_tokens,
    price_for,
)
from pulumi_chatcomp.policy._sampling import Bounds, check_sampling_bounds, sampling_bounds_policy
from pulumi_chatcomp.policy._serve import policy_pack
from pulumi_chatcomp.policy._sets import (
    CHAT_COMPLETION_SET_TYPE,
    MAX_FINDINGS,
    SetItem,
    check_set_items,
    set_items,
)
from pulumi_chatcomp.policy._store import check_store_required, store_required_policy
from pulumi_chatcomp.policy._values import UNKNOWN, Findings, Unknown, is_unknown, plain

__all__ = [
    "CHAT_COMPLETION_SET_TYPE",
    "CHAT_COMPLETION_TYPE",
    "CHAT_COMPLETION_TYPES",
    "CREDENTIAL_PATTERNS",
    "DEFAULT_ALLOWED_MODELS",
    "DEFAULT_BUDGET_USD",
    "DEFAULT_MAX_OUTPUT_TOKENS",
    "DEFAULT_PRICES",
    "DEFAULT_REQUIRED_KEYS",
    "DEPRECATED_PARAMETERS",
    "MAX_FINDINGS",
    "UNKNOWN",
    "Bounds",
    "Completion",
    "CostEstimate",
    "CredentialPattern",
    "Findings",
    "FoundCredential",
    "OutputCap",
    "PolicyConfigError",
    "Price",
    "SetItem",
    "UncheckedDuringPreview",
    "Unknown",
    "all_policies",
    "allowed_models_policy",
    "chat_completion_policies",
    "check_allowed_models",
    "check_completion_budget",
    "check_max_output_tokens",
    "check_no_credentials_in_prompts",
    "check_no_deprecated_parameters",
    "check_required_metadata",
    "check_sampling_bounds",
    "check_set_items",
    "check_store_required",
    "completion_budget_policy",
    "estimate_cost",
    "estimate_input_tokens",
    "find_credentials",
    "is_unknown",
    "max_output_tokens_policy",
    "model_allowed",
    "no_credentials_in_prompts_policy",
    "no_deprecated_parameters_policy",
    "output_cap",
    "plain",
    "policy_pack",
    "price_for",
    "required_metadata_policy",
    "resource_validation",
    "sampling_bounds_policy",
    "set_items",
    "stack_validation",
    "store_required_policy",
]
