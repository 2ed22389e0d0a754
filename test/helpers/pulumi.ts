/**
 * Helpers for tests that drive the real Pulumi CLI.
 *
 * Run such tests under `scripts/with-tools` (e.g. `scripts/with-tools npx vitest run test/smoke`),
 * which puts Node 22, the `pulumi` CLI, this project's Node.js language host and the dynamic-provider
 * plugin on PATH. Every work directory made here gets its own file backend and PULUMI_HOME, so tests
 * never share stacks with each other or with a developer's `.pulumi-local`.
 *
 * Typical use:
 * ```ts
 * const work = makeWorkDir("e2e");
 * writeProgram(work.dir, { name: "demo", files: { "index.js": "..." } });
 * expectOk(pulumi(work, ["stack", "init", "dev"]));
 * expectOk(pulumi(work, ["up", "--yes", "--skip-preview"]));
 * work.remove();
 * ```
 */
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (where `package.json` and `node_modules` live). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Parent of all test work directories. It is inside the repository on purpose: programs and policy
 * packs written below it resolve `@pulumi/pulumi` and `@pulumi/policy` from the repository's
 * `node_modules`, the way Node.js looks packages up. It is git-ignored.
 */
export const WORK_ROOT = path.join(REPO_ROOT, "test", ".work");

/** Default time limit for one `pulumi` command. */
export const DEFAULT_PULUMI_TIMEOUT_MS = 180_000;

/** A throwaway directory for one test, with the Pulumi backend and home it uses. */
export interface WorkDir {
  /** The directory itself: write programs and policy packs in it (or below it). */
  readonly dir: string;
  /** The file backend's directory, `<dir>/.backend` (`PULUMI_BACKEND_URL=file://...`). */
  readonly backendDir: string;
  /** The `PULUMI_HOME` used by commands run in this work directory, `<dir>/.pulumi-home`. */
  readonly homeDir: string;
  /** Environment for `pulumi` commands run in this work directory (see {@link pulumiEnv}). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Deletes the whole work directory, backend and home included. Safe to call twice. With
   * `PIR_KEEP_WORK=1` in the environment it keeps the directory (and says where it is) for debugging.
   */
  remove(): void;
}

/**
 * Makes a fresh work directory `test/.work/<prefix>-<random>` with an empty file backend and Pulumi
 * home of its own. Call {@link WorkDir.remove} (e.g. in `afterAll`) when done.
 */
export function makeWorkDir(prefix = "e2e"): WorkDir {
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  const dir = path.join(WORK_ROOT, `${prefix}-${crypto.randomBytes(4).toString("hex")}`);
  const backendDir = path.join(dir, ".backend");
  const homeDir = path.join(dir, ".pulumi-home");
  fs.mkdirSync(backendDir, { recursive: true });
  fs.mkdirSync(homeDir, { recursive: true });
  return {
    dir,
    backendDir,
    homeDir,
    env: pulumiEnv({ backendDir, homeDir }),
    remove: () => {
      if (process.env.PIR_KEEP_WORK === "1") console.info(`PIR_KEEP_WORK=1: keeping ${dir}`);
      else removeWorkDir(dir);
    },
  };
}

/** Deletes a work directory made by {@link makeWorkDir}; refuses any path outside {@link WORK_ROOT}. */
export function removeWorkDir(dir: string): void {
  const resolved = path.resolve(dir);
  if (!resolved.startsWith(WORK_ROOT + path.sep)) {
    throw new Error(`refusing to remove ${resolved}: not under ${WORK_ROOT}`);
  }
  fs.rmSync(resolved, { recursive: true, force: true });
}

/**
 * The environment for an offline, non-interactive `pulumi` run against a local file backend: the
 * current environment plus `PULUMI_BACKEND_URL`, `PULUMI_HOME`, an empty `PULUMI_CONFIG_PASSPHRASE`,
 * and switches that turn off update checks, plugin downloads and prompts. `extra` wins.
 */
export function pulumiEnv(
  where: { backendDir: string; homeDir: string },
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${where.backendDir}`,
    PULUMI_HOME: where.homeDir,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
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
  name: string;
  /** Source files, e.g. `{ "index.js": "..." }`. */
  files: Record<string, string>;
  /** Entry point, relative to the program directory; default `index.ts` if given, else `index.js`. */
  main?: string;
  /** `runtime.options` for Pulumi.yaml, e.g. `{ typescript: true }` or `{ nodeargs: "--trace-warnings" }`. */
  runtimeOptions?: Record<string, string | boolean>;
}

/**
 * Writes a Node.js Pulumi project into `dir`: `Pulumi.yaml` (`runtime: nodejs`), a minimal
 * `package.json` and the given files.
 *
 * The `package.json` matters: without one, the SDK's program runner takes the nearest one above,
 * the repository's, and would run its `main` instead of the test program. It has no dependencies;
 * `@pulumi/pulumi` resolves from the repository's `node_modules`.
 */
export function writeProgram(dir: string, spec: ProgramSpec): void {
  const main = spec.main ?? ("index.ts" in spec.files ? "index.ts" : "index.js");
  const runtime = spec.runtimeOptions
    ? [
        "runtime:",
        "  name: nodejs",
        "  options:",
        ...Object.entries(spec.runtimeOptions).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`),
      ]
    : ["runtime: nodejs"];
  writeFiles(dir, {
    "Pulumi.yaml": [`name: ${spec.name}`, ...runtime, ""].join("\n"),
    "package.json": JSON.stringify({ name: spec.name, private: true, main }, null, 2) + "\n",
    ...spec.files,
  });
}

/** The outcome of one `pulumi` command. */
export interface PulumiResult {
  /** The command line, for messages: `pulumi up --yes ...`. */
  command: string;
  /** Exit code; `null` when the command was killed (see `signal`, e.g. on timeout). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock duration in milliseconds. */
  durationMs: number;
}

/** Options for {@link pulumi}. */
export interface PulumiOptions {
  /** Working directory; default: the work directory. */
  cwd?: string;
  /** Extra environment variables, on top of the work directory's environment. */
  env?: NodeJS.ProcessEnv;
  /** Time limit; default {@link DEFAULT_PULUMI_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * Runs `pulumi <args> --non-interactive --color=never` in the work directory (or `opts.cwd`) with the
 * work directory's backend and home, and returns its exit status and output. It never throws for a
 * failing command: check with {@link expectOk} or read `status`.
 */
export function pulumi(work: Pick<WorkDir, "dir" | "env">, args: string[], opts: PulumiOptions = {}): PulumiResult {
  const fullArgs = [...args, "--non-interactive", "--color=never"];
  const started = Date.now();
  const res = spawnSync("pulumi", fullArgs, {
    cwd: opts.cwd ?? work.dir,
    env: { ...work.env, ...opts.env },
    encoding: "utf8",
    timeout: opts.timeoutMs ?? DEFAULT_PULUMI_TIMEOUT_MS,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error && (res.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error("pulumi is not on PATH: run the tests under scripts/with-tools");
  }
  return {
    command: ["pulumi", ...fullArgs].join(" "),
    status: res.status,
    signal: res.signal,
    stdout: res.stdout ?? "",
    stderr: res.stderr ?? "",
    durationMs: Date.now() - started,
  };
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

/** Throws (with the command's output) unless it exited with a non-zero status. */
export function expectFailure(r: PulumiResult): PulumiResult {
  if (r.status === 0 || r.status === null) throw new Error(`expected a non-zero exit\n${describeResult(r)}`);
  return r;
}

/** `pulumi stack output --json` of the current stack, parsed. */
export function stackOutputs(work: Pick<WorkDir, "dir" | "env">, opts: PulumiOptions = {}): Record<string, unknown> {
  const r = expectOk(pulumi(work, ["stack", "output", "--json", "--show-secrets"], opts));
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/**
 * Fails (throws) unless a `pulumi` CLI is on PATH: a real-CLI suite must never pass by skipping.
 * `npm test` runs under `scripts/with-tools`, which provides the CLI.
 */
export function requirePulumiCli(): void {
  const r = spawnSync("pulumi", ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  if (r.status !== 0) {
    throw new Error("no `pulumi` CLI on PATH: run this suite under scripts/with-tools (npm test does)");
  }
}
