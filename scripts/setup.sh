#!/usr/bin/env bash
# Set up everything the quickstart and the tests need: the Pulumi engine (the user's own if
# it is a supported version, else the pinned one built from its Go modules; see
# find-engine.sh) and a venv with the package and its dev extras. Idempotent: a second run
# builds and installs nothing and prints at most which engine it uses.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The engine first: when there is none to be had, say so before the slower venv setup.
bash scripts/find-engine.sh >/dev/null

python="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [[ ! -x .venv/bin/python ]]; then
    "$python" -m venv .venv
fi

# The package, editable, with its dev extras: pip runs only when that would change something,
# so that a second run installs nothing. The stamp records what the last install was made
# from (pyproject.toml, this script, the interpreter); check-venv.py makes sure the venv
# still holds it (this folder's editable install, every requirement at a version it accepts).
extras=dev
stamp=.venv/chatcomp-setup.stamp
made_from="$({ cat pyproject.toml scripts/setup.sh; .venv/bin/python -VV; } | sha256sum | cut -c1-16)"
if [[ "$(cat "$stamp" 2>/dev/null)" != "$made_from" ]] ||
    ! .venv/bin/python scripts/check-venv.py "$extras" 2>/dev/null; then
    rm -f "$stamp"
    # pip is needed by the engine too: the language host lists the venv's packages with it.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    # setuptools explains at every editable install that a folder named like the package
    # may shadow it; here that folder is the package, so the 10-line box says nothing.
    PYTHONWARNINGS="ignore:Editable installation" \
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
    echo "$made_from" >"$stamp"
fi
# Every `pulumi up` starts two fresh interpreters that import the package (the program and
# the provider host). A wheel install ships compiled modules; an editable one does not, and
# with PYTHONDONTWRITEBYTECODE set (as on CI machines) each of them would compile it again.
# (Quick when nothing changed: it compares each module with its compiled copy.)
.venv/bin/python -m compileall -q pulumi_chatcomp >/dev/null
