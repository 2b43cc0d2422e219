"""Bad input at scale (issue 9.4): 10,000 generated argument sets through ``check``.

Draws plausible ChatCompletion arguments (valid ones with zero to three typical mistakes, the
strategy of ``tests/unit/core/test_check.py``) and runs each through ``check_inputs``. Every
invalid set must yield problems that name a property (the property itself or a path
starting with one), never an exception; every valid set must build the API request. The
test suite runs 500 of these; this runs as many as asked and prints the figure.

    python bench/bench_check_fuzz.py [--examples 10000] [--seed 0]
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.unit.core.test_check import ARGUMENT_SETS, judge


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    counts: collections.Counter[str] = collections.Counter()

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(ARGUMENT_SETS)
    def run(news: dict[str, object]) -> None:
        try:
            counts["valid" if judge(news) else "invalid"] += 1
        except Exception:
            counts["failed"] += 1
            raise

    started = time.perf_counter()
    run()  # raises (with the shrunk example) if any set was mishandled
    seconds = time.perf_counter() - started
    total = counts["valid"] + counts["invalid"]
    print(f"check_inputs on {total} generated argument sets in {seconds:.1f} s")
    print(f"  valid:   {counts['valid']}")
    print(f"  invalid: {counts['invalid']} (each with problems naming a property)")
    print(f"  raised or misnamed: {counts['failed']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
