/**
 * The failure matrix (the scenarios; the test files `failures-*.test.ts` run them), with the real Pulumi CLI on the emulator: for each way a `pulumi up` can end
 * badly, what comes after it — `pulumi refresh`, the next `pulumi up`, a replace (a trigger change)
 * and `pulumi destroy` — succeeds or fails with a clear message, and leaves state and cloud right.
 *
 * Every scenario runs its bad `up` twice, on two stacks of one project on two groups, concurrently:
 * one stack then walks refresh → next up → destroy, the other replace → destroy. The test sets the
 * emulator's pace: `manual` while an `up` must be caught waiting (`immediate` for the endings that
 * need no catching), then one transition per poll for what follows.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningEmulator } from "../../emulator";
import { expectFailure, expectOk, killStrays, requirePulumiCli, type PulumiProcess } from "../helpers/pulumi";
import { createStack, emulatorConfig, startTestEmulator, type TestStack } from "../helpers/scenario";

/** Pace of the commands after a bad `up`: one transition per poll of the refresh. */
const FOLLOW_UP_PACE = { mode: "afterDescribes", describes: 1 } as const;

/** Time limit of one scenario: two bad `up`s and five commands after them. */
const SCENARIO_TIMEOUT_MS = 180_000;

/** One InstanceRefresh `rollout`, every input from stack config (numbers and booleans as JSON). */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { InstanceRefresh } = require("pulumi-instance-refresh");
const config = new pulumi.Config();
const json = (key, fallback) => { const v = config.get(key); return v === undefined ? fallback : JSON.parse(v); };
const refresh = new InstanceRefresh("rollout", {
  autoScalingGroupId: config.require("groupId"),
  refreshSettings: { rollingUpdateSettings: { batchNumber: 2, failProcess: config.get("failProcess") } },
  paused: json("paused", undefined),
  triggers: { imageId: config.get("imageId") || "img-00000001" },
  wait: { until: config.get("waitUntil") || "settled", timeoutSeconds: json("timeoutSeconds", 120) },
  adoptActivityId: config.get("adoptActivityId"),
});
module.exports = { id: refresh.id, status: refresh.status, rollbackActivityId: refresh.rollbackActivityId };
`;

/** How a scenario's `up` ends badly, and what that leaves. */
export interface BadEnding {
  readonly name: string;
  /** Config of the stack before the bad `up`. */
  readonly config?: Record<string, string | number>;
  /** Prepares the group (before `up`). */
  readonly before?: (emu: RunningEmulator, groupId: string) => Promise<void>;
  /** What happens while `up` waits, once the refresh runs (pace is manual then). */
  readonly during?: (ctx: { emu: RunningEmulator; activityId: string; up: { kill(signal: NodeJS.Signals): void } }) => Promise<void>;
  /** Pace of the bad `up`. */
  readonly pace: "manual" | "immediate";
  /** Whether the bad `up` fails (false: it ends but leaves a paused refresh). */
  readonly upFails: boolean;
  /** A line the bad `up`'s output must hold. */
  readonly upSays: RegExp;
  /** Status recorded in state after the bad `up`. */
  readonly recorded: string;
  /** Whether the activity is still in flight afterwards (so destroy and replace must cancel it). */
  readonly inFlight: boolean;
  /** Status after the next `up`, and whether it sends a mutating call. */
  readonly nextUp: { readonly status: string; readonly sends?: string };
}

/** One failed attempt of the group's first instance: the bad `up` fails on it, any later attempt succeeds. */
const failOnce = async (emu: RunningEmulator, groupId: string) => {
  const [first] = (await emu.admin.group(groupId)).instanceIds;
  await emu.admin.failInstance(first!, "boot disk checksum mismatch", { count: 1 });
};

/** Every way an `up` ends badly that the matrix walks. */
export const ENDINGS: readonly BadEnding[] = [
  {
    name: "failed instances, failProcess AUTO_PAUSE",
    before: failOnce,
    pace: "immediate",
    upFails: true,
    upSays: /Instance refresh asr-\w+ on asg-\w+ is FAILED_PAUSE at batch \d\/2.*boot disk checksum mismatch/s,
    recorded: "FAILED_PAUSE",
    inFlight: true,
    nextUp: { status: "SUCCESSFUL", sends: "ResumeInstanceRefresh" }, // RETRY: the failure was one attempt
  },
  {
    name: "failed instances, failProcess AUTO_CANCEL",
    config: { failProcess: "AUTO_CANCEL" },
    before: failOnce,
    pace: "immediate",
    upFails: true,
    upSays: /is CANCELLED at batch \d\/2/,
    recorded: "CANCELLED",
    inFlight: false,
    nextUp: { status: "CANCELLED" },
  },
  {
    name: "failed instances, failProcess AUTO_ROLLBACK",
    config: { failProcess: "AUTO_ROLLBACK" },
    before: failOnce,
    pace: "immediate",
    upFails: true,
    upSays: /AUTO_ROLLBACK started rollback activity asr-\w+/,
    recorded: "FAILED",
    inFlight: false,
    nextUp: { status: "FAILED" },
  },
  {
    name: "a cancel in the console",
    pace: "manual",
    during: async ({ emu, activityId }) => void (await emu.admin.consoleCancel(activityId)),
    upFails: true,
    upSays: /is CANCELLED at batch 1\/2/,
    recorded: "CANCELLED",
    inFlight: false,
    nextUp: { status: "CANCELLED" },
  },
  {
    name: "a pause in the console",
    pace: "manual",
    during: async ({ emu, activityId }) => void (await emu.admin.consolePause(activityId)),
    upFails: false,
    upSays: /MANUAL_PAUSE/,
    recorded: "MANUAL_PAUSE",
    inFlight: true,
    nextUp: { status: "SUCCESSFUL", sends: "ResumeInstanceRefresh" }, // paused: false in the program
  },
  {
    name: "the wait timing out",
    config: { timeoutSeconds: 2 },
    pace: "manual",
    upFails: true,
    upSays: /timed out after 2 s waiting for asr-\w+ to settle; it is RUNNING at batch 1\/2/,
    recorded: "RUNNING",
    inFlight: true,
    nextUp: { status: "SUCCESSFUL" },
  },
  {
    name: "an API outage past the tolerance",
    config: { "instanceRefresh:outageToleranceSeconds": 2 },
    pace: "manual",
    during: async ({ emu }) => void (await emu.admin.injectFault({ action: "DescribeRefreshActivities", code: "InternalError" })),
    upFails: true,
    // "(no answer)" when the tolerance ran out before the client's own retries surfaced an error (a slow machine).
    upSays: /the API did not answer for \d+ s \((last error: .*InternalError.*|no answer)\), more than instanceRefresh:outageToleranceSeconds \(2 s\).*run `pulumi up` again once the API answers/s,
    recorded: "RUNNING",
    inFlight: true,
    nextUp: { status: "SUCCESSFUL" },
  },
  {
    name: "Ctrl-C",
    pace: "manual",
    during: async ({ up }) => up.kill("SIGINT"),
    upFails: true,
    upSays: /pulumi was cancelled \(Ctrl-C\) while waiting for asr-\w+; it is RUNNING at batch 1\/2/,
    recorded: "RUNNING",
    inFlight: true,
    nextUp: { status: "SUCCESSFUL" },
  },
];

let emu: RunningEmulator;
const stacks: TestStack[] = [];

let hooked = false;

/** Registers the file's hooks once: one emulator for all its scenarios, and every stack removed at the end. */
function useEmulator(name: string): void {
  if (hooked) return;
  hooked = true;
  beforeAll(async () => {
    requirePulumiCli();
    emu = await startTestEmulator({ name });
  });
  afterAll(async () => {
    for (const s of stacks) {
      killStrays(s.work.homeDir);
      s.remove();
    }
    await emu?.stop();
  });
}

/** A fresh stack of {@link PROGRAM} on a fresh 4-instance group. */
async function freshStack(prefix: string, config: Record<string, string | number> = {}): Promise<{ stack: TestStack; groupId: string }> {
  const { groupId } = await emu.admin.seedGroup({ instanceCount: 4 });
  const stack = await createStack({ prefix, program: PROGRAM, config: emulatorConfig(emu, { groupId, ...config }) });
  stacks.push(stack);
  return { stack, groupId };
}

/** The recorded InstanceRefresh of a stack (from `pulumi stack export`). */
async function recorded(stack: TestStack): Promise<{ id?: string; outputs: Record<string, unknown> } | undefined> {
  const state = await stack.exportState();
  const resource = state.deployment.resources?.find((r) => r.type === "pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh");
  return resource && { id: resource.id, outputs: resource.outputs ?? {} };
}

/** Calls of `action` on `activityId` in the request log. */
async function callsOn(action: string, activityId: string): Promise<number> {
  return (await emu.admin.requests({ action })).filter((r) => r.params.RefreshActivityId === activityId).length;
}

/** A bad `up` caught while its refresh runs (pace manual), or already over (pace immediate). */
interface BadRun {
  readonly stack: TestStack;
  readonly groupId: string;
  readonly activityId: string;
  readonly up: PulumiProcess;
}

/** Starts the bad `up` of `ending` on a fresh stack, and returns once its refresh started (and runs batch 1, pace manual). */
async function startBadUp(ending: BadEnding, prefix: string): Promise<BadRun> {
  const { stack, groupId } = await freshStack(prefix, ending.config);
  await ending.before?.(emu, groupId);
  const up = stack.start(["up", "--yes", "--skip-preview"]);
  const [, activityId] = await up.waitForOutput(/(asr-\w+): started \(StartInstanceRefresh/);
  if (ending.pace === "manual") {
    await emu.admin.stepActivity(activityId!); // INIT → batch 1 RUNNING, and no further
    await up.waitForOutput(/batch 1\/2 RUNNING/);
  }
  return { stack, groupId, activityId: activityId!, up };
}

/** StartInstanceRefresh calls on a group, any outcome. */
async function startsOn(groupId: string): Promise<number> {
  return (await emu.admin.requests({ action: "StartInstanceRefresh" })).filter((r) => r.params.AutoScalingGroupId === groupId).length;
}

/**
 * The scenarios of the named endings, one after the other (they share the emulator's pace), after
 * the file's emulator starts.
 * @example describeEndings("failures-instances", ["failed instances, failProcess AUTO_PAUSE"]);
 */
export function describeEndings(file: string, names: readonly string[]): void {
  useEmulator(file);
  const endings = names.map((name) => {
    const ending = ENDINGS.find((e) => e.name === name);
    if (!ending) throw new Error(`no ending named "${name}"`);
    return ending;
  });
  describe.each(endings)("after $name", (ending) => {
    test("refresh, the next up and destroy work; so do a replace and its destroy", { timeout: SCENARIO_TIMEOUT_MS }, async () => {
      await emu.admin.setPace({ mode: ending.pace });
      // A refresh still in flight changes with every command, so the replace gets a stack of its own;
      // an ended one does not, and one stack walks all four. Every stack is caught running before any
      // meets its ending (an outage would otherwise stop the other's start).
      const runs = await Promise.all((ending.inFlight ? ["fail-a", "fail-b"] : ["fail"]).map((prefix) => startBadUp(ending, prefix)));
      await Promise.all(runs.map((run) => ending.during?.({ emu, activityId: run.activityId, up: run.up })));
      const results = await Promise.all(runs.map((run) => run.up.result));
      const a = runs[0]!;
      const b = runs[1] ?? a;
      await emu.admin.clearFaults();
      // From here each refresh moves only when its own provider polls it: a refresh in flight stays in flight until a command acts.
      await emu.admin.setPace(FOLLOW_UP_PACE);

      for (const [i, result] of results.entries()) {
        const activityId = runs[i]!.activityId;
        if (ending.upFails) expectFailure(result);
        else expectOk(result);
        expect(result.output).toMatch(ending.upSays);
        expect(result.output).toContain(activityId);
        expect(result.output).not.toMatch(/code must be a string|TypeError|stack trace/i);
      }
      // The bad `up` recorded the resource, with the engine's __provider, so every command can load the provider.
      const state = await recorded(a.stack);
      expect(state?.id).toBe(a.activityId);
      expect(state?.outputs.status).toBe(ending.recorded);
      expect(typeof state?.outputs.__provider).toBe("string");

      // Stack A: refresh → next up (→ destroy, when the replace has a stack of its own).
      expectOk(await a.stack.run(["refresh", "--yes", "--skip-preview"]));
      const refreshed = await recorded(a.stack);
      expect(refreshed?.id).toBe(a.activityId);
      const next = expectOk(await a.stack.run(["up", "--yes", "--skip-preview"]));
      expect(await recorded(a.stack)).toMatchObject({ id: a.activityId, outputs: { status: ending.nextUp.status } });
      if (ending.nextUp.sends) expect(await callsOn(ending.nextUp.sends, a.activityId)).toBe(1);
      else expect(next.output).not.toMatch(/— (Stop|Resume|Cancel)InstanceRefresh/);
      expect(await startsOn(a.groupId)).toBe(1); // never a second refresh
      if (b !== a) {
        const destroyA = expectOk(await a.stack.run(["destroy", "--yes", "--skip-preview"]));
        expect(await recorded(a.stack)).toBeUndefined();
        // The next up converged every refresh still in flight: nothing is left to cancel.
        expect(destroyA.output).toMatch(/already SUCCESSFUL .*before the delete reached it; nothing to cancel/);
      }

      // Stack B: replace (a new image) → destroy.
      await b.stack.config({ imageId: "img-00000002" });
      const replace = expectOk(await b.stack.run(["up", "--yes", "--skip-preview"]));
      const replaced = await recorded(b.stack);
      expect(replaced?.id).not.toBe(b.activityId);
      expect(await startsOn(b.groupId)).toBe(2);
      expect(replaced?.outputs.status).toBe("SUCCESSFUL");
      expect((await emu.admin.activity(b.activityId)).Status).toBe(ending.inFlight ? "CANCELLED" : ending.recorded);
      expect(await callsOn("CancelInstanceRefresh", b.activityId)).toBe(ending.inFlight ? 1 : 0);
      if (!ending.inFlight) expect(replace.output).toMatch(/before the delete reached it; nothing to cancel/);
      expectOk(await b.stack.run(["destroy", "--yes", "--skip-preview"]));
      expect(await recorded(b.stack)).toBeUndefined();
    });
  });
}

/** The SIGKILL scenario: recovery of an `up` killed while it waits. */
export function describeSigkill(file: string): void {
  useEmulator(file);
  describe("after SIGKILL", () => {
    test("the next up names the orphaned refresh without taking it over; adoptActivityId recovers it; destroy works", { timeout: SCENARIO_TIMEOUT_MS }, async () => {
      await emu.admin.setPace({ mode: "manual" });
      const { stack, groupId } = await freshStack("fail-kill");
      const up = stack.start(["up", "--yes", "--skip-preview"]);
      const [, activityId] = await up.waitForOutput(/(asr-\w+): started \(StartInstanceRefresh/);
      await emu.admin.stepActivity(activityId!);
      await up.waitForOutput(/batch 1\/2 RUNNING/);
      up.kill("SIGKILL");
      await up.result;

      killStrays(stack.work.homeDir);
      expect((await emu.admin.activity(activityId!)).Status).toBe("RUNNING"); // the refresh goes on in the cloud

      expectOk(await stack.run(["cancel", "--yes"]));
      expectOk(await stack.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]));
      const conflict = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(conflict.output).toContain(`already has refresh activity ${activityId}`);
      expect(conflict.output).toContain(`adoptActivityId: "${activityId}"`);
      expect(await startsOn(groupId)).toBe(1); // nothing new started

      await emu.admin.setPace(FOLLOW_UP_PACE);
      await stack.config({ adoptActivityId: activityId! });
      const adopted = expectOk(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(adopted.output).toContain(`${activityId}: adopted (adoptActivityId)`);
      expect(await recorded(stack)).toMatchObject({ id: activityId, outputs: { status: "SUCCESSFUL" } });
      expectOk(await stack.run(["preview", "--expect-no-changes"]));
      expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
    });
  });
}

/** Two stacks on one group, their `up`s racing. */
export function describeRace(file: string): void {
  useEmulator(file);
  describe("two stacks on one group", () => {
    test("racing ups: the loser gets a conflict naming the winner's refresh, adopts nothing, and destroying it cancels nothing", { timeout: SCENARIO_TIMEOUT_MS }, async () => {
      await emu.admin.setPace({ mode: "manual" });
      const { stack: first, groupId } = await freshStack("race-a");
      const second = await createStack({ prefix: "race-b", program: PROGRAM, config: emulatorConfig(emu, { groupId }) });
      stacks.push(second);
      const ups = [first, second].map((s) => s.start(["up", "--yes", "--skip-preview"]));
      const loserIndex = await Promise.race(ups.map((up, i) => up.result.then(() => i)));
      const loser = ups[loserIndex]!;
      const winner = ups[1 - loserIndex]!;
      const [, winnerId] = await winner.waitForOutput(/(asr-\w+): started \(StartInstanceRefresh/);
      const lost = expectFailure(await loser.result);
      expect(lost.output).toContain(`group ${groupId} already has refresh activity ${winnerId}`);
      expect(lost.output).toContain(`adoptActivityId: "${winnerId}"`);
      expect(lost.output).not.toMatch(/adopted/);

      await emu.admin.setPace(FOLLOW_UP_PACE);
      expectOk(await winner.result);
      const accepted = (await emu.admin.requests({ action: "StartInstanceRefresh" })).filter((r) => r.params.AutoScalingGroupId === groupId && r.code === "OK");
      expect(accepted).toHaveLength(1);

      const [winnerStack, loserStack] = loserIndex === 0 ? [second, first] : [first, second];
      expect(await recorded(loserStack)).toBeUndefined();
      expectOk(await loserStack.run(["destroy", "--yes", "--skip-preview"]));
      expect(await callsOn("CancelInstanceRefresh", winnerId!)).toBe(0);
      expect(await recorded(winnerStack)).toMatchObject({ id: winnerId, outputs: { status: "SUCCESSFUL" } });
    });
  });
}

/**
 * A pause then a cancel in the console, each read by `pulumi refresh`, with `wait.until: "started"`:
 * the refresh records `paused: true`, then CANCELLED; every later `up` succeeds and sends nothing.
 */
export function describePauseThenCancel(file: string): void {
  useEmulator(file);
  describe("a console pause, refresh, a console cancel, refresh", () => {
    test("then every up succeeds, sending nothing, and preview shows no change", { timeout: SCENARIO_TIMEOUT_MS }, async () => {
      await emu.admin.setPace({ mode: "manual" });
      const { stack } = await freshStack("pause-cancel", { waitUntil: "started" });
      const up = stack.start(["up", "--yes", "--skip-preview"]);
      const [, activityId] = await up.waitForOutput(/(asr-\w+): started \(StartInstanceRefresh/);
      await emu.admin.stepActivity(activityId!);
      expectOk(await up.result);
      await emu.admin.consolePause(activityId!);
      const paused = expectOk(await stack.run(["refresh", "--yes", "--skip-preview"]));
      expect(paused.output).toContain(`${activityId}: MANUAL_PAUSE outside Pulumi; paused is now true in state`);
      await emu.admin.consoleCancel(activityId!);
      const cancelled = expectOk(await stack.run(["refresh", "--yes", "--skip-preview"]));
      expect(cancelled.output).toContain(`${activityId}: CANCELLED; \`pulumi up\` will not restart it`);
      for (let i = 0; i < 2; i++) {
        const next = expectOk(await stack.run(["up", "--yes", "--skip-preview"]));
        expect(next.output).not.toMatch(/— (Stop|Resume|Cancel|Start)InstanceRefresh/);
      }
      expect(await recorded(stack)).toMatchObject({ id: activityId, outputs: { status: "CANCELLED", paused: false } });
      expect((await emu.admin.requests({ action: "ResumeInstanceRefresh" })).filter((r) => r.params.RefreshActivityId === activityId)).toEqual([]);
      expectOk(await stack.run(["preview", "--expect-no-changes"]));
    });
  });
}
