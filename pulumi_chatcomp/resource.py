"""``ChatCompletion``: a stored OpenAI chat completion managed by Pulumi.

In a Pulumi program::

    greeting = chatcomp.ChatCompletion(
        "greeting",
        chatcomp.ChatCompletionArgs(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "Say hello to Pulumi."}],
            max_completion_tokens=64,
            metadata={"owner": "platform"},
        ),
    )
    pulumi.export("content", greeting.content)

A call the resource cannot take fails before anything is registered, naming the resource:

>>> import pulumi_chatcomp as chatcomp
>>> chatcomp.ChatCompletion("greeting", model="gpt-4o-mini")
Traceback (most recent call last):
...
pulumi_chatcomp._exceptions.InvalidArgumentError: ChatCompletion 'greeting': messages is required
"""

from __future__ import annotations

import copy
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from pulumi_chatcomp.core._names import ADOPT_NAME, IDENTITY_NAME, PROVIDER_KEY, TYPE_TOKEN
from pulumi_chatcomp.dynamic._identity import identity_of
from pulumi_chatcomp.dynamic._pickling import serialized_provider
from pulumi_chatcomp.program._completion import (
    SECRET_PROPERTIES,
    ChatCompletionArgs,
    ChatCompletionBase,
)
from pulumi_chatcomp.provider import ChatCompletionProvider

__all__ = ["SECRET_PROPERTIES", "TYPE_TOKEN", "ChatCompletion", "ChatCompletionArgs"]


class ChatCompletion(ChatCompletionBase, Resource, module="chatcomp", name="ChatCompletion"):
    """A stored chat completion: created on ``pulumi up``, refreshed, updated, deleted.

    Call it as generated Pulumi SDKs' resources are called: ``ChatCompletion(name, args,
    opts)`` with a ``ChatCompletionArgs``, or ``ChatCompletion(name, opts, model=...,
    messages=...)`` with the fields as keywords (``opts`` positional or not). Credentials
    come from the stack config (``chatcomp:apiKey``, ``chatcomp:baseUrl``, ...) or
    ``OPENAI_*`` variables and never enter the state. ``secret_outputs=True`` encrypts the
    prompts and the generated text in state.
    """

    def _register_completion(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        if opts is None or opts.id is None:
            # What its create token is derived from (a `get` creates nothing).
            props[IDENTITY_NAME] = identity_of(resource_name, opts)
        if opts is not None and opts.import_ is not None:
            # The dynamic provider host cannot serve the engine's bare import read (it has
            # no pickled provider to load), so the provider adopts the completion instead:
            # its create reads the stored completion rather than making a new one.
            props[ADOPT_NAME] = opts.import_
            opts = copy.copy(opts)
            opts.import_ = None
        props[PROVIDER_KEY] = serialized_provider(ChatCompletionProvider)
        # What pulumi.dynamic.Resource.__init__ does, with the provider pickled once per
        # program rather than per resource.
        pulumi.CustomResource.__init__(self, TYPE_TOKEN, resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> ChatCompletion:
        """Look up an existing stored completion by ID without managing it.

        Example::

            stored = ChatCompletion.get("stored", "chatcmpl-abc123")
            pulumi.export("stored_content", stored.content)
        """
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return ChatCompletion(resource_name, merged)
