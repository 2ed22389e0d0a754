#!/usr/bin/env bash
# Builds the Pulumi CLI (`pulumi`) from Go modules, because the machines this project runs on reach
# the Go module proxy but not get.pulumi.com. (The Node.js language host is built separately, see
# scripts/lib/tools.sh: its module is not served by the proxy here.)
#
# Usage: scripts/build-pulumi-cli.sh <wanted-version> <cache-root>
#   Tries <wanted-version> first; when the proxy does not serve that pkg/v3 tag, steps down one
#   minor version at a time (at most MAX_FALLBACK_STEPS) to the newest one it serves.
#   On success prints the installed bin directory as the last line of stdout.
set -euo pipefail

wanted=${1:?usage: build-pulumi-cli.sh <version> <cache-root>}
cache_root=${2:?usage: build-pulumi-cli.sh <version> <cache-root>}
readonly MAX_FALLBACK_STEPS=40
readonly PROBE_TIMEOUT_SECONDS=120
readonly PROBE_ATTEMPTS=3
readonly PKG=github.com/pulumi/pulumi/pkg/v3
readonly SDK=github.com/pulumi/pulumi/sdk/v3

say() { echo "[pulumi-cli] $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  say "error: Go is not installed, and the Pulumi CLI must be built from Go modules here."
  say "Install Go >= 1.24 (https://go.dev/dl or 'apt-get install golang'), or put a pulumi >= 3.221 on PATH."
  exit 1
fi

mkdir -p "$cache_root"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
(cd "$probe" && go mod init probe >/dev/null 2>&1)

# served VERSION: does the proxy serve pkg/v3 at VERSION, source archive included? (It may serve a
# version's go.mod but refuse its zip.) A hung request is retried, a refusal is final.
served() {
  local attempt rc
  for ((attempt = 1; attempt <= PROBE_ATTEMPTS; attempt++)); do
    rc=0
    (cd "$probe" && timeout "$PROBE_TIMEOUT_SECONDS" go mod download "$PKG@v$1" >/dev/null 2>&1) || rc=$?
    [ "$rc" -eq 124 ] || return "$rc"
  done
  return 1
}

# Find the newest served version at or below the wanted one.
major=${wanted%%.*}; rest=${wanted#*.}; minor=${rest%%.*}
candidates() {
  echo "$wanted"
  for ((step = 1; step <= MAX_FALLBACK_STEPS; step++)); do echo "$major.$((minor - step)).0"; done
}
version=""
# A build already in the cache wins without asking the network; otherwise ask the proxy.
for candidate in $(candidates); do
  if [ -x "$cache_root/v$candidate/bin/pulumi" ]; then version=$candidate; break; fi
done
if [ -z "$version" ]; then
  for candidate in $(candidates); do
    if served "$candidate"; then version=$candidate; break; fi
  done
fi
if [ -z "$version" ]; then
  say "error: the Go module proxy serves no $PKG tag between v$wanted and v$major.$((minor - MAX_FALLBACK_STEPS)).0."
  say "Check 'go env GOPROXY' and network access to it."
  exit 1
fi
out="$cache_root/v$version"
if [ -x "$out/bin/pulumi" ]; then
  echo "$out/bin"
  exit 0
fi
[ "$version" = "$wanted" ] || say "v$wanted is not on the Go module proxy; using v$version, the newest it serves."

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
