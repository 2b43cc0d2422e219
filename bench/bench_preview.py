"""`pulumi preview` of an unchanged 100-completion stack: API requests made and time taken.

Creates the stack once against a LocalServer, then previews it several times, counting the
server's /v1 requests (admin counters; target 0: check and diff are pure) and timing each
preview against an empty stack's preview in the same run. Asserts nothing; about a minute.

    python bench/bench_preview.py [--count 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import creates_of, make_engine, median, program_with, table, timed

from pulumi_chatcomp.server.testing import LocalServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with make_engine() as engine, tempfile.TemporaryDirectory() as tmp, LocalServer() as server:
        config = {"chatcomp:baseUrl": server.base_url}
        empty = engine.stack(program_with(Path(tmp) / "empty", 0), config=config)
        full_dir = program_with(Path(tmp) / "full", args.count)
        full = engine.stack(full_dir, config=config)
        empty.up()
        _, up_seconds = timed(lambda: full.up(parallel=64))

        empty_times: list[float] = []
        full_times: list[float] = []
        requests: list[int] = []
        for _ in range(args.repeat):
            empty_times.append(timed(empty.preview)[1])
            server.admin.reset_counters()
            preview, seconds = timed(full.preview)
            full_times.append(seconds)
            if preview.change_summary != {"same": creates_of(full_dir, args.count)}:
                raise RuntimeError(f"the stack changed: {preview.change_summary}")
            counters = server.admin.counters()
            requests.append(sum(n for route, n in counters.items() if " /v1/" in route))

    rows = [
        ("empty stack", f"{median(empty_times):.2f}", "-"),
        (f"{args.count} unchanged completions", f"{median(full_times):.2f}", max(requests)),
    ]
    print(f"pulumi preview, median of {args.repeat} (the stack's first up took {up_seconds:.1f} s)")
    print(table(rows, ["stack", "preview wall s", "API requests"]))
    print(f"API requests during the previews: {requests} (target 0)")
    per_resource = (median(full_times) - median(empty_times)) / args.count * 1000
    print(
        f"preview {args.count} / empty: {median(full_times) / median(empty_times):.2f}x"
        f" (+{per_resource:.1f} ms per resource)"
    )


if __name__ == "__main__":
    main()
