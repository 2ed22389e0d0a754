/**
 * What the provider knows about activity statuses: which are terminal or paused, what to do to
 * converge on the desired state, how to turn an API activity into outputs and a progress line.
 * Pure functions, no I/O.
 */
import type { RefreshActivity, RefreshSettings as ApiRefreshSettings } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type { NormalizedInputs } from "./settings";
import type { ActivityStatus, BatchOutput, FailedInstance, InstanceCounts, InstanceRefreshOutputs } from "./types";

/** The activity is over; nothing can change it any more. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["SUCCESSFUL", "FAILED", "CANCELLED"]);
/** The activity waits for a Resume (or a Cancel). */
export const PAUSED_STATUSES: ReadonlySet<string> = new Set(["FAILED_PAUSE", "AUTO_PAUSE", "MANUAL_PAUSE"]);
/** The activity is working. */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(["INIT", "RUNNING"]);
/** Every status that is not terminal (at most 5: one DescribeRefreshActivities filter takes 5 values). */
export const NON_TERMINAL_STATUSES = ["INIT", "RUNNING", "FAILED_PAUSE", "AUTO_PAUSE", "MANUAL_PAUSE"] as const;
/** Statuses reported as failures by create and update. */
export const FAILURE_STATUSES: ReadonlySet<string> = new Set(["FAILED", "FAILED_PAUSE", "CANCELLED"]);

/** The pause-related fields of the desired inputs. */
export type Desired = Pick<NormalizedInputs, "paused" | "approvedBatches" | "resumeMode">;

/** An operation that moves the activity toward the desired state. */
export type Step = { kind: "none" } | { kind: "stop" } | { kind: "resume"; reason: string };

/** True when the activity is in an AUTO_PAUSE gate that `approvedBatches` opens. */
export function isApprovedGate(status: string | undefined, currentBatch: number | undefined, desired: Desired): boolean {
  return status === "AUTO_PAUSE" && !desired.paused && desired.approvedBatches >= (currentBatch ?? 0);
}

/**
 * What an update (or `pulumi up` after a failure) does first: pause a running activity that should
 * be paused, resume a paused one that should run (MANUAL_PAUSE or FAILED_PAUSE with `paused: false`,
 * AUTO_PAUSE after batch k with `approvedBatches >= k`).
 */
export function convergeStep(status: string | undefined, currentBatch: number | undefined, desired: Desired): Step {
  if (status && ACTIVE_STATUSES.has(status) && desired.paused) return { kind: "stop" };
  if ((status === "MANUAL_PAUSE" || status === "FAILED_PAUSE") && !desired.paused) {
    return { kind: "resume", reason: `${status} and paused is false` };
  }
  if (isApprovedGate(status, currentBatch, desired)) {
    return { kind: "resume", reason: `AUTO_PAUSE after batch ${currentBatch} and approvedBatches is ${desired.approvedBatches}` };
  }
  return { kind: "none" };
}

/**
 * What a wait does when the activity changes: only the moves that cannot loop (pause when asked to,
 * pass an approved gate). A FAILED_PAUSE or an out-of-band MANUAL_PAUSE ends the wait instead.
 */
export function waitStep(status: string | undefined, currentBatch: number | undefined, desired: Desired): Step {
  if (status && ACTIVE_STATUSES.has(status) && desired.paused) return { kind: "stop" };
  if (isApprovedGate(status, currentBatch, desired)) {
    return { kind: "resume", reason: `batch ${currentBatch} approved (approvedBatches: ${desired.approvedBatches})` };
  }
  return { kind: "none" };
}

/** True when a wait for "settled" can stop: terminal, or paused and not about to be resumed. */
export function isSettled(status: string | undefined, currentBatch: number | undefined, desired: Desired): boolean {
  if (!status) return false;
  if (TERMINAL_STATUSES.has(status)) return true;
  if (!PAUSED_STATUSES.has(status)) return false;
  return !isApprovedGate(status, currentBatch, desired);
}

/** Settings as the API returns them, in the camelCase shape of the inputs, with API defaults filled in. */
export function settingsFromApi(settings: ApiRefreshSettings | undefined): NormalizedInputs["refreshSettings"] | undefined {
  const rolling = settings?.RollingUpdateSettings;
  if (!rolling) return undefined;
  return {
    rollingUpdateSettings: {
      batchNumber: rolling.BatchNumber,
      batchPause: (rolling.BatchPause ?? "AUTOMATIC") as NormalizedInputs["refreshSettings"]["rollingUpdateSettings"]["batchPause"],
      maxSurge: rolling.MaxSurge ?? 0,
      failProcess: (rolling.FailProcess ?? "AUTO_PAUSE") as NormalizedInputs["refreshSettings"]["rollingUpdateSettings"]["failProcess"],
    },
    checkInstanceTargetHealth: settings?.CheckInstanceTargetHealth ?? false,
    checkInstanceTargetHealthTimeout: settings?.CheckInstanceTargetHealthTimeout ?? 1800,
  };
}

/** The API's RefreshSettings for normalized inputs. */
export function settingsToApi(settings: NormalizedInputs["refreshSettings"]): ApiRefreshSettings {
  const rolling = settings.rollingUpdateSettings;
  return {
    RollingUpdateSettings: {
      BatchNumber: rolling.batchNumber,
      BatchPause: rolling.batchPause,
      MaxSurge: rolling.maxSurge,
      FailProcess: rolling.failProcess,
    },
    CheckInstanceTargetHealth: settings.checkInstanceTargetHealth,
    CheckInstanceTargetHealthTimeout: settings.checkInstanceTargetHealthTimeout,
  };
}

/** True when an existing activity was started with exactly these inputs' mode and settings. */
export function matchesInputs(activity: RefreshActivity, inputs: NormalizedInputs): boolean {
  return (
    (activity.ActivityType ?? "NORMAL") === "NORMAL" &&
    (activity.RefreshMode ?? "ROLLING_UPDATE_RESET") === inputs.refreshMode &&
    JSON.stringify(settingsFromApi(activity.RefreshSettings)) === JSON.stringify(inputs.refreshSettings)
  );
}

const PENDING_INSTANCE_STATUSES = new Set(["WAITING", "INIT", "RUNNING"]);

/** Batches in ascending order, in output shape. */
export function batchesOf(activity: RefreshActivity): BatchOutput[] {
  return [...(activity.RefreshBatchSet ?? [])]
    .sort((a, b) => (a.RefreshBatchNum ?? 0) - (b.RefreshBatchNum ?? 0))
    .map((batch) =>
      withoutUndefined({
        number: batch.RefreshBatchNum ?? 0,
        status: batch.RefreshBatchStatus ?? "WAITING",
        instances: (batch.RefreshBatchRelatedInstanceSet ?? []).map((instance) =>
          withoutUndefined({
            instanceId: instance.InstanceId ?? "",
            status: instance.InstanceStatus ?? "WAITING",
            message: instance.InstanceStatusMessage || undefined,
          }),
        ),
        startTime: batch.StartTime ?? undefined,
        endTime: batch.EndTime ?? undefined,
      }),
    );
}

/** Counts of instances by outcome. */
export function countInstances(batches: BatchOutput[]): InstanceCounts {
  const counts: InstanceCounts = { successful: 0, failed: 0, pending: 0, notFound: 0, cancelled: 0, total: 0 };
  for (const instance of batches.flatMap((b) => b.instances)) {
    counts.total++;
    if (instance.status === "SUCCESSFUL") counts.successful++;
    else if (instance.status === "FAILED") counts.failed++;
    else if (instance.status === "NOT_FOUND") counts.notFound++;
    else if (instance.status === "CANCELLED") counts.cancelled++;
    else if (PENDING_INSTANCE_STATUSES.has(instance.status)) counts.pending++;
  }
  return counts;
}

/** Instances that failed, with their messages. */
export function failedInstancesOf(batches: BatchOutput[]): FailedInstance[] {
  return batches.flatMap((b) =>
    b.instances.filter((i) => i.status === "FAILED").map((i) => ({ instanceId: i.instanceId, message: i.message ?? "(no message)", batch: b.number })),
  );
}

/** Outputs for `inputs` and the described `activity`. */
export function toOutputs(inputs: NormalizedInputs, activity: RefreshActivity, rollbackActivityId?: string): InstanceRefreshOutputs {
  const batches = batchesOf(activity);
  return withoutUndefined({
    ...inputs,
    refreshActivityId: activity.RefreshActivityId ?? "",
    status: (activity.Status ?? "INIT") as ActivityStatus,
    activityType: activity.ActivityType ?? "NORMAL",
    currentBatch: activity.CurrentRefreshBatchNum ?? 0,
    batchCount: batches.length || inputs.refreshSettings.rollingUpdateSettings.batchNumber,
    batches,
    instanceCounts: countInstances(batches),
    failedInstances: failedInstancesOf(batches),
    startTime: activity.StartTime ?? undefined,
    endTime: activity.EndTime ?? undefined,
    rollbackActivityId,
  });
}

/**
 * One line of progress.
 * @example progressLine(activity) // "asg-9dn1a5y6 asr-y67t5r4e: batch 2/3 RUNNING — 4/10 instances done, 0 failed"
 */
export function progressLine(activity: RefreshActivity): string {
  const batches = batchesOf(activity);
  const counts = countInstances(batches);
  return (
    `${activity.AutoScalingGroupId} ${activity.RefreshActivityId}: batch ${activity.CurrentRefreshBatchNum ?? 0}/${batches.length} ` +
    `${activity.Status} — ${counts.successful}/${counts.total} instances done, ${counts.failed} failed`
  );
}

/** Copy of `value` without `undefined` properties (the engine's protobuf Struct rejects them). */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    ) as T;
  }
  return value;
}
