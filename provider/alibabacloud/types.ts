/**
 * ESS tasks as DescribeInstanceRefreshes returns them, and the outputs of the Alibaba Cloud
 * InstanceRefresh resource.
 */
import type { GateDecision } from "../core/gate";
import type { NormalizedAlicloudInputs } from "./settings";

/** Statuses of an instance-refresh task. */
export const TASK_STATUSES = [
  "Pending",
  "InProgress",
  "CheckpointPause",
  "Paused",
  "Successful",
  "Failed",
  "Cancelling",
  "Cancelled",
  "RollbackInProgress",
  "RollbackSuccessful",
  "RollbackFailed",
] as const;
/** @see TASK_STATUSES */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task of DescribeInstanceRefreshes (2022-02-22). */
export interface EssTask {
  InstanceRefreshTaskId?: string;
  ScalingGroupId?: string;
  RegionId?: string;
  Status?: string;
  /** The failure reason. */
  Detail?: string;
  StartTime?: string;
  EndTime?: string;
  TotalNeedUpdateCapacity?: number;
  FinishedUpdateCapacity?: number;
  MinHealthyPercentage?: number;
  MaxHealthyPercentage?: number;
  SkipMatching?: boolean;
  CheckpointPauseTime?: number;
  Checkpoints?: Array<{ Percentage?: number }>;
  DesiredConfiguration?: Record<string, unknown>;
}

/**
 * The resource's outputs: every input (normalized, defaults filled in) plus what the API reports.
 * @example
 * // { scalingGroupId: "asg-…", …, instanceRefreshTaskId: "ir-bp1a2b3c4d5e", status: "CheckpointPause",
 * //   finishedUpdateCapacity: 5, totalNeedUpdateCapacity: 10, percentRefreshed: 50, currentCheckpoint: 1, checkpointCount: 1 }
 */
export interface AlicloudInstanceRefreshOutputs extends NormalizedAlicloudInputs {
  /** The task this resource manages; also the resource id. */
  instanceRefreshTaskId: string;
  status: TaskStatus;
  /** The API's failure reason, when it gives one. */
  detail?: string;
  totalNeedUpdateCapacity: number;
  finishedUpdateCapacity: number;
  /** `finishedUpdateCapacity` in percent of `totalNeedUpdateCapacity`, rounded down. */
  percentRefreshed: number;
  /** Checkpoints (below 100 %) reached: the one a `CheckpointPause` waits at. */
  currentCheckpoint: number;
  /** Checkpoints below 100 %. */
  checkpointCount: number;
  startTime?: string;
  endTime?: string;
  /** The health gate's decisions (per checkpoint: probed from/to, samples, verdict, evidence). */
  gateDecisions?: GateDecision[];
}
