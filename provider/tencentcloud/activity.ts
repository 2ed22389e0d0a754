/**
 * Tencent's activities in the core's terms: the phase of each status, the view of an API activity,
 * its outputs, and the settings as the API writes them. Pure functions, no I/O.
 */
import type { RefreshActivity, RefreshSettings as ApiRefreshSettings } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type { ActivityView, Phase } from "../core/model";
import { withoutUndefined } from "../core/model";
import type { OutputExtras } from "../core/port";
import type { NormalizedInputs } from "./settings";
import type { ActivityStatus, BatchOutput, FailedInstance, InstanceCounts, InstanceRefreshOutputs } from "./types";

/** Every status that is not terminal (at most 5: one DescribeRefreshActivities filter takes 5 values). */
export const NON_TERMINAL_STATUSES = ["INIT", "RUNNING", "FAILED_PAUSE", "AUTO_PAUSE", "MANUAL_PAUSE"] as const;

/** The core's phase of each status of a NORMAL activity. */
const REFRESH_PHASES: Readonly<Record<ActivityStatus, Phase>> = {
  INIT: "starting",
  RUNNING: "running",
  AUTO_PAUSE: "gate",
  MANUAL_PAUSE: "manualPause",
  FAILED_PAUSE: "failedPause",
  SUCCESSFUL: "succeeded",
  FAILED: "failed",
  CANCELLED: "cancelled",
};
/** Where a ROLLBACK activity's phases differ from a NORMAL one's. */
const ROLLBACK_PHASES: Readonly<Partial<Record<ActivityStatus, Phase>>> = {
  RUNNING: "rollingBack",
  SUCCESSFUL: "rolledBack",
  FAILED: "rollbackFailed",
};

/**
 * The core's phase of a status and activity type (an unknown status counts as running: the wait goes on).
 * @example phaseOf("AUTO_PAUSE") // "gate"; phaseOf("SUCCESSFUL", "ROLLBACK") // "rolledBack"
 */
export function phaseOf(status: string | undefined, type: string = "NORMAL"): Phase {
  const key = (status ?? "INIT") as ActivityStatus;
  return (type === "ROLLBACK" ? ROLLBACK_PHASES[key] : undefined) ?? REFRESH_PHASES[key] ?? "running";
}

/** Instance statuses of a batch that still works. */
const RUNNING_BATCH_STATUSES: ReadonlySet<string> = new Set(["RUNNING", "INIT"]);

/**
 * The core's view of an API activity.
 * @example viewOf({ RefreshActivityId: "asr-y67t5r4e", AutoScalingGroupId: "asg-9dn1a5y6", Status: "AUTO_PAUSE", CurrentRefreshBatchNum: 1, … }).phase // "gate"
 */
export function viewOf(activity: RefreshActivity): ActivityView {
  const batches = batchesOf(activity);
  const counts = countInstances(batches);
  const type = activity.ActivityType ?? "NORMAL";
  return {
    id: activity.RefreshActivityId ?? "",
    groupId: activity.AutoScalingGroupId ?? "",
    phase: phaseOf(activity.Status, type),
    status: activity.Status ?? "INIT",
    type,
    isRollback: type === "ROLLBACK",
    originId: activity.OriginRefreshActivityId || undefined,
    step: activity.CurrentRefreshBatchNum ?? 0,
    steps: batches.length || (activity.RefreshSettings?.RollingUpdateSettings?.BatchNumber ?? 0),
    stepRunning: batches.some((b) => RUNNING_BATCH_STATUSES.has(b.status)),
    progress: { done: counts.successful, failed: counts.failed, total: counts.total },
    failedInstances: failedInstancesOf(batches).map((f) => ({ instanceId: f.instanceId, message: f.message, step: f.batch })),
    createdTime: activity.CreatedTime ?? undefined,
    endTime: activity.EndTime ?? undefined,
  };
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

/** Outputs for `inputs` and the described `activity`, with its rollback beside it when there is one. */
export function toOutputs(inputs: NormalizedInputs, activity: RefreshActivity, extras: OutputExtras = {}): InstanceRefreshOutputs {
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
    rollbackActivityId: extras.rollbackActivityId ?? extras.rollback?.id,
    rollbackStatus: extras.rollback?.status as ActivityStatus | undefined,
    gateDecisions: extras.gateDecisions?.length ? [...extras.gateDecisions] : undefined,
  });
}
