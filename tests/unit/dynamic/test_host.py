"""The dynamic provider host as ``pulumi_chatcomp.dynamic._host`` and ``_startup`` find it.

Each test pins one thing the SDK's host does that an adaptation relies on (see
``pulumi_chatcomp._sdk``): if a pulumi release changes it, the test fails here rather than
the adaptation doing nothing. The host module starts its server when imported, so it is read
as source. Under the real engine: ``tests/e2e/test_host_adaptation.py``.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import traceback
import types
from pathlib import Path

import pytest

from pulumi_chatcomp._exceptions import ConfigurationError
from pulumi_chatcomp._sdk import SUPPORTED_PULUMI
from pulumi_chatcomp.dynamic import _host

HOST_MODULE = "pulumi.dynamic.__main__"


@pytest.fixture(scope="module")
def host() -> dict[str, str]:
    """The source of the host module (key "") and of each of its functions and methods."""
    spec = importlib.util.find_spec(HOST_MODULE)
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text(encoding="utf-8")
    functions = {
        node.name: ast.get_source_segment(source, node) or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef)
    }
    return {"": source, **functions}


# A gRPC server as the host makes one, found and widened as ``adapt`` does, in a fresh
# interpreter (where it is the only server): three calls at once pass the barrier only if
# the pool of one runs three threads.
WIDENED = """
import threading
from concurrent.futures import ThreadPoolExecutor

import grpc

from pulumi_chatcomp.dynamic import _host

pool = ThreadPoolExecutor(max_workers=1)
server = grpc.server(pool)
assert _host._server_pool() is pool
_host._widen(pool, 3)
barrier = threading.Barrier(3, timeout=20)
print(sorted(f.result() for f in [pool.submit(barrier.wait) for _ in range(3)]))
"""


def test_the_host_serves_from_a_pool_that_widens(host: dict[str, str]) -> None:
    assert "futures.ThreadPoolExecutor(max_workers=4)" in host["main"]
    assert "grpc.server(" in host["main"]
    done = subprocess.run(
        [sys.executable, "-c", WIDENED], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[0, 1, 2]"


def test_the_host_sends_format_exc_after_configure(host: dict[str, str]) -> None:
    # The host's errors go through its module's `traceback`, which `adapt` replaces ...
    assert "\nimport traceback\n" in host[""]
    assert "traceback.format_exc()" in host["_abort_with_traceback"]
    # ... from the provider's configure(), which the host calls on a provider it unpickled
    # before it caches it, so before any other of its methods.
    get_provider = host["get_provider"]
    assert get_provider.index("provider.configure(") < get_provider.index("_PROVIDER_CACHE[")
    for rpc in ("Check", "Diff", "Create", "Read", "Update", "Delete"):
        assert "get_provider(" in host[rpc], rpc

    module = types.ModuleType(HOST_MODULE)
    module.traceback = traceback  # type: ignore[attr-defined]
    _host._word_our_errors(module)
    words = module.traceback  # type: ignore[attr-defined]
    try:
        raise ConfigurationError("chatcomp:timeout must be a number")
    except ConfigurationError:
        assert words.format_exc() == "chatcomp:timeout must be a number"
    try:
        raise ValueError("a bug")
    except ValueError:
        assert words.format_exc().startswith("Traceback")


def test_the_host_is_recognised_by_its_main_module() -> None:
    from pulumi._version import version

    spec = importlib.util.find_spec(HOST_MODULE)
    assert spec is not None and spec.name == HOST_MODULE
    low, high = SUPPORTED_PULUMI
    assert low <= (version.major, version.minor) < high


def test_the_host_reads_a_resource_through_its_pickled_provider(host: dict[str, str]) -> None:
    # What `_startup` words: `pulumi import` sends a Read with no properties, and the host
    # looks up the pickled provider in them (a KeyError in `Read(self, request, context)`).
    from pulumi.dynamic.dynamic import PROVIDER_KEY

    assert PROVIDER_KEY == "__provider"
    assert "props[PROVIDER_KEY]" in host["get_provider"]
    assert host["Read"].startswith("def Read(self, request, context)")
    assert "get_provider(props" in host["Read"]
