#!/usr/bin/env bash
# The test command: set up (quick when already done), lint, type-check, then the whole suite,
# end-to-end tests under the real Pulumi engine included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# CI's runs must not depend on a Pulumi the machine happens to have: build the pinned engine
# (the e2e tests use it through install-engine.sh in any case).
export CHATCOMP_BUILD_ENGINE=1
bash scripts/setup.sh
.venv/bin/ruff check pulumi_chatcomp pulumi_chatcomp_sdk tests bench examples
.venv/bin/ruff format --check pulumi_chatcomp pulumi_chatcomp_sdk tests bench examples
.venv/bin/mypy
# pytest exits 5 when it ran no test; that must fail CI, and set -e makes it so.
.venv/bin/python -m pytest "$@"
