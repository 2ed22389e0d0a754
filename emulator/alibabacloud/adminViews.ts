/**
 * What the admin API (`/_emulator/ess/…`) answers about the ESS model: a seeded group's ids, a
 * group with its instances and active configuration, a task as DescribeInstanceRefreshes
 * (2022-02-22) writes it. The typed admin client (`../adminClient.ts`) reads these types.
 */
import type { EssBackend } from "./backend";
import { ESS_API_VERSION, type GroupLifecycleState, type GroupRecord, type InstanceConfig, type TaskStatus } from "./model";
import { groupView, instanceView, taskView, type Json } from "./views";

/** A group just seeded: its id and its instances' ids (`i-…`), in order. */
export interface EssSeededGroup {
  groupId: string;
  instanceIds: string[];
}

/** A group as the admin API shows it. */
export interface EssGroupView extends EssSeededGroup {
  name: string;
  regionId: string;
  lifecycleState: GroupLifecycleState;
  /** The task that holds the group, or null. */
  activeTaskId: string | null;
  /** The group's most recent task, or null. */
  latestTaskId: string | null;
  /** The configuration new instances are created from (a successful refresh makes it the desired one). */
  activeConfig: InstanceConfig;
  /** The group as DescribeScalingGroups (2022-02-22) writes it. */
  scalingGroup: Json;
  /** Its instances as DescribeScalingInstances (2022-02-22) writes them. */
  instances: Json[];
}

/** A task as DescribeInstanceRefreshes (2022-02-22) writes it. */
export interface EssTaskView {
  InstanceRefreshTaskId: string;
  ScalingGroupId: string;
  RegionId: string;
  Status: TaskStatus;
  Detail: string;
  StartTime: string;
  /** Once ended. */
  EndTime?: string;
  TotalNeedUpdateCapacity: number;
  FinishedUpdateCapacity: number;
  MinHealthyPercentage: number;
  MaxHealthyPercentage: number;
  SkipMatching: boolean;
  CheckpointPauseTime: number;
  Checkpoints: { Percentage: number }[];
  Strategy?: string;
  DesiredConfiguration: Json;
}

/** The seeded view of a group. */
export function essSeededGroup(group: GroupRecord): EssSeededGroup {
  return { groupId: group.id, instanceIds: [...group.instanceIds] };
}

/** The admin view of a group of `backend`. */
export function essGroupView(backend: EssBackend, group: GroupRecord): EssGroupView {
  const members = backend.groupInstances(group.id);
  return {
    ...essSeededGroup(group),
    name: group.name,
    regionId: group.regionId,
    lifecycleState: group.lifecycleState,
    activeTaskId: group.activeTaskId,
    latestTaskId: group.latestTaskId,
    activeConfig: structuredClone(group.activeConfig),
    scalingGroup: groupView(group, members),
    instances: members.map(instanceView),
  };
}

/** A task as DescribeInstanceRefreshes (2022-02-22) writes it. */
export function essTaskView(task: Parameters<typeof taskView>[1]): EssTaskView {
  return taskView(ESS_API_VERSION, task) as unknown as EssTaskView;
}
