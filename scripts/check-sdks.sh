#!/usr/bin/env bash
# Generate the Node.js and Go SDKs of a package schema and compile them, in a temp folder.
#
#   bash scripts/check-sdks.sh SCHEMA.json
#   bash scripts/check-sdks.sh scripts/engine/gensdk/testdata/schema.json   # the sample
#   bash scripts/check-sdks.sh --keep DIR SCHEMA.json   # leave the compiled SDKs in DIR
#
# With --keep, DIR/nodejs/bin is the compiled Node.js package (package.json included), as a
# program's node_modules would hold it.
#
# The SDKs come from chatcomp-gen-sdk (built by install-engine.sh). TypeScript is compiled
# with the SDK's own tsconfig.json by tsc 5 against @pulumi/pulumi from npm; Go is built with
# `go build ./...` against github.com/pulumi/pulumi/sdk/v3 at the engine's version. The npm
# packages are installed once into a folder of the engine cache, so later runs are quick.
set -euo pipefail

keep=""
if [[ "${1:-}" == "--keep" ]]; then
    keep="${2:?--keep needs a folder}"
    shift 2
fi
if [[ $# -ne 1 || ! -f "$1" ]]; then
    echo "usage: bash scripts/check-sdks.sh [--keep DIR] SCHEMA.json (a Pulumi package schema file)" >&2
    exit 2
fi
schema="$(realpath "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Exact pins, so that a check that passed keeps passing. @pulumi/pulumi is the newest release
# on npm within the generated package.json's range (^3.269.0) and not newer than the engine;
# typescript stays on 5.x because @pulumi/pulumi's peer range refuses 7; @types/node matches
# the generated devDependencies (^20). (@pulumi/pulumi >= 3.249 declares node >= 22; compiling
# against its type declarations works on older Node versions too.)
node_packages=("@pulumi/pulumi@3.270.0" "typescript@5.9.3" "@types/node@20.19.43")

bin="$(bash "$here/install-engine.sh" | tail -n1)"
sdk_version="$("$bin/pulumi" version)"

if [[ -n "$keep" ]]; then
    mkdir -p "$keep"
    work="$(realpath "$keep")"
else
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi

start=$SECONDS
# The schema's own version, so the generated package.json names it (not a placeholder).
version="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("version", ""))' "$schema")"
versioned=(${version:+--version "$version"})
"$bin/chatcomp-gen-sdk" --schema "$schema" --language nodejs --out "$work/nodejs" "${versioned[@]}"
"$bin/chatcomp-gen-sdk" --schema "$schema" --language go --out "$work/go" "${versioned[@]}"

# --- TypeScript -------------------------------------------------------------------------
cache_root="${CHATCOMP_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-chatcomp/engine}"
node_tools="$cache_root/sdk-check-node-$(printf '%s\n' "${node_packages[@]}" | sha256sum | cut -c1-12)"
if [[ ! -x "$node_tools/node_modules/.bin/tsc" ]]; then
    echo "check-sdks: installing ${node_packages[*]} into $node_tools" >&2
    mkdir -p "$cache_root"
    staging="$(mktemp -d "$cache_root/.sdk-check-node.XXXXXX")"
    # Install scripts are not needed to compile against the packages' type declarations.
    (cd "$staging" && echo '{"private": true}' >package.json \
        && npm install --no-audit --no-fund --ignore-scripts --loglevel=error "${node_packages[@]}" >&2) \
        || { rm -rf "$staging"; exit 1; }
    rm -rf "$node_tools"
    mv "$staging" "$node_tools"
fi
# Resolution from the SDK folder finds the packages through this link, as from its own
# node_modules after `npm install`.
ln -s "$node_tools/node_modules" "$work/nodejs/node_modules"
(cd "$work/nodejs" && "$node_tools/node_modules/.bin/tsc" -p tsconfig.json)
cp "$work/nodejs/package.json" "$work/nodejs/bin/"
echo "check-sdks: the Node.js SDK compiles with tsc $("$node_tools/node_modules/.bin/tsc" --version | cut -d' ' -f2)" >&2

# --- Go ---------------------------------------------------------------------------------
cd "$work/go"
if [[ ! -f go.mod ]]; then
    # The generator writes a go.mod only for schemas that support packing. Otherwise the
    # module is the folder above the root package, whose import path every generated SDK
    # uses for its internal package.
    imports="$(grep -rhoE '"[^" ]+/internal"' --include='*.go' . | tr -d '"' | sort -u)"
    if [[ -z "$imports" || "$imports" == *$'\n'* ]]; then
        echo "check-sdks: cannot tell the Go SDK's import path from its internal package imports:" \
            "${imports:-none found}" >&2
        exit 1
    fi
    # The lowest go line, which go mod tidy raises to what the Pulumi SDK needs.
    printf 'module %s\n\ngo 1.21\n' "$(dirname "$(dirname "$imports")")" >go.mod
fi
go mod edit -require="github.com/pulumi/pulumi/sdk/v3@$sdk_version"
go mod tidy
got="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)"
if [[ "$got" != "$sdk_version" ]]; then
    echo "check-sdks: the Go SDK needs github.com/pulumi/pulumi/sdk/v3 $got, newer than the engine's $sdk_version" >&2
    exit 1
fi
go build ./...
echo "check-sdks: the Go SDK builds against github.com/pulumi/pulumi/sdk/v3 $sdk_version" >&2
echo "check-sdks: both SDKs of $(basename "$schema") generated and compiled in $((SECONDS - start)) s" >&2
