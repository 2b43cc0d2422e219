"""`pulumi up --parallel 64` of 64 ChatCompletions: adapted host vs the four-worker ceiling.

Against a LocalServer with ``--latency 0.5`` (each /v1 call takes half a second), on fresh
stacks of the real engine, it times ``up`` of:

- an empty program (imports pulumi_chatcomp, no resources): the engine's fixed cost;
- 64 completions with the host adapted (default: pool widened to 64 workers);
- 64 completions with ``CHATCOMP_MAX_CONCURRENCY=4`` (the host's own four workers);
- 64 completions with no latency, and 64 do-nothing dynamic resources: what the engine and
  the dynamic provider host cost per resource without any waiting.

The ideal is ``latency x ceil(count / parallel) + empty``. A counting proxy in front of the
server records how many creates were in flight at once and the create phase (first create
sent to last answered), which is where the host's ceiling shows without the engine's fixed
cost. Prints figures and ratios; asserts nothing. Bounded: about a minute.

    python bench/bench_up_parallel.py [--count 64] [--parallel 64] [--latency 0.5]
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path
from typing import cast

from _common import InFlightProxy, make_engine, peak_of, program_with, table, timed, write_project

from pulumi_chatcomp.server.testing import LocalServer

TRIVIAL = """
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class Nothing(ResourceProvider):
    def create(self, props):
        return CreateResult("id-" + props["label"], props)


class Thing(Resource):
    def __init__(self, name):
        super().__init__(Nothing(), name, {"label": name})


for index in range(COUNT):
    Thing(f"t{index}")
"""


def _phase(spans: list[tuple[float, float]]) -> float:
    return max(end for _, end in spans) - min(start for start, _ in spans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--parallel", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.5)
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
        trivial = write_project(
            Path(tmp) / "trivial", TRIVIAL.replace("COUNT", str(count)), name="trivial"
        )

        def up(project: Path, base_url: str, env: dict[str, str] | None = None) -> float:
            stack = engine.stack(project, config={"chatcomp:baseUrl": base_url}, env=env)
            proxy.reset()
            result, seconds = timed(lambda: stack.up(parallel=parallel))
            created = cast(dict[str, int], result.summary.resource_changes or {})
            expected = 1 if project == empty else count + 1
            if created.get("create") != expected:
                raise RuntimeError(f"unexpected changes {created}:\n{result.stdout[-3000:]}")
            return seconds

        # Warm the engine, plugin and Python caches once; not counted.
        up(empty, proxy.base_url)

        empty_s = up(empty, proxy.base_url)
        rows.append(("empty stack", empty_s, "-", "-"))
        adapted_s = up(many, proxy.base_url)
        adapted_phase = _phase(proxy.spans)
        name = f"{count} creates, adapted host"
        rows.append((name, adapted_s, peak_of(proxy.spans), f"{adapted_phase:.2f}"))
        ceiling_s = up(many, proxy.base_url, {"CHATCOMP_MAX_CONCURRENCY": "4"})
        ceiling_phase = _phase(proxy.spans)
        name = f"{count} creates, CHATCOMP_MAX_CONCURRENCY=4"
        rows.append((name, ceiling_s, peak_of(proxy.spans), f"{ceiling_phase:.2f}"))
        no_latency_s = up(many, fast.base_url)
        rows.append((f"{count} creates, no latency", no_latency_s, "-", "-"))
        trivial_s = up(trivial, fast.base_url)
        rows.append((f"{count} do-nothing dynamic resources", trivial_s, "-", "-"))

    waves = math.ceil(count / parallel)
    ideal = latency * waves + empty_s
    rows.append((f"ideal = {latency} s x {waves} wave(s) + empty", ideal, "-", f"{latency:.2f}"))
    print(f"pulumi up --parallel {parallel}, {count} ChatCompletions, server --latency {latency}")
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
        f"engine cost of {count} resources over an empty stack: ours"
        f" {no_latency_s - empty_s:.2f} s, do-nothing dynamic provider {trivial_s - empty_s:.2f} s"
    )


if __name__ == "__main__":
    main()
