"""Shared helpers for the benchmarks: the real engine, generated programs, a counting proxy.

The benchmarks are plain scripts (``python bench/<name>.py``); this module puts the repository
root on ``sys.path`` so they can reuse ``tests/e2e/helpers.py``'s ``Engine``. The
``InFlightProxy`` is also used by ``tests/e2e/test_host_adaptation.py`` (imported as
``bench._common``) to count how many creates reach the server at once.

>>> with InFlightProxy("http://127.0.0.1:8000") as proxy:  # doctest: +SKIP
...     proxy.base_url  # 'http://127.0.0.1:41235/v1', forwards to port 8000
...     proxy.peak      # most POST /v1/chat/completions in flight at the same time
"""

from __future__ import annotations

import compileall
import contextlib
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
# Every process a benchmark starts imports the package: with PYTHONDONTWRITEBYTECODE set, a
# module edited since setup would compile again in each of them, timing the compiler.
compileall.compile_dir(REPO / "pulumi_chatcomp", quiet=2)

from pulumi_chatcomp._config import Settings  # noqa: E402
from pulumi_chatcomp.client._client import ChatCompletionsClient  # noqa: E402
from pulumi_chatcomp.core._names import OUTPUT_NAMES  # noqa: E402
from pulumi_chatcomp.core._properties import outputs_from, request_of  # noqa: E402
from tests.e2e.helpers import Engine, engine_bin_dir, plugin_section, write_project  # noqa: E402

__all__ = [
    "REPO",
    "Engine",
    "InFlightProxy",
    "floor_project",
    "make_engine",
    "median",
    "noop_plugin_project",
    "peak_of",
    "plugin_section",
    "program_with",
    "table",
    "timed",
    "write_project",
]

T = TypeVar("T")

CREATE = ("POST", "/v1/chat/completions")
# Hop-by-hop headers and the ones the proxy sets itself.
_SKIPPED = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@contextlib.contextmanager
def make_engine() -> Iterator[Engine]:
    """The real engine with a private PULUMI_HOME and file backend, removed afterwards.

    The same offline environment as the ``engine`` fixture in ``tests/e2e/conftest.py``.
    """
    bin_dir = engine_bin_dir()
    with tempfile.TemporaryDirectory(prefix="chatcomp-bench-") as tmp:
        home = Path(tmp) / "home"
        backend = Path(tmp) / "backend"
        home.mkdir()
        backend.mkdir()
        yield Engine.offline(bin_dir, home, backend)


def creates_of(project: Path, count: int) -> int:
    """The resources an ``up`` of ``project`` (of ``count`` resources) creates: those, the
    stack, and for dynamic ChatCompletions the stack's ``chatcomp-anchor``."""
    return count + 1 + (1 if count and project in _ANCHORED else 0)


# Projects of program_with whose completions are dynamic (they declare the stack's anchor).
_ANCHORED: set[Path] = set()


def program_with(
    directory: Path, count: int, *, name: str = "chatcomp-bench", plugin: bool = False
) -> Path:
    """A project with ``count`` independent ChatCompletions (0: imports the package only):
    the dynamic resource's, or with ``plugin`` the provider plugin's (``native``)."""
    face = "native" if plugin else "chatcomp"
    project = write_project(
        directory,
        f"""
        import pulumi_chatcomp as chatcomp
        from pulumi_chatcomp import native

        {face}.ChatCompletion  # the imports of a real program, even with no resources
        for index in range({count}):
            {face}.ChatCompletion(
                f"c{{index}}",
                model="gpt-4o-mini",
                messages=[{{"role": "user", "content": f"Question {{index}}?"}}],
                metadata={{"bench": "yes"}},
            )
        """,
        name=name,
    )
    if plugin:
        with (project / "Pulumi.yaml").open("a") as header:
            header.write(plugin_section())
    else:
        _ANCHORED.add(project)
    return project


# A do-nothing provider plugin on the same SDK server as ours, importing nothing of ours: its
# create only sleeps the latency (without blocking the event loop) and answers its inputs,
# plus OUTPUTS (empty for the bare floor, one real completion's outputs for the floor with
# our state's shape). The floor for a plugin: the same engine work, no API. With BASE_URL it
# instead sends its inputs to the API's create, as cheaply as Python can (one shared
# httpx.AsyncClient in the event loop, the answer parsed and thrown away): the floor for a
# plugin that calls this API, without our validation, models, retries or state mapping.
NOOP_PLUGIN = """#!{python}
import asyncio
import sys
from collections.abc import Mapping

from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import main


def wire(value):
    if isinstance(value, dict):
        return PropertyValue({{key: wire(item) for key, item in value.items()}})
    if isinstance(value, list):
        return PropertyValue([wire(item) for item in value])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return PropertyValue(float(value))  # the engine's numbers are floats
    return PropertyValue(value)


def plain(value):
    inner = value.value
    if isinstance(inner, Mapping):
        return {{key: plain(item) for key, item in inner.items()}}
    if isinstance(inner, list | tuple):
        return [plain(item) for item in inner]
    return inner


OUTPUTS = {{key: wire(value) for key, value in {outputs!r}.items() if value is not None}}
BASE_URL = {base_url!r}
client = None


class Noop(sdk.Provider):
    async def check(self, request):
        return sdk.CheckResponse(inputs=request.new_inputs)

    async def diff(self, request):
        return sdk.DiffResponse(changes=False)

    async def create(self, request):
        global client
        if request.preview:
            pass
        elif BASE_URL:
            import httpx

            client = client or httpx.AsyncClient(timeout=60, limits=httpx.Limits(
                max_connections=None, max_keepalive_connections=None))
            body = {{key: plain(value) for key, value in request.properties.items()}}
            answer = await client.post(BASE_URL + "/chat/completions", json=body)
            answer.raise_for_status()
            answer.json()
        else:
            await asyncio.sleep({latency})
        return sdk.CreateResponse("id-" + request.name, {{**OUTPUTS, **request.properties}})

    async def delete(self, request):
        return None


main(sys.argv[1:], "0.0.1", Noop())
"""
NOOP_PROGRAM = """
import pulumi

OUTPUTS = {names!r}
for index in range({count}):
    pulumi.CustomResource(
        "noop:index:Thing", f"t{{index}}", {{**dict.fromkeys(OUTPUTS), **{inputs}}},
        pulumi.ResourceOptions(version="0.0.1"),
    )
"""


def noop_plugin_project(
    directory: Path,
    count: int,
    *,
    latency: float,
    shaped_like: str | None = None,
    calling: str | None = None,
) -> Path:
    """A project of ``count`` resources of the do-nothing plugin (``NOOP_PLUGIN``);
    ``shaped_like``: a base URL to take the outputs of one real create from (our state's
    shape), None for a bare resource; ``calling``: a base URL to send each create to instead
    of sleeping (needs ``shaped_like``, for a request the API accepts)."""
    if calling is not None and shaped_like is None:
        raise ValueError("calling needs shaped_like: the bare resource has no request")
    outputs, inputs = _shape(shaped_like)
    program = NOOP_PROGRAM.format(count=count, names=sorted(outputs), inputs=inputs or "{}")
    project = write_project(directory, program, name=directory.name)
    plugin = project / "plugin" / "pulumi-resource-noop"
    plugin.parent.mkdir()
    plugin.write_text(
        NOOP_PLUGIN.format(
            python=sys.executable, latency=latency, outputs=outputs, base_url=calling
        )
    )
    plugin.chmod(0o755)
    with (project / "Pulumi.yaml").open("a") as header:
        header.write(f"plugins:\n  providers:\n    - name: noop\n      path: {plugin.parent}\n")
    return project


# The floor providers live in their own module (as ours does), so the program pickles a
# reference to them rather than the class by value. Their create only sleeps the latency and
# answers OUTPUTS plus the inputs: {} for the bare floor, the outputs of one real create for
# the floor with our state's shape (the same properties and sizes in state, program and host).
FLOOR_PROVIDER = """
import copy
import time

from pulumi.dynamic import CreateResult, ResourceProvider

from pulumi_chatcomp.dynamic import _host

OUTPUTS = {outputs!r}


class Sleeper(ResourceProvider):
    def configure(self, req):
        _host.adapt({workers})

    def create(self, props):
        time.sleep({latency})
        return CreateResult("id-" + props["label"], {{**copy.deepcopy(OUTPUTS), **props}})
"""
FLOOR_PROGRAM = """
from pulumi.dynamic import Resource

from floor_provider import OUTPUTS, Sleeper


class Thing(Resource):
    def __init__(self, name, inputs):
        super().__init__(Sleeper(), name, {{**dict.fromkeys(OUTPUTS), "label": name, **inputs}})


for index in range({count}):
    Thing(f"t{{index}}", {inputs})
"""
INPUTS = {"model": "gpt-4o-mini", "metadata": {"bench": "yes"}, "store": True}
MESSAGES = '"messages": [{"role": "user", "content": f"Question {index}?"}]'


def floor_project(
    directory: Path, count: int, *, workers: int, latency: float, shaped_like: str | None
) -> Path:
    """A project of ``count`` do-nothing resources; ``shaped_like``: a base URL to take the
    outputs of one real create from (our state's shape), None for a bare resource."""
    outputs, inputs = _shape(shaped_like)
    project = write_project(
        directory, FLOOR_PROGRAM.format(count=count, inputs=inputs or "{}"), name=directory.name
    )
    (project / "floor_provider.py").write_text(
        FLOOR_PROVIDER.format(outputs=outputs, workers=workers, latency=latency)
    )
    return project


def _shape(base_url: str | None) -> tuple[dict[str, Any], str]:
    """One real create's computed outputs and our inputs (as program text), or nothing."""
    if base_url is None:
        return {}, ""
    request = {**INPUTS, "messages": [{"role": "user", "content": "Question 0?"}]}
    with ChatCompletionsClient(Settings(api_key="bench", base_url=base_url)) as client:
        answer = outputs_from(request, client.create(request_of(request)))
    outputs = {k: v for k, v in answer.items() if k not in request}
    outputs |= dict.fromkeys(set(OUTPUT_NAMES) - set(outputs))
    return outputs, "{" + repr(INPUTS)[1:-1] + ", " + MESSAGES + "}"


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """``call()`` and the seconds it took (wall clock)."""
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """A small left-aligned text table."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


@dataclass
class _Tally:
    """Creates in flight: current count, peak, and (start, end) of each finished one."""

    hold_until: int | None
    hold_seconds: float
    current: int = 0
    peak: int = 0
    spans: list[tuple[float, float]] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)

    def enter(self) -> float:
        with self.condition:
            self.current += 1
            self.peak = max(self.peak, self.current)
            self.condition.notify_all()
            if self.hold_until is not None:
                # Hold each create until enough are in flight (or the time is up), so the
                # count shows what the provider host lets through, not how fast calls arrive.
                self.condition.wait_for(
                    lambda: self.peak >= (self.hold_until or 0), timeout=self.hold_seconds
                )
        return time.perf_counter()

    def leave(self, started: float) -> None:
        with self.condition:
            self.current -= 1
            self.spans.append((started, time.perf_counter()))


class InFlightProxy:
    """A threaded reverse proxy on 127.0.0.1 that counts creates in flight.

    Every request is forwarded to ``upstream`` (the server's root URL); for
    ``POST /v1/chat/completions`` it tracks how many are open at once (``peak``) and when
    each ran (``spans``). With ``hold_until=N`` each create waits (at most ``hold_seconds``)
    until N creates have been in flight together, which makes ``peak`` independent of how
    quickly the engine happens to send them.
    """

    def __init__(
        self, upstream: str, *, hold_until: int | None = None, hold_seconds: float = 5.0
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self._tally = _Tally(hold_until, hold_seconds)
        self._client = httpx.Client(
            base_url=self.upstream,
            timeout=120,
            # No idle upstream connections: the server closes idle ones after a few seconds,
            # and a create sent on a closed one would fail.
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=0),
        )
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def peak(self) -> int:
        with self._tally.condition:
            return self._tally.peak

    @property
    def spans(self) -> list[tuple[float, float]]:
        with self._tally.condition:
            return list(self._tally.spans)

    def reset(self) -> None:
        with self._tally.condition:
            self._tally.peak = self._tally.current
            self._tally.spans.clear()

    def __enter__(self) -> InFlightProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as against the real server

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _SKIPPED}
                counted = (self.command, self.path.split("?")[0]) == CREATE
                started = proxy._tally.enter() if counted else 0.0
                try:
                    response = proxy._client.request(
                        self.command, self.path, content=body, headers=headers
                    )
                except httpx.HTTPError as exc:
                    response = httpx.Response(502, text=f"proxy: upstream failed: {exc}")
                finally:
                    if counted:
                        proxy._tally.leave(started)
                self.send_response(response.status_code)
                for key, value in response.headers.items():
                    if key.lower() not in _SKIPPED and key.lower() != "content-encoding":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

            do_GET = do_POST = do_DELETE = _forward

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def peak_of(spans: Sequence[tuple[float, float]]) -> int:
    """Most spans open at one instant."""
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    open_now = peak = 0
    for _, step in events:
        open_now += step
        peak = max(peak, open_now)
    return peak
