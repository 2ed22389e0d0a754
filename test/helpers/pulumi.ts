/**
 * The one runner of the real Pulumi CLI, for tests and benchmarks: asynchronous, so a test can
 * watch a running `pulumi up`, drive the emulator meanwhile, and kill it.
 *
 * Run such code under `scripts/with-tools` (e.g. `scripts/with-tools npx vitest run test/smoke`),
 * which puts Node 22, the `pulumi` CLI, this project's Node.js language host and the dynamic-provider
 * plugin on PATH. Every work directory made here has its own file backend and `PULUMI_HOME`, so
 * commands never share stacks or plugin state with each other or with a developer's `.pulumi-local`,
 * and files of tests may run in parallel.
 *
 * @example
 * const work = makeWorkDir("e2e");
 * writeProgram(work.dir, { name: "demo", files: { "index.js": "..." } });
 * await initStack(work, "dev", { plain: { "instanceRefresh:endpoint": emu.url } });
 * const up = runPulumi(work, ["up", "--yes", "--skip-preview"]);
 * await up.waitForOutput(/batch 1\/2/);
 * up.kill("SIGKILL");
 * const result = await up.result; // { status: null, signal: "SIGKILL", stdout, stderr, durationMs }
 * work.remove();
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../../emulator/alibabacloud/signature";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator/tencentcloud/signature";
import { assertFreshBuild } from "./buildStamp";
import { TEST_SECRETS_PROVIDER, testVaultEnv } from "./vault";

/** The repository root: the nearest directory above this file whose package.json is this package's (works from dist/ too). */
export const REPO_ROOT: string = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-instance-refresh") return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
  }
})();

/**
 * Parent of the test work directories. It is inside the repository on purpose: programs and policy
 * packs written below it resolve `pulumi-instance-refresh`, `@pulumi/pulumi` and `@pulumi/policy`
 * from the repository's `node_modules`, the way a user's program resolves them from its own. Git-ignored.
 */
export const WORK_ROOT = path.join(REPO_ROOT, "test", ".work");

/** Default time limit of one `pulumi` command, ms; on expiry its process group is SIGKILLed. */
export const DEFAULT_PULUMI_TIMEOUT_MS = 180_000;
/**
 * Node's on-disk compile cache (Node ≥ 22.1) shared by every Node process the commands start — the
 * program, the dynamic-provider host, policy packs: each loads `@pulumi/pulumi` (and TypeScript for
 * TypeScript programs), and the cache roughly halves that CPU time after the first load.
 */
export const NODE_COMPILE_CACHE_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "pulumi-instance-refresh", "node-compile-cache");

/** Default time {@link PulumiProcess.waitForOutput} waits for a match, ms. */
export const DEFAULT_OUTPUT_TIMEOUT_MS = 120_000;

/** A throwaway directory with the Pulumi backend and home its commands use. */
export interface WorkDir {
  /** The directory itself: write programs and policy packs in it (or below it). */
  readonly dir: string;
  /** The file backend's directory, `<dir>/.backend` (`PULUMI_BACKEND_URL=file://...`). */
  readonly backendDir: string;
  /** The `PULUMI_HOME` of commands run in this work directory, `<dir>/.pulumi-home`. */
  readonly homeDir: string;
  /** Environment of `pulumi` commands run in this work directory (see {@link pulumiEnv}). */
  readonly env: NodeJS.ProcessEnv;
  /** `--secrets-provider` of the stacks made here (see {@link WorkDirOptions.secrets}). */
  readonly secretsProvider: string;
  /**
   * Kills what is still running for this work directory (see {@link killStrays}), then deletes it,
   * backend and home included. Safe to call twice. With `PIR_KEEP_WORK=1` it keeps the directory
   * (and says where it is) for debugging.
   */
  remove(): void;
}

/** Options of {@link makeWorkDir}. */
export interface WorkDirOptions {
  /** Parent directory; must be inside the repository (see {@link WORK_ROOT}). @default WORK_ROOT */
  readonly root?: string;
  /** Extra environment of every command run there (wins over {@link pulumiEnv}'s). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * How stacks made here encrypt secrets: `"test-vault"`, Pulumi's `hashivault` provider on this
   * process's stand-in (test/helpers/vault.ts: as encrypted, without the passphrase provider's key
   * derivation in every command); `"passphrase"`, what a user's stack gets by default.
   * @default "test-vault"
   */
  readonly secrets?: "test-vault" | "passphrase";
}

/**
 * Makes a fresh work directory `<root>/<prefix>-<random>` with an empty file backend and a Pulumi
 * home of its own. Call {@link WorkDir.remove} (e.g. in `afterAll`) when done.
 */
export function makeWorkDir(prefix = "e2e", options: WorkDirOptions = {}): WorkDir {
  const root = options.root ?? WORK_ROOT;
  fs.mkdirSync(root, { recursive: true });
  const dir = path.join(root, `${prefix}-${crypto.randomBytes(4).toString("hex")}`);
  const backendDir = path.join(dir, ".backend");
  const homeDir = path.join(dir, ".pulumi-home");
  fs.mkdirSync(backendDir, { recursive: true });
  fs.mkdirSync(homeDir, { recursive: true });
  const vault = (options.secrets ?? "test-vault") === "test-vault";
  return {
    dir,
    backendDir,
    homeDir,
    env: pulumiEnv({ backendDir, homeDir }, { ...(vault ? testVaultEnv() : {}), ...options.env }),
    secretsProvider: vault ? TEST_SECRETS_PROVIDER : "passphrase",
    remove: () => {
      killStrays(homeDir);
      if (process.env.PIR_KEEP_WORK === "1") console.info(`PIR_KEEP_WORK=1: keeping ${dir}`);
      else removeWorkDir(dir, root);
    },
  };
}

/** Deletes a work directory made by {@link makeWorkDir}; refuses any path outside `root`. */
export function removeWorkDir(dir: string, root = WORK_ROOT): void {
  const resolved = path.resolve(dir);
  if (!resolved.startsWith(path.resolve(root) + path.sep)) throw new Error(`refusing to remove ${resolved}: not under ${root}`);
  fs.rmSync(resolved, { recursive: true, force: true });
}

/**
 * The environment of an offline, non-interactive `pulumi` run against a local file backend: the
 * current environment plus `PULUMI_BACKEND_URL`, `PULUMI_HOME`, an empty `PULUMI_CONFIG_PASSPHRASE`,
 * switches that turn off update checks, plugin downloads and prompts, TypeScript programs run
 * transpile-only (`tsc` type-checks the examples already), and Node's compile cache on
 * ({@link NODE_COMPILE_CACHE_DIR}), and the emulator's default credentials in `TENCENTCLOUD_SECRET_ID` /
 * `TENCENTCLOUD_SECRET_KEY` and `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET`. `extra` wins.
 */
export function pulumiEnv(where: { backendDir: string; homeDir: string }, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${where.backendDir}`,
    PULUMI_HOME: where.homeDir,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? NODE_COMPILE_CACHE_DIR,
    // The credentials every test emulator accepts (emulator/tencentcloud/signature.ts), from the environment as a
    // user's CI would pass them: a config secret would cost a key derivation in every command.
    TENCENTCLOUD_SECRET_ID: DEFAULT_SECRET_ID,
    TENCENTCLOUD_SECRET_KEY: DEFAULT_SECRET_KEY,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET,
    ...extra,
  };
  // A token or passphrase file from the developer's shell must not redirect these runs.
  delete env.PULUMI_ACCESS_TOKEN;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  return env;
}

/** Writes `files` (relative path → content) under `dir`, creating subdirectories as needed. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** A Pulumi program for {@link writeProgram}. */
export interface ProgramSpec {
  /** Project name (`name:` in Pulumi.yaml). */
  readonly name: string;
  /** Source files, e.g. `{ "index.js": "..." }`. */
  readonly files: Record<string, string>;
  /** Entry point, relative to the program directory; default `index.ts` if given, else `index.js`. */
  readonly main?: string;
  /**
   * `runtime.options` for Pulumi.yaml, e.g. `{ typescript: true }` or `{ nodeargs: "--trace-warnings" }`.
   * @default `{ typescript: false }` for a JavaScript entry point (the SDK's runner then skips loading
   * TypeScript and ts-node, which it does by default for every program), none otherwise
   */
  readonly runtimeOptions?: Record<string, string | boolean>;
}

/**
 * Writes a Node.js Pulumi project into `dir`: `Pulumi.yaml` (`runtime: nodejs`), a minimal
 * `package.json` and the given files.
 *
 * The `package.json` matters: without one, the SDK's program runner takes the nearest one above,
 * the repository's, and would run its `main` instead of the test program. It has no dependencies;
 * packages resolve from the repository's `node_modules`.
 */
export function writeProgram(dir: string, spec: ProgramSpec): void {
  const main = spec.main ?? ("index.ts" in spec.files ? "index.ts" : "index.js");
  const options = spec.runtimeOptions ?? (main.endsWith(".js") ? { typescript: false } : undefined);
  const runtime = options
    ? ["runtime:", "  name: nodejs", "  options:", ...Object.entries(options).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)]
    : ["runtime: nodejs"];
  const name = spec.name.replace(/[^A-Za-z0-9_.-]/g, "-");
  writeFiles(dir, {
    "Pulumi.yaml": [`name: ${name}`, ...runtime, ""].join("\n"),
    "package.json": JSON.stringify({ name, private: true, main }, null, 2) + "\n",
    ...spec.files,
  });
}

/** The outcome of one `pulumi` command. */
export interface PulumiResult {
  /** The command line, for messages: `pulumi up --yes ...`. */
  readonly command: string;
  /** Exit code; `null` when the command was killed (see `signal`, e.g. on timeout). */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived: what a terminal would show. */
  readonly output: string;
  /** Wall-clock duration, ms. */
  readonly durationMs: number;
  /** `performance.now()` when it exited (to time what happened before, e.g. in benchmarks). */
  readonly endedAt: number;
}

/** Options of {@link runPulumi}. */
export interface PulumiOptions {
  /** Working directory (the project's); default: the work directory. */
  readonly cwd?: string;
  /** Extra environment variables, on top of the work directory's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Time limit; on expiry the command's process group is SIGKILLed. @default DEFAULT_PULUMI_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** `--stack <name>`; default: the selected stack. */
  readonly stack?: string;
  /** `--config-file <file>` (commands that take one; not `stack …`): a stack config file kept out of the project directory. */
  readonly configFile?: string;
}

/** A running `pulumi` command. */
export interface PulumiProcess {
  /** The command line, for messages. */
  readonly command: string;
  /** Its process id (also its process group's id). */
  readonly pid: number;
  /** Settles when it exits; never rejects for a failing command (read `status`). */
  readonly result: Promise<PulumiResult>;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Both, interleaved as they arrived. */
  readonly output: string;
  /**
   * Resolves with the first match of `pattern` in the output so far and to come (stdout and stderr,
   * each searched on its own); rejects with the whole output when the command exits first or after
   * `timeoutMs`.
   * @example await up.waitForOutput(/batch 1\/2 RUNNING/);
   */
  waitForOutput(pattern: RegExp, options?: { timeoutMs?: number }): Promise<RegExpExecArray>;
  /**
   * Sends `signal` to the command's whole process group (the CLI and what it started in its group).
   * The engine starts plugins in process groups of their own: see {@link killStrays}.
   * @default "SIGKILL"
   */
  kill(signal?: NodeJS.Signals): void;
}

/** The full argument list of a command run with `opts`. */
function fullArgs(args: readonly string[], opts: PulumiOptions): string[] {
  const out = [...args];
  if (opts.stack) out.push("--stack", opts.stack);
  if (opts.configFile && args[0] !== "stack") out.push("--config-file", opts.configFile);
  out.push("--non-interactive", "--color=never");
  return out;
}

/**
 * Starts `pulumi <args> [--stack S] [--config-file F] --non-interactive --color=never` in the work
 * directory (or `opts.cwd`) with the work directory's backend and home, in a process group of its
 * own, and returns at once. Await `.result` for its outcome.
 */
export function runPulumi(work: Pick<WorkDir, "dir" | "env">, args: readonly string[], opts: PulumiOptions = {}): PulumiProcess {
  const argv = fullArgs(args, opts);
  const command = ["pulumi", ...argv].join(" ");
  const started = performance.now();
  // Its own process group, so that a kill or the timeout takes the CLI's children down with it.
  const child = spawn("pulumi", argv, { cwd: opts.cwd ?? work.dir, env: { ...work.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  let output = "";
  const watchers = new Set<() => void>();
  const notify = () => {
    for (const w of [...watchers]) w();
  };
  child.stdout!.on("data", (c: Buffer) => {
    const text = c.toString();
    stdout += text;
    output += text;
    notify();
  });
  child.stderr!.on("data", (c: Buffer) => {
    const text = c.toString();
    stderr += text;
    output += text;
    notify();
  });
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), opts.timeoutMs ?? DEFAULT_PULUMI_TIMEOUT_MS);
  let exited: PulumiResult | undefined;
  const result = new Promise<PulumiResult>((resolve, reject) => {
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === "ENOENT" ? new Error("pulumi is not on PATH: run the tests under scripts/with-tools") : e);
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      const endedAt = performance.now();
      exited = { command, status, signal, stdout, stderr, output, durationMs: Math.round(endedAt - started), endedAt };
      resolve(exited);
      notify();
    });
  });
  const handle: PulumiProcess = {
    command,
    pid: child.pid ?? -1,
    result,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    get output() {
      return output;
    },
    waitForOutput: (pattern, options = {}) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timeoutMs = options.timeoutMs ?? DEFAULT_OUTPUT_TIMEOUT_MS;
        const re = new RegExp(pattern.source, pattern.flags.replace("g", ""));
        const done = () => {
          watchers.delete(check);
          clearTimeout(deadline);
        };
        const check = () => {
          const match = re.exec(stdout) ?? re.exec(stderr);
          if (match) {
            done();
            resolve(match);
          } else if (exited) {
            done();
            reject(new Error(`${pattern} never appeared in the output\n${describeResult(exited)}`));
          }
        };
        const deadline = setTimeout(() => {
          done();
          reject(new Error(`${pattern} did not appear within ${timeoutMs} ms in the output of \`${command}\`\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
    kill: (signal = "SIGKILL") => killGroup(child, signal),
  };
  return handle;
}

/** Runs a `pulumi` command to its end (see {@link runPulumi}); never throws for a failing command. */
export function pulumi(work: Pick<WorkDir, "dir" | "env">, args: readonly string[], opts: PulumiOptions = {}): Promise<PulumiResult> {
  return runPulumi(work, args, opts).result;
}

/** Runs a `pulumi` command and throws (with its output) unless it exits 0. */
export async function pulumiOk(work: Pick<WorkDir, "dir" | "env">, args: readonly string[], opts: PulumiOptions = {}): Promise<PulumiResult> {
  return expectOk(await pulumi(work, args, opts));
}

/** A readable account of a command's result, for assertion messages. */
export function describeResult(r: PulumiResult): string {
  const how = r.status === null ? `was killed by ${r.signal ?? "?"}` : `exited with ${r.status}`;
  return `\`${r.command}\` ${how} after ${r.durationMs} ms\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Throws (with the command's output) unless it exited with status 0; returns the result otherwise. */
export function expectOk(r: PulumiResult): PulumiResult {
  if (r.status !== 0) throw new Error(describeResult(r));
  return r;
}

/** Throws (with the command's output) unless it exited with a non-zero status (a kill is not a failure). */
export function expectFailure(r: PulumiResult): PulumiResult {
  if (r.status === 0 || r.status === null) throw new Error(`expected a non-zero exit\n${describeResult(r)}`);
  return r;
}

/** Stack configuration: plain values and secrets, keys with their namespace (`instanceRefresh:endpoint`). */
export interface StackConfig {
  readonly plain?: Readonly<Record<string, string | number | boolean>>;
  readonly secret?: Readonly<Record<string, string>>;
}

/** Where a stack is made: a work directory, or a directory and environment of one's own. */
export type StackHome = Pick<WorkDir, "dir" | "env"> & Partial<Pick<WorkDir, "secretsProvider">>;

/** The arguments of `pulumi stack init <stack>` in `work`, with its secrets provider. */
export function stackInitArgs(work: StackHome, stack: string): string[] {
  return ["stack", "init", stack, "--secrets-provider", work.secretsProvider ?? "passphrase"];
}

/** Sets every value of `config` with one `pulumi config set-all` (does nothing when it is empty). */
export async function setConfig(work: Pick<WorkDir, "dir" | "env">, config: StackConfig, opts: PulumiOptions = {}): Promise<void> {
  const args = ["config", "set-all"];
  for (const [k, v] of Object.entries(config.plain ?? {})) args.push("--plaintext", `${k}=${String(v)}`);
  for (const [k, v] of Object.entries(config.secret ?? {})) args.push("--secret", `${k}=${v}`);
  if (args.length > 2) await pulumiOk(work, args, opts);
}

/**
 * `pulumi stack init <stack>` (which selects it) with the work directory's secrets provider (the
 * passphrase provider when it names none), then its config in one `config set-all`.
 */
export async function initStack(work: StackHome, stack: string, config: StackConfig = {}, opts: PulumiOptions = {}): Promise<void> {
  await pulumiOk(work, stackInitArgs(work, stack), { ...opts, stack: undefined });
  await setConfig(work, config, opts);
}

/** `pulumi stack output --json --show-secrets`, parsed. */
export async function stackOutputs(work: Pick<WorkDir, "dir" | "env">, opts: PulumiOptions = {}): Promise<Record<string, unknown>> {
  return JSON.parse((await pulumiOk(work, ["stack", "output", "--json", "--show-secrets"], opts)).stdout) as Record<string, unknown>;
}

/** The parts of `pulumi stack export` the tests read. */
export interface StackExport {
  deployment: {
    resources?: Array<{ urn: string; type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
    pending_operations?: Array<{ resource: { urn: string }; type: string }>;
  };
}

/** `pulumi stack export` as text (secrets stay encrypted unless `showSecrets`). */
export async function exportStackText(work: Pick<WorkDir, "dir" | "env">, opts: PulumiOptions & { showSecrets?: boolean } = {}): Promise<string> {
  return (await pulumiOk(work, ["stack", "export", ...(opts.showSecrets ? ["--show-secrets"] : [])], opts)).stdout;
}

/** `pulumi stack export --show-secrets`, parsed. */
export async function exportStack(work: Pick<WorkDir, "dir" | "env">, opts: PulumiOptions = {}): Promise<StackExport> {
  return JSON.parse(await exportStackText(work, { ...opts, showSecrets: true })) as StackExport;
}

/** Sends `signal` to a child started in its own process group, and to that whole group. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * SIGKILLs every process whose environment has `PULUMI_HOME=<homeDir>`: what a work directory's
 * commands left running. The engine starts each plugin (the language host, the dynamic-provider
 * host) in a process group of its own, so killing `pulumi`'s group leaves them behind. Returns the
 * pids killed.
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

/**
 * Fails (throws) unless the real-CLI toolchain is ready: a `pulumi` CLI on PATH (a real-CLI suite
 * must never pass by skipping; `npm test` runs under `scripts/with-tools`), and
 * `node_modules/pulumi-instance-refresh` built from the current sources (see buildStamp.ts).
 */
export function requirePulumiCli(): void {
  const r = spawnSync("pulumi", ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  if (r.status !== 0) throw new Error("no `pulumi` CLI on PATH: run this suite under scripts/with-tools (npm test does)");
  assertFreshBuild(REPO_ROOT);
}
