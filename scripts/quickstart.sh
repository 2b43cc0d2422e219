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
engine="$(bash scripts/find-engine.sh 2>/dev/null | tail -n1)"
export PATH="$root/.venv/bin:$engine:$PATH"

# Offline and without prompts: a file backend inside the repo (git-ignored), no update check.
mkdir -p .chatcomp/state
export PULUMI_BACKEND_URL="file://$root/.chatcomp/state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-quickstart}"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

# The local server keeps its completions in a SQLite file, so later runs find them again,
# on a fixed port: refresh and destroy use the base URL recorded in state by earlier runs.
port="${CHATCOMP_QUICKSTART_PORT:-18787}"
log="$(mktemp)"
python -m pulumi_chatcomp.server --port "$port" --db .chatcomp/server.db --exit-with-parent >"$log" 2>&1 &
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
