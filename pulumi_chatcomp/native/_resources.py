"""The provider plugin's resources for Python programs: ``ChatCompletion`` and ``Provider``."""

from __future__ import annotations

import re
from typing import Any, overload

import pulumi

from pulumi_chatcomp import __version__
from pulumi_chatcomp._config import CONFIG_KEYS
from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.core._names import PACKAGE, PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.program._completion import (
    ChatCompletionArgs,
    ChatCompletionBase,
    completion_props,
)
from pulumi_chatcomp.program._errors import reported

__all__ = ["ChatCompletion", "Provider", "plugin_options"]


def plugin_options(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """``opts`` with the plugin's version, so the engine loads ``pulumi-resource-chatcomp``
    of this package's version (as generated SDKs pin theirs)."""
    return pulumi.ResourceOptions.merge(pulumi.ResourceOptions(version=__version__), opts)


class ChatCompletion(ChatCompletionBase):
    """A stored chat completion of the provider plugin (``chatcomp:index:ChatCompletion``).

    The same arguments, outputs and behaviour as ``pulumi_chatcomp.ChatCompletion``, served
    by ``pulumi-resource-chatcomp``: previews of what depends on it tell the truth, ``pulumi
    import`` works on the command line, and nothing but data is kept in state.

    Example::

        from pulumi_chatcomp import native

        answer = native.ChatCompletion(
            "answer", model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}]
        )
    """

    @overload
    def __init__(
        self,
        resource_name: str,
        args: ChatCompletionArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        secret_outputs: bool = False,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        secret_outputs: bool = False,
        **kwargs: Any,
    ) -> None: ...

    def __init__(
        self, resource_name: str, *positional: Any, secret_outputs: bool = False, **kwargs: Any
    ) -> None:
        props, opts = completion_props(resource_name, positional, kwargs, secret_outputs)
        super().__init__(PLUGIN_TYPE_TOKEN, resource_name, props, plugin_options(opts))

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> ChatCompletion:
        """Look up an existing stored completion by ID without managing it."""
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return ChatCompletion(resource_name, merged)


class Provider(pulumi.ProviderResource):
    """An explicit ``chatcomp`` provider: its own settings, e.g. another server or key.

    Each keyword is a ``chatcomp:*`` setting in snake case (``base_url`` is
    ``chatcomp:baseUrl``); ``api_key`` is kept in state as a secret.

    Example::

        eu = native.Provider("eu", base_url="https://eu.api.openai.com/v1")
        native.ChatCompletion("local", ..., opts=pulumi.ResourceOptions(provider=eu))
    """

    def __init__(
        self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **settings: Any
    ) -> None:
        unknown = sorted(set(settings) - set(_SETTINGS))
        if unknown:
            with reported(f"Provider {resource_name!r}"):
                raise InvalidArgumentError(
                    ", ".join(unknown), f"is not a setting; the settings are {', '.join(_SETTINGS)}"
                )
        props: dict[str, Any] = {
            _SETTINGS[name]: value for name, value in settings.items() if value is not None
        }
        secrets = [key.name for key in CONFIG_KEYS if key.secret and key.name in props]
        for name in secrets:
            props[name] = pulumi.Output.secret(props[name])
        super().__init__(PACKAGE, resource_name, props, plugin_options(opts))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


# Python keyword -> config key name (base_url -> baseUrl), from the config home.
_SETTINGS = {_snake(key.name): key.name for key in CONFIG_KEYS}
