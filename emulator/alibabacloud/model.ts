/**
 * The ESS model: scaling groups, their instances and instance-refresh tasks, plus the documented
 * defaults and ranges of the API (reference §1). Plain records; `stateMachine.ts` changes them and
 * `backend.ts` owns them. Times are epoch ms of the model's clock.
 */
import type { BadConfiguration } from "./badConfigurations";

/** The ESS API version of the reference (all six operations). */
export const ESS_API_VERSION = "2022-02-22";
/** The older version [TF] calls; it answers lists XML-style wrapped (`InstanceRefreshTasks.InstanceRefreshTask[]`). */
export const ESS_LEGACY_API_VERSION = "2014-08-28";
/** An API version the emulator serves. */
export type EssApiVersion = typeof ESS_API_VERSION | typeof ESS_LEGACY_API_VERSION;

/** Documented defaults and ranges of StartInstanceRefresh and DescribeInstanceRefreshes ([M]). */
export const RefreshLimits = {
  minHealthyPercentage: { min: 0, max: 100, default: 80 },
  maxHealthyPercentage: { min: 100, max: 200, default: 120 },
  checkpointPercentage: { min: 1, max: 100, last: 100 },
  checkpointPauseTimeMinutes: { min: 1, max: 2880, default: 60 },
  skipMatchingDefault: true,
  clientTokenMaxLength: 64,
  containerCommandsMax: 20,
  containerCommandMaxLength: 256,
  containerArgsMax: 10,
  envKeyLength: { min: 1, max: 128 },
  envValueMaxLength: 256,
  describeMaxResults: { min: 1, max: 50, default: 10 },
} as const;

/** Paging of DescribeScalingGroups (PageSize ≤ 50) and DescribeScalingInstances (PageSize ≤ 100), [M]. */
export const PagingLimits = {
  scalingGroups: { pageSizeMax: 50, pageSizeDefault: 10 },
  scalingInstances: { pageSizeMax: 100, pageSizeDefault: 10 },
  pageNumberMin: 1,
} as const;

/** Minutes → ms. */
export const MS_PER_MINUTE = 60_000;

/** Every status of a task ([M][TF]). */
export const TASK_STATUSES = [
  "Pending",
  "InProgress",
  "Paused",
  "CheckpointPause",
  "Failed",
  "Successful",
  "Cancelling",
  "Cancelled",
  "RollbackInProgress",
  "RollbackSuccessful",
  "RollbackFailed",
] as const;
/** A task status. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Lifecycle states of an instance in a group (the subset the emulator uses). */
export const INSTANCE_LIFECYCLE_STATES = ["InService", "Pending", "Removing", "Standby", "Protected"] as const;
/** One of {@link INSTANCE_LIFECYCLE_STATES}. */
export type InstanceLifecycleState = (typeof INSTANCE_LIFECYCLE_STATES)[number];
/** Health of an instance. */
export const INSTANCE_HEALTH_STATUSES = ["Healthy", "Unhealthy"] as const;
/** One of {@link INSTANCE_HEALTH_STATUSES}. */
export type InstanceHealthStatus = (typeof INSTANCE_HEALTH_STATUSES)[number];
/** How an instance joined the group: created by ESS, or added by hand (skipped by refreshes). */
export const INSTANCE_CREATION_TYPES = ["AutoCreated", "Attached"] as const;
/** One of {@link INSTANCE_CREATION_TYPES}. */
export type InstanceCreationType = (typeof INSTANCE_CREATION_TYPES)[number];
/** ECS (VM) or ECI (container) group. */
export const GROUP_TYPES = ["ECS", "ECI"] as const;
/** One of {@link GROUP_TYPES}. */
export type GroupType = (typeof GROUP_TYPES)[number];
/** State of a group; only Active groups accept a refresh. */
export const GROUP_LIFECYCLE_STATES = ["Active", "Inactive", "Deleting"] as const;
/** One of {@link GROUP_LIFECYCLE_STATES}. */
export type GroupLifecycleState = (typeof GROUP_LIFECYCLE_STATES)[number];
/** Scale-out policy; ECS groups need PRIORITY for instance refresh ([D22]). */
export const MULTI_AZ_POLICIES = ["PRIORITY", "BALANCE", "COST_OPTIMIZED", "COMPOSABLE"] as const;
/** One of {@link MULTI_AZ_POLICIES}. */
export type MultiAzPolicy = (typeof MULTI_AZ_POLICIES)[number];

/** `Containers.N.EnvironmentVars.N`. */
export interface EnvironmentVar {
  Key: string;
  Value: string;
  FieldRefFieldPath?: string;
}

/** `Containers.N` of a desired configuration (ECI groups). */
export interface ContainerSpec {
  Name: string;
  Image?: string;
  Commands?: string[];
  Args?: string[];
  EnvironmentVars?: EnvironmentVar[];
}

/** `DesiredConfiguration` as requested (and echoed by DescribeInstanceRefreshes). */
export interface DesiredConfiguration {
  ImageId?: string;
  ScalingConfigurationId?: string;
  LaunchTemplateId?: string;
  LaunchTemplateVersion?: string;
  LaunchTemplateOverrides?: { InstanceType: string }[];
  Containers?: ContainerSpec[];
}

/**
 * The configuration an instance was created from. Two instances match (SkipMatching) when their
 * configurations are equal.
 */
export interface InstanceConfig {
  scalingConfigurationId: string | null;
  imageId: string | null;
  launchTemplateId: string | null;
  launchTemplateVersion: string | null;
  instanceTypes: string[];
  containers: ContainerSpec[];
}

/** A scaling group. */
export interface GroupRecord {
  id: string;
  name: string;
  regionId: string;
  groupType: GroupType;
  lifecycleState: GroupLifecycleState;
  multiAzPolicy: MultiAzPolicy;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** The active configuration; new instances are created from it. */
  activeConfig: InstanceConfig;
  /** Member instance ids, in creation order. */
  instanceIds: string[];
  /** The task that holds the group (one at a time), or null. */
  activeTaskId: string | null;
  /** The group's most recent task (only it can be rolled back), or null. */
  latestTaskId: string | null;
  createdAt: number;
}

/** An instance of a group. */
export interface InstanceRecord {
  id: string;
  groupId: string;
  lifecycleState: InstanceLifecycleState;
  healthStatus: InstanceHealthStatus;
  creationType: InstanceCreationType;
  config: InstanceConfig;
  zoneId: string;
  createdAt: number;
  /** Set by the admin `failInstance`: its next refresh (or rollback) fails with this message. */
  failNext: string | null;
}

/** A wave in flight: old instances being replaced by new ones, together. */
export interface Wave {
  /** `refresh` replaces old instances with the desired configuration; `rollback` reverts refreshed ones. */
  kind: "refresh" | "rollback";
  /** The instances being replaced (they are Removing). */
  oldInstanceIds: string[];
  /** Their replacements, same order (they are Pending). */
  newInstanceIds: string[];
  /** When the wave completes. */
  endsAt: number;
}

/** An instance refresh task. */
export interface TaskRecord {
  id: string;
  /** Creation order, for newest-first listing and NextToken cursors. */
  seq: number;
  groupId: string;
  regionId: string;
  status: TaskStatus;
  detail: string;
  startTime: number;
  endTime: number | null;
  totalNeedUpdateCapacity: number;
  finishedUpdateCapacity: number;
  minHealthyPercentage: number;
  maxHealthyPercentage: number;
  skipMatching: boolean;
  checkpointPauseTime: number;
  /** Checkpoint percentages, ascending, the last one 100. */
  checkpoints: number[];
  strategy: string | null;
  desiredConfiguration: DesiredConfiguration;
  /** The configuration refreshed instances get. */
  targetConfig: InstanceConfig;
  /** The group's configuration before the task (a rollback restores it). */
  previousConfig: InstanceConfig;
  /** Instances replaced at a time. */
  waveSize: number;
  /** Old instances still to refresh, in order. */
  pendingInstanceIds: string[];
  /** Instances this task created that still carry the target configuration (a rollback reverts them). */
  refreshedInstanceIds: string[];
  /** The wave in flight, or null. */
  wave: Wave | null;
  /** End of the current timed phase without a wave (Pending, CheckpointPause, settling), or null. */
  timerAt: number | null;
  /** Index in `checkpoints` of the next checkpoint to pause at. */
  nextCheckpoint: number;
  clientToken: string | null;
  /** Canonical form of the Start parameters, to compare requests with the same ClientToken. */
  requestFingerprint: string;
}

/** A canonical, order-stable string of a configuration (for SkipMatching). */
export function configFingerprint(c: InstanceConfig): string {
  return JSON.stringify([c.scalingConfigurationId, c.imageId, c.launchTemplateId, c.launchTemplateVersion, c.instanceTypes, c.containers]);
}

/** A deep copy of a configuration. */
export function cloneConfig(c: InstanceConfig): InstanceConfig {
  return structuredClone(c);
}

/** A configuration with nothing set (the base of seeded and desired ones). */
export function emptyConfig(): InstanceConfig {
  return { scalingConfigurationId: null, imageId: null, launchTemplateId: null, launchTemplateVersion: null, instanceTypes: [], containers: [] };
}

/** Version of the {@link EssSnapshot} layout; bump when it changes incompatibly. */
export const ESS_SNAPSHOT_VERSION = 1;

/** The whole ESS model as the state file holds it (under its `ess` key; checks: `stateFile.ts`). */
export interface EssSnapshot {
  /** {@link ESS_SNAPSHOT_VERSION}. */
  version: number;
  /** The next task's `seq`. */
  nextSeq: number;
  groups: GroupRecord[];
  instances: InstanceRecord[];
  tasks: TaskRecord[];
  /** ClientToken → the task it started. */
  clientTokens: Array<[string, string]>;
  /** Configurations marked bad (`badConfigurations.ts`); absent from files written before them. */
  badConfigurations?: BadConfiguration[];
}
