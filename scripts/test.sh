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
# The suite runs in pytest-xdist workers: the e2e tests spend most of their time waiting on
# subprocesses (the engine, language hosts, providers, npm, go), so more workers than cores
# pay (CHATCOMP_TEST_WORKERS to change; 0 runs in this process). --dist loadgroup keeps the
# tests that share an expensive fixture (an xdist_group mark) on one worker. The slowest tests
# are listed at the end, so that the next one to slow the suite down shows.
workers="${CHATCOMP_TEST_WORKERS:-$(($(nproc) * 3))}"
# pytest exits 5 when it ran no test; that must fail CI, and set -e makes it so.
.venv/bin/python -m pytest -n "$workers" --dist loadgroup --durations=25 "$@"
