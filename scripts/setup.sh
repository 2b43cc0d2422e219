#!/usr/bin/env bash
# Set up everything the quickstart and the tests need: the Pulumi engine (the user's own if
# it is a supported version, else the pinned one built from its Go modules; see
# find-engine.sh) and a venv with the package and its dev extras. Idempotent; a second run is
# quick.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The engine first: when there is none to be had, say so before the slower venv setup.
bash scripts/find-engine.sh >/dev/null

python="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [[ ! -x .venv/bin/python ]]; then
    "$python" -m venv .venv
fi
# pip is needed by the engine too: the language host lists the venv's packages with it.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
# Every `pulumi up` starts two fresh interpreters that import the package (the program and
# the provider host). A wheel install ships compiled modules; an editable one does not, and
# with PYTHONDONTWRITEBYTECODE set (as on CI machines) each of them would compile it again.
.venv/bin/python -m compileall -q pulumi_chatcomp >/dev/null
