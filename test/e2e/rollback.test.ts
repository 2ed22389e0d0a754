/**
 * Explicit rollback (`rollback: true`) through the real Pulumi CLI and engine, the real SDK and the
 * emulator: after FAILED_PAUSE, after SUCCESSFUL, an `up` killed during the rollback, destroy during
 * a rollback, and each refused case. In each, the request log holds exactly one accepted
 * RollbackInstanceRefresh, or none where the rollback is refused.
 */
import { beforeAll, describe, expect, it, type TestContext } from "vitest";
import type { Pace } from "../../emulator";
import { CONFIG_DRIVEN_PROGRAM } from "../helpers/programs";
import { expectFailure, expectOk, killStrays, requirePulumiCli } from "../helpers/pulumi";
import { createStack, emulatorConfig, startTestEmulator } from "../helpers/scenario";

/** Each scenario runs several real `pulumi` commands. */
const SCENARIO_TIMEOUT_MS = 240_000;
/** Pace of commands that wait for an activity to end: one transition per poll of the provider. */
const ONE_STEP_PER_POLL: Pace = { mode: "afterDescribes", describes: 1 };

beforeAll(() => requirePulumiCli());

/** A stack of {@link CONFIG_DRIVEN_PROGRAM} on a fresh 4-instance group of an emulator of its own. */
async function scenario(ctx: TestContext, name: string, config: Record<string, string | number | boolean> = {}) {
  const emu = await startTestEmulator({ name: `rollback ${name}` });
  ctx.onTestFinished(() => emu.stop());
  await emu.admin.setPace(ONE_STEP_PER_POLL);
  const group = await emu.admin.seedGroup({ instanceCount: 4 });
  const stack = await createStack({ prefix: `rb-${name}`, program: CONFIG_DRIVEN_PROGRAM, config: emulatorConfig(emu, { groupId: group.groupId, ...config }) });
  ctx.onTestFinished(() => stack.remove());
  /** Accepted RollbackInstanceRefresh calls, and every one sent. */
  const rollbacks = async () => {
    const sent = await emu.admin.requests({ action: "RollbackInstanceRefresh" });
    return { ok: sent.filter((r) => r.code === "OK").length, sent: sent.length };
  };
  return { emu, admin: emu.admin, stack, groupId: group.groupId, instanceIds: group.instanceIds, rollbacks };
}

describe.concurrent("rollback: true with the real Pulumi CLI", () => {
  it(
    "after FAILED_PAUSE: one RollbackInstanceRefresh, a wait with progress to its end, and later ups send nothing",
    async (ctx) => {
      const { admin, stack, instanceIds, rollbacks } = await scenario(ctx, "failed-pause");
      await admin.failInstance(instanceIds[0]!, "image img-00000002 failed to boot", { count: 1 });
      const failed = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      const [, origin] = /Instance refresh (asr-\w+) on asg-\w+ is FAILED_PAUSE at batch 1\/2/.exec(failed.output) ?? [];
      expect(origin).toBeDefined();

      await stack.config({ rollback: true });
      const preview = await stack.must(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/\+\s*rollback\s*:\s*true/);
      const up = await stack.up();
      expect(up.stdout).toMatch(new RegExp(`${origin}: rolling back \\(rollback: true\\) — RollbackInstanceRefresh started (asr-\\w+)`));
      expect(up.stdout).toMatch(/asr-\w+: batch \d\/\d SUCCESSFUL — \d\/\d instances done, 0 failed/);
      const outputs = await stack.outputs();
      expect(outputs).toMatchObject({ id: origin, rollbackStatus: "SUCCESSFUL" });
      const rollback = await admin.activity(String(outputs.rollbackActivityId));
      expect(rollback).toMatchObject({ ActivityType: "ROLLBACK", OriginRefreshActivityId: origin, Status: "SUCCESSFUL" });

      await stack.must(["preview", "--expect-no-changes"]);
      await stack.up();
      expect(await rollbacks()).toEqual({ ok: 1, sent: 1 });
      const destroy = expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
      expect(destroy.stdout).toContain("before the delete reached it; nothing to cancel");
      expect(await rollbacks()).toEqual({ ok: 1, sent: 1 });
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "after SUCCESSFUL: one RollbackInstanceRefresh; destroy during the rollback pauses and cancels it",
    async (ctx) => {
      const { admin, stack, rollbacks } = await scenario(ctx, "successful");
      await stack.up();
      const origin = String((await stack.outputs()).id);

      await admin.setPace({ mode: "manual" });
      await stack.config({ rollback: true, waitUntil: "started" });
      const up = stack.start(["up", "--yes", "--skip-preview"]);
      const [, rollbackId] = await up.waitForOutput(/RollbackInstanceRefresh started (asr-\w+)/);
      await admin.stepActivity(rollbackId!); // past INIT: the wait for "started" ends
      expectOk(await up.result);
      expect(await stack.outputs()).toMatchObject({ id: origin, rollbackActivityId: rollbackId, rollbackStatus: "RUNNING" });

      const destroy = stack.start(["destroy", "--yes", "--skip-preview"]);
      await destroy.waitForOutput(new RegExp(`${rollbackId}: RUNNING; pausing before cancelling — StopInstanceRefresh`));
      await admin.setPace(ONE_STEP_PER_POLL); // the running batch ends, then the cancel is accepted
      const destroyed = expectOk(await destroy.result);
      expect(destroyed.stdout).toContain(`${rollbackId}: cancelling — CancelInstanceRefresh`);
      expect((await admin.activity(rollbackId!)).Status).toBe("CANCELLED");
      expect((await admin.activity(origin)).Status, "the origin had ended: nothing to cancel").toBe("SUCCESSFUL");
      expect(await rollbacks()).toEqual({ ok: 1, sent: 1 });
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "an up killed during the rollback: the next up finds the rollback and waits for it, never sending a second",
    async (ctx) => {
      const { admin, stack, rollbacks } = await scenario(ctx, "sigkill");
      await stack.up();
      await admin.setPace({ mode: "manual" });
      await stack.config({ rollback: true });
      const up = stack.start(["up", "--yes", "--skip-preview"]);
      const [, rollbackId] = await up.waitForOutput(/RollbackInstanceRefresh started (asr-\w+)/);
      up.kill("SIGKILL");
      await up.result;
      killStrays(stack.work.homeDir);
      expectOk(await stack.run(["cancel", "--yes"])); // the killed up's lock

      await admin.setPace(ONE_STEP_PER_POLL);
      const next = await stack.up();
      expect(next.stdout).toContain(`rollback ${rollbackId} already exists`);
      expect(await stack.outputs()).toMatchObject({ rollbackActivityId: rollbackId, rollbackStatus: "SUCCESSFUL" });
      expect(await rollbacks()).toEqual({ ok: 1, sent: 1 });
      expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "refused, nothing sent: a new resource (nothing to roll back) and a cancelled refresh at preview, a busy group at up",
    async (ctx) => {
      const { emu, admin, stack, groupId, rollbacks } = await scenario(ctx, "refused", { rollback: true, waitUntil: "started" });
      const onCreate = expectFailure(await stack.run(["preview"]));
      expect(onCreate.output).toContain("rollback: true needs a refresh to roll back, and a new resource starts one");

      await stack.config({ rollback: false });
      await admin.setPace({ mode: "manual" });
      const up = stack.start(["up", "--yes", "--skip-preview"]);
      const [, origin] = await up.waitForOutput(/(asr-\w+): started \(StartInstanceRefresh/);
      await admin.stepActivity(origin!);
      expectOk(await up.result);
      await admin.consolePause(origin!);
      await admin.consoleCancel(origin!);
      expectOk(await stack.run(["refresh", "--yes", "--skip-preview"]));
      await stack.config({ rollback: true });
      const cancelled = expectFailure(await stack.run(["preview"]));
      expect(cancelled.output).toContain(`rollback: refresh ${origin} on ${groupId} cannot be rolled back: it was CANCELLED`);
      const cancelledUp = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(cancelledUp.output).toContain("cannot be rolled back: it was CANCELLED");

      // A group busy with another refresh (started outside this stack): refused at up, naming it.
      await stack.config({ rollback: false, imageId: "img-00000002", waitUntil: "settled" });
      await admin.setPace(ONE_STEP_PER_POLL);
      await stack.up();
      const other = emu.backend.startInstanceRefresh({ AutoScalingGroupId: groupId, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } });
      await stack.config({ rollback: true });
      const busy = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(busy.output).toContain(`group ${groupId} is busy with refresh activity ${other.id}`);
      expect(await rollbacks()).toEqual({ ok: 0, sent: 0 });
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "refused, nothing sent: a rollback of a rollback, adopted on purpose",
    async (ctx) => {
      const { emu, stack, groupId, rollbacks } = await scenario(ctx, "of-rollback");
      const origin = emu.backend.startInstanceRefresh({ AutoScalingGroupId: groupId, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } });
      emu.backend.finishBatch(origin.id);
      const rollback = emu.backend.rollbackInstanceRefresh({
        AutoScalingGroupId: groupId,
        OriginRefreshActivityId: origin.id,
        RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } },
      });
      await stack.config({ adoptActivityId: rollback.id, rollback: true });
      const up = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(up.output).toContain(`rollback: refresh ${rollback.id} on ${groupId} cannot be rolled back: it is itself a rollback (ROLLBACK of ${origin.id})`);
      expect(await rollbacks()).toEqual({ ok: 0, sent: 0 });
    },
    SCENARIO_TIMEOUT_MS,
  );
});
