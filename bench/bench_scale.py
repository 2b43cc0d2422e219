"""`pulumi up` of N ChatCompletions against N do-nothing dynamic resources, as N grows.

For each N (default 40, 200 and 1,000) it creates, on fresh stacks of the real engine with
``--parallel 32``:

- N ChatCompletions against a LocalServer with no latency;
- N resources of a do-nothing dynamic provider (its create returns at once with no outputs
  but its inputs; same widened worker pool as ours): the floor for any dynamic resource on
  this engine and machine;
- N resources of the same do-nothing provider answering a real completion's outputs (our
  state's shape, properties and sizes): what our state alone costs, without our provider's
  validation, HTTP and the local server's work.

and an empty stack (the engine's fixed cost). It prints, per N: milliseconds per resource
(the ``up`` less the empty stack's, over N), state bytes per resource (the resource's entry in
``pulumi stack export``, which is what the file backend rewrites after every step), and
both ratios ours / floor; then how per-resource time grows from the smallest N to the
largest, ours against the floor's. Each ``up`` is the ``pulumi up`` command itself, timed
from start to exit; ``--repeat`` rounds interleave the two, the medians count. Prints
figures and ratios; asserts nothing. Bounded: about fifteen minutes with the defaults.

    python bench/bench_scale.py [--counts 40 200 1000] [--parallel 32] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _common import floor_project, make_engine, median, program_with, table, timed

from pulumi_chatcomp.core._names import TYPE_TOKEN
from pulumi_chatcomp.server.testing import LocalServer

FLOOR_TYPE = "pulumi-python:dynamic:Resource"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[40, 200, 1000])
    parser.add_argument("--parallel", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    with make_engine() as engine, tempfile.TemporaryDirectory() as tmp, LocalServer([]) as server:

        def up(project: Path, count: int) -> float:
            stack = engine.stack(project, config={"chatcomp:baseUrl": server.base_url})
            command = ("up", "--yes", "--skip-preview", "--parallel", str(args.parallel))
            _, seconds = timed(lambda: engine.cli(*command, "--stack", stack.name, cwd=project))
            changes = stack.history(page_size=1)[0].resource_changes or {}
            if changes.get("create") != count + 1:  # and the stack itself
                raise RuntimeError(f"unexpected changes {changes} in {project.name}")
            state = json.loads(
                engine.cli("stack", "export", "--stack", stack.name, cwd=project).stdout
            )
            sizes[project.name] = [
                len(json.dumps(resource, indent=4))
                for resource in state["deployment"]["resources"]
                if resource["type"] in (TYPE_TOKEN, FLOOR_TYPE)
            ]
            return seconds

        sizes: dict[str, list[int]] = {}
        projects: dict[int, dict[str, Path]] = {
            count: {
                "ours": program_with(Path(tmp) / f"ours-{count}", count),
                "floor": floor_project(
                    Path(tmp) / f"floor-{count}",
                    count,
                    workers=args.parallel,
                    latency=0.0,
                    shaped_like=None,
                ),
                "shaped": floor_project(
                    Path(tmp) / f"shaped-{count}",
                    count,
                    workers=args.parallel,
                    latency=0.0,
                    shaped_like=server.base_url,
                ),
            }
            for count in args.counts
        }
        empty = program_with(Path(tmp) / "empty", 0)
        up(*_warm(projects))  # engine, plugin and Python caches; not counted
        seconds: dict[tuple[int, str], list[float]] = {}
        for _ in range(args.repeat):
            seconds.setdefault((0, "empty"), []).append(up(empty, 0))
            for count, kinds in projects.items():
                for kind, project in kinds.items():
                    seconds.setdefault((count, kind), []).append(up(project, count))

    rows = []
    empty_s = median(seconds[0, "empty"])
    per_resource: dict[tuple[int, str], float] = {}
    for count, kinds in projects.items():
        for kind in kinds:
            per_resource[count, kind] = (median(seconds[count, kind]) - empty_s) / count
        ours, floor, shaped = (per_resource[count, kind] for kind in ("ours", "floor", "shaped"))
        ours_bytes = median(sizes[kinds["ours"].name])
        floor_bytes = median(sizes[kinds["floor"].name])
        rows.append(
            (
                count,
                f"{ours * 1000:.1f}",
                f"{floor * 1000:.1f}",
                f"{shaped * 1000:.1f}",
                f"{ours / floor:.2f}x",
                f"{shaped / floor:.2f}x",
                f"{ours_bytes:.0f}",
                f"{floor_bytes:.0f}",
                f"{ours_bytes / floor_bytes:.2f}x",
            )
        )
    print(
        f"pulumi up --parallel {args.parallel}, local server without latency,"
        f" median of {args.repeat}; empty stack {empty_s:.2f} s"
    )
    print(
        table(
            rows,
            [
                "N",
                "ours ms/res",
                "floor ms/res",
                "shaped floor ms/res",
                "ours/floor",
                "shaped/floor",
                "ours state B/res",
                "floor state B/res",
                "state ratio",
            ],
        )
    )
    low, high = min(args.counts), max(args.counts)
    for kind in ("ours", "floor", "shaped"):
        growth = per_resource[high, kind] / per_resource[low, kind]
        print(f"{kind}: time per resource at N={high} / N={low}: {growth:.2f}x")


def _warm(projects: dict[int, dict[str, Path]]) -> tuple[Path, int]:
    count = min(projects)
    return projects[count]["ours"], count


if __name__ == "__main__":
    main()
