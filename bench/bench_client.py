"""Per-request cost of our client vs the official openai SDK, sequential, one pooled connection.

Two settings, each with ``retrieve`` and ``create`` (stored, with metadata) calls:

- ``server``: against a LocalServer over HTTP (keep-alive), the end-to-end figure; a plain
  ``httpx.Client`` doing the same request plus ``json.loads`` is the floor;
- ``in-process``: against a canned response through each library's ``MockTransport`` (no
  network, no server), which isolates what the client itself costs per call.

Clients take turns in rounds so that machine noise hits all alike. Prints microseconds per
request and ratios ours / SDK (target <= 1.0x); asserts nothing. About 20-40 s.

    python bench/bench_client.py [--requests 300] [--rounds 6]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import httpx
import httpx2
import openai
from _common import median, table

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp.client._client import ChatCompletionsClient
from pulumi_chatcomp.server.testing import LocalServer

KEY = "sk-bench-0123456789abcdefghijklmnop"
MESSAGES = [{"role": "user", "content": "How long is a piece of string?"}]
METADATA = {"bench": "client"}
Call = Callable[[], Any]


def _clients(
    base_url: str, ours_transport: Any = None, sdk_transport: Any = None
) -> dict[str, Any]:
    sdk_http = httpx2.Client(transport=sdk_transport) if sdk_transport is not None else None
    return {
        "openai SDK": openai.OpenAI(
            api_key=KEY, base_url=base_url, max_retries=2, http_client=sdk_http
        ),
        "pulumi_chatcomp": ChatCompletionsClient(
            Settings(api_key=KEY, base_url=base_url, max_retries=2), transport=ours_transport
        ),
    }


def _calls(clients: dict[str, Any], completion_id: str) -> dict[tuple[str, str], Call]:
    sdk, ours = clients["openai SDK"], clients["pulumi_chatcomp"]
    create = {"model": "gpt-4o-mini", "messages": MESSAGES, "store": True, "metadata": METADATA}
    return {
        ("openai SDK", "retrieve"): lambda: sdk.chat.completions.retrieve(completion_id),
        ("openai SDK", "create"): lambda: sdk.chat.completions.create(**create),
        ("pulumi_chatcomp", "retrieve"): lambda: ours.retrieve(completion_id),
        ("pulumi_chatcomp", "create"): lambda: ours.create(create),
    }


def _run(calls: dict[tuple[str, str], Call], requests: int, rounds: int) -> dict[Any, float]:
    """Microseconds per request for each (client, operation): median over rounds."""
    for call in calls.values():  # warm connections, caches and lazy schema builds
        for _ in range(5):
            call()
    per_round: dict[Any, list[float]] = defaultdict(list)
    batch = max(1, requests // rounds)
    keys = list(calls)
    for index in range(rounds):
        for key in keys[index % len(keys) :] + keys[: index % len(keys)]:
            call = calls[key]
            start = time.perf_counter()
            for _ in range(batch):
                call()
            per_round[key].append((time.perf_counter() - start) / batch * 1e6)
    return {key: median(values) for key, values in per_round.items()}


def _canned(completion: dict[str, Any]) -> tuple[Any, Any]:
    body = json.dumps(completion).encode()
    headers = {"content-type": "application/json", "x-request-id": "req_canned"}

    def ours(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers=headers)

    def sdk(_: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=body, headers=headers)

    return httpx.MockTransport(ours), httpx2.MockTransport(sdk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="per client and operation")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()

    with LocalServer(["--api-key", KEY]) as server:
        raw = httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"})
        body = {"model": "gpt-4o-mini", "messages": MESSAGES, "store": True, "metadata": METADATA}
        completion = raw.post("/chat/completions", json=body).json()
        clients = _clients(server.base_url)
        calls = _calls(clients, completion["id"])
        calls[("plain httpx + json", "retrieve")] = lambda: json.loads(
            raw.get(f"/chat/completions/{completion['id']}").content
        )
        calls[("plain httpx + json", "create")] = lambda: json.loads(
            raw.post("/chat/completions", json=body).content
        )
        over_http = _run(calls, args.requests, args.rounds)
        raw.close()

    ours_transport, sdk_transport = _canned(completion)
    local = _clients("http://canned.invalid/v1", ours_transport, sdk_transport)
    in_process = _run(_calls(local, completion["id"]), args.requests, args.rounds)

    rows = []
    for setting, figures in (("server", over_http), ("in-process", in_process)):
        for (client, operation), micros in sorted(figures.items(), key=lambda i: i[0][::-1]):
            rows.append((setting, operation, client, f"{micros:.0f}"))
    print(f"sequential calls, {args.requests} per client and operation, median of rounds")
    print(table(rows, ["setting", "operation", "client", "us / request"]))
    for setting, figures in (("server", over_http), ("in-process", in_process)):
        for operation in ("retrieve", "create"):
            ours = figures[("pulumi_chatcomp", operation)]
            sdk = figures[("openai SDK", operation)]
            print(f"{setting:10} {operation:8} ours / SDK = {ours / sdk:.2f}x (target <= 1.0x)")


if __name__ == "__main__":
    main()
