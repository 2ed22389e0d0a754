#!/usr/bin/env bash
# Compiles the TypeScript sources into dist/ and installs the provider into
# node_modules/pulumi-instance-refresh as npm would install the published package, so that the
# examples, tests and benchmarks load it exactly as a user's stack does (a module under node_modules
# is serialized into state as a require() call, a local module by value: see provider/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
npx tsc -p tsconfig.build.json

target=node_modules/pulumi-instance-refresh
rm -rf "$target"
mkdir -p "$target/dist"
cp -R dist/provider dist/policies dist/plan "$target/dist/"
mkdir -p "$target/policies"
cp -R policies/PulumiPolicy.yaml policies/package.json policies/config "$target/policies/"
mkdir -p node_modules/.bin
ln -sf ../pulumi-instance-refresh/dist/plan/cli.js node_modules/.bin/instance-refresh-plan
chmod +x "$target/dist/plan/cli.js"
node -e '
  const pkg = require("./package.json");
  const out = { name: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license,
    main: pkg.main, types: pkg.types, bin: pkg.bin, engines: pkg.engines, dependencies: pkg.dependencies,
    peerDependencies: pkg.peerDependencies, peerDependenciesMeta: pkg.peerDependenciesMeta };
  require("fs").writeFileSync(process.argv[1], JSON.stringify(out, null, 2) + "\n");
' "$target/package.json"
