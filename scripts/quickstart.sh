#!/usr/bin/env bash
# The quickstart, offline: set everything up, start the local OpenAI-compatible server, run
# `pulumi up` of examples/quickstart (the root Pulumi.yaml) against it, print the outputs.
#
#   bash scripts/quickstart.sh            # then again: nothing changes, no API call
#   bash scripts/quickstart.sh destroy    # delete the completion and the stack's resources
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

bash scripts/setup.sh
# The engine on PATH and the venv's python named, as the README's commands for the real API
# have it: with the venv's bin on PATH, the engine would find the chatcomp plugin there too
# and warn about it at every command of a plugin-face program. (Pulumi.yaml cannot name the
# venv: its language host takes a relative virtualenv from the project's folder, the dynamic
# provider host from the program's, examples/quickstart.)
engine="$(bash scripts/find-engine.sh 2>/dev/null | tail -n1)"
export PATH="$engine:$PATH" PULUMI_PYTHON_CMD="$root/.venv/bin/python"

# Offline and without prompts: a file backend inside the repo (git-ignored), no update check.
mkdir -p .chatcomp/state
export PULUMI_BACKEND_URL="file://$root/.chatcomp/state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-quickstart}"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

# The local server keeps its completions in a SQLite file, so later runs find them again,
# on a fixed port: refresh and destroy use the base URL recorded in state by earlier runs.
port="${CHATCOMP_QUICKSTART_PORT:-18787}"
log="$(mktemp)"
.venv/bin/python -m pulumi_chatcomp.server --port "$port" --db .chatcomp/server.db --exit-with-parent >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
    grep -q "listening on" "$log" && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
url="$(grep -o 'http://[0-9.:]*' "$log" | head -n1)"
echo "quickstart: local server at $url"

pulumi stack select --create quickstart --non-interactive >/dev/null
pulumi config set chatcomp:baseUrl "$url/v1"
if [[ "${1:-up}" == "destroy" ]]; then
    pulumi destroy --yes --non-interactive
    exit 0
fi
pulumi up --yes --non-interactive --skip-preview
pulumi stack output --json
