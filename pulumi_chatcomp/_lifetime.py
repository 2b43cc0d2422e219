"""Ending with the engine: a process the Pulumi engine started exits once the engine is gone.

The engine stops its plugins when it ends normally, but a ``pulumi`` killed outright (SIGKILL,
a CI job's timeout) stops nothing, and the plugin would run on, serving nobody and finishing
work the engine will never record. So the plugin and the dynamic provider host watch the
engine's gRPC address, which every process the engine starts is given: when nothing answers
there any more, the engine is gone and the process exits.

>>> engine_port("127.0.0.1:40123")
('127.0.0.1', 40123)
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

__all__ = ["engine_port", "exit_with_engine"]

_log = logging.getLogger("pulumi_chatcomp")

INTERVAL = 1.0
"""Seconds between two looks at the engine."""
MISSES = 2
"""Looks in a row that find nothing before the engine counts as gone."""


def engine_port(address: str) -> tuple[str, int] | None:
    """The host and port of an engine address (``host:port``), or None if it is not one."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        return None
    return host.strip("[]"), int(port)


def exit_with_engine(
    address: str,
    *,
    interval: float = INTERVAL,
    exit: Callable[[int], object] = os._exit,
) -> threading.Thread | None:
    """Watch ``address`` from a daemon thread; call ``exit(0)`` once the engine is gone.

    Returns the thread, or None when ``address`` is no ``host:port`` (nothing to watch).
    """
    where = engine_port(address)
    if where is None:
        return None

    def watch() -> None:
        misses = 0
        while misses < MISSES:
            time.sleep(interval)
            misses = 0 if _answers(where) else misses + 1
        _log.debug("the engine at %s is gone; exiting", address)
        # Not sys.exit: the gRPC server's threads would keep the process alive.
        exit(0)

    thread = threading.Thread(target=watch, name="chatcomp-engine-watch", daemon=True)
    thread.start()
    return thread


def _answers(where: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(where, timeout=INTERVAL):
            return True
    except OSError:
        return False
