"""A process the engine started exits once nothing answers at the engine's address."""

from __future__ import annotations

import socket
import threading

import pytest

from pulumi_chatcomp._lifetime import engine_port, exit_with_engine


def test_the_process_exits_once_the_engine_stops_answering() -> None:
    engine = socket.create_server(("127.0.0.1", 0))
    port = engine.getsockname()[1]
    exited = threading.Event()
    codes: list[int] = []

    def exit(code: int) -> None:
        codes.append(code)
        exited.set()

    watcher = exit_with_engine(f"127.0.0.1:{port}", interval=0.05, exit=exit)
    assert watcher is not None
    assert not exited.wait(0.4)  # the engine answers: the process keeps serving
    engine.close()
    assert exited.wait(5)
    assert codes == [0]


@pytest.mark.parametrize("address", ["", "not-an-address", "127.0.0.1:", "host:port"])
def test_nothing_is_watched_without_an_engine_address(address: str) -> None:
    assert engine_port(address) is None
    assert exit_with_engine(address, exit=lambda code: pytest.fail("exited")) is None
