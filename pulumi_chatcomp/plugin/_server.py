"""Serving the plugin over gRPC with the SDK's own provider server, and its error boundary.

Every ``pulumi up`` that uses the plugin waits for it to start, so the process prints its
port as soon as the SDK's server listens: before that it loads only grpc and the SDK's
server, what any plugin on that server loads. The provider (the core, pydantic, the model
layer, the schema's names) loads on a thread from then on, while the engine shakes hands
and configures it; each call waits for it (an RPC that arrives first is answered once it is
there). ``configure`` then loads what the API calls need (httpx, the client) beside the
engine's first checks, which need none of it. ``tests/unit/plugin/test_server.py`` keeps the
port free of those imports: the functions here that import the provider's modules where they
run do so for that (see ``pulumi_chatcomp._lazy``).

The SDK's ``ProviderServicer`` reports any exception from a provider method as
``Unexpected <class 'Exception'>`` and a traceback. Ours (``ChatCompError``: API, connection,
settings and import errors, whose text names the endpoint and request id and never holds the
key) is answered instead with its message alone, as the dynamic face's are; other exceptions
keep the traceback, which helps with bugs. What this relies on in the SDK (its servicer's
RPCs, the error it re-raises, its private gRPC options) is listed, with the tests that pin
it, in ``pulumi_chatcomp._sdk``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf import any_pb2, struct_pb2
from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime import proto
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc, status_pb2

from pulumi_chatcomp import __version__
from pulumi_chatcomp._exceptions import ChatCompError
from pulumi_chatcomp._lifetime import exit_with_engine
from pulumi_chatcomp.plugin._engine import EngineLog

if TYPE_CHECKING:
    # Loaded on a thread once the port is printed (see ``load_provider``).
    from pulumi_chatcomp.plugin._provider import ChatCompletionPlugin
    from pulumi_chatcomp.plugin._sets import PartialState

__all__ = ["load_provider", "main"]

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


def load_provider(engine: EngineLog | None = None) -> ChatCompletionPlugin:
    """The provider the server serves, ready to check: its modules imported and what the
    first check uses built (the request models' validators, the schema's names); it tells
    ``engine``, when given, what to show (a set's progress and plan)."""
    from pulumi_chatcomp.plugin._boundary import SchemaNamedPlugin
    from pulumi_chatcomp.plugin._casing import package_names
    from pulumi_chatcomp.plugin._provider import warm_checks

    package_names()
    warm_checks()
    provider = SchemaNamedPlugin()
    if engine is not None:
        provider.attach(engine)
    return provider


def _load_at_start(engine: EngineLog) -> ChatCompletionPlugin:
    try:
        return load_provider(engine)
    finally:
        # Collection resumes (``plugin.main`` stopped it), and from now on skips what starting
        # made, which stays for the life of the process.
        gc.freeze()
        gc.enable()


class _Servicer(ProviderServicer):
    """The SDK's servicer, with each RPC waiting for the provider (``load``, started once the
    port is printed) and answering our errors with their message alone, and what the SDK's
    provider interface leaves out: the id of the provider resource being configured
    (``Configure``), a Read that found nothing (``Read``), and assets the engine sends
    without their contents (``Diff``, ``Update``'s old state, ``Read``, ``Delete``)."""

    _provider: ChatCompletionPlugin

    def __init__(
        self,
        args: list[str],
        version: str,
        engine_address: str,
        load: Callable[[], ChatCompletionPlugin],
    ) -> None:
        # A provider with nothing to serve stands in until ``load`` has made ours.
        super().__init__(args, version, sdk.Provider(), engine_address)
        self._load = load
        self._loading: asyncio.Future[ChatCompletionPlugin] | None = None

    def start_loading(self) -> asyncio.Future[ChatCompletionPlugin]:
        """Load the provider on a thread, beside the event loop that answers the engine."""
        if self._loading is None:
            self._loading = asyncio.get_running_loop().run_in_executor(None, self._load)
        return self._loading

    async def _loaded(self) -> None:
        # Shielded: an RPC the engine gives up on must not cancel the load for the others.
        self._provider = await asyncio.shield(self.start_loading())

    async def Configure(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        # The engine sends the provider resource's id; its request type has no field for it.
        self._provider.identify(request.id or None)
        return await ProviderServicer.Configure(self, request, context)

    async def Diff(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        if _is_set(request.urn):
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
        if _is_set(request.urn) and inputs.fields:
            # A refresh changes none of a set's inputs: they go back as the engine sent them
            # (its items file an asset, not the string the SDK was given instead). An import
            # sends none: the set's read rebuilt them.
            response.inputs.CopyFrom(inputs)
        return response


def _is_set(urn: str) -> bool:
    # Imported here, once the provider (which loads the core) is there: see ``load_provider``.
    from pulumi_chatcomp.core._names import SET_TYPE_TOKEN, type_of

    return type_of(urn) == SET_TYPE_TOKEN


def _readable(request: Any, *fields: str) -> None:
    # The engine sends assets without their contents here (a set's items file), which the
    # SDK's reader refuses: they become strings it reads.
    from pulumi_chatcomp.plugin._sets import elided_assets

    for field in fields:
        if request.HasField(field):
            elided_assets(getattr(request, field))


def _guarded(name: str) -> Callable[..., Awaitable[Any]]:
    method = getattr(_Servicer, name)

    async def rpc(self: _Servicer, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            await self._loaded()
            return await method(self, request, context)
        except Exception as exc:
            from pulumi_chatcomp.plugin._sets import PartialState

            # The SDK re-raises every error as a plain Exception with a traceback in its
            # text; the original is its context (see pulumi_chatcomp._sdk).
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
        load = functools.partial(_load_at_start, EngineLog(args.engine))
        servicer = _Servicer(sys.argv[1:], __version__, args.engine, load)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        # The engine reads the port from the first line of stdout.
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        servicer.start_loading()
        await server.wait_for_termination()

    with contextlib.suppress(KeyboardInterrupt):  # the engine stops plugins with SIGINT
        asyncio.run(serve())
