"""What a fresh interpreter has imported after running some code: the probe of the tests that
keep a face's import cost down (test_resource.py, test_provider.py).

Example::

    assert "httpx" not in modules_after("import pulumi_chatcomp")
"""

from __future__ import annotations

import json
import subprocess
import sys


def modules_after(statement: str) -> set[str]:
    """The names in ``sys.modules`` once ``statement`` has run in a new interpreter."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stdout.splitlines()[-1]))
