# The client's public names (see pulumi_chatcomp._lazy).

from pulumi_chatcomp.client._client import ChatCompletionsClient as ChatCompletionsClient
from pulumi_chatcomp.client._client import get_client as get_client

__all__: list[str]
