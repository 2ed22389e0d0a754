/**
 * End-to-end harness: the emulator in its own process (the `pulumi` commands run synchronously, so an
 * in-process server would be starved), a work directory with its own file backend, and a JavaScript
 * program whose InstanceRefresh is shaped by stack config — so one stack can walk through a whole
 * scenario with `pulumi config set` and `pulumi up`, as a user would.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, spawnEmulator, type SpawnedEmulator } from "../../emulator";
import { expectOk, makeWorkDir, pulumi, REPO_ROOT, writeProgram, type PulumiOptions, type PulumiResult, type WorkDir } from "../helpers/pulumi";

/** Poll interval of the provider in these tests: short, so waits end soon after the emulator moves. */
const E2E_POLL_INTERVAL_MS = 200;
/** The stack every scenario uses. */
export const STACK = "e2e";

/** An emulator running in a child process, driven through its admin API. */
export type EmulatorProcess = SpawnedEmulator;

/** Starts the compiled emulator CLI (`scripts/build.sh` made it; `npm test` runs that first) on a free port. */
export function startEmulatorProcess(options: { secondsPerBatch: number; rateLimit?: boolean }): Promise<EmulatorProcess> {
  const args = ["--seconds-per-batch", String(options.secondsPerBatch), ...(options.rateLimit === false ? ["--no-rate-limit"] : [])];
  return spawnEmulator(args, { quiet: true, cliPath: path.join(REPO_ROOT, "dist", "emulator", "cli.js") });
}

/**
 * The scenario program: one InstanceRefresh whose every input comes from stack config, so a test
 * changes one input with `pulumi config set` (numbers and booleans as JSON via `--path`-free keys).
 */
export const REFRESH_PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { InstanceRefresh } = require("pulumi-instance-refresh");
const config = new pulumi.Config();
const json = (key, fallback) => { const v = config.get(key); return v === undefined ? fallback : JSON.parse(v); };
const refresh = new InstanceRefresh("rollout", {
  autoScalingGroupId: config.require("groupId"),
  refreshMode: config.get("refreshMode"),
  refreshSettings: {
    rollingUpdateSettings: {
      batchNumber: json("batchNumber", 2),
      maxSurge: json("maxSurge", 1),
      batchPause: config.get("batchPause"),
      failProcess: config.get("failProcess"),
    },
  },
  paused: json("paused", undefined),
  resumeMode: config.get("resumeMode"),
  approvedBatches: json("approvedBatches", undefined),
  triggers: { imageId: config.get("imageId") || "img-00000001" },
  wait: { until: config.get("waitUntil") || "settled", timeoutSeconds: 120 },
});
module.exports = {
  id: refresh.id,
  status: refresh.status,
  batchCount: refresh.batchCount,
  currentBatch: refresh.currentBatch,
  instanceCounts: refresh.instanceCounts,
  failedInstances: refresh.failedInstances,
};
`;

/** A stack of {@link REFRESH_PROGRAM} on a group of the emulator, with provider config set. */
export interface Scenario {
  work: WorkDir;
  emulator: EmulatorProcess;
  groupId: string;
  /** Runs `pulumi <args>` in the program directory. */
  run(args: string[], options?: PulumiOptions): PulumiResult;
  /** Sets project config values (`pulumi config set key value`). */
  config(values: Record<string, string | number | boolean>): void;
  /** `pulumi stack output --json`. */
  outputs(): Record<string, unknown>;
  /** `pulumi stack export` as text. */
  exportText(): string;
  cleanup(): Promise<void>;
}

/**
 * Starts an emulator, seeds a group of `instanceCount` instances, writes the program and creates
 * the stack with the endpoint and the credentials (as secrets) in its config.
 */
export async function startScenario(options: {
  name: string;
  instanceCount?: number;
  secondsPerBatch?: number;
  program?: string;
}): Promise<Scenario> {
  const emulator = await startEmulatorProcess({ secondsPerBatch: options.secondsPerBatch ?? 0.5, rateLimit: true });
  const group = await emulator.admin.seedGroup({ instanceCount: options.instanceCount ?? 4 });
  const work = makeWorkDir(`e2e-${options.name}`);
  writeProgram(work.dir, { name: `e2e-${options.name}`, files: { "index.js": options.program ?? REFRESH_PROGRAM } });
  const run = (args: string[], runOptions?: PulumiOptions) => pulumi(work, args, runOptions);
  const config = (values: Record<string, string | number | boolean>) => {
    for (const [key, value] of Object.entries(values)) expectOk(run(["config", "set", key, String(value)]));
  };
  expectOk(run(["stack", "init", STACK]));
  expectOk(run(["config", "set", "instanceRefresh:endpoint", emulator.url]));
  expectOk(run(["config", "set", "instanceRefresh:pollIntervalMs", String(E2E_POLL_INTERVAL_MS)]));
  expectOk(run(["config", "set", "tencentcloud:region", "ap-guangzhou"]));
  expectOk(run(["config", "set", "--secret", "tencentcloud:secretId", DEFAULT_SECRET_ID]));
  expectOk(run(["config", "set", "--secret", "tencentcloud:secretKey", DEFAULT_SECRET_KEY]));
  config({ groupId: group.groupId });
  return {
    work,
    emulator,
    groupId: group.groupId,
    run,
    config,
    outputs: () => JSON.parse(expectOk(run(["stack", "output", "--json"])).stdout) as Record<string, unknown>,
    exportText: () => expectOk(run(["stack", "export"])).stdout,
    cleanup: async () => {
      await emulator.stop();
      work.remove();
    },
  };
}

/** Polls `check` until it returns a value (not undefined), for at most `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, stepMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** Reads a file that a test wrote into its work directory. */
export function readWorkFile(work: WorkDir, name: string): string {
  return fs.readFileSync(path.join(work.dir, name), "utf8");
}
