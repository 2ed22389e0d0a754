#!/usr/bin/env bash
# The whole suite, as `npm test` runs it (under scripts/with-tools): build, then every vitest file
# (unit, emulator, provider through the real SDK, policy pack, and the real-CLI suites, several files
# at once: see vitest.config.mts) with, beside them from the start, the checks that need no build
# output — the type-check, the type-aware lint and the Go tests of the Node.js language host — which
# use the core the build leaves idle. Each step prints its duration; the checks' output follows the
# tests'. Exits non-zero when any step failed.
set -euo pipefail
cd "$(dirname "$0")/.."

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
names=()
pids=()
# background NAME COMMAND...: runs COMMAND beside the tests, its output and duration kept for later.
background() {
  local name=$1
  shift
  (
    local t0=$SECONDS rc=0
    "$@" >"$logs/$name.log" 2>&1 || rc=$?
    echo "$((SECONDS - t0))" >"$logs/$name.seconds"
    exit "$rc"
  ) &
  names+=("$name")
  pids+=("$!")
}
background type-check npx tsc -p tsconfig.json --noEmit
background lint npx eslint --max-warnings 0 .
# The same flags as the host's build (scripts/lib/tools.sh), so its compiled packages are reused.
background "language host (go test)" env -C tools/pulumi-language-nodejs CGO_ENABLED=0 go test -trimpath -count=1 ./...

# The build is one tsc process (one core): the checks above start first, on the other.
echo "[test] build (type-check, lint and go test run beside it)"
started=$SECONDS
status=0
if bash scripts/build.sh; then
  echo "[test] build: $((SECONDS - started)) s"
  echo "[test] vitest (type-check, lint and go test go on beside it)"
  started=$SECONDS
  npx vitest run "$@" || status=$?
  echo "[test] vitest: $((SECONDS - started)) s"
else
  echo "[test] build: FAILED; no tests run"
  status=1
fi

for i in "${!names[@]}"; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  echo "[test] ${names[$i]}: $(cat "$logs/${names[$i]}.seconds" 2>/dev/null || echo "?") s$([ "$rc" = 0 ] || echo ", FAILED (exit $rc)")"
  if [ "$rc" != 0 ] || [ -s "$logs/${names[$i]}.log" ]; then sed 's/^/  /' "$logs/${names[$i]}.log"; fi
  if [ "$rc" != 0 ]; then status=1; fi
done
exit "$status"
