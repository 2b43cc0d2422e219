"""The dynamic provider host, adapted once our provider is configured there.

The host (``python -m pulumi.dynamic``) serves gRPC from a thread pool of four workers, so
however high ``pulumi up --parallel`` is, at most four completions would be created at once;
and it reports every exception from a provider method as a Python traceback. The provider's
``configure()``, which the host calls right after it unpickles the provider and before any
other method, calls ``adapt`` twice:

1. first with no argument, so that even a settings error reaches the engine as its message:
   have the host word our own errors (``ChatCompError``: API, connection and
   settings errors, whose text names the endpoint and request id and never holds the key)
   as their message instead of a traceback (other exceptions keep the traceback, which helps
   with bugs), find the server's worker pool, and have the host exit once the engine that
   started it is gone (``_lifetime``), as the plugin does;
2. then with ``chatcomp:maxConcurrency``, to widen that pool to it (see ``_config``). The pool
   only grows (never below the host's four), and the engine's ``--parallel`` still bounds
   how many calls arrive at once.

Both rely on private parts of ``grpc`` and of the host module (listed, with their tests, in
``pulumi_chatcomp._sdk``), so they are guarded: they act only in the host process of a
pulumi SDK in ``_sdk.SUPPORTED_PULUMI`` whose module and server have the expected shape, and
otherwise do nothing (logged at debug level). ``tests/e2e/test_host_adaptation.py`` checks
both under the real engine, and ``bench/bench_up_parallel.py`` measures the first.

>>> adapt(8)  # outside the provider host: nothing to adapt
False
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import traceback
import types
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc._server

from pulumi_chatcomp._exceptions import ChatCompError
from pulumi_chatcomp._lifetime import exit_with_engine
from pulumi_chatcomp._sdk import SUPPORTED_PULUMI

__all__ = ["adapt"]

_log = logging.getLogger("pulumi_chatcomp")
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_adapted = False


def adapt(max_concurrency: int | None = None) -> bool:
    """Adapt the running dynamic provider host (idempotent); True if running in one.

    ``max_concurrency`` then widens the worker pool to that many threads; None only words
    our errors and finds the pool.
    """
    global _adapted, _pool
    with _lock:
        host = _provider_host()
        if host is None:
            return False
        if not _adapted:
            _adapted = True
            _pool = _server_pool()
            _word_our_errors(host)
            # The host is started with the engine's address as its last argument.
            exit_with_engine(sys.argv[-1] if len(sys.argv) > 1 else "")
        if _pool is not None and max_concurrency is not None:
            _widen(_pool, max_concurrency)
        return True


def _provider_host() -> types.ModuleType | None:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if main is None or getattr(spec, "name", None) != "pulumi.dynamic.__main__":
        return None
    try:
        from pulumi._version import version  # private: guarded, see _sdk
    except ImportError:
        return None
    (low_major, low_minor), (high_major, high_minor) = SUPPORTED_PULUMI
    if not (low_major, low_minor) <= (version.major, version.minor) < (high_major, high_minor):
        _log.debug("dynamic provider host: pulumi %s is not a tested version", version)
        return None
    return main


def _server_pool() -> ThreadPoolExecutor | None:
    servers = [o for o in gc.get_objects() if isinstance(o, grpc._server._Server)]
    pool = getattr(getattr(servers[0], "_state", None), "thread_pool", None) if servers else None
    if len(servers) != 1 or not isinstance(pool, ThreadPoolExecutor):
        _log.debug("dynamic provider host: no single gRPC server pool found; left as it is")
        return None
    return pool


def _widen(pool: ThreadPoolExecutor, workers: int) -> None:
    # ThreadPoolExecutor starts threads on demand up to _max_workers, read at each submit.
    current: int = pool._max_workers
    if workers > current:
        pool._max_workers = workers
        _log.debug("dynamic provider host: worker pool widened from %d to %d", current, workers)


def _word_our_errors(host: types.ModuleType) -> None:
    if getattr(host, "traceback", None) is not traceback:
        _log.debug("dynamic provider host: unexpected layout; errors keep their tracebacks")
        return
    host.traceback = _Traceback()  # type: ignore[attr-defined]


class _Traceback:
    """The ``traceback`` module as the host sees it: our errors format as their message."""

    def format_exc(self, limit: int | None = None, chain: bool = True) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, ChatCompError):
            return str(error)
        return traceback.format_exc(limit, chain)

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)
