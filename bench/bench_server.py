"""Throughput of the local server: stored creates, list pages and message pages per second.

Starts its own server (in memory, or ``--db`` for a WAL file) and drives it with a few
concurrent httpx workers; bounded by ``--creates``/``--pages`` and ``--seconds``. Prints
figures and ratios measured in the same run; asserts nothing.

    python bench/bench_server.py [--workers 4] [--creates 2000] [--pages 1000] [--db FILE]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from pulumi_chatcomp.server.testing import LocalServer


def _run(
    workers: int, total: int, seconds: float, work: Callable[[httpx.Client, int], None], url: str
) -> tuple[int, float]:
    counter = iter(range(total))
    lock = threading.Lock()
    done = 0
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal done
        with httpx.Client(base_url=url, timeout=30) as client:
            while time.perf_counter() < deadline:
                with lock:
                    index = next(counter, None)
                if index is None:
                    return
                work(client, index)
                with lock:
                    done += 1

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, time.perf_counter() - start


def _create(client: httpx.Client, index: int) -> None:
    response = client.post(
        "/chat/completions",
        json={
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": f"Benchmark question number {index}"}],
            "store": True,
            "metadata": {"bench": "yes", "shard": str(index % 4)},
        },
    )
    response.raise_for_status()


def _list_page(client: httpx.Client, index: int) -> None:
    params = {"limit": 20, "order": "desc" if index % 2 else "asc", "metadata[shard]": "1"}
    response = client.get("/chat/completions", params=params)
    response.raise_for_status()
    assert len(response.json()["data"]) == 20


_CONVERSATION = 100  # messages in the completion whose messages are paged


def _conversation(url: str) -> str:
    roles = ("user", "assistant")
    messages = [
        {"role": roles[i % 2], "content": f"Turn {i} of a long conversation"}
        for i in range(_CONVERSATION)
    ]
    response = httpx.post(
        f"{url}/chat/completions",
        json={"model": "gpt-4o-mini", "messages": messages, "store": True},
        timeout=30,
    )
    response.raise_for_status()
    completion_id: str = response.json()["id"]
    return completion_id


def _messages_page(completion_id: str) -> Callable[[httpx.Client, int], None]:
    def work(client: httpx.Client, index: int) -> None:
        # A cursor in the middle (20..79), so that either order has a full page past it.
        after = f"{completion_id}-{20 + index % 60}"
        params = {"limit": 20, "order": "desc" if index % 2 else "asc", "after": after}
        response = client.get(f"/chat/completions/{completion_id}/messages", params=params)
        response.raise_for_status()
        assert len(response.json()["data"]) == 20

    return work


def bench(args: argparse.Namespace, flags: list[str], label: str) -> float:
    with LocalServer(flags) as server:
        created, create_time = _run(
            args.workers, args.creates, args.seconds, _create, server.base_url
        )
        pages, page_time = _run(args.workers, args.pages, args.seconds, _list_page, server.base_url)
        work = _messages_page(_conversation(server.base_url))
        message_pages, message_time = _run(
            args.workers, args.pages, args.seconds, work, server.base_url
        )
    creates_per_s = created / create_time
    print(f"[{label}] stored creates: {created} in {create_time:.2f} s = {creates_per_s:.0f}/s")
    print(
        f"[{label}] list pages (20 items, metadata filter): {pages} in {page_time:.2f} s"
        f" = {pages / page_time:.0f}/s"
    )
    print(
        f"[{label}] message pages (20 of {_CONVERSATION}, after a cursor): {message_pages} in"
        f" {message_time:.2f} s = {message_pages / message_time:.0f}/s"
    )
    return creates_per_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--creates", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0, help="cap per phase")
    args = parser.parse_args()
    print(f"workers={args.workers} creates<={args.creates} pages<={args.pages} cap={args.seconds}s")
    memory = bench(args, [], "memory")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        normal = bench(args, ["--db", db], "wal normal")
        full = bench(args, ["--db", db + "-full", "--synchronous", "full"], "wal full")
    print(
        f"ratios: wal-normal/memory = {normal / memory:.2f}, wal-full/wal-normal = "
        f"{full / normal:.2f}"
    )


if __name__ == "__main__":
    main()
