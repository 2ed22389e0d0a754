/**
 * The InstanceRefresh resource through the real Pulumi CLI and engine, the real SDK and the emulator:
 * `pulumi up`, pause and resume through config, replacement, failure and recovery, drift on
 * `pulumi refresh`, destroy of a running refresh, and secrets kept out of state and logs.
 *
 * Each test has an emulator of its own whose pace it sets: `manual` where the refresh must still be
 * running when the next command arrives (it moves only when the test says so), `afterDescribes` where
 * a command waits for the refresh to end (one transition per poll). Nothing sleeps through a batch.
 */
import { beforeAll, describe, expect, it, type TestContext } from "vitest";
import type { Pace } from "../../emulator";
import { CONFIG_DRIVEN_PROGRAM } from "../helpers/programs";
import { describeResult, expectFailure, expectOk, requirePulumiCli } from "../helpers/pulumi";
import { createStack, emulatorConfig, startTestEmulator, waitForRequest, whileRunning, type TestStack } from "../helpers/scenario";

/** Each scenario runs several real `pulumi` commands. */
const SCENARIO_TIMEOUT_MS = 240_000;
/** Pace of commands that wait for the refresh to end: one transition per poll of the provider. */
const ONE_STEP_PER_POLL: Pace = { mode: "afterDescribes", describes: 1 };

beforeAll(() => requirePulumiCli());

/** A stack of {@link CONFIG_DRIVEN_PROGRAM} on a fresh group of an emulator of its own, paced by `pace`. */
async function scenario(ctx: TestContext, name: string, options: { pace: Pace; instanceCount?: number; config?: Record<string, string | number | boolean> }) {
  const emu = await startTestEmulator({ name: `e2e ${name}` });
  ctx.onTestFinished(() => emu.stop());
  await emu.admin.setPace(options.pace);
  const group = await emu.admin.seedGroup({ instanceCount: options.instanceCount ?? 4 });
  const stack: TestStack = await createStack({
    prefix: `e2e-${name}`,
    program: CONFIG_DRIVEN_PROGRAM,
    config: emulatorConfig(emu, { groupId: group.groupId, ...options.config }),
  });
  ctx.onTestFinished(() => stack.remove());
  const okCalls = async (action: string) => (await emu.admin.requests({ action })).filter((r) => r.code === "OK").length;
  /**
   * Manual pace: `pulumi up` with `waitUntil: started` returns once the refresh is past INIT, so end
   * INIT once it exists — the refresh is then RUNNING (scaling out its MaxSurge instance), and stays so.
   */
  const upUntilStarted = async () => {
    const starts = await okCalls("StartInstanceRefresh");
    const up = stack.start(["up", "--yes", "--skip-preview"]);
    await whileRunning(up, waitForRequest(emu.admin, "StartInstanceRefresh", { code: "OK", count: starts + 1 }));
    const started = await emu.admin.stepGroup(group.groupId);
    expectOk(await up.result);
    return started.RefreshActivityId;
  };
  return { emu, admin: emu.admin, stack, groupId: group.groupId, okCalls, upUntilStarted };
}

describe.concurrent("InstanceRefresh with the real Pulumi CLI", () => {
  it(
    "refreshes every batch on `pulumi up`, reporting each, then previews no changes",
    async (ctx) => {
      const { stack, okCalls } = await scenario(ctx, "up", { pace: ONE_STEP_PER_POLL });
      const up = await stack.up();
      expect(up.stdout).toMatch(/batch 1\/2 RUNNING/);
      expect(up.stdout).toMatch(/batch 2\/2 RUNNING/);
      expect(up.stdout).toMatch(/batch 2\/2 SUCCESSFUL — 4\/4 instances done, 0 failed/);
      expect(await stack.outputs()).toMatchObject({ status: "SUCCESSFUL", batchCount: 2, instanceCounts: { successful: 4, failed: 0 } });
      await stack.must(["preview", "--expect-no-changes"]);
      expect(await okCalls("StartInstanceRefresh")).toBe(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "pauses a running refresh when paused flips to true (its running batch carries on) and resumes it when it flips back",
    async (ctx) => {
      const { admin, stack, okCalls, upUntilStarted } = await scenario(ctx, "pause", { pace: { mode: "manual" }, config: { waitUntil: "started" } });
      const id = await upUntilStarted();
      expect((await admin.stepActivity(id)).RefreshBatchSet[0]!.RefreshBatchStatus, "scale-out done, batch 1 runs").toBe("RUNNING");

      await stack.config({ paused: true });
      await stack.up();
      const paused = await admin.activity(id);
      expect(paused.Status).toBe("MANUAL_PAUSE");
      expect(paused.RefreshBatchSet.map((b) => b.RefreshBatchStatus)).toEqual(["RUNNING", "WAITING"]);

      await admin.setPace(ONE_STEP_PER_POLL);
      await stack.config({ paused: false, waitUntil: "settled" });
      await stack.up();
      expect(await stack.outputs()).toMatchObject({ id, status: "SUCCESSFUL" });
      expect([await okCalls("StartInstanceRefresh"), await okCalls("StopInstanceRefresh"), await okCalls("ResumeInstanceRefresh")]).toEqual([1, 1, 1]);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "replaces the refresh when a setting changes: the old one is cancelled before the new one starts",
    async (ctx) => {
      const { admin, stack, okCalls, upUntilStarted } = await scenario(ctx, "replace", { pace: { mode: "manual" }, config: { waitUntil: "started" } });
      const first = await upUntilStarted();

      await stack.config({ batchNumber: 4, waitUntil: "settled" });
      const preview = await stack.must(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/\+-\s*pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh: \(replace\)/);
      expect(preview.stdout).toMatch(/batchNumber\s*:\s*2\s*=>\s*4/);
      await admin.setPace(ONE_STEP_PER_POLL);
      await stack.up();

      const second = String((await stack.outputs()).id);
      expect(second).not.toBe(first);
      expect((await admin.activity(first)).Status).toBe("CANCELLED");
      expect(await stack.outputs()).toMatchObject({ status: "SUCCESSFUL", batchCount: 4 });
      const starts = await admin.requests({ action: "StartInstanceRefresh" });
      expect(starts.map((r) => r.code)).toEqual(["OK", "OK"]);
      const log = (await admin.requests()).map((r) => r.action);
      expect(log.lastIndexOf("CancelInstanceRefresh"), "the old refresh is cancelled before the new one starts").toBeLessThan(log.lastIndexOf("StartInstanceRefresh"));
      expect(await okCalls("CancelInstanceRefresh")).toBe(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "fails `pulumi up` with the instance's message, keeps the refresh in state, and completes it on CONTINUE",
    async (ctx) => {
      const { admin, stack, groupId, okCalls } = await scenario(ctx, "fail", { pace: ONE_STEP_PER_POLL });
      const group = await admin.group(groupId);
      await admin.failInstance(group.instanceIds[0]!, "image img-00000001 failed to boot", { count: 100 });

      const up = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(up.stdout + up.stderr).toContain("image img-00000001 failed to boot");
      expect(up.stdout + up.stderr).toContain("FAILED_PAUSE");
      const kept = (await stack.exportState()).deployment.resources?.find((r) => r.type.endsWith("InstanceRefresh"));
      expect(kept?.id, "the failed refresh stays in state").toMatch(/^asr-/);

      await stack.config({ resumeMode: "CONTINUE" });
      await stack.up();
      expect(await stack.outputs()).toMatchObject({ id: kept?.id, status: "SUCCESSFUL", instanceCounts: { failed: 1 } });
      expect(await okCalls("StartInstanceRefresh")).toBe(1);
      expect((await admin.requests({ action: "ResumeInstanceRefresh" })).map((r) => [r.params.ResumeMode, r.code])).toEqual([["CONTINUE", "OK"]]);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "shows an out-of-band pause as drift on `pulumi refresh`, and resumes it on `pulumi up`",
    async (ctx) => {
      const { admin, stack, okCalls, upUntilStarted } = await scenario(ctx, "drift-pause", { pace: { mode: "manual" }, config: { waitUntil: "started" } });
      const id = await upUntilStarted();
      await admin.consolePause(id);

      const refresh = await stack.must(["refresh", "--yes", "--skip-preview", "--diff"]);
      expect(refresh.stdout).toMatch(/paused\s*:\s*false\s*=>\s*true/);
      await admin.setPace(ONE_STEP_PER_POLL);
      await stack.config({ waitUntil: "settled" });
      await stack.up();
      expect(await stack.outputs()).toMatchObject({ id, status: "SUCCESSFUL" });
      expect(await okCalls("ResumeInstanceRefresh")).toBe(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "records an out-of-band cancel on `pulumi refresh` and does not restart the rollout on its own",
    async (ctx) => {
      const { admin, stack, okCalls, upUntilStarted } = await scenario(ctx, "drift-cancel", { pace: { mode: "manual" }, config: { waitUntil: "started" } });
      const id = await upUntilStarted();
      await admin.consoleCancel(id);

      const refresh = await stack.must(["refresh", "--yes", "--skip-preview"]);
      expect(refresh.stdout + refresh.stderr).toContain(`${id}: CANCELLED`);
      const state = await stack.exportState();
      expect(state.deployment.resources?.find((r) => r.id === id)?.outputs?.status).toBe("CANCELLED");
      await stack.must(["preview", "--expect-no-changes"]);
      expect(await okCalls("StartInstanceRefresh")).toBe(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "stops a running refresh on `pulumi destroy`, waits for its running batch to end, then cancels it",
    async (ctx) => {
      const { admin, stack, upUntilStarted } = await scenario(ctx, "destroy", { pace: { mode: "manual" }, config: { waitUntil: "started" } });
      const id = await upUntilStarted();
      await admin.stepActivity(id); // scale-out done: batch 1 of 2 runs

      const destroy = stack.start(["destroy", "--yes", "--skip-preview"]);
      await destroy.waitForOutput(/RUNNING; pausing before cancelling — StopInstanceRefresh/);
      await whileRunning(destroy, waitForRequest(admin, "StopInstanceRefresh", { code: "OK" }));
      // While batch 1 runs, destroy waits: no Cancel is sent (the API would refuse it).
      await whileRunning(destroy, waitForRequest(admin, "DescribeRefreshActivities", { count: (await admin.requests({ action: "DescribeRefreshActivities" })).length + 2 }));
      expect((await admin.activity(id)).RefreshBatchSet.map((b) => b.RefreshBatchStatus)).toEqual(["RUNNING", "WAITING"]);
      expect(await admin.requests({ action: "CancelInstanceRefresh" })).toEqual([]);
      await admin.finishBatch(id);

      expectOk(await destroy.result);
      const mutations = (await admin.requests()).filter((r) => ["StopInstanceRefresh", "CancelInstanceRefresh"].includes(r.action) && r.code === "OK");
      expect(mutations.map((r) => r.action)).toEqual(["StopInstanceRefresh", "CancelInstanceRefresh"]);
      const cancelled = await admin.activity(id);
      expect(cancelled.Status).toBe("CANCELLED");
      expect(cancelled.RefreshBatchSet.map((b) => b.RefreshBatchStatus)).toEqual(["SUCCESSFUL", "CANCELLED"]);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "keeps credentials out of state, outputs and logs",
    async (ctx) => {
      const { emu, stack } = await scenario(ctx, "secrets", { pace: ONE_STEP_PER_POLL });
      const up = await stack.up();
      const texts: Array<[string, string]> = [
        ["stack export", await stack.exportText()],
        ["pulumi up output", describeResult(up)],
        ["stack outputs", JSON.stringify(await stack.outputs())],
      ];
      for (const [where, text] of texts) expect(text, where).not.toContain(emu.secretKey);
      expect(texts[0]![1], "the stack does hold the provider's state").toContain("__provider");
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "reports no change when only the provider's code changed (a package upgrade)",
    async (ctx) => {
      const { stack } = await scenario(ctx, "upgrade", { pace: { mode: "immediate" } });
      await stack.up();
      const state = await stack.exportText();
      const upgraded = state.replace(/("__provider":\s*")(exports\.handler)/, "$1/* v0.2.0 */ $2");
      expect(upgraded, "the state holds a serialized provider to change").not.toBe(state);
      const file = `${stack.work.dir}/upgraded-state.json`;
      (await import("node:fs")).writeFileSync(file, upgraded);
      await stack.must(["stack", "import", "--file", file]);

      const preview = await stack.must(["preview", "--expect-no-changes", "--diff"]);
      expect(preview.stdout).not.toMatch(/~\s+pulumi-nodejs:dynamic/);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
