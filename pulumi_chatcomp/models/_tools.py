"""Tools the model may call, how to choose among them, and tool calls sent back in history."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator

from pulumi_chatcomp.models._base import RequestModel, invalid, tagged_by
from pulumi_chatcomp.models._problems import show
from pulumi_chatcomp.models._tool_calls import (
    CustomCallFields,
    CustomToolCallFields,
    FunctionCallFields,
    FunctionToolCallFields,
)

_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise invalid(
            "may only contain letters, digits, underscores and dashes "
            f"(1 to 64 characters), got {show(name)}"
        )
    return name


FunctionName = Annotated[str, AfterValidator(_check_name)]
"""A function or response-format name: ``[A-Za-z0-9_-]``, 1 to 64 characters."""


class FunctionDefinition(RequestModel):
    """A function the model may call.

    >>> FunctionDefinition(name="get_weather", parameters={"type": "object"}).name
    'get_weather'
    """

    openapi = "FunctionObject"

    name: FunctionName
    description: str | None = None
    """What the function does; the model uses it to decide when to call it."""
    parameters: dict[str, Any] | None = None
    """The arguments as a JSON Schema object; omit for a function without arguments."""
    strict: bool | None = None
    """Follow ``parameters`` exactly (Structured Outputs); a subset of JSON Schema applies."""


class FunctionToolParam(RequestModel):
    """A function tool: ``{"type": "function", "function": {...}}``."""

    openapi = "ChatCompletionTool"

    type: Literal["function"] = "function"
    function: FunctionDefinition


class CustomToolTextFormat(RequestModel):
    """Free-form text input for a custom tool."""

    openapi = "CustomToolChatCompletions.custom.format(Text format)"

    type: Literal["text"] = "text"


class Grammar(RequestModel):
    """A grammar that constrains a custom tool's input."""

    openapi = "CustomToolChatCompletions.custom.format(Grammar format).grammar"

    definition: str
    syntax: Literal["lark", "regex"]


class CustomToolGrammarFormat(RequestModel):
    """Grammar-constrained input for a custom tool."""

    openapi = "CustomToolChatCompletions.custom.format(Grammar format)"

    type: Literal["grammar"] = "grammar"
    grammar: Grammar


CustomToolFormat = Annotated[CustomToolTextFormat | CustomToolGrammarFormat, tagged_by("type")]


class CustomToolDefinition(RequestModel):
    """A custom tool that takes free-form (or grammar-constrained) text input."""

    openapi = "CustomToolChatCompletions.custom"

    name: str
    description: str | None = None
    format: CustomToolFormat | None = None


class CustomToolParam(RequestModel):
    """A custom tool: ``{"type": "custom", "custom": {...}}``."""

    openapi = "CustomToolChatCompletions"

    type: Literal["custom"] = "custom"
    custom: CustomToolDefinition


ToolParam = Annotated[FunctionToolParam | CustomToolParam, tagged_by("type")]
"""One entry of ``tools``: a function tool or a custom tool."""


class AllowedTools(RequestModel):
    """Restricts the model to a subset of ``tools``."""

    openapi = "ChatCompletionAllowedTools"

    mode: Literal["auto", "required"]
    tools: list[dict[str, Any]]
    """Tool references such as ``{"type": "function", "function": {"name": "get_time"}}``."""


class AllowedToolsChoice(RequestModel):
    """``tool_choice`` that limits the model to some of the tools."""

    openapi = "ChatCompletionAllowedToolsChoice"

    type: Literal["allowed_tools"] = "allowed_tools"
    allowed_tools: AllowedTools


class ToolName(RequestModel):
    """The name of the tool to force."""

    openapi = "ChatCompletionNamedToolChoice.function"

    name: str


class NamedFunctionToolChoice(RequestModel):
    """``tool_choice`` that forces one function tool."""

    openapi = "ChatCompletionNamedToolChoice"

    type: Literal["function"] = "function"
    function: ToolName


class NamedCustomToolChoice(RequestModel):
    """``tool_choice`` that forces one custom tool."""

    openapi = "ChatCompletionNamedToolChoiceCustom"

    type: Literal["custom"] = "custom"
    custom: ToolName


ToolChoice = (
    Literal["none", "auto", "required"]
    | Annotated[
        AllowedToolsChoice | NamedFunctionToolChoice | NamedCustomToolChoice, tagged_by("type")
    ]
)
"""``"none"``, ``"auto"``, ``"required"`` or an object naming the tool(s) to use."""


class FunctionCallOption(RequestModel):
    """Deprecated ``function_call`` value that forces one function."""

    openapi = "ChatCompletionFunctionCallOption"

    name: str


class LegacyFunction(RequestModel):
    """One entry of the deprecated ``functions`` list (use ``tools``)."""

    openapi = "ChatCompletionFunctions"

    name: FunctionName
    description: str | None = None
    parameters: dict[str, Any] | None = None


class FunctionCallParam(FunctionCallFields, RequestModel):
    """The function an assistant called, with its JSON-encoded arguments."""

    # The spec describes these two fields for a request where an assistant message carries
    # them as its deprecated function_call.
    openapi = "ChatCompletionRequestAssistantMessage.function_call"


class FunctionToolCallParam(FunctionToolCallFields, RequestModel):
    """A function call made by the assistant earlier in the conversation."""

    function: FunctionCallParam


class CustomCallParam(CustomCallFields, RequestModel):
    """The custom tool an assistant called, with its input."""


class CustomToolCallParam(CustomToolCallFields, RequestModel):
    """A custom tool call made by the assistant earlier in the conversation."""

    custom: CustomCallParam


ToolCallParam = Annotated[FunctionToolCallParam | CustomToolCallParam, tagged_by("type")]
"""One entry of an assistant message's ``tool_calls``."""
