/**
 * Health-gated rollouts through the real Pulumi CLI on the emulator, whose per-group health endpoint
 * answers from what is rolled out: a good version passes every gate with no human step; a bad one is
 * stopped at gate 1 and rolled back (the group ends on the old version) or left paused with the
 * evidence; an `up` killed during a soak is continued by the next one; a probe that never answers is
 * unhealthy within its timeout; and the same on Alibaba Cloud ESS. The request log and the outputs
 * are the evidence.
 */
import { beforeAll, describe, expect, it, type TestContext } from "vitest";
import { healthUrl, type Pace } from "../../emulator";
import { ALICLOUD_CONFIG_DRIVEN_PROGRAM, CONFIG_DRIVEN_PROGRAM } from "../helpers/programs";
import { expectFailure, expectOk, killStrays, requirePulumiCli } from "../helpers/pulumi";
import { createStack, emulatorConfig, startTestEmulator } from "../helpers/scenario";

const SCENARIO_TIMEOUT_MS = 240_000;
const ONE_STEP_PER_POLL: Pace = { mode: "afterDescribes", describes: 1 };

beforeAll(() => requirePulumiCli());

interface GateDecisionOutput {
  step: number;
  verdict: string;
  samples: number;
  healthy: number;
  evidence: string[];
}

/** A canary stack (a pause after every batch of 2, 6 instances: 3 batches) gated on its group's health endpoint. */
async function scenario(ctx: TestContext, name: string, gate: Record<string, unknown>, options: { version?: { version: string; bad?: boolean } } = {}) {
  const emu = await startTestEmulator({ name: `gate ${name}` });
  ctx.onTestFinished(() => emu.stop());
  await emu.admin.setPace(ONE_STEP_PER_POLL);
  const group = await emu.admin.seedGroup({ instanceCount: 6 });
  if (options.version) await emu.admin.setVersion(group.groupId, options.version);
  const { http, ...rest } = gate as { http?: Record<string, unknown> };
  const fullGate = { http: { url: healthUrl(emu.url, group.groupId), timeoutSeconds: 2, ...http }, soakSeconds: 1, intervalSeconds: 1, unhealthyThreshold: 1, ...rest };
  const stack = await createStack({
    prefix: `gate-${name}`,
    program: CONFIG_DRIVEN_PROGRAM,
    config: emulatorConfig(emu, { groupId: group.groupId, batchNumber: 3, maxSurge: 0, batchPause: "BATCH_INTERVAL_PAUSE", gate: JSON.stringify(fullGate) }),
  });
  ctx.onTestFinished(() => stack.remove());
  const okCalls = async (action: string) => (await emu.admin.requests({ action })).filter((r) => r.code === "OK").length;
  return { emu, admin: emu.admin, stack, groupId: group.groupId, okCalls };
}

describe.concurrent("health gate with the real Pulumi CLI", () => {
  it(
    "a good version rolls out through every gate with zero human steps",
    async (ctx) => {
      const { admin, stack, groupId, okCalls } = await scenario(ctx, "good", {}, { version: { version: "v2" } });
      const up = await stack.up();
      expect(up.stdout).toMatch(/health gate after batch 1 passed: \d+\/\d+ samples healthy over 1 s/);
      expect(up.stdout).toMatch(/health gate after batch 2 passed/);
      const outputs = await stack.outputs();
      expect(outputs.status).toBe("SUCCESSFUL");
      expect((outputs.gateDecisions as GateDecisionOutput[]).map((d) => [d.step, d.verdict])).toEqual([
        [1, "passed"],
        [2, "passed"],
      ]);
      expect(await okCalls("ResumeInstanceRefresh"), "each gate resumed by the provider, none by a person").toBe(2);
      expect((await admin.healthStats(groupId)).requests).toBeGreaterThanOrEqual(4);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "a bad version is stopped at gate 1 and rolled back: the group ends on the old version, up fails with the evidence",
    async (ctx) => {
      const { emu, stack, groupId, okCalls } = await scenario(ctx, "bad-rollback", { onFailure: "rollback" }, { version: { version: "v2-bad", bad: true } });
      const failed = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(failed.output).toMatch(/the health gate after batch 1 failed: 1\/1 samples unhealthy \(GET http:\/\/[^)]+\/health\/asg-\w+\)/);
      expect(failed.output).toContain("status 500, expected 200");
      expect(failed.output).toContain("It was rolled back (RollbackInstanceRefresh); the rollback settled.");
      expect(await okCalls("RollbackInstanceRefresh")).toBe(1);
      expect(await okCalls("ResumeInstanceRefresh")).toBe(0);
      const health = await fetch(healthUrl(emu.url, groupId));
      expect(health.status, "every instance back on the old version").toBe(200);
      expectOk(await stack.run(["refresh", "--yes", "--skip-preview"]));
      await stack.up(); // the refresh was rolled back: nothing to send
      expect(await okCalls("RollbackInstanceRefresh")).toBe(1);
      expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "onFailure pause leaves the refresh paused at the gate with the evidence; then refresh, the next up, a replace and destroy work",
    async (ctx) => {
      const { admin, stack, groupId, okCalls } = await scenario(ctx, "bad-pause", { onFailure: "pause" }, { version: { version: "v2-bad", bad: true } });
      const failed = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(failed.output).toContain("It stays paused at the gate.");
      const [, activityId] = /Instance refresh (asr-\w+) on/.exec(failed.output) ?? [];
      expect((await admin.activity(activityId!)).Status).toBe("AUTO_PAUSE");
      const state = await stack.exportState();
      const recorded = (state.deployment.resources ?? []).find((r) => r.type === "pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh");
      const decisions = recorded?.outputs?.gateDecisions as GateDecisionOutput[];
      expect(decisions.map((d) => d.verdict)).toEqual(["failed"]);
      expect(decisions[0]!.evidence.join("\n")).toContain("status 500, expected 200");
      expect(await okCalls("ResumeInstanceRefresh") + (await okCalls("RollbackInstanceRefresh")) + (await okCalls("CancelInstanceRefresh"))).toBe(0);

      // After the failed gate: refresh reads it back; once the version is fixed, the next up soaks the
      // gate again and goes on; a replace starts a new refresh; destroy works.
      expectOk(await stack.run(["refresh", "--yes", "--skip-preview"]));
      await admin.setVersion(groupId, { version: "v2-bad", bad: false });
      const next = await stack.up();
      expect(next.stdout).toMatch(/health gate after batch 1 passed/);
      expect(await stack.outputs()).toMatchObject({ id: activityId, status: "SUCCESSFUL" });
      await stack.config({ imageId: "img-00000002" });
      await stack.up();
      expect(String((await stack.outputs()).id)).not.toBe(activityId);
      expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "an up killed during a soak: the next up soaks the gate again and passes it; nothing was resumed before",
    async (ctx) => {
      const { emu, admin, stack, groupId, okCalls } = await scenario(ctx, "sigkill", { soakSeconds: 60 }, { version: { version: "v2" } });
      // The refresh starts without waiting, then waits at its first gate (AUTO_PAUSE after batch 1).
      await stack.config({ waitUntil: "started" });
      await stack.up();
      const activityId = String((await stack.outputs()).id);
      if ((await admin.activity(activityId)).Status !== "AUTO_PAUSE") await admin.finishBatch(activityId);
      expect((await admin.activity(activityId)).Status).toBe("AUTO_PAUSE");

      await stack.config({ waitUntil: "settled" });
      const up = stack.start(["up", "--yes", "--skip-preview"]);
      await up.waitForOutput(/health gate after batch 1: sample 2 healthy/);
      up.kill("SIGKILL");
      await up.result;
      killStrays(stack.work.homeDir);
      expect(await okCalls("ResumeInstanceRefresh"), "killed mid-soak: nothing resumed").toBe(0);
      expect((await admin.activity(activityId)).Status).toBe("AUTO_PAUSE");
      expectOk(await stack.run(["cancel", "--yes"])); // the killed up's lock

      await stack.config({ gate: JSON.stringify({ http: { url: healthUrl(emu.url, groupId), timeoutSeconds: 2 }, soakSeconds: 1, intervalSeconds: 1 }) });
      const next = await stack.up();
      expect(next.stdout).toMatch(/health gate after batch 1 passed/);
      expect(next.stdout).toMatch(/health gate after batch 2 passed/);
      expect(await stack.outputs()).toMatchObject({ id: activityId, status: "SUCCESSFUL" });
      expect(await okCalls("ResumeInstanceRefresh")).toBe(2);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "a probe that never answers counts as unhealthy within timeoutSeconds",
    async (ctx) => {
      const { admin, stack, groupId } = await scenario(ctx, "hang", { http: { timeoutSeconds: 1 }, onFailure: "pause" });
      await admin.healthMode(groupId, "hang");
      const failed = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(failed.output).toContain("unhealthy: no answer within 1 s");
      expect(failed.output).toContain("It stays paused at the gate.");
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "Alibaba Cloud ESS: a bad image is stopped at its checkpoint and rolled back",
    async (ctx) => {
      const emu = await startTestEmulator({ name: "gate ess" });
      ctx.onTestFinished(() => emu.stop());
      await emu.admin.ess.setPace(ONE_STEP_PER_POLL);
      const group = await emu.admin.ess.seedGroup({ instanceCount: 4 });
      await emu.admin.ess.markBadConfiguration({ imageId: "m-image0000000000000002" });
      const gate = { http: { url: healthUrl(emu.url, group.groupId), timeoutSeconds: 2 }, soakSeconds: 1, intervalSeconds: 1, unhealthyThreshold: 1, onFailure: "rollback" };
      const stack = await createStack({
        prefix: "gate-ess",
        program: ALICLOUD_CONFIG_DRIVEN_PROGRAM,
        config: emulatorConfig(emu, { scalingGroupId: group.groupId, checkpoints: "[50,100]", gate: JSON.stringify(gate) }),
      });
      ctx.onTestFinished(() => stack.remove());
      const failed = expectFailure(await stack.run(["up", "--yes", "--skip-preview"]));
      expect(failed.output).toMatch(/the health gate after checkpoint 1 failed/);
      expect(failed.output).toContain("It was rolled back (RollbackInstanceRefresh)");
      expect((await emu.admin.requests({ action: "RollbackInstanceRefresh", cloud: "alibabacloud" })).length).toBe(1);
      expect((await fetch(healthUrl(emu.url, group.groupId))).status).toBe(200);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
