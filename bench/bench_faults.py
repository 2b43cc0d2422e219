"""Rate limits and server errors (issue 9.1): 100 idempotent creates through a faulty server.

Starts a local server answering 30% of requests with 429 and 10% with 503 (both with
``Retry-After``/``retry-after-ms``), then sends ``--creates`` creates from ``--threads``
threads through one ``ChatCompletionsClient`` with an idempotency token each. A wrapping
transport records every wait the server asked for; the client's sleep records every wait it
made. Prints: creates that succeeded, stored completions per create (duplicates), the
server's request count, and the asked versus waited seconds. Exits 1 if a create failed, a
completion was stored twice, or the client waited less than the server asked.

    python bench/bench_faults.py [--creates 100] [--threads 8] [--retry-after 1.0] [--seed 7]
"""

from __future__ import annotations

import argparse
import collections
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp.client._client import ChatCompletionsClient
from pulumi_chatcomp.client._retry import retry_after
from pulumi_chatcomp.server.testing import LocalServer


class AskedWaits(httpx.HTTPTransport):
    """An HTTP transport that adds up the waits 429 and 503 answers asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.asked = 0.0
        self.statuses: collections.Counter[int] = collections.Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code in (429, 503):
                self.asked += retry_after(response.headers) or 0.0
        return response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=100)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rate-429", type=float, default=0.3)
    parser.add_argument("--rate-503", type=float, default=0.1)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--max-retries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    waited_lock = threading.Lock()
    waited = 0.0

    def sleep(seconds: float) -> None:
        nonlocal waited
        with waited_lock:
            waited += seconds
        time.sleep(seconds)

    run = uuid.uuid4().hex[:12]
    with LocalServer() as server:
        server.admin.set_faults(
            rate_429=args.rate_429,
            rate_503=args.rate_503,
            retry_after=args.retry_after,
            seed=args.seed,
        )
        transport = AskedWaits()
        settings = Settings(
            api_key="sk-bench", base_url=server.base_url, max_retries=args.max_retries
        )
        client = ChatCompletionsClient(settings, transport=transport, sleep=sleep)

        def create(index: int) -> str:
            return client.create(
                {
                    "model": "gpt-4o-mini",
                    "store": True,
                    "messages": [{"role": "user", "content": f"Count to {index}."}],
                    "metadata": {"run": run, "index": str(index)},
                },
                idempotency_token=uuid.uuid4().hex,
            ).id

        started = time.perf_counter()
        failures: list[str] = []
        with ThreadPoolExecutor(args.threads) as pool:
            futures = [pool.submit(create, index) for index in range(args.creates)]
            for future in futures:
                try:
                    future.result()
                except Exception as exc:
                    failures.append(f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - started
        server.admin.reset_faults()
        counters = server.admin.counters()
        stored = collections.Counter(
            c.metadata["index"] for c in client.list(metadata={"run": run}) if c.metadata
        )
        client.close()

    duplicates = sum(count - 1 for count in stored.values() if count > 1)
    print(
        f"{args.creates} creates, {args.threads} threads, faults 429={args.rate_429} "
        f"503={args.rate_503} retry-after={args.retry_after}s, in {seconds:.1f} s"
    )
    print(f"  succeeded: {args.creates - len(failures)}   failed: {len(failures)}")
    print(
        f"  stored completions: {sum(stored.values())} for {len(stored)} creates; "
        f"duplicates: {duplicates}"
    )
    print(
        f"  create requests seen by the server: {counters.get('POST /v1/chat/completions', 0)}; "
        f"answers by status (with the final list): {dict(sorted(transport.statuses.items()))}"
    )
    print(
        f"  wait asked by the server: {transport.asked:.1f} s   "
        f"waited by the client: {waited:.1f} s (summed over threads)"
    )
    for failure in failures[:5]:
        print(f"  failure: {failure}")
    ok = not failures and duplicates == 0 and len(stored) == args.creates
    ok = ok and waited + 1e-6 >= transport.asked
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
