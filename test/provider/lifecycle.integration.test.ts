/**
 * create / update / read / delete through the real SDK against the emulator (real clock, fast batches).
 */
import { describe, expect, test } from "vitest";
import * as http from "node:http";
import { InstanceRefreshFailure } from "../../provider/core/errors";
import { createSdkTransport } from "../../provider/tencentcloud/client/client";
import { createProvider } from "../../provider/host";
import type { InstanceRefreshInputs } from "../../provider/tencentcloud/settings";
import { GROUP, OTHER_GROUP, POLL_MS, REGION, baseline, eventually, withRolling, requestCount, useHarness } from "./helpers";

const h = useHarness();

const actions = async () => (await h.emu.admin.requests()).map((r) => r.action);
const count = (action: string) => requestCount(h, action);

/** Starts an activity directly through the SDK, as an interrupted `pulumi up` or the console would. */
async function startOutOfBand(groupId: string, batchNumber: number, extra: Record<string, unknown> = {}): Promise<string> {
  const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/as").as.v20180419;
  const client = new Client({
    credential: { secretId: h.emu.secretId, secretKey: h.emu.secretKey },
    region: REGION,
    profile: { httpProfile: { endpoint: h.emu.endpoint, protocol: "http://", agent: new http.Agent() } },
  });
  const res = await client.StartInstanceRefresh({
    AutoScalingGroupId: groupId,
    RefreshSettings: { RollingUpdateSettings: { BatchNumber: batchNumber, ...extra } },
  });
  return res.RefreshActivityId;
}

/**
 * Manual pace: creates with `wait.until: "started"` and, once the refresh exists, performs its timed
 * transitions until one of its batches runs (the create returns once INIT is over).
 */
async function createRunning(inputs: InstanceRefreshInputs): Promise<{ id: string; outs: Record<string, unknown> }> {
  const creating = h.create(inputs);
  await eventually(() => count("StartInstanceRefresh"), (n) => n === 1);
  for (let step = 0; step < 4; step++) {
    const a = await h.emu.admin.stepGroup(inputs.autoScalingGroupId);
    if (a.RefreshBatchSet.some((b) => b.RefreshBatchStatus === "RUNNING")) return creating;
  }
  throw new Error(`no batch of the refresh on ${inputs.autoScalingGroupId} runs after 4 transitions`);
}

async function failureOf(promise: Promise<unknown>): Promise<InstanceRefreshFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InstanceRefreshFailure);
  return error as InstanceRefreshFailure;
}

describe("create", () => {
  test("starts a refresh, waits until it succeeds and reports every batch", async () => {
    const { id, outs } = await h.create(baseline());
    expect(id).toMatch(/^asr-/);
    expect(outs).toMatchObject({ refreshActivityId: id, status: "SUCCESSFUL", currentBatch: 3, batchCount: 3, activityType: "NORMAL" });
    expect(outs.instanceCounts).toEqual({ successful: 5, failed: 0, pending: 0, notFound: 0, cancelled: 0, total: 5 });
    expect((outs.batches as Array<{ instances: unknown[] }>).map((b) => b.instances.length)).toEqual([2, 2, 1]);
    expect(outs.failedInstances).toEqual([]);
    expect(h.logs.some((l) => /^asg-9dn1a5y6 asr-\w+: batch 2\/3 RUNNING — 2\/5 instances done, 0 failed$/.test(l))).toBe(true);
    expect(await count("StartInstanceRefresh")).toBe(1);
  });

  test("with wait.until started returns as soon as the refresh runs", async () => {
    const { outs } = await h.create(baseline({ wait: { until: "started" } }));
    expect(["INIT", "RUNNING"]).toContain(outs.status);
  });

  test("stops at the first-batch gate and reports AUTO_PAUSE at batch 1 as a success", async () => {
    const { outs } = await h.create(withRolling({ batchPause: "FIRST_BATCH_PAUSE" }));
    expect(outs).toMatchObject({ status: "AUTO_PAUSE", currentBatch: 1 });
  });

  test("with paused true pauses the refresh right after starting it", async () => {
    const { outs } = await h.create(baseline({ paused: true }));
    expect(outs.status).toBe("MANUAL_PAUSE");
    expect(await count("StopInstanceRefresh")).toBe(1);
  });

  test("fails with FAILED_PAUSE, the instances' messages and the id, keeping the resource in state", async () => {
    await h.emu.admin.failInstance("ins-9dn1a503", "disk image checksum mismatch");
    const failure = await failureOf(h.create(baseline()));
    expect(failure.id).toMatch(/^asr-/);
    expect(failure.properties.status).toBe("FAILED_PAUSE");
    expect(failure.message).toContain(GROUP);
    expect(failure.message).toContain(failure.id);
    expect(failure.message).toContain("ins-9dn1a503: disk image checksum mismatch");
    expect(failure.properties.failedInstances).toEqual([{ instanceId: "ins-9dn1a503", message: "disk image checksum mismatch", batch: 2 }]);
  });

  test("reports the rollback activity when AUTO_ROLLBACK rolled the refresh back", async () => {
    await h.emu.admin.failInstance("ins-9dn1a503", "health check failed");
    const failure = await failureOf(h.create(withRolling({ failProcess: "AUTO_ROLLBACK" })));
    expect(failure.properties.status).toBe("FAILED");
    expect(failure.properties.rollbackActivityId).toMatch(/^asr-/);
    expect(failure.properties.rollbackActivityId).not.toBe(failure.id);
    expect(failure.message).toContain(failure.properties.rollbackActivityId);
  });

  test("reports CANCELLED when AUTO_CANCEL cancelled the refresh", async () => {
    await h.emu.admin.failInstance("ins-9dn1a501", "boot failure");
    const failure = await failureOf(h.create(withRolling({ failProcess: "AUTO_CANCEL" })));
    expect(failure.properties.status).toBe("CANCELLED");
    expect(failure.message).toContain("ins-9dn1a501: boot failure");
    expect(failure.message).toContain("triggers");
  });

  test("never takes over a refresh with its exact settings that it did not start: a conflict names it and adoptActivityId", async () => {
    const existing = await startOutOfBand(GROUP, 3, { BatchPause: "AUTOMATIC", MaxSurge: 0, FailProcess: "AUTO_PAUSE" });
    const error = await h.create(baseline()).catch((e: Error) => e);
    expect((error as Error).message).toContain(`group ${GROUP} already has refresh activity ${existing}`);
    expect((error as Error).message).toContain("this resource's exact settings, but this resource did not start it");
    expect((error as Error).message).toContain(`adoptActivityId: "${existing}"`);
    expect(await count("StartInstanceRefresh")).toBe(1); // only the out-of-band one
  });

  test("refuses to start while another refresh with other settings runs on the group, naming it", async () => {
    const other = await startOutOfBand(GROUP, 5);
    const error = await h.create(baseline()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(other);
    expect((error as Error).message).toContain("adoptActivityId");
    expect(await count("StartInstanceRefresh")).toBe(1);
  });

  test("adopts the activity named by adoptActivityId", async () => {
    const other = await startOutOfBand(GROUP, 5);
    const { id, outs } = await h.create(baseline({ adoptActivityId: other }));
    expect(id).toBe(other);
    expect(outs.status).toBe("SUCCESSFUL");
  });

  test("refuses adoptActivityId of another group", async () => {
    const other = await startOutOfBand(OTHER_GROUP, 2);
    await expect(h.create(baseline({ adoptActivityId: other }))).rejects.toThrow(/belongs to group asg-h7tgd87d/);
  });

  test("rejects a batch number larger than the group before starting anything", async () => {
    await expect(h.create(withRolling({ batchNumber: 6 }))).rejects.toThrow(
      "refreshSettings.rollingUpdateSettings.batchNumber must be at most the group's 5 in-service instances; got 6",
    );
    expect(await count("StartInstanceRefresh")).toBe(0);
  });

  test("rejects a max surge larger than one batch before starting anything", async () => {
    await expect(h.create(withRolling({ maxSurge: 3 }))).rejects.toThrow(/maxSurge must be at most the 2 instances of one batch/);
    expect(await count("StartInstanceRefresh")).toBe(0);
  });

  test("explains a group that does not exist", async () => {
    await expect(h.create(baseline({ autoScalingGroupId: "asg-zzzzzzzz" }))).rejects.toThrow(/asg-zzzzzzzz does not exist/);
    expect(await count("StartInstanceRefresh")).toBe(0);
  });
});

describe("update", () => {
  test("approving the first batch resumes the canary and waits to the end", async () => {
    const first = await h.create(withRolling({ batchPause: "FIRST_BATCH_PAUSE" }));
    const { outs } = await h.update(first.id, first.outs, withRolling({ batchPause: "FIRST_BATCH_PAUSE" }, { approvedBatches: 1 }));
    expect(outs.status).toBe("SUCCESSFUL");
    expect(await count("ResumeInstanceRefresh")).toBe(1);
  });

  test("with BATCH_INTERVAL_PAUSE approving batch 1 passes one gate and stops at the next", async () => {
    const first = await h.create(withRolling({ batchPause: "BATCH_INTERVAL_PAUSE" }));
    expect(first.outs).toMatchObject({ status: "AUTO_PAUSE", currentBatch: 1 });
    const { outs } = await h.update(first.id, first.outs, withRolling({ batchPause: "BATCH_INTERVAL_PAUSE" }, { approvedBatches: 1 }));
    expect(outs).toMatchObject({ status: "AUTO_PAUSE", currentBatch: 2 });
  });

  test("paused true pauses a running refresh and paused false resumes it", async () => {
    // Manual pace: the refresh is in its first batch when the Stop arrives, however slow the machine.
    await h.emu.admin.setPace({ mode: "manual" });
    const started = await createRunning(baseline({ wait: { until: "started" } }));
    const paused = await h.update(started.id, started.outs, baseline({ paused: true }));
    expect(paused.outs).toMatchObject({ status: "MANUAL_PAUSE", currentBatch: 1 });
    await h.emu.admin.setPace({ mode: "clock" });
    const resumed = await h.update(started.id, paused.outs, baseline({ paused: false }));
    expect(resumed.outs.status).toBe("SUCCESSFUL");
    expect([await count("StopInstanceRefresh"), await count("ResumeInstanceRefresh")]).toEqual([1, 1]);
  });

  test("resumes a FAILED_PAUSE with CONTINUE, skipping the failed instance", async () => {
    await h.emu.admin.failInstance("ins-9dn1a503", "bad image");
    const failure = await failureOf(h.create(baseline()));
    const { outs } = await h.update(failure.id, failure.properties as unknown as Record<string, unknown>, baseline({ resumeMode: "CONTINUE" }));
    expect(outs.status).toBe("SUCCESSFUL");
    expect((outs.instanceCounts as { failed: number }).failed).toBe(1);
    const resumes = await h.emu.admin.requests({ action: "ResumeInstanceRefresh" });
    expect(resumes.map((r) => r.params.ResumeMode)).toEqual(["CONTINUE"]);
  });

  test("an update of a cancelled refresh succeeds, recording CANCELLED and explaining, without calling Resume", async () => {
    const started = await h.create(baseline({ paused: true }));
    await h.emu.admin.consoleCancel(started.id);
    const { outs } = await h.update(started.id, { ...started.outs, status: "MANUAL_PAUSE" }, baseline({ paused: false }));
    // CANCELLED + anything → nothing: the update records the status and succeeds, explaining why.
    expect(outs.status).toBe("CANCELLED");
    expect(h.logs.some((l) => /CANCELLED.*triggers/s.test(l))).toBe(true);
    expect(await count("ResumeInstanceRefresh")).toBe(0);
  });
});

describe("read", () => {
  test("shows an out-of-band console pause as paused: true in inputs and outputs", async () => {
    const started = await h.create(baseline({ wait: { until: "started" } }));
    await h.emu.admin.consolePause(started.id);
    const read = await h.provider.read(started.id, started.outs);
    expect(read.props).toMatchObject({ status: "MANUAL_PAUSE", paused: true });
    expect(read.inputs).toMatchObject({ paused: true });
  });

  test("shows an out-of-band console cancel as status CANCELLED", async () => {
    const started = await h.create(baseline({ paused: true }));
    await h.emu.admin.consoleCancel(started.id);
    const read = await h.provider.read(started.id, started.outs);
    expect(read.id).toBe(started.id);
    expect(read.props).toMatchObject({ status: "CANCELLED" });
  });

  test("returns an empty id for an activity that no longer exists", async () => {
    const read = await h.provider.read("asr-00000000", await h.checked(baseline()));
    expect(read.id).toBe("");
  });
});

describe("delete", () => {
  test("pauses a running refresh, waits for the running batch, then cancels it", async () => {
    // Manual pace: batch 1 runs until the test finishes it, so the Stop always meets a running batch.
    await h.emu.admin.setPace({ mode: "manual" });
    const started = await createRunning(baseline({ wait: { until: "started" } }));
    const deleting = h.provider.delete(started.id, started.outs);
    await eventually(() => count("StopInstanceRefresh"), (n) => n === 1);
    const polls = await count("DescribeRefreshActivities");
    await eventually(() => count("DescribeRefreshActivities"), (n) => n >= polls + 2);
    expect(await count("CancelInstanceRefresh"), "no Cancel while the batch runs").toBe(0);
    await h.emu.admin.finishBatch(started.id);
    await deleting;
    const cancelled = await h.emu.admin.activity(started.id);
    expect(cancelled.Status).toBe("CANCELLED");
    expect(cancelled.RefreshBatchSet.map((b) => b.RefreshBatchStatus)).toEqual(["SUCCESSFUL", "CANCELLED", "CANCELLED"]);
    const mutating = (await actions()).filter((a) => /Stop|Cancel|Resume/.test(a));
    expect(mutating).toEqual(["StopInstanceRefresh", "CancelInstanceRefresh"]);
  });

  test("cancels a paused refresh without stopping it first", async () => {
    const paused = await h.create(withRolling({ batchPause: "FIRST_BATCH_PAUSE" }));
    await h.provider.delete(paused.id, paused.outs);
    expect((await h.emu.admin.activity(paused.id)).Status).toBe("CANCELLED");
    expect(await count("StopInstanceRefresh")).toBe(0);
  });

  test("does nothing for a finished refresh", async () => {
    const done = await h.create(baseline());
    await h.provider.delete(done.id, done.outs);
    expect((await actions()).filter((a) => /Stop|Cancel/.test(a))).toEqual([]);
  });

  test("succeeds when the activity no longer exists", async () => {
    await expect(h.provider.delete("asr-00000000", await h.checked(baseline()))).resolves.toBeUndefined();
  });
});

describe("concurrent waits", () => {
  test("share one poller: two refreshes on two groups are described together", async () => {
    const idsPerDescribe: number[] = [];
    const provider = createProvider({
      env: {},
      config: { credentials: { secretId: h.emu.secretId, secretKey: h.emu.secretKey }, region: REGION, endpoint: h.emu.url, pollIntervalMs: POLL_MS },
      log: () => undefined,
      transport: (region, config) => {
        const sdk = createSdkTransport({ credentials: config.credentials!, region, endpoint: config.endpoint });
        return (action, params) => {
          if (action === "DescribeRefreshActivities" && Array.isArray(params.RefreshActivityIds)) idsPerDescribe.push(params.RefreshActivityIds.length);
          return sdk(action, params);
        };
      },
    });
    const inputs = [await h.checked(baseline()), await h.checked(baseline({ autoScalingGroupId: OTHER_GROUP }))];
    const [a, b] = await Promise.all(inputs.map((i) => provider.create(i)));
    expect([a.outs.status, b.outs.status]).toEqual(["SUCCESSFUL", "SUCCESSFUL"]);
    expect(Math.max(...idsPerDescribe)).toBe(2);
  });
});

