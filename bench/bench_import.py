"""Cold start of the package vs its own dependencies, in fresh interpreters.

A Pulumi program imports ``pulumi_chatcomp`` and ``ChatCompletion`` (which must not load the
model layer); the dynamic provider host imports ``pulumi_chatcomp.provider`` when it
unpickles our provider and loads the rest on the first call (``configure``, then ``check``).
The floor is ``import pulumi.dynamic, pydantic, httpx`` (what any such provider needs). Each
statement runs in a fresh subprocess, several times, interleaved; figures are medians of
(a) the import time reported by ``-X importtime`` (top-level imports, cumulative) and (b) the
subprocess wall time, which also counts the host's first calls. Then the heaviest packages
the host adds over the floor. Last, for each package that loads its names on first use
(``pulumi_chatcomp._lazy``: an ``__init__.pyi`` beside its ``__init__.py``), its import as it
is and with every name loaded, which is what importing it would cost if it were eager.
Asserts nothing; ~20-60 s.

    python bench/bench_import.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from _common import median, table

BASELINE = "import pulumi.dynamic, pydantic, httpx"
HOST = "host: import provider, configure, first check"
STATEMENTS = {
    "python -c pass": "pass",
    "floor: " + BASELINE: BASELINE,
    "import pulumi_chatcomp": "import pulumi_chatcomp",
    "program: from pulumi_chatcomp import ChatCompletion": (
        "from pulumi_chatcomp import ChatCompletion"
    ),
    HOST: (
        "from pulumi.dynamic import ConfigureRequest\n"
        "from pulumi.dynamic.config import Config\n"
        "from pulumi_chatcomp.provider import ChatCompletionProvider\n"
        "provider = ChatCompletionProvider()\n"
        "provider.configure(ConfigureRequest(Config({}, 'bench')))\n"
        "result = provider.check({}, {'model': 'gpt-4o-mini', "
        "'messages': [{'role': 'user', 'content': 'Hi'}], 'metadata': {'a': 'b'}})\n"
        "assert not result.failures, result.failures\n"
    ),
}
PACKAGE = Path(__file__).resolve().parents[1] / "pulumi_chatcomp"
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def _importtime(statement: str) -> tuple[float, list[tuple[str, int, int]]]:
    """Seconds of top-level imports, and every (module, self us, depth) from -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    total = 0
    modules: list[tuple[str, int, int]] = []
    for match in _LINE.finditer(done.stderr):
        own, cumulative, indent, name = match.groups()
        depth = (len(indent) - 1) // 2
        modules.append((name, int(own), depth))
        if depth == 0:
            total += int(cumulative)
    return total / 1e6, modules


def _wall(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def _by_package(modules: list[tuple[str, int, int]]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for name, own, _ in modules:
        parts = name.split(".")
        key = ".".join(parts[:2]) if parts[0] in ("pulumi_chatcomp", "pydantic") else parts[0]
        totals[key] += own
    return totals


def _lazy_packages() -> list[str]:
    """The packages whose names load on first use: those with an ``__init__.pyi``."""
    return sorted(
        ".".join(stub.parent.relative_to(PACKAGE.parent).parts)
        for stub in PACKAGE.rglob("__init__.pyi")
    )


def _lazy_rows(repeat: int) -> list[tuple[str, str, str, str]]:
    """Per lazy package: import ms as it is, with every name loaded, and the difference."""
    rows = []
    for package in _lazy_packages():
        eager = f"import {package} as m\nfor name in m.__all__:\n    getattr(m, name)"
        lazy_s = median([_importtime(f"import {package}")[0] for _ in range(repeat)])
        eager_s = median([_importtime(eager)[0] for _ in range(repeat)])
        rows.append(
            (
                package,
                f"{lazy_s * 1000:.0f}",
                f"{eager_s * 1000:.0f}",
                f"{(eager_s - lazy_s) * 1000:.0f}",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    imports: dict[str, list[float]] = defaultdict(list)
    walls: dict[str, list[float]] = defaultdict(list)
    detail: dict[str, list[tuple[str, int, int]]] = {}
    for _ in range(args.repeat):
        for label, statement in STATEMENTS.items():
            seconds, modules = _importtime(statement)
            imports[label].append(seconds)
            detail[label] = modules
            walls[label].append(_wall(statement))

    floor_import = median(imports["floor: " + BASELINE])
    floor_wall = median(walls["floor: " + BASELINE])
    rows = [
        (
            label,
            f"{median(imports[label]) * 1000:.0f}",
            f"{median(imports[label]) / floor_import:.2f}x",
            f"{median(walls[label]) * 1000:.0f}",
            f"{median(walls[label]) / floor_wall:.2f}x",
        )
        for label in STATEMENTS
    ]
    print(f"fresh interpreters, median of {args.repeat}; ratios vs the floor")
    print(
        table(rows, ["statement", "import ms", "vs floor", "process wall ms", "vs floor"]),
    )
    package = "import pulumi_chatcomp"
    print(
        f"import pulumi_chatcomp / floor: {median(imports[package]) / floor_import:.2f}x"
        f" (target <= 1.3x); process wall {median(walls[package]) / floor_wall:.2f}x"
    )
    print(
        f"provider host to its first check / floor, process wall:"
        f" {median(walls[HOST]) / floor_wall:.2f}x (imports alone"
        f" {median(imports[HOST]) / floor_import:.2f}x)"
    )

    # Modules the host import loads that the floor does not, grouped by package.
    floor_modules = {name for name, _, _ in detail["floor: " + BASELINE]}
    added = _by_package([m for m in detail[HOST] if m[0] not in floor_modules])
    heaviest = sorted(added.items(), key=lambda item: -item[1])[:12]
    print("\nmodules the host loads beyond the floor, self time by package (last run):")
    print(table([(p, f"{us / 1000:.1f}") for p, us in heaviest], ["package", "ms"]))
    print(f"total added self time: {sum(added.values()) / 1000:.0f} ms")

    print("\npackages that load names on first use: import ms as they are, and if eager:")
    header = ["package", "import ms", "eager ms", "saved ms"]
    print(table(_lazy_rows(args.repeat), header))


if __name__ == "__main__":
    main()
