/** Model records → API shapes (field names exactly as `as_models.d.ts`). */
import { formatTime } from "../clock";
import type { ModelState } from "./state";
import type { ActivityRecord, AutoScalingGroup, GroupRecord, Instance, InstanceRecord, RefreshActivity } from "./types";
import { groupVersionView, type GroupVersionView } from "./versions";

/**
 * A `RefreshActivity` as DescribeRefreshActivities returns it.
 * Batches are listed in ascending order. inferred: the documentation example lists them descending,
 * which reads as an artefact of that example; ascending is what clients index by RefreshBatchNum.
 */
export function toRefreshActivity(a: ActivityRecord): RefreshActivity {
  return {
    AutoScalingGroupId: a.groupId,
    RefreshActivityId: a.id,
    OriginRefreshActivityId: a.originId,
    RefreshBatchSet: a.batches.map((b) => ({
      RefreshBatchNum: b.num,
      RefreshBatchStatus: b.status,
      RefreshBatchRelatedInstanceSet: b.instances.map((i) => ({
        InstanceId: i.instanceId,
        InstanceStatus: i.status,
        LastActivityId: i.lastActivityId,
        InstanceStatusMessage: i.message,
      })),
      StartTime: formatTime(b.startedAt),
      EndTime: formatTime(b.endedAt),
    })),
    RefreshMode: a.mode,
    RefreshSettings: {
      RollingUpdateSettings: { ...a.settings.RollingUpdateSettings },
      CheckInstanceTargetHealth: a.settings.CheckInstanceTargetHealth,
      CheckInstanceTargetHealthTimeout: a.settings.CheckInstanceTargetHealthTimeout,
    },
    ActivityType: a.type,
    Status: a.status,
    CurrentRefreshBatchNum: a.currentBatchNum,
    StartTime: formatTime(a.startedAt),
    EndTime: formatTime(a.endedAt),
    CreatedTime: formatTime(a.createdAt)!,
  };
}

/** An `AutoScalingGroup`; EnabledStatus is DISABLED while a refresh activity holds the group. */
export function toAutoScalingGroup(g: GroupRecord, state: ModelState): AutoScalingGroup {
  let inService = 0;
  for (const id of g.instanceIds) if (state.instances.get(id)?.lifeCycleState === "IN_SERVICE") inService++;
  const active = g.activeActivityId ? state.activities.get(g.activeActivityId) : undefined;
  const scaling = active !== undefined && (active.phase === "SURGE_OUT" || active.phase === "SURGE_IN");
  return {
    AutoScalingGroupId: g.id,
    AutoScalingGroupName: g.name,
    AutoScalingGroupStatus: "NORMAL",
    CreatedTime: formatTime(g.createdAt)!,
    DefaultCooldown: 300,
    DesiredCapacity: g.instanceIds.length,
    EnabledStatus: g.activeActivityId ? "DISABLED" : "ENABLED",
    ForwardLoadBalancerSet: [],
    InstanceCount: g.instanceIds.length,
    InServiceInstanceCount: inService,
    LaunchConfigurationId: g.launchConfigurationId,
    LaunchConfigurationName: g.launchConfigurationName,
    LoadBalancerIdSet: [],
    MaxSize: Math.max(g.maxSize, g.instanceIds.length),
    MinSize: g.minSize,
    ProjectId: 0,
    SubnetIdSet: [...g.subnetIds],
    TerminationPolicySet: ["OLDEST_INSTANCE"],
    VpcId: g.vpcId,
    ZoneSet: [...g.zones],
    RetryPolicy: "IMMEDIATE_RETRY",
    InActivityStatus: scaling ? "IN_ACTIVITY" : "NOT_IN_ACTIVITY",
    Tags: [],
    Ipv6AddressCount: 0,
    MultiZoneSubnetPolicy: "PRIORITY",
    HealthCheckType: "CVM",
    LoadBalancerHealthCheckGracePeriod: 0,
    InstanceAllocationPolicy: "LAUNCH_CONFIGURATION",
    CapacityRebalance: false,
  };
}

/** An `Instance` as DescribeAutoScalingInstances returns it. */
export function toInstance(i: InstanceRecord, state: ModelState): Instance {
  const g = state.groups.get(i.groupId);
  return {
    InstanceId: i.id,
    AutoScalingGroupId: i.groupId,
    LaunchConfigurationId: g?.launchConfigurationId ?? "",
    LaunchConfigurationName: g?.launchConfigurationName ?? "",
    LifeCycleState: i.lifeCycleState,
    HealthStatus: i.healthStatus,
    ProtectedFromScaleIn: i.protectedFromScaleIn,
    Zone: i.zone,
    CreationType: i.creationType,
    AddTime: formatTime(i.addedAt)!,
    InstanceType: i.instanceType,
    VersionNumber: 1,
    AutoScalingGroupName: g?.name ?? "",
    WarmupStatus: "NO_NEED_WARMUP",
    DisasterRecoverGroupIds: [],
  };
}

/** The admin API's view of a group: camelCase summary, its versions (`versions.ts`) plus the API shapes. */
export interface EmulatorGroupView extends GroupVersionView {
  /** AutoScalingGroupName. */
  name: string;
  /** `DISABLED` while a refresh activity runs or is paused. */
  enabledStatus: "ENABLED" | "DISABLED";
  /** The group's unfinished refresh activity, if any. */
  activeActivityId: string | null;
  /** Its instances' ids. */
  instanceIds: string[];
  /** The group as DescribeAutoScalingGroups returns it. */
  autoScalingGroup: AutoScalingGroup;
  /** Its instances as DescribeAutoScalingInstances returns them. */
  instances: Instance[];
  /** The version each of its instances runs, by instance id. */
  instanceVersions: Record<string, string>;
}

/** Builds an {@link EmulatorGroupView}. */
export function toGroupView(g: GroupRecord, state: ModelState): EmulatorGroupView {
  const asg = toAutoScalingGroup(g, state);
  const members = g.instanceIds.map((id) => state.instances.get(id)).filter((i): i is InstanceRecord => !!i);
  return {
    ...groupVersionView(g),
    name: g.name,
    enabledStatus: asg.EnabledStatus,
    activeActivityId: g.activeActivityId,
    instanceIds: [...g.instanceIds],
    autoScalingGroup: asg,
    instances: members.map((i) => toInstance(i, state)),
    instanceVersions: Object.fromEntries(members.map((i) => [i.id, i.version])),
  };
}
