"""What every test directory shares: keeping ``xdist_group`` marks working.

scripts/test.sh runs the suite in pytest-xdist workers with ``--dist loadgroup``, which sends
the tests of one ``pytest.mark.xdist_group`` to one worker (see tests/e2e/conftest.py). xdist
learns a test's group from a ``@<group>`` suffix its worker adds to the test's node id; pytest
9.2 keeps node ids where pytest-xdist 3.8 does not write, so the suffix, and with it every
group, is lost unless added here.
"""

from __future__ import annotations

import pytest
from _pytest.nodeid import NodeId


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("loadgroup", default=False):
        return
    for item in items:
        groups = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if groups and "@" not in item.nodeid:  # not when pytest-xdist did it already
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(groups))}")
