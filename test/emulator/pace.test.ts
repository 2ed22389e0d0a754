/**
 * Pace control (admin API `/_emulator/pace`, `…/step`, `…/finish-batch`) through the real SDK: tests
 * set the pace of timed transitions instead of sleeping through batches.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, startEmulator, type RefreshActivity, type RunningEmulator } from "../../emulator";
import { sdkClient, type AsClient } from "../helpers/emulator";

let emu: RunningEmulator;
let clock: ManualClock;
let as: AsClient;
const HOUR_MS = 3_600_000;

beforeAll(async () => {
  clock = new ManualClock();
  emu = await startEmulator({ clock, rateLimit: false, fixture: false, secondsPerBatch: 60 });
  as = sdkClient(emu);
});
beforeEach(() => emu.admin.reset({ empty: true }));
afterAll(() => emu.stop());

async function start(instanceCount: number, rolling: Record<string, unknown>): Promise<{ groupId: string; id: string }> {
  const g = await emu.admin.seedGroup({ instanceCount });
  const res = await as.StartInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshSettings: { RollingUpdateSettings: rolling } });
  return { groupId: g.groupId, id: res.RefreshActivityId };
}

async function describeOne(id: string): Promise<RefreshActivity> {
  const res = await as.DescribeRefreshActivities({ RefreshActivityIds: [id] });
  return res.RefreshActivitySet[0]!;
}

/** `STATUS b1,b2,…` — the activity's status and its batches' statuses, for compact assertions. */
const shape = (a: RefreshActivity) => `${a.Status} ${a.RefreshBatchSet.map((b) => b.RefreshBatchStatus).join(",")}`;

describe("pace modes", () => {
  it("starts in clock pace, accepts every mode, and reset restores clock", async () => {
    expect(await emu.admin.pace()).toEqual({ mode: "clock" });
    expect(await emu.admin.setPace({ mode: "manual" })).toEqual({ mode: "manual" });
    expect(await emu.admin.setPace({ mode: "afterDescribes", describes: 3 })).toEqual({ mode: "afterDescribes", describes: 3 });
    expect(await emu.admin.setPace({ mode: "immediate" })).toEqual({ mode: "immediate" });
    await emu.admin.reset({ empty: true });
    expect(await emu.admin.pace()).toEqual({ mode: "clock" });
  });

  it("rejects a bad pace with HTTP 400 naming the field", async () => {
    await expect(emu.admin.setPace({ mode: "fast" } as never)).rejects.toThrow(/400 BadRequest: mode must be one of clock, manual, immediate, afterDescribes/);
    await expect(emu.admin.setPace({ mode: "afterDescribes", describes: 0 })).rejects.toThrow(/400 BadRequest: describes must be an integer/);
    await expect(emu.admin.setPace({ mode: "afterDescribes" } as never)).rejects.toThrow(/400 BadRequest: describes/);
    await expect(emu.admin.setPace({ mode: "manual", describes: 2 } as never)).rejects.toThrow(/400 BadRequest: describes only goes with mode afterDescribes/);
    expect(await emu.admin.pace()).toEqual({ mode: "clock" });
  });

  it("manual: nothing moves however far the clock goes; back to clock, every due transition happens at its own time", async () => {
    await emu.admin.setPace({ mode: "manual" });
    const { id } = await start(4, { BatchNumber: 2 });
    const started = clock.now();
    await emu.admin.advanceClock(10 * HOUR_MS);
    expect(shape(await describeOne(id))).toBe("INIT WAITING,WAITING");

    await emu.admin.setPace({ mode: "clock" });
    const a = await describeOne(id);
    expect(shape(a)).toBe("SUCCESSFUL SUCCESSFUL,SUCCESSFUL");
    // INIT took 5% of a 60 s batch: the times are the clock's, not the moment of the switch.
    expect(Date.parse(a.StartTime!) - started).toBe(3_000);
    expect(Date.parse(a.EndTime!) - started).toBe(3_000 + 2 * 60_000);
  });

  it("immediate: a refresh runs to its end before the first describe, and to its next stop on resume", async () => {
    await emu.admin.setPace({ mode: "immediate" });
    const plain = await start(4, { BatchNumber: 2, MaxSurge: 1 });
    expect(shape(await describeOne(plain.id))).toBe("SUCCESSFUL SUCCESSFUL,SUCCESSFUL");

    const gated = await start(4, { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" });
    expect(shape(await describeOne(gated.id))).toBe("AUTO_PAUSE SUCCESSFUL,WAITING");
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: gated.groupId, RefreshActivityId: gated.id });
    expect(shape(await describeOne(gated.id))).toBe("SUCCESSFUL SUCCESSFUL,SUCCESSFUL");
  });

  it("immediate: a failed instance stops the run at FAILED_PAUSE with its message", async () => {
    await emu.admin.setPace({ mode: "immediate" });
    const g = await emu.admin.seedGroup({ instanceCount: 4 });
    await emu.admin.failInstance(g.instanceIds[2]!, "bad image");
    const res = await as.StartInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2 } } });
    const a = await describeOne(res.RefreshActivityId);
    expect(shape(a)).toBe("FAILED_PAUSE SUCCESSFUL,FAILED");
    expect(a.RefreshBatchSet[1]!.RefreshBatchRelatedInstanceSet[0]).toMatchObject({ InstanceStatus: "FAILED", InstanceStatusMessage: "bad image" });
  });

  it("afterDescribes: one transition after every N describes that returned the activity; the Nth still shows the state before", async () => {
    await emu.admin.setPace({ mode: "afterDescribes", describes: 2 });
    const { id } = await start(4, { BatchNumber: 2 });
    const seen: string[] = [];
    for (let n = 0; n < 8; n++) seen.push(shape(await describeOne(id)));
    expect(seen).toEqual([
      "INIT WAITING,WAITING",
      "INIT WAITING,WAITING",
      "RUNNING RUNNING,WAITING",
      "RUNNING RUNNING,WAITING",
      "RUNNING SUCCESSFUL,RUNNING",
      "RUNNING SUCCESSFUL,RUNNING",
      "SUCCESSFUL SUCCESSFUL,SUCCESSFUL",
      "SUCCESSFUL SUCCESSFUL,SUCCESSFUL",
    ]);
  });

  it("afterDescribes: describes by group count, other requests do not, and a paused activity does not count them", async () => {
    await emu.admin.setPace({ mode: "afterDescribes", describes: 1 });
    const { groupId, id } = await start(4, { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" });
    for (let n = 0; n < 5; n++) await as.DescribeAutoScalingGroups({ AutoScalingGroupIds: [groupId] });
    expect(shape(await emu.admin.activity(id))).toBe("INIT WAITING,WAITING");

    await as.DescribeRefreshActivities({ Filters: [{ Name: "auto-scaling-group-id", Values: [groupId] }] });
    expect(shape(await describeOne(id))).toBe("RUNNING RUNNING,WAITING");
    for (let n = 0; n < 5; n++) await describeOne(id);
    expect(shape(await describeOne(id))).toBe("AUTO_PAUSE SUCCESSFUL,WAITING");

    await as.ResumeInstanceRefresh({ AutoScalingGroupId: groupId, RefreshActivityId: id });
    expect(shape(await describeOne(id))).toBe("RUNNING SUCCESSFUL,RUNNING");
    expect(shape(await describeOne(id))).toBe("SUCCESSFUL SUCCESSFUL,SUCCESSFUL");
  });
});

describe("transitions on demand", () => {
  it("step performs one timed transition: INIT, scale-out, then one batch at a time", async () => {
    await emu.admin.setPace({ mode: "manual" });
    const { id } = await start(4, { BatchNumber: 2, MaxSurge: 1 });
    const shapes = [];
    for (let n = 0; n < 5; n++) shapes.push(shape(await emu.admin.stepActivity(id)));
    expect(shapes).toEqual([
      "RUNNING WAITING,WAITING", // INIT ended: MaxSurge scale-out
      "RUNNING RUNNING,WAITING",
      "RUNNING SUCCESSFUL,RUNNING",
      "RUNNING SUCCESSFUL,SUCCESSFUL", // last batch ended: scale-in
      "SUCCESSFUL SUCCESSFUL,SUCCESSFUL",
    ]);
    await expect(emu.admin.stepActivity(id)).rejects.toThrow(/409 Conflict: refresh activity asr-\w+ already ended \(SUCCESSFUL\)/);
    await expect(emu.admin.stepActivity("asr-00000000")).rejects.toThrow(/404/);
  });

  it("finish-batch ends the current batch (from INIT: the phases before it too) and stops once the next one runs", async () => {
    await emu.admin.setPace({ mode: "manual" });
    const { groupId, id } = await start(6, { BatchNumber: 3, MaxSurge: 1 });
    expect(shape(await emu.admin.finishBatch(id))).toBe("RUNNING SUCCESSFUL,RUNNING,WAITING");
    expect(shape(await emu.admin.finishGroupBatch(groupId))).toBe("RUNNING SUCCESSFUL,SUCCESSFUL,RUNNING");
    // After the last batch it ends the activity (the scale-in included) and frees the group.
    expect(shape(await emu.admin.finishBatch(id))).toBe("SUCCESSFUL SUCCESSFUL,SUCCESSFUL,SUCCESSFUL");
    expect((await emu.admin.group(groupId)).instanceIds).toHaveLength(6);
    await expect(emu.admin.finishGroupBatch(groupId)).rejects.toThrow(/409 Conflict: scaling group asg-\w+ has no refresh activity in progress/);
  });

  it("finish-batch stops at an AUTO_PAUSE gate; a paused activity with no batch running is a 409", async () => {
    await emu.admin.setPace({ mode: "manual" });
    const { groupId, id } = await start(4, { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" });
    expect(shape(await emu.admin.finishBatch(id))).toBe("AUTO_PAUSE SUCCESSFUL,WAITING");
    await expect(emu.admin.finishBatch(id)).rejects.toThrow(/409 Conflict: refresh activity asr-\w+ is AUTO_PAUSE and waits for a call/);
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: groupId, RefreshActivityId: id });
    await emu.admin.advanceClock(HOUR_MS);
    expect(shape(await describeOne(id)), "manual: the resumed batch runs until told").toBe("RUNNING SUCCESSFUL,RUNNING");
    expect(shape(await emu.admin.stepActivity(id))).toBe("SUCCESSFUL SUCCESSFUL,SUCCESSFUL");
  });

  it("after a Stop, finish-batch lets the running batch end and the activity stays paused, so Cancel is accepted", async () => {
    await emu.admin.setPace({ mode: "manual" });
    const { groupId, id } = await start(4, { BatchNumber: 2 });
    await emu.admin.stepActivity(id);
    await as.StopInstanceRefresh({ AutoScalingGroupId: groupId, RefreshActivityId: id });
    expect(shape(await describeOne(id))).toBe("MANUAL_PAUSE RUNNING,WAITING");
    const refused = await as.CancelInstanceRefresh({ AutoScalingGroupId: groupId, RefreshActivityId: id }).catch((e: { code?: string }) => e.code);
    expect(refused).toBe("ResourceUnavailable.RefreshActivityStatusConflictWithOperation");

    expect(shape(await emu.admin.finishBatch(id))).toBe("MANUAL_PAUSE SUCCESSFUL,WAITING");
    await as.CancelInstanceRefresh({ AutoScalingGroupId: groupId, RefreshActivityId: id });
    expect(shape(await describeOne(id))).toBe("CANCELLED SUCCESSFUL,CANCELLED");
  });

  it("a rollback of a paused refresh lets the original's running instances finish first, as on the clock", async () => {
    await emu.admin.setPace({ mode: "manual" });
    const { groupId, id } = await start(4, { BatchNumber: 2 });
    await emu.admin.stepActivity(id);
    await as.StopInstanceRefresh({ AutoScalingGroupId: groupId, RefreshActivityId: id });
    const rb = await as.RollbackInstanceRefresh({
      AutoScalingGroupId: groupId,
      OriginRefreshActivityId: id,
      RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2 } },
    });
    expect(shape(await describeOne(rb.RefreshActivityId))).toBe("INIT WAITING,WAITING");
    expect(shape(await emu.admin.finishBatch(rb.RefreshActivityId))).toBe("RUNNING SUCCESSFUL,RUNNING");
    const origin = await describeOne(id);
    expect(shape(origin)).toBe("CANCELLED SUCCESSFUL,CANCELLED");
    expect(Date.parse(origin.EndTime!)).toBeLessThanOrEqual(Date.parse((await describeOne(rb.RefreshActivityId)).StartTime!));
  });

  it("work in clock pace too, from the moment they are called", async () => {
    const { id } = await start(4, { BatchNumber: 2 });
    const before = clock.now();
    const a = await emu.admin.finishBatch(id);
    expect(shape(a)).toBe("RUNNING SUCCESSFUL,RUNNING");
    expect(Date.parse(a.RefreshBatchSet[1]!.StartTime!)).toBe(before);
    await emu.admin.advanceClock(60_000);
    expect(shape(await describeOne(id))).toBe("SUCCESSFUL SUCCESSFUL,SUCCESSFUL");
  });
});
