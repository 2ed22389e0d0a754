/**
 * Real-CLI scenarios: an emulator for one test file (in this process, its pace and faults under the
 * test's control, its randomness seeded and printed) and Pulumi stacks wired to it.
 *
 * @example
 * const emu = await startTestEmulator({ name: "lifecycle" });
 * await emu.admin.setPace({ mode: "manual" });
 * const group = await emu.admin.seedGroup({ instanceCount: 4 });
 * const stack = await createStack({ prefix: "pause", program: CONFIG_DRIVEN_PROGRAM, config: emulatorConfig(emu, { groupId: group.groupId }) });
 * const up = stack.start(["up", "--yes", "--skip-preview"]);
 * await waitForRequest(emu.admin, "StartInstanceRefresh");
 * await emu.admin.finishGroupBatch(group.groupId);
 * expectOk(await up.result);
 * stack.remove(); await emu.stop();
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { startEmulator, type EmulatorAdmin, type EmulatorOptions, type RequestLogEntry, type RunningEmulator } from "../../emulator";
import {
  describeResult,
  exportStackText,
  makeWorkDir,
  pulumi,
  pulumiOk,
  runPulumi,
  setConfig,
  stackInitArgs,
  writeProgram,
  type ProgramSpec,
  type PulumiOptions,
  type PulumiProcess,
  type PulumiResult,
  type StackConfig,
  type StackExport,
  type WorkDir,
  type WorkDirOptions,
} from "./pulumi";
import { seededRandom, testSeed } from "./random";

export { testSeed };

/** Region passed to the provider (the emulator accepts any). */
export const REGION = "ap-guangzhou";
/** The ESS region of every test (the emulator's default). */
export const ESS_REGION = "cn-hangzhou";
/** Poll interval of the provider in real-CLI tests, ms: waits end soon after the emulator moves. */
export const TEST_POLL_INTERVAL_MS = 200;

/** The API actions that change state (everything else only reads). */
export const MUTATING_ACTIONS = [
  "StartInstanceRefresh",
  "StopInstanceRefresh",
  "ResumeInstanceRefresh",
  "CancelInstanceRefresh",
  "RollbackInstanceRefresh",
] as const;

/** Options of {@link startTestEmulator}: those of `startEmulator`, plus a seed. */
export interface TestEmulatorOptions extends Omit<EmulatorOptions, "random"> {
  /** Names the file or test in the printed seed. */
  readonly name: string;
  /** Seed of the fault probabilities, printed (see {@link testSeed}); pass it where faults have a probability. @default 1, not printed */
  readonly seed?: number;
}

/**
 * Starts an emulator in this process for one test file: no fixture, rate limit on, a real clock,
 * fault probabilities drawn from a seeded PRNG. Set its pace with `emu.admin.setPace`.
 */
export async function startTestEmulator(options: TestEmulatorOptions): Promise<RunningEmulator & { readonly seed: number }> {
  const { name, seed: given, ...rest } = options;
  // Printed where a test draws faults with it (it passes a seed); otherwise the PRNG draws nothing.
  const seed = given === undefined ? 1 : testSeed(`${name} emulator faults`, given);
  const emu = await startEmulator({ fixture: false, rateLimit: true, ...rest, random: seededRandom(seed) });
  return Object.assign(emu, { seed });
}

/**
 * Stack config pointing both providers (Tencent's and Alibaba's) at an emulator, plus `extra` plain values. The credentials come
 * from the environment of every test command (`pulumiEnv`: the emulator's defaults); a test of the
 * config route sets `tencentcloud:secretId` / `tencentcloud:secretKey` as secrets itself.
 */
export function emulatorConfig(
  emu: { url: string },
  extra: Readonly<Record<string, string | number | boolean>> = {},
): { plain: Record<string, string | number | boolean> } {
  return {
    plain: {
      "instanceRefresh:endpoint": emu.url,
      "instanceRefresh:alicloudEndpoint": emu.url,
      "instanceRefresh:pollIntervalMs": TEST_POLL_INTERVAL_MS,
      "tencentcloud:region": REGION,
      "alicloud:region": ESS_REGION,
      ...extra,
    },
  };
}

/** Seeds groups of `instanceCount` IN_SERVICE instances each, a few requests at a time. */
export async function seedGroups(admin: EmulatorAdmin, ids: readonly string[], instanceCount: number, concurrency = 8): Promise<void> {
  for (let i = 0; i < ids.length; i += concurrency) {
    await Promise.all(ids.slice(i, i + concurrency).map((groupId) => admin.seedGroup({ groupId, instanceCount })));
  }
}

/** Seeds ESS scaling groups (region cn-hangzhou) of `instanceCount` InService instances each, a few requests at a time. */
export async function seedEssGroups(admin: EmulatorAdmin, ids: readonly string[], instanceCount: number, concurrency = 8): Promise<void> {
  for (let i = 0; i < ids.length; i += concurrency) {
    await Promise.all(ids.slice(i, i + concurrency).map((groupId) => admin.ess.seedGroup({ groupId, instanceCount })));
  }
}

/**
 * Waits until the emulator logged `count` (default 1) requests of `action` (answered `code`, default
 * any), polling its request log; resolves with them.
 */
export async function waitForRequest(
  admin: EmulatorAdmin,
  action: string,
  options: { code?: string; count?: number; timeoutMs?: number } = {},
): Promise<RequestLogEntry[]> {
  const count = options.count ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const entries = (await admin.requests({ action })).filter((e) => options.code === undefined || e.code === options.code);
    if (entries.length >= count) return entries;
    if (Date.now() > deadline) throw new Error(`${count} ${action} request(s)${options.code ? ` answered ${options.code}` : ""} not seen; got ${entries.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Resolves with `promise`, or rejects with the command's output if the command exits first (so a
 * test waiting for something a command should cause fails at once, and says why).
 * @example await whileRunning(up, waitForRequest(admin, "StartInstanceRefresh"));
 */
export async function whileRunning<T>(proc: PulumiProcess, promise: Promise<T>): Promise<T> {
  const exited = proc.result.then((r) => Promise.reject(new Error(`the command ended first\n${describeResult(r)}`)));
  exited.catch(() => undefined); // only its race below counts
  return Promise.race([promise, exited]);
}

/** Calls of mutating actions so far, any outcome (from the counters, which only reset clears). */
export async function mutatingCalls(admin: EmulatorAdmin): Promise<number> {
  const counters = await admin.counters();
  return MUTATING_ACTIONS.reduce((sum, a) => sum + (counters[a]?.total ?? 0), 0);
}

/** Options of {@link createStack}. */
export interface CreateStackOptions {
  /** Prefix of the work directory's name (and the project's, for `program`). */
  readonly prefix: string;
  /** The program: JavaScript for `index.js`, or a whole project spec. Omit with `projectDir`. */
  readonly program?: string | ProgramSpec;
  /**
   * An existing project directory (an example) to run instead of writing one; its stack config file
   * is kept in the work directory (`--config-file`) so the repository stays clean.
   */
  readonly projectDir?: string;
  /**
   * @default "test"; with `projectDir`, the work directory's name, so that files sharing a project
   * directory never share the stack config file beside its Pulumi.yaml during `stack init`.
   */
  readonly stack?: string;
  /** Set after `stack init` (see {@link TestStack.setConfig}). */
  readonly config?: StackConfig;
  /** Parent of the work directory. @default WORK_ROOT */
  readonly root?: string;
  /** Extra environment of every command. */
  readonly env?: NodeJS.ProcessEnv;
  /** How the stack encrypts secrets (see `WorkDirOptions.secrets`). @default "test-vault" */
  readonly secrets?: WorkDirOptions["secrets"];
}

/** A stack of one project in a work directory of its own: every command runs there, on that stack. */
export class TestStack {
  /** Where the project's stack config lives when `projectDir` is an existing project. */
  readonly configFile: string | undefined;

  constructor(
    readonly work: WorkDir,
    /** The project directory the commands run in. */
    readonly projectDir: string,
    readonly name: string,
    configFile?: string,
  ) {
    this.configFile = configFile;
  }

  private opts(opts: PulumiOptions = {}): PulumiOptions {
    return { cwd: this.projectDir, stack: this.name, configFile: this.configFile, ...opts };
  }

  /** Starts `pulumi <args>` on this stack and returns at once (see `runPulumi`). */
  start(args: readonly string[], opts?: PulumiOptions): PulumiProcess {
    return runPulumi(this.work, args, this.opts(opts));
  }
  /** Runs `pulumi <args>` on this stack to its end; never throws for a failing command. */
  run(args: readonly string[], opts?: PulumiOptions): Promise<PulumiResult> {
    return pulumi(this.work, args, this.opts(opts));
  }
  /** Runs `pulumi <args>` and throws with its output unless it exits 0. */
  must(args: readonly string[], opts?: PulumiOptions): Promise<PulumiResult> {
    return pulumiOk(this.work, args, this.opts(opts));
  }
  /** `pulumi up --yes --skip-preview` (plus `args`), which must succeed. */
  up(args: readonly string[] = [], opts?: PulumiOptions): Promise<PulumiResult> {
    return this.must(["up", "--yes", "--skip-preview", ...args], opts);
  }
  /**
   * Sets config values (numbers and booleans as their JSON text): plain ones written into the stack
   * config file ({@link writePlainConfig}), secret ones with one `config set-all --secret`, which
   * encrypts them.
   */
  async setConfig(config: StackConfig): Promise<void> {
    if (config.plain) writePlainConfig(this.configPath, projectName(this.projectDir), config.plain);
    if (config.secret) await setConfig(this.work, { secret: config.secret }, this.opts());
  }
  /** Sets plain config values (a key without namespace is the project's), written into the stack config file. */
  config(values: Readonly<Record<string, string | number | boolean>>): Promise<void> {
    return this.setConfig({ plain: values });
  }
  /** The stack config file: `Pulumi.<stack>.yaml` beside Pulumi.yaml, or the one given with `--config-file`. */
  get configPath(): string {
    return this.configFile ?? path.join(this.projectDir, `Pulumi.${this.name}.yaml`);
  }
  /**
   * The stack's outputs in its last checkpoint (see {@link exportState}): what `pulumi stack output
   * --json` prints, but secret outputs stay encrypted.
   */
  async outputs(): Promise<Record<string, unknown>> {
    const root = (await this.exportState()).deployment.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
    return root?.outputs ?? {};
  }
  /**
   * The stack's last checkpoint as the file backend keeps it (the deployment `pulumi stack export`
   * prints; secrets stay encrypted), read without running a command: tests read state after most
   * commands, and a `pulumi` command costs about a tenth of a CPU-second even when it only reads.
   */
  async exportState(): Promise<StackExport> {
    const file = path.join(this.work.backendDir, ".pulumi", "stacks", projectName(this.projectDir), `${this.name}.json`);
    const text = await fs.promises.readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
    const checkpoint = text === undefined ? undefined : (JSON.parse(text) as { checkpoint?: { latest?: StackExport["deployment"] } }).checkpoint;
    return { deployment: checkpoint?.latest ?? {} };
  }
  /** The resource named `name` (the last part of its URN) in the stack's last checkpoint, when there is one. */
  async resource(name: string): Promise<NonNullable<StackExport["deployment"]["resources"]>[number] | undefined> {
    return (await this.exportState()).deployment.resources?.find((r) => r.urn.endsWith(`::${name}`));
  }
  /** `pulumi stack export` as text, secrets encrypted unless `showSecrets`. */
  exportText(showSecrets = false): Promise<string> {
    return exportStackText(this.work, { ...this.opts(), showSecrets });
  }
  /**
   * The same stack with a config file of its own, a copy of this one's (encryption salt included):
   * a test changes config there without touching what other tests of the stack see, so tests that
   * only preview can run concurrently on one deployed stack.
   */
  fork(label: string): TestStack {
    const source = this.configPath;
    const file = path.join(this.work.dir, `Pulumi.${this.name}.${label.replace(/[^A-Za-z0-9-]/g, "-")}.yaml`);
    fs.copyFileSync(source, file);
    return new TestStack(this.work, this.projectDir, this.name, file);
  }
  /** See `WorkDir.remove`: kills what is left of its commands, deletes the work directory. */
  remove(): void {
    this.work.remove();
  }
}

/**
 * Writes plain values into a stack config file as `pulumi config set-all --plaintext` stores them:
 * each value as its string, a key without namespace in the project's, the file's other entries (the
 * secrets provider's, secret values) kept. What a user does who edits `Pulumi.<stack>.yaml`, without
 * a command: `config set-all` costs about 0.14 CPU-s, and the suite set config about a hundred times.
 * @example writePlainConfig("Pulumi.test.yaml", "e2e-up", { batchNumber: 4 }) // config: { "e2e-up:batchNumber": "4" }
 */
export function writePlainConfig(file: string, project: string, values: Readonly<Record<string, string | number | boolean>>): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const settings = (yaml.load(text) ?? {}) as { config?: Record<string, unknown> };
  const config = { ...settings.config };
  for (const [key, value] of Object.entries(values)) config[key.includes(":") ? key : `${project}:${key}`] = String(value);
  fs.writeFileSync(file, yaml.dump({ ...settings, config }, { lineWidth: -1 }));
}

/** The `name:` of the project in `projectDir` (its stacks' folder in the file backend). */
function projectName(projectDir: string): string {
  const name = /^name:\s*["']?([^"'\s]+)/m.exec(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"))?.[1];
  if (!name) throw new Error(`no project name in ${path.join(projectDir, "Pulumi.yaml")}`);
  return name;
}

/**
 * Makes a work directory, writes the program (or uses `projectDir`), runs `pulumi stack init` and
 * sets `config` (see {@link TestStack.setConfig}).
 */
export async function createStack(options: CreateStackOptions): Promise<TestStack> {
  const work = makeWorkDir(options.prefix, { root: options.root, env: options.env, secrets: options.secrets });
  const name = options.stack ?? (options.projectDir ? path.basename(work.dir) : "test");
  try {
    let stack: TestStack;
    if (options.projectDir) {
      stack = new TestStack(work, options.projectDir, name, path.join(work.dir, `Pulumi.${name}.yaml`));
      await pulumiOk(work, stackInitArgs(work, name), { cwd: options.projectDir });
      // `stack init` writes the stack's encryption salt beside Pulumi.yaml (it takes no
      // --config-file): move it to the work directory so the repository stays clean.
      fs.renameSync(path.join(options.projectDir, `Pulumi.${name}.yaml`), stack.configFile!);
    } else {
      const spec = typeof options.program === "string" ? { name: options.prefix, files: { "index.js": options.program } } : options.program;
      if (!spec) throw new Error("createStack: give program or projectDir");
      writeProgram(work.dir, spec);
      stack = new TestStack(work, work.dir, name);
      await pulumiOk(work, stackInitArgs(work, name));
    }
    if (options.config) await stack.setConfig(options.config);
    return stack;
  } catch (e) {
    work.remove();
    throw e;
  }
}
