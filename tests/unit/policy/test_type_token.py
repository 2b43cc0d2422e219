"""The policies match on the same type token the resource registers."""

from __future__ import annotations

import pulumi_chatcomp
import pulumi_chatcomp.policy


def test_policies_match_the_resource_type_token() -> None:
    # The policy package keeps its own copy so that a pack needs no provider import;
    # if the two drift apart, every rule silently stops matching any resource.
    assert pulumi_chatcomp.TYPE_TOKEN == pulumi_chatcomp.policy.CHAT_COMPLETION_TYPE
