/**
 * The refresh actions of the cloud API — Start, Stop, Resume, Cancel and RollbackInstanceRefresh —
 * with every documented rule, checked before the state machine makes the change. Each throws an
 * {@link ApiError} with the documented code when a rule refuses the call.
 */
import { ApiError } from "../errors";
import { batchSizes } from "./batches";
import { ErrorCodes } from "./errorCodes";
import type { RefreshModel } from "./model";
import { normalizeSettings, type RefreshSettingsInput } from "./settings";
import { PAUSED_STATUSES, type ActivityRecord, type GroupRecord, type RefreshMode, type ResumeMode } from "./types";

/** StartInstanceRefresh request. */
export interface StartInput {
  AutoScalingGroupId: string;
  RefreshSettings: RefreshSettingsInput;
  RefreshMode?: RefreshMode;
}
/** RollbackInstanceRefresh request. */
export interface RollbackInput extends StartInput {
  OriginRefreshActivityId: string;
}

/** Throws the documented conflict error (an activity's status refuses the operation). */
export function conflict(message: string): never {
  throw new ApiError(ErrorCodes.RefreshActivityStatusConflictWithOperation, message);
}

/** A group by id; `ResourceNotFound.AutoScalingGroupIdNotFound` when there is none. */
export function requireGroup(model: RefreshModel, groupId: string): GroupRecord {
  const g = model.state.groups.get(groupId);
  if (!g) throw new ApiError(ErrorCodes.AutoScalingGroupIdNotFound, `The scaling group ${groupId} does not exist.`);
  return g;
}

/** An activity of a group; `ResourceNotFound.RefreshActivityNotFound` when it is not there (or of another group). */
export function requireActivity(model: RefreshModel, groupId: string, activityId: string): ActivityRecord {
  const a = model.state.activities.get(activityId);
  if (!a || a.groupId !== groupId) {
    throw new ApiError(ErrorCodes.RefreshActivityNotFound, `The refresh activity ${activityId} does not exist in scaling group ${groupId}.`);
  }
  return a;
}

/** StartInstanceRefresh. Returns the new activity. */
export function startInstanceRefresh(model: RefreshModel, req: StartInput): ActivityRecord {
  const now = model.sync();
  const group = requireGroup(model, req.AutoScalingGroupId);
  if (group.activeActivityId) {
    throw new ApiError(
      ErrorCodes.AutoScalingGroupInRefreshActivity,
      `The scaling group ${group.id} is already in refresh activity ${group.activeActivityId}.`,
    );
  }
  const settings = normalizeSettings(req.RefreshSettings);
  const instanceIds = group.instanceIds.filter((id) => model.state.instances.get(id)?.lifeCycleState === "IN_SERVICE");
  if (instanceIds.length === 0) {
    throw new ApiError(ErrorCodes.NoInstanceCanRefresh, `The scaling group ${group.id} has no IN_SERVICE instance to refresh.`);
  }
  const rus = settings.RollingUpdateSettings;
  if (rus.BatchNumber > instanceIds.length) {
    throw new ApiError(
      ErrorCodes.BatchNumberTooLarge,
      `RefreshSettings.RollingUpdateSettings.BatchNumber (${rus.BatchNumber}) exceeds the ${instanceIds.length} instances to refresh.`,
    );
  }
  // inferred: "a single batch" is read as the first, largest batch.
  const firstBatch = batchSizes(instanceIds.length, rus.BatchNumber)[0]!;
  if (rus.MaxSurge > firstBatch) {
    throw new ApiError(
      ErrorCodes.MaxSurgeTooLarge,
      `RefreshSettings.RollingUpdateSettings.MaxSurge (${rus.MaxSurge}) exceeds the ${firstBatch} instances of the first batch.`,
    );
  }
  const a = model.machine.create(
    { groupId: group.id, type: "NORMAL", originId: "", mode: req.RefreshMode ?? "ROLLING_UPDATE_RESET", settings, instanceIds },
    now,
  );
  model.finish();
  return a;
}

/** StopInstanceRefresh: only while INIT or RUNNING, and not during the final MaxSurge scale-in. */
export function stopInstanceRefresh(model: RefreshModel, groupId: string, activityId: string): void {
  model.sync();
  const a = requireActivity(model, groupId, activityId);
  if ((a.status !== "RUNNING" && a.status !== "INIT") || a.supersededBy) {
    conflict(`The refresh activity ${a.id} is ${a.status}; only INIT or RUNNING activities can be stopped.`);
  }
  if (a.phase === "SURGE_IN") conflict(`The refresh activity ${a.id} is scaling in its MaxSurge instances and cannot be stopped.`);
  model.machine.stop(a);
  model.finish();
}

/** ResumeInstanceRefresh: only from FAILED_PAUSE, AUTO_PAUSE or MANUAL_PAUSE. */
export function resumeInstanceRefresh(model: RefreshModel, groupId: string, activityId: string, mode: ResumeMode): void {
  const now = model.sync();
  const a = requireActivity(model, groupId, activityId);
  if (!PAUSED_STATUSES.has(a.status) || a.supersededBy) {
    conflict(`The refresh activity ${a.id} is ${a.status}; only a paused activity can be resumed.`);
  }
  model.machine.resume(a, mode, now);
  model.finish();
}

/** CancelInstanceRefresh: only from a pause with no batch running. */
export function cancelInstanceRefresh(model: RefreshModel, groupId: string, activityId: string): void {
  const now = model.sync();
  const a = requireActivity(model, groupId, activityId);
  if (!PAUSED_STATUSES.has(a.status) || a.supersededBy) {
    conflict(`The refresh activity ${a.id} is ${a.status}; pause it and wait for the current batch to end before cancelling.`);
  }
  if (a.phase !== "PAUSED" && a.phase !== "INIT") {
    conflict(`The refresh activity ${a.id} still has a batch running; wait for it to end before cancelling.`);
  }
  model.machine.end(a, "CANCELLED", now);
  model.finish();
}

/** The group's latest SUCCESSFUL NORMAL activity, the only finished one a rollback may target. */
function latestSuccessfulNormal(model: RefreshModel, groupId: string): ActivityRecord | undefined {
  const list = model.state.activitiesByGroup.get(groupId) ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const a = list[i]!;
    if (a.type === "NORMAL" && a.status === "SUCCESSFUL") return a;
  }
  return undefined;
}

/** RollbackInstanceRefresh. Returns the new ROLLBACK activity. */
export function rollbackInstanceRefresh(model: RefreshModel, req: RollbackInput): ActivityRecord {
  const now = model.sync();
  const group = requireGroup(model, req.AutoScalingGroupId);
  const origin = requireActivity(model, group.id, req.OriginRefreshActivityId);
  if (origin.type === "ROLLBACK") {
    throw new ApiError(ErrorCodes.RollbackTypeActivityCanNotRollbackAgain, `${origin.id} is a rollback activity and cannot be rolled back again.`);
  }
  if (origin.mode === "ROLLING_UPDATE_REPLACE") {
    throw new ApiError(ErrorCodes.RefreshActivityCanNotRollback, `${origin.id} uses ROLLING_UPDATE_REPLACE, which does not support rollback.`);
  }
  const paused = PAUSED_STATUSES.has(origin.status) && !origin.supersededBy;
  if (!paused) {
    const latest = latestSuccessfulNormal(model, group.id);
    if (origin.status !== "SUCCESSFUL" || latest !== origin) {
      throw new ApiError(
        ErrorCodes.RefreshActivityCanNotRollback,
        `${origin.id} is ${origin.status}; only a paused activity or the latest SUCCESSFUL one can be rolled back.`,
      );
    }
    if (group.activeActivityId) {
      throw new ApiError(
        ErrorCodes.AutoScalingGroupInRefreshActivity,
        `The scaling group ${group.id} is already in refresh activity ${group.activeActivityId}.`,
      );
    }
  }
  const settings = normalizeSettings(req.RefreshSettings);
  if (settings.RollingUpdateSettings.MaxSurge > 0) {
    throw new ApiError(ErrorCodes.InvalidParameterValue, `RefreshSettings.RollingUpdateSettings.MaxSurge is not supported for rollback.`);
  }
  // Instances that were (or are being) refreshed go back; pending, cancelled and NOT_FOUND ones are ignored.
  const instanceIds = origin.batches.flatMap((b) =>
    b.instances.filter((i) => i.status === "SUCCESSFUL" || i.status === "FAILED" || i.status === "RUNNING").map((i) => i.instanceId),
  );
  if (instanceIds.length === 0) {
    throw new ApiError(ErrorCodes.NoInstanceCanRollback, `${origin.id} has no refreshed instance to roll back.`);
  }
  if (settings.RollingUpdateSettings.BatchNumber > instanceIds.length) {
    throw new ApiError(
      ErrorCodes.BatchNumberTooLarge,
      `RefreshSettings.RollingUpdateSettings.BatchNumber (${settings.RollingUpdateSettings.BatchNumber}) exceeds the ${instanceIds.length} instances to roll back.`,
    );
  }
  const running = model.machine.runningInstances(origin);
  const notBefore = running.reduce((max, i) => Math.max(max, i.finishAt ?? now), now);
  const rb = model.machine.create(
    { groupId: group.id, type: "ROLLBACK", originId: origin.id, mode: origin.mode, settings, instanceIds, notBefore },
    now,
  );
  if (paused) model.machine.supersede(origin, rb.id, now);
  model.finish();
  return rb;
}
