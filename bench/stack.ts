/**
 * Real-CLI plumbing of the figures: an emulator in a child process, and a work directory holding one
 * JavaScript program and its stacks. Commands run through the one Pulumi runner of the project,
 * `test/helpers/pulumi.ts` (shared with the real-CLI tests); programs come from
 * `test/helpers/programs.ts`.
 *
 * Work directories live inside the repository (`bench/.work/`, git-ignored) so that Node resolves
 * `pulumi-instance-refresh` and `@pulumi/pulumi` from the repository's `node_modules`, the way a
 * user's program resolves them from its own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, spawnEmulator, type EmulatorAdmin } from "../emulator";
import {
  REPO_ROOT,
  exportStack,
  initStack,
  makeWorkDir,
  pulumi,
  pulumiOk,
  runPulumi,
  stackOutputs,
  writeProgram,
  type PulumiOptions,
  type PulumiProcess,
  type PulumiResult,
  type StackConfig,
  type StackExport,
  type WorkDir,
} from "../test/helpers/pulumi";

export { REPO_ROOT };
export {
  alicloudRefreshProgram,
  essGroupIds,
  groupIds,
  noopProgram,
  refreshProgram,
  type AlicloudRefreshProgramOptions,
  type RefreshProgramOptions,
} from "../test/helpers/programs";
export { MUTATING_ACTIONS, seedEssGroups, seedGroups } from "../test/helpers/scenario";
export { describeResult, expectOk, killGroup, killStrays, processesOf, type PulumiResult, type StackExport } from "../test/helpers/pulumi";

/** Parent of the benchmark work directories. */
export const BENCH_WORK_ROOT = path.join(REPO_ROOT, "bench", ".work");
/** Region passed to the provider (the emulator accepts any). */
export const REGION = "ap-guangzhou";
/** Region of the Alibaba Cloud provider: the emulator's ESS groups are seeded there (its default), and found only there. */
export const ESS_REGION = "cn-hangzhou";
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
  /** The AccessKey pair its Alibaba Cloud ESS API accepts (the CLI's defaults). */
  readonly essAccessKeyId: string;
  readonly essAccessKeySecret: string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/** Flags of the emulator CLI (see emulator/README.md). */
export interface EmulatorFlags {
  secondsPerBatch?: number;
  /** `--ess-wave-seconds`: one Alibaba Cloud ESS wave (Pending takes half of it). */
  essWaveSeconds?: number;
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
  if (flags.essWaveSeconds !== undefined) args.push("--ess-wave-seconds", String(flags.essWaveSeconds));
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
    essAccessKeyId: DEFAULT_ACCESS_KEY_ID,
    essAccessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
    stop: emulator.stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Work directories

/** A work directory holding one program (`index.js`) and its stacks, with its own backend and PULUMI_HOME. */
export class PulumiWork {
  private constructor(private readonly work: WorkDir, private readonly name: string) {}

  /** A fresh `<root>/<prefix>-<random>` holding a project named after `prefix` with `index.js` = `program`. */
  static create(prefix: string, program: string, root = BENCH_WORK_ROOT): PulumiWork {
    // The passphrase provider, as a user's stack has: the figures include its key derivation.
    const work = new PulumiWork(makeWorkDir(prefix, { root, secrets: "passphrase" }), prefix);
    work.writeProgram(program);
    return work;
  }

  get dir(): string {
    return this.work.dir;
  }
  get homeDir(): string {
    return this.work.homeDir;
  }

  /** Replaces the program (and its Pulumi.yaml / package.json). */
  writeProgram(program: string): void {
    writeProgram(this.work.dir, { name: this.name, files: { "index.js": program } });
  }

  /** Starts `pulumi <args>` on the selected stack (see `runPulumi`); await `.result`. */
  start(args: readonly string[], opts: PulumiOptions = {}): PulumiProcess {
    return runPulumi(this.work, args, { timeoutMs: PULUMI_TIMEOUT_MS, ...opts });
  }
  /** Runs `pulumi <args>` to its end; never throws for a failing command. */
  run(args: readonly string[], opts: PulumiOptions = {}): Promise<PulumiResult> {
    return pulumi(this.work, args, { timeoutMs: PULUMI_TIMEOUT_MS, ...opts });
  }
  /** Like {@link run}, but throws with the output unless the command exits 0. */
  must(args: readonly string[], opts: PulumiOptions = {}): Promise<PulumiResult> {
    return pulumiOk(this.work, args, { timeoutMs: PULUMI_TIMEOUT_MS, ...opts });
  }
  /** `pulumi stack init <stack>` and its config in one `config set-all`. */
  initStack(stack: string, config: StackConfig = {}): Promise<void> {
    return initStack(this.work, stack, config);
  }
  /** `pulumi stack export --show-secrets`, parsed. */
  exportState(): Promise<StackExport> {
    return exportStack(this.work);
  }
  /** `pulumi stack output --json --show-secrets`, parsed. */
  outputs(): Promise<Record<string, unknown>> {
    return stackOutputs(this.work);
  }
  /** Kills what is left of its commands, deletes the directory. */
  remove(): void {
    this.work.remove();
  }
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

/**
 * Stack config pointing the Alibaba Cloud provider (`AlicloudInstanceRefresh`) at an emulator: its
 * endpoint, `alicloud:region` and the AccessKey pair as secrets (the bridged `alicloud` provider's
 * keys, what a user sets).
 */
export function essEmulatorConfig(
  emu: { url: string; essAccessKeyId: string; essAccessKeySecret: string },
  extra: Record<string, string> = {},
): { plain: Record<string, string>; secret: Record<string, string> } {
  return {
    plain: { "instanceRefresh:alicloudEndpoint": emu.url, "alicloud:region": ESS_REGION, ...extra },
    secret: { "alicloud:accessKey": emu.essAccessKeyId, "alicloud:secretKey": emu.essAccessKeySecret },
  };
}
