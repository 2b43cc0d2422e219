"""The provider plugin's resources for Python programs: ``ChatCompletion``,
``ChatCompletionSet`` and ``Provider``.

The plugin's schema names properties in camelCase; Python programs use snake_case, as
Pulumi's generated Python SDKs do. Both resources rename what they send and what they
read with the plugin's one mapping (``plugin._casing``, read from the schema), which leaves
user data (metadata keys, JSON schemas, tool parameters) as it is.
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

import pulumi

from pulumi_chatcomp import __version__
from pulumi_chatcomp._config import CONFIG_KEYS
from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.core._names import PACKAGE, PLUGIN_TYPE_TOKEN, SET_TYPE_TOKEN
from pulumi_chatcomp.plugin._casing import Shape, package_names, snake
from pulumi_chatcomp.program._completion import ChatCompletionBase
from pulumi_chatcomp.program._errors import reported

__all__ = ["ChatCompletion", "ChatCompletionSet", "Provider", "plugin_options"]


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

    def _register_completion(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        _register(self, PLUGIN_TYPE_TOKEN, resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> ChatCompletion:
        """Look up an existing stored completion by ID without managing it."""
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return ChatCompletion(resource_name, merged)


class ChatCompletionSet(pulumi.CustomResource):
    """Many stored chat completions kept as one resource (``chatcomp:index:ChatCompletionSet``):
    a dataset, an evaluation set.

    Keywords are the request fields every item shares (``model``, ``messages`` as a prefix,
    ``temperature``, ``metadata``, ...) and the items: ``items`` maps a key you choose to an
    item's ``messages`` and its own values of any field; ``items_file`` reads more from a JSON
    Lines file (a ``pulumi.FileAsset``), one item per line with its ``key``. ``triggers``
    makes every item again; an item's ``regenerate`` makes that one again;
    ``max_concurrency`` caps how many run at once. A preview names the items an edit
    changes; ``up`` runs only those.

    Example::

        evals = native.ChatCompletionSet(
            "evals",
            model="gpt-4o-mini",
            metadata={"dataset": "faq"},
            items={
                "q-0001": {"messages": [{"role": "user", "content": "Where is my order?"}]},
                "q-0002": {"messages": [{"role": "user", "content": "Can I pay later?"}]},
            },
        )
        pulumi.export("first", evals.results.apply(lambda r: r["q-0001"]["content"]))
    """

    results: pulumi.Output[dict[str, dict[str, Any]]]
    """Each item's completion, by key: ``id``, ``content``, ``parsed``, ``finish_reason``,
    ``usage`` and the ``fingerprint`` it was made from."""
    count: pulumi.Output[int]
    """How many items the set holds."""
    usage: pulumi.Output[dict[str, int]]
    """``prompt_tokens``, ``completion_tokens`` and ``total_tokens``, summed over the items."""
    tag: pulumi.Output[str]
    """The set's tag, in every item's metadata: a list filtered on it reads the set."""

    def __init__(
        self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **inputs: Any
    ) -> None:
        from pulumi_chatcomp.core._sets._items import SET_INPUT_NAMES

        with reported(f"ChatCompletionSet {resource_name!r}"):
            unknown = sorted(set(inputs) - SET_INPUT_NAMES)
            if unknown:
                close = difflib.get_close_matches(unknown[0], sorted(SET_INPUT_NAMES), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise InvalidArgumentError(
                    unknown[0], f"is not an argument of ChatCompletionSet{hint}"
                )
        props = {k: v for k, v in inputs.items() if v is not None}
        props |= dict.fromkeys(("results", "count", "usage", "tag"))
        _register(self, SET_TYPE_TOKEN, resource_name, props, opts)


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


def _register(
    resource: pulumi.CustomResource,
    token: str,
    resource_name: str,
    props: dict[str, Any],
    opts: pulumi.ResourceOptions | None,
) -> None:
    """Register ``resource`` with its properties in the schema's names; the program reads its
    outputs in the API's."""
    shape = package_names().resources[token]
    sent = shape.to_schema(props, deferred=_when_known)
    pulumi.CustomResource.__init__(
        resource, token, resource_name, sent, plugin_options(_named(opts))
    )
    for name in sent:
        api_name, inner = shape.child(name, "api")
        output = resource.__dict__.pop(name)
        resource.__dict__[api_name] = output if inner is None else output.apply(inner.to_api)


def _when_known(value: Any, rename: Any) -> pulumi.Output[Any]:
    # An Input not known yet: renamed once it is (unknown and secret stay so).
    return pulumi.Output.from_input(value).apply(rename)


def _named(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    """``opts`` with the properties it names (``ignore_changes``, ...) in the schema's names."""
    if opts is None:
        return None
    names = package_names()
    named = copy.copy(opts)
    for option in ("ignore_changes", "replace_on_changes", "additional_secret_outputs"):
        given = getattr(opts, option, None)
        if given:
            setattr(named, option, [names.reword(path, "schema") for path in given])
    return named


def _settings(config: Shape) -> dict[str, str]:
    # Python keyword -> config key (base_url -> baseUrl), from the schema's provider config.
    return {snake(name): name for name in config.names("schema")}


_SETTINGS = _settings(package_names().config)
