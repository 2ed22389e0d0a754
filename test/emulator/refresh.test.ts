import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, startEmulator, type RefreshActivity, type RunningEmulator } from "../../emulator";
import { errorCode, sdkClient, type AsClient } from "../helpers/emulator";

let emu: RunningEmulator;
let clock: ManualClock;
let as: AsClient;
let T: number; // one batch
let INIT: number;
let SURGE: number;

beforeAll(async () => {
  clock = new ManualClock();
  emu = await startEmulator({ clock, rateLimit: false, fixture: false, secondsPerBatch: 2 });
  as = sdkClient(emu);
  ({ batchMs: T, initMs: INIT, surgeMs: SURGE } = emu.backend.timing);
});
afterAll(() => emu.stop());

const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function settings(rolling: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { RollingUpdateSettings: rolling, ...extra };
}

async function seed(instanceCount: number, more: Record<string, unknown> = {}) {
  return emu.admin.seedGroup({ instanceCount, ...more });
}

async function start(groupId: string, rolling: Record<string, unknown>, mode?: string): Promise<string> {
  const res = await as.StartInstanceRefresh({ AutoScalingGroupId: groupId, RefreshSettings: settings(rolling), RefreshMode: mode });
  expect(res.RefreshActivityId).toMatch(/^asr-[a-z0-9]{8}$/);
  return res.RefreshActivityId;
}

async function activity(id: string) {
  const res = await as.DescribeRefreshActivities({ RefreshActivityIds: [id] });
  expect(res.TotalCount).toBe(1);
  return res.RefreshActivitySet[0];
}

async function enabled(groupId: string): Promise<string> {
  const res = await as.DescribeAutoScalingGroups({ AutoScalingGroupIds: [groupId] });
  return res.AutoScalingGroupSet[0].EnabledStatus;
}

const advance = (ms: number) => clock.advance(ms);
const batchStatuses = (a: RefreshActivity) => a.RefreshBatchSet.map((b) => b.RefreshBatchStatus);
const instanceStatuses = (a: RefreshActivity, batch: number) =>
  a.RefreshBatchSet[batch - 1]!.RefreshBatchRelatedInstanceSet.map((i) => i.InstanceStatus);

describe("StartInstanceRefresh and the normal timeline", () => {
  it("splits 5 instances into 3 batches of 2, 2, 1 and starts in INIT with the group DISABLED", async () => {
    const g = await seed(5);
    const id = await start(g.groupId, { BatchNumber: 3 });
    const a = await activity(id);
    expect(a.RefreshBatchSet.map((b) => b.RefreshBatchRelatedInstanceSet.length)).toEqual([2, 2, 1]);
    expect(a.RefreshBatchSet.map((b) => b.RefreshBatchNum)).toEqual([1, 2, 3]);
    expect(a.RefreshBatchSet.flatMap((b) => b.RefreshBatchRelatedInstanceSet.map((i) => i.InstanceId))).toEqual(g.instanceIds);
    expect(a.Status).toBe("INIT");
    expect(a.ActivityType).toBe("NORMAL");
    expect(a.RefreshMode).toBe("ROLLING_UPDATE_RESET");
    expect(a.OriginRefreshActivityId).toBe("");
    expect(a.StartTime).toBeNull();
    expect(a.EndTime).toBeNull();
    expect(a.CreatedTime).toMatch(TIME_RE);
    expect(a.RefreshSettings).toEqual({
      RollingUpdateSettings: { BatchNumber: 3, BatchPause: "AUTOMATIC", MaxSurge: 0, FailProcess: "AUTO_PAUSE" },
      CheckInstanceTargetHealth: false,
      CheckInstanceTargetHealthTimeout: 1800,
    });
    expect(batchStatuses(a)).toEqual(["WAITING", "WAITING", "WAITING"]);
    expect(a.RefreshBatchSet[0].RefreshBatchRelatedInstanceSet[0]).toEqual({
      InstanceId: g.instanceIds[0],
      InstanceStatus: "WAITING",
      LastActivityId: "",
      InstanceStatusMessage: "",
    });
    expect(await enabled(g.groupId)).toBe("DISABLED");
  });

  it("runs batches one after another and ends SUCCESSFUL with the group ENABLED (AUTOMATIC)", async () => {
    const g = await seed(5);
    const id = await start(g.groupId, { BatchNumber: 3 });
    advance(INIT);
    let a = await activity(id);
    expect(a.Status).toBe("RUNNING");
    expect(a.StartTime).toMatch(TIME_RE);
    expect(a.CurrentRefreshBatchNum).toBe(1);
    expect(batchStatuses(a)).toEqual(["RUNNING", "WAITING", "WAITING"]);
    expect(instanceStatuses(a, 1)).toEqual(["RUNNING", "RUNNING"]);
    expect(a.RefreshBatchSet[0].RefreshBatchRelatedInstanceSet[0].LastActivityId).toMatch(/^asa-[a-z0-9]{8}$/);
    expect(a.RefreshBatchSet[0].StartTime).toMatch(TIME_RE);
    expect(a.RefreshBatchSet[1].StartTime).toBeNull();

    advance(T);
    a = await activity(id);
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "RUNNING", "WAITING"]);
    expect(a.CurrentRefreshBatchNum).toBe(2);
    expect(a.RefreshBatchSet[0].EndTime).toMatch(TIME_RE);

    advance(2 * T);
    a = await activity(id);
    expect(a.Status).toBe("SUCCESSFUL");
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL"]);
    expect(a.CurrentRefreshBatchNum).toBe(3);
    expect(a.EndTime).toMatch(TIME_RE);
    expect(await enabled(g.groupId)).toBe("ENABLED");
  });

  it("replays every intermediate transition when the clock jumps past the whole activity", async () => {
    const g = await seed(4);
    const id = await start(g.groupId, { BatchNumber: 4 });
    advance(10 * T);
    const a = await activity(id);
    expect(a.Status).toBe("SUCCESSFUL");
    const starts = a.RefreshBatchSet.map((b) => Date.parse(b.StartTime!));
    expect(starts[1]! - starts[0]!).toBe(T);
    expect(Date.parse(a.EndTime!) - Date.parse(a.StartTime!)).toBe(4 * T);
  });

  it("refreshes only IN_SERVICE instances", async () => {
    const g = await seed(0, {
      instances: [{}, { lifeCycleState: "STOPPED" }, {}, { lifeCycleState: "IN_SERVICE" }],
    });
    const id = await start(g.groupId, { BatchNumber: 3 });
    const a = await activity(id);
    const refreshed = a.RefreshBatchSet.flatMap((b) => b.RefreshBatchRelatedInstanceSet.map((i) => i.InstanceId));
    expect(refreshed).toEqual([g.instanceIds[0], g.instanceIds[2], g.instanceIds[3]]);
  });
});

describe("StartInstanceRefresh refusals", () => {
  it("unknown group → ResourceNotFound.AutoScalingGroupIdNotFound", async () => {
    expect(await errorCode(() => start("asg-zzzzzzzz", { BatchNumber: 1 }))).toBe("ResourceNotFound.AutoScalingGroupIdNotFound");
  });

  it("a second activity on the same group → ResourceUnavailable.AutoScalingGroupInRefreshActivity", async () => {
    const g = await seed(2);
    await start(g.groupId, { BatchNumber: 1, BatchPause: "FIRST_BATCH_PAUSE" });
    expect(await errorCode(() => start(g.groupId, { BatchNumber: 1 }))).toBe("ResourceUnavailable.AutoScalingGroupInRefreshActivity");
  });

  it("BatchNumber above the instances to refresh → InvalidParameterValue.BatchNumberTooLarge", async () => {
    const g = await seed(2, { instances: [{}, {}, { lifeCycleState: "STOPPED" }] });
    expect(await errorCode(() => start(g.groupId, { BatchNumber: 3 }))).toBe("InvalidParameterValue.BatchNumberTooLarge");
  });

  it("no IN_SERVICE instance → ResourceUnavailable.NoInstanceCanRefresh", async () => {
    const g = await seed(0, { instances: [{ lifeCycleState: "STOPPED" }] });
    expect(await errorCode(() => start(g.groupId, { BatchNumber: 1 }))).toBe("ResourceUnavailable.NoInstanceCanRefresh");
    const empty = await seed(0);
    expect(await errorCode(() => start(empty.groupId, { BatchNumber: 1 }))).toBe("ResourceUnavailable.NoInstanceCanRefresh");
  });

  it("MaxSurge above the first batch's size → InvalidParameterValue.MaxSurgeTooLarge", async () => {
    const g = await seed(5);
    expect(await errorCode(() => start(g.groupId, { BatchNumber: 3, MaxSurge: 3 }))).toBe("InvalidParameterValue.MaxSurgeTooLarge");
    expect(await enabled(g.groupId)).toBe("ENABLED");
  });
});

describe("BatchPause", () => {
  it("FIRST_BATCH_PAUSE pauses (AUTO_PAUSE) after batch 1 only; the group stays DISABLED while paused", async () => {
    const g = await seed(3);
    const id = await start(g.groupId, { BatchNumber: 3, BatchPause: "FIRST_BATCH_PAUSE" });
    advance(INIT + T);
    let a = await activity(id);
    expect(a.Status).toBe("AUTO_PAUSE");
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "WAITING", "WAITING"]);
    advance(10 * T);
    a = await activity(id);
    expect(a.Status).toBe("AUTO_PAUSE");
    expect(await enabled(g.groupId)).toBe("DISABLED");
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    a = await activity(id);
    expect(a.Status).toBe("RUNNING");
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "RUNNING", "WAITING"]);
    advance(2 * T);
    a = await activity(id);
    expect(a.Status).toBe("SUCCESSFUL");
    expect(await enabled(g.groupId)).toBe("ENABLED");
  });

  it("BATCH_INTERVAL_PAUSE pauses between every two batches but not after the last", async () => {
    const g = await seed(3);
    const id = await start(g.groupId, { BatchNumber: 3, BatchPause: "BATCH_INTERVAL_PAUSE" });
    advance(INIT + T);
    expect((await activity(id)).Status).toBe("AUTO_PAUSE");
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    advance(T);
    let a = await activity(id);
    expect(a.Status).toBe("AUTO_PAUSE");
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "SUCCESSFUL", "WAITING"]);
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id, ResumeMode: "CONTINUE" });
    advance(T);
    a = await activity(id);
    expect(a.Status).toBe("SUCCESSFUL");
  });
});

describe("failures and FailProcess", () => {
  it("AUTO_PAUSE: a failed instance → FAILED_PAUSE; RETRY re-runs it and the activity completes", async () => {
    const g = await seed(4);
    await emu.admin.failInstance(g.instanceIds[1]!, "image not found");
    const id = await start(g.groupId, { BatchNumber: 2 });
    advance(INIT + T);
    let a = await activity(id);
    expect(a.Status).toBe("FAILED_PAUSE");
    expect(batchStatuses(a)).toEqual(["FAILED", "WAITING"]);
    const failed = a.RefreshBatchSet[0].RefreshBatchRelatedInstanceSet[1];
    expect(failed.InstanceStatus).toBe("FAILED");
    expect(failed.InstanceStatusMessage).toBe("image not found");
    expect(a.RefreshBatchSet[0].RefreshBatchRelatedInstanceSet[0].InstanceStatus).toBe("SUCCESSFUL");
    expect(await enabled(g.groupId)).toBe("DISABLED");

    await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id, ResumeMode: "RETRY" });
    a = await activity(id);
    expect(a.Status).toBe("RUNNING");
    expect(instanceStatuses(a, 1)).toEqual(["SUCCESSFUL", "RUNNING"]);
    expect(a.RefreshBatchSet[0].RefreshBatchRelatedInstanceSet[1].LastActivityId).not.toBe(failed.LastActivityId);
    advance(2 * T);
    a = await activity(id);
    expect(a.Status).toBe("SUCCESSFUL");
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "SUCCESSFUL"]);
  });

  it("a RETRY that fails again pauses again (failInstance count)", async () => {
    const g = await seed(1);
    await emu.admin.failInstance(g.instanceIds[0]!, "still broken", { count: 2 });
    const id = await start(g.groupId, { BatchNumber: 1 });
    advance(INIT + T);
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    advance(T);
    expect((await activity(id)).Status).toBe("FAILED_PAUSE");
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    advance(T);
    expect((await activity(id)).Status).toBe("SUCCESSFUL");
  });

  it("AUTO_PAUSE then CONTINUE skips the failed instance: it stays FAILED and the batch is PARTIALLY_SUCCESSFUL", async () => {
    const g = await seed(4);
    await emu.admin.failInstance(g.instanceIds[0]!, "boom");
    const id = await start(g.groupId, { BatchNumber: 2 });
    advance(INIT + T);
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id, ResumeMode: "CONTINUE" });
    let a = await activity(id);
    expect(batchStatuses(a)).toEqual(["PARTIALLY_SUCCESSFUL", "RUNNING"]);
    expect(instanceStatuses(a, 1)).toEqual(["FAILED", "SUCCESSFUL"]);
    advance(T);
    a = await activity(id);
    expect(a.Status).toBe("SUCCESSFUL");
    expect(instanceStatuses(a, 1)).toEqual(["FAILED", "SUCCESSFUL"]);
  });

  it("AUTO_ROLLBACK: the activity ends FAILED and a ROLLBACK activity (one instance per batch) starts and runs", async () => {
    const g = await seed(6);
    await emu.admin.failInstance(g.instanceIds[2]!, "health check failed");
    const id = await start(g.groupId, { BatchNumber: 3, FailProcess: "AUTO_ROLLBACK" });
    advance(INIT + 2 * T);
    const origin = await activity(id);
    expect(origin.Status).toBe("FAILED");
    expect(origin.EndTime).toMatch(TIME_RE);
    expect(batchStatuses(origin)).toEqual(["SUCCESSFUL", "FAILED", "CANCELLED"]);
    expect(instanceStatuses(origin, 3)).toEqual(["CANCELLED", "CANCELLED"]);

    const list = await as.DescribeRefreshActivities({ Filters: [{ Name: "auto-scaling-group-id", Values: [g.groupId] }] });
    expect(list.TotalCount).toBe(2);
    const rb = list.RefreshActivitySet[0];
    expect(rb.ActivityType).toBe("ROLLBACK");
    expect(rb.OriginRefreshActivityId).toBe(id);
    expect(rb.RefreshBatchSet.map((b) => b.RefreshBatchRelatedInstanceSet.length)).toEqual([1, 1, 1, 1]);
    expect(rb.RefreshBatchSet.map((b) => b.RefreshBatchRelatedInstanceSet[0].InstanceId)).toEqual(g.instanceIds.slice(0, 4));
    expect(rb.RefreshSettings.RollingUpdateSettings.BatchNumber).toBe(4);
    expect(await enabled(g.groupId)).toBe("DISABLED");
    advance(INIT + 4 * T);
    expect((await activity(rb.RefreshActivityId)).Status).toBe("SUCCESSFUL");
    expect(await enabled(g.groupId)).toBe("ENABLED");
  });

  it("AUTO_CANCEL: the activity ends CANCELLED with the remaining batches CANCELLED", async () => {
    const g = await seed(3);
    await emu.admin.failInstance(g.instanceIds[0]!, "boom");
    const id = await start(g.groupId, { BatchNumber: 3, FailProcess: "AUTO_CANCEL" });
    advance(INIT + T);
    const a = await activity(id);
    expect(a.Status).toBe("CANCELLED");
    expect(batchStatuses(a)).toEqual(["FAILED", "CANCELLED", "CANCELLED"]);
    expect(await enabled(g.groupId)).toBe("ENABLED");
    const rollbacks = await as.DescribeRefreshActivities({ Filters: [{ Name: "auto-scaling-group-id", Values: [g.groupId] }] });
    expect(rollbacks.TotalCount).toBe(1);
  });

  it("an instance removed while pending becomes NOT_FOUND and does not block the activity", async () => {
    const g = await seed(3);
    const id = await start(g.groupId, { BatchNumber: 3 });
    advance(INIT);
    await emu.admin.removeInstance(g.instanceIds[2]!);
    let a = await activity(id);
    expect(instanceStatuses(a, 3)).toEqual(["NOT_FOUND"]);
    expect(a.RefreshBatchSet[2].RefreshBatchRelatedInstanceSet[0].InstanceStatusMessage).not.toBe("");
    advance(2 * T);
    a = await activity(id);
    expect(a.Status).toBe("SUCCESSFUL");
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL"]);
  });

  it("an instance removed while refreshing becomes NOT_FOUND and its batch ends", async () => {
    const g = await seed(2);
    const id = await start(g.groupId, { BatchNumber: 2 });
    advance(INIT);
    await emu.admin.removeInstance(g.instanceIds[0]!);
    const a = await activity(id);
    expect(instanceStatuses(a, 1)).toEqual(["NOT_FOUND"]);
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "RUNNING"]);
  });
});

describe("Stop, Resume and Cancel", () => {
  it("Stop → MANUAL_PAUSE: running instances finish, the next batch waits; Resume continues", async () => {
    const g = await seed(4);
    const id = await start(g.groupId, { BatchNumber: 2 });
    advance(INIT + T / 2);
    await as.StopInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    let a = await activity(id);
    expect(a.Status).toBe("MANUAL_PAUSE");
    expect(instanceStatuses(a, 1)).toEqual(["RUNNING", "RUNNING"]);
    advance(T);
    a = await activity(id);
    expect(a.Status).toBe("MANUAL_PAUSE");
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "WAITING"]);
    expect(await enabled(g.groupId)).toBe("DISABLED");
    await as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    advance(T);
    expect((await activity(id)).Status).toBe("SUCCESSFUL");
  });

  it("Stop is refused unless INIT or RUNNING", async () => {
    const g = await seed(2);
    const id = await start(g.groupId, { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" });
    await as.StopInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id }); // from INIT
    expect(await errorCode(() => as.StopInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id }))).toBe(
      "ResourceUnavailable.RefreshActivityStatusConflictWithOperation",
    );
  });

  it("Resume is refused when the activity is not paused", async () => {
    const g = await seed(2);
    const id = await start(g.groupId, { BatchNumber: 1 });
    advance(INIT);
    expect(await errorCode(() => as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id }))).toBe(
      "ResourceUnavailable.RefreshActivityStatusConflictWithOperation",
    );
    advance(T);
    expect(await errorCode(() => as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id }))).toBe(
      "ResourceUnavailable.RefreshActivityStatusConflictWithOperation",
    );
  });

  it("Cancel is refused while a batch runs; after pausing and waiting it cancels the rest, keeping finished batches", async () => {
    const g = await seed(6);
    const id = await start(g.groupId, { BatchNumber: 3 });
    const ref = { AutoScalingGroupId: g.groupId, RefreshActivityId: id };
    advance(INIT + T / 2);
    expect(await errorCode(() => as.CancelInstanceRefresh(ref))).toBe("ResourceUnavailable.RefreshActivityStatusConflictWithOperation");
    await as.StopInstanceRefresh(ref);
    expect(await errorCode(() => as.CancelInstanceRefresh(ref))).toBe("ResourceUnavailable.RefreshActivityStatusConflictWithOperation");
    advance(T);
    await as.CancelInstanceRefresh(ref);
    const a = await activity(id);
    expect(a.Status).toBe("CANCELLED");
    expect(a.EndTime).toMatch(TIME_RE);
    expect(batchStatuses(a)).toEqual(["SUCCESSFUL", "CANCELLED", "CANCELLED"]);
    expect(instanceStatuses(a, 2)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(await enabled(g.groupId)).toBe("ENABLED");
    // no resume, no rollback after a cancel
    expect(await errorCode(() => as.ResumeInstanceRefresh(ref))).toBe("ResourceUnavailable.RefreshActivityStatusConflictWithOperation");
    expect(
      await errorCode(() =>
        as.RollbackInstanceRefresh({ AutoScalingGroupId: g.groupId, OriginRefreshActivityId: id, RefreshSettings: settings({ BatchNumber: 1 }) }),
      ),
    ).toBe("ResourceUnavailable.RefreshActivityCanNotRollback");
  });

  it("Cancel from FAILED_PAUSE keeps the failed batch FAILED", async () => {
    const g = await seed(2);
    await emu.admin.failInstance(g.instanceIds[0]!, "x");
    const id = await start(g.groupId, { BatchNumber: 2 });
    advance(INIT + T);
    await as.CancelInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    const a = await activity(id);
    expect(batchStatuses(a)).toEqual(["FAILED", "CANCELLED"]);
    expect(instanceStatuses(a, 1)).toEqual(["FAILED"]);
  });

  it("unknown activity, or an activity of another group → ResourceNotFound.RefreshActivityNotFound", async () => {
    const g = await seed(1);
    const other = await seed(1);
    const id = await start(g.groupId, { BatchNumber: 1 });
    for (const call of [as.StopInstanceRefresh, as.ResumeInstanceRefresh, as.CancelInstanceRefresh]) {
      expect(await errorCode(() => call.call(as, { AutoScalingGroupId: g.groupId, RefreshActivityId: "asr-00000000" }))).toBe(
        "ResourceNotFound.RefreshActivityNotFound",
      );
      expect(await errorCode(() => call.call(as, { AutoScalingGroupId: other.groupId, RefreshActivityId: id }))).toBe(
        "ResourceNotFound.RefreshActivityNotFound",
      );
    }
  });
});

describe("MaxSurge", () => {
  it("creates surge instances before the rolling update and destroys them after it", async () => {
    const g = await seed(4);
    const id = await start(g.groupId, { BatchNumber: 2, MaxSurge: 2 });
    advance(INIT);
    let group = await as.DescribeAutoScalingInstances({ Filters: [{ Name: "auto-scaling-group-id", Values: [g.groupId] }] });
    expect(group.TotalCount).toBe(6);
    const surge = group.AutoScalingInstanceSet.filter((i) => !g.instanceIds.includes(i.InstanceId));
    expect(surge.map((i) => i.LifeCycleState)).toEqual(["CREATING", "CREATING"]);
    let a = await activity(id);
    expect(a.Status).toBe("RUNNING");
    expect(batchStatuses(a)).toEqual(["WAITING", "WAITING"]);
    advance(SURGE);
    group = await as.DescribeAutoScalingInstances({ Filters: [{ Name: "auto-scaling-group-id", Values: [g.groupId] }] });
    expect(group.AutoScalingInstanceSet.filter((i) => !g.instanceIds.includes(i.InstanceId)).map((i) => i.LifeCycleState)).toEqual([
      "IN_SERVICE",
      "IN_SERVICE",
    ]);
    a = await activity(id);
    expect(batchStatuses(a)).toEqual(["RUNNING", "WAITING"]);
    advance(2 * T);
    group = await as.DescribeAutoScalingInstances({ Filters: [{ Name: "auto-scaling-group-id", Values: [g.groupId] }] });
    expect(group.AutoScalingInstanceSet.filter((i) => !g.instanceIds.includes(i.InstanceId)).map((i) => i.LifeCycleState)).toEqual([
      "TERMINATING",
      "TERMINATING",
    ]);
    a = await activity(id);
    expect(a.Status).toBe("RUNNING");
    expect(await errorCode(() => as.StopInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id }))).toBe(
      "ResourceUnavailable.RefreshActivityStatusConflictWithOperation",
    );
    advance(SURGE);
    group = await as.DescribeAutoScalingInstances({ Filters: [{ Name: "auto-scaling-group-id", Values: [g.groupId] }] });
    expect(group.AutoScalingInstanceSet.map((i) => i.InstanceId)).toEqual(g.instanceIds);
    expect((await activity(id)).Status).toBe("SUCCESSFUL");
    expect(await enabled(g.groupId)).toBe("ENABLED");
  });
});

describe("RollbackInstanceRefresh", () => {
  const rollback = (groupId: string, origin: string, rolling: Record<string, unknown> = { BatchNumber: 1 }) =>
    as.RollbackInstanceRefresh({ AutoScalingGroupId: groupId, OriginRefreshActivityId: origin, RefreshSettings: settings(rolling) });

  it("rolls back the latest SUCCESSFUL activity with a new ROLLBACK activity", async () => {
    const g = await seed(3);
    const id = await start(g.groupId, { BatchNumber: 3 });
    advance(INIT + 3 * T);
    const rb = await rollback(g.groupId, id, { BatchNumber: 3 });
    const a = await activity(rb.RefreshActivityId);
    expect(a.ActivityType).toBe("ROLLBACK");
    expect(a.OriginRefreshActivityId).toBe(id);
    expect(a.RefreshBatchSet.flatMap((b) => b.RefreshBatchRelatedInstanceSet.map((i) => i.InstanceId))).toEqual(g.instanceIds);
    expect(await enabled(g.groupId)).toBe("DISABLED");
    expect((await activity(id)).Status).toBe("SUCCESSFUL");
    advance(INIT + 3 * T);
    expect((await activity(rb.RefreshActivityId)).Status).toBe("SUCCESSFUL");
    // a ROLLBACK activity can never be rolled back
    expect(await errorCode(() => rollback(g.groupId, rb.RefreshActivityId))).toBe("ResourceUnavailable.RollbackTypeActivityCanNotRollbackAgain");
  });

  it("refuses an older SUCCESSFUL activity that is not the latest", async () => {
    const g = await seed(1);
    const first = await start(g.groupId, { BatchNumber: 1 });
    advance(INIT + T);
    await start(g.groupId, { BatchNumber: 1 });
    advance(INIT + T);
    expect(await errorCode(() => rollback(g.groupId, first))).toBe("ResourceUnavailable.RefreshActivityCanNotRollback");
  });

  it("refuses a RUNNING activity", async () => {
    const g = await seed(2);
    const id = await start(g.groupId, { BatchNumber: 2 });
    advance(INIT + T / 2);
    expect(await errorCode(() => rollback(g.groupId, id))).toBe("ResourceUnavailable.RefreshActivityCanNotRollback");
  });

  it("refuses ROLLING_UPDATE_REPLACE activities", async () => {
    const g = await seed(1);
    const id = await start(g.groupId, { BatchNumber: 1 }, "ROLLING_UPDATE_REPLACE");
    advance(INIT + T);
    expect(await errorCode(() => rollback(g.groupId, id))).toBe("ResourceUnavailable.RefreshActivityCanNotRollback");
  });

  it("refuses MaxSurge", async () => {
    const g = await seed(2);
    const id = await start(g.groupId, { BatchNumber: 1 });
    advance(INIT + T);
    expect(await errorCode(() => rollback(g.groupId, id, { BatchNumber: 1, MaxSurge: 1 }))).toBe("InvalidParameterValue");
  });

  it("refuses a BatchNumber above the instances to roll back", async () => {
    const g = await seed(2);
    const id = await start(g.groupId, { BatchNumber: 1 });
    advance(INIT + T);
    expect(await errorCode(() => rollback(g.groupId, id, { BatchNumber: 3 }))).toBe("InvalidParameterValue.BatchNumberTooLarge");
  });

  it("refuses an unknown origin or one of another group with RefreshActivityNotFound", async () => {
    const g = await seed(1);
    const other = await seed(1);
    const id = await start(g.groupId, { BatchNumber: 1 });
    advance(INIT + T);
    expect(await errorCode(() => rollback(g.groupId, "asr-00000000"))).toBe("ResourceNotFound.RefreshActivityNotFound");
    expect(await errorCode(() => rollback(other.groupId, id))).toBe("ResourceNotFound.RefreshActivityNotFound");
    expect(await errorCode(() => rollback("asg-zzzzzzzz", id))).toBe("ResourceNotFound.AutoScalingGroupIdNotFound");
  });

  it("refuses a paused activity with nothing refreshed yet (NoInstanceCanRollback)", async () => {
    const g = await seed(2);
    const id = await start(g.groupId, { BatchNumber: 2 });
    await as.StopInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    advance(INIT);
    expect(await errorCode(() => rollback(g.groupId, id))).toBe("ResourceUnavailable.NoInstanceCanRollback");
  });

  it("rolling back a paused activity ends it (pending instances CANCELLED) and rolls back what was refreshed", async () => {
    const g = await seed(4);
    const id = await start(g.groupId, { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" });
    advance(INIT + T);
    expect((await activity(id)).Status).toBe("AUTO_PAUSE");
    const rb = await rollback(g.groupId, id, { BatchNumber: 2 });
    const origin = await activity(id);
    expect(origin.Status).toBe("CANCELLED");
    expect(batchStatuses(origin)).toEqual(["SUCCESSFUL", "CANCELLED"]);
    expect(instanceStatuses(origin, 2)).toEqual(["CANCELLED", "CANCELLED"]);
    const a = await activity(rb.RefreshActivityId);
    expect(a.RefreshBatchSet.flatMap((b) => b.RefreshBatchRelatedInstanceSet.map((i) => i.InstanceId))).toEqual(g.instanceIds.slice(0, 2));
    expect(await enabled(g.groupId)).toBe("DISABLED");
    advance(INIT + 2 * T);
    expect((await activity(rb.RefreshActivityId)).Status).toBe("SUCCESSFUL");
    expect(await enabled(g.groupId)).toBe("ENABLED");
  });

  it("rolling back a manually paused activity waits for its running instances before starting", async () => {
    const g = await seed(4);
    const id = await start(g.groupId, { BatchNumber: 2 });
    advance(INIT + T / 2);
    await as.StopInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id });
    const rb = await rollback(g.groupId, id, { BatchNumber: 1 });
    let origin = await activity(id);
    expect(origin.Status).toBe("MANUAL_PAUSE");
    expect(instanceStatuses(origin, 1)).toEqual(["RUNNING", "RUNNING"]);
    expect((await activity(rb.RefreshActivityId)).Status).toBe("INIT");
    expect(await errorCode(() => as.ResumeInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshActivityId: id }))).toBe(
      "ResourceUnavailable.RefreshActivityStatusConflictWithOperation",
    );
    advance(T / 2);
    origin = await activity(id);
    expect(origin.Status).toBe("CANCELLED");
    expect(batchStatuses(origin)).toEqual(["SUCCESSFUL", "CANCELLED"]);
    advance(INIT);
    expect((await activity(rb.RefreshActivityId)).Status).toBe("RUNNING");
  });
});

describe("console actions (admin API)", () => {
  it("console pause sets MANUAL_PAUSE and console cancel ends the activity even with a batch running", async () => {
    const g = await seed(2);
    const id = await start(g.groupId, { BatchNumber: 2 });
    advance(INIT);
    const paused = await emu.admin.consolePause(id);
    expect(paused.Status).toBe("MANUAL_PAUSE");
    const cancelled = await emu.admin.consoleCancel(id);
    expect(cancelled.Status).toBe("CANCELLED");
    expect(cancelled.RefreshBatchSet.map((b) => b.RefreshBatchStatus)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(await emu.admin.activity(id)).toEqual(await activity(id));
    expect((await emu.admin.group(g.groupId)).enabledStatus).toBe("ENABLED");
  });
});
