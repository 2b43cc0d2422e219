"""What the plugin tells the engine to show: a status line on a resource while it works
(the progress of a set's items) and messages (a preview's plan of a set).

The engine shows a provider's log messages with the resource they name: ephemeral ones as
the resource's status in the progress display, while the step runs, the others under
"Diagnostics" at the end. The SDK's provider server gives providers no way to send them, so
this sends them on the engine's own gRPC service, whose address the engine starts every
plugin with. Nothing here may fail a resource: a message the engine cannot take is dropped.
"""

from __future__ import annotations

import logging
import threading

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

__all__ = ["EngineLog"]

_log = logging.getLogger("pulumi_chatcomp")


class EngineLog:
    """The engine's log service at ``address`` (``host:port``), for status lines and notes."""

    def __init__(self, address: str) -> None:
        self._address = address
        self._stub: engine_pb2_grpc.EngineStub | None = None
        self._lock = threading.Lock()

    def status(self, urn: str, message: str) -> None:
        """Show ``message`` as the resource's status while its step runs."""
        self._send(urn, message, ephemeral=True)

    def info(self, urn: str, message: str) -> None:
        """Report ``message`` about the resource (shown with the run's diagnostics)."""
        self._send(urn, message, ephemeral=False)

    def _send(self, urn: str, message: str, *, ephemeral: bool) -> None:
        try:
            self._engine().Log(
                engine_pb2.LogRequest(
                    severity=engine_pb2.INFO, message=message, urn=urn, ephemeral=ephemeral
                ),
                timeout=5,
            )
        except grpc.RpcError as error:
            _log.debug("the engine did not take a message: %s", error.code())

    def _engine(self) -> engine_pb2_grpc.EngineStub:
        with self._lock:
            if self._stub is None:
                channel = grpc.insecure_channel(self._address)
                self._stub = engine_pb2_grpc.EngineStub(channel)
            return self._stub
