"""The provider plugin's ChatCompletion and functions for Python programs.

``native.ChatCompletion`` is ``chatcomp:index:ChatCompletion`` (and ``ChatCompletionSet``
the plugin's set of many), served by the
``pulumi-resource-chatcomp`` plugin this package installs; ``pulumi_chatcomp.ChatCompletion``
is the dynamic resource. Both take the same arguments and read the same outputs; the plugin
face also previews dependents truthfully, imports from the command line and keeps no code in
state, but needs the plugin where the engine can find it (see the README). Its functions have
the data sources' names and results, and ``Provider`` configures an explicit provider. The
schema's enums (``MessageParamRole``, ...) are here under the names a generated SDK gives them.
"""

from __future__ import annotations

from pulumi_chatcomp.native import _functions
from pulumi_chatcomp.native._enums import (
    CustomToolFormatType,
    MessageParamRole,
    ResponseFormatType,
    ToolCallParamType,
    ToolParamType,
)
from pulumi_chatcomp.native._functions import *  # noqa: F403 - the functions, listed there
from pulumi_chatcomp.native._resources import ChatCompletion, ChatCompletionSet, Provider
from pulumi_chatcomp.program._completion import ChatCompletionArgs

__all__ = [
    "ChatCompletion",
    "ChatCompletionArgs",
    "ChatCompletionSet",
    "CustomToolFormatType",
    "MessageParamRole",
    "Provider",
    "ResponseFormatType",
    "ToolCallParamType",
    "ToolParamType",
]
__all__ += _functions.__all__
