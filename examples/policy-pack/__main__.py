"""The chatcomp policy pack: every rule from pulumi_chatcomp.policy with its defaults.

Tune thresholds and enforcement levels with ``--policy-pack-config`` (see
policy-config.example.json and docs/policy.md) rather than by editing this file.
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel

from pulumi_chatcomp import __version__
from pulumi_chatcomp.policy import all_policies, policy_pack

# The pack's version is the package's: PulumiPolicy.yaml has none, so the engine shows this
# one in its header, and policy_pack has the notes of pulumi-policy show it too.
policy_pack(
    "chatcomp",
    all_policies(),
    version=__version__,
    enforcement_level=EnforcementLevel.ADVISORY,
)
