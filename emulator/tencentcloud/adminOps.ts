/**
 * What the admin API does to the model beyond the cloud API: seed groups, fail or remove instances,
 * set a group's version and mark versions bad (`versions.ts`), pause or cancel an activity as the
 * console would (no API rule checks), move an activity on by hand (pace control), and look records
 * up. Refusals are {@link AdminError}s (404, 409, 400).
 */
import { AdminError } from "../errors";
import { MAX_STEPS_PER_ADVANCE, type RefreshModel } from "./model";
import { addSeedGroup, type SeedGroupSpec } from "./seeding";
import { TERMINAL_STATUSES, type ActivityRecord, type GroupRecord } from "./types";
import { setGroupVersion } from "./versions";

/** A non-terminal activity (console operations); 404 when unknown, 409 when it already ended. */
function requireLiveForConsole(model: RefreshModel, activityId: string): ActivityRecord {
  const a = model.state.activities.get(activityId);
  if (!a) throw new AdminError(404, "NotFound", `refresh activity ${activityId} does not exist`);
  if (TERMINAL_STATUSES.has(a.status)) throw new AdminError(409, "Conflict", `refresh activity ${activityId} already ended (${a.status})`);
  return a;
}

/** A live activity with a timed transition pending (pace control); 404 / 409 otherwise. */
function requireTimed(model: RefreshModel, activityId: string): ActivityRecord {
  const a = requireLiveForConsole(model, activityId);
  if (model.machine.nextEventAt(a) === null) {
    throw new AdminError(409, "Conflict", `refresh activity ${activityId} is ${a.status} and waits for a call (no batch running or due)`);
  }
  return a;
}

/** Creates a group with instances. */
export function seedGroup(model: RefreshModel, spec: SeedGroupSpec): GroupRecord {
  const now = model.sync();
  const group = addSeedGroup(model.state, spec, now);
  model.markDirty();
  return group;
}

/** The next `count` refresh attempts of the instance fail with `message`. */
export function failInstance(model: RefreshModel, instanceId: string, message: string, count: number): void {
  model.sync();
  if (!model.state.instances.has(instanceId)) throw new AdminError(404, "NotFound", `instance ${instanceId} does not exist`);
  if (!Number.isInteger(count) || count < 1) throw new AdminError(400, "BadRequest", `count must be an integer >= 1`);
  model.state.failures.set(instanceId, { message, remaining: count });
  model.markDirty();
}

/** Sets a group's launch-configuration version and, with `bad`, marks it bad or good (see `versions.ts`). */
export function setVersion(model: RefreshModel, groupId: string, version: string, bad?: boolean): GroupRecord {
  const group = getGroup(model, groupId);
  setGroupVersion(group, version, bad);
  model.markDirty();
  return group;
}

/** Removes (destroys) an instance; entries of live activities become NOT_FOUND. */
export function removeInstance(model: RefreshModel, instanceId: string): void {
  const now = model.sync();
  const inst = model.state.removeInstance(instanceId);
  if (!inst) throw new AdminError(404, "NotFound", `instance ${instanceId} does not exist`);
  for (const a of [...model.state.live]) if (a.groupId === inst.groupId) model.machine.instanceRemoved(a, instanceId, now);
  model.markDirty();
  model.finish();
}

/** Pauses a non-terminal activity as the console would (MANUAL_PAUSE, no API rule checks). */
export function consolePause(model: RefreshModel, activityId: string): ActivityRecord {
  model.sync();
  const a = requireLiveForConsole(model, activityId);
  if (a.status !== "MANUAL_PAUSE") model.machine.stop(a);
  model.finish();
  return a;
}

/** Cancels a non-terminal activity as the console would (CANCELLED, even with a batch running). */
export function consoleCancel(model: RefreshModel, activityId: string): ActivityRecord {
  const now = model.sync();
  const a = requireLiveForConsole(model, activityId);
  model.machine.end(a, "CANCELLED", now);
  model.finish();
  return a;
}

/** Pace control: performs the activity's next timed transition now, whatever the pace. */
export function stepActivity(model: RefreshModel, activityId: string): ActivityRecord {
  const now = model.sync();
  const a = requireTimed(model, activityId);
  model.forceStep(a, now);
  model.finish();
  return a;
}

/** Pace control: finishes the current batch now (see `Backend.finishBatch`). */
export function finishBatch(model: RefreshModel, activityId: string): ActivityRecord {
  const now = model.sync();
  const a = requireTimed(model, activityId);
  const target = a.phase === "BATCH_RUNNING" ? a.currentBatchNum : (a.batches.find((b) => b.status === "WAITING")?.num ?? Number.POSITIVE_INFINITY);
  for (let steps = 0; steps < MAX_STEPS_PER_ADVANCE; steps++) {
    if (a.phase === "BATCH_RUNNING" && a.currentBatchNum > target) break;
    if (!model.forceStep(a, now)) break;
  }
  model.finish();
  return a;
}

/** A group by id (admin); 404 when there is none. */
export function getGroup(model: RefreshModel, groupId: string): GroupRecord {
  model.sync();
  const g = model.state.groups.get(groupId);
  if (!g) throw new AdminError(404, "NotFound", `scaling group ${groupId} does not exist`);
  return g;
}

/** The activity holding a group (pace control by group); 409 when the group has none. */
export function groupActivityId(model: RefreshModel, groupId: string): string {
  const g = getGroup(model, groupId);
  if (!g.activeActivityId) throw new AdminError(409, "Conflict", `scaling group ${groupId} has no refresh activity in progress`);
  return g.activeActivityId;
}

/** An activity by id (admin); 404 when there is none. */
export function getActivity(model: RefreshModel, activityId: string): ActivityRecord {
  model.sync();
  const a = model.state.activities.get(activityId);
  if (!a) throw new AdminError(404, "NotFound", `refresh activity ${activityId} does not exist`);
  return a;
}
