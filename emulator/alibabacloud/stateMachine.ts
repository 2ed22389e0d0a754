/**
 * Transitions of an instance-refresh task and of the instances it replaces.
 *
 * ```
 * Pending ─pendingMs─▶ InProgress ─wave (waveMs)─▶ … ─▶ Successful (group's configuration := desired)
 *                        │  checkpoint reached ─▶ CheckpointPause ─CheckpointPauseTime min─▶ InProgress
 *                        │  Suspend ─▶ Paused ─Resume─▶ InProgress
 *                        │  Cancel ─▶ Cancelling ─(wave in flight ends | settleMs)─▶ Cancelled
 *                        │  Rollback ─▶ RollbackInProgress ─waves─▶ RollbackSuccessful | RollbackFailed
 *                        │  an instance fails ─▶ Failed;  one week without ending ─▶ Failed
 * ```
 * A wave replaces up to `waveSize` instances together: the old ones are Removing, their
 * replacements Pending, and when the wave ends the replacements are InService and the old ones gone.
 * A wave in flight always completes (Suspend, Cancel and Rollback take effect after it).
 *
 * The machine never reads a clock: callers pass the time `at` of each transition, so a jump of the
 * clock replays every intermediate transition at its own time. API rules (which status allows
 * which call) are checked by `backend.ts` before it calls the operations here.
 */
import {
  DEFAULT_INSTANCE_FAILURE_DETAIL,
  MAX_RUN_TIME_DETAIL,
  MAX_TASK_RUN_MS,
  TIME_LIMITED_STATUSES,
  checkpointTarget,
} from "./inferred";
import { MS_PER_MINUTE, cloneConfig, type GroupRecord, type InstanceConfig, type InstanceRecord, type TaskRecord, type TaskStatus } from "./model";

/** How long each timed step takes, in ms of the model's clock. */
export interface Timing {
  /** Pending → InProgress. */
  readonly pendingMs: number;
  /** One wave (its instances are replaced in parallel). */
  readonly waveMs: number;
  /** Cancelling → Cancelled, or a rollback with nothing to revert, when no wave is in flight. */
  readonly settleMs: number;
}

/** Default pace: a fast emulator, not the cloud's minutes (tests drive a ManualClock anyway). */
export const DEFAULT_TIMING: Timing = { pendingMs: 1_000, waveMs: 2_000, settleMs: 1_000 };

/** ms per second. */
const MS_PER_SECOND = 1000;

/**
 * The timing of waves of `waveSeconds` (fractions allowed), Pending and settling scaled in the
 * proportions of {@link DEFAULT_TIMING} (half a wave each), as Tencent Cloud's phases scale with
 * its `secondsPerBatch`.
 * @example timingForWaveSeconds(2) // DEFAULT_TIMING
 */
export function timingForWaveSeconds(waveSeconds: number): Timing {
  if (!(waveSeconds > 0) || !Number.isFinite(waveSeconds)) throw new RangeError(`the wave duration must be a number of seconds > 0, got ${waveSeconds}`);
  const waveMs = waveSeconds * MS_PER_SECOND;
  const scale = waveMs / DEFAULT_TIMING.waveMs;
  return { pendingMs: DEFAULT_TIMING.pendingMs * scale, waveMs, settleMs: DEFAULT_TIMING.settleMs * scale };
}

/** What the machine needs from its owner. */
export interface MachineStore {
  /** Groups by id. */
  readonly groups: Map<string, GroupRecord>;
  /** Instances by id. */
  readonly instances: Map<string, InstanceRecord>;
  /** A fresh instance id. */
  newInstanceId(): string;
}

/** The kind of a task's next timed transition. */
export type TaskEventKind = "wave" | "timer" | "deadline";

/** A task's next timed transition. */
export interface TaskEvent {
  /** When it is due. */
  at: number;
  /** What happens then. */
  kind: TaskEventKind;
}

const TIME_LIMITED: ReadonlySet<TaskStatus> = new Set(TIME_LIMITED_STATUSES);

/** Transitions of instance-refresh tasks. */
export class RefreshMachine {
  /**
   * @param store the model
   * @param timing durations of the timed steps
   */
  constructor(
    private readonly store: MachineStore,
    private readonly timing: Timing,
  ) {}

  /**
   * The task's next timed transition, or null when it waits for a call (or ended).
   * @param includeDeadline whether the one-week limit counts (not for the admin step helpers)
   */
  nextEvent(t: TaskRecord, includeDeadline = true): TaskEvent | null {
    let best: TaskEvent | null = null;
    const offer = (at: number | null, kind: TaskEventKind) => {
      if (at !== null && (best === null || at < best.at)) best = { at, kind };
    };
    offer(t.wave?.endsAt ?? null, "wave");
    offer(t.timerAt, "timer");
    if (includeDeadline && TIME_LIMITED.has(t.status)) {
      const deadline = t.startTime + MAX_TASK_RUN_MS;
      if (best === null || deadline <= (best as TaskEvent).at) best = { at: deadline, kind: "deadline" };
    }
    return best;
  }

  /** Performs the transition `event` at time `at` (its due time, or earlier when forced by an admin step). */
  apply(t: TaskRecord, event: TaskEventKind, at: number): void {
    switch (event) {
      case "wave":
        this.completeWave(t, at);
        break;
      case "timer":
        this.timerEnds(t, at);
        break;
      case "deadline":
        this.abandonWave(t);
        this.end(t, "Failed", at, MAX_RUN_TIME_DETAIL);
        break;
    }
  }

  // ------------------------------------------------------------------ operations

  /** Suspend: the task pauses; a wave in flight still completes. */
  suspend(t: TaskRecord): void {
    t.status = "Paused";
    t.timerAt = null;
  }

  /** Resume: back to InProgress; the next wave starts now unless one is in flight. */
  resume(t: TaskRecord, at: number): void {
    t.status = "InProgress";
    t.timerAt = null;
    if (!t.wave) this.continueRefresh(t, at);
  }

  /** Cancel: Cancelling, then Cancelled once the wave in flight ends (or after `settleMs`). Replaced instances stay. */
  cancel(t: TaskRecord, at: number): void {
    t.status = "Cancelling";
    t.pendingInstanceIds = [];
    t.timerAt = t.wave ? null : at + this.timing.settleMs;
  }

  /** Rollback: reverts the instances the task refreshed, wave by wave, to the previous configuration. */
  rollback(t: TaskRecord, at: number): void {
    const group = this.store.groups.get(t.groupId);
    if (group) group.activeTaskId = t.id;
    t.status = "RollbackInProgress";
    t.endTime = null;
    t.pendingInstanceIds = [];
    t.timerAt = null;
    if (t.wave) return;
    if (this.liveRefreshed(t).length > 0) this.startWave(t, at, "rollback");
    else t.timerAt = at + this.timing.settleMs;
  }

  // ------------------------------------------------------------------ internals

  private timerEnds(t: TaskRecord, at: number): void {
    t.timerAt = null;
    switch (t.status) {
      case "Pending":
      case "CheckpointPause":
        t.status = "InProgress";
        this.continueRefresh(t, at);
        break;
      case "Cancelling":
        this.end(t, "Cancelled", at);
        break;
      case "RollbackInProgress":
        this.continueRollback(t, at);
        break;
      default:
        break;
    }
  }

  private completeWave(t: TaskRecord, at: number): void {
    const wave = t.wave;
    if (!wave) return;
    t.wave = null;
    let failure: string | null = null;
    wave.oldInstanceIds.forEach((oldId, i) => {
      const old = this.store.instances.get(oldId);
      const replacement = this.store.instances.get(wave.newInstanceIds[i]!);
      if (old && old.failNext !== null) {
        failure ??= old.failNext || DEFAULT_INSTANCE_FAILURE_DETAIL;
        old.failNext = null;
        old.lifecycleState = "InService";
        if (replacement) this.removeInstance(replacement);
        return;
      }
      if (old) this.removeInstance(old);
      if (replacement) replacement.lifecycleState = "InService";
      if (wave.kind === "refresh") {
        t.finishedUpdateCapacity += 1;
        if (replacement) t.refreshedInstanceIds.push(replacement.id);
      } else {
        t.finishedUpdateCapacity = Math.max(0, t.finishedUpdateCapacity - 1);
        t.refreshedInstanceIds = t.refreshedInstanceIds.filter((id) => id !== oldId);
      }
    });
    if (failure !== null) {
      if (wave.kind === "rollback") return this.end(t, "RollbackFailed", at, failure);
      if (t.status !== "Cancelling" && t.status !== "RollbackInProgress") return this.end(t, "Failed", at, failure);
    }
    switch (t.status) {
      case "InProgress":
        this.continueRefresh(t, at);
        break;
      case "Paused":
        this.passReachedCheckpoints(t);
        break;
      case "Cancelling":
        this.end(t, "Cancelled", at);
        break;
      case "RollbackInProgress":
        this.continueRollback(t, at);
        break;
      default:
        break;
    }
  }

  /** InProgress with no wave in flight: finish, pause at a checkpoint, or start the next wave. */
  private continueRefresh(t: TaskRecord, at: number): void {
    t.pendingInstanceIds = t.pendingInstanceIds.filter((id) => this.isRefreshable(t, id));
    if (t.pendingInstanceIds.length === 0) {
      const group = this.store.groups.get(t.groupId);
      if (group) group.activeConfig = cloneConfig(t.targetConfig);
      this.end(t, "Successful", at);
      return;
    }
    if (this.passReachedCheckpoints(t)) {
      t.status = "CheckpointPause";
      t.timerAt = at + t.checkpointPauseTime * MS_PER_MINUTE;
      return;
    }
    this.startWave(t, at, "refresh");
  }

  /** RollbackInProgress with no wave in flight: finish, or revert the next wave. */
  private continueRollback(t: TaskRecord, at: number): void {
    if (this.liveRefreshed(t).length === 0) {
      const group = this.store.groups.get(t.groupId);
      if (group) group.activeConfig = cloneConfig(t.previousConfig);
      this.end(t, "RollbackSuccessful", at);
      return;
    }
    this.startWave(t, at, "rollback");
  }

  /** Moves past every checkpoint (below 100 %) the progress has reached; true when it passed one. */
  private passReachedCheckpoints(t: TaskRecord): boolean {
    let passed = false;
    while (t.nextCheckpoint < t.checkpoints.length) {
      const pct = t.checkpoints[t.nextCheckpoint]!;
      if (pct >= 100 || t.finishedUpdateCapacity < checkpointTarget(t.totalNeedUpdateCapacity, pct)) break;
      t.nextCheckpoint += 1;
      passed = true;
    }
    return passed;
  }

  /** How many instances the next refresh wave may take: the wave size, cut short at the next checkpoint. */
  private refreshWaveLimit(t: TaskRecord): number {
    let limit = t.waveSize;
    const pct = t.checkpoints[t.nextCheckpoint];
    if (pct !== undefined && pct < 100) {
      const left = checkpointTarget(t.totalNeedUpdateCapacity, pct) - t.finishedUpdateCapacity;
      if (left > 0) limit = Math.min(limit, left);
    }
    return limit;
  }

  private startWave(t: TaskRecord, at: number, kind: "refresh" | "rollback"): void {
    const group = this.store.groups.get(t.groupId);
    const oldIds = kind === "refresh" ? t.pendingInstanceIds.slice(0, this.refreshWaveLimit(t)) : this.liveRefreshed(t).slice(0, t.waveSize);
    if (kind === "refresh") t.pendingInstanceIds = t.pendingInstanceIds.slice(oldIds.length);
    const config = kind === "refresh" ? t.targetConfig : t.previousConfig;
    const newIds = oldIds.map((oldId) => {
      const old = this.store.instances.get(oldId)!;
      old.lifecycleState = "Removing";
      const replacement = this.createInstance(old, config, at);
      group?.instanceIds.push(replacement.id);
      return replacement.id;
    });
    t.wave = { kind, oldInstanceIds: oldIds, newInstanceIds: newIds, endsAt: at + this.timing.waveMs };
  }

  private createInstance(like: InstanceRecord, config: InstanceConfig, at: number): InstanceRecord {
    const inst: InstanceRecord = {
      id: this.store.newInstanceId(),
      groupId: like.groupId,
      lifecycleState: "Pending",
      healthStatus: "Healthy",
      creationType: "AutoCreated",
      config: cloneConfig(config),
      zoneId: like.zoneId,
      createdAt: at,
      failNext: null,
    };
    this.store.instances.set(inst.id, inst);
    return inst;
  }

  /** The deadline passed with a wave in flight: its replacements go, the old instances stay. */
  private abandonWave(t: TaskRecord): void {
    const wave = t.wave;
    if (!wave) return;
    t.wave = null;
    for (const id of wave.newInstanceIds) {
      const inst = this.store.instances.get(id);
      if (inst) this.removeInstance(inst);
    }
    for (const id of wave.oldInstanceIds) {
      const inst = this.store.instances.get(id);
      if (inst) inst.lifecycleState = "InService";
    }
  }

  private removeInstance(inst: InstanceRecord): void {
    this.store.instances.delete(inst.id);
    const group = this.store.groups.get(inst.groupId);
    if (group) group.instanceIds = group.instanceIds.filter((id) => id !== inst.id);
  }

  private isRefreshable(t: TaskRecord, id: string): boolean {
    const inst = this.store.instances.get(id);
    return inst !== undefined && inst.groupId === t.groupId && inst.lifecycleState === "InService";
  }

  private liveRefreshed(t: TaskRecord): string[] {
    t.refreshedInstanceIds = t.refreshedInstanceIds.filter((id) => this.store.instances.get(id)?.lifecycleState === "InService");
    return t.refreshedInstanceIds;
  }

  private end(t: TaskRecord, status: TaskStatus, at: number, detail?: string): void {
    t.status = status;
    t.endTime = at;
    t.timerAt = null;
    t.pendingInstanceIds = [];
    if (detail !== undefined) t.detail = detail;
    const group = this.store.groups.get(t.groupId);
    if (group && group.activeTaskId === t.id) group.activeTaskId = null;
  }
}
