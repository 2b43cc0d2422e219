"""The chatcomp policy pack: every rule from pulumi_chatcomp.policy with its defaults.

Tune thresholds and enforcement levels with ``--policy-pack-config`` (see
policy-config.example.json and docs/policy.md) rather than by editing this file.
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, PolicyPack

from pulumi_chatcomp.policy import all_policies

PolicyPack(
    name="chatcomp",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=all_policies(),
)
