/**
 * Public types of the InstanceRefresh resource's outputs (its state).
 */
import type { GateDecision } from "../core/gate";
import type { NormalizedInputs } from "./settings";

/** Statuses of a refresh activity. */
export const ACTIVITY_STATUSES = ["INIT", "RUNNING", "SUCCESSFUL", "FAILED_PAUSE", "AUTO_PAUSE", "MANUAL_PAUSE", "CANCELLED", "FAILED"] as const;
/** @see ACTIVITY_STATUSES */
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** One instance of one batch. */
export interface BatchInstanceOutput {
  /** e.g. `ins-12345678`. */
  instanceId: string;
  /** `WAITING`, `INIT`, `RUNNING`, `FAILED`, `CANCELLED`, `SUCCESSFUL` or `NOT_FOUND`. */
  status: string;
  /** The API's `InstanceStatusMessage`, when it has one. */
  message?: string;
}

/** One batch of the activity, in batch-number order. */
export interface BatchOutput {
  /** 1-based batch number. */
  number: number;
  /** `WAITING`, `INIT`, `RUNNING`, `FAILED`, `PARTIALLY_SUCCESSFUL`, `CANCELLED` or `SUCCESSFUL`. */
  status: string;
  instances: BatchInstanceOutput[];
  startTime?: string;
  endTime?: string;
}

/** Instances of all batches by outcome. */
export interface InstanceCounts {
  successful: number;
  failed: number;
  /** WAITING, INIT or RUNNING. */
  pending: number;
  /** Removed or destroyed while pending (they do not block the activity). */
  notFound: number;
  cancelled: number;
  total: number;
}

/** An instance that failed to refresh, with the API's message. */
export interface FailedInstance {
  instanceId: string;
  message: string;
  /** Batch the instance belongs to. */
  batch: number;
}

/**
 * The resource's outputs: every input (normalized, defaults filled in) plus what the API reports.
 * @example
 * // { autoScalingGroupId: "asg-9dn1a5y6", ..., refreshActivityId: "asr-y67t5r4e", status: "AUTO_PAUSE",
 * //   currentBatch: 1, batchCount: 3, instanceCounts: { successful: 2, pending: 3, ... }, ... }
 */
export interface InstanceRefreshOutputs extends NormalizedInputs {
  /** The activity this resource manages; also the resource id. */
  refreshActivityId: string;
  status: ActivityStatus;
  /** `NORMAL` or `ROLLBACK`. */
  activityType: string;
  /** `CurrentRefreshBatchNum`: the batch running, or the last one that ran (0 before the first). */
  currentBatch: number;
  batchCount: number;
  batches: BatchOutput[];
  instanceCounts: InstanceCounts;
  failedInstances: FailedInstance[];
  startTime?: string;
  endTime?: string;
  /** The ROLLBACK activity of this one, if any: the one `rollback: true` started, or the one FailProcess AUTO_ROLLBACK created. */
  rollbackActivityId?: string;
  /** The status of the rollback that `rollback: true` started (e.g. `RUNNING`, `SUCCESSFUL`). */
  rollbackStatus?: ActivityStatus;
  /** The health gate's decisions (per batch: probed from/to, samples, verdict, evidence). */
  gateDecisions?: GateDecision[];
}
