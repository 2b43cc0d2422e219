# The model layer's public names, each once: type checkers read this file, and the
# package's __init__.py imports each name's module on its first use (see pulumi_chatcomp._lazy).

from pulumi_chatcomp.models._field_problem import FieldProblem as FieldProblem
from pulumi_chatcomp.models._lists import MAX_PAGE_SIZE as MAX_PAGE_SIZE
from pulumi_chatcomp.models._lists import Order as Order
from pulumi_chatcomp.models._messages import MESSAGES_ADAPTER as MESSAGES_ADAPTER
from pulumi_chatcomp.models._messages import AssistantAudioRef as AssistantAudioRef
from pulumi_chatcomp.models._messages import AssistantContentPart as AssistantContentPart
from pulumi_chatcomp.models._messages import AssistantMessageParam as AssistantMessageParam
from pulumi_chatcomp.models._messages import ContentPart as ContentPart
from pulumi_chatcomp.models._messages import DeveloperMessageParam as DeveloperMessageParam
from pulumi_chatcomp.models._messages import FileContentPart as FileContentPart
from pulumi_chatcomp.models._messages import FileInput as FileInput
from pulumi_chatcomp.models._messages import FunctionMessageParam as FunctionMessageParam
from pulumi_chatcomp.models._messages import ImageContentPart as ImageContentPart
from pulumi_chatcomp.models._messages import ImageURL as ImageURL
from pulumi_chatcomp.models._messages import InputAudio as InputAudio
from pulumi_chatcomp.models._messages import InputAudioContentPart as InputAudioContentPart
from pulumi_chatcomp.models._messages import MessageParam as MessageParam
from pulumi_chatcomp.models._messages import PromptCacheBreakpoint as PromptCacheBreakpoint
from pulumi_chatcomp.models._messages import RefusalContentPart as RefusalContentPart
from pulumi_chatcomp.models._messages import SystemMessageParam as SystemMessageParam
from pulumi_chatcomp.models._messages import TextContentPart as TextContentPart
from pulumi_chatcomp.models._messages import ToolMessageParam as ToolMessageParam
from pulumi_chatcomp.models._messages import UserContentPart as UserContentPart
from pulumi_chatcomp.models._messages import UserMessageParam as UserMessageParam
from pulumi_chatcomp.models._metadata import METADATA_KEY_MAX as METADATA_KEY_MAX
from pulumi_chatcomp.models._metadata import METADATA_MAX_PAIRS as METADATA_MAX_PAIRS
from pulumi_chatcomp.models._metadata import METADATA_VALUE_MAX as METADATA_VALUE_MAX
from pulumi_chatcomp.models._metadata import validate_metadata as validate_metadata
from pulumi_chatcomp.models._options import ApproximateLocation as ApproximateLocation
from pulumi_chatcomp.models._options import AudioOutputParam as AudioOutputParam
from pulumi_chatcomp.models._options import CustomVoice as CustomVoice
from pulumi_chatcomp.models._options import JSONSchemaFormat as JSONSchemaFormat
from pulumi_chatcomp.models._options import ModerationConfig as ModerationConfig
from pulumi_chatcomp.models._options import ModerationParam as ModerationParam
from pulumi_chatcomp.models._options import ModerationPolicy as ModerationPolicy
from pulumi_chatcomp.models._options import PredictionParam as PredictionParam
from pulumi_chatcomp.models._options import PromptCacheOptions as PromptCacheOptions
from pulumi_chatcomp.models._options import ResponseFormat as ResponseFormat
from pulumi_chatcomp.models._options import ResponseFormatJSONObject as ResponseFormatJSONObject
from pulumi_chatcomp.models._options import ResponseFormatJSONSchema as ResponseFormatJSONSchema
from pulumi_chatcomp.models._options import ResponseFormatText as ResponseFormatText
from pulumi_chatcomp.models._options import StreamOptions as StreamOptions
from pulumi_chatcomp.models._options import WebSearchOptions as WebSearchOptions
from pulumi_chatcomp.models._options import WebSearchUserLocation as WebSearchUserLocation
from pulumi_chatcomp.models._pages import ChatCompletionList as ChatCompletionList
from pulumi_chatcomp.models._pages import ChatCompletionMessageList as ChatCompletionMessageList
from pulumi_chatcomp.models._pages import CursorPage as CursorPage
from pulumi_chatcomp.models._problems import validation_problems as validation_problems
from pulumi_chatcomp.models._request import ChatCompletionCreateParams as ChatCompletionCreateParams
from pulumi_chatcomp.models._response import Annotation as Annotation
from pulumi_chatcomp.models._response import ChatCompletion as ChatCompletion
from pulumi_chatcomp.models._response import ChatCompletionDeleted as ChatCompletionDeleted
from pulumi_chatcomp.models._response import ChatCompletionMessage as ChatCompletionMessage
from pulumi_chatcomp.models._response import ChatCompletionModeration as ChatCompletionModeration
from pulumi_chatcomp.models._response import (
    ChatCompletionStoreMessage as ChatCompletionStoreMessage,
)
from pulumi_chatcomp.models._response import Choice as Choice
from pulumi_chatcomp.models._response import ChoiceLogprobs as ChoiceLogprobs
from pulumi_chatcomp.models._response import CompletionTokensDetails as CompletionTokensDetails
from pulumi_chatcomp.models._response import CustomCall as CustomCall
from pulumi_chatcomp.models._response import CustomToolCall as CustomToolCall
from pulumi_chatcomp.models._response import FunctionCall as FunctionCall
from pulumi_chatcomp.models._response import FunctionToolCall as FunctionToolCall
from pulumi_chatcomp.models._response import MessageAudio as MessageAudio
from pulumi_chatcomp.models._response import ModerationError as ModerationError
from pulumi_chatcomp.models._response import ModerationOutcome as ModerationOutcome
from pulumi_chatcomp.models._response import ModerationResult as ModerationResult
from pulumi_chatcomp.models._response import ModerationResults as ModerationResults
from pulumi_chatcomp.models._response import PromptTokensDetails as PromptTokensDetails
from pulumi_chatcomp.models._response import StoredContentPart as StoredContentPart
from pulumi_chatcomp.models._response import StoredImagePart as StoredImagePart
from pulumi_chatcomp.models._response import StoredImageURL as StoredImageURL
from pulumi_chatcomp.models._response import StoredTextPart as StoredTextPart
from pulumi_chatcomp.models._response import TokenLogprob as TokenLogprob
from pulumi_chatcomp.models._response import ToolCall as ToolCall
from pulumi_chatcomp.models._response import TopLogprob as TopLogprob
from pulumi_chatcomp.models._response import URLCitation as URLCitation
from pulumi_chatcomp.models._response import Usage as Usage
from pulumi_chatcomp.models._stream import ChatCompletionChunk as ChatCompletionChunk
from pulumi_chatcomp.models._stream import ChoiceDelta as ChoiceDelta
from pulumi_chatcomp.models._stream import ChoiceDeltaFunctionCall as ChoiceDeltaFunctionCall
from pulumi_chatcomp.models._stream import ChoiceDeltaToolCall as ChoiceDeltaToolCall
from pulumi_chatcomp.models._stream import (
    ChoiceDeltaToolCallFunction as ChoiceDeltaToolCallFunction,
)
from pulumi_chatcomp.models._stream import ChunkChoice as ChunkChoice
from pulumi_chatcomp.models._tools import AllowedTools as AllowedTools
from pulumi_chatcomp.models._tools import AllowedToolsChoice as AllowedToolsChoice
from pulumi_chatcomp.models._tools import CustomCallParam as CustomCallParam
from pulumi_chatcomp.models._tools import CustomToolCallParam as CustomToolCallParam
from pulumi_chatcomp.models._tools import CustomToolDefinition as CustomToolDefinition
from pulumi_chatcomp.models._tools import CustomToolFormat as CustomToolFormat
from pulumi_chatcomp.models._tools import CustomToolGrammarFormat as CustomToolGrammarFormat
from pulumi_chatcomp.models._tools import CustomToolParam as CustomToolParam
from pulumi_chatcomp.models._tools import CustomToolTextFormat as CustomToolTextFormat
from pulumi_chatcomp.models._tools import FunctionCallOption as FunctionCallOption
from pulumi_chatcomp.models._tools import FunctionCallParam as FunctionCallParam
from pulumi_chatcomp.models._tools import FunctionDefinition as FunctionDefinition
from pulumi_chatcomp.models._tools import FunctionToolCallParam as FunctionToolCallParam
from pulumi_chatcomp.models._tools import FunctionToolParam as FunctionToolParam
from pulumi_chatcomp.models._tools import Grammar as Grammar
from pulumi_chatcomp.models._tools import LegacyFunction as LegacyFunction
from pulumi_chatcomp.models._tools import NamedCustomToolChoice as NamedCustomToolChoice
from pulumi_chatcomp.models._tools import NamedFunctionToolChoice as NamedFunctionToolChoice
from pulumi_chatcomp.models._tools import ToolCallParam as ToolCallParam
from pulumi_chatcomp.models._tools import ToolChoice as ToolChoice
from pulumi_chatcomp.models._tools import ToolName as ToolName
from pulumi_chatcomp.models._tools import ToolParam as ToolParam
from pulumi_chatcomp.models._warnings import DEPRECATED_REQUEST_FIELDS as DEPRECATED_REQUEST_FIELDS
from pulumi_chatcomp.models._warnings import (
    ChatCompDeprecationWarning as ChatCompDeprecationWarning,
)
from pulumi_chatcomp.models._warnings import deprecated_fields as deprecated_fields

__all__: list[str]
