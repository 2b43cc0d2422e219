"""``pulumi_chatcomp.native`` under the name Pulumi's tools print for the plugin's Python SDK.

The plugin's schema names its Python package ``pulumi_chatcomp_sdk`` (``language.python``
``packageName``), so the code that ``pulumi import chatcomp:index:ChatCompletion <name> <id>
--out imported.py`` prints for a Python program reads::

    import pulumi
    import pulumi_chatcomp_sdk as chatcomp

    adopted = chatcomp.ChatCompletion("adopted",
        messages=[{"content": "Adopt me.", "role": "user"}],
        model="gpt-4o-mini",
        opts = pulumi.ResourceOptions(protect=True))

This package makes that code run unchanged wherever pulumi-chatcomp is installed: it is the
plugin face, ``pulumi_chatcomp.native``, whose names and call shapes are those of a generated
SDK, and has nothing of its own. (``pulumi package add`` in a Python program generates an SDK of
that name instead; use one or the other in a program.)
"""

from __future__ import annotations

from pulumi_chatcomp import native as _native
from pulumi_chatcomp.native import *  # noqa: F403 (its names are listed once, in native)

__all__ = _native.__all__
