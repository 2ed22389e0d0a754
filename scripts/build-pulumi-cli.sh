#!/usr/bin/env bash
# Builds the Pulumi CLI (`pulumi`) from Go modules, because the machines this project runs on reach
# the Go module proxy but not get.pulumi.com. (The Node.js language host is built separately, see
# scripts/lib/tools.sh: its module is not served by the proxy here.)
#
# Usage: scripts/build-pulumi-cli.sh <version> <cache-root>
#   Builds exactly <version> (pinned in scripts/lib/tools.sh) into <cache-root>/v<version>/bin, once:
#   a second call finds it there, and concurrent calls wait for the first one's build (flock).
#   On success prints the installed bin directory as the last line of stdout.
set -euo pipefail

version=${1:?usage: build-pulumi-cli.sh <version> <cache-root>}
cache_root=${2:?usage: build-pulumi-cli.sh <version> <cache-root>}
readonly PKG=github.com/pulumi/pulumi/pkg/v3
readonly SDK=github.com/pulumi/pulumi/sdk/v3

say() { echo "[pulumi-cli] $*" >&2; }

mkdir -p "$cache_root"
if [ -x "$cache_root/v$version/bin/pulumi" ]; then
  echo "$cache_root/v$version/bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  say "error: Go is not installed, and the Pulumi CLI must be built from Go modules here."
  say "Install Go >= 1.24 (https://go.dev/dl or 'apt-get install golang'), or put a pulumi >= 3.221 on PATH."
  exit 1
fi
# One build at a time per cache: a second caller waits here, then finds the binary.
exec 9>"$cache_root/.build-v$version.lock"
flock 9
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
(cd "$probe" && go mod init probe >/dev/null 2>&1)
if ! (cd "$probe" && go mod download "$PKG@v$version" >/dev/null 2>"$probe/err"); then
  say "error: the Go module proxy does not serve $PKG@v$version:"
  cat "$probe/err" >&2
  say "Check 'go env GOPROXY' and network access to it."
  exit 1
fi
out="$cache_root/v$version"
if [ -x "$out/bin/pulumi" ]; then
  echo "$out/bin"
  exit 0
fi

work="$out/build"
log="$out/build.log"
mkdir -p "$work"
: >"$log"
say "building Pulumi CLI v$version from Go modules (several minutes on first run; log: $log)"

gomod="$(cd "$probe" && go env GOMODCACHE)/cache/download/github.com/pulumi/pulumi/pkg/v3/@v/v$version.mod"
cd "$work"
rm -f go.mod go.sum
go mod init pulumi-cli-wrapper >>"$log" 2>&1
# Copy the pkg module's replace directives, except its local ../sdk one (sdk is required at the same version).
grep -E '^replace ' "$gomod" | grep -v '=> \.\./' >>go.mod || true
say "resolving modules (1/3)"
if ! { go get "$PKG@v$version" "$SDK@v$version" && go mod edit -tool="$PKG/cmd/pulumi" && go mod tidy; } >>"$log" 2>&1; then
  say "error: module resolution failed; see $log"
  tail -20 "$log" >&2
  exit 1
fi

say "compiling pulumi (2/3)"
start=$SECONDS
(
  export CGO_ENABLED=0
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$out/bin/" "$PKG/cmd/pulumi" >>"$log" 2>&1
) &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  sleep 15
  kill -0 "$pid" 2>/dev/null && say "  still compiling... $((SECONDS - start)) s"
done
if ! wait "$pid"; then
  say "error: go build failed; see $log"
  tail -20 "$log" >&2
  exit 1
fi
say "built in $((SECONDS - start)) s (3/3): $out/bin"
echo "$out/bin"
