"""The ChatCompletion resource's type token and computed property names: constants only,
which a Pulumi program declares resources with.

>>> TYPE_TOKEN
'pulumi-python:dynamic/chatcomp:ChatCompletion'
"""

from __future__ import annotations

from typing import Final

__all__ = ["ADOPT_NAME", "OUTPUT_NAMES", "RETIRED_OUTPUT_NAMES", "TYPE_TOKEN"]

TYPE_TOKEN: Final = "pulumi-python:dynamic/chatcomp:ChatCompletion"
"""The type token of every ChatCompletion resource; policies match on it."""

ADOPT_NAME: Final = "import_id"
"""Set from the ``import_`` option: create adopts this stored completion (never diffed)."""

OUTPUT_NAMES: Final = (
    "choices",
    "content",
    "created",
    "finish_reason",
    "refusal",
    "response_model",
    "response_service_tier",
    "system_fingerprint",
    "tool_calls",
    "usage",
)
"""Properties computed from the API's answer (``metadata`` is an input kept in sync).

The engine rewrites a stack's whole state after every step, so nothing here repeats what
state already holds: the completion's ID is the resource's ``id`` (``completion_id`` reads
it), ``object`` is always ``chat.completion``, and ``choices`` is kept only when it says
more than the first-choice outputs (see ``_properties.outputs_from``)."""

RETIRED_OUTPUT_NAMES: Final = ("completion_id", "object")
"""Outputs that earlier versions kept in state: read and update drop them, check ignores them."""
