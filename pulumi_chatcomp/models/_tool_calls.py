"""The fields of a tool call, which a request replays and a reply carries alike.

The spec declares a tool call once (``ChatCompletionMessageToolCalls``: a
``ChatCompletionMessageToolCall`` or a ``ChatCompletionMessageCustomToolCall``) and uses it
both in an assistant message of a request and in the model's reply. Its fields are declared
here once; ``_tools`` reads them strictly (``FunctionToolCallParam``, ...) and ``_response``
leniently (``FunctionToolCall``, ...), each class listing these first among its bases.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict


class _Fields(BaseModel):
    # Fields only: the request or response base beside it decides how they are read.
    model_config = ConfigDict(defer_build=True)


class FunctionCallFields(_Fields):
    """``name`` and JSON-encoded ``arguments`` of a function the model called."""

    openapi: ClassVar[str] = "ChatCompletionMessageToolCall.function"

    name: str
    arguments: str


class FunctionToolCallFields(_Fields):
    """``id`` and ``type`` of a function tool call (its ``function`` is the class's own)."""

    openapi: ClassVar[str] = "ChatCompletionMessageToolCall"

    id: str
    type: Literal["function"] = "function"


class CustomCallFields(_Fields):
    """``name`` of a custom tool the model called, and the ``input`` it generated."""

    openapi: ClassVar[str] = "ChatCompletionMessageCustomToolCall.custom"

    name: str
    input: str


class CustomToolCallFields(_Fields):
    """``id`` and ``type`` of a custom tool call (its ``custom`` is the class's own)."""

    openapi: ClassVar[str] = "ChatCompletionMessageCustomToolCall"

    id: str
    type: Literal["custom"] = "custom"
