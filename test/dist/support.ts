/**
 * Helpers of the distribution tests (test/dist): commands run asynchronously with a clean npm
 * environment, a "fresh clone" of the working tree, and the fenced code blocks of a Markdown file.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

/** The outcome of one {@link run}. */
export interface RunResult {
  /** The command line, for messages. */
  readonly command: string;
  /** Exit code; `null` when it was killed (timeout). */
  readonly status: number | null;
  /** Everything it wrote to stdout. */
  readonly stdout: string;
  /** Everything it wrote to stderr. */
  readonly stderr: string;
  /** Wall-clock duration, ms. */
  readonly durationMs: number;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Working directory. */
  readonly cwd: string;
  /** The whole environment of the command. @default npmEnv() */
  readonly env?: NodeJS.ProcessEnv;
  /** Time limit; on expiry the command's process group is SIGKILLed. @default 120000 */
  readonly timeoutMs?: number;
}

/**
 * Runs `file args` in a process group of its own and resolves when it exits and its output is closed
 * (never rejects for a failing command; see {@link ok}).
 * @example ok(await run("npm", ["pack"], { cwd: clone }));
 */
export function run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const command = [file, ...args].join(" ");
  const started = performance.now();
  const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? npmEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, options.timeoutMs ?? 120_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ command, status, stdout, stderr, durationMs: Math.round(performance.now() - started) });
    });
  });
}

/** Throws with the command's output unless it exited 0. */
export function ok(r: RunResult): RunResult {
  if (r.status !== 0) {
    throw new Error(`\`${r.command}\` exited with ${r.status} after ${r.durationMs} ms\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
  return r;
}

/**
 * The environment of npm commands run as a user would: this process's, without what an enclosing
 * `npm test` exports (`npm_*`, `INIT_CWD`) or a git hook would (`GIT_DIR`…), preferring the local npm
 * cache (no registry round trip for packages already there), with no audit, fund or update notices.
 */
export function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === "INIT_CWD" || /^GIT_(DIR|WORK_TREE|INDEX_FILE)$/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    ...extra,
  };
}

/**
 * Copies the working tree of the repository at `repo` into `dest` as a fresh clone of it would be:
 * tracked and untracked files, without what .gitignore excludes (no node_modules, no dist/).
 */
export function copyWorkingTree(repo: string, dest: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repo, encoding: "utf8", env: npmEnv() })
    .split("\0")
    .filter((f) => f !== "");
  for (const f of files) {
    const from = path.join(repo, f);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet in the index
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, f));
    fs.chmodSync(path.join(dest, f), fs.statSync(from).mode);
  }
}

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The info string: `sh`, `ts`, `js`, `yaml`… */
  readonly lang: string;
  /** The text between the fences, with its final newline. */
  readonly text: string;
}

/** The fenced code blocks of `markdown`, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, text: m[2]! }));
}

/**
 * The part of `markdown` from the heading line `heading` (e.g. `### Install`) to the next heading
 * of the same or a higher level; throws when the heading is missing.
 */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no "${heading}" heading`);
  const level = /^#+/.exec(heading)![0].length;
  let end = start + 1;
  while (end < lines.length && !new RegExp(`^#{1,${level}} `).test(lines[end]!)) end++;
  return lines.slice(start, end).join("\n");
}

/** The files of an npm tarball, without the leading `package/`, sorted. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && !f.endsWith("/"))
    .map((f) => f.replace(/^package\//, ""))
    .sort();
}

/** Every file under `dir`, relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}
