"""``chatcomp export`` against the official openai SDK writing the same JSON Lines.

Starts a local server on a temporary SQLite file and seeds ``--count`` stored completions
through the API (a thread pool of creates; a developer and a user message each, a tenth of
them with a tool), then runs, each in a fresh process and timed from start to exit (what a
user waits for, interpreter start-up and imports included):

- ``raw``: ``chatcomp export --format raw --output FILE`` against the SDK's auto-pager
  (``client.chat.completions.list(limit=100)`` iterated, each completion's ``to_json()``
  written as a line), and against a floor: plain httpx and ``json`` paging through the same
  list and writing each object (no models, no retries: the least Python can do);
- ``finetune``: ``chatcomp export --output FILE`` (list, then each completion's messages)
  against the SDK doing the same one completion after another (its auto-pager, then
  ``client.chat.completions.messages.list(id)`` per completion, written as examples).

Time is the median of ``--repeat`` interleaved rounds (``--finetune-repeat`` for finetune,
whose runs are slow); memory is the peak RSS of the child process (``wait4``'s rusage), for
all ``--count`` completions and for the first ``--small`` of them (``--limit``), whose
ratio says whether memory stays flat as the count grows (each child is started by a small
launcher interpreter that times it and reads its rusage, so neither includes this script).
Also checks, once, that our raw lines and the SDK's are the same JSON objects. Prints the
figures and the ratios of this run; asserts nothing. About 3-4 minutes with the defaults on
a 2-core machine (seeding 20 s, raw 30 s, finetune 2-3 min); ``--skip-finetune`` leaves the
slow part out.

    .venv/bin/python bench/bench_export.py [--count 10000] [--small 1000] [--repeat 3]
        [--finetune-repeat 3] [--workers 8] [--skip-finetune]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
API_KEY = "sk-bench-export-0123456789abcdef"
TOOL = {
    "type": "function",
    "function": {
        "name": "lookup_order",
        "description": "Find an order by its number",
        "parameters": {
            "type": "object",
            "properties": {"number": {"type": "string"}},
            "required": ["number"],
        },
    },
}


# -- the SDK's and the floor's children (ours is the chatcomp command itself) ------------------


def _sdk_raw(base_url: str, output: str, limit: int | None) -> int:
    from openai import OpenAI

    written = 0
    with OpenAI(api_key=API_KEY, base_url=base_url) as client, open(output, "w") as out:
        for completion in client.chat.completions.list(limit=100):
            out.write(completion.to_json(indent=None) + "\n")
            written += 1
            if written == limit:
                break
    return written


def _sdk_finetune(base_url: str, output: str, limit: int | None) -> int:
    from openai import OpenAI

    written = 0
    with OpenAI(api_key=API_KEY, base_url=base_url) as client, open(output, "w") as out:
        for completion in client.chat.completions.list(limit=100):
            messages = []
            for stored in client.chat.completions.messages.list(completion.id, order="asc"):
                message = stored.model_dump(exclude_none=True)
                message.pop("id", None)
                parts = message.pop("content_parts", None)
                if parts:
                    message["content"] = parts
                messages.append(message)
            reply = completion.choices[0].message
            answer: dict[str, Any] = {"role": "assistant"}
            if reply.content is not None:
                answer["content"] = reply.content
            if reply.tool_calls:
                answer["tool_calls"] = [call.model_dump() for call in reply.tool_calls]
            example: dict[str, Any] = {"messages": [*messages, answer]}
            tools = (completion.model_extra or {}).get("tools")
            if tools:
                example["tools"] = tools
            out.write(json.dumps(example, ensure_ascii=False) + "\n")
            written += 1
            if written == limit:
                break
    return written


def _floor_raw(base_url: str, output: str, limit: int | None) -> int:
    headers = {"Authorization": f"Bearer {API_KEY}"}
    written = 0
    after = None
    with httpx.Client(base_url=base_url + "/", headers=headers) as client, open(output, "w") as out:
        while True:
            size = 100 if limit is None else min(100, limit - written)
            params: dict[str, str | int] = {"limit": size}
            if after is not None:
                params["after"] = after
            page = client.get("chat/completions", params=params).json()
            for item in page["data"]:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
            written += len(page["data"])
            if not page["has_more"] or not page["data"] or written == limit:
                return written
            after = page["data"][-1]["id"]


CHILDREN: dict[str, Callable[[str, str, int | None], int]] = {
    "sdk-raw": _sdk_raw,
    "sdk-finetune": _sdk_finetune,
    "floor-raw": _floor_raw,
}

CONTENDERS = {
    "ours-raw": "chatcomp export --format raw",
    "sdk-raw": "openai SDK auto-pager, to_json() lines",
    "floor-raw": "floor: httpx + json, no models",
    "ours-finetune": "chatcomp export (finetune)",
    "sdk-finetune": "openai SDK list + messages.list",
}


# -- the parent ---------------------------------------------------------------------------------


def _command(name: str, base_url: str, output: str, limit: int | None) -> list[str]:
    if name.startswith("ours"):
        command = [sys.executable, "-m", "pulumi_chatcomp.cli", "export", "--output", output]
        command += ["--format", name.removeprefix("ours-")]
    else:
        command = [sys.executable, __file__, "--child", name, "--output", output]
        command += ["--base-url", base_url]
    if limit is not None:
        command += ["--limit", str(limit)]
    return command


# Runs one command and reports its wall time and peak RSS. Linux counts the memory of the
# process a child was forked from into the child's peak (exec records the old address
# space's high-water mark), so children are started from this small interpreter, not from
# the benchmark, which holds the server's client and its imports.
_LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
devnull = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=devnull)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
print(json.dumps({"seconds": seconds, "peak": usage.ru_maxrss * 1024, "code": code}))
"""


def _run(name: str, base_url: str, scratch: Path, limit: int | None) -> dict[str, Any]:
    """One fresh process: wall seconds from start to exit, peak RSS, lines written."""
    output = scratch / f"{name}.jsonl"
    env = {**os.environ, "OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": base_url}
    command = _command(name, base_url, str(output), limit)
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _LAUNCHER, *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"the launcher of {name} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"{name} failed ({result['code']}): {done.stderr[-2000:]}")
    with output.open("rb") as lines:
        result["count"] = sum(1 for _ in lines)
    return result


def _seed(base_url: str, count: int, workers: int) -> float:
    local = threading.local()

    def create(index: int) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(
                base_url=base_url, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=60
            )
        body: dict[str, Any] = {
            "model": "gpt-4o-mini",
            "store": True,
            "max_completion_tokens": 24,
            "messages": [
                {"role": "developer", "content": "You answer customer questions briefly."},
                {"role": "user", "content": f"Where is my order number {index}?"},
            ],
            "metadata": {"bench": "export", "shard": str(index % 8)},
        }
        if index % 10 == 0:
            body["tools"] = [TOOL]
        client.post("/chat/completions", json=body).raise_for_status()

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(create, range(count)))
    return time.perf_counter() - start


def _same_lines(ours: Path, theirs: Path) -> bool:
    with ours.open(encoding="utf-8") as a, theirs.open(encoding="utf-8") as b:
        return all(json.loads(x) == json.loads(y) for x, y in zip(a, b, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="completions to seed")
    parser.add_argument("--small", type=int, default=1_000, help="the smaller export, for memory")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds of the raw export")
    parser.add_argument("--finetune-repeat", type=int, default=3, help="rounds of finetune")
    parser.add_argument("--workers", type=int, default=8, help="threads seeding the server")
    parser.add_argument("--skip-finetune", action="store_true", help="raw only (1-2 minutes)")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        CHILDREN[args.child](args.base_url, args.output, args.limit)
        return

    began = time.perf_counter()
    # Every child imports the package: a stale bytecode cache would time the compiler.
    compileall.compile_dir(REPO / "pulumi_chatcomp", quiet=2)
    from pulumi_chatcomp.server.testing import LocalServer

    groups = [("raw", ["ours-raw", "sdk-raw", "floor-raw"], args.repeat)]
    if not args.skip_finetune:
        groups.append(("finetune", ["ours-finetune", "sdk-finetune"], args.finetune_repeat))
    times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    peaks: dict[str, dict[int, int]] = {name: {} for name in CONTENDERS}
    same = False
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        with LocalServer(["--db", str(scratch / "bench.sqlite"), "--api-key", API_KEY]) as server:
            url = server.base_url
            seeded = _seed(url, args.count, args.workers)
            print(f"seeded {args.count} stored completions in {seeded:.1f} s")
            for _, names, repeat in groups:
                # Interleaved rounds, so a slow moment of the shared machine hits everyone.
                for _ in range(repeat):
                    for name in names:
                        run = _run(name, url, scratch, None)
                        if run["count"] != args.count:
                            raise SystemExit(f"{name} wrote {run['count']}, not {args.count}")
                        times[name].append(run["seconds"])
                        peaks[name][args.count] = max(peaks[name].get(args.count, 0), run["peak"])
                    if names[0] == "ours-raw" and not same:
                        same = _same_lines(scratch / "ours-raw.jsonl", scratch / "sdk-raw.jsonl")
                for name in names:
                    peaks[name][args.small] = _run(name, url, scratch, args.small)["peak"]

    mib = 2**20
    print(f"\nexporting {args.count} completions (fresh processes; median of the runs shown)")
    for name, label in CONTENDERS.items():
        if not times[name]:
            continue
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        big, small = peaks[name][args.count], peaks[name][args.small]
        print(
            f"  {label:<40} {statistics.median(times[name]):6.2f} s  [{runs}]  peak RSS "
            f"{big / mib:6.1f} MiB ({args.small}: {small / mib:6.1f} MiB)"
        )
    verdict = "yes" if same else "NO"
    print(f"\nraw lines of ours and of the SDK are the same JSON objects: {verdict}")
    print("\nratios (same run)")
    pairs = [("ours-raw", "sdk-raw"), ("ours-raw", "floor-raw"), ("ours-finetune", "sdk-finetune")]
    for ours, other in pairs:
        if not times[ours] or not times[other]:
            continue
        time_ratio = statistics.median(times[ours]) / statistics.median(times[other])
        memory_ratio = peaks[ours][args.count] / peaks[other][args.count]
        print(
            f"  {CONTENDERS[ours]} / {CONTENDERS[other]}: time {time_ratio:.2f}x, "
            f"peak RSS {memory_ratio:.2f}x"
        )
    print(f"\nmemory flatness: peak RSS at {args.count} / at {args.small} completions")
    for name, label in CONTENDERS.items():
        if times[name]:
            flat = peaks[name][args.count] / peaks[name][args.small]
            print(f"  {label:<40} {flat:.2f}x")
    print(f"\ntook {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
