# The package's public names, each once: type checkers read this file, and the package's
# __init__.py imports each name's module on its first use (see pulumi_chatcomp._lazy).

from pulumi_chatcomp._config import Settings as Settings
from pulumi_chatcomp._exceptions import APIConnectionError as APIConnectionError
from pulumi_chatcomp._exceptions import APIError as APIError
from pulumi_chatcomp._exceptions import APIResponseValidationError as APIResponseValidationError
from pulumi_chatcomp._exceptions import APIStatusError as APIStatusError
from pulumi_chatcomp._exceptions import APITimeoutError as APITimeoutError
from pulumi_chatcomp._exceptions import AuthenticationError as AuthenticationError
from pulumi_chatcomp._exceptions import BadRequestError as BadRequestError
from pulumi_chatcomp._exceptions import ChatCompError as ChatCompError
from pulumi_chatcomp._exceptions import ConfigurationError as ConfigurationError
from pulumi_chatcomp._exceptions import ConflictError as ConflictError
from pulumi_chatcomp._exceptions import ImportMismatchError as ImportMismatchError
from pulumi_chatcomp._exceptions import InternalServerError as InternalServerError
from pulumi_chatcomp._exceptions import InvalidArgumentError as InvalidArgumentError
from pulumi_chatcomp._exceptions import NotFoundError as NotFoundError
from pulumi_chatcomp._exceptions import PermissionDeniedError as PermissionDeniedError
from pulumi_chatcomp._exceptions import PolicyConfigError as PolicyConfigError
from pulumi_chatcomp._exceptions import RateLimitError as RateLimitError
from pulumi_chatcomp._exceptions import StructuredOutputError as StructuredOutputError
from pulumi_chatcomp._exceptions import UnprocessableEntityError as UnprocessableEntityError
from pulumi_chatcomp.client._client import ChatCompletionsClient as ChatCompletionsClient
from pulumi_chatcomp.client._client import get_client as get_client
from pulumi_chatcomp.core._names import TYPE_TOKEN as TYPE_TOKEN
from pulumi_chatcomp.data_sources import (
    GetChatCompletionMessagesResult as GetChatCompletionMessagesResult,
)
from pulumi_chatcomp.data_sources import GetChatCompletionResult as GetChatCompletionResult
from pulumi_chatcomp.data_sources import GetChatCompletionsResult as GetChatCompletionsResult
from pulumi_chatcomp.data_sources import StoredChatCompletion as StoredChatCompletion
from pulumi_chatcomp.data_sources import StoredChatCompletionMessage as StoredChatCompletionMessage
from pulumi_chatcomp.data_sources import get_chat_completion as get_chat_completion
from pulumi_chatcomp.data_sources import (
    get_chat_completion_messages as get_chat_completion_messages,
)
from pulumi_chatcomp.data_sources import (
    get_chat_completion_messages_output as get_chat_completion_messages_output,
)
from pulumi_chatcomp.data_sources import get_chat_completion_output as get_chat_completion_output
from pulumi_chatcomp.data_sources import get_chat_completions as get_chat_completions
from pulumi_chatcomp.data_sources import get_chat_completions_output as get_chat_completions_output
from pulumi_chatcomp.provider import ChatCompletionProvider as ChatCompletionProvider
from pulumi_chatcomp.resource import ChatCompletion as ChatCompletion
from pulumi_chatcomp.resource import ChatCompletionArgs as ChatCompletionArgs

__version__: str
__all__: list[str]
