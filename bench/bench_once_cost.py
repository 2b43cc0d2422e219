"""What exactly-once creates cost: `pulumi up` of 64 creates, this checkout against a
revision from before them, in pairs.

Both faces (the plugin's ``native.ChatCompletion`` and the dynamic resource), a LocalServer
at ``--latency`` seconds (default 0.5), ``--parallel 64``, one fresh stack per `up`
(destroyed after it). The earlier revision (default c3e041d, the last before the create
tokens) is taken with ``git archive`` into a temporary folder and put first on PYTHONPATH for
the program, the language host and the provider, so both run on the same engine, server and
interpreter. The runs alternate (this, before, before, this, ...), a first round warms the
caches and is not counted, and the ratio is taken pair by pair, so a machine whose speed
drifts moves both sides of a pair alike. Prints each face's medians and the paired ratio's
median, min and max; asserts nothing. About 10 minutes with the defaults.

    python bench/bench_once_cost.py [--before c3e041d] [--rounds 5] [--latency 0.5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from _common import Engine, make_engine, program_with, table, timed

from pulumi_chatcomp.server.testing import LocalServer

REPO = Path(__file__).resolve().parents[1]
FACES = ("plugin", "dynamic")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="c3e041d")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.5)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        make_engine() as engine,
        LocalServer(["--latency", str(args.latency)]) as server,
    ):
        base = Path(tmp)
        codes = {"this checkout": str(REPO), args.before: str(_archive(args.before, base))}
        projects = {
            face: program_with(base / face, 64, name=f"once-{face}", plugin=face == "plugin")
            for face in FACES
        }
        found: dict[tuple[str, str], list[float]] = {(c, f): [] for c in codes for f in FACES}
        for round_ in range(args.rounds + 1):
            order = list(codes.items())
            for code, path in order if round_ % 2 == 0 else reversed(order):
                for face, project in projects.items():
                    seconds = _up(engine, project, server.base_url, path)
                    if round_:  # the first round warms the engine's and the OS's caches
                        found[(code, face)].append(seconds)
        rows = []
        this, before = codes
        for face in FACES:
            pairs = [a / b for a, b in zip(found[(this, face)], found[(before, face)], strict=True)]
            rows.append(
                (
                    face,
                    f"{statistics.median(found[(this, face)]):.2f}",
                    f"{statistics.median(found[(before, face)]):.2f}",
                    f"{statistics.median(pairs):.3f}x",
                    f"{min(pairs):.3f}x-{max(pairs):.3f}x",
                )
            )
    print(
        f"pulumi up --parallel 64 of 64 creates, server --latency {args.latency}, "
        f"{args.rounds} pairs after a warm-up round"
    )
    print(
        table(
            rows,
            ["face", "this checkout s", f"{before} s", "paired ratio, median", "min-max"],
        )
    )


def _archive(revision: str, base: Path) -> Path:
    """The package as it was at ``revision``, in a folder of its own."""
    folder = base / f"at-{revision}"
    folder.mkdir()
    tar = subprocess.run(
        ["git", "archive", revision, "pulumi_chatcomp"], cwd=REPO, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(tar)) as archive:
        archive.extractall(folder, filter="data")
    return folder


def _up(engine: Engine, project: Path, base_url: str, code: str) -> float:
    env = {"PYTHONPATH": code}
    stack = engine.stack(project, config={"chatcomp:baseUrl": base_url}, env=env)
    command = ("up", "--yes", "--skip-preview", "--parallel", "64", "--stack", stack.name)
    _, seconds = timed(lambda: engine.cli(*command, cwd=project, env=env))
    engine.cli("destroy", "--yes", "--skip-preview", "--stack", stack.name, cwd=project, env=env)
    return seconds


if __name__ == "__main__":
    main()
