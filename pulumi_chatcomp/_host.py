"""Two adaptations of the Python dynamic provider host, made once when our provider loads.

The host (``python -m pulumi.dynamic``, pulumi 3.2xx) serves gRPC from a thread pool of
four workers, so however high ``pulumi up --parallel`` is, at most four completions are
created at once; and it reports every exception from a provider method as a Python
traceback. When ``ChatCompletionProvider.configure`` runs in that host we:

1. widen the server's worker pool to ``max_concurrency`` (config ``chatcomp:maxConcurrency``,
   else ``CHATCOMP_MAX_CONCURRENCY``, else 64) — the pool only grows, never shrinks, and
   the engine's ``--parallel`` still bounds how many calls arrive at once;
2. report our own errors (``ChatCompError``: API, connection and settings errors, whose
   text names the endpoint and request id and never holds the key) as their message, not
   as a traceback. Other exceptions keep the host's traceback, which helps with bugs.

Both touch private parts of ``grpc`` and the host, so they are guarded: they run only in
the host process of a pulumi SDK in ``SUPPORTED_SDK`` whose server has the expected shape,
and otherwise do nothing (logged at debug level). Both are exercised under the real engine
by the test suite and by ``bench/bench_up_parallel.py``.

>>> adapt(8)  # outside the provider host: nothing to adapt
False
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ._exceptions import ChatCompError
from ._properties import TYPE_TOKEN

__all__ = ["DEFAULT_MAX_CONCURRENCY", "SUPPORTED_SDK", "adapt"]

DEFAULT_MAX_CONCURRENCY = 64
SUPPORTED_SDK = ((3, 200), (4, 0))
"""Pulumi SDK versions (from, up to but excluding) whose host layout this was tested on."""

_SERVICE = "/pulumirpc.ResourceProvider/"
_PROVIDER_KEY = "__provider"
_log = logging.getLogger("pulumi_chatcomp")
_lock = threading.Lock()
_adapted = False


def adapt(max_concurrency: int = DEFAULT_MAX_CONCURRENCY) -> bool:
    """Adapt the running dynamic provider host once; True if this call did it."""
    global _adapted
    with _lock:
        if _adapted or not _in_provider_host():
            return False
        server = _grpc_server()
        if server is None:
            _log.debug("dynamic provider host: no gRPC server found; left as it is")
            return False
        _widen(server._state.thread_pool, max_concurrency)
        _report_our_errors_cleanly(server._state)
        _adapted = True
        return True


def _in_provider_host() -> bool:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if getattr(spec, "name", None) != "pulumi.dynamic.__main__":
        return False
    try:
        from pulumi._version import version
    except ImportError:
        return False
    (low_major, low_minor), (high_major, high_minor) = SUPPORTED_SDK
    current = (version.major, version.minor)
    if not (low_major, low_minor) <= current < (high_major, high_minor):
        _log.debug("dynamic provider host: pulumi %s is not a tested version", version)
        return False
    return True


def _grpc_server() -> Any:
    import grpc._server  # type: ignore[import-untyped]

    servers = [o for o in gc.get_objects() if isinstance(o, grpc._server._Server)]
    if len(servers) != 1:
        return None
    state = getattr(servers[0], "_state", None)
    if not isinstance(getattr(state, "thread_pool", None), ThreadPoolExecutor):
        return None
    return servers[0]


def _widen(pool: ThreadPoolExecutor, workers: int) -> None:
    # ThreadPoolExecutor starts threads on demand up to _max_workers, read at each submit.
    current: int = pool._max_workers
    if workers > current:
        pool._max_workers = workers
        _log.debug("dynamic provider host: worker pool widened from %d to %d", current, workers)


def _report_our_errors_cleanly(state: Any) -> None:
    for handler in getattr(state, "generic_handlers", []):
        table = getattr(handler, "_method_handlers", None)
        if isinstance(table, dict):
            _wrap_table(table)
    registered = getattr(state, "registered_method_handlers", None)
    if isinstance(registered, dict):
        _wrap_table(registered)


def _wrap_table(table: dict[str, Any]) -> None:
    for method, handler in list(table.items()):
        if method.startswith(_SERVICE) and handler.unary_unary is not None:
            behaviour = _clean(handler.unary_unary)
            if method == _SERVICE + "Read":
                behaviour = _importable(behaviour)
            table[method] = handler._replace(unary_unary=behaviour)


def _importable(behaviour: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    # `import_` reads with neither properties nor inputs, so the host cannot find the
    # pickled provider; for our type it is always the same empty ChatCompletionProvider.
    def call(request: Any, context: Any) -> Any:
        if (
            request.urn.split("::")[2:3] == [TYPE_TOKEN]
            and _PROVIDER_KEY not in request.properties
            and _PROVIDER_KEY not in request.inputs
        ):
            request.inputs[_PROVIDER_KEY] = _serialized_provider()
        return behaviour(request, context)

    return call


def _serialized_provider() -> str:
    from pulumi.dynamic.dynamic import serialize_provider

    from .provider import ChatCompletionProvider

    return str(serialize_provider(ChatCompletionProvider()))


def _clean(behaviour: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def call(request: Any, context: Any) -> Any:
        return behaviour(request, _Context(context))

    return call


class _Context:
    """The gRPC context, except that aborting on one of our errors sends its message."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def abort(self, code: Any, details: str) -> Any:
        # The host aborts from inside its `except` block: the error at hand is ours to word.
        error = sys.exc_info()[1]
        if isinstance(error, ChatCompError):
            details = str(error)
        return self._context.abort(code, details)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)
