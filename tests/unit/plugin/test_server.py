"""The plugin process as the engine starts it: the port first, the provider loaded after.

Every ``pulumi up`` waits for the plugin to print its port and answer its first calls, so
what the process loads before the port is what any plugin on the SDK's provider server
loads; the provider (the core, pydantic, the models, the schema's names) loads once the
port is printed, while the engine shakes hands with it, and a call that arrives meanwhile
is answered once it is there. What only API calls need (httpx, the client, the response
models) is not on the way to a check at all.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import socket
import subprocess
import sys
from collections.abc import Iterator

import grpc
import pytest
from google.protobuf import struct_pb2
from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime import proto
from pulumi.runtime.proto import provider_pb2_grpc

from pulumi_chatcomp._exceptions import ConfigurationError
from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.plugin import _server

URN = f"urn:pulumi:dev::p::{PLUGIN_TYPE_TOKEN}::answer"
INPUTS = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say hello."}],
    "maxCompletionTokens": 16,
}

# Modules (and the packages under them) a check or an API call needs, which the port must
# not wait for.
PROVIDER_SIDE = (
    "httpx",
    "pydantic",
    "pulumi_chatcomp.client",
    "pulumi_chatcomp.core",
    "pulumi_chatcomp.models",
    "pulumi_chatcomp.plugin._boundary",
    "pulumi_chatcomp.plugin._casing",
    "pulumi_chatcomp.plugin._provider",
)
API_SIDE = ("httpx", "pulumi_chatcomp.client._client", "pulumi_chatcomp.models._response")

# The plugin as the engine runs it, except that when it prints its port it also writes the
# modules loaded by then to stderr, as one JSON line.
PLUGIN = """
import json, sys

class Port:
    def __init__(self, out):
        self.out = out
        self.seen = False

    def write(self, text):
        if not self.seen:
            self.seen = True
            sys.stderr.write(json.dumps(sorted(sys.modules)) + "\\n")
            sys.stderr.flush()
        return self.out.write(text)

    def flush(self):
        self.out.flush()

sys.stdout = Port(sys.stdout)
sys.argv[0] = "pulumi-resource-chatcomp"
from pulumi_chatcomp.plugin import main
main()
"""


def _struct(values: dict[str, object]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def _within(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.fixture
def engine() -> Iterator[str]:
    """An address where something answers, as the engine does (the plugin exits without)."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield f"127.0.0.1:{server.getsockname()[1]}"


def test_the_port_comes_before_the_provider_which_then_answers(engine: str) -> None:
    plugin = subprocess.Popen(
        [sys.executable, "-c", PLUGIN, engine],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert plugin.stdout is not None and plugin.stderr is not None
        port = int(plugin.stdout.readline())
        loaded = set(json.loads(plugin.stderr.readline()))
        assert _within(loaded, PROVIDER_SIDE) == []

        # Sent at once, as the engine does: each is answered when the provider is there.
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            stub.Configure(
                proto.ConfigureRequest(args=_struct({"baseUrl": "http://127.0.0.1:9/v1"})),
                timeout=60,
            )
            checked = stub.Check(proto.CheckRequest(urn=URN, news=_struct(INPUTS)), timeout=60)
        assert list(checked.failures) == []
        inputs = dict(checked.inputs)
        assert inputs["store"] is True and inputs["maxCompletionTokens"] == 16
    finally:
        plugin.terminate()
        plugin.communicate(timeout=30)


def test_a_check_loads_nothing_that_only_api_calls_need() -> None:
    # So a check never waits for them: configure loads them beside the engine's checks.
    statement = f"""
import asyncio, json, sys
from pulumi.provider.experimental import provider as sdk
from pulumi_chatcomp.plugin._server import load_provider
from pulumi_chatcomp.plugin._values import wire

provider = load_provider()
request = sdk.CheckRequest({URN!r}, {{}}, wire({INPUTS!r}), b"")
checked = asyncio.run(provider.check(request))
assert checked.failures == [], checked.failures
print(json.dumps(sorted(sys.modules)))
"""
    done = subprocess.run(
        [sys.executable, "-c", statement], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert _within(loaded, API_SIDE) == []
    assert "pulumi_chatcomp.models._request" in loaded  # the check did validate


# What the plugin's servicer relies on in the SDK's (see pulumi_chatcomp._sdk): if a pulumi
# release changes one, these fail rather than the plugin misbehaving under the engine.


def test_the_sdk_servicer_has_each_rpc_the_plugin_wraps() -> None:
    for name in _server._RPCS:
        method = getattr(ProviderServicer, name)
        assert inspect.iscoroutinefunction(method), name
        assert list(inspect.signature(method).parameters) == ["self", "request", "context"], name
    parameters = list(inspect.signature(ProviderServicer.__init__).parameters)
    assert parameters == ["self", "args", "version", "provider", "engine_address"]


class _Failing(sdk.Provider):
    def __init__(self, error: Exception) -> None:
        self.error = error

    async def check(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        raise self.error


def test_the_sdk_servicer_keeps_the_original_error_as_the_context() -> None:
    error = ConfigurationError("chatcomp:timeout must be a number")
    servicer = ProviderServicer([], "0.0.0", _Failing(error), "127.0.0.1:1")
    request = proto.CheckRequest(urn=URN, news=_struct(INPUTS))
    with pytest.raises(Exception) as raised:
        asyncio.run(ProviderServicer.Check(servicer, request, None))
    assert type(raised.value) is Exception
    assert raised.value.__context__ is error


def test_the_sdk_grpc_options_are_where_the_plugin_reads_them() -> None:
    from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS

    assert _server._GRPC_CHANNEL_OPTIONS is _GRPC_CHANNEL_OPTIONS
    assert all(isinstance(name, str) for name, _ in _GRPC_CHANNEL_OPTIONS)
    assert "grpc.max_receive_message_length" in dict(_GRPC_CHANNEL_OPTIONS)
