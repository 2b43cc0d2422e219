#!/usr/bin/env bash
# Build the Pulumi engine from its Go modules, pinned, into a cache outside the repo.
#
#   bash scripts/install-engine.sh            # prints the bin folder on its last line
#   bash scripts/install-engine.sh --if-built # the same when already built, else exit 1
#   export PATH="$(bash scripts/install-engine.sh | tail -n1):$PATH"
#
# What ends up in <cache>/bin:
#   pulumi                           github.com/pulumi/pulumi/pkg/v3/cmd/pulumi @ PULUMI_VERSION
#   pulumi-language-python           our small language host (scripts/engine/langhost), built
#                                    against github.com/pulumi/pulumi/sdk/v3 @ PULUMI_VERSION,
#                                    because the proxy refuses the official host's module
#   pulumi-language-python-exec      from the sdk/v3 module zip (python/cmd/)
#   pulumi-resource-pulumi-python    from the sdk/v3 module zip (python/dist/): the dynamic
#                                    provider host
#   pulumi-language-yaml             github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml @
#                                    YAML_VERSION, built in its own module (see below)
#   pulumi-language-nodejs           our test-only Node.js language host
#                                    (scripts/engine/langhost-nodejs): the proxy refuses the
#                                    official one; it runs programs through the program's own
#                                    @pulumi/pulumi
#   pulumi-language-go               our test-only Go language host (scripts/engine/langhost-go),
#                                    for the same reason; it builds programs with `go build`
#   chatcomp-gen-sdk                 our SDK generator (scripts/engine/gensdk): Pulumi's Node.js,
#                                    Go and Python code generators without the engine, for
#                                    check-sdks.sh and release.sh
#
# The cache key is the versions plus a hash of our wrapper module (go.mod, go.sum, every Go
# source in it), so a second run takes well under a second; the Go module and build caches
# make even a rebuild after a host change take seconds.
set -euo pipefail

PULUMI_VERSION="3.274.1"
YAML_VERSION="1.30.1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$here/engine"

# Every binary built here is in the key: the wrapper module's sources (paths included, so a
# moved file counts) and the YAML host's version, which lives outside the module.
key="$(cd "$module" && {
    echo "yaml v$YAML_VERSION"
    find . -name '*.go' -o -name go.mod -o -name go.sum | LC_ALL=C sort | xargs sha256sum
} | sha256sum | cut -c1-12)"
cache_root="${CHATCOMP_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-chatcomp/engine}"
dest="$cache_root/v$PULUMI_VERSION-$key"

bins=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python
    pulumi-language-yaml pulumi-language-nodejs pulumi-language-go chatcomp-gen-sdk)
built() {
    local name
    for name in "${bins[@]}"; do
        [[ -x "$dest/bin/$name" ]] || return 1
    done
    [[ "$("$dest/bin/pulumi" version 2>/dev/null)" == "v$PULUMI_VERSION" ]]
}
if built; then
    [[ "${1:-}" == "--if-built" ]] || echo "install-engine: pulumi v$PULUMI_VERSION already built" >&2
    echo "$dest/bin"
    exit 0
fi
# --if-built: print the folder when an earlier run built it, else fail quietly (no Go needed).
if [[ "${1:-}" == "--if-built" ]]; then
    exit 1
fi
if ! command -v go >/dev/null 2>&1; then
    echo "install-engine: Go is required (https://go.dev/dl/); this machine has none on PATH" >&2
    exit 1
fi

echo "install-engine: building pulumi v$PULUMI_VERSION from its Go modules (first build: ~20 min on 2 cores)" >&2
start=$SECONDS
mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"

cd "$module"
export CGO_ENABLED=0 GOFLAGS=-mod=readonly
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
go mod download
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
    -o "$work/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
go build -trimpath -ldflags "$ldflags" -o "$work/bin/pulumi-language-python" ./langhost
go build -trimpath -ldflags "$ldflags" -o "$work/bin/pulumi-language-nodejs" ./langhost-nodejs
go build -trimpath -ldflags "$ldflags" -o "$work/bin/pulumi-language-go" ./langhost-go
go build -trimpath -ldflags "$ldflags" -o "$work/bin/chatcomp-gen-sdk" ./gensdk

# The module cache is read-only and drops run bits: install the scripts with mode 0755.
sdk="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$work/bin/"
install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$work/bin/"

# The YAML host pins pkg/v3 v3.225.1 and is not built against v3.274.1, so it is built
# as `go install module@version` in its own module, with its own go.sum, not in ours.
GOBIN="$work/bin" go install -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_VERSION" \
    "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$YAML_VERSION"

got="$("$work/bin/pulumi" version)"
if [[ "$got" != "v$PULUMI_VERSION" ]]; then
    echo "install-engine: built pulumi reports '$got', expected v$PULUMI_VERSION" >&2
    exit 1
fi

rm -rf "$dest"
mv "$work" "$dest"
trap - EXIT
echo "install-engine: built pulumi $got in $((SECONDS - start)) s into $dest/bin" >&2
echo "$dest/bin"
