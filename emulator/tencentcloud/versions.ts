/**
 * What a Tencent Cloud group's instances run — the smallest model that lets the health endpoint
 * (`../health.ts`) tell a bad rollout from a good one. The API names no image: a refresh rolls the
 * instances onto "the group's current launch configuration", so the model gives that a version:
 * - a group's launch configuration has a `version` (a label; {@link DEFAULT_VERSION} when seeded);
 *   the admin API sets it, as ModifyLaunchConfigurationAttributes would, and marks versions bad;
 * - an activity records at creation the version it rolls out ({@link activityVersion}): NORMAL,
 *   the group's; ROLLBACK, the one its instances ran before the origin refreshed them;
 * - a batch entry records, when its refresh starts, the version its instance ran then
 *   (`previousVersion`); an instance whose refresh succeeds runs its activity's version — a rollback
 *   entry's instance, the version the origin's entry recorded ({@link versionAfterRefresh}); a failed
 *   refresh changes nothing; MaxSurge instances run their activity's version;
 * - the group's version stays what it is after a rollback (the launch configuration is not modified).
 * An IN_SERVICE instance that runs a version of its group's `badVersions` is unhealthy.
 */
import { AdminError } from "../errors";
import { summarizeHealth, type GroupHealthReport } from "../health";
import type { ModelState, StateSnapshot } from "./state";
import type { ActivityRecord, ActivityType, GroupRecord, InstanceRecord } from "./types";

/** The version of a seeded group's launch configuration and instances, and of every record of a state file written before versions. */
export const DEFAULT_VERSION = "v1";
/** The lifecycle state of instances the health endpoint counts. */
const IN_SERVICE = "IN_SERVICE";

/** What the admin API answers about a group's versions. */
export interface GroupVersionView {
  /** `asg-xxxxxxxx`. */
  groupId: string;
  /** The launch configuration's version: what the next refresh rolls out. */
  version: string;
  /** Versions marked bad. */
  badVersions: string[];
}

/** A group's {@link GroupVersionView}. */
export function groupVersionView(group: GroupRecord): GroupVersionView {
  return { groupId: group.id, version: group.version, badVersions: [...group.badVersions] };
}

/**
 * Sets the group's launch-configuration version (what the next NORMAL refresh rolls out); `bad`
 * marks that version bad (`true`) or good (`false`), or leaves its mark (omitted). An activity in
 * progress keeps the version it recorded. 400 {@link AdminError} for an empty version.
 */
export function setGroupVersion(group: GroupRecord, version: string, bad?: boolean): void {
  if (version === "") throw new AdminError(400, "BadRequest", "version must be a non-empty string");
  group.version = version;
  const marked = group.badVersions.includes(version);
  if (bad === true && !marked) group.badVersions.push(version);
  if (bad === false && marked) group.badVersions = group.badVersions.filter((v) => v !== version);
}

/** The version the origin's entry of `instanceId` recorded when its refresh started (what a rollback restores), if any. */
function versionBefore(origin: ActivityRecord | undefined, instanceId: string): string | null {
  for (const batch of origin?.batches ?? []) {
    for (const entry of batch.instances) if (entry.instanceId === instanceId && entry.previousVersion != null) return entry.previousVersion;
  }
  return null;
}

/**
 * The version a new activity rolls out: NORMAL, the group's; ROLLBACK, the version its first
 * instance ran before the origin refreshed it (each instance returns to its own, {@link versionAfterRefresh}).
 */
export function activityVersion(state: ModelState, spec: { groupId: string; type: ActivityType; originId: string; instanceIds: readonly string[] }): string {
  const groupVersion = state.groups.get(spec.groupId)?.version ?? DEFAULT_VERSION;
  if (spec.type === "NORMAL") return groupVersion;
  const first = spec.instanceIds[0];
  return (first !== undefined ? versionBefore(state.activities.get(spec.originId), first) : null) ?? groupVersion;
}

/**
 * The version `instanceId` runs once `a` refreshed it: `a`'s version; for a rollback, the version
 * the instance ran before the origin refreshed it (its current one when the origin recorded none).
 */
export function versionAfterRefresh(state: ModelState, a: ActivityRecord, instanceId: string): string {
  if (a.type === "NORMAL") return a.version;
  return versionBefore(state.activities.get(a.originId), instanceId) ?? state.instances.get(instanceId)?.version ?? a.version;
}

/** The health of a group's IN_SERVICE instances, or `undefined` for an unknown group. */
export function groupHealth(state: ModelState, groupId: string): GroupHealthReport | undefined {
  const group = state.groups.get(groupId);
  if (!group) return undefined;
  return summarizeHealth(
    group.instanceIds
      .map((id) => state.instances.get(id))
      .filter((i): i is InstanceRecord => i?.lifeCycleState === IN_SERVICE)
      .map((i) => ({ version: i.version, bad: group.badVersions.includes(i.version) })),
  );
}

/**
 * A snapshot with the version fields filled in where a state file written before versions lacks
 * them: every group, instance and activity at {@link DEFAULT_VERSION}, no bad version, no entry's
 * previous version. Changes the records in place and returns the snapshot.
 */
export function withVersionDefaults(snapshot: StateSnapshot): StateSnapshot {
  for (const g of snapshot.groups) {
    g.version ??= DEFAULT_VERSION;
    g.badVersions ??= [];
  }
  for (const i of snapshot.instances) i.version ??= DEFAULT_VERSION;
  for (const a of snapshot.activities) {
    a.version ??= DEFAULT_VERSION;
    for (const b of a.batches) for (const e of b.instances) e.previousVersion ??= null;
  }
  return snapshot;
}
