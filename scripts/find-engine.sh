#!/usr/bin/env bash
# Print the folder of the Pulumi engine to use, on the last stdout line (as install-engine.sh):
#
#   export PATH="$(bash scripts/find-engine.sh | tail -n1):$PATH"
#
# A Pulumi CLI the user already has, on PATH or else in ~/.pulumi/bin (where the official
# installer puts it), is used when its version is a supported one and its Python language
# host is next to it or on PATH. Supported: v3.200.0 or newer, below v4, the range the
# package accepts for the pulumi Python SDK; the tests run on the pinned v3.274.1. Otherwise
# the pinned engine is used, built by install-engine.sh unless an earlier run built it (the
# build needs Go).
#
# CHATCOMP_BUILD_ENGINE=1 skips the search and builds the pinned engine: CI sets it (through
# scripts/test.sh) so that its runs do not depend on what a machine has installed.
set -euo pipefail

MIN_VERSION="3.200.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ "${CHATCOMP_BUILD_ENGINE:-}" == "1" ]]; then
    exec bash "$here/install-engine.sh"
fi

# version_problem VERSION: what rules the version out, or nothing when it is supported.
# Pre-release and build suffixes count as their release; a v4 may change what the package
# relies on.
version_problem() {
    local -a got min
    IFS=. read -ra min <<<"$MIN_VERSION"
    if [[ ! "${1#v}" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
        echo "whose 'pulumi version' printed no version number"
        return
    fi
    got=("${BASH_REMATCH[@]:1}")
    if ((got[0] > min[0])); then
        echo "a major version not supported yet"
    elif ((got[0] < min[0] || got[1] < min[1] || (got[1] == min[1] && got[2] < min[2]))); then
        echo "older than v$MIN_VERSION"
    fi
}

candidates=()
if on_path="$(command -v pulumi)"; then
    candidates+=("$on_path")
fi
installed="$HOME/.pulumi/bin/pulumi"
if [[ -x "$installed" && "$(realpath "$installed")" != "$(realpath "${on_path:-/dev/null}")" ]]; then
    candidates+=("$installed")
fi

# Why each candidate was passed over, for the message when none fits.
found=()
for cli in "${candidates[@]}"; do
    dir="$(dirname "$cli")"
    # `pulumi version` prints the version alone on stdout (and update notices on stderr).
    version="$(PULUMI_SKIP_UPDATE_CHECK=true "$cli" version 2>/dev/null | tail -n1)" || version=""
    problem="$(version_problem "$version")"
    if [[ -n "$problem" ]]; then
        found+=("pulumi${version:+ $version} at $cli, $problem")
    elif [[ ! -x "$dir/pulumi-language-python" ]] && ! command -v pulumi-language-python >/dev/null; then
        found+=("pulumi $version at $cli, without pulumi-language-python next to it or on PATH")
    else
        echo "find-engine: using pulumi $version at $cli" >&2
        echo "$dir"
        exit 0
    fi
done
if ((${#found[@]} == 0)); then
    found=("no pulumi on PATH or in ~/.pulumi/bin")
fi

pinned="$(sed -n 's/^PULUMI_VERSION="\(.*\)"$/\1/p' "$here/install-engine.sh")"
# Built by an earlier run: nothing to build, and nothing to say but which engine (no Go needed).
if built="$(bash "$here/install-engine.sh" --if-built)"; then
    echo "find-engine: using the pinned pulumi v$pinned, built earlier" >&2
    echo "$built"
    exit 0
fi

if command -v go >/dev/null 2>&1; then
    printf 'find-engine: found %s\n' "${found[@]}" >&2
    echo "find-engine: building the pinned engine instead" >&2
    exec bash "$here/install-engine.sh"
fi

{
    echo "find-engine: no usable Pulumi engine, and no Go to build one."
    printf '  found:  %s\n' "${found[@]}"
    echo "  needed: the Pulumi CLI v$MIN_VERSION or newer (below v4) with its Python language host,"
    echo "          or Go 1.24 or newer to build the pinned v$pinned from its Go modules"
    echo "  either: install or upgrade Pulumi (https://www.pulumi.com/docs/iac/download-install/),"
    echo "          or install Go (https://go.dev/dl/), then run this again"
} >&2
exit 1
