/**
 * The model's data: plain maps plus the indexes every lookup needs (O(1) by id, activities by group).
 * No HTTP, no timing: `stateMachine.ts` moves activities, `backend.ts` exposes operations.
 */
import type { ActivityRecord, FailureMark, GroupRecord, InstanceRecord } from "./types";
import { TERMINAL_STATUSES } from "./types";
import { withVersionDefaults } from "./versions";

/** Identifies the JSON written by {@link ModelState.toSnapshot}. */
export const SNAPSHOT_FORMAT = "pulumi-instance-refresh-emulator-state";
/** Version of the snapshot layout; bump when it changes incompatibly. */
export const SNAPSHOT_VERSION = 1;

/** The serialized model (the state file: `stateFile.ts`, `../persistence.ts`). */
export interface StateSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  savedAt: string;
  nextSeq: number;
  groups: GroupRecord[];
  instances: InstanceRecord[];
  activities: ActivityRecord[];
  failures: Array<[string, FailureMark]>;
}

/** All groups, instances and activities, with indexes. */
export class ModelState {
  readonly groups = new Map<string, GroupRecord>();
  readonly instances = new Map<string, InstanceRecord>();
  readonly activities = new Map<string, ActivityRecord>();
  /** Activities of each group, oldest first. */
  readonly activitiesByGroup = new Map<string, ActivityRecord[]>();
  /** All activities, oldest first (by `seq`). */
  readonly activityOrder: ActivityRecord[] = [];
  /** Non-terminal activities (the only ones that can move). */
  readonly live = new Set<ActivityRecord>();
  /** Pending failure marks by instance id. */
  readonly failures = new Map<string, FailureMark>();
  nextSeq = 1;

  /** Adds a group (its instances are added separately). */
  addGroup(group: GroupRecord): void {
    this.groups.set(group.id, group);
    if (!this.activitiesByGroup.has(group.id)) this.activitiesByGroup.set(group.id, []);
  }

  /** Adds an instance and appends it to its group. */
  addInstance(instance: InstanceRecord): void {
    this.instances.set(instance.id, instance);
    this.groups.get(instance.groupId)?.instanceIds.push(instance.id);
  }

  /** Removes an instance from its group and the model. Returns the removed record. */
  removeInstance(instanceId: string): InstanceRecord | undefined {
    const inst = this.instances.get(instanceId);
    if (!inst) return undefined;
    this.instances.delete(instanceId);
    this.failures.delete(instanceId);
    const group = this.groups.get(inst.groupId);
    if (group) {
      const at = group.instanceIds.indexOf(instanceId);
      if (at >= 0) group.instanceIds.splice(at, 1);
    }
    return inst;
  }

  /** True when the instance still exists in the given group. */
  instanceInGroup(instanceId: string, groupId: string): boolean {
    return this.instances.get(instanceId)?.groupId === groupId;
  }

  /** Adds an activity, assigning its `seq`. */
  addActivity(activity: ActivityRecord): void {
    activity.seq = this.nextSeq++;
    this.indexActivity(activity);
  }

  /** Updates the live set after an activity's status changed. */
  refreshLiveness(activity: ActivityRecord): void {
    if (TERMINAL_STATUSES.has(activity.status)) this.live.delete(activity);
    else this.live.add(activity);
  }

  /** JSON-safe copy of everything. */
  toSnapshot(): StateSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      savedAt: new Date().toISOString(),
      nextSeq: this.nextSeq,
      groups: [...this.groups.values()],
      instances: [...this.instances.values()],
      activities: this.activityOrder,
      failures: [...this.failures.entries()],
    };
  }

  /**
   * Rebuilds a state from {@link toSnapshot}'s output (already validated by the caller); a file
   * written before versions gets their defaults (`versions.ts`).
   */
  static fromSnapshot(input: StateSnapshot): ModelState {
    const snapshot = withVersionDefaults(input);
    const state = new ModelState();
    for (const g of snapshot.groups) state.addGroup(g);
    for (const i of snapshot.instances) state.instances.set(i.id, i);
    for (const a of [...snapshot.activities].sort((x, y) => x.seq - y.seq)) state.indexActivity(a);
    for (const [id, mark] of snapshot.failures) state.failures.set(id, mark);
    state.nextSeq = Math.max(snapshot.nextSeq, state.activityOrder.length + 1);
    return state;
  }

  private indexActivity(activity: ActivityRecord): void {
    this.activities.set(activity.id, activity);
    this.activityOrder.push(activity);
    let list = this.activitiesByGroup.get(activity.groupId);
    if (!list) this.activitiesByGroup.set(activity.groupId, (list = []));
    list.push(activity);
    this.refreshLiveness(activity);
  }
}
