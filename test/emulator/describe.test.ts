import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { errorCode, sdkClient, type AsClient } from "../helpers/emulator";

let emu: RunningEmulator;
let clock: ManualClock;
let as: AsClient;
const ids: string[] = []; // activities of asg-9dn1a5y6, oldest first
let rollbackId: string;

beforeAll(async () => {
  clock = new ManualClock();
  emu = await startEmulator({ clock, rateLimit: false }); // default fixture
  as = sdkClient(emu);
  const T = emu.backend.timing.batchMs + emu.backend.timing.initMs;
  for (let n = 0; n < 3; n++) {
    const r = await as.StartInstanceRefresh({ AutoScalingGroupId: "asg-9dn1a5y6", RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } });
    ids.push(r.RefreshActivityId);
    clock.advance(T);
  }
  rollbackId = (
    await as.RollbackInstanceRefresh({
      AutoScalingGroupId: "asg-9dn1a5y6",
      OriginRefreshActivityId: ids[2],
      RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } },
    })
  ).RefreshActivityId;
  await as.StartInstanceRefresh({ AutoScalingGroupId: "asg-h7tgd87d", RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2 } } });
});
afterAll(() => emu.stop());

const groupFilter = (...v: string[]) => ({ Name: "auto-scaling-group-id", Values: v });

describe("DescribeRefreshActivities", () => {
  it("lists a group's activities newest first", async () => {
    const r = await as.DescribeRefreshActivities({ Filters: [groupFilter("asg-9dn1a5y6")] });
    expect(r.TotalCount).toBe(4);
    expect(r.RefreshActivitySet.map((a) => a.RefreshActivityId)).toEqual([rollbackId, ...[...ids].reverse()]);
  });

  it("without filters lists every activity, newest first", async () => {
    const r = await as.DescribeRefreshActivities({});
    expect(r.TotalCount).toBe(5);
    expect(r.RefreshActivitySet[0].AutoScalingGroupId).toBe("asg-h7tgd87d");
  });

  it("filters by refresh-activity-status-code, refresh-activity-type and refresh-activity-id", async () => {
    const running = await as.DescribeRefreshActivities({ Filters: [{ Name: "refresh-activity-status-code", Values: ["INIT", "RUNNING"] }] });
    expect(running.TotalCount).toBe(2);
    const rollbacks = await as.DescribeRefreshActivities({ Filters: [{ Name: "refresh-activity-type", Values: ["ROLLBACK"] }] });
    expect(rollbacks.RefreshActivitySet.map((a) => a.RefreshActivityId)).toEqual([rollbackId]);
    const byId = await as.DescribeRefreshActivities({ Filters: [{ Name: "refresh-activity-id", Values: [ids[0], ids[1]] }] });
    expect(byId.RefreshActivitySet.map((a) => a.RefreshActivityId)).toEqual([ids[1], ids[0]]);
    const combined = await as.DescribeRefreshActivities({
      Filters: [groupFilter("asg-9dn1a5y6"), { Name: "refresh-activity-status-code", Values: ["SUCCESSFUL"] }, { Name: "refresh-activity-type", Values: ["NORMAL"] }],
    });
    expect(combined.TotalCount).toBe(3);
  });

  it("looks up ids, ignoring unknown ones", async () => {
    const r = await as.DescribeRefreshActivities({ RefreshActivityIds: [ids[0], "asr-00000000"] });
    expect(r.TotalCount).toBe(1);
  });

  it("pages with Limit and Offset (default Limit 20)", async () => {
    const page = await as.DescribeRefreshActivities({ Filters: [groupFilter("asg-9dn1a5y6")], Limit: 2, Offset: 1 });
    expect(page.TotalCount).toBe(4);
    expect(page.RefreshActivitySet.map((a) => a.RefreshActivityId)).toEqual([ids[2], ids[1]]);
    const g = await emu.admin.seedGroup({ instanceCount: 1 });
    for (let n = 0; n < 22; n++) {
      await as.StartInstanceRefresh({ AutoScalingGroupId: g.groupId, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } });
      clock.advance(emu.backend.timing.batchMs + emu.backend.timing.initMs);
    }
    const all = await as.DescribeRefreshActivities({ Filters: [groupFilter(g.groupId)] });
    expect(all.TotalCount).toBe(22);
    expect(all.RefreshActivitySet).toHaveLength(20);
    const max = await as.DescribeRefreshActivities({ Filters: [groupFilter(g.groupId)], Limit: 100 });
    expect(max.RefreshActivitySet).toHaveLength(22);
  });

  it("refuses ids and filters together with InvalidParameter.Conflict", async () => {
    expect(await errorCode(() => as.DescribeRefreshActivities({ RefreshActivityIds: [ids[0]], Filters: [groupFilter("asg-9dn1a5y6")] }))).toBe(
      "InvalidParameter.Conflict",
    );
  });

  it("refuses Limit above 100 with InvalidParameterValue.LimitExceeded", async () => {
    expect(await errorCode(() => as.DescribeRefreshActivities({ Limit: 101 }))).toBe("InvalidParameterValue.LimitExceeded");
  });

  it("refuses negative Offset with InvalidParameterValue", async () => {
    expect(await errorCode(() => as.DescribeRefreshActivities({ Offset: -1 }))).toBe("InvalidParameterValue");
  });

  it("refuses more than 100 ids with InvalidParameterValue.LimitExceeded", async () => {
    const many = Array.from({ length: 101 }, (_, n) => `asr-${String(n).padStart(8, "0")}`);
    expect(await errorCode(() => as.DescribeRefreshActivities({ RefreshActivityIds: many }))).toBe("InvalidParameterValue.LimitExceeded");
  });

  it("refuses more than 10 filters with InvalidParameterValue.LimitExceeded", async () => {
    const filters = Array.from({ length: 11 }, () => groupFilter("asg-9dn1a5y6"));
    expect(await errorCode(() => as.DescribeRefreshActivities({ Filters: filters }))).toBe("InvalidParameterValue.LimitExceeded");
  });

  it("refuses more than 5 values in a filter with LimitExceeded.FilterValuesTooLong", async () => {
    const f = { Name: "refresh-activity-id", Values: ["a", "b", "c", "d", "e", "f"] };
    expect(await errorCode(() => as.DescribeRefreshActivities({ Filters: [f] }))).toBe("LimitExceeded.FilterValuesTooLong");
  });

  it("refuses an unknown filter name with InvalidParameterValue.Filter", async () => {
    expect(await errorCode(() => as.DescribeRefreshActivities({ Filters: [{ Name: "zone", Values: ["x"] }] }))).toBe("InvalidParameterValue.Filter");
  });

  it("refuses a malformed group id with InvalidParameterValue.InvalidAutoScalingGroupId", async () => {
    expect(await errorCode(() => as.DescribeRefreshActivities({ Filters: [groupFilter("group-1")] }))).toBe(
      "InvalidParameterValue.InvalidAutoScalingGroupId",
    );
  });

  it("refuses unknown status values and empty value lists with InvalidParameterValue.InvalidFilter", async () => {
    expect(await errorCode(() => as.DescribeRefreshActivities({ Filters: [{ Name: "refresh-activity-status-code", Values: ["DONE"] }] }))).toBe(
      "InvalidParameterValue.InvalidFilter",
    );
    expect(await errorCode(() => as.DescribeRefreshActivities({ Filters: [{ Name: "refresh-activity-type", Values: [] }] }))).toBe(
      "InvalidParameterValue.InvalidFilter",
    );
  });
});

describe("DescribeAutoScalingGroups and DescribeAutoScalingInstances", () => {
  it("returns the fixture groups with their instance counts", async () => {
    const r = await as.DescribeAutoScalingGroups({ AutoScalingGroupIds: ["asg-9dn1a5y6", "asg-h7tgd87d", "asg-zzzzzzzz"] });
    expect(r.TotalCount).toBe(2);
    const [web, api] = r.AutoScalingGroupSet;
    expect(web.AutoScalingGroupId).toBe("asg-9dn1a5y6");
    expect(web.InstanceCount).toBe(5);
    expect(web.InServiceInstanceCount).toBe(5);
    expect(["ENABLED", "DISABLED"]).toContain(web.EnabledStatus);
    expect(api.InstanceCount).toBe(6);
    expect(web.LaunchConfigurationId).toMatch(/^asc-/);
  });

  it("filters groups by id and name, with Limit and Offset", async () => {
    const byName = await as.DescribeAutoScalingGroups({ Filters: [{ Name: "auto-scaling-group-name", Values: ["demo-ten"] }] });
    expect(byName.AutoScalingGroupSet.map((g) => g.AutoScalingGroupId)).toEqual(["asg-demo0010"]);
    const page = await as.DescribeAutoScalingGroups({ Limit: 1, Offset: 1 });
    expect(page.AutoScalingGroupSet).toHaveLength(1);
    expect(page.AutoScalingGroupSet[0].AutoScalingGroupId).toBe("asg-h7tgd87d");
    expect(await errorCode(() => as.DescribeAutoScalingGroups({ AutoScalingGroupIds: ["asg-9dn1a5y6"], Filters: [groupFilter("asg-9dn1a5y6")] }))).toBe(
      "InvalidParameter.Conflict",
    );
  });

  it("lists a group's instances by filter and by ids, with paging", async () => {
    const r = await as.DescribeAutoScalingInstances({ Filters: [groupFilter("asg-demo0010")], Limit: 4, Offset: 8 });
    expect(r.TotalCount).toBe(10);
    expect(r.AutoScalingInstanceSet.map((i) => i.InstanceId)).toEqual(["ins-demo0009", "ins-demo0010"]);
    const i = r.AutoScalingInstanceSet[0];
    expect(i).toMatchObject({ AutoScalingGroupId: "asg-demo0010", LifeCycleState: "IN_SERVICE", HealthStatus: "HEALTHY" });
    expect(i.AddTime).toMatch(/Z$/);
    const byIds = await as.DescribeAutoScalingInstances({ InstanceIds: ["ins-mixed004"] });
    expect(byIds.AutoScalingInstanceSet[0].LifeCycleState).toBe("STOPPED");
    expect(await errorCode(() => as.DescribeAutoScalingInstances({ Filters: [{ Name: "zone", Values: ["x"] }] }))).toBe("InvalidParameterValue.Filter");
  });
});
