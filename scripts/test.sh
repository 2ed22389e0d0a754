#!/usr/bin/env bash
# The whole suite, as `npm test` runs it (under scripts/with-tools): build, type-check, lint, then
# every test (unit, emulator, provider through the real SDK, policy pack, and the real-CLI suites).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "[test] build"
bash scripts/build.sh
echo "[test] type-check"
npx tsc -p tsconfig.json --noEmit
echo "[test] lint"
npx eslint --max-warnings 0 .
echo "[test] vitest"
npx vitest run "$@"
