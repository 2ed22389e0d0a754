/**
 * AlicloudInstanceRefresh through the real Pulumi CLI and engine, the real `@alicloud/openapi-core`
 * client and the emulator's ESS API (one emulator serves both clouds): the lifecycle items of the
 * Tencent suite — up with a wait, pause and resume, drift on refresh, replace, failure and recovery,
 * rollback, destroy of a running task, the plan — and the ways an `up` ends badly (a failed task, a
 * cancel from outside, a killed `up`, a timeout, an outage, Ctrl-C), each followed by refresh, the
 * next up, a replace and destroy.
 *
 * Each test has an emulator of its own and sets its ESS pace: `manual` while a command must find the
 * task still running, one transition per poll otherwise. Nothing sleeps through a wave.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it, type TestContext } from "vitest";
import type { Pace, RunningEmulator } from "../../emulator";
import { ALICLOUD_CONFIG_DRIVEN_PROGRAM } from "../helpers/programs";
import { REPO_ROOT, expectFailure, expectOk, killStrays, requirePulumiCli, type PulumiProcess } from "../helpers/pulumi";
import { createStack, emulatorConfig, startTestEmulator, whileRunning } from "../helpers/scenario";

/** Each scenario runs several real `pulumi` commands. */
const SCENARIO_TIMEOUT_MS = 240_000;
/** One transition per poll of the provider. */
const ONE_STEP_PER_POLL: Pace = { mode: "afterDescribes", describes: 1 };
const REGION = "cn-hangzhou";
/**
 * Pace after a bad `up`: one transition per three polls of a task. The replace's delete polls the
 * task it cancels twice before it sends the cancel, so the cancel finds the task still in flight.
 */
const FOLLOW_UP_PACE: Pace = { mode: "afterDescribes", describes: 3 };
/** In the `says` of an ending, the id of the task the line is about. */
const TASK = "TASK";
/** The installed `instance-refresh-plan` bin. */
const PLAN_BIN = path.join(REPO_ROOT, "node_modules", ".bin", "instance-refresh-plan");

beforeAll(() => requirePulumiCli());

/**
 * A stack of {@link ALICLOUD_CONFIG_DRIVEN_PROGRAM} on a fresh ESS group of an emulator of its own;
 * with `replaced`, its second refresh on a second fresh group (`replacedGroupId`).
 */
async function scenario(ctx: TestContext, name: string, options: { pace?: Pace; instanceCount?: number; config?: Record<string, string | number | boolean>; replaced?: boolean } = {}) {
  const emu = await startTestEmulator({ name: `alicloud ${name}` });
  ctx.onTestFinished(() => emu.stop());
  await emu.admin.ess.setPace(options.pace ?? ONE_STEP_PER_POLL);
  const group = await emu.admin.ess.seedGroup({ instanceCount: options.instanceCount ?? 4 });
  const replacedGroupId = options.replaced ? (await emu.admin.ess.seedGroup({ instanceCount: options.instanceCount ?? 4 })).groupId : undefined;
  const stack = await createStack({
    prefix: `ess-${name}`,
    program: ALICLOUD_CONFIG_DRIVEN_PROGRAM,
    config: emulatorConfig(emu, { scalingGroupId: group.groupId, ...(replacedGroupId ? { replacedScalingGroupId: replacedGroupId } : {}), ...options.config }),
  });
  ctx.onTestFinished(() => stack.remove());
  /** Accepted ESS calls of `action`. */
  const okCalls = async (action: string) => (await emu.admin.requests({ action, cloud: "alibabacloud" })).filter((r) => r.code === "OK").length;
  /** Starts `pulumi up` and resolves once its StartInstanceRefresh was answered, with the process and the task id. */
  const startUp = async () => {
    const up = stack.start(["up", "--yes", "--skip-preview"]);
    const [, taskId] = await up.waitForOutput(/(ir-\w+): Pending/);
    return { up, taskId: taskId! };
  };
  const taskRef = (taskId: string) => ({ regionId: REGION, scalingGroupId: group.groupId, instanceRefreshTaskId: taskId });
  return { emu, admin: emu.admin, stack, groupId: group.groupId, replacedGroupId, instanceIds: group.instanceIds, okCalls, startUp, taskRef };
}

describe.concurrent("AlicloudInstanceRefresh with the real Pulumi CLI", () => {
  it(
    "up waits with percent progress, previews no changes; a trigger change replaces it; destroy of an ended task cancels nothing",
    async (ctx) => {
      const { stack, okCalls } = await scenario(ctx, "up");
      const up = await stack.up();
      expect(up.stdout).toMatch(/asg-\w+ ir-\w+: InProgress — \d\/4 refreshed \(\d+%\)/);
      expect(up.stdout).toMatch(/Successful — 4\/4 refreshed \(100%\)/);
      expect(await stack.outputs()).toMatchObject({ status: "Successful", percentRefreshed: 100 });
      await stack.must(["preview", "--expect-no-changes"]);

      await stack.config({ imageId: "m-image0000000000000003" });
      const preview = await stack.must(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/\+-\s*pulumi-nodejs:dynamic\/alicloud:InstanceRefresh: \(replace\)/);
      await stack.up();
      expect(await okCalls("StartInstanceRefresh")).toBe(2);
      const destroy = expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
      expect(destroy.stdout).toMatch(/already Successful \(ended .*\) before the delete reached it; nothing to cancel/);
      expect(await okCalls("CancelInstanceRefresh")).toBe(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "paused: true suspends the running task; a resume outside Pulumi shows as drift on refresh; destroy cancels it mid-refresh",
    async (ctx) => {
      const { emu, admin, stack, okCalls, startUp, taskRef } = await scenario(ctx, "pause", { pace: { mode: "manual" }, instanceCount: 6, config: { waitUntil: "started", minHealthyPercentage: 100, maxHealthyPercentage: 100 } });
      const { up, taskId } = await startUp();
      await admin.ess.stepTask(taskId); // Pending → InProgress: the wait for "started" ends
      expectOk(await up.result);

      await stack.config({ paused: true });
      await stack.up();
      expect((await admin.ess.task(taskId)).Status).toBe("Paused");
      expect(await okCalls("SuspendInstanceRefresh")).toBe(1);

      emu.ess.backend.resumeInstanceRefresh(taskRef(taskId)); // someone resumes it in the console
      const refreshed = expectOk(await stack.run(["refresh", "--yes", "--skip-preview"]));
      expect(refreshed.stdout).toContain(`${taskId}: InProgress outside Pulumi; paused is now false in state`);

      const destroy = stack.start(["destroy", "--yes", "--skip-preview"]);
      await whileRunning(destroy, destroy.waitForOutput(new RegExp(`${taskId}: cancelling — CancelInstanceRefresh`)));
      await admin.ess.setPace(ONE_STEP_PER_POLL); // the wave in flight ends, then Cancelled
      expectOk(await destroy.result);
      expect((await admin.ess.task(taskId)).Status).toBe("Cancelled");
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "a checkpoint pauses the rollout (up settles there); approvedCheckpoints: 1 is an in-place update that resumes it",
    async (ctx) => {
      const { stack, okCalls } = await scenario(ctx, "canary", { config: { checkpoints: "[50,100]" } });
      const first = await stack.up();
      expect(first.stdout).toMatch(/CheckpointPause — 2\/4 refreshed \(50%\), checkpoint 1\/2 at 50%/);
      expect(await stack.outputs()).toMatchObject({ status: "CheckpointPause", currentCheckpoint: 1 });
      await stack.config({ approvedCheckpoints: 1 });
      const preview = await stack.must(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/~\s*pulumi-nodejs:dynamic\/alicloud:InstanceRefresh: \(update\)/);
      expect(preview.stdout).toMatch(/approvedCheckpoints\s*:\s*0\s*=>\s*1/);
      // The rollout plan, made from the real preview JSON by the installed bin, says what up then sends.
      const json = await stack.must(["preview", "--json"], { env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } });
      const plan = spawnSync(process.execPath, [PLAN_BIN], { input: json.stdout, encoding: "utf8" });
      expect(plan.status, plan.stderr).toBe(0);
      expect(plan.stdout).toContain(`sends ResumeInstanceRefresh to ${String((await stack.outputs()).id)}`);
      await stack.up();
      expect(await stack.outputs()).toMatchObject({ status: "Successful", percentRefreshed: 100 });
      expect(await okCalls("ResumeInstanceRefresh")).toBe(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "a failed task fails up with its Detail and stays in state; refresh and the next up send nothing; rollback: true rolls it back once; destroy",
    async (ctx) => {
      const { admin, stack, instanceIds, okCalls } = await scenario(ctx, "failed", { config: { minHealthyPercentage: 100, maxHealthyPercentage: 100 } });
      await admin.ess.failInstance(instanceIds[1]!, "image m-image0000000000000002 failed to boot");
      const failed = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(failed.output).toMatch(/Instance refresh ir-\w+ on asg-\w+ is Failed at checkpoint 0\/1/);
      expect(failed.output).toContain("failed to boot");
      const state = await stack.exportState();
      const recorded = (state.deployment.resources ?? []).find((r) => r.type === "pulumi-nodejs:dynamic/alicloud:InstanceRefresh");
      expect(recorded?.outputs).toMatchObject({ status: "Failed", __provider: expect.any(String) });

      expectOk(await stack.run(["refresh", "--yes", "--skip-preview"]));
      await stack.up(); // the failure was reported when it happened: nothing to send
      const mutations = async () => (await okCalls("StartInstanceRefresh")) + (await okCalls("ResumeInstanceRefresh")) + (await okCalls("RollbackInstanceRefresh"));
      expect(await mutations()).toBe(1);

      await stack.config({ rollback: true });
      const rolledBack = await stack.up();
      expect(rolledBack.stdout).toMatch(/rolling back \(rollback: true\) — RollbackInstanceRefresh started ir-\w+/);
      expect(await stack.outputs()).toMatchObject({ status: "RollbackSuccessful" });
      await stack.up();
      expect(await okCalls("RollbackInstanceRefresh")).toBe(1);
      expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
      expect(await okCalls("CancelInstanceRefresh")).toBe(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "a cancel from outside fails the waiting up; refresh records it, the next up sends nothing, a replace starts a new task, destroy",
    async (ctx) => {
      const { emu, admin, stack, okCalls, startUp, taskRef } = await scenario(ctx, "cancelled", { pace: { mode: "manual" } });
      const { up, taskId } = await startUp();
      await admin.ess.stepTask(taskId);
      emu.ess.backend.cancelInstanceRefresh(taskRef(taskId));
      await admin.ess.setPace(ONE_STEP_PER_POLL);
      const failed = expectFailure(await up.result);
      expect(failed.output).toMatch(new RegExp(`Instance refresh ${taskId} on asg-\\w+ is Cancelled`));

      expectOk(await stack.run(["refresh", "--yes", "--skip-preview"]));
      await stack.up();
      expect(await okCalls("StartInstanceRefresh")).toBe(1);
      await stack.config({ imageId: "m-image0000000000000003" });
      await stack.up();
      expect(await okCalls("StartInstanceRefresh")).toBe(2);
      expect(await stack.outputs()).toMatchObject({ status: "Successful" });
      expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "an up killed while it waits: the next up takes back its own task (the same ClientToken), starting no second one; destroy cancels it",
    async (ctx) => {
      const { admin, stack, okCalls, startUp } = await scenario(ctx, "sigkill", { pace: { mode: "manual" } });
      const { up, taskId } = await startUp();
      await admin.ess.stepTask(taskId);
      up.kill("SIGKILL");
      await up.result;
      killStrays(stack.work.homeDir);
      expectOk(await stack.run(["cancel", "--yes"]));
      expectOk(await stack.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]));

      await admin.ess.setPace(ONE_STEP_PER_POLL);
      const next = await stack.up();
      expect(next.stdout).toContain(`${taskId}: taken back — an earlier \`pulumi up\` of this resource started it (the same client token)`);
      expect(await stack.outputs()).toMatchObject({ id: taskId, status: "Successful" });
      const starts = await admin.requests({ action: "StartInstanceRefresh", cloud: "alibabacloud" });
      expect(starts.filter((s) => s.code === "OK").length, "two Starts, one task: the second carried the same ClientToken").toBe(2);
      expect(new Set(starts.map((s) => s.params.ClientToken)).size).toBe(1);
      expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
      expect(await okCalls("CancelInstanceRefresh")).toBe(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  /**
   * The ESS ways a waiting `up` ends early ({@link TASK} in `says` stands for a task's id). The bad `up`
   * runs two tasks in one stack, on two groups, both left InProgress: `rollout` then walks refresh
   * (`--target`) → the next up (which takes its task back and waits it out) → destroy, and
   * `replaced` a replace straight from what the bad `up` recorded (its task cancelled, a new one
   * started) → destroy; one `up` is `rollout`'s next up and `replaced`'s replace.
   */
  const ENDINGS: ReadonlyArray<{ name: string; config: Record<string, number>; during: (emu: RunningEmulator, up: PulumiProcess) => Promise<void>; says: RegExp }> = [
    { name: "timeout", config: { timeoutSeconds: 2 }, during: async () => undefined, says: /timed out after 2 s waiting for TASK to settle; it is InProgress/ },
    {
      name: "outage",
      config: { "instanceRefresh:outageToleranceSeconds": 2 },
      during: async (emu) => void (await emu.admin.injectFault({ action: "DescribeInstanceRefreshes", cloud: "alibabacloud", code: "InternalError" })),
      says: /the API did not answer for \d+ s \((last error: .*InternalError.*|no answer)\), more than instanceRefresh:outageToleranceSeconds \(2 s\)/s,
    },
    { name: "ctrl-c", config: {}, during: async (_emu, up) => up.kill("SIGINT"), says: /pulumi was cancelled \(Ctrl-C\) while waiting for TASK; it is (Pending|InProgress) at checkpoint 0\/1/ },
  ];

  for (const ending of ENDINGS) {
    it(
      `after ${ending.name}: refresh and the next up take the task back and wait it out, a replace cancels the task left running, destroy`,
      async (ctx) => {
        const { emu, admin, stack, groupId, replacedGroupId, okCalls } = await scenario(ctx, `end-${ending.name}`, { pace: { mode: "manual" }, config: ending.config, replaced: true });
        const up = stack.start(["up", "--yes", "--skip-preview"]);
        const [rollout, replaced] = await Promise.all(
          [groupId, replacedGroupId!].map(async (group) => {
            const [, taskId] = await up.waitForOutput(new RegExp(`${group} (ir-\\w+): started`));
            await admin.ess.stepTask(taskId!); // InProgress, and stays so (manual pace)
            return taskId!;
          }),
        );
        await ending.during(emu, up);
        const failed = expectFailure(await up.result);
        for (const taskId of [rollout!, replaced!]) {
          expect(failed.output).toMatch(new RegExp(ending.says.source.replace(TASK, taskId), ending.says.flags));
          expect(failed.output).toContain(taskId);
        }
        await admin.clearFaults();
        await admin.ess.setPace(FOLLOW_UP_PACE);
        const target = (await stack.resource("rollout"))!.urn;
        expectOk(await stack.run(["refresh", "--yes", "--skip-preview", "--target", target]));
        const left = await stack.resource("replaced");
        expect(left?.id, "as the bad up recorded it").toBe(replaced);
        expect(["Pending", "InProgress"], "as the bad up last saw it").toContain(left?.outputs?.status);
        await stack.config({ replacedImageId: "m-image0000000000000003" });
        const next = await stack.up();
        expect(next.stdout).toMatch(new RegExp(`${replaced}: cancelling — CancelInstanceRefresh`));
        expect(await stack.outputs()).toMatchObject({ id: rollout, status: "Successful" });
        const replacement = await stack.resource("replaced");
        expect(replacement?.id).not.toBe(replaced);
        expect(replacement?.outputs?.status).toBe("Successful");
        expect((await admin.ess.task(replaced!)).Status).toBe("Cancelled");
        expect(await okCalls("StartInstanceRefresh"), "rollout's task taken back, not started again; one replacement").toBe(3);
        expect(await okCalls("CancelInstanceRefresh"), "only the replaced task").toBe(1);
        expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
        expect((await stack.exportState()).deployment.resources ?? []).toEqual([]);
        expect(await okCalls("CancelInstanceRefresh")).toBe(1);
      },
      SCENARIO_TIMEOUT_MS,
    );
  }
});
