"""The provider plugin face: ``pulumi-resource-chatcomp`` serves the ChatCompletion resource
and the three reads, as real invokes, to programs in every Pulumi language.

``_provider`` adapts the core to the SDK's provider interface, in the API's names;
``_boundary`` renames what crosses to the engine to the schema's (camelCase) names with the
one mapping ``_casing`` reads from the schema; ``_server`` serves it with the SDK's own gRPC
server; ``_values`` converts property values; ``_schema`` generates the package schema
(``schema.json``) from the model layer and the config home, with the types ``_types`` makes
of the models and what ``_docs`` says of them (descriptions from OpenAI's spec,
deprecations, examples).
"""

from __future__ import annotations

import gc

__all__ = ["main"]


def main() -> None:
    """Serve the provider plugin over gRPC (the engine starts it; it prints its port)."""
    # Starting allocates a great deal and frees next to nothing: a collection would only walk
    # every module's objects again, a tenth of the start-up. ``_server`` turns collection back
    # on once the provider is loaded.
    gc.disable()
    # Imported here, so that ``pulumi_chatcomp.plugin._values`` and ``_schema`` load without
    # the SDK's provider server.
    from pulumi_chatcomp.plugin._server import main as serve

    serve()
