"""Listing every stored completion: our data source and client against the openai SDK.

Starts a local server on a temporary SQLite file, seeds ``--count`` stored completions
through the API (a thread pool of creates), then lists all of them with:

- ``get_chat_completions()``             our data source (returns one list of results)
- ``ChatCompletionsClient.list()``       our client's lazy iterator (keeps nothing)
- ``client.chat.completions.list(limit=100)``  the official SDK's auto-pager (keeps nothing)
- the same SDK pager collected into a list (keeps everything, as the data source does)

Every measurement runs in a fresh subprocess: ``--repeat`` timed runs per contender (median
wall time, no tracing), then one run under ``tracemalloc`` for the peak memory of the
listing itself. Prints figures and the ratios measured in this run; asserts nothing.

    .venv/bin/python bench/bench_list.py [--count 10000] [--repeat 3] [--workers 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

API_KEY = "sk-bench-list-0123456789abcdef"


def _ours(base_url: str) -> int:
    from pulumi_chatcomp.data_sources import get_chat_completions

    os.environ["OPENAI_BASE_URL"] = base_url
    os.environ["OPENAI_API_KEY"] = API_KEY
    return len(get_chat_completions().data)


def _ours_lazy(base_url: str) -> int:
    from pulumi_chatcomp._config import Settings
    from pulumi_chatcomp.client._client import ChatCompletionsClient

    with ChatCompletionsClient(Settings(api_key=API_KEY, base_url=base_url)) as client:
        return sum(1 for _ in client.list())


def _sdk(base_url: str) -> int:
    from openai import OpenAI

    with OpenAI(api_key=API_KEY, base_url=base_url) as client:
        return sum(1 for _ in client.chat.completions.list(limit=100))


def _sdk_kept(base_url: str) -> int:
    from openai import OpenAI

    with OpenAI(api_key=API_KEY, base_url=base_url) as client:
        return len(list(client.chat.completions.list(limit=100)))


CONTENDERS: dict[str, tuple[str, Callable[[str], int]]] = {
    "ours": ("get_chat_completions()", _ours),
    "ours-lazy": ("ChatCompletionsClient.list()", _ours_lazy),
    "sdk": ("openai SDK auto-pager", _sdk),
    "sdk-kept": ("openai SDK auto-pager, kept in a list", _sdk_kept),
}


def _measure(name: str, base_url: str, trace: bool) -> dict[str, float]:
    """One run, in this (fresh) process: seconds, or peak traced bytes of the listing."""
    listing = CONTENDERS[name][1]
    # Imports happen outside the measured part; only the listing itself counts.
    if name.startswith("ours"):
        import pulumi_chatcomp.data_sources  # noqa: F401
    else:
        import openai  # noqa: F401
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    count = listing(base_url)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    return {"count": count, "seconds": seconds, "peak": peak}


def _run_child(name: str, base_url: str, trace: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", name, "--base-url", base_url]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _seed(base_url: str, count: int, workers: int) -> float:
    local = threading.local()

    def create(index: int) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(
                base_url=base_url, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=60
            )
        response = client.post(
            "/chat/completions",
            json={
                "model": "gpt-4o-mini",
                "store": True,
                "max_completion_tokens": 24,
                "messages": [{"role": "user", "content": f"Benchmark question {index}"}],
                "metadata": {"bench": "list", "shard": str(index % 8)},
            },
        )
        response.raise_for_status()

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(create, range(count)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="completions to seed")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per contender")
    parser.add_argument("--workers", type=int, default=8, help="threads seeding the server")
    parser.add_argument("--child", choices=sorted(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_measure(args.child, args.base_url, args.trace)))
        return

    from pulumi_chatcomp.server.testing import LocalServer

    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "bench.sqlite")
        with LocalServer(["--db", db, "--api-key", API_KEY]) as server:
            seconds = _seed(server.base_url, args.count, args.workers)
            print(f"seeded {args.count} stored completions in {seconds:.1f} s")
            figures: dict[str, tuple[float, float]] = {}
            # Interleaved rounds, so a slow moment of the shared machine hits every contender.
            times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
            for _ in range(args.repeat):
                for name in CONTENDERS:
                    run = _run_child(name, server.base_url, trace=False)
                    if run["count"] != args.count:
                        raise SystemExit(f"{name} listed {run['count']}, not {args.count}")
                    times[name].append(run["seconds"])
            for name in CONTENDERS:
                peak = _run_child(name, server.base_url, trace=True)["peak"]
                figures[name] = (statistics.median(times[name]), peak)

    print(f"\nlisting {args.count} completions (median of {args.repeat} runs; peak traced memory)")
    for name, (label, _) in CONTENDERS.items():
        seconds, peak = figures[name]
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(f"  {label:<40} {seconds:6.2f} s  [{runs}]  {peak / 2**20:7.1f} MiB")
    print("\nratios (ours / SDK, same run)")
    pairs = [("ours", "sdk-kept"), ("ours", "sdk"), ("ours-lazy", "sdk")]
    for ours, sdk in pairs:
        time_ratio = figures[ours][0] / figures[sdk][0]
        memory_ratio = figures[ours][1] / figures[sdk][1]
        print(
            f"  {CONTENDERS[ours][0]} vs {CONTENDERS[sdk][0]}: "
            f"time {time_ratio:.2f}x, memory {memory_ratio:.2f}x"
        )


if __name__ == "__main__":
    main()
