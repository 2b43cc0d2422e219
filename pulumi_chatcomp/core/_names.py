"""The ChatCompletion resource's type tokens and property names: constants only, which a
Pulumi program declares resources with. Each is declared here once; the faces, the core and
the plugin's schema read them.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADOPT_NAME",
    "ANCHOR_TYPE_TOKEN",
    "ANSWER_PATHS",
    "CREATE_TOKEN",
    "IDENTITY_NAME",
    "OUTPUT_NAMES",
    "PACKAGE",
    "PARSED_NAME",
    "PLUGIN_TYPE_TOKEN",
    "PROVIDER_KEY",
    "READ_BACK_NAMES",
    "REQUIRED_OUTPUT_NAMES",
    "RETIRED_OUTPUT_NAMES",
    "SET_TYPE_TOKEN",
    "TYPE_TOKEN",
    "TYPE_TOKENS",
    "type_of",
]

PACKAGE: Final = "chatcomp"
"""The Pulumi package: the plugin's name (``pulumi-resource-chatcomp``) and config namespace."""

TYPE_TOKEN: Final = "pulumi-python:dynamic/chatcomp:ChatCompletion"
"""The type token of the dynamic resource (``pulumi_chatcomp.ChatCompletion``)."""

PLUGIN_TYPE_TOKEN: Final = f"{PACKAGE}:index:ChatCompletion"
"""The type token of the provider plugin's resource, in every language."""

SET_TYPE_TOKEN: Final = f"{PACKAGE}:index:ChatCompletionSet"
"""The type token of the provider plugin's ChatCompletionSet: many stored completions, one
resource (see ``core._sets``)."""

TYPE_TOKENS: Final = (TYPE_TOKEN, PLUGIN_TYPE_TOKEN)
"""A ChatCompletion is either; policies match both."""

ADOPT_NAME: Final = "import_id"
"""Set from the ``import_`` option: create adopts this stored completion (never diffed)."""

CREATE_TOKEN: Final = "__create_token"
"""Set by check on a stored completion's inputs: the token its create tags the completion
with (``client._idempotency``). It is an input, so the engine records it before the create
starts; after a hard stop leaves the create pending, the completion that create stored can
be found by it (``chatcomp recover``). Kept while nothing forces a new completion, never
diffed."""

IDENTITY_NAME: Final = "__identity"
"""Set by the dynamic resource in the program: what names it within its stack instance (its
stack's anchor and its URN), from which check derives its create token. The plugin knows
both itself (its provider's id, the request's URN). Never recorded: check leaves it out."""

PROVIDER_KEY: Final = "__provider"
"""Where a dynamic resource's state keeps its pickled provider (``pulumi.dynamic``'s
``PROVIDER_KEY``): the engine adds it beside the inputs, the dynamic provider host unpickles
the provider from it on every later call, and it is no input or output of ours."""

ANCHOR_TYPE_TOKEN: Final = "pulumi-python:dynamic/chatcomp:StackAnchor"
"""The type token of the one ``StackAnchor`` of a stack whose program declares dynamic
ChatCompletions: its random id tells the stack apart from any other of the same name."""

ANSWER_PATHS: Final = {
    "choices": ("choices",),
    "content": ("choices", 0, "message", "content"),
    "created": ("created",),
    "finish_reason": ("choices", 0, "finish_reason"),
    "refusal": ("choices", 0, "message", "refusal"),
    "response_model": ("model",),
    "response_service_tier": ("service_tier",),
    "system_fingerprint": ("system_fingerprint",),
    "tool_calls": ("choices", 0, "message", "tool_calls"),
    "usage": ("usage",),
}
"""Each computed output and where it is in the API's answer (``0``: the first choice); the
outputs and the plugin's schema are both derived from it."""

PARSED_NAME: Final = "parsed"
"""The output that holds the first choice's content decoded as JSON, for a completion whose
``response_format`` asks for JSON (see ``_structured``); it is at no path of the answer."""

OUTPUT_NAMES: Final = (*ANSWER_PATHS, PARSED_NAME)
"""Properties computed from the API's answer (``metadata`` is an input kept in sync).

The engine rewrites a stack's whole state after every step, so nothing here repeats what
state already holds: the completion's ID is the resource's ``id`` (``completion_id`` reads
it), ``object`` is always ``chat.completion``, and ``choices`` is kept only when it says
more than the first-choice outputs (see ``_properties.outputs_from``)."""

READ_BACK_NAMES: Final = ("messages", "metadata", "model", "store")
"""Inputs a program reads back from a ChatCompletion beside ``OUTPUT_NAMES``: what was asked,
as state keeps it (``store`` with its default filled in)."""

REQUIRED_OUTPUT_NAMES: Final = ("content", "created", "messages", "model", "response_model")
"""The outputs every completion's state has: the schema's ``required``, which generated SDKs
type as always present."""

RETIRED_OUTPUT_NAMES: Final = ("completion_id", "object")
"""Outputs a state may hold that nothing computes (why: ``OUTPUT_NAMES``): read and update
drop them, check ignores them."""


def type_of(urn: str) -> str:
    """The type token of the resource a URN names (a component's child has its parents'
    types before it, joined by ``$``); empty for what is no URN.

    >>> type_of("urn:pulumi:dev::app::my:index:Component$chatcomp:index:ChatCompletionSet::s")
    'chatcomp:index:ChatCompletionSet'
    """
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""
