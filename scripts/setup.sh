#!/usr/bin/env bash
# Set up everything the quickstart and the tests need: a venv with the package and its dev
# extras, and the Pulumi engine built from its Go modules. Idempotent; a second run is quick.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [[ ! -x .venv/bin/python ]]; then
    "$python" -m venv .venv
fi
# pip is needed by the engine too: the language host lists the venv's packages with it.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'

bash scripts/install-engine.sh >/dev/null
