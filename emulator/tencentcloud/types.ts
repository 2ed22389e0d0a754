/**
 * Public types: the API shapes (field names exactly as `as_models.d.ts`) and the model's records.
 */

/** Status of a refresh activity (`RefreshActivity.Status`). */
export type ActivityStatus =
  | "INIT"
  | "RUNNING"
  | "SUCCESSFUL"
  | "FAILED_PAUSE"
  | "AUTO_PAUSE"
  | "MANUAL_PAUSE"
  | "CANCELLED"
  | "FAILED";
/** Status of one batch (`RefreshBatch.RefreshBatchStatus`). */
export type BatchStatus = "WAITING" | "INIT" | "RUNNING" | "FAILED" | "PARTIALLY_SUCCESSFUL" | "CANCELLED" | "SUCCESSFUL";
/** Status of one instance in a batch (`RefreshBatchRelatedInstance.InstanceStatus`). */
export type BatchInstanceStatus = "WAITING" | "INIT" | "RUNNING" | "FAILED" | "CANCELLED" | "SUCCESSFUL" | "NOT_FOUND";
/** `RefreshActivity.ActivityType`. */
export type ActivityType = "NORMAL" | "ROLLBACK";
/** `RefreshMode`. */
export type RefreshMode = "ROLLING_UPDATE_RESET" | "ROLLING_UPDATE_REPLACE";
/** `RollingUpdateSettings.BatchPause`. */
export type BatchPause = "FIRST_BATCH_PAUSE" | "BATCH_INTERVAL_PAUSE" | "AUTOMATIC";
/** `RollingUpdateSettings.FailProcess`. */
export type FailProcess = "AUTO_PAUSE" | "AUTO_ROLLBACK" | "AUTO_CANCEL";
/** `ResumeInstanceRefresh.ResumeMode`. */
export type ResumeMode = "RETRY" | "CONTINUE";

/** Activity statuses in which the activity is paused and may be resumed, cancelled or rolled back. */
export const PAUSED_STATUSES: ReadonlySet<ActivityStatus> = new Set(["FAILED_PAUSE", "AUTO_PAUSE", "MANUAL_PAUSE"]);
/** Activity statuses that end an activity. */
export const TERMINAL_STATUSES: ReadonlySet<ActivityStatus> = new Set(["SUCCESSFUL", "CANCELLED", "FAILED"]);

/** `RollingUpdateSettings` as stored and returned (defaults filled in). */
export interface RollingUpdateSettings {
  BatchNumber: number;
  BatchPause: BatchPause;
  MaxSurge: number;
  FailProcess: FailProcess;
}
/** `RefreshSettings` as stored and returned (defaults filled in). */
export interface RefreshSettings {
  RollingUpdateSettings: RollingUpdateSettings;
  CheckInstanceTargetHealth: boolean;
  CheckInstanceTargetHealthTimeout: number;
}

/** API shape `RefreshBatchRelatedInstance`. */
export interface RefreshBatchRelatedInstance {
  InstanceId: string;
  InstanceStatus: BatchInstanceStatus;
  LastActivityId: string;
  InstanceStatusMessage: string;
}
/** API shape `RefreshBatch`. */
export interface RefreshBatch {
  RefreshBatchNum: number;
  RefreshBatchStatus: BatchStatus;
  RefreshBatchRelatedInstanceSet: RefreshBatchRelatedInstance[];
  StartTime: string | null;
  EndTime: string | null;
}
/** API shape `RefreshActivity`. */
export interface RefreshActivity {
  AutoScalingGroupId: string;
  RefreshActivityId: string;
  OriginRefreshActivityId: string;
  RefreshBatchSet: RefreshBatch[];
  RefreshMode: RefreshMode;
  RefreshSettings: RefreshSettings;
  ActivityType: ActivityType;
  Status: ActivityStatus;
  CurrentRefreshBatchNum: number;
  StartTime: string | null;
  EndTime: string | null;
  CreatedTime: string;
}
/** API shape `AutoScalingGroup` (the fields a client needs; others carry fixed plausible values). */
export interface AutoScalingGroup {
  AutoScalingGroupId: string;
  AutoScalingGroupName: string;
  AutoScalingGroupStatus: string;
  CreatedTime: string;
  DefaultCooldown: number;
  DesiredCapacity: number;
  EnabledStatus: "ENABLED" | "DISABLED";
  ForwardLoadBalancerSet: unknown[];
  InstanceCount: number;
  InServiceInstanceCount: number;
  LaunchConfigurationId: string;
  LaunchConfigurationName: string;
  LoadBalancerIdSet: string[];
  MaxSize: number;
  MinSize: number;
  ProjectId: number;
  SubnetIdSet: string[];
  TerminationPolicySet: string[];
  VpcId: string;
  ZoneSet: string[];
  RetryPolicy: string;
  InActivityStatus: "IN_ACTIVITY" | "NOT_IN_ACTIVITY";
  Tags: unknown[];
  Ipv6AddressCount: number;
  MultiZoneSubnetPolicy: string;
  HealthCheckType: string;
  LoadBalancerHealthCheckGracePeriod: number;
  InstanceAllocationPolicy: string;
  CapacityRebalance: boolean;
}
/** API shape `Instance` (DescribeAutoScalingInstances). */
export interface Instance {
  InstanceId: string;
  AutoScalingGroupId: string;
  LaunchConfigurationId: string;
  LaunchConfigurationName: string;
  LifeCycleState: string;
  HealthStatus: string;
  ProtectedFromScaleIn: boolean;
  Zone: string;
  CreationType: string;
  AddTime: string;
  InstanceType: string;
  VersionNumber: number;
  AutoScalingGroupName: string;
  WarmupStatus: string;
  DisasterRecoverGroupIds: string[];
}

// ---------------------------------------------------------------- model records (plain data, JSON-safe)

/** A scaling group as the model stores it. */
export interface GroupRecord {
  id: string;
  name: string;
  createdAt: number;
  launchConfigurationId: string;
  launchConfigurationName: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  vpcId: string;
  subnetIds: string[];
  zones: string[];
  /** Instance ids in the order they joined. */
  instanceIds: string[];
  /** The non-terminal refresh activity holding the group, if any (the group is DISABLED meanwhile). */
  activeActivityId: string | null;
  /** The version of its launch configuration: what the next NORMAL refresh rolls out (`versions.ts`). */
  version: string;
  /** Versions marked bad (admin): an IN_SERVICE instance running one is unhealthy. */
  badVersions: string[];
}

/** An instance of a scaling group. */
export interface InstanceRecord {
  id: string;
  groupId: string;
  lifeCycleState: string;
  healthStatus: string;
  protectedFromScaleIn: boolean;
  zone: string;
  creationType: "AUTO_CREATION" | "MANUAL_ATTACHING";
  instanceType: string;
  addedAt: number;
  /** True for MaxSurge instances created by a refresh activity. */
  surge: boolean;
  /** The version it runs: set when a refresh of it succeeds (`versions.ts`). */
  version: string;
}

/** An instance's place in a batch. */
export interface BatchInstanceRecord {
  instanceId: string;
  status: BatchInstanceStatus;
  lastActivityId: string;
  message: string;
  /** When the current refresh attempt ends (RUNNING only). */
  finishAt: number | null;
  /** The version the instance ran when this entry's refresh started (a rollback restores it); null before. */
  previousVersion: string | null;
}

/** One batch of an activity. */
export interface BatchRecord {
  num: number;
  status: BatchStatus;
  instances: BatchInstanceRecord[];
  startedAt: number | null;
  endedAt: number | null;
}

/** Where an activity is in its timeline (internal; the API shows `status`). */
export type ActivityPhase = "INIT" | "SURGE_OUT" | "BATCH_RUNNING" | "PAUSED" | "SURGE_IN" | "DONE";

/** A refresh activity as the model stores it. */
export interface ActivityRecord {
  id: string;
  /** Creation order, used to sort newest first. */
  seq: number;
  groupId: string;
  type: ActivityType;
  originId: string;
  mode: RefreshMode;
  settings: RefreshSettings;
  status: ActivityStatus;
  currentBatchNum: number;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  batches: BatchRecord[];
  phase: ActivityPhase;
  /** When a timed phase (INIT, SURGE_OUT, SURGE_IN) ends. */
  phaseEndsAt: number | null;
  /** MaxSurge instances created by this activity (empty before the scale-out and after the scale-in). */
  surgeInstanceIds: string[];
  /** True once the MaxSurge scale-out has completed (or was not needed). */
  surgeDone: boolean;
  /** Set when a rollback superseded this paused activity while some of its instances were still running. */
  supersededBy: string | null;
  /** Status this activity ends with once superseded and drained. */
  supersededEndStatus: ActivityStatus | null;
  /** The version it rolls out: NORMAL, the group's at Start; ROLLBACK, the one its instances return to (`versions.ts`). */
  version: string;
}

/** A pending "this instance fails its refresh" mark set through the admin API. */
export interface FailureMark {
  message: string;
  /** How many more refresh attempts fail. */
  remaining: number;
}
