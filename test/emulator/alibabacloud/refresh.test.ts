/**
 * The instance-refresh state machine through the real SDK, with a ManualClock: progression,
 * waves bounded by Min/MaxHealthyPercentage, checkpoints, Suspend/Resume, Cancel, Rollback (and
 * the calls refused during it), one active task per group, ClientToken idempotency, failures, the
 * one-week limit and the admin step helpers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RealClock } from "../../../emulator/clock";
import { EssBackend } from "../../../emulator/alibabacloud/backend";
import { DEFAULT_TIMING } from "../../../emulator/alibabacloud/stateMachine";
import { HARNESSES, describeTask, essClient, sdkFailure, startEss, type Body, type EssServer } from "./support";

const { pendingMs: PENDING, waveMs: WAVE, settleMs: SETTLE } = DEFAULT_TIMING;
const MINUTE_MS = 60_000;
const WEEK_MS = 7 * 24 * 60 * MINUTE_MS;
const NEW_CONFIG = "asc-newconfiguration0001";

describe.each(HARNESSES)("%s", (harness) => {
  let ess: EssServer;
  let client: ReturnType<typeof essClient>;

  beforeEach(async () => {
    ess = await startEss({}, harness);
    client = essClient(ess);
  });
  afterEach(async () => {
    await ess.close();
  });

  /** Seeds a group of `n` instances and starts a refresh to NEW_CONFIG with `params`. */
  async function start(n: number, params: Record<string, unknown> = {}): Promise<{ groupId: string; taskId: string }> {
    const groupId = ess.backend.seedGroup({ instanceCount: n }).id;
    const body = await client.call("StartInstanceRefresh", { ScalingGroupId: groupId, DesiredConfiguration: { ScalingConfigurationId: NEW_CONFIG }, ...params });
    return { groupId, taskId: body.InstanceRefreshTaskId as string };
  }

  const task = (groupId: string, taskId: string) => describeTask(client, groupId, taskId);
  const progress = (t: Body) => [t.Status, t.FinishedUpdateCapacity, t.TotalNeedUpdateCapacity];

  async function instances(groupId: string): Promise<Body[]> {
    const body = await client.call("DescribeScalingInstances", { ScalingGroupId: groupId, PageSize: 100 });
    return body.ScalingInstances as Body[];
  }
  const countBy = (list: Body[], key: string, value: unknown) => list.filter((i) => i[key] === value).length;

  describe("progression", () => {
    it("goes Pending → InProgress → Successful in waves of ⌊C·(Max−100)/100⌋+⌊C·(100−Min)/100⌋ (80/120, 10 instances → 4, 4, 2)", async () => {
      const { groupId, taskId } = await start(10);
      expect(taskId).toMatch(/^ir-[a-z0-9]{12}$/);
      const t0 = await task(groupId, taskId);
      expect(progress(t0)).toEqual(["Pending", 0, 10]);
      expect(t0).toMatchObject({ MinHealthyPercentage: 80, MaxHealthyPercentage: 120, SkipMatching: true, CheckpointPauseTime: 60, Checkpoints: [] });
      expect(t0.StartTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(t0.EndTime).toBeUndefined();

      ess.clock.advance(PENDING);
      expect(progress(await task(groupId, taskId))).toEqual(["InProgress", 0, 10]);
      const during = await instances(groupId);
      expect([countBy(during, "LifecycleState", "Removing"), countBy(during, "LifecycleState", "Pending"), countBy(during, "LifecycleState", "InService")]).toEqual([4, 4, 6]);

      ess.clock.advance(WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["InProgress", 4, 10]);
      ess.clock.advance(WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["InProgress", 8, 10]);
      ess.clock.advance(WAVE);
      const done = await task(groupId, taskId);
      expect(progress(done)).toEqual(["Successful", 10, 10]);
      expect(done.EndTime).toMatch(/Z$/);

      const after = await instances(groupId);
      expect(after).toHaveLength(10);
      expect(countBy(after, "ScalingConfigurationId", NEW_CONFIG)).toBe(10);
      const group = (await client.call("DescribeScalingGroups", { ScalingGroupIds: [groupId] })).ScalingGroups[0] as Body;
      expect(group).toMatchObject({ ActiveScalingConfigurationId: NEW_CONFIG, ActiveCapacity: 10, TotalCapacity: 10, PendingCapacity: 0 });
    });

    it("replaces one instance at a time with Min = Max = 100", async () => {
      const { groupId, taskId } = await start(3, { MinHealthyPercentage: 100, MaxHealthyPercentage: 100 });
      ess.clock.advance(PENDING);
      expect(countBy(await instances(groupId), "LifecycleState", "Removing")).toBe(1);
      ess.clock.advance(WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["InProgress", 1, 3]);
      ess.clock.advance(2 * WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["Successful", 3, 3]);
    });

    it("one clock jump replays every transition at its own time", async () => {
      const { groupId, taskId } = await start(10);
      ess.clock.advance(PENDING + 3 * WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["Successful", 10, 10]);
    });

    it("skips instances already on the desired configuration, Standby and manually attached ones", async () => {
      const groupId = ess.backend.seedGroup({
        instances: [{}, {}, { config: { scalingConfigurationId: NEW_CONFIG, imageId: null } }, { lifecycleState: "Standby" }, { creationType: "Attached" }],
      }).id;
      const { InstanceRefreshTaskId } = await client.call("StartInstanceRefresh", { ScalingGroupId: groupId, DesiredConfiguration: { ScalingConfigurationId: NEW_CONFIG } });
      expect((await task(groupId, InstanceRefreshTaskId as string)).TotalNeedUpdateCapacity).toBe(2);
      ess.clock.advance(PENDING + 10 * WAVE);
      expect(progress(await task(groupId, InstanceRefreshTaskId as string))).toEqual(["Successful", 2, 2]);
    });

    it("refuses a refresh with nothing to refresh (InvalidInstance.NoInstanceNeedBeRefreshed), unless SkipMatching=false", async () => {
      const groupId = ess.backend.seedGroup({ instanceCount: 2 }).id;
      const current = ess.backend.getGroup(groupId).activeConfig.scalingConfigurationId!;
      const f = await sdkFailure(() => client.call("StartInstanceRefresh", { ScalingGroupId: groupId, DesiredConfiguration: { ScalingConfigurationId: current } }));
      expect([f.code, f.statusCode]).toEqual(["InvalidInstance.NoInstanceNeedBeRefreshed", 400]);
      const ok = await client.call("StartInstanceRefresh", { ScalingGroupId: groupId, SkipMatching: false });
      expect((await task(groupId, ok.InstanceRefreshTaskId as string)).TotalNeedUpdateCapacity).toBe(2);
    });
  });

  describe("checkpoints", () => {
    it("pauses at each checkpoint for CheckpointPauseTime minutes (the wave stops exactly there), then continues", async () => {
      const { groupId, taskId } = await start(10, { Checkpoints: [{ Percentage: 30 }, { Percentage: 100 }], CheckpointPauseTime: 5 });
      ess.clock.advance(PENDING + WAVE);
      const paused = await task(groupId, taskId);
      expect(progress(paused)).toEqual(["CheckpointPause", 3, 10]);
      expect(paused.Checkpoints).toEqual([{ Percentage: 30 }, { Percentage: 100 }]);
      ess.clock.advance(5 * MINUTE_MS - 1);
      expect((await task(groupId, taskId)).Status).toBe("CheckpointPause");
      ess.clock.advance(1);
      expect(progress(await task(groupId, taskId))).toEqual(["InProgress", 3, 10]);
      ess.clock.advance(2 * WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["Successful", 10, 10]);
    });

    it("Resume ends a checkpoint pause early; Suspend turns it into Paused", async () => {
      const { groupId, taskId } = await start(4, { Checkpoints: [{ Percentage: 50 }, { Percentage: 100 }], MinHealthyPercentage: 100, MaxHealthyPercentage: 100 });
      ess.clock.advance(PENDING + 2 * WAVE);
      expect((await task(groupId, taskId)).Status).toBe("CheckpointPause");
      await client.call("SuspendInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      ess.clock.advance(120 * MINUTE_MS);
      expect(progress(await task(groupId, taskId))).toEqual(["Paused", 2, 4]);
      await client.call("ResumeInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      expect((await task(groupId, taskId)).Status).toBe("InProgress");
      ess.clock.advance(2 * WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["Successful", 4, 4]);
    });
  });

  describe("Suspend and Resume", () => {
    it("Suspend → Paused: the wave in flight completes, no new one starts; Resume → InProgress continues", async () => {
      const { groupId, taskId } = await start(10);
      ess.clock.advance(PENDING);
      await client.call("SuspendInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      expect((await task(groupId, taskId)).Status).toBe("Paused");
      ess.clock.advance(10 * WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["Paused", 4, 10]);
      expect(countBy(await instances(groupId), "LifecycleState", "InService")).toBe(10);
      const again = await sdkFailure(() => client.call("SuspendInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId }));
      expect([again.code, again.statusCode]).toEqual(["IncorrectInstanceRefreshTaskStatus", 403]);
      await client.call("ResumeInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      ess.clock.advance(2 * WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["Successful", 10, 10]);
    });

    it("Resume of a running task is refused", async () => {
      const { groupId, taskId } = await start(2);
      ess.clock.advance(PENDING);
      const f = await sdkFailure(() => client.call("ResumeInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId }));
      expect(f.code).toBe("IncorrectInstanceRefreshTaskStatus");
    });
  });

  describe("Cancel", () => {
    it("Cancel → Cancelling until the wave in flight ends → Cancelled; replaced instances stay", async () => {
      const { groupId, taskId } = await start(10);
      ess.clock.advance(PENDING);
      await client.call("CancelInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      expect((await task(groupId, taskId)).Status).toBe("Cancelling");
      ess.clock.advance(WAVE);
      const t = await task(groupId, taskId);
      expect(progress(t)).toEqual(["Cancelled", 4, 10]);
      expect(t.EndTime).toBeDefined();
      expect(countBy(await instances(groupId), "ScalingConfigurationId", NEW_CONFIG)).toBe(4);
      const group = (await client.call("DescribeScalingGroups", { ScalingGroupIds: [groupId] })).ScalingGroups[0] as Body;
      expect(group.ActiveScalingConfigurationId).not.toBe(NEW_CONFIG);
    });

    it("Cancel of a paused task settles after settleMs", async () => {
      const { groupId, taskId } = await start(3, { MinHealthyPercentage: 100, MaxHealthyPercentage: 100 });
      ess.clock.advance(PENDING);
      await client.call("SuspendInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      ess.clock.advance(WAVE);
      await client.call("CancelInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      expect((await task(groupId, taskId)).Status).toBe("Cancelling");
      ess.clock.advance(SETTLE);
      expect(progress(await task(groupId, taskId))).toEqual(["Cancelled", 1, 3]);
      const f = await sdkFailure(() => client.call("CancelInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId }));
      expect(f.code).toBe("IncorrectInstanceRefreshTaskStatus");
    });
  });

  describe("Rollback", () => {
    it("Rollback → RollbackInProgress (Suspend and Cancel refused): the refresh wave in flight completes, then waves revert → RollbackSuccessful", async () => {
      const { groupId, taskId } = await start(10);
      const previous = ess.backend.getGroup(groupId).activeConfig.scalingConfigurationId;
      ess.clock.advance(PENDING + WAVE);
      expect((await task(groupId, taskId)).FinishedUpdateCapacity).toBe(4);
      await client.call("RollbackInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      expect((await task(groupId, taskId)).Status).toBe("RollbackInProgress");
      for (const action of ["SuspendInstanceRefresh", "CancelInstanceRefresh"]) {
        const f = await sdkFailure(() => client.call(action, { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId }));
        expect([action, f.code, f.statusCode]).toEqual([action, "IncorrectInstanceRefreshTaskStatus", 403]);
        expect(f.data.Message).toContain("rolled back");
      }
      ess.clock.advance(WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["RollbackInProgress", 8, 10]);
      ess.clock.advance(WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["RollbackInProgress", 4, 10]);
      ess.clock.advance(WAVE);
      expect(progress(await task(groupId, taskId))).toEqual(["RollbackSuccessful", 0, 10]);
      const after = await instances(groupId);
      expect(countBy(after, "ScalingConfigurationId", previous)).toBe(10);
      const again = await sdkFailure(() => client.call("RollbackInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId }));
      expect(again.code).toBe("IncorrectInstanceRefreshTaskStatus");
    });

    it("rolls back a Successful task and restores the group's active configuration", async () => {
      const { groupId, taskId } = await start(2, { MinHealthyPercentage: 50, MaxHealthyPercentage: 150 });
      const previous = ess.backend.getGroup(groupId).activeConfig.scalingConfigurationId;
      ess.clock.advance(PENDING + WAVE);
      expect((await task(groupId, taskId)).Status).toBe("Successful");
      expect(ess.backend.getGroup(groupId).activeConfig.scalingConfigurationId).toBe(NEW_CONFIG);
      await client.call("RollbackInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      ess.clock.advance(WAVE);
      expect((await task(groupId, taskId)).Status).toBe("RollbackSuccessful");
      const group = (await client.call("DescribeScalingGroups", { ScalingGroupIds: [groupId] })).ScalingGroups[0] as Body;
      expect(group.ActiveScalingConfigurationId).toBe(previous);
    });

    it("ends RollbackFailed with the instance's message when reverting an instance fails", async () => {
      const { groupId, taskId } = await start(2, { MinHealthyPercentage: 100, MaxHealthyPercentage: 100 });
      ess.clock.advance(PENDING + WAVE);
      const refreshed = (await instances(groupId)).find((i) => i.ScalingConfigurationId === NEW_CONFIG)!;
      ess.backend.failInstance(refreshed.InstanceId as string, "disk attach failed");
      await client.call("RollbackInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      ess.clock.advance(WAVE); // the second refresh wave completes; reverting the first refreshed instance starts
      expect(progress(await task(groupId, taskId))).toEqual(["RollbackInProgress", 2, 2]);
      ess.clock.advance(WAVE);
      const t = await task(groupId, taskId);
      expect([t.Status, t.Detail]).toEqual(["RollbackFailed", "disk attach failed"]);
    });

    it("refuses to roll back a task whose LaunchTemplateVersion is Latest", async () => {
      const groupId = ess.backend.seedGroup({ instanceCount: 1, launchTemplateId: "lt-emulatortemplate00001" }).id;
      const { InstanceRefreshTaskId } = await client.call("StartInstanceRefresh", {
        ScalingGroupId: groupId,
        DesiredConfiguration: { LaunchTemplateId: "lt-emulatortemplate00001", LaunchTemplateVersion: "Latest" },
      });
      ess.clock.advance(PENDING);
      const f = await sdkFailure(() => client.call("RollbackInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId }));
      expect(f.code).toBe("UnsupportedOperation");
    });
  });

  describe("one task per group, idempotency, failures", () => {
    it("refuses a second Start while a task is active (IncorrectScalingGroupStatus, 403), accepts it once the first ended", async () => {
      const { groupId, taskId } = await start(2);
      const f = await sdkFailure(() => client.call("StartInstanceRefresh", { ScalingGroupId: groupId, SkipMatching: false }));
      expect([f.code, f.statusCode]).toEqual(["IncorrectScalingGroupStatus", 403]);
      expect(f.data.Message).toContain(taskId);
      ess.clock.advance(PENDING + 2 * WAVE);
      expect((await task(groupId, taskId)).Status).toBe("Successful");
      const second = await client.call("StartInstanceRefresh", { ScalingGroupId: groupId, SkipMatching: false });
      expect(second.InstanceRefreshTaskId).not.toBe(taskId);
    });

    it("the same ClientToken returns the same task; with other parameters it is refused", async () => {
      const groupId = ess.backend.seedGroup({ instanceCount: 2 }).id;
      const params = { ScalingGroupId: groupId, ClientToken: "token-123", DesiredConfiguration: { ImageId: "m-newimage" } };
      const a = await client.call("StartInstanceRefresh", params);
      const b = await client.call("StartInstanceRefresh", params);
      expect(b.InstanceRefreshTaskId).toBe(a.InstanceRefreshTaskId);
      expect((await client.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId })).TotalCount).toBe(1);
      const f = await sdkFailure(() => client.call("StartInstanceRefresh", { ...params, MinHealthyPercentage: 50 }));
      expect(f.code).toBe("IdempotentParameterMismatch");
    });

    it("an instance that fails to refresh fails the task with its message as Detail", async () => {
      const groupId = ess.backend.seedGroup({ instanceCount: 2 }).id;
      ess.backend.failInstance(ess.backend.getGroup(groupId).instanceIds[1]!, "image m-newimage not found");
      const { InstanceRefreshTaskId } = await client.call("StartInstanceRefresh", {
        ScalingGroupId: groupId,
        DesiredConfiguration: { ImageId: "m-newimage" },
        MinHealthyPercentage: 100,
        MaxHealthyPercentage: 100,
      });
      ess.clock.advance(PENDING + 2 * WAVE);
      const t = await task(groupId, InstanceRefreshTaskId as string);
      expect([t.Status, t.FinishedUpdateCapacity, t.Detail]).toEqual(["Failed", 1, "image m-newimage not found"]);
      expect(countBy(await instances(groupId), "LifecycleState", "InService")).toBe(2);
    });

    it("a task not ended within a week fails with the documented Detail", async () => {
      const { groupId, taskId } = await start(3);
      ess.clock.advance(PENDING);
      await client.call("SuspendInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: taskId });
      ess.clock.advance(WEEK_MS);
      const t = await task(groupId, taskId);
      expect(t.Status).toBe("Failed");
      expect(t.Detail).toBe("The task exceeded its maximum run time of one week. So the task failed.");
    });
  });

  describe("admin step helpers", () => {
    it("stepTask performs the next timed transition now; finishWave completes the wave in flight", async () => {
      const { groupId, taskId } = await start(10);
      expect(ess.backend.stepTask(taskId).status).toBe("InProgress");
      expect(ess.backend.finishWave(taskId).finishedUpdateCapacity).toBe(4);
      expect(ess.backend.finishWave(taskId).finishedUpdateCapacity).toBe(8);
      expect(ess.backend.finishWave(taskId).status).toBe("Successful");
      expect(progress(await task(groupId, taskId))).toEqual(["Successful", 10, 10]);
      expect(() => ess.backend.stepTask(taskId)).toThrow(/waits for a call/);
    });

    it("finishWave from Pending runs Pending and the first wave", async () => {
      const { taskId } = await start(10, { MinHealthyPercentage: 100, MaxHealthyPercentage: 100 });
      const t = ess.backend.finishWave(taskId);
      expect([t.status, t.finishedUpdateCapacity]).toEqual(["InProgress", 1]);
    });
  });

  describe("with a RealClock", () => {
    it("tasks progress on their own (a timer wakes the model), and close() stops it", async () => {
      // Pending lasts long enough for the first assertion on a loaded machine; the waves are quick.
      const backend = new EssBackend({ clock: new RealClock(), timing: { pendingMs: 250, waveMs: 5, settleMs: 5 } });
      try {
        const group = backend.seedGroup({ instanceCount: 3 });
        const t = backend.startInstanceRefresh({ regionId: group.regionId, scalingGroupId: group.id, desiredConfiguration: { ImageId: "m-next" }, checkpoints: [] });
        expect(t.status).toBe("Pending");
        await vi.waitFor(() => expect(t.status).toBe("Successful"), { timeout: 2_000, interval: 5 });
        expect(t.finishedUpdateCapacity).toBe(3);
      } finally {
        backend.close();
      }
    });
  });
});
