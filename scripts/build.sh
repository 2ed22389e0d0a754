#!/usr/bin/env bash
# Compiles the TypeScript sources into dist/ and installs the provider into
# node_modules/pulumi-instance-refresh as npm would install the published package, so that the
# examples, tests and benchmarks load it exactly as a user's stack does (a module under node_modules
# is serialized into state as a require() call, a local module by value: see provider/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
stamp_tool=dist/test/helpers/buildStamp.js
before=""
if [ -f "$stamp_tool" ]; then before=$(node "$stamp_tool" hash "$root"); fi
npx tsc -p tsconfig.build.json

target=node_modules/pulumi-instance-refresh
rm -rf "$target"
mkdir -p "$target/dist"
cp -R dist/provider dist/policies dist/plan dist/emulator "$target/dist/"
mkdir -p "$target/policies"
cp -R policies/PulumiPolicy.yaml policies/package.json policies/config "$target/policies/"
# Every bin of package.json (instance-refresh-plan, instance-refresh-emulator), linked as npm links them.
mkdir -p node_modules/.bin
for bin in $(node -p 'Object.entries(require("./package.json").bin).map(([n, f]) => n + "=" + f).join(" ")'); do
  ln -sf "../pulumi-instance-refresh/${bin#*=}" "node_modules/.bin/${bin%%=*}"
  chmod +x "$target/${bin#*=}"
done
node -e '
  const pkg = require("./package.json");
  const out = { name: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license,
    main: pkg.main, types: pkg.types, exports: pkg.exports, typesVersions: pkg.typesVersions, bin: pkg.bin,
    engines: pkg.engines, dependencies: pkg.dependencies,
    peerDependencies: pkg.peerDependencies, peerDependenciesMeta: pkg.peerDependenciesMeta };
  require("fs").writeFileSync(process.argv[1], JSON.stringify(out, null, 2) + "\n");
' "$target/package.json"
# Stamp the installed package with the hash of the sources it was built from: real-CLI tests refuse
# a stale one (test/helpers/buildStamp.ts).
node "$stamp_tool" write "$root" ${before:+"$before"}
