"""`pulumi up` of N ChatCompletions against N do-nothing resources, as N grows, both faces.

For each N (default 40, 200 and 1,000) it creates, on fresh stacks of the real engine with
``--parallel 32``, against a LocalServer with no latency:

- the dynamic face: N ChatCompletions (``chatcomp.ChatCompletion``);
- its floor: N resources of a do-nothing dynamic provider (its create returns at once with
  no outputs but its inputs; same widened worker pool as ours), the floor for any dynamic
  resource on this engine and machine;
- its shaped floor: the same do-nothing provider answering a real completion's outputs (our
  state's shape, properties and sizes): what our state alone costs, without our provider's
  validation, HTTP and the local server's work;
- the plugin face: N ChatCompletions of the provider plugin (``native.ChatCompletion``);
- its floor: N resources of a do-nothing provider plugin on the same SDK provider server,
  answering at once with its inputs; and its shaped floor, the same answering a real
  completion's outputs;

and an empty stack (the engine's fixed cost). It prints, per face and N: milliseconds per
resource (the ``up`` less the empty stack's, over N), state bytes per resource (the
resource's entry in ``pulumi stack export``, which is what the file backend rewrites after
every step), and both ratios ours / floor; then how per-resource time grows from the
smallest N to the largest.

With ``--modes checkpoints skip`` (the default) each face and its bare floor run a second
time with ``PULUMI_SKIP_CHECKPOINTS=true``, where the engine writes the state once, at the
end: the table of that mode shows how much of the time at large N is the checkpoint after
every step, and that without it time per resource stays flat as N grows.

Each ``up`` is the ``pulumi up`` command itself, timed from start to exit; ``--repeat``
rounds interleave the runs, the medians count. Prints figures and ratios; asserts nothing.
Bounded: about forty minutes with the defaults.

    python bench/bench_scale.py [--counts 40 200 1000] [--parallel 32] [--repeat 1]
        [--modes checkpoints skip]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import cast

from _common import (
    creates_of,
    floor_project,
    make_engine,
    median,
    noop_plugin_project,
    program_with,
    table,
    timed,
)

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN, TYPE_TOKEN
from pulumi_chatcomp.server.testing import LocalServer

# The resource types whose state entries are measured: ours (both faces) and the floors'.
MEASURED = {TYPE_TOKEN, PLUGIN_TYPE_TOKEN, "pulumi-python:dynamic:Resource", "noop:index:Thing"}
# How the engine writes state: after every step (its default), or once at the end.
MODES: dict[str, dict[str, str]] = {
    "checkpoints": {},
    "skip": {"PULUMI_SKIP_CHECKPOINTS": "true"},
}
# What runs in both modes: each face and its bare floor.
SKIPPED_KINDS = ("ours", "floor", "plugin", "plugin floor")
# Per face: the run measured, its floor and the floor with our state's shape.
FACES = {
    "dynamic": ("ours", "floor", "shaped"),
    "plugin": ("plugin", "plugin floor", "plugin shaped"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[40, 200, 1000])
    parser.add_argument("--parallel", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--modes", nargs="+", choices=sorted(MODES), default=["checkpoints", "skip"]
    )
    args = parser.parse_args()

    with make_engine() as engine, tempfile.TemporaryDirectory() as tmp, LocalServer([]) as server:

        def up(project: Path, count: int, mode: str = "checkpoints") -> float:
            env = MODES[mode]
            stack = engine.stack(project, config={"chatcomp:baseUrl": server.base_url}, env=env)
            command = ("up", "--yes", "--skip-preview", "--parallel", str(args.parallel))
            _, seconds = timed(
                lambda: engine.cli(*command, "--stack", stack.name, cwd=project, env=env)
            )
            changes = cast(dict[str, int], stack.history(page_size=1)[0].resource_changes or {})
            if changes.get("create") != creates_of(project, count):
                raise RuntimeError(f"unexpected changes {changes} in {project.name}")
            state = json.loads(
                engine.cli("stack", "export", "--stack", stack.name, cwd=project).stdout
            )
            sizes[project.name] = [
                len(json.dumps(resource, indent=4))
                for resource in state["deployment"]["resources"]
                if resource["type"] in MEASURED
            ]
            return seconds

        def projects_of(count: int) -> dict[str, Path]:
            def floor(kind: str, shaped_like: str | None) -> Path:
                return floor_project(
                    Path(tmp) / f"{kind}-{count}",
                    count,
                    workers=args.parallel,
                    latency=0.0,
                    shaped_like=shaped_like,
                )

            return {
                "ours": program_with(Path(tmp) / f"ours-{count}", count),
                "floor": floor("floor", None),
                "shaped": floor("shaped", server.base_url),
                "plugin": program_with(Path(tmp) / f"plugin-{count}", count, plugin=True),
                "plugin floor": noop_plugin_project(
                    Path(tmp) / f"noop-{count}", count, latency=0.0
                ),
                "plugin shaped": noop_plugin_project(
                    Path(tmp) / f"noop-shaped-{count}",
                    count,
                    latency=0.0,
                    shaped_like=server.base_url,
                ),
            }

        sizes: dict[str, list[int]] = {}
        projects = {count: projects_of(count) for count in args.counts}
        empty = program_with(Path(tmp) / "empty", 0)
        # Engine, plugin and Python caches, once per face; not counted.
        smallest = min(projects)
        up(projects[smallest]["ours"], smallest)
        up(projects[smallest]["plugin"], smallest)
        seconds: dict[tuple[int, str], list[float]] = {}
        skipped: dict[tuple[int, str], list[float]] = {}
        for _ in range(args.repeat):
            seconds.setdefault((0, "empty"), []).append(up(empty, 0))
            for count, kinds in projects.items():
                for kind, project in kinds.items():
                    if "checkpoints" in args.modes:
                        seconds.setdefault((count, kind), []).append(up(project, count))
                    if "skip" in args.modes and kind in SKIPPED_KINDS:
                        runs = skipped.setdefault((count, kind), [])
                        runs.append(up(project, count, "skip"))

    empty_s = median(seconds[0, "empty"])
    if "skip" in args.modes:
        _print_skipped(skipped, empty_s, args)
    if "checkpoints" not in args.modes:
        return
    per_resource = {
        (count, kind): (median(runs) - empty_s) / count
        for (count, kind), runs in seconds.items()
        if count
    }
    print(
        f"pulumi up --parallel {args.parallel}, local server without latency,"
        f" median of {args.repeat}; empty stack {empty_s:.2f} s"
    )
    for face, (ours, floor, *shaped) in FACES.items():
        rows = []
        for count, kinds in projects.items():
            ms = {kind: per_resource[count, kind] * 1000 for kind in (ours, floor, *shaped)}
            ours_bytes = median(sizes[kinds[ours].name])
            floor_bytes = median(sizes[kinds[floor].name])
            rows.append(
                (
                    count,
                    f"{ms[ours]:.1f}",
                    f"{ms[floor]:.1f}",
                    *(f"{ms[kind]:.1f}" for kind in shaped),
                    f"{ms[ours] / ms[floor]:.2f}x",
                    *(f"{ms[kind] / ms[floor]:.2f}x" for kind in shaped),
                    f"{ours_bytes:.0f}",
                    f"{floor_bytes:.0f}",
                    f"{ours_bytes / floor_bytes:.2f}x",
                )
            )
        header = [
            "N",
            "ours ms/res",
            "floor ms/res",
            *("shaped floor ms/res" for _ in shaped),
            "ours/floor",
            *("shaped/floor" for _ in shaped),
            "ours state B/res",
            "floor state B/res",
            "state ratio",
        ]
        print(f"\n{face} face")
        print(table(rows, header))
        low, high = min(args.counts), max(args.counts)
        for kind in (ours, floor, *shaped):
            growth = per_resource[high, kind] / per_resource[low, kind]
            print(f"{kind}: time per resource at N={high} / N={low}: {growth:.2f}x")


def _print_skipped(
    skipped: dict[tuple[int, str], list[float]], empty_s: float, args: argparse.Namespace
) -> None:
    per_resource = {key: (median(runs) - empty_s) / key[0] for key, runs in skipped.items()}
    counts = sorted({count for count, _ in skipped})
    print(
        f"PULUMI_SKIP_CHECKPOINTS=true: pulumi up --parallel {args.parallel}, median of"
        f" {args.repeat}; ms per resource (the empty stack, {empty_s:.2f} s, taken off)"
    )
    rows = [
        (count, *(f"{per_resource[count, kind] * 1000:.1f}" for kind in SKIPPED_KINDS))
        for count in counts
    ]
    print(table(rows, ["N", *SKIPPED_KINDS]))
    low, high = counts[0], counts[-1]
    for kind in SKIPPED_KINDS:
        growth = per_resource[high, kind] / per_resource[low, kind]
        print(f"{kind}: time per resource at N={high} / N={low}: {growth:.2f}x")
    print()


if __name__ == "__main__":
    main()
