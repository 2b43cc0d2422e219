"""Serving the plugin over gRPC with the SDK's own provider server, and its error boundary.

The SDK's ``ProviderServicer`` reports any exception from a provider method as
``Unexpected <class 'Exception'>`` and a traceback. Ours (``ChatCompError``: API, connection,
settings and import errors, whose text names the endpoint and request id and never holds the
key) is answered instead with its message alone, as the dynamic face's are; other exceptions
keep the traceback, which helps with bugs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from google.protobuf import any_pb2, struct_pb2
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime import proto
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc, status_pb2

from pulumi_chatcomp import __version__
from pulumi_chatcomp._exceptions import ChatCompError
from pulumi_chatcomp._lifetime import exit_with_engine
from pulumi_chatcomp.core._names import SET_TYPE_TOKEN, type_of
from pulumi_chatcomp.plugin._boundary import SchemaNamedPlugin
from pulumi_chatcomp.plugin._engine import EngineLog
from pulumi_chatcomp.plugin._provider import ChatCompletionPlugin
from pulumi_chatcomp.plugin._sets import PartialState, elided_assets

__all__ = ["main"]

# Every RPC the provider answers; each goes through the error boundary.
_RPCS = (
    "Check",
    "CheckConfig",
    "Configure",
    "Create",
    "Delete",
    "Diff",
    "DiffConfig",
    "GetSchema",
    "Invoke",
    "Read",
    "Update",
)


class _Servicer(ProviderServicer):
    """The SDK's servicer, with each RPC answering our errors with their message alone,
    and what the SDK's provider interface leaves out: the id of the provider resource being
    configured (``Configure``), a Read that found nothing (``Read``), and assets the engine
    sends without their contents (``Diff``, ``Update``'s old state, ``Read``, ``Delete``)."""

    _provider: ChatCompletionPlugin

    async def Configure(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        # The engine sends the provider resource's id; its request type has no field for it.
        self._provider.identify(request.id or None)
        return await ProviderServicer.Configure(self, request, context)

    async def Diff(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        if type_of(request.urn) == SET_TYPE_TOKEN:
            return self._provider.diff_set(request)
        _readable(request, "olds", "news", "old_inputs")
        return await ProviderServicer.Diff(self, request, context)

    async def Update(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        _readable(request, "olds", "old_inputs")
        return await ProviderServicer.Update(self, request, context)

    async def Delete(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        _readable(request, "properties", "old_inputs")
        return await ProviderServicer.Delete(self, request, context)

    async def Read(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        inputs = struct_pb2.Struct()
        inputs.CopyFrom(request.inputs)
        _readable(request, "properties", "inputs")
        response = await ProviderServicer.Read(self, request, context)
        if not response.id:
            # Gone: no properties at all. The SDK sends an empty map, which `pulumi import`
            # and `get` take for a resource that exists.
            return proto.ReadResponse()
        if type_of(request.urn) == SET_TYPE_TOKEN and inputs.fields:
            # A refresh changes none of a set's inputs: they go back as the engine sent them
            # (its items file an asset, not the string the SDK was given instead). An import
            # sends none: the set's read rebuilt them.
            response.inputs.CopyFrom(inputs)
        return response


def _readable(request: Any, *fields: str) -> None:
    # The engine sends assets without their contents here (a set's items file), which the
    # SDK's reader refuses: they become strings it reads.
    for field in fields:
        if request.HasField(field):
            elided_assets(getattr(request, field))


def _guarded(name: str) -> Callable[..., Awaitable[Any]]:
    method = getattr(_Servicer, name)

    async def rpc(self: _Servicer, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await method(self, request, context)
        except Exception as exc:
            # The SDK re-raises every error as a plain Exception with a traceback in its
            # text; the original is its context.
            ours = exc if isinstance(exc, ChatCompError) else exc.__context__
            if isinstance(ours, PartialState):
                await context.abort(
                    grpc.StatusCode.UNKNOWN, str(ours), trailing_metadata=_kept(ours)
                )
            if isinstance(ours, ChatCompError):
                await context.abort(grpc.StatusCode.UNKNOWN, str(ours))
            raise

    rpc.__name__ = name
    return rpc


for _name in _RPCS:
    setattr(_Servicer, _name, _guarded(_name))


def _kept(failure: PartialState) -> tuple[tuple[str, bytes], ...]:
    """The error's details as the engine reads a partial failure: the resource's id and the
    state to keep (``ErrorResourceInitFailed``, in a ``google.rpc.Status``)."""
    detail = any_pb2.Any()
    detail.Pack(
        provider_pb2.ErrorResourceInitFailed(
            id=failure.resource_id,
            properties=PropertyValue.marshal_map(failure.properties),
            reasons=[str(failure)],
        )
    )
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=str(failure))
    status.details.append(detail)
    return (("grpc-status-details-bin", status.SerializeToString()),)


def main() -> None:
    """``pulumi-resource-chatcomp``: serve the provider to the engine that started it."""
    parser = argparse.ArgumentParser(
        prog="pulumi-resource-chatcomp",
        description="The chatcomp provider plugin; the Pulumi engine starts it.",
    )
    parser.add_argument("engine", help="the Pulumi engine's address")
    args, _ = parser.parse_known_args()
    exit_with_engine(args.engine)
    # grpc logs an exception it sees after a call was already answered; ours are answered.
    logging.getLogger("grpc").setLevel(logging.CRITICAL)

    async def serve() -> None:
        server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
        plugin = SchemaNamedPlugin()
        plugin.attach(EngineLog(args.engine))
        servicer = _Servicer(sys.argv[1:], __version__, plugin, args.engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        # The engine reads the port from the first line of stdout.
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        await server.wait_for_termination()

    with contextlib.suppress(KeyboardInterrupt):  # the engine stops plugins with SIGINT
        asyncio.run(serve())
