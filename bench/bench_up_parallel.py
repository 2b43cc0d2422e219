"""`pulumi up --parallel 64` of 64 ChatCompletions: both faces against their floors.

Against a LocalServer with ``--latency 0.5`` (each /v1 call takes half a second), on fresh
stacks of the real engine, it times ``up`` of:

- an empty program (imports pulumi_chatcomp, no resources): the engine's fixed cost;
- 64 completions with the host adapted (default: pool widened to 64 workers);
- 64 completions with ``CHATCOMP_MAX_CONCURRENCY=4`` (the host's own four workers);
- 64 completions with no latency: what the engine, the program and the provider host cost
  without any waiting;
- 64 resources of a do-nothing dynamic provider whose create only sleeps the latency, in a
  host adapted the same way: the floor for any dynamic provider on this engine and machine,
  since it does no validation, no HTTP and keeps a tiny state; then the same answering a
  real completion's outputs (our state's shape): what the state alone costs the engine, the
  SDK and the host;
- 64 completions of the provider plugin (``native.ChatCompletion``, served by
  ``pulumi-resource-chatcomp``), with nothing patched;
- 64 resources of a do-nothing provider plugin on the same SDK provider server, whose create
  only sleeps the latency (without blocking its event loop): the floor for a plugin, the same
  engine work and no API; then the same answering a real completion's outputs; then the
  same sending each create to the server instead of sleeping (one ``httpx.AsyncClient``):
  the floor for any plugin that calls this API, with none of our validation, models,
  retries or state mapping.

Two diagnostic runs repeat the adapted and the floor stacks with ``PULUMI_SKIP_CHECKPOINTS``
(the engine then writes no state until the end: never a setting to use, since a crash loses
the state) to show what the engine's checkpoint after every step costs.

Each ``up`` is the ``pulumi up --yes --skip-preview --parallel N`` command itself, timed from
start to exit on a stack created beforehand (the Automation API's ``up`` adds about a second
of follow-up ``pulumi stack`` commands, the same for every run, which would only blur the
ratios). Each run but the no-latency one is repeated ``--repeat`` times on fresh stacks, in
rounds; the medians count.

The ideal is ``latency x ceil(count / parallel) + empty``. One more run of each of the two
64-completion stacks goes through a counting proxy, which records how many creates were in
flight at once and the create phase (first create sent to last answered), where the host's
ceiling shows without the engine's fixed cost; the proxy's own work (a Python thread per
create) slows that run, so the timed runs go straight to the server. A last adapted run, straight
to the server, times each of our provider's calls inside the host (a ``sitecustomize`` on
``PYTHONPATH`` wraps its methods): when checks arrive from the engine, which sends them one
at a time, against how long each takes in our provider. Last, the start-up of a plugin
process as the engine sees it, ours (the ``pulumi-resource-chatcomp`` the engine runs) and
the do-nothing plugin (the SDK's provider server alone), started in turn: from the process's
start to its port, to its answer to Configure after GetPluginInfo and CheckConfig (the
engine sends no check before), and to its answer to a first Check, which the engine's first
create waits for. Prints figures and ratios; asserts nothing. Bounded: about four minutes.

    python bench/bench_up_parallel.py [--count 64] [--parallel 64] [--latency 0.5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import grpc
from _common import (
    InFlightProxy,
    creates_of,
    floor_project,
    make_engine,
    median,
    noop_plugin_project,
    peak_of,
    program_with,
    table,
    timed,
)
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import proto
from pulumi.runtime.proto import provider_pb2_grpc

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.server.testing import LocalServer

EMPTY = "empty stack"
ADAPTED = "creates, adapted host"
CEILING = "creates, CHATCOMP_MAX_CONCURRENCY=4"
FLOOR = "floor: do-nothing creates sleeping the latency"
SHAPED = "floor with our state's shape"
PLUGIN = "plugin: creates"
PLUGIN_FLOOR = "plugin floor: do-nothing plugin sleeping the latency"
PLUGIN_SHAPED = "plugin floor with our state's shape"
PLUGIN_HTTP = "plugin floor calling the API (shaped)"
# A first check as our programs send it (the schema's names); the do-nothing plugin echoes it.
START_INPUTS = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Question 0?"}],
    "metadata": {"bench": "yes"},
}
ADAPTED_UNSAFE = "diagnostic: adapted host, PULUMI_SKIP_CHECKPOINTS"
FLOOR_UNSAFE = "diagnostic: floor, PULUMI_SKIP_CHECKPOINTS"


# Put on PYTHONPATH for one more adapted run: in the provider host only, times each call of
# our provider's check and create (wall and the thread's CPU) into TRACE_FILE.
TRACE_HOOK = """
import os, sys

if os.environ.get("TRACE_FILE") and "pulumi.dynamic" in sys.orig_argv:
    import threading, time

    import pulumi_chatcomp.provider as provider

    lock = threading.Lock()
    out = open(os.environ["TRACE_FILE"], "a")

    def traced(name):
        method = getattr(provider.ChatCompletionProvider, name)

        def call(self, *args):
            start, cpu = time.time(), time.thread_time()
            try:
                return method(self, *args)
            finally:
                end, cpu = time.time(), time.thread_time() - cpu
                with lock:
                    out.write(f"{name} {start} {end} {cpu}\\n")
                    out.flush()

        setattr(provider.ChatCompletionProvider, name, call)

    for name in ("configure", "check", "create"):
        traced(name)
"""


@dataclass(frozen=True)
class StartUp:
    """Seconds from a plugin process's start until it printed its port, answered the
    engine's first calls (GetPluginInfo, CheckConfig, Configure: what the engine waits for
    before it sends a check) and answered its first Check; medians of fresh processes."""

    port: float
    configured: float
    first_check: float


def _start_up(commands: dict[str, list[str]], repeat: int = 7) -> dict[str, StartUp]:
    """Each plugin ``command`` started as the engine starts it, in turn, ``repeat`` times."""
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    # Something must answer at the engine's address: the plugin exits once nothing does.
    with socket.create_server(("127.0.0.1", 0)) as engine:
        address = f"127.0.0.1:{engine.getsockname()[1]}"
        for _ in range(repeat):
            for name, command in commands.items():
                runs[name].append(_one_start([*command, address]))
    return {
        name: StartUp(*(median([run[i] for run in found]) for i in range(3)))
        for name, found in runs.items()
    }


def _one_start(command: list[str]) -> tuple[float, float, float]:
    news = struct_pb2.Struct()
    news.update(START_INPUTS)
    urn = f"urn:pulumi:bench::bench::{PLUGIN_TYPE_TOKEN}::first"
    started = time.perf_counter()
    plugin = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert plugin.stdout is not None
        port = int(plugin.stdout.readline())
        printed = time.perf_counter()
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            stub.GetPluginInfo(empty_pb2.Empty(), timeout=60)
            stub.CheckConfig(proto.CheckRequest(urn=urn, news=struct_pb2.Struct()), timeout=60)
            stub.Configure(proto.ConfigureRequest(args=struct_pb2.Struct()), timeout=60)
            configured = time.perf_counter()
            checked = stub.Check(proto.CheckRequest(urn=urn, news=news), timeout=60)
            first_check = time.perf_counter()
        if checked.failures:
            raise RuntimeError(f"{command[0]}: the first check failed: {checked.failures}")
    finally:
        plugin.terminate()
        plugin.wait(timeout=30)
    return printed - started, configured - started, first_check - started


@dataclass(frozen=True)
class HostTrace:
    """Our provider's calls in the host, in seconds from the start of the ``up``."""

    configured: float
    first_check: tuple[float, float]
    check_gap: float
    check_wall: float
    last_check: float
    create_cpu: float
    last_create_end: float
    exited: float


def _host_trace(path: Path, started: float, exited: float) -> HostTrace:
    calls: dict[str, list[tuple[float, float, float]]] = {}
    for line in path.read_text().splitlines():
        name, start, end, cpu = line.split()
        calls.setdefault(name, []).append(
            (float(start) - started, float(end) - started, float(cpu))
        )
    checks = sorted(calls["check"])
    creates = sorted(calls["create"])
    later = checks[1:]
    return HostTrace(
        configured=min(start for start, _, _ in calls["configure"]),
        first_check=checks[0][:2],
        check_gap=(later[-1][0] - later[0][0]) / max(len(later) - 1, 1),
        check_wall=sum(end - start for start, end, _ in later) / len(later),
        last_check=later[-1][0],
        # The first create loads httpx and the client; the mean is of the others.
        create_cpu=sum(cpu for _, _, cpu in creates[1:]) / (len(creates) - 1),
        last_create_end=max(end for _, end, _ in creates),
        exited=exited,
    )


def _phase(spans: list[tuple[float, float]]) -> float:
    return max(end for _, end in spans) - min(start for start, _ in spans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--parallel", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    count, parallel, latency = args.count, args.parallel, args.latency

    rows: list[tuple[str, float, int | str, str]] = []
    with (
        make_engine() as engine,
        tempfile.TemporaryDirectory() as tmp,
        LocalServer(["--latency", str(latency)]) as slow,
        LocalServer([]) as fast,
        InFlightProxy(slow.url) as proxy,
    ):
        empty = program_with(Path(tmp) / "empty", 0)
        many = program_with(Path(tmp) / "many", count)
        floor = floor_project(
            Path(tmp) / "floor", count, workers=parallel, latency=latency, shaped_like=None
        )
        shaped = floor_project(
            Path(tmp) / "shaped",
            count,
            workers=parallel,
            latency=latency,
            shaped_like=fast.base_url,
        )

        plugin = program_with(Path(tmp) / "plugin", count, plugin=True)
        plugin_floor = noop_plugin_project(Path(tmp) / "noop", count, latency=latency)
        plugin_shaped = noop_plugin_project(
            Path(tmp) / "noop-shaped", count, latency=latency, shaped_like=fast.base_url
        )
        plugin_http = noop_plugin_project(
            Path(tmp) / "noop-http",
            count,
            latency=latency,
            shaped_like=fast.base_url,
            calling=slow.base_url,
        )

        started: list[float] = []

        def up(project: Path, base_url: str, env: dict[str, str] | None = None) -> float:
            stack = engine.stack(project, config={"chatcomp:baseUrl": base_url}, env=env)
            proxy.reset()
            command = ("up", "--yes", "--skip-preview", "--parallel", str(parallel))
            started[:] = [time.time()]
            _, seconds = timed(
                lambda: engine.cli(*command, "--stack", stack.name, cwd=project, env=env)
            )
            created = cast(dict[str, int], stack.history(page_size=1)[0].resource_changes or {})
            expected = creates_of(project, 0 if project == empty else count)
            if created.get("create") != expected:
                raise RuntimeError(f"unexpected changes {created} in {project.name}")
            return seconds

        def counted(env: dict[str, str] | None = None, project: Path = many) -> tuple[int, float]:
            """Peak creates in flight and the create phase, from one more run via the proxy."""
            up(project, proxy.base_url, env)
            return peak_of(proxy.spans), _phase(proxy.spans)

        ceiling = {"CHATCOMP_MAX_CONCURRENCY": "4"}
        # A diagnostic, not a setting to use: without checkpoints a crash loses the state.
        unsafe = {"PULUMI_SKIP_CHECKPOINTS": "true"}
        timed_runs: dict[str, tuple[Path, dict[str, str] | None]] = {
            EMPTY: (empty, None),
            ADAPTED: (many, None),
            CEILING: (many, ceiling),
            FLOOR: (floor, None),
            SHAPED: (shaped, None),
            PLUGIN: (plugin, None),
            PLUGIN_FLOOR: (plugin_floor, None),
            PLUGIN_SHAPED: (plugin_shaped, None),
            PLUGIN_HTTP: (plugin_http, None),
            ADAPTED_UNSAFE: (many, unsafe),
            FLOOR_UNSAFE: (floor, unsafe),
        }
        # Warm the engine, plugin and Python caches once; not counted.
        up(many, slow.base_url)
        up(plugin, slow.base_url)
        # Rounds of every run in turn, so that a slow spell of this shared machine lands
        # on all of them rather than on one; medians of the rounds count.
        seconds: dict[str, list[float]] = {name: [] for name in timed_runs}
        # What each up of our faces asks of the API: the creates, and what exactly-once adds.
        requests: dict[str, dict[str, int]] = {}
        for _ in range(args.repeat):
            for name, (project, env) in timed_runs.items():
                slow.admin.reset_counters()
                seconds[name].append(up(project, slow.base_url, env))
                if name in (ADAPTED, PLUGIN):
                    requests[name] = {
                        k: v for k, v in slow.admin.counters().items() if " /v1/" in k
                    }
        for name, runs in seconds.items():
            print(f"  {name}: " + ", ".join(f"{s:.2f} s" for s in runs))
        medians = {name: median(runs) for name, runs in seconds.items()}
        empty_s, adapted_s, ceiling_s = medians[EMPTY], medians[ADAPTED], medians[CEILING]
        floor_s, shaped_s = medians[FLOOR], medians[SHAPED]
        adapted_peak, adapted_phase = counted()
        ceiling_peak, ceiling_phase = counted(ceiling)
        plugin_peak, plugin_phase = counted(project=plugin)
        rows.append((EMPTY, empty_s, "-", "-"))
        rows.append((ADAPTED, adapted_s, adapted_peak, f"{adapted_phase:.2f}"))
        rows.append((CEILING, ceiling_s, ceiling_peak, f"{ceiling_phase:.2f}"))
        no_latency_s = up(many, fast.base_url)
        rows.append(("creates, no latency", no_latency_s, "-", "-"))
        for name in (FLOOR, SHAPED):
            rows.append((name, medians[name], "-", "-"))
        rows.append((PLUGIN, medians[PLUGIN], plugin_peak, f"{plugin_phase:.2f}"))
        for name in (PLUGIN_FLOOR, PLUGIN_SHAPED, PLUGIN_HTTP, ADAPTED_UNSAFE, FLOOR_UNSAFE):
            rows.append((name, medians[name], "-", "-"))
        starts = _start_up(
            {
                "sdk": [str(plugin_floor / "plugin" / "pulumi-resource-noop")],
                "ours": [str(Path(sys.executable).parent / "pulumi-resource-chatcomp")],
            }
        )
        hook = Path(tmp) / "trace_hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(TRACE_HOOK)
        trace_file = Path(tmp) / "trace.txt"
        exited = up(many, slow.base_url, {"PYTHONPATH": str(hook), "TRACE_FILE": str(trace_file)})
        trace = _host_trace(trace_file, started[0], exited)

    waves = math.ceil(count / parallel)
    ideal = latency * waves + empty_s
    rows.append((f"ideal = {latency} s x {waves} wave(s) + empty", ideal, "-", f"{latency:.2f}"))
    print(
        f"pulumi up --parallel {parallel}, {count} ChatCompletions, server --latency {latency},"
        f" median of {args.repeat}"
    )
    print(
        table(
            [(name, f"{s:.2f}", peak, phase) for name, s, peak, phase in rows],
            ["run", "up wall s", "peak creates in flight", "create phase s"],
        )
    )
    print(
        f"speed-up over the 4-worker ceiling, whole up: {ceiling_s / adapted_s:.2f}x (target >= 4x)"
    )
    print(f"speed-up over the 4-worker ceiling, create phase: {ceiling_phase / adapted_phase:.2f}x")
    print(f"adapted / ideal, whole up: {adapted_s / ideal:.2f}x (target <= 2x)")
    print(
        f"adapted / floor (do-nothing provider, same latency and pool): {adapted_s / floor_s:.2f}x"
    )
    print(
        f"of which our state's shape (engine, SDK, host): {shaped_s - floor_s:.2f} s;"
        f" our provider's work (start-up, validation, HTTP, server): {adapted_s - shaped_s:.2f} s"
    )
    print(
        f"the floor itself: {ceiling_s / floor_s:.2f}x faster than our ceiling,"
        f" {floor_s / ideal:.2f}x the ideal"
    )
    for name, counted_requests in requests.items():
        per_create = {k: v / count for k, v in sorted(counted_requests.items())}
        shown = ", ".join(f"{k} {v:g}" for k, v in per_create.items())
        print(f"API requests per completion, {name}: {shown}")
    plugin_s = medians[PLUGIN]
    plugin_floor_s, plugin_shaped_s = medians[PLUGIN_FLOOR], medians[PLUGIN_SHAPED]
    plugin_http_s = medians[PLUGIN_HTTP]
    print(
        f"plugin / do-nothing plugin (same engine work, no API): {plugin_s / plugin_floor_s:.2f}x"
        f" (target <= 1.15x); / the same with our state's shape: {plugin_s / plugin_shaped_s:.2f}x;"
        f" / the same calling the API: {plugin_s / plugin_http_s:.2f}x"
    )
    print(
        f"of the plugin's {plugin_s - plugin_floor_s:.2f} s over the do-nothing plugin: our"
        f" state's shape {plugin_shaped_s - plugin_floor_s:.2f} s, calling the API (HTTP, the"
        f" server on this machine) {plugin_http_s - plugin_shaped_s:.2f} s, our provider's own"
        f" work (imports, validation, models, retries) {plugin_s - plugin_http_s:.2f} s"
    )
    sdk_start, our_start = starts["sdk"], starts["ours"]
    print(
        "a plugin's start-up, s from its start to its port / Configure answered / first Check"
        f" answered: on the SDK's server alone (the do-nothing plugin) {sdk_start.port:.2f} /"
        f" {sdk_start.configured:.2f} / {sdk_start.first_check:.2f}, ours {our_start.port:.2f} /"
        f" {our_start.configured:.2f} / {our_start.first_check:.2f}: the first check"
        f" {our_start.first_check - sdk_start.first_check:.2f} s later"
        f" ({our_start.first_check / sdk_start.first_check:.2f}x), in every up that uses the"
        " plugin, whatever its size"
    )
    print(
        f"plugin / dynamic face (adapted host): {plugin_s / adapted_s:.2f}x; / ideal:"
        f" {plugin_s / ideal:.2f}x; the do-nothing plugin / ideal: {plugin_floor_s / ideal:.2f}x"
    )
    print(
        f"engine cost of {count} of our resources over an empty stack:"
        f" {no_latency_s - empty_s:.2f} s"
    )
    print(
        f"the engine's checkpoints (diagnostic runs with PULUMI_SKIP_CHECKPOINTS): adapted"
        f" {adapted_s - medians[ADAPTED_UNSAFE]:.2f} s of its up, floor"
        f" {floor_s - medians[FLOOR_UNSAFE]:.2f} s"
    )
    print(
        f"traced adapted run, s from start: our provider configured at {trace.configured:.2f},"
        f" first check {trace.first_check[0]:.2f}-{trace.first_check[1]:.2f}, last check"
        f" {trace.last_check:.2f}, last create answered {trace.last_create_end:.2f},"
        f" exit {trace.exited:.2f}"
    )
    print(
        f"  start-up (CLI, program, provider host, our first check):"
        f" {trace.first_check[1]:.2f} s; sending (the engine checks one resource at a time):"
        f" {trace.last_check - trace.first_check[1]:.2f} s, a check every"
        f" {trace.check_gap * 1000:.1f} ms of which {trace.check_wall * 1000:.2f} ms in our"
        f" provider; waiting for the last answer: {trace.last_create_end - trace.last_check:.2f}"
        f" s; finishing (a checkpoint after each create, shut-down):"
        f" {trace.exited - trace.last_create_end:.2f} s; a create costs"
        f" {trace.create_cpu * 1000:.1f} ms of the host's CPU"
    )


if __name__ == "__main__":
    main()
