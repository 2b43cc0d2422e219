"""``policy_pack``: serve a pulumi-policy pack that names one version everywhere.

pulumi-policy's Python ``PolicyPack`` tells the engine its version is 0.0.1, whatever the
pack's is. The engine prints the version of ``PulumiPolicy.yaml`` in its header when that
file has one, but the notes the SDK writes itself ("can't run policy 'x' from policy pack
'chatcomp@v0.0.1' during preview: ...") keep 0.0.1. ``policy_pack`` serves the same pack
with the version it is given, so a ``PulumiPolicy.yaml`` without ``version`` shows that
version in the header and in every note.

The SDK builds its analyzer (the private ``pulumi_policy.policy._PolicyAnalyzerServicer``)
inside ``PolicyPack()``, which then serves until the process ends, so the version is handed
in by putting a subclass in that name's place while the pack serves: a policy pack's process
does nothing else. Only for the pulumi-policy versions in ``SUPPORTED_SDK`` whose analyzer
takes ``(name, version, ...)``; with any other, the plain pack is served (notes say 0.0.1).
"""

from __future__ import annotations

import contextlib
import inspect
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import pulumi_policy
import pulumi_policy.policy
from pulumi_policy import EnforcementLevel, Policy

__all__ = ["SUPPORTED_SDK", "policy_pack", "reporting_version"]

SUPPORTED_SDK = ((1, 13), (2, 0))
"""pulumi-policy versions (from, up to but excluding) whose analyzer this was tested with."""

_log = logging.getLogger("pulumi_chatcomp")


def policy_pack(
    name: str,
    policies: Sequence[Policy],
    *,
    version: str,
    enforcement_level: EnforcementLevel = EnforcementLevel.ADVISORY,
    **options: Any,
) -> None:
    """Serve ``PolicyPack(name, policies, ...)`` as pulumi-policy does, as version ``version``.

    The ``__main__.py`` of a pack whose ``PulumiPolicy.yaml`` has no ``version``::

        from pulumi_chatcomp import __version__
        from pulumi_chatcomp.policy import all_policies, policy_pack

        policy_pack("chatcomp", all_policies(), version=__version__)

    ``options`` are ``PolicyPack``'s other keywords (``initial_config``, ``description``,
    ...). Like ``PolicyPack()``, it serves until the engine stops the pack.
    """
    with reporting_version(version):
        pulumi_policy.PolicyPack(
            name=name, policies=list(policies), enforcement_level=enforcement_level, **options
        )


@contextlib.contextmanager
def reporting_version(version: str) -> Iterator[bool]:
    """Have the analyzers pulumi-policy makes in the body report ``version``; yields whether
    it could (a supported pulumi-policy)."""
    analyzer = _analyzer_class()
    if analyzer is None:
        yield False
        return

    class VersionedAnalyzer(analyzer):  # type: ignore[misc, valid-type]
        def __init__(self, name: str, _sdk_version: str, *args: Any, **kwargs: Any) -> None:
            super().__init__(name, version, *args, **kwargs)

    module: Any = pulumi_policy.policy
    module._PolicyAnalyzerServicer = VersionedAnalyzer
    try:
        yield True
    finally:
        module._PolicyAnalyzerServicer = analyzer


def _analyzer_class() -> type | None:
    from pulumi_policy.version import VERSION

    (low_major, low_minor), (high_major, high_minor) = SUPPORTED_SDK
    found = tuple(int(part) for part in VERSION.split(".")[:2])
    analyzer: type | None = getattr(pulumi_policy.policy, "_PolicyAnalyzerServicer", None)
    if not (low_major, low_minor) <= found < (high_major, high_minor) or analyzer is None:
        _log.debug("pulumi-policy %s is not a tested version; its notes say 0.0.1", VERSION)
        return None
    parameters = list(inspect.signature(analyzer).parameters)
    if parameters[:2] != ["name", "version"]:
        _log.debug("pulumi-policy's analyzer has another shape; its notes say 0.0.1")
        return None
    return analyzer
