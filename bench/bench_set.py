"""A ChatCompletionSet of N items in one `pulumi up`, against the API-bound time.

For each N (default 1,000 and 10,000), against a LocalServer where every /v1 call takes
``--latency`` seconds (default 0.5), on a fresh stack of the real engine, a YAML program
whose one resource is a set read from a JSON Lines file with ``maxConcurrency`` 64:

- ``up``: its time against the API-bound floor, N x latency / concurrency, plus the
  engine's fixed cost (an empty stack's ``up``, measured in the same run); the plugin's
  peak resident memory (``VmHWM`` of the ``pulumi-resource-chatcomp`` process);
- an unchanged ``preview`` and an unchanged ``up``, their times and the API writes the
  server saw (0);
- an edit of 10 items (their prompts): its ``preview`` and its ``up``, and the creates and
  deletes the server saw (exactly 10 of each); its API time is the chain one edited item
  waits for (its look-up of an earlier create, the create, the old one's delete);
- state bytes per item (the set's entry in ``pulumi stack export`` over N);
- for comparison, the same N as single resources (``native.ChatCompletion``, ``--parallel
  64``) with ``PULUMI_SKIP_CHECKPOINTS=true`` (``--no-singles`` leaves them out).

Prints figures and ratios from one run; asserts nothing. About 12 minutes with the
defaults on a 2-core machine, most of it the 10,000 single resources.

    python bench/bench_set.py [--counts 1000 10000] [--latency 0.5] [--concurrency 64]
        [--no-singles]
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from _common import Engine, creates_of, make_engine, plugin_section, program_with, table, timed

from pulumi_chatcomp.core._names import SET_TYPE_TOKEN
from pulumi_chatcomp.server.testing import LocalServer

EDITED = 10
CREATE = "POST /v1/chat/completions"
DELETE = "DELETE /v1/chat/completions/{id}"
PLUGIN = "pulumi-resource-chatcomp"
SET_PROGRAM = """
resources:
  dataset:
    type: chatcomp:index:ChatCompletionSet
    properties:
      model: gpt-4o-mini
      metadata:
        bench: {name}
      maxConcurrency: {concurrency}
      itemsFile:
        fn::fileAsset: items.jsonl
outputs:
  count: ${{dataset.count}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--no-singles", dest="singles", action="store_false")
    args = parser.parse_args()

    server_args = ["--latency", str(args.latency)]
    with (
        make_engine() as engine,
        tempfile.TemporaryDirectory() as tmp,
        LocalServer(server_args) as server,
    ):
        base = Path(tmp)
        config = ("config", "set", "chatcomp:baseUrl", server.base_url)
        empty = _yaml_project(engine, base / "empty", "resources: {}\n", config)
        _up(engine, empty)  # the engine's caches, once; not counted
        _, empty_s = timed(lambda: _up(engine, empty))
        rows = {
            count: _measure_set(engine, server, base, count, args, config) for count in args.counts
        }
        singles = {
            count: _measure_singles(engine, server, base, count, args)
            for count in (args.counts if args.singles else ())
        }

    print(
        f"ChatCompletionSet from a JSON Lines file, server latency {args.latency} s, "
        f"maxConcurrency {args.concurrency}; empty stack up {empty_s:.2f} s"
    )
    header = ["N", "up s", "API floor s", "floor + empty s", "up / floor", "ms/item", "peak RSS MB"]
    print(
        table(
            [
                (
                    count,
                    f"{r['up']:.1f}",
                    f"{_api_floor(count, args):.1f}",
                    f"{_api_floor(count, args) + empty_s:.1f}",
                    f"{r['up'] / (_api_floor(count, args) + empty_s):.2f}x",
                    f"{r['up'] / count * 1000:.2f}",
                    f"{r['rss'] / 2**20:.0f}",
                )
                for count, r in rows.items()
            ],
            header,
        )
    )
    print()
    chain = 3 * args.latency * math.ceil(EDITED / args.concurrency)
    print(
        table(
            [
                (
                    count,
                    f"{r['preview']:.2f}",
                    f"{r['still']:.2f}",
                    r["still writes"],
                    f"{r['edit preview']:.2f}",
                    f"{r['edit up']:.2f}",
                    f"{r['edit up'] - chain:.2f}",
                    f"{r['edit creates']}/{r['edit deletes']}",
                    f"{r['bytes'] / count:.0f}",
                )
                for count, r in rows.items()
            ],
            [
                "N",
                "unchanged preview s",
                "unchanged up s",
                "API writes",
                f"{EDITED}-item edit preview s",
                "edit up s",
                f"edit up less its API time ({chain:.1f} s)",
                "creates/deletes",
                "state B/item",
            ],
        )
    )
    low, high = min(rows), max(rows)
    per_item = {count: (r["up"] - empty_s) / count for count, r in rows.items()}
    print(
        f"\ntime per item at N={high} / N={low} (empty stack taken off): "
        f"{per_item[high] / per_item[low]:.2f}x"
    )
    if singles:
        print(
            f"\nthe same N as single resources (native.ChatCompletion), --parallel "
            f"{args.concurrency}, PULUMI_SKIP_CHECKPOINTS=true"
        )
        print(
            table(
                [
                    (count, f"{s:.1f}", f"{rows[count]['up']:.1f}", f"{s / rows[count]['up']:.2f}x")
                    for count, s in singles.items()
                ],
                ["N", "single resources up s", "set up s", "singles / set"],
            )
        )


def _api_floor(count: int, args: argparse.Namespace) -> float:
    return count * args.latency / args.concurrency


def _measure_set(
    engine: Engine,
    server: LocalServer,
    base: Path,
    count: int,
    args: argparse.Namespace,
    config: tuple[str, ...],
) -> dict[str, float]:
    name = f"set-{count}"
    program = SET_PROGRAM.format(name=name, concurrency=args.concurrency)
    project = _yaml_project(engine, base / name, program, config)
    (project / "items.jsonl").write_text(_items(count))
    found: dict[str, float] = {}
    with _peak_rss(PLUGIN) as peak:
        _, found["up"] = timed(lambda: _up(engine, project))
    found["rss"] = peak[0]
    if _stored(server, name) != count:
        raise RuntimeError(f"{name}: the server holds {_stored(server, name)} items")
    exported = json.loads(engine.cli("stack", "export", cwd=project).stdout)
    (entry,) = [r for r in exported["deployment"]["resources"] if r["type"] == SET_TYPE_TOKEN]
    found["bytes"] = len(json.dumps(entry, indent=4))

    server.admin.reset_counters()
    _, found["preview"] = timed(lambda: _cli(engine, project, "preview", "--expect-no-changes"))
    _, found["still"] = timed(lambda: _up(engine, project, "--expect-no-changes"))
    found["still writes"] = sum(
        n for call, n in server.admin.counters().items() if call.split()[0] in ("POST", "DELETE")
    )

    (project / "items.jsonl").write_text(_items(count, edited=EDITED))
    _, found["edit preview"] = timed(lambda: _cli(engine, project, "preview"))
    server.admin.reset_counters()
    _, found["edit up"] = timed(lambda: _up(engine, project))
    counters = server.admin.counters()
    found["edit creates"] = counters.get(CREATE, 0)
    found["edit deletes"] = counters.get(DELETE, 0)
    return found


def _measure_singles(
    engine: Engine, server: LocalServer, base: Path, count: int, args: argparse.Namespace
) -> float:
    project = program_with(base / f"singles-{count}", count, name=f"singles-{count}", plugin=True)
    env = {"PULUMI_SKIP_CHECKPOINTS": "true"}
    stack = engine.stack(project, config={"chatcomp:baseUrl": server.base_url}, env=env)
    command = ("up", "--yes", "--skip-preview", "--parallel", str(args.concurrency))
    _, seconds = timed(
        lambda: engine.cli(*command, "--stack", stack.name, cwd=project, env=env, timeout=3600)
    )
    made = (stack.history(page_size=1)[0].resource_changes or {}).get("create")
    if made != creates_of(project, count):
        raise RuntimeError(f"singles-{count}: {made} creates")
    return seconds


def _yaml_project(engine: Engine, directory: Path, program: str, config: tuple[str, ...]) -> Path:
    directory.mkdir(parents=True)
    header = f"name: {directory.name}\nruntime: yaml\n{plugin_section()}"
    (directory / "Pulumi.yaml").write_text(header + program)
    engine.cli("stack", "init", "bench", "--non-interactive", cwd=directory)
    engine.cli(*config, cwd=directory)
    return directory


def _items(count: int, edited: int = 0) -> str:
    lines = []
    for index in range(count):
        again = " (edited)" if index < edited else ""
        question = {"role": "user", "content": f"Question {index}{again}?"}
        lines.append(json.dumps({"key": f"q-{index:05d}", "messages": [question]}))
    return "\n".join(lines) + "\n"


def _up(engine: Engine, project: Path, *extra: str) -> None:
    _cli(engine, project, "up", "--yes", "--skip-preview", *extra)


def _cli(engine: Engine, project: Path, *args: str) -> None:
    engine.cli(*args, "--non-interactive", cwd=project, timeout=3600)


def _stored(server: LocalServer, name: str) -> int:
    stored = 0
    after = None
    while True:
        params: dict[str, str | int] = {"metadata[bench]": name, "limit": 100}
        if after:
            params["after"] = after
        page = httpx.get(f"{server.base_url}/chat/completions", params=params, timeout=60).json()
        stored += len(page["data"])
        if not page["has_more"]:
            return stored
        after = page["last_id"]


@contextmanager
def _peak_rss(command: str) -> Iterator[list[float]]:
    """The highest peak resident memory (bytes) of any process whose command line holds
    ``command`` while the block runs, sampled every 0.1 s."""
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    if command.encode() not in (status.parent / "cmdline").read_bytes():
                        continue
                    for line in status.read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            peak[0] = max(peak[0], float(line.split()[1]) * 1024)
                except OSError:
                    continue  # gone between the listing and the read

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()


if __name__ == "__main__":
    main()
