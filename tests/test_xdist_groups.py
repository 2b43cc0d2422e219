"""The test command's workers keep an ``xdist_group`` together (tests/conftest.py).

Tests that share an expensive module fixture (the release test_sdks.py builds, the checkout
test_packages.py fills) rely on it: spread over workers, each would build its own, at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.e2e.helpers import REPO

GROUPED = """
import os
from pathlib import Path

import pytest

OUT = Path(__file__).parent / "workers"


def record(name):
    (OUT / name).write_text(os.environ["PYTEST_XDIST_WORKER"])


@pytest.mark.xdist_group("shared")
@pytest.mark.parametrize("n", range(6))
def test_grouped(n):
    record(f"grouped-{n}")


@pytest.mark.parametrize("n", range(6))
def test_free(n):
    record(f"free-{n}")
"""


def test_the_tests_of_a_group_run_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "workers").mkdir()
    (tmp_path / "test_grouped.py").write_text(textwrap.dedent(GROUPED))
    # This repository's conftest (the one under test) at the root of the tests.
    (tmp_path / "conftest.py").write_bytes((REPO / "tests" / "conftest.py").read_bytes())
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "3"]
    done = subprocess.run(
        [*command, "--dist", "loadgroup", str(tmp_path)],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ran = {path.name: path.read_text() for path in (tmp_path / "workers").iterdir()}
    assert len(ran) == 12
    assert len({ran[f"grouped-{n}"] for n in range(6)}) == 1
    # The others are spread as usual (so the check above can fail).
    assert len({ran[f"free-{n}"] for n in range(6)} | {ran["grouped-0"]}) > 1
