/**
 * The JSON shapes of the API's answers, per version: 2022-02-22 writes plain arrays; 2014-08-28
 * wraps every list XML-style (`InstanceRefreshTasks: {InstanceRefreshTask: […]}`), as [TF] reads it.
 */
import { ESS_LEGACY_API_VERSION, type DesiredConfiguration, type EssApiVersion, type GroupRecord, type InstanceRecord, type TaskRecord } from "./model";

/** A JSON object of an answer. */
export type Json = Record<string, unknown>;

/**
 * A list as the version writes it: the array itself (2022-02-22) or `{[itemName]: array}` (2014-08-28).
 * @example list("2014-08-28", "Checkpoint", [{Percentage: 100}]) // {Checkpoint: [{Percentage: 100}]}
 */
export function list(version: EssApiVersion, itemName: string, items: unknown[]): unknown {
  return version === ESS_LEGACY_API_VERSION ? { [itemName]: items } : items;
}

/** Epoch ms → `2024-08-22T01:09:00Z`. */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function desiredView(version: EssApiVersion, d: DesiredConfiguration): Json {
  const out: Json = {};
  if (d.ImageId !== undefined) out.ImageId = d.ImageId;
  if (d.ScalingConfigurationId !== undefined) out.ScalingConfigurationId = d.ScalingConfigurationId;
  if (d.LaunchTemplateId !== undefined) out.LaunchTemplateId = d.LaunchTemplateId;
  if (d.LaunchTemplateVersion !== undefined) out.LaunchTemplateVersion = d.LaunchTemplateVersion;
  if (d.LaunchTemplateOverrides !== undefined) {
    out.LaunchTemplateOverrides = list(version, "LaunchTemplateOverride", d.LaunchTemplateOverrides.map((o) => ({ InstanceType: o.InstanceType })));
  }
  if (d.Containers !== undefined) {
    out.Containers = list(
      version,
      "Container",
      d.Containers.map((c) => {
        const container: Json = { Name: c.Name };
        if (c.Image !== undefined) container.Image = c.Image;
        if (c.Commands !== undefined) container.Commands = list(version, "Command", c.Commands);
        if (c.Args !== undefined) container.Args = list(version, "Arg", c.Args);
        if (c.EnvironmentVars !== undefined) container.EnvironmentVars = list(version, "EnvironmentVar", c.EnvironmentVars.map((e) => ({ ...e })));
        return container;
      }),
    );
  }
  return out;
}

/** A task as DescribeInstanceRefreshes writes it. */
export function taskView(version: EssApiVersion, t: TaskRecord): Json {
  const out: Json = {
    InstanceRefreshTaskId: t.id,
    ScalingGroupId: t.groupId,
    RegionId: t.regionId,
    Status: t.status,
    Detail: t.detail,
    StartTime: isoTime(t.startTime),
    TotalNeedUpdateCapacity: t.totalNeedUpdateCapacity,
    FinishedUpdateCapacity: t.finishedUpdateCapacity,
    MinHealthyPercentage: t.minHealthyPercentage,
    MaxHealthyPercentage: t.maxHealthyPercentage,
    SkipMatching: t.skipMatching,
    CheckpointPauseTime: t.checkpointPauseTime,
    Checkpoints: list(version, "Checkpoint", t.checkpoints.map((p) => ({ Percentage: p }))),
    DesiredConfiguration: desiredView(version, t.desiredConfiguration),
  };
  if (t.endTime !== null) out.EndTime = isoTime(t.endTime);
  if (t.strategy !== null) out.Strategy = t.strategy;
  return out;
}

/** A group as DescribeScalingGroups writes it (the capacity fields and the configuration source). */
export function groupView(g: GroupRecord, members: readonly InstanceRecord[]): Json {
  const count = (state: string) => members.filter((i) => i.lifecycleState === state).length;
  const out: Json = {
    ScalingGroupId: g.id,
    ScalingGroupName: g.name,
    RegionId: g.regionId,
    GroupType: g.groupType,
    LifecycleState: g.lifecycleState,
    MultiAZPolicy: g.multiAzPolicy,
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    TotalCapacity: members.length,
    TotalInstanceCount: members.length,
    ActiveCapacity: count("InService"),
    PendingCapacity: count("Pending"),
    RemovingCapacity: count("Removing"),
    StandbyCapacity: count("Standby"),
    ProtectedCapacity: count("Protected"),
    CreationTime: isoTime(g.createdAt),
  };
  if (g.activeConfig.scalingConfigurationId !== null) out.ActiveScalingConfigurationId = g.activeConfig.scalingConfigurationId;
  if (g.activeConfig.launchTemplateId !== null) {
    out.LaunchTemplateId = g.activeConfig.launchTemplateId;
    out.LaunchTemplateVersion = g.activeConfig.launchTemplateVersion;
  }
  return out;
}

/** An instance as DescribeScalingInstances writes it. */
export function instanceView(i: InstanceRecord): Json {
  const out: Json = {
    InstanceId: i.id,
    ScalingGroupId: i.groupId,
    LifecycleState: i.lifecycleState,
    HealthStatus: i.healthStatus,
    CreationType: i.creationType,
    CreationTime: isoTime(i.createdAt),
    ZoneId: i.zoneId,
    Entrusted: i.creationType === "AutoCreated",
    WeightedCapacity: 1,
  };
  if (i.config.scalingConfigurationId !== null) out.ScalingConfigurationId = i.config.scalingConfigurationId;
  if (i.config.launchTemplateId !== null) {
    out.LaunchTemplateId = i.config.launchTemplateId;
    out.LaunchTemplateVersion = i.config.launchTemplateVersion;
  }
  return out;
}
