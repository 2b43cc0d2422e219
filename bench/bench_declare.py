"""Declaring many resources in one program: ChatCompletion vs plain dynamic resources.

Every dynamic resource pickles its provider when it is declared (``pulumi.dynamic.Resource``
calls the SDK's ``serialize_provider``). pulumi 3.272's ``serialize_provider`` leaves one
wrapper around the pure-Python pickler per call, which every later pickled dict walks
through, so a program gets slower with each resource and, with a provider whose pickled
state is a dict, fails with ``RecursionError`` at about the 975th resource.
``ChatCompletion`` puts the pickler back after each declaration (``pulumi_chatcomp/_pickling``).

Each run is a fresh interpreter under pulumi's mocks (no engine: only the program's side),
timing the loop that declares N resources with the same properties (a ChatCompletion's
inputs, and its outputs as None, as the engine needs them declared), for:

- ``ChatCompletion``;
- a plain dynamic resource whose provider has no state (the SDK's own floor);
- a plain dynamic resource whose provider keeps one setting (``self.region``): a dict state,
  as many hand-written providers have, left to the SDK as it is.

Prints milliseconds per resource at each N and the ratios: ChatCompletion against the
stateless floor, and the cost per resource at the largest N against the smallest (1.0 is
linear). Asserts nothing; about a minute.

    python bench/bench_declare.py [--counts 100 1000 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import median, table

PROVIDERS = """
from pulumi.dynamic import Resource, ResourceProvider


class Thing(Resource, module="bench", name="Thing"):
    pass


class Stateless(ResourceProvider):
    serialize_as_secret_always = False


class WithSetting(ResourceProvider):
    serialize_as_secret_always = False

    def __init__(self, region="eu-west-1"):
        super().__init__()
        self.region = region
"""

PROGRAM = """
import json, time
import pulumi


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [args.name + "-id", args.inputs]

    def call(self, args):
        return {{}}


pulumi.runtime.set_mocks(Mocks(), preview=False)
import pulumi_chatcomp as chatcomp
from bench_providers import Stateless, Thing, WithSetting
from pulumi_chatcomp.core._names import OUTPUT_NAMES

MESSAGES = [{{"role": "user", "content": "Question?"}}]
# The same properties a ChatCompletion declares: its inputs, and its outputs as None.
PROPS = {{**dict.fromkeys([*OUTPUT_NAMES, "metadata", "store"]), "model": "gpt-4o-mini"}}


def declare(index):
    name = f"r{{index}}"
    if "{variant}" == "chatcomp":
        chatcomp.ChatCompletion(name, model="gpt-4o-mini", messages=MESSAGES)
    else:
        provider = Stateless() if "{variant}" == "stateless" else WithSetting()
        Thing(provider, name, {{**PROPS, "messages": MESSAGES}})


outcome = "ok"
start = time.perf_counter()
try:
    for index in range({count}):
        declare(index)
except RecursionError:
    outcome = f"RecursionError at resource {{index}}"
print(json.dumps({{"seconds": time.perf_counter() - start, "outcome": outcome}}))
"""

VARIANTS = {
    "chatcomp": "ChatCompletion",
    "stateless": "plain dynamic resource, stateless provider",
    "setting": "plain dynamic resource, provider keeping one setting",
}


def _declare(directory: Path, variant: str, count: int) -> tuple[float, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(variant=variant, count=count)],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    return float(result["seconds"]), str(result["outcome"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    counts: list[int] = sorted(args.counts)

    per_resource: dict[tuple[str, int], float] = {}
    rows: list[tuple[str, int, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bench_providers.py").write_text(PROVIDERS)
        for count in counts:
            for variant, label in VARIANTS.items():
                runs = [_declare(Path(tmp), variant, count) for _ in range(args.repeat)]
                outcomes = {outcome for _, outcome in runs}
                seconds = median([s for s, _ in runs])
                if outcomes == {"ok"}:
                    per_resource[variant, count] = seconds / count * 1000
                    rows.append((label, count, f"{per_resource[variant, count]:.3f}", "ok"))
                else:
                    rows.append((label, count, "-", "; ".join(sorted(outcomes))))

    print(
        f"declaring N resources in one program (pulumi mocks, no engine), "
        f"median of {args.repeat} fresh interpreters"
    )
    print(table(rows, ("resource", "N", "ms per resource", "outcome")))
    for count in counts:
        if ("chatcomp", count) in per_resource and ("stateless", count) in per_resource:
            ratio = per_resource["chatcomp", count] / per_resource["stateless", count]
            print(f"ChatCompletion / stateless plain resource at N={count}: {ratio:.2f}x")
    low, high = counts[0], counts[-1]
    for variant in ("chatcomp", "stateless"):
        if (variant, low) in per_resource and (variant, high) in per_resource:
            growth = per_resource[variant, high] / per_resource[variant, low]
            print(
                f"{VARIANTS[variant]}: per resource at N={high} / at N={low}: "
                f"{growth:.2f}x (1.0 = linear)"
            )


if __name__ == "__main__":
    main()
