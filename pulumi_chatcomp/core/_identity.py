"""What a resource's create token is derived from: its URN, and its stack instance's anchor.

The URN names the resource within its stack; the anchor (the plugin's provider resource id,
or the dynamic face's ``StackAnchor`` id: random ids the engine keeps in state) tells the
stack apart from any other with the same project and stack name, say two people's ``dev``
stacks on their own backends sharing one OpenAI project, which would otherwise take each
other's completions for their own.

The anchor only helps if it survives what the token must survive. With checkpoints (the
engine's default) it does: the provider (or anchor) is recorded before any create starts.
With ``PULUMI_SKIP_CHECKPOINTS`` the engine records nothing until the end, so a killed first
``up`` loses a new anchor with everything else; there the URN alone is used, and two stacks
of the same name must not share an OpenAI project while they run that way.

>>> identity("p-1", "urn:pulumi:dev::app::chatcomp:index:ChatCompletion::a", environ={})
'p-1/urn:pulumi:dev::app::chatcomp:index:ChatCompletion::a'
>>> identity(None, "urn:a", environ={"PULUMI_SKIP_CHECKPOINTS": "true"})
'urn:a'
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pulumi.runtime.rpc import UNKNOWN

__all__ = ["identity", "skips_checkpoints"]


def skips_checkpoints(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the engine runs without checkpoints (``PULUMI_SKIP_CHECKPOINTS``), read as
    the engine reads it: ``1``, or ``true`` in any case."""
    value = (os.environ if environ is None else environ).get("PULUMI_SKIP_CHECKPOINTS", "")
    return value == "1" or value.lower() == "true"


def identity(anchor: str | None, urn: str, *, environ: Mapping[str, str] | None = None) -> str:
    """The identity for ``urn`` under the stack instance ``anchor`` (None, or the unknown
    value, while the anchor is not known yet: the identity is unknown then)."""
    if skips_checkpoints(environ):
        return urn
    if not anchor or anchor == UNKNOWN:
        return UNKNOWN
    return f"{anchor}/{urn}"
