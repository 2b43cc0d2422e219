"""The schema's enums, named as Pulumi's Python code generator names them.

Code written for a generated SDK, such as what ``pulumi import ... --out`` prints for a Python
program, spells a message's role ``chatcomp.MessageParamRole.USER``; these classes let it run
on the plugin face. Each member is the API's own string (``StrEnum``), so it goes wherever a
string does, and a plain string works wherever a member does. ``tests/unit/native/test_enums.py``
keeps them equal to the schema's enums.

>>> from pulumi_chatcomp import native
>>> native.MessageParamRole.USER == "user", native.ResponseFormatType.JSON_SCHEMA.value
(True, 'json_schema')
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CustomToolFormatType",
    "MessageParamRole",
    "ResponseFormatType",
    "ToolCallParamType",
    "ToolParamType",
]


class MessageParamRole(StrEnum):
    """A message's ``role`` (``function`` is deprecated: a ``tool`` message answers a call)."""

    ASSISTANT = "assistant"
    DEVELOPER = "developer"
    FUNCTION = "function"
    SYSTEM = "system"
    TOOL = "tool"
    USER = "user"


class ResponseFormatType(StrEnum):
    """A ``response_format``'s ``type``."""

    JSON_OBJECT = "json_object"
    JSON_SCHEMA = "json_schema"
    TEXT = "text"


class ToolParamType(StrEnum):
    """A tool's ``type``."""

    CUSTOM = "custom"
    FUNCTION = "function"


class ToolCallParamType(StrEnum):
    """An assistant message's tool call's ``type``."""

    CUSTOM = "custom"
    FUNCTION = "function"


class CustomToolFormatType(StrEnum):
    """A custom tool's ``format.type``."""

    GRAMMAR = "grammar"
    TEXT = "text"
