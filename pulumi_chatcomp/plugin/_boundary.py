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

from collections.abc import Mapping
from typing import Final

from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue

from pulumi_chatcomp.plugin._casing import Form, Shape, package_names
from pulumi_chatcomp.plugin._provider import ChatCompletionPlugin
from pulumi_chatcomp.plugin._values import renamed

__all__ = ["SchemaNamedPlugin"]

_API: Final = "api"
_SCHEMA: Final = "schema"


class SchemaNamedPlugin(ChatCompletionPlugin):
    """``ChatCompletionPlugin`` speaking the schema's names (what the server serves)."""

    async def check(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        answer = await super().check(
            sdk.CheckRequest(
                request.urn,
                _resource(request.old_inputs, _API),
                _resource(request.new_inputs, _API),
                request.random_seed,
            )
        )
        return sdk.CheckResponse(
            inputs=_resource(answer.inputs, _SCHEMA) if answer.inputs is not None else None,
            failures=_failures(answer.failures),
        )

    async def diff(self, request: sdk.DiffRequest) -> sdk.DiffResponse:
        answer = await super().diff(
            sdk.DiffRequest(
                request.urn,
                request.resource_id,
                _resource(request.old_state, _API),
                _resource(request.new_inputs, _API),
                request.ignore_changes,
            )
        )
        return sdk.DiffResponse(
            changes=answer.changes,
            replaces=[_property(name) for name in answer.replaces],
            stables=[_property(name) for name in answer.stables],
            delete_before_replace=answer.delete_before_replace,
            diffs=[_property(name) for name in answer.diffs],
            detailed_diff={_property(k): v for k, v in answer.detailed_diff.items()},
        )

    async def create(self, request: sdk.CreateRequest) -> sdk.CreateResponse:
        answer = await super().create(
            sdk.CreateRequest(
                request.urn, _resource(request.properties, _API), request.timeout, request.preview
            )
        )
        return sdk.CreateResponse(answer.resource_id, _resource(answer.properties, _SCHEMA))

    async def read(self, request: sdk.ReadRequest) -> sdk.ReadResponse:
        answer = await super().read(
            sdk.ReadRequest(
                request.urn,
                request.resource_id,
                _resource(request.properties, _API),
                _resource(request.inputs, _API),
            )
        )
        return sdk.ReadResponse(
            answer.resource_id,
            _resource(answer.properties, _SCHEMA),
            _resource(answer.inputs, _SCHEMA),
        )

    async def update(self, request: sdk.UpdateRequest) -> sdk.UpdateResponse:
        answer = await super().update(
            sdk.UpdateRequest(
                request.urn,
                request.resource_id,
                _resource(request.olds, _API),
                _resource(request.news, _API),
                request.timeout,
                request.ignore_changes,
                request.preview,
            )
        )
        return sdk.UpdateResponse(_resource(answer.properties, _SCHEMA))

    async def delete(self, request: sdk.DeleteRequest) -> None:
        await super().delete(
            sdk.DeleteRequest(
                request.urn,
                request.resource_id,
                _resource(request.properties, _API),
                request.timeout,
            )
        )

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


def _resource(properties: Mapping[str, PropertyValue], form: Form) -> dict[str, PropertyValue]:
    shape: Shape = package_names().resource
    return renamed(properties, shape, form)


def _property(name: str) -> str:
    return package_names().resource.child(name, _SCHEMA)[0]


def _failures(failures: list[sdk.CheckFailure] | None) -> list[sdk.CheckFailure]:
    names = package_names()
    return [
        sdk.CheckFailure(names.reword(f.property, _SCHEMA), names.reword(f.reason, _SCHEMA))
        for f in failures or []
    ]
