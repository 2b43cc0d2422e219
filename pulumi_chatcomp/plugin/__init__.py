"""The provider plugin face: ``pulumi-resource-chatcomp`` serves the ChatCompletion resource
and the three reads, as real invokes, to programs in every Pulumi language.

``_provider`` adapts the core to the SDK's provider interface, ``_server`` serves it with the
SDK's own gRPC server, ``_values`` converts property values, and ``_schema`` generates the
package schema (``schema.json``) from the model layer and the config home.
"""

from __future__ import annotations

from pulumi_chatcomp.plugin._server import main

__all__ = ["main"]
