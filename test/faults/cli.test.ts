/**
 * Fault suite through the real Pulumi CLI and the emulator: a faulty API, a `pulumi up` killed
 * mid-wait, malformed programs, and wrong credentials.
 *
 * Each test has its own emulator (in this process) and work directory, and sets the emulator's pace:
 * nothing waits on wall time. Fault probabilities are drawn from a seeded PRNG; the seed is printed
 * (replay with `PIR_SEED=<seed>`). The whole bad-input table runs as a unit table over the same check
 * code (badInput.test.ts); the few cases here show the engine prints those failures and sends nothing.
 * Run alone: `scripts/with-tools npx vitest run test/faults`.
 */
import { beforeAll, describe, expect, test, type TestContext } from "vitest";
import type { FaultSpec, Pace, RunningEmulator } from "../../emulator";
import { groupIds, refreshProgram } from "../helpers/programs";
import { describeResult, expectFailure, expectOk, killStrays, processesOf, requirePulumiCli, type PulumiResult } from "../helpers/pulumi";
import { createStack, emulatorConfig, mutatingCalls, seedGroups, startTestEmulator, waitForRequest, whileRunning } from "../helpers/scenario";
import { BAD_INPUT_GROUP, CLI_BAD_INPUT_CASES, UP_TIME_CASES } from "./badInputCases";

/** Per-test limit: several CLI commands, each starting the engine, a language host and the provider. */
const TEST_TIMEOUT_MS = 240_000;
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
/** Default seed of the faulty-API run's fault draws (printed; `PIR_SEED` overrides it). */
const FAULT_SEED = 20_260_411;
/** Batches (= instances) of refreshes that must still be running when a later command comes. */
const LONG_BATCHES = 12;
/** An orphaned provider host checks its engine every 3 s; allow a few checks on a loaded machine. */
const ORPHAN_EXIT_WITHIN_MS = 15_000;
/** One transition per describe: a refresh moves exactly as fast as the provider polls it. */
const ONE_STEP_PER_POLL: Pace = { mode: "afterDescribes", describes: 1 };

beforeAll(() => requirePulumiCli());

/** An emulator and a stack of `program` for one test, both removed when it ends. */
async function setup(ctx: TestContext, name: string, program: string, options: { seed?: number; config?: Record<string, string>; secretKey?: string } = {}) {
  const emu = await startTestEmulator({ name: `faults ${name}`, seed: options.seed });
  ctx.onTestFinished(() => emu.stop());
  // A wrong key goes in stack config, which wins over the environment's right one.
  const config = { ...emulatorConfig(emu, options.config), ...(options.secretKey ? { secret: { "tencentcloud:secretKey": options.secretKey } } : {}) };
  const stack = await createStack({ prefix: `faults-${name}`, program, config });
  ctx.onTestFinished(() => stack.remove());
  return { emu, admin: emu.admin, stack };
}

/** Successful calls of an action so far. */
async function okCalls(emu: RunningEmulator, action: string): Promise<number> {
  return (await emu.admin.counters())[action]?.byCode.OK ?? 0;
}

/** Activities the emulator holds for a group, oldest first. */
function activitiesOf(emu: RunningEmulator, groupId: string) {
  return [...emu.backend.state.activities.values()].filter((a) => a.groupId === groupId);
}

/** Kills a `pulumi up` and what it left (its plugins run in process groups of their own). */
async function killUp(up: { kill(signal?: NodeJS.Signals): void; result: Promise<PulumiResult> }): Promise<PulumiResult> {
  up.kill("SIGKILL");
  const dead = await up.result;
  expect(dead.signal, describeResult(dead)).toBe("SIGKILL");
  return dead;
}

describe.concurrent("fault suite (real CLI + emulator)", () => {
  test(
    "20% faulty responses, every kind of fault firing: up of 10 refreshes succeeds with exactly one activity per group; destroy cancels them all",
    async (ctx) => {
      // 6 refreshes stop at an AUTO_PAUSE gate after batch 1 (up waits for it); 4 long ones are only
      // started (wait until "started") and still run when destroy comes (Stop, then Cancel).
      const gated = groupIds(6, "fg");
      const running = groupIds(4, "fr");
      const program = `"use strict";
const { InstanceRefresh } = require("pulumi-instance-refresh");
const gated = ${JSON.stringify(gated)}.map((g, i) => new InstanceRefresh("gated" + i, {
  autoScalingGroupId: g,
  refreshSettings: { rollingUpdateSettings: { batchNumber: 2, batchPause: "FIRST_BATCH_PAUSE" } },
}));
const running = ${JSON.stringify(running)}.map((g, i) => new InstanceRefresh("running" + i, {
  autoScalingGroupId: g,
  refreshSettings: { rollingUpdateSettings: { batchNumber: ${LONG_BATCHES} } },
  wait: { until: "started" },
}));
exports.gated = gated.map((r) => r.status);
exports.running = running.map((r) => r.status);
`;
      const { emu, admin, stack } = await setup(ctx, "faulty", program, { seed: FAULT_SEED, config: { "instanceRefresh:requestTimeoutMs": String(FAULT_REQUEST_TIMEOUT_MS) } });
      const seed = emu.seed;
      await seedGroups(admin, gated, 4);
      await seedGroups(admin, running, LONG_BATCHES);
      await admin.setPace(ONE_STEP_PER_POLL);
      // Each kind once for sure, where it hurts most (a Start that times out at the client after it
      // ran; a Stop refused with a 5xx; a dropped poll; a throttled group lookup) …
      const once: Array<[kind: string, FaultSpec]> = [
        ["latency", { action: "StartInstanceRefresh", latencyMs: FAULT_LATENCY_MS, count: 1 }],
        ["InternalError", { action: "StopInstanceRefresh", code: "InternalError", count: 1 }],
        ["drop", { action: "DescribeRefreshActivities", drop: true, count: 1 }],
        ["RequestLimitExceeded", { action: "DescribeAutoScalingGroups", code: "RequestLimitExceeded", count: 1 }],
      ];
      // … and each with FAULT_PROBABILITY on every request, drawn from the seeded PRNG.
      const random: Array<[kind: string, FaultSpec]> = [
        ["RequestLimitExceeded", { code: "RequestLimitExceeded", probability: FAULT_PROBABILITY }],
        ["InternalError", { code: "InternalError", probability: FAULT_PROBABILITY }],
        ["latency", { latencyMs: FAULT_LATENCY_MS, probability: FAULT_PROBABILITY }],
        ["drop", { drop: true, probability: FAULT_PROBABILITY }],
      ];
      const onceIds = new Map<number, string>();
      const randomIds = new Map<number, string>();
      for (const [kind, spec] of once) onceIds.set((await admin.injectFault(spec)).id, kind);
      for (const [kind, spec] of random) randomIds.set((await admin.injectFault(spec)).id, kind);

      const up = await stack.run(["up", "--yes", "--skip-preview"]);
      const fired = async () => {
        const rules = await admin.faults();
        const counts: Record<string, number> = {};
        for (const [id, kind] of onceIds) if (!rules.some((r) => r.id === id)) counts[kind] = (counts[kind] ?? 0) + 1; // a used-up rule is gone
        for (const r of rules) if (randomIds.has(r.id)) counts[randomIds.get(r.id)!] = (counts[randomIds.get(r.id)!] ?? 0) + r.hits;
        return counts;
      };
      const afterUp = await admin.counters();
      const total = Object.values(afterUp).reduce((s, c) => s + c.total, 0);
      console.info(`faults (seed ${seed}): up ${up.durationMs} ms, ${total} requests; faults fired by kind ${JSON.stringify(await fired())}; counters ${JSON.stringify(afterUp)}`);
      expectOk(up);
      // No duplicate StartInstanceRefresh: exactly one activity per group, ten successful Starts.
      expect(afterUp.StartInstanceRefresh?.byCode.OK).toBe(10);
      for (const g of [...gated, ...running]) expect(activitiesOf(emu, g).map((a) => a.id), g).toHaveLength(1);
      const outputs = await stack.outputs();
      expect(outputs.gated).toEqual(Array(6).fill("AUTO_PAUSE"));
      expect(outputs.running, "past INIT, still running").toEqual(Array(4).fill("RUNNING"));

      expectOk(await stack.run(["destroy", "--yes"]));
      const statuses = [...gated, ...running].map((g) => `${g} ${activitiesOf(emu, g)[0]!.status}`);
      expect(statuses).toEqual([...gated, ...running].map((g) => `${g} CANCELLED`));
      expect(await okCalls(emu, "StartInstanceRefresh")).toBe(10);
      const byKind = await fired();
      console.info(`faults (seed ${seed}): after destroy, faults fired by kind ${JSON.stringify(byKind)}`);
      for (const kind of ["RequestLimitExceeded", "InternalError", "latency", "drop"]) expect(byKind[kind] ?? 0, `${kind} faults fired`).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "pulumi up killed with SIGKILL while waiting: the orphaned provider exits; after cancel + refresh --clear-pending-creates, up names the running refreshes instead of starting or taking them over, and adoptActivityId converges on them",
    async (ctx) => {
      const groups = groupIds(3, "k");
      const { emu, admin, stack } = await setup(ctx, "sigkill", refreshProgram({ groupIds: groups, batchNumber: LONG_BATCHES, adoptFromConfig: true }));
      await seedGroups(admin, groups, LONG_BATCHES);
      await admin.setPace({ mode: "manual" }); // the refreshes stay in INIT while up waits on them

      const killed = stack.start(["up", "--yes", "--skip-preview"]);
      await whileRunning(killed, waitForRequest(admin, "StartInstanceRefresh", { code: "OK", count: groups.length }));
      // Waiting now: the poller describes the three activities.
      const described = (await admin.requests({ action: "DescribeRefreshActivities" })).length;
      await whileRunning(killed, waitForRequest(admin, "DescribeRefreshActivities", { count: described + 2 }));
      await killUp(killed);
      // The engine runs plugins in process groups of their own, so the provider host outlives the
      // killed CLI; it notices the engine is gone and exits by itself (provider/core/orphanGuard.ts).
      const hostsGone = Date.now() + ORPHAN_EXIT_WITHIN_MS;
      const hosts = () => processesOf(stack.work.homeDir).filter((p) => p.cmdline.includes("dynamic-provider"));
      while (hosts().length > 0 && Date.now() < hostsGone) await new Promise((r) => setTimeout(r, 250));
      expect(hosts(), "orphaned provider hosts").toEqual([]);
      // Whatever else is left (the language host), as a crashed machine would.
      const strays = killStrays(stack.work.homeDir);
      console.info(`sigkill: killed ${strays.length} orphaned plugin process(es) of the killed pulumi up`);
      const original = groups.map((g) => activitiesOf(emu, g)[0]!);
      expect(original.map((a) => a.status)).toEqual(groups.map(() => "INIT"));

      // What the engine left: a lock and three pending CREATE operations, no resource.
      const locked = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(locked.stdout + locked.stderr).toMatch(/locked/);
      // The documented recovery (docs/recovery.md).
      await stack.must(["cancel", "--yes"]);
      expect(((await stack.exportState()).deployment.pending_operations ?? []).map((p) => p.type)).toEqual(["creating", "creating", "creating"]);
      await stack.must(["refresh", "--yes", "--clear-pending-creates"]);
      expect((await stack.exportState()).deployment.pending_operations ?? []).toEqual([]);
      // From here on the refreshes move one step per poll.
      await admin.setPace(ONE_STEP_PER_POLL);
      const named = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      for (const a of original) expect(named.stdout + named.stderr).toContain(`adoptActivityId: "${a.id}"`);
      expect(await okCalls(emu, "StartInstanceRefresh"), "neither started again nor taken over").toBe(groups.length);
      await stack.config(Object.fromEntries(original.map((a, i) => [`adopt${i}`, a.id])));
      const up = await stack.up();
      expect(up.stdout).toMatch(/adopted \(adoptActivityId\)/);

      // Converged on the running activities: no second Start, nothing cancelled, ids kept.
      expect(await okCalls(emu, "StartInstanceRefresh")).toBe(groups.length);
      for (const g of groups) expect(activitiesOf(emu, g), g).toHaveLength(1);
      const outputs = await stack.outputs();
      expect(outputs.ids).toEqual(original.map((a) => a.id));
      expect(outputs.statuses).toEqual(groups.map(() => "SUCCESSFUL"));
      await stack.must(["preview", "--expect-no-changes"]);
    },
    TEST_TIMEOUT_MS,
  );

  // Documented limit (docs/recovery.md "Known limits"): create adopts only non-terminal activities —
  // a finished one cannot be told apart from an earlier rollout with the same settings — so a refresh
  // that finished while `pulumi up` was dead is started again by the recovering `up`; `adoptActivityId`
  // is the way to record the finished one instead.
  test(
    "a refresh that finished while pulumi up was dead is started again by the recovering up (documented limit)",
    async (ctx) => {
      const groups = groupIds(2, "z");
      const { emu, admin, stack } = await setup(ctx, "finished", refreshProgram({ groupIds: groups, batchNumber: 3 }));
      await seedGroups(admin, groups, 3);
      await admin.setPace({ mode: "manual" });
      const killed = stack.start(["up", "--yes", "--skip-preview"]);
      await whileRunning(killed, waitForRequest(admin, "StartInstanceRefresh", { code: "OK", count: groups.length }));
      await killUp(killed);
      killStrays(stack.work.homeDir);
      await admin.setPace({ mode: "immediate" }); // both refreshes run to their end, with no one watching
      expect(groups.map((g) => activitiesOf(emu, g)[0]?.status)).toEqual(["SUCCESSFUL", "SUCCESSFUL"]);
      await stack.must(["cancel", "--yes"]);
      await stack.must(["refresh", "--yes", "--clear-pending-creates"]);
      await stack.up();
      expect(await okCalls(emu, "StartInstanceRefresh")).toBe(2 * groups.length);
      for (const g of groups) expect(activitiesOf(emu, g).map((a) => a.status)).toEqual(["SUCCESSFUL", "SUCCESSFUL"]);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "wrong secret key: one clear authentication error, at most one call per action, nothing started, the key never printed",
    async (ctx) => {
      const [group] = groupIds(1, "w");
      const wrongKey = "WRONGKEY0000000000000000000000xx";
      const { admin, stack } = await setup(ctx, "wrong-key", refreshProgram({ groupIds: [group!], batchNumber: 2 }), { secretKey: wrongKey });
      await seedGroups(admin, [group!], 2);
      const up = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      const output = up.stdout + up.stderr;
      expect(output).toMatch(/rejected the credentials \(AuthFailure\.SignatureFailure/);
      expect(output).toMatch(/Nothing was retried/);
      expect(output).not.toContain(wrongKey);
      const counters = await admin.counters();
      for (const [action, c] of Object.entries(counters)) expect(c.total, `${action} calls`).toBeLessThanOrEqual(1);
      expect(counters.StartInstanceRefresh?.total ?? 0).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "bad inputs fail at preview naming the property (a wrong type, an unknown enum value, a missing field, a typo), with no mutating call",
    async (ctx) => {
      const program = `"use strict";
const { InstanceRefresh } = require("pulumi-instance-refresh");
// The case is a JavaScript expression, so that it can hold anything a program could pass.
new InstanceRefresh("bad", (0, eval)("(" + process.env.BAD_CASE + ")"));
`;
      const { admin, stack } = await setup(ctx, "bad-input", program);
      await admin.seedGroup({ groupId: BAD_INPUT_GROUP, instanceCount: 4 });
      // Previews only read the stack: they run at once on the same one.
      const results = await Promise.all(CLI_BAD_INPUT_CASES.map(([, args]) => stack.run(["preview"], { env: { BAD_CASE: args } })));
      CLI_BAD_INPUT_CASES.forEach(([name, , property], n) => {
        const r = results[n]!;
        expect(r.status, `${name}\n${describeResult(r)}`).not.toBe(0);
        expect(r.status, `${name}\n${describeResult(r)}`).not.toBeNull();
        // The engine prints check failures as `property <path> value … has a problem: <path> <reason>`.
        expect(r.stdout, `${name}\n${describeResult(r)}`).toMatch(new RegExp(`has a problem: ${property.replace(/\./g, "\\.")}\\b`));
      });
      expect(await admin.requests(), "a failed check sends nothing at all").toEqual([]);

      // One that needs the group's size: it passes preview and fails at up, before any mutating call.
      const [, args, property, reason] = UP_TIME_CASES.find(([name]) => name.startsWith("batchNumber above"))!;
      expectOk(await stack.run(["preview"], { env: { BAD_CASE: args } }));
      const up = expectFailure(await stack.run(["up", "--yes", "--skip-preview"], { env: { BAD_CASE: args } }));
      expect(up.stdout + up.stderr).toContain(property);
      expect(up.stdout + up.stderr).toMatch(reason);
      expect(up.stdout + up.stderr).toMatch(/nothing was started/);
      expect(await mutatingCalls(admin)).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
