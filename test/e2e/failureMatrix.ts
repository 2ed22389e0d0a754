/**
 * The failure matrix (the scenarios; the test files `failures-*.test.ts` run them), with the real Pulumi CLI on the emulator: for each way a `pulumi up` can end
 * badly, what comes after it — `pulumi refresh`, the next `pulumi up`, a replace (a trigger change)
 * and `pulumi destroy` — succeeds or fails with a clear message, and leaves state and cloud right.
 *
 * When the ending leaves the refresh in flight, its bad `up` runs two refreshes, on two groups, in
 * one stack: `rollout` then walks refresh (`--target`) → next up → destroy, and `replaced` a replace
 * straight from what the bad `up` recorded → destroy; one `up` is `rollout`'s next up and
 * `replaced`'s replace. An ended refresh changes no more, and `rollout` alone walks all four. The
 * test sets the emulator's pace: `manual` while an `up` must be caught waiting (`immediate` for the
 * endings that need no catching), then one transition per poll for what follows.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningEmulator } from "../../emulator";
import { expectFailure, expectOk, killStrays, requirePulumiCli, type PulumiProcess } from "../helpers/pulumi";
import { createStack, emulatorConfig, startTestEmulator, type TestStack } from "../helpers/scenario";

/** Pace of the commands after a bad `up`: one transition per poll of the refresh. */
const FOLLOW_UP_PACE = { mode: "afterDescribes", describes: 1 } as const;

/** Time limit of one scenario: a bad `up` and up to five commands after it. */
const SCENARIO_TIMEOUT_MS = 180_000;

/**
 * InstanceRefresh `rollout` on config `groupId`, and `replaced` on `replacedGroupId` when that is
 * set, every other input from stack config (numbers and booleans as JSON); their images (the
 * trigger) are `imageId` and `replacedImageId`.
 */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { InstanceRefresh } = require("pulumi-instance-refresh");
const config = new pulumi.Config();
const json = (key, fallback) => { const v = config.get(key); return v === undefined ? fallback : JSON.parse(v); };
const refreshOf = (name, autoScalingGroupId, imageKey) => new InstanceRefresh(name, {
  autoScalingGroupId,
  refreshSettings: { rollingUpdateSettings: { batchNumber: 2, failProcess: config.get("failProcess") } },
  paused: json("paused", undefined),
  triggers: { imageId: config.get(imageKey) || "img-00000001" },
  wait: { until: config.get("waitUntil") || "settled", timeoutSeconds: json("timeoutSeconds", 120) },
  adoptActivityId: config.get("adoptActivityId"),
});
const refresh = refreshOf("rollout", config.require("groupId"), "imageId");
if (config.get("replacedGroupId")) refreshOf("replaced", config.get("replacedGroupId"), "replacedImageId");
module.exports = { id: refresh.id, status: refresh.status, rollbackActivityId: refresh.rollbackActivityId };
`;

/** In {@link BadEnding.upSays}, the id of the refresh the line is about. */
const ACTIVITY = "ACTIVITY";

/** How a scenario's `up` ends badly, and what that leaves. */
export interface BadEnding {
  readonly name: string;
  /** Config of the stack before the bad `up`. */
  readonly config?: Record<string, string | number>;
  /** Prepares the group (before `up`). */
  readonly before?: (emu: RunningEmulator, groupId: string) => Promise<void>;
  /** What happens while `up` waits, once its refreshes run (pace is manual then). */
  readonly during?: (ctx: { emu: RunningEmulator; activityIds: readonly string[]; up: { kill(signal: NodeJS.Signals): void } }) => Promise<void>;
  /** Pace of the bad `up`. */
  readonly pace: "manual" | "immediate";
  /** Whether the bad `up` fails (false: it ends but leaves a paused refresh). */
  readonly upFails: boolean;
  /** A line the bad `up`'s output must hold for each of its refreshes ({@link ACTIVITY} stands for the refresh's id). */
  readonly upSays: RegExp;
  /** Status recorded in state after the bad `up`. */
  readonly recorded: string;
  /** Whether the activity is still in flight afterwards (so destroy and replace must cancel it, and `replaced` has a group of its own). */
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
    upSays: /Instance refresh ACTIVITY on asg-\w+ is FAILED_PAUSE at batch \d\/2.*boot disk checksum mismatch/s,
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
    during: async ({ emu, activityIds }) => void (await Promise.all(activityIds.map((id) => emu.admin.consoleCancel(id)))),
    upFails: true,
    upSays: /is CANCELLED at batch 1\/2/,
    recorded: "CANCELLED",
    inFlight: false,
    nextUp: { status: "CANCELLED" },
  },
  {
    name: "a pause in the console",
    pace: "manual",
    during: async ({ emu, activityIds }) => void (await Promise.all(activityIds.map((id) => emu.admin.consolePause(id)))),
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
    upSays: /timed out after 2 s waiting for ACTIVITY to settle; it is RUNNING at batch 1\/2/,
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
    upSays: /pulumi was cancelled \(Ctrl-C\) while waiting for ACTIVITY; it is RUNNING at batch 1\/2/,
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

/** The recorded InstanceRefresh `name` of a stack (from its last checkpoint). */
async function recorded(stack: TestStack, name = "rollout"): Promise<{ urn: string; id?: string; outputs: Record<string, unknown> } | undefined> {
  const resource = await stack.resource(name);
  return resource && { urn: resource.urn, id: resource.id, outputs: resource.outputs ?? {} };
}

/** Calls of `action` on `activityId` in the request log. */
async function callsOn(action: string, activityId: string): Promise<number> {
  return (await emu.admin.requests({ action })).filter((r) => r.params.RefreshActivityId === activityId).length;
}

/** A refresh of a bad `up`: its resource, group and activity. */
interface BadRun {
  readonly name: "rollout" | "replaced";
  readonly groupId: string;
  readonly activityId: string;
}

/**
 * Starts the bad `up` of `ending` on a fresh stack with a refresh on each of `names` (one group
 * each), and returns once every refresh started (and runs batch 1, pace manual).
 */
async function startBadUp(ending: BadEnding, names: ReadonlyArray<BadRun["name"]>): Promise<{ stack: TestStack; up: PulumiProcess; runs: BadRun[] }> {
  const replacedGroupId = names.length > 1 ? (await emu.admin.seedGroup({ instanceCount: 4 })).groupId : undefined;
  const { stack, groupId } = await freshStack("fail", { ...(replacedGroupId ? { replacedGroupId } : {}), ...ending.config });
  const groupIds = replacedGroupId ? [groupId, replacedGroupId] : [groupId];
  for (const groupId of groupIds) await ending.before?.(emu, groupId);
  const up = stack.start(["up", "--yes", "--skip-preview"]);
  const runs = await Promise.all(
    names.map(async (name, i) => {
      const [, activityId] = await up.waitForOutput(new RegExp(`${groupIds[i]} (asr-\\w+): started \\(StartInstanceRefresh`));
      if (ending.pace === "manual") {
        await emu.admin.stepActivity(activityId!); // INIT → batch 1 RUNNING, and no further
        await up.waitForOutput(new RegExp(`${activityId}: batch 1/2 RUNNING`));
      }
      return { name, groupId: groupIds[i]!, activityId: activityId! };
    }),
  );
  return { stack, up, runs };
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
      const { stack, up, runs } = await startBadUp(ending, ending.inFlight ? ["rollout", "replaced"] : ["rollout"]);
      await ending.during?.({ emu, activityIds: runs.map((r) => r.activityId), up });
      const result = await up.result;
      const a = runs[0]!;
      const b = runs[1] ?? a;
      await emu.admin.clearFaults();
      // From here each refresh moves only when its own provider polls it: a refresh in flight stays in flight until a command acts.
      await emu.admin.setPace(FOLLOW_UP_PACE);

      if (ending.upFails) expectFailure(result);
      else expectOk(result);
      for (const run of runs) {
        // What the ending says, about this refresh where the message names one.
        expect(result.output).toMatch(new RegExp(ending.upSays.source.replace(ACTIVITY, run.activityId), ending.upSays.flags));
        expect(result.output).toContain(run.activityId);
      }
      expect(result.output).not.toMatch(/code must be a string|TypeError|stack trace/i);
      // The bad `up` recorded each refresh, with the engine's __provider, so every command can load the provider.
      for (const run of runs) {
        const state = await recorded(stack, run.name);
        expect(state?.id).toBe(run.activityId);
        expect(state?.outputs.status).toBe(ending.recorded);
        expect(typeof state?.outputs.__provider).toBe("string");
      }

      // `rollout`: refresh (of it alone, when `replaced` waits for its replace) → next up.
      const target = b !== a ? ["--target", (await recorded(stack))!.urn] : [];
      expectOk(await stack.run(["refresh", "--yes", "--skip-preview", ...target]));
      expect((await recorded(stack))?.id).toBe(a.activityId);
      if (b !== a) {
        expect((await recorded(stack, "replaced"))?.outputs.status, "the refresh did not touch `replaced`").toBe(ending.recorded);
        await stack.config({ replacedImageId: "img-00000002" }); // the same up replaces `replaced`
      }
      const next = expectOk(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(await recorded(stack)).toMatchObject({ id: a.activityId, outputs: { status: ending.nextUp.status } });
      for (const action of ["StopInstanceRefresh", "ResumeInstanceRefresh", "CancelInstanceRefresh"]) {
        expect(await callsOn(action, a.activityId), action).toBe(action === ending.nextUp.sends ? 1 : 0);
      }
      expect(await startsOn(a.groupId)).toBe(1); // never a second refresh

      // `replaced` (or, when the refresh ended, `rollout` itself): a replace (a new image).
      let replace = next;
      if (b === a) {
        await stack.config({ imageId: "img-00000002" });
        replace = expectOk(await stack.run(["up", "--yes", "--skip-preview"]));
      }
      const replaced = await recorded(stack, b.name);
      expect(replaced?.id).not.toBe(b.activityId);
      expect(await startsOn(b.groupId)).toBe(2);
      expect(replaced?.outputs.status).toBe("SUCCESSFUL");
      expect((await emu.admin.activity(b.activityId)).Status).toBe(ending.inFlight ? "CANCELLED" : ending.recorded);
      expect(await callsOn("CancelInstanceRefresh", b.activityId)).toBe(ending.inFlight ? 1 : 0);
      if (!ending.inFlight) expect(replace.output).toMatch(new RegExp(`${b.activityId}: already ${ending.recorded}.* before the delete reached it; nothing to cancel`));

      const destroy = expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
      expect((await stack.exportState()).deployment.resources ?? []).toEqual([]);
      // The next up converged every refresh still in flight, and the replacement ended: nothing is left to cancel.
      for (const id of new Set([a.activityId, replaced!.id!])) {
        if (id !== b.activityId) expect(destroy.output).toMatch(new RegExp(`${id}: already SUCCESSFUL .*before the delete reached it; nothing to cancel`));
      }
      expect(await callsOn("CancelInstanceRefresh", a.activityId)).toBe(0);
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
