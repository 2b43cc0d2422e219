"""What names a dynamic ChatCompletion within its stack instance, for its create token.

A create token is derived from what survives every failure (``derived_token``): for the
plugin, its provider resource's id and the resource's URN. The dynamic provider host tells
our provider neither, so the program sends them as one input (``IDENTITY_NAME``): the id of
the stack's ``StackAnchor`` and the URN the resource will have. The URN alone would not do:
two stacks with the same project and stack name (two people's ``dev`` stacks on their own
backends, say) have the same URNs, and would take each other's completions for their own.

The anchor is one small resource per stack, declared with the program's first
ChatCompletion; its id is random and kept in state, like a provider's.
"""

from __future__ import annotations

import weakref
from typing import Any

import pulumi
from pulumi.dynamic import Resource
from pulumi.dynamic.dynamic import PROVIDER_KEY
from pulumi.runtime.settings import get_root_resource

from pulumi_chatcomp.core._names import ANCHOR_TYPE_TOKEN, TYPE_TOKEN
from pulumi_chatcomp.dynamic._pickling import serialized_provider
from pulumi_chatcomp.provider import StackAnchorProvider

__all__ = ["ANCHOR_NAME", "StackAnchor", "identity_of"]

ANCHOR_NAME = "chatcomp-anchor"
"""The name of each stack's anchor resource."""

# One anchor per program run (an Automation API process runs several), found by its root.
_anchors: weakref.WeakKeyDictionary[Any, StackAnchor] = weakref.WeakKeyDictionary()


class StackAnchor(Resource, module="chatcomp", name="StackAnchor"):
    """The stack's anchor: a random id, nothing else (see ``StackAnchorProvider``)."""

    def __init__(self) -> None:
        props = {PROVIDER_KEY: serialized_provider(StackAnchorProvider)}
        pulumi.CustomResource.__init__(self, ANCHOR_TYPE_TOKEN, ANCHOR_NAME, props, None)


def identity_of(resource_name: str, opts: pulumi.ResourceOptions | None) -> pulumi.Output[str]:
    """The identity of the dynamic ChatCompletion ``resource_name``: its stack's anchor id and
    its URN."""
    urn = pulumi.create_urn(resource_name, TYPE_TOKEN, parent=opts.parent if opts else None)
    return pulumi.Output.concat(_anchor().id, "/", urn)


def _anchor() -> StackAnchor:
    root = get_root_resource()
    anchor = _anchors.get(root) if root is not None else None
    if anchor is None:
        anchor = StackAnchor()
        if root is not None:
            _anchors[root] = anchor
    return anchor
