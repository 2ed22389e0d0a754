#!/usr/bin/env bash
# Usage: scripts/package-build.sh prepack|prepare
# The npm lifecycle scripts (package.json) that compile dist/ whenever the package is made from source:
#   prepack  `npm pack`, `npm publish`: a clean build, so the tarball holds exactly what today's sources
#            compile to (nothing left over from a deleted or renamed module).
#   prepare  `npm ci` / `npm install` in a checkout, `npm install --install-links <checkout>`, and
#            git-URL installs (npm clones, installs the dev dependencies, runs prepare, then packs):
#            an incremental build. Skipped during `npm pack` / `npm publish`, whose prepack has just built.
# Plain tsc on the caller's Node, not scripts/with-tools: users building the package need neither the
# Pulumi CLI nor this project's toolchain cache.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:-}
case "$stage" in
  prepack | prepare) ;;
  *) echo "usage: scripts/package-build.sh prepack|prepare" >&2; exit 2 ;;
esac
if [ "$stage" = prepare ] && { [ "${npm_command:-}" = pack ] || [ "${npm_command:-}" = publish ]; } &&
  [ -f dist/provider/index.js ]; then
  exit 0
fi
# npm puts node_modules/.bin on PATH for lifecycle scripts.
if ! command -v tsc >/dev/null 2>&1; then
  echo "pulumi-instance-refresh $stage: TypeScript (tsc) is not installed in $(pwd):" \
    "run 'npm ci' there first; it installs the dev dependencies that dist/ is compiled with." >&2
  exit 1
fi
if [ "$stage" = prepack ]; then rm -rf dist; fi
tsc -p tsconfig.build.json
echo "pulumi-instance-refresh $stage: compiled dist/" >&2
