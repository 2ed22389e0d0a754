#!/usr/bin/env bash
# Usage: scripts/run-built.sh <script under dist/, without dist/> [args...]
# Builds (incrementally: a second build with no change takes a few seconds) and runs the compiled script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
script=${1:?usage: run-built.sh <script> [args...]}
shift
bash "$root/scripts/build.sh" >&2
exec node "$root/dist/$script" "$@"
