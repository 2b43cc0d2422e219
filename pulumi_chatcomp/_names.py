"""The ChatCompletion resource's type token and computed property names: constants only.

A Pulumi program needs these to declare resources, and importing them must not build the
model layer: the program never validates (the provider host does, in ``check``), so keeping
pydantic out of the program's imports lets it register its first resource sooner.

>>> TYPE_TOKEN
'pulumi-python:dynamic/chatcomp:ChatCompletion'
"""

from __future__ import annotations

from typing import Final

__all__ = ["ADOPT_NAME", "OUTPUT_NAMES", "TYPE_TOKEN"]

TYPE_TOKEN: Final = "pulumi-python:dynamic/chatcomp:ChatCompletion"
"""The type token of every ChatCompletion resource; policies match on it."""

ADOPT_NAME: Final = "import_id"
"""Set from the ``import_`` option: create adopts this stored completion (never diffed)."""

OUTPUT_NAMES: Final = (
    "choices",
    "completion_id",
    "content",
    "created",
    "finish_reason",
    "object",
    "refusal",
    "response_metadata",
    "response_model",
    "response_service_tier",
    "system_fingerprint",
    "tool_calls",
    "usage",
)
"""Properties computed from the API's answer (``metadata`` is an input kept in sync)."""
