/**
 * DescribeInstanceRefreshes (filters, MaxResults ≤ 50, NextToken paging, the 2014-08-28 shapes),
 * DescribeScalingGroups / DescribeScalingInstances (capacity, paging) and the parameter validation
 * of StartInstanceRefresh and the task actions, through the real SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HARNESSES, essClient, sdkFailure, startEss, type Body, type EssServer } from "./support";

describe.each(HARNESSES)("%s", (harness) => {
  let ess: EssServer;
  let client: ReturnType<typeof essClient>;
  let groupId: string;
  /** Task ids of `groupId`, oldest first. */
  const taskIds: string[] = [];
  const TASKS = 5;

  beforeAll(async () => {
    ess = await startEss({}, harness);
    client = essClient(ess);
    groupId = ess.backend.seedGroup({ instanceCount: 2, name: "web" }).id;
    for (let i = 0; i < TASKS; i++) {
      const { InstanceRefreshTaskId } = await client.call("StartInstanceRefresh", { ScalingGroupId: groupId, DesiredConfiguration: { ImageId: `m-image${i}` } });
      taskIds.push(InstanceRefreshTaskId as string);
      ess.backend.finishWave(InstanceRefreshTaskId as string);
      ess.backend.finishWave(InstanceRefreshTaskId as string);
      expect(ess.backend.getTask(InstanceRefreshTaskId as string).status).toBe("Successful");
    }
  });
  afterAll(async () => {
    await ess.close();
  });

  const ids = (body: Body) => (body.InstanceRefreshTasks as Body[]).map((t) => t.InstanceRefreshTaskId as string);

  describe("DescribeInstanceRefreshes", () => {
    it("lists a group's tasks newest first, 10 per page by default", async () => {
      const body = await client.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId });
      expect(ids(body)).toEqual([...taskIds].reverse());
      expect([body.TotalCount, body.MaxResults, body.NextToken]).toEqual([TASKS, 10, ""]);
    });

    it("pages with MaxResults and NextToken until NextToken is empty", async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const body = await client.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId, MaxResults: 2, ...(token ? { NextToken: token } : {}) });
        expect(body.TotalCount).toBe(TASKS);
        expect((body.InstanceRefreshTasks as Body[]).length).toBeLessThanOrEqual(2);
        seen.push(...ids(body));
        token = body.NextToken as string;
        pages++;
      } while (token !== "");
      expect(pages).toBe(3);
      expect(seen).toEqual([...taskIds].reverse());
    });

    it("refuses a NextToken that is malformed or from another query (InvalidParameter)", async () => {
      const first = await client.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId, MaxResults: 1 });
      expect(first.NextToken).toMatch(/^[0-9a-f]{32}$/);
      const other = await sdkFailure(() => client.call("DescribeInstanceRefreshes", { InstanceRefreshTaskIds: taskIds, MaxResults: 1, NextToken: first.NextToken }));
      expect([other.code, other.statusCode]).toEqual(["InvalidParameter", 400]);
      const junk = await sdkFailure(() => client.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId, NextToken: "not-a-token" }));
      expect(junk.code).toBe("InvalidParameter");
    });

    it("filters by InstanceRefreshTaskIds.N (alone or with ScalingGroupId)", async () => {
      const body = await client.call("DescribeInstanceRefreshes", { InstanceRefreshTaskIds: [taskIds[0], taskIds[2]] });
      expect(ids(body).sort()).toEqual([taskIds[0], taskIds[2]].sort());
      const other = ess.backend.seedGroup({ instanceCount: 1 }).id;
      const none = await client.call("DescribeInstanceRefreshes", { ScalingGroupId: other, InstanceRefreshTaskIds: [taskIds[0]] });
      expect(none.TotalCount).toBe(0);
    });

    it("echoes the task's parameters", async () => {
      const t = (await client.call("DescribeInstanceRefreshes", { InstanceRefreshTaskIds: [taskIds[1]] })).InstanceRefreshTasks[0] as Body;
      expect(t).toMatchObject({ ScalingGroupId: groupId, RegionId: "cn-hangzhou", Status: "Successful", DesiredConfiguration: { ImageId: "m-image1" } });
    });

    it("refuses MaxResults outside 1–50 and a call with neither ScalingGroupId nor task ids", async () => {
      for (const MaxResults of [0, 51]) {
        const f = await sdkFailure(() => client.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId, MaxResults }));
        expect([MaxResults, f.code]).toEqual([MaxResults, "InvalidParameter"]);
      }
      expect((await client.call("DescribeInstanceRefreshes", { ScalingGroupId: groupId, MaxResults: 50 })).MaxResults).toBe(50);
      const none = await sdkFailure(() => client.call("DescribeInstanceRefreshes", {}));
      expect(none.code).toBe("MissingParameter");
    });

    it("answers 2014-08-28 with XML-style wrapped lists and the InstanceRefreshTaskId.N filter", async () => {
      const legacy = essClient(ess, { version: "2014-08-28" });
      const body = await legacy.call("DescribeInstanceRefreshes", { InstanceRefreshTaskId: [taskIds[3]] });
      const tasks = body.InstanceRefreshTasks.InstanceRefreshTask as Body[];
      expect(tasks.map((t) => t.InstanceRefreshTaskId)).toEqual([taskIds[3]]);
      expect(tasks[0]!.Checkpoints).toEqual({ Checkpoint: [] });
    });
  });

  describe("DescribeScalingGroups and DescribeScalingInstances", () => {
    it("report a group's capacity and instances, by id and by name, paged", async () => {
      const groups = await client.call("DescribeScalingGroups", { ScalingGroupNames: ["web"] });
      expect(groups.ScalingGroups).toHaveLength(1);
      expect(groups.ScalingGroups[0]).toMatchObject({ ScalingGroupId: groupId, TotalCapacity: 2, ActiveCapacity: 2, DesiredCapacity: 2, LifecycleState: "Active" });
      const page = await client.call("DescribeScalingInstances", { ScalingGroupId: groupId, PageSize: 1, PageNumber: 2 });
      expect([page.TotalCount, page.PageNumber, page.PageSize, (page.ScalingInstances as Body[]).length]).toEqual([2, 2, 1, 1]);
      expect(page.ScalingInstances[0].InstanceId).toMatch(/^i-[a-z0-9]{20}$/);
      const tooBig = await sdkFailure(() => client.call("DescribeScalingGroups", { PageSize: 51 }));
      expect(tooBig.code).toBe("InvalidParameter");
    });

    it("see only the RegionId's groups", async () => {
      const other = await client.call("DescribeScalingGroups", { RegionId: "cn-beijing" });
      expect(other.TotalCount).toBe(0);
    });
  });

  describe("parameter validation (StartInstanceRefresh and the task actions)", () => {
    const start = (params: Record<string, unknown>) => sdkFailure(() => client.call("StartInstanceRefresh", { ScalingGroupId: groupId, ...params }));

    it.each([
      ["MinHealthyPercentage 101", { MinHealthyPercentage: 101 }, "InvalidParameter", "MinHealthyPercentage"],
      ["MinHealthyPercentage -1", { MinHealthyPercentage: -1 }, "InvalidParameter", "MinHealthyPercentage"],
      ["MaxHealthyPercentage 99", { MaxHealthyPercentage: 99 }, "InvalidParameter", "MaxHealthyPercentage"],
      ["MaxHealthyPercentage 201", { MaxHealthyPercentage: 201 }, "InvalidParameter", "MaxHealthyPercentage"],
      ["CheckpointPauseTime 0", { CheckpointPauseTime: 0 }, "InvalidParameter", "CheckpointPauseTime"],
      ["CheckpointPauseTime 2881", { CheckpointPauseTime: 2881 }, "InvalidParameter", "CheckpointPauseTime"],
      ["checkpoints not ascending", { Checkpoints: [{ Percentage: 50 }, { Percentage: 40 }, { Percentage: 100 }] }, "InvalidParameter", "Checkpoints.2.Percentage"],
      ["last checkpoint not 100", { Checkpoints: [{ Percentage: 50 }] }, "InvalidParameter", "Checkpoints.1.Percentage"],
      ["checkpoint 0", { Checkpoints: [{ Percentage: 0 }, { Percentage: 100 }] }, "InvalidParameter", "Checkpoints.1.Percentage"],
      ["ImageId with ScalingConfigurationId", { DesiredConfiguration: { ImageId: "m-x", ScalingConfigurationId: "asc-y" } }, "InvalidParameter.Conflict", "ImageId"],
      ["LaunchTemplateId with Containers", { DesiredConfiguration: { LaunchTemplateId: "lt-x", Containers: [{ Name: "app", Image: "nginx" }] } }, "InvalidParameter.Conflict", "Containers"],
      ["overrides without LaunchTemplateId", { DesiredConfiguration: { LaunchTemplateOverrides: [{ InstanceType: "ecs.g7.large" }] } }, "InvalidParameter", "LaunchTemplateOverrides"],
      ["bad LaunchTemplateVersion", { DesiredConfiguration: { LaunchTemplateId: "lt-x", LaunchTemplateVersion: "newest" } }, "InvalidParameter", "LaunchTemplateVersion"],
      ["Containers on an ECS group", { DesiredConfiguration: { Containers: [{ Name: "app", Image: "nginx" }] } }, "InvalidParameter", "Containers"],
      ["ClientToken of 65 characters", { ClientToken: "x".repeat(65) }, "InvalidParameter", "ClientToken"],
      ["SkipMatching not a boolean", { SkipMatching: "yes" }, "InvalidParameter", "SkipMatching"],
    ])("refuses %s", async (_name, params, code, named) => {
      const f = await start(params);
      expect([f.code, f.statusCode]).toEqual([code, 400]);
      expect(f.data.Message).toContain(named);
    });

    it("refuses ImageId for a group whose instances come from a launch template", async () => {
      const lt = ess.backend.seedGroup({ instanceCount: 1, launchTemplateId: "lt-emulatortemplate00001" }).id;
      const f = await sdkFailure(() => client.call("StartInstanceRefresh", { ScalingGroupId: lt, DesiredConfiguration: { ImageId: "m-x" } }));
      expect([f.code, f.data.Message]).toEqual(["InvalidParameter", expect.stringContaining("launch template")]);
    });

    it("refuses a missing RegionId or ScalingGroupId with MissingParameter", async () => {
      const region = await sdkFailure(() => client.call("StartInstanceRefresh", { RegionId: undefined, ScalingGroupId: groupId }));
      expect([region.code, region.data.Message]).toEqual(["MissingParameter", expect.stringContaining("RegionId")]);
      const group = await sdkFailure(() => client.call("SuspendInstanceRefresh", { InstanceRefreshTaskId: taskIds[0] }));
      expect([group.code, group.data.Message]).toEqual(["MissingParameter", expect.stringContaining("ScalingGroupId")]);
      const task = await sdkFailure(() => client.call("CancelInstanceRefresh", { ScalingGroupId: groupId }));
      expect([task.code, task.data.Message]).toEqual(["MissingParameter", expect.stringContaining("InstanceRefreshTaskId")]);
    });

    it("refuses an unknown group (also in another region) and an unknown task with the NotFound codes (404)", async () => {
      const unknown = await sdkFailure(() => client.call("StartInstanceRefresh", { ScalingGroupId: "asg-doesnotexist0000001" }));
      expect([unknown.code, unknown.statusCode]).toEqual(["InvalidScalingGroupId.NotFound", 404]);
      const elsewhere = await sdkFailure(() => client.call("StartInstanceRefresh", { RegionId: "cn-beijing", ScalingGroupId: groupId }));
      expect(elsewhere.code).toBe("InvalidScalingGroupId.NotFound");
      const task = await sdkFailure(() => client.call("ResumeInstanceRefresh", { ScalingGroupId: groupId, InstanceRefreshTaskId: "ir-doesnotexist1" }));
      expect([task.code, task.statusCode]).toEqual(["InvalidInstanceRefreshTaskId.NotFound", 404]);
    });

    it("refuses a list with a gap in its indexes", async () => {
      const f = await start({ "Checkpoints.1.Percentage": 50, "Checkpoints.3.Percentage": 100 });
      expect([f.code, f.data.Message]).toEqual(["InvalidParameter", expect.stringContaining("Checkpoints.2")]);
    });
  });
});
