#!/usr/bin/env bash
# Build what a release publishes into dist/ (or --out DIR), from the working tree:
#
#   bash scripts/release.sh              # dist/
#   bash scripts/release.sh --out DIR    # DIR, created; must be empty if it exists
#   bash scripts/release.sh --out DIR --keep-sdks SDKS   # also leave check-sdks.sh's folders in SDKS
#
# With VERSION the package's version (pulumi_chatcomp.__version__) and OS-ARCH this machine's
# (linux-amd64, darwin-arm64, ...), the folder then holds:
#
#   pulumi_chatcomp-VERSION-py3-none-any.whl    the package: both faces, the plugin, the
#   pulumi_chatcomp-VERSION.tar.gz              command line, the policy rules, the server; it is
#                                               the Python SDK too (pulumi_chatcomp.native, also
#                                               importable as pulumi_chatcomp_sdk, the Python
#                                               name the schema gives)
#   pulumi-resource-chatcomp-vVERSION-OS-ARCH.tar.gz
#                                               the provider plugin for any language:
#                                               pulumi plugin install resource chatcomp VERSION --file <it>
#                                               (a source-based plugin: PulumiPlugin.yaml, the
#                                               wheel, and a __main__.py that runs it; Pulumi
#                                               installs the wheel into the plugin's own venv)
#   pulumi-chatcomp-chatcomp-VERSION.tgz        the TypeScript/JavaScript SDK, compiled, as
#                                               `npm pack` makes it: npm install <it>
#   sdk/go/                                     the Go SDK, a module whose path is the folder above
#                                               the schema's importBasePath (go.mod, chatcomp/),
#                                               published by committing it at that path of the
#                                               repository and tagging sdk/go/vVERSION
#
# Needs the venv of scripts/setup.sh (python -m build comes with the dev extras), the engine's
# chatcomp-gen-sdk (install-engine.sh builds it, and check-sdks.sh calls it), Node.js with npm,
# and Go.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$root/dist"
sdks=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --out) out="${2:?--out needs a folder}" ;;
        --keep-sdks) sdks="${2:?--keep-sdks needs a folder}" ;;
        *)
            echo "usage: bash scripts/release.sh [--out DIR] [--keep-sdks SDKS]" >&2
            exit 2
            ;;
    esac
    shift 2
done
if [[ -d "$out" && -n "$(ls -A "$out")" ]]; then
    echo "release: $out is not empty; remove it or choose another folder with --out" >&2
    exit 1
fi
mkdir -p "$out"
out="$(realpath "$out")"
python="$root/.venv/bin/python"
if [[ ! -x "$python" ]]; then
    echo "release: no .venv; run bash scripts/setup.sh first" >&2
    exit 1
fi

# The package's one home of its version (pyproject.toml reads it from there too).
version="$(cd "$root" && "$python" -c 'import pulumi_chatcomp; print(pulumi_chatcomp.__version__)')"
schema="$root/pulumi_chatcomp/plugin/schema.json"
schema_version="$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$schema")"
if [[ "$schema_version" != "$version" ]]; then
    echo "release: the schema says version $schema_version, pulumi_chatcomp.__version__ $version;" \
        "run python scripts/generate-schema.py" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sdks="${sdks:-$work/sdks}"

# --- Python: the wheel and the sdist ------------------------------------------------------
"$python" -m build --outdir "$out" "$root" >&2
wheel="pulumi_chatcomp-$version-py3-none-any.whl"
[[ -f "$out/$wheel" ]] || { echo "release: python -m build made no $wheel" >&2; exit 1; }

# --- The plugin archive -------------------------------------------------------------------
# Pulumi's names for this machine, which the archive's name carries (the plugin itself is pure
# Python; `pulumi plugin install --file` takes the archive whatever its name).
case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) os="$(uname -s | tr '[:upper:]' '[:lower:]')" ;;
esac
case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch="$(uname -m)" ;;
esac
plugin="$work/plugin"
mkdir -p "$plugin"
cp "$root/PulumiPlugin.yaml" "$out/$wheel" "$plugin/"
echo "./$wheel" >"$plugin/requirements.txt"
# What `python -m pulumi_chatcomp` runs: the plugin (pulumi_chatcomp/__main__.py).
printf 'import runpy\n\nrunpy.run_module("pulumi_chatcomp", run_name="__main__")\n' >"$plugin/__main__.py"
archive="pulumi-resource-chatcomp-v$version-$os-$arch.tar.gz"
tar -czf "$out/$archive" -C "$plugin" .

# --- The TypeScript and Go SDKs, generated and compiled -----------------------------------
bash "$here/check-sdks.sh" --keep "$sdks" "$schema"
cp "$sdks/nodejs/README.md" "$sdks/nodejs/bin/"
(cd "$out" && npm pack --silent "$(realpath "$sdks/nodejs/bin")" >/dev/null)
mkdir -p "$out/sdk"
cp -r "$sdks/go" "$out/sdk/go"

echo "release: $version built into $out:" >&2
(cd "$out" && find . -maxdepth 1 -type f -printf '  %f\n' | sort && echo "  sdk/go/") >&2
