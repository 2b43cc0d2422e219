"""The plugin as the engine sees it: the schema's names outside, the API's inside.

``ChatCompletionPlugin`` (``_provider``) works in the API's names, as the core does. This
subclass is the one place the plugin renames (``_casing``, derived from the schema): every
property map the engine sends for the resource or a function is renamed to the API's names
before the provider sees it, and every map, property name and failure it answers with is
renamed to the schema's. Values unknown during a preview, secrets and dependencies are
kept as they are; keys the schema does not name (user data such as metadata keys, JSON
schemas, tool parameters) are never renamed. The provider's config needs nothing: its
names are the config home's, which the schema uses as they are.

A state written before the schema was camelCase holds the API's names: they are understood
as well, so such a stack previews with no change and its next refresh or update rewrites
it in the schema's names.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator, Mapping
from typing import Final, Protocol, TypeVar

from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue

from pulumi_chatcomp.plugin._casing import Form, Shape, package_names
from pulumi_chatcomp.plugin._provider import ChatCompletionPlugin
from pulumi_chatcomp.plugin._sets import PartialState
from pulumi_chatcomp.plugin._values import renamed

__all__ = ["SchemaNamedPlugin"]

_API: Final = "api"
_SCHEMA: Final = "schema"


class SchemaNamedPlugin(ChatCompletionPlugin):
    """``ChatCompletionPlugin`` speaking the schema's names (what the server serves)."""

    async def check(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        answer = await super().check(_in_api_names(request, "old_inputs", "new_inputs"))
        inputs = answer.inputs
        return sdk.CheckResponse(
            inputs=_resource(request.urn, inputs, _SCHEMA) if inputs is not None else None,
            failures=_failures(answer.failures),
        )

    async def diff(self, request: sdk.DiffRequest) -> sdk.DiffResponse:
        answer = await super().diff(_in_api_names(request, "old_state", "new_inputs"))
        shape = package_names().of_urn(request.urn)

        def named(name: str) -> str:
            head, bracket, rest = name.partition("[")  # a map's key stays as it is
            return shape.child(head, _SCHEMA)[0] + bracket + rest

        return sdk.DiffResponse(
            changes=answer.changes,
            replaces=[named(name) for name in answer.replaces],
            stables=[named(name) for name in answer.stables],
            delete_before_replace=answer.delete_before_replace,
            diffs=[named(name) for name in answer.diffs],
            detailed_diff={named(k): v for k, v in answer.detailed_diff.items()},
        )

    async def create(self, request: sdk.CreateRequest) -> sdk.CreateResponse:
        with _renaming(request.urn):
            return await self._create(request)

    async def update(self, request: sdk.UpdateRequest) -> sdk.UpdateResponse:
        with _renaming(request.urn):
            return await self._update(request)

    async def _create(self, request: sdk.CreateRequest) -> sdk.CreateResponse:
        answer = await super().create(_in_api_names(request, "properties"))
        properties = _resource(request.urn, answer.properties, _SCHEMA)
        return sdk.CreateResponse(answer.resource_id, properties)

    async def read(self, request: sdk.ReadRequest) -> sdk.ReadResponse:
        answer = await super().read(_in_api_names(request, "properties", "inputs"))
        return sdk.ReadResponse(
            answer.resource_id,
            _resource(request.urn, answer.properties, _SCHEMA),
            _resource(request.urn, answer.inputs, _SCHEMA),
        )

    async def _update(self, request: sdk.UpdateRequest) -> sdk.UpdateResponse:
        answer = await super().update(_in_api_names(request, "olds", "news"))
        return sdk.UpdateResponse(_resource(request.urn, answer.properties, _SCHEMA))

    async def delete(self, request: sdk.DeleteRequest) -> None:
        await super().delete(_in_api_names(request, "properties"))

    async def invoke(self, request: sdk.InvokeRequest) -> sdk.InvokeResponse:
        names = package_names()
        arguments, result = names.arguments.get(request.tok), names.results.get(request.tok)
        if arguments is None or result is None:
            return await super().invoke(request)  # not ours: the provider says so
        answer = await super().invoke(
            sdk.InvokeRequest(request.tok, renamed(request.args, arguments, _API))
        )
        value = answer.return_value
        return sdk.InvokeResponse(
            return_value=renamed(value, result, _SCHEMA) if value is not None else None,
            failures=_failures(answer.failures),
        )


@contextlib.contextmanager
def _renaming(urn: str) -> Iterator[None]:
    # The state a partial failure keeps is an answer too: in the schema's names.
    try:
        yield
    except PartialState as failure:
        failure.properties = _resource(urn, failure.properties, _SCHEMA)
        raise


class _ResourceRequest(Protocol):
    urn: str


_Request = TypeVar("_Request", bound=_ResourceRequest)


def _in_api_names(request: _Request, *maps: str) -> _Request:
    """A copy of ``request`` with its property maps ``maps`` in the API's names; its other
    fields (ids, timeouts, flags, ...) are carried over as they are, whatever the SDK adds."""
    renamed_request = copy.copy(request)
    for name in maps:
        setattr(renamed_request, name, _resource(request.urn, getattr(request, name), _API))
    return renamed_request


def _resource(
    urn: str, properties: Mapping[str, PropertyValue], form: Form
) -> dict[str, PropertyValue]:
    shape: Shape = package_names().of_urn(urn)
    return renamed(properties, shape, form)


def _failures(failures: list[sdk.CheckFailure] | None) -> list[sdk.CheckFailure]:
    names = package_names()
    return [
        sdk.CheckFailure(names.reword(f.property, _SCHEMA), names.reword(f.reason, _SCHEMA))
        for f in failures or []
    ]
