/**
 * Fault suite through the real Pulumi CLI and the emulator (in this process): a faulty API, a
 * `pulumi up` killed mid-wait, a table of malformed programs, and wrong credentials.
 *
 * Every test drives `pulumi` in its own work directory under test/.work with a file backend; the
 * tests of this file run one after another (each starts the engine, a language host and the
 * provider). Run alone: `scripts/with-tools npx vitest run test/faults`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { ChildProcess } from "node:child_process";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  MUTATING_ACTIONS,
  PulumiWork,
  REPO_ROOT,
  describeRun,
  emulatorConfig,
  groupIds,
  killGroup,
  killStrays,
  processesOf,
  refreshProgram,
  seedGroups,
  type RunResult,
} from "../../bench/stack";
import { requirePulumiCli } from "../helpers/pulumi";

/** Work directories of these tests (git-ignored). */
const WORK_ROOT = path.join(REPO_ROOT, "test", ".work");
/** Per-test limit: several CLI commands, each starting the engine, a language host and the provider. */
const TEST_TIMEOUT_MS = 300_000;
/** Probability of each of the four injected faults; together about 20% of responses are faulty. */
const FAULT_PROBABILITY = 0.055;
/** Latency of the slow-response fault, ms; above the provider's request timeout below. */
const FAULT_LATENCY_MS = 2_000;
/**
 * The provider's request timeout under faults, ms: shorter than the injected latency, so a slow
 * StartInstanceRefresh times out at the client *after* the emulator has executed it — the case where
 * a blind re-send would start a second refresh.
 */
const FAULT_REQUEST_TIMEOUT_MS = 1_500;
/** Emulator pace (all tests), seconds per batch. */
const SECONDS_PER_BATCH = 1;
/**
 * Batches (= instances, at SECONDS_PER_BATCH) of the refreshes that must still be running after a
 * whole `pulumi up` (faults test) or after the recovery steps (SIGKILL test), with room for a loaded machine.
 */
const RUNNING_BATCHES = 120;
const KILLED_BATCHES = 40;
/** Previews of the bad-input table run this many at a time (2 cores). */
const BAD_INPUT_PARALLELISM = 3;
/** An orphaned provider host checks its engine every 3 s; allow a few checks on a loaded machine. */
const ORPHAN_EXIT_WITHIN_MS = 15_000;

requirePulumiCli();

let emu: RunningEmulator;
let work: PulumiWork | undefined;

beforeAll(async () => {
  emu = await startEmulator({ secondsPerBatch: SECONDS_PER_BATCH, fixture: false, rateLimit: true });
});
afterAll(() => emu?.stop());
afterEach(() => {
  work?.remove();
  work = undefined;
});

/** Successful calls of an action so far. */
async function okCalls(action: string): Promise<number> {
  return (await emu.admin.counters())[action]?.byCode.OK ?? 0;
}

/** Calls of mutating actions so far, any outcome. */
async function mutatingCalls(): Promise<number> {
  const counters = await emu.admin.counters();
  return MUTATING_ACTIONS.reduce((sum, a) => sum + (counters[a]?.total ?? 0), 0);
}

/** Activities the emulator holds for a group. */
function activitiesOf(groupId: string) {
  return [...emu.backend.state.activities.values()].filter((a) => a.groupId === groupId);
}

function expectExit(r: RunResult, code: 0 | "failure"): void {
  if (code === 0) expect(r.code, describeRun(r)).toBe(0);
  else expect(r.code !== 0 && r.code !== null, describeRun(r)).toBe(true);
}

describe("fault suite (real CLI + emulator)", () => {
  test(
    "20% faulty responses: up of 10 refreshes succeeds with exactly one activity per group; destroy cancels them all",
    async () => {
      // 6 refreshes stop at an AUTO_PAUSE gate after batch 1 (up waits for it); 4 long ones are
      // only started (wait until "started") and still run when destroy comes (Stop, then Cancel).
      await emu.admin.reset({ empty: true });
      const gated = groupIds(6, "fg");
      const running = groupIds(4, "fr");
      await seedGroups(emu.admin, gated, 4);
      await seedGroups(emu.admin, running, RUNNING_BATCHES);
      const program = `"use strict";
const { InstanceRefresh } = require("pulumi-instance-refresh");
const gated = ${JSON.stringify(gated)}.map((g, i) => new InstanceRefresh("gated" + i, {
  autoScalingGroupId: g,
  refreshSettings: { rollingUpdateSettings: { batchNumber: 2, batchPause: "FIRST_BATCH_PAUSE" } },
}));
const running = ${JSON.stringify(running)}.map((g, i) => new InstanceRefresh("running" + i, {
  autoScalingGroupId: g,
  refreshSettings: { rollingUpdateSettings: { batchNumber: ${RUNNING_BATCHES} } },
  wait: { until: "started" },
}));
exports.gated = gated.map((r) => r.status);
exports.running = running.map((r) => r.status);
`;
      work = PulumiWork.create("faults", program, WORK_ROOT);
      await work.initStack("dev", emulatorConfig(emu, { "instanceRefresh:requestTimeoutMs": String(FAULT_REQUEST_TIMEOUT_MS) }));
      for (const fault of [{ code: "RequestLimitExceeded" }, { code: "InternalError" }, { latencyMs: FAULT_LATENCY_MS }, { drop: true }]) {
        await emu.admin.injectFault({ ...fault, probability: FAULT_PROBABILITY });
      }

      const up = await work.run(["up", "--yes", "--skip-preview"]);
      const afterUp = await emu.admin.counters();
      const total = Object.values(afterUp).reduce((s, c) => s + c.total, 0);
      const faulty = Object.values(afterUp).reduce((s, c) => s + c.total - (c.byCode.OK ?? 0), 0);
      console.info(`faults: up ${Math.round(up.ms)} ms, ${total} requests, ${faulty} answered with a fault or dropped; counters ${JSON.stringify(afterUp)}`);
      expectExit(up, 0);
      expect(faulty, "faults were injected").toBeGreaterThan(0);
      // No duplicate StartInstanceRefresh: exactly one activity per group, ten successful Starts.
      expect(afterUp.StartInstanceRefresh?.byCode.OK).toBe(10);
      for (const g of [...gated, ...running]) expect(activitiesOf(g).map((a) => a.id), g).toHaveLength(1);
      const outputs = await work.outputs();
      expect(outputs.gated).toEqual(Array(6).fill("AUTO_PAUSE"));
      for (const s of outputs.running as string[]) expect(["INIT", "RUNNING"]).toContain(s);

      const destroy = await work.run(["destroy", "--yes"]);
      expectExit(destroy, 0);
      const statuses = [...gated, ...running].map((g) => `${g} ${activitiesOf(g)[0]!.status}`);
      expect(statuses).toEqual([...gated, ...running].map((g) => `${g} CANCELLED`));
      expect(await okCalls("StartInstanceRefresh")).toBe(10);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "pulumi up killed with SIGKILL while waiting: cancel + refresh --clear-pending-creates + up converge on the same activities",
    async () => {
      await emu.admin.reset({ empty: true });
      const groups = groupIds(3, "k");
      await seedGroups(emu.admin, groups, KILLED_BATCHES);
      work = PulumiWork.create("sigkill", refreshProgram({ groupIds: groups, batchNumber: KILLED_BATCHES }), WORK_ROOT);
      await work.initStack("dev", emulatorConfig(emu));

      let child: ChildProcess | undefined;
      const killed = work.run(["up", "--yes", "--skip-preview"], { onSpawn: (c) => (child = c) });
      const deadline = Date.now() + 120_000;
      while ((await okCalls("StartInstanceRefresh")) < groups.length) {
        if (Date.now() > deadline) throw new Error(`the refreshes did not start:\n${describeRun(await killed)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 1_000)); // waiting now
      killGroup(child!, "SIGKILL");
      const dead = await killed;
      expect(dead.signal, describeRun(dead)).toBe("SIGKILL");
      // The engine runs plugins in process groups of their own, so the provider host outlives the
      // killed CLI; it notices the engine is gone and exits by itself (provider/orphanGuard.ts).
      const hostsGone = Date.now() + ORPHAN_EXIT_WITHIN_MS;
      while (processesOf(work.homeDir).some((p) => p.cmdline.includes("dynamic-provider")) && Date.now() < hostsGone) {
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(processesOf(work.homeDir).filter((p) => p.cmdline.includes("dynamic-provider")), "orphaned provider hosts").toEqual([]);
      // Whatever else is left (the language host), as a crashed machine would.
      const strays = killStrays(work.homeDir);
      console.info(`sigkill: killed ${strays.length} orphaned plugin process(es) of the killed pulumi up`);
      const original = groups.map((g) => activitiesOf(g)[0]!);
      for (const a of original) expect(["INIT", "RUNNING"]).toContain(a.status);

      // What the engine left: a lock and three pending CREATE operations, no resource.
      const locked = await work.run(["up", "--yes", "--skip-preview"]);
      expectExit(locked, "failure");
      expect(locked.stdout + locked.stderr).toMatch(/locked/);
      // The documented recovery (docs/recovery.md).
      expectExit(await work.run(["cancel", "--yes"]), 0);
      const state = await work.exportState();
      expect((state.deployment.pending_operations ?? []).map((p) => p.type)).toEqual(["creating", "creating", "creating"]);
      expectExit(await work.run(["refresh", "--yes", "--clear-pending-creates"]), 0);
      expect((await work.exportState()).deployment.pending_operations ?? []).toEqual([]);
      const up = await work.run(["up", "--yes", "--skip-preview"]);
      expectExit(up, 0);
      expect(up.stdout).toMatch(/adopted/);

      // Converged on the running activities: no second Start, nothing cancelled, ids kept.
      expect(await okCalls("StartInstanceRefresh")).toBe(groups.length);
      for (const g of groups) expect(activitiesOf(g), g).toHaveLength(1);
      const outputs = await work.outputs();
      expect(outputs.ids).toEqual(original.map((a) => a.id));
      expect(outputs.statuses).toEqual(groups.map(() => "SUCCESSFUL"));
      expectExit(await work.run(["preview", "--expect-no-changes"]), 0);
    },
    TEST_TIMEOUT_MS,
  );

  // Documented limit (docs/recovery.md "Known limits"): create adopts only non-terminal activities —
  // a finished one cannot be told apart from an earlier rollout with the same settings — so a refresh
  // that finished while `pulumi up` was dead is started again by the recovering `up`; `adoptActivityId`
  // is the way to record the finished one instead.
  test(
    "a refresh that finished while pulumi up was dead is started again by the recovering up (documented limit)",
    async () => {
      await emu.admin.reset({ empty: true });
      const groups = groupIds(2, "z");
      await seedGroups(emu.admin, groups, 3);
      work = PulumiWork.create("finished", refreshProgram({ groupIds: groups, batchNumber: 3 }), WORK_ROOT);
      await work.initStack("dev", emulatorConfig(emu));
      let child: ChildProcess | undefined;
      const killed = work.run(["up", "--yes", "--skip-preview"], { onSpawn: (c) => (child = c) });
      while ((await okCalls("StartInstanceRefresh")) < groups.length) await new Promise((r) => setTimeout(r, 100));
      killGroup(child!, "SIGKILL");
      await killed;
      killStrays(work.homeDir);
      while (groups.some((g) => activitiesOf(g)[0]?.status !== "SUCCESSFUL")) await new Promise((r) => setTimeout(r, 200));
      expectExit(await work.run(["cancel", "--yes"]), 0);
      expectExit(await work.run(["refresh", "--yes", "--clear-pending-creates"]), 0);
      expectExit(await work.run(["up", "--yes", "--skip-preview"]), 0);
      expect(await okCalls("StartInstanceRefresh")).toBe(2 * groups.length);
      for (const g of groups) expect(activitiesOf(g).map((a) => a.status)).toEqual(["SUCCESSFUL", "SUCCESSFUL"]);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "wrong secret key: one clear authentication error, at most one call per action, nothing started",
    async () => {
      await emu.admin.reset({ empty: true });
      const [group] = groupIds(1, "w");
      await seedGroups(emu.admin, [group!], 2);
      work = PulumiWork.create("wrong-key", refreshProgram({ groupIds: [group!], batchNumber: 2 }), WORK_ROOT);
      const wrongKey = "WRONGKEY0000000000000000000000xx";
      const config = emulatorConfig(emu);
      config.secret["tencentcloud:secretKey"] = wrongKey;
      await work.initStack("dev", config);
      const up = await work.run(["up", "--yes", "--skip-preview"]);
      expectExit(up, "failure");
      const output = up.stdout + up.stderr;
      expect(output).toMatch(/rejected the credentials \(AuthFailure\.SignatureFailure/);
      expect(output).toMatch(/Nothing was retried/);
      expect(output).not.toContain(wrongKey);
      const counters = await emu.admin.counters();
      for (const [action, c] of Object.entries(counters)) expect(c.total, `${action} calls`).toBeLessThanOrEqual(1);
      expect(counters.StartInstanceRefresh?.total ?? 0).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  describe("bad inputs fail at preview, naming the property, with no mutating call", () => {
    const G = "asg-bad00001";
    const rus = (extra: string) => `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2, ${extra} } } }`;
    const top = (extra: string) => `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } }, ${extra} }`;
    const BN = "refreshSettings.rollingUpdateSettings.batchNumber";
    const MS = "refreshSettings.rollingUpdateSettings.maxSurge";
    /** [name, JavaScript expression of the resource args, property the message must name]. */
    const CASES: Array<[string, string, string]> = [
      ["batchNumber as a string", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: "3" } } }`, BN],
      ["batchNumber negative", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: -1 } } }`, BN],
      ["batchNumber zero", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 0 } } }`, BN],
      ["batchNumber fractional", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 1.5 } } }`, BN],
      ["batchNumber huge", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 1e9 } } }`, BN],
      ["batchNumber missing", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { maxSurge: 1 } } }`, BN],
      ["maxSurge negative", rus("maxSurge: -1"), MS],
      ["maxSurge fractional", rus("maxSurge: 0.5"), MS],
      ["maxSurge huge", rus("maxSurge: 1e12"), MS],
      ["batchPause unknown", rus('batchPause: "NEVER"'), "refreshSettings.rollingUpdateSettings.batchPause"],
      ["failProcess unknown", rus('failProcess: "AUTO_RETRY"'), "refreshSettings.rollingUpdateSettings.failProcess"],
      ["unknown rolling-update field", rus("batchSize: 2"), "refreshSettings.rollingUpdateSettings.batchSize"],
      ["refreshMode unknown", top('refreshMode: "ROLLING_UPDATE"'), "refreshMode"],
      ["resumeMode unknown", top('resumeMode: "SKIP"'), "resumeMode"],
      ["group id empty", `{ autoScalingGroupId: "", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
      ["group id too short", `{ autoScalingGroupId: "asg-123", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
      ["group id upper case", `{ autoScalingGroupId: "ASG-BAD00001", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
      ["group id a number", `{ autoScalingGroupId: 12345678, refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
      ["group id missing", `{ refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupId"],
      ["refreshSettings missing", `{ autoScalingGroupId: "${G}" }`, "refreshSettings"],
      ["refreshSettings a string", `{ autoScalingGroupId: "${G}", refreshSettings: "fast" }`, "refreshSettings"],
      ["rollingUpdateSettings missing", `{ autoScalingGroupId: "${G}", refreshSettings: { checkInstanceTargetHealth: true } }`, "refreshSettings.rollingUpdateSettings"],
      ["health check not a boolean", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 }, checkInstanceTargetHealth: "true" } }`, "refreshSettings.checkInstanceTargetHealth"],
      ["health check timeout too small", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 }, checkInstanceTargetHealthTimeout: 30 } }`, "refreshSettings.checkInstanceTargetHealthTimeout"],
      ["paused not a boolean", top('paused: "yes"'), "paused"],
      ["approvedBatches negative", top("approvedBatches: -1"), "approvedBatches"],
      ["wait.until unknown", top('wait: { until: "done" }'), "wait.until"],
      ["wait.timeoutSeconds zero", top("wait: { timeoutSeconds: 0 }"), "wait.timeoutSeconds"],
      ["wait.timeoutSeconds huge", top("wait: { timeoutSeconds: 1e7 }"), "wait.timeoutSeconds"],
      ["region malformed", top('region: "Guangzhou"'), "region"],
      ["adoptActivityId malformed", top('adoptActivityId: "asr-1"'), "adoptActivityId"],
      ["trigger value not a string", top("triggers: { image: 5 }"), "triggers.image"],
      ["triggers not a map", top('triggers: "img-1"'), "triggers"],
      ["unknown top-level property (typo)", `{ autoScalingGroupID: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }`, "autoScalingGroupID"],
    ];
    const program = `"use strict";
const { InstanceRefresh } = require("pulumi-instance-refresh");
// The case is a JavaScript expression, so that it can hold anything a program could pass.
new InstanceRefresh("bad", (0, eval)("(" + process.env.BAD_CASE + ")"));
`;
    let badWork: PulumiWork;
    const results = new Map<string, RunResult>();

    beforeAll(async () => {
      await emu.admin.reset({ empty: true });
      await emu.admin.seedGroup({ groupId: G, instanceCount: 4 });
      badWork = PulumiWork.create("bad-input", program, WORK_ROOT);
      await badWork.initStack("dev", emulatorConfig(emu));
      // Previews only read the stack: several run at once on the same one.
      const queue = [...CASES];
      const worker = async () => {
        for (let c = queue.shift(); c; c = queue.shift()) results.set(c[0], await badWork.run(["preview"], { env: { BAD_CASE: c[1] } }));
      };
      await Promise.all(Array.from({ length: BAD_INPUT_PARALLELISM }, worker));
    }, TEST_TIMEOUT_MS);
    afterAll(() => badWork?.remove());

    test("the table has at least 30 cases", () => {
      expect(CASES.length).toBeGreaterThanOrEqual(30);
    });

    test.each(CASES)("%s", (name, _args, property) => {
      const r = results.get(name)!;
      expectExit(r, "failure");
      // The engine prints check failures as `property <path> value … has a problem: <path> <reason>`.
      const escaped = property.replace(/\./g, "\\.");
      expect(r.stdout, describeRun(r)).toMatch(new RegExp(`has a problem: ${escaped}\\b`));
    });

    test("no API call changed anything during those previews", async () => {
      expect(await mutatingCalls()).toBe(0);
    });

    test.each([
      ["maxSurge above the batch size (4 instances in 2 batches)", rus("maxSurge: 3"), MS, /must be at most the 2 instances of one batch/],
      ["batchNumber above the group's instances", `{ autoScalingGroupId: "${G}", refreshSettings: { rollingUpdateSettings: { batchNumber: 5 } } }`, BN, /must be at most the group's 4 in-service instances/],
    ])(
      "%s: passes preview, fails at up before any mutating call",
      async (_name, args, property, reason) => {
        const preview = await badWork.run(["preview"], { env: { BAD_CASE: args } });
        expectExit(preview, 0);
        const up = await badWork.run(["up", "--yes", "--skip-preview"], { env: { BAD_CASE: args } });
        expectExit(up, "failure");
        expect(up.stdout + up.stderr).toContain(property);
        expect(up.stdout + up.stderr).toMatch(reason);
        expect(up.stdout + up.stderr).toMatch(/nothing was started/);
        expect(await mutatingCalls()).toBe(0);
        expect(activitiesOf(G)).toHaveLength(0);
      },
      TEST_TIMEOUT_MS,
    );
  });
});
