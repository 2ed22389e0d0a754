/**
 * Real-CLI plumbing shared by the figures (and by the fault suite in test/faults): an emulator in a
 * child process, JavaScript Pulumi programs, and an asynchronous `pulumi` runner over a throwaway
 * work directory with its own file backend.
 *
 * Programs are JavaScript on purpose (no ts-node type-check on every run) and live inside the
 * repository (`bench/.work/`, `test/.work/`, both git-ignored) so that Node resolves
 * `pulumi-instance-refresh` and `@pulumi/pulumi` from the repository's `node_modules`, the way a
 * user's program resolves them from its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, spawnEmulator, type EmulatorAdmin } from "../emulator";

/** The repository root: the nearest directory above this file whose package.json is this package's. */
export const REPO_ROOT: string = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-instance-refresh") return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
  }
})();
/** Parent of the benchmark work directories. */
export const BENCH_WORK_ROOT = path.join(REPO_ROOT, "bench", ".work");
/** Region passed to the provider (the emulator accepts any). */
export const REGION = "ap-guangzhou";
/** Default time limit of one `pulumi` command, ms. */
export const PULUMI_TIMEOUT_MS = 300_000;

// ---------------------------------------------------------------------------------------------
// Emulator in a child process

/** A running `dist/emulator/cli.js` child process. */
export interface EmulatorProcess {
  readonly url: string;
  readonly pid: number;
  readonly admin: EmulatorAdmin;
  readonly secretId: string;
  readonly secretKey: string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/** Flags of the emulator CLI (see emulator/README.md). */
export interface EmulatorFlags {
  secondsPerBatch?: number;
  rateLimit?: boolean;
  fixture?: boolean;
  requestLogLimit?: number;
}

/** Starts the emulator CLI (built, in dist/) in its own process on a free port. */
export async function startEmulatorProcess(flags: EmulatorFlags = {}): Promise<EmulatorProcess> {
  const cli = path.join(REPO_ROOT, "dist", "emulator", "cli.js");
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run scripts/build.sh first`);
  const args: string[] = [];
  if (flags.secondsPerBatch !== undefined) args.push("--seconds-per-batch", String(flags.secondsPerBatch));
  if (flags.rateLimit === false) args.push("--no-rate-limit");
  if (flags.fixture === false) args.push("--no-fixture");
  if (flags.requestLogLimit !== undefined) args.push("--request-log-limit", String(flags.requestLogLimit));
  const emulator = await spawnEmulator(args, { quiet: true, cliPath: cli });
  return {
    url: emulator.url,
    pid: emulator.child.pid!,
    admin: emulator.admin,
    secretId: DEFAULT_SECRET_ID,
    secretKey: DEFAULT_SECRET_KEY,
    stop: emulator.stop,
  };
}

/** `count` valid, distinct group ids: `asg-<prefix><zero-padded index>` (8 characters after `asg-`). */
export function groupIds(count: number, prefix = "b"): string[] {
  return Array.from({ length: count }, (_, i) => `asg-${prefix}${String(i).padStart(8 - prefix.length, "0")}`);
}

/** Seeds groups of `instanceCount` IN_SERVICE instances each, a few requests at a time. */
export async function seedGroups(admin: EmulatorAdmin, ids: readonly string[], instanceCount: number, concurrency = 8): Promise<void> {
  for (let i = 0; i < ids.length; i += concurrency) {
    await Promise.all(ids.slice(i, i + concurrency).map((groupId) => admin.seedGroup({ groupId, instanceCount })));
  }
}

// ---------------------------------------------------------------------------------------------
// Programs

/** Settings of the InstanceRefresh resources of {@link refreshProgram}. */
export interface RefreshProgramOptions {
  groupIds: readonly string[];
  batchNumber: number;
  batchPause?: string;
  maxSurge?: number;
  waitUntil?: "started" | "settled";
  /** Extra JavaScript statements appended to the program. */
  extra?: string;
}

/**
 * A program with one InstanceRefresh per group, resources `r0`, `r1`, …; exports `ids` (activity
 * ids) and `statuses`, in group order.
 */
export function refreshProgram(o: RefreshProgramOptions): string {
  const rolling: Record<string, unknown> = { batchNumber: o.batchNumber };
  if (o.batchPause) rolling.batchPause = o.batchPause;
  if (o.maxSurge !== undefined) rolling.maxSurge = o.maxSurge;
  return `"use strict";
const { InstanceRefresh } = require("pulumi-instance-refresh");
const groups = ${JSON.stringify(o.groupIds)};
const refreshes = groups.map((autoScalingGroupId, i) => new InstanceRefresh("r" + i, {
  autoScalingGroupId,
  refreshSettings: { rollingUpdateSettings: ${JSON.stringify(rolling)} },
  wait: { until: ${JSON.stringify(o.waitUntil ?? "settled")} },
}));
exports.ids = refreshes.map((r) => r.refreshActivityId);
exports.statuses = refreshes.map((r) => r.status);
${o.extra ?? ""}
`;
}

/**
 * A program with `count` no-op dynamic resources `n0`, `n1`, … whose provider is declared inline.
 * `create` sleeps `sleepMs` and, when `stampFile` is set, appends `Date.now()` to it just before
 * returning (to time what the engine does after a create returns).
 */
export function noopProgram(o: { count: number; sleepMs?: number; stampFile?: string }): string {
  return `"use strict";
const pulumi = require("@pulumi/pulumi");
const noopProvider = {
  async create(inputs) {
    if (inputs.sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, inputs.sleepMs));
    if (inputs.stampFile) require("fs").appendFileSync(inputs.stampFile, Date.now() + "\\n");
    return { id: "noop-" + inputs.index, outs: { ...inputs, status: "SUCCESSFUL" } };
  },
};
class Noop extends pulumi.dynamic.Resource {
  constructor(name, args) { super(noopProvider, name, { status: undefined, ...args }); }
}
const items = [];
for (let i = 0; i < ${o.count}; i++) {
  items.push(new Noop("n" + i, { index: i, sleepMs: ${o.sleepMs ?? 0}, stampFile: ${JSON.stringify(o.stampFile ?? "")} }));
}
exports.statuses = items.map((r) => r.status);
`;
}

// ---------------------------------------------------------------------------------------------
// Pulumi runner

/** The outcome of one `pulumi` command. */
export interface RunResult {
  command: string;
  /** Exit code; null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock duration, ms. */
  ms: number;
  /** performance.now() at the exit. */
  endedAt: number;
}

/** Options of {@link PulumiWork.run}. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with the child right after spawning (e.g. to kill it). */
  onSpawn?: (child: ChildProcess) => void;
}

/** A throwaway Pulumi project directory with its own file backend and PULUMI_HOME. */
export class PulumiWork {
  readonly backendDir: string;
  readonly homeDir: string;
  readonly env: NodeJS.ProcessEnv;

  private constructor(readonly dir: string, readonly root: string) {
    this.backendDir = path.join(dir, ".backend");
    this.homeDir = path.join(dir, ".pulumi-home");
    fs.mkdirSync(this.backendDir, { recursive: true });
    fs.mkdirSync(this.homeDir, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_HOME: this.homeDir,
      PULUMI_CONFIG_PASSPHRASE: "",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
    };
    delete env.PULUMI_ACCESS_TOKEN;
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    this.env = env;
  }

  /** A fresh `<root>/<prefix>-<random>` holding a project named `name` with `index.js` = `program`. */
  static create(prefix: string, program: string, root = BENCH_WORK_ROOT): PulumiWork {
    fs.mkdirSync(root, { recursive: true });
    const work = new PulumiWork(path.join(root, `${prefix}-${crypto.randomBytes(4).toString("hex")}`), root);
    const name = prefix.replace(/[^A-Za-z0-9-]/g, "-");
    fs.writeFileSync(path.join(work.dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    // Without its own package.json the SDK would run the repository's `main` instead of index.js.
    fs.writeFileSync(path.join(work.dir, "package.json"), JSON.stringify({ name, private: true, main: "index.js" }) + "\n");
    work.writeProgram(program);
    return work;
  }

  writeProgram(program: string): void {
    fs.writeFileSync(path.join(this.dir, "index.js"), program);
  }

  /** Runs `pulumi <args> --non-interactive --color=never`; never throws for a failing command. */
  run(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const full = [...args, "--non-interactive", "--color=never"];
    const started = performance.now();
    // Its own process group, so that a kill can take the language host and plugins down with it.
    const child = spawn("pulumi", full, { cwd: this.dir, env: { ...this.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const timeoutMs = opts.timeoutMs ?? PULUMI_TIMEOUT_MS;
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
    opts.onSpawn?.(child);
    return new Promise((resolve, reject) => {
      child.on("error", (e) => {
        clearTimeout(timer);
        reject((e as NodeJS.ErrnoException).code === "ENOENT" ? new Error("pulumi is not on PATH: run under scripts/with-tools") : e);
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const endedAt = performance.now();
        resolve({ command: `pulumi ${full.join(" ")}`, code, signal, stdout, stderr, ms: endedAt - started, endedAt });
      });
    });
  }

  /** Like {@link run} but throws with the output unless the command exits 0. */
  async must(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(describeRun(r));
    return r;
  }

  /** `pulumi stack init <stack>` and its config: plain values and secrets, in one `config set-all`. */
  async initStack(stack: string, config: { plain?: Record<string, string>; secret?: Record<string, string> } = {}): Promise<void> {
    await this.must(["stack", "init", stack]);
    const args = ["config", "set-all"];
    for (const [k, v] of Object.entries(config.plain ?? {})) args.push("--plaintext", `${k}=${v}`);
    for (const [k, v] of Object.entries(config.secret ?? {})) args.push("--secret", `${k}=${v}`);
    if (args.length > 2) await this.must(args);
  }

  /** `pulumi stack export`, parsed. */
  async exportState(): Promise<StackExport> {
    return JSON.parse((await this.must(["stack", "export", "--show-secrets"])).stdout) as StackExport;
  }

  /** `pulumi stack output --json`, parsed. */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.must(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<string, unknown>;
  }

  /**
   * Deletes the directory (only below its root), after killing any process still running for it
   * (see {@link killStrays}).
   */
  remove(): void {
    killStrays(this.homeDir);
    const resolved = path.resolve(this.dir);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`refusing to remove ${resolved}`);
    fs.rmSync(resolved, { recursive: true, force: true });
  }
}

/** The parts of `pulumi stack export` used here. */
export interface StackExport {
  deployment: {
    resources?: Array<{ urn: string; type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
    pending_operations?: Array<{ resource: { urn: string }; type: string }>;
  };
}

/** SIGKILLs (or signals) a process started by {@link PulumiWork.run} and its whole process group. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * SIGKILLs every process whose environment has `PULUMI_HOME=<homeDir>`: the plugins of a work
 * directory. The engine starts each plugin (the language host, the dynamic-provider host) in a
 * process group of its own, so killing `pulumi`'s group leaves them running; a killed `pulumi up`
 * leaves an orphaned provider host behind. Returns the pids killed.
 */
export function killStrays(homeDir: string): number[] {
  const killed: number[] = [];
  for (const { pid } of processesOf(homeDir)) {
    try {
      process.kill(pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}

/** Processes (other than this one) whose environment has `PULUMI_HOME=<homeDir>`, with their command lines. */
export function processesOf(homeDir: string): { pid: number; cmdline: string }[] {
  const needle = `PULUMI_HOME=${homeDir}\0`;
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, "utf8");
      if (!(environ + "\0").includes(needle)) continue;
      found.push({ pid: Number(entry), cmdline: fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ") });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Readable account of a run for error messages. */
export function describeRun(r: RunResult): string {
  const how = r.code === null ? `was killed by ${r.signal ?? "?"}` : `exited with ${r.code}`;
  return `\`${r.command}\` ${how} after ${Math.round(r.ms)} ms\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Stack config pointing the provider at an emulator (credentials as secrets). */
export function emulatorConfig(
  emu: { url: string; secretId: string; secretKey: string },
  extra: Record<string, string> = {},
): { plain: Record<string, string>; secret: Record<string, string> } {
  return {
    plain: { "instanceRefresh:endpoint": emu.url, "tencentcloud:region": REGION, ...extra },
    secret: { "tencentcloud:secretId": emu.secretId, "tencentcloud:secretKey": emu.secretKey },
  };
}

/** The API actions that change state (everything else only reads). */
export const MUTATING_ACTIONS = [
  "StartInstanceRefresh",
  "StopInstanceRefresh",
  "ResumeInstanceRefresh",
  "CancelInstanceRefresh",
  "RollbackInstanceRefresh",
] as const;
