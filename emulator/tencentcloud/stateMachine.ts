/**
 * The refresh activity state machine: every transition of an activity, its batches and instances.
 *
 * Timeline of an activity (T = `batchMs`, the time one batch takes):
 * ```
 * INIT ──initMs──▶ RUNNING ─[MaxSurge: SURGE_OUT, surgeMs]─▶ batch 1 (T) ─▶ … ─▶ batch n (T) ─[SURGE_IN, surgeMs]─▶ SUCCESSFUL
 *                     │ Stop → MANUAL_PAUSE (running instances finish; next batch waits)
 *                     │ BatchPause → AUTO_PAUSE between batches; a failed instance → FailProcess
 *                     └ Resume (RETRY | CONTINUE) · Cancel (from a pause) · Rollback (from a pause)
 * ```
 * The machine never reads a clock: callers pass the time `at` of each transition, so a jump of the
 * clock replays every intermediate transition at its own time. It never throws for API rules either;
 * `refreshActions.ts` checks those first. Side effects (ids, surge instances, persistence) happen only
 * when a status actually changes.
 */
import { splitIntoBatches } from "./batches";
import type { ModelState } from "./state";
import { activityVersion, versionAfterRefresh } from "./versions";
import {
  PAUSED_STATUSES,
  TERMINAL_STATUSES,
  type ActivityRecord,
  type ActivityStatus,
  type ActivityType,
  type BatchInstanceRecord,
  type BatchRecord,
  type InstanceRecord,
  type RefreshMode,
  type RefreshSettings,
  type ResumeMode,
} from "./types";

/** How long each timed step takes, in ms of the model's clock. */
export interface Timing {
  /** One batch (every instance of it refreshes in parallel). */
  readonly batchMs: number;
  /** INIT → RUNNING. */
  readonly initMs: number;
  /** MaxSurge scale-out, and again scale-in. */
  readonly surgeMs: number;
}

/** Fraction of a batch's duration the INIT phase takes. */
export const INIT_PHASE_FRACTION = 0.05;
/** Fraction of a batch's duration a MaxSurge scale-out (or scale-in) takes. */
export const SURGE_PHASE_FRACTION = 0.1;

/** Derives {@link Timing} from the pace `secondsPerBatch` (fractions allowed). */
export function timingFor(secondsPerBatch: number): Timing {
  const batchMs = Math.max(1, Math.round(secondsPerBatch * 1000));
  return {
    batchMs,
    initMs: Math.max(1, Math.round(batchMs * INIT_PHASE_FRACTION)),
    surgeMs: Math.max(1, Math.round(batchMs * SURGE_PHASE_FRACTION)),
  };
}

/** Messages written into `InstanceStatusMessage`. */
export const InstanceMessages = {
  notFound: "The instance was removed from the scaling group or destroyed.",
  defaultFailure: "Instance refresh failed.",
  cancelled: "The instance refresh was cancelled.",
} as const;

/**
 * Status the original activity ends with when a rollback supersedes it while paused.
 * inferred: the docs only say its pending instances become CANCELLED.
 */
export const SUPERSEDED_ORIGIN_END_STATUS: ActivityStatus = "CANCELLED";
/**
 * Status the original activity ends with when FailProcess=AUTO_ROLLBACK starts a rollback.
 */
export const AUTO_ROLLBACK_ORIGIN_END_STATUS: ActivityStatus = "FAILED";

/** What the machine needs from its owner. */
export interface MachineEnv {
  readonly state: ModelState;
  readonly timing: Timing;
  /** Told about every activity whose record changed (re-scheduling, persistence). */
  touched(activity: ActivityRecord): void;
  /** Told when groups or instances changed without an activity change (persistence). */
  dirty(): void;
  newActivityId(): string;
  newInstanceActivityId(): string;
  newInstanceId(): string;
}

/** Arguments of {@link RefreshMachine.create}. */
export interface NewActivity {
  groupId: string;
  type: ActivityType;
  originId: string;
  mode: RefreshMode;
  settings: RefreshSettings;
  instanceIds: string[];
  /** INIT ends at `max(at, notBefore) + initMs` (a rollback waits for the original's running instances). */
  notBefore?: number;
}

/** Transitions of refresh activities. */
export class RefreshMachine {
  constructor(private readonly env: MachineEnv) {}

  /** When the activity next changes by itself, or `null` when it waits for a call. */
  nextEventAt(a: ActivityRecord): number | null {
    switch (a.phase) {
      case "INIT":
      case "SURGE_OUT":
      case "SURGE_IN":
        return a.phaseEndsAt;
      case "BATCH_RUNNING": {
        let next: number | null = null;
        for (const i of this.currentBatch(a)?.instances ?? []) {
          if (i.status === "RUNNING" && i.finishAt !== null && (next === null || i.finishAt < next)) next = i.finishAt;
        }
        return next;
      }
      default:
        return null;
    }
  }

  /** Performs the transition due at `at` (= {@link nextEventAt}). */
  step(a: ActivityRecord, at: number): void {
    switch (a.phase) {
      case "INIT":
        a.startedAt = at;
        if (a.status === "INIT") a.status = "RUNNING";
        this.proceed(a, at);
        break;
      case "SURGE_OUT":
        for (const id of a.surgeInstanceIds) this.setLifeCycle(id, "IN_SERVICE");
        a.surgeDone = true;
        this.proceed(a, at);
        break;
      case "SURGE_IN":
        for (const id of a.surgeInstanceIds) this.env.state.removeInstance(id);
        a.surgeInstanceIds = [];
        this.end(a, "SUCCESSFUL", at);
        break;
      case "BATCH_RUNNING": {
        const batch = this.currentBatch(a);
        if (!batch) break;
        for (const i of batch.instances) {
          if (i.status === "RUNNING" && i.finishAt !== null && i.finishAt <= at) this.finishInstance(a, i);
        }
        if (!batch.instances.some((i) => i.status === "RUNNING")) this.endBatch(a, batch, at);
        break;
      }
      default:
        break;
    }
    this.env.touched(a);
  }

  /**
   * Brings the activity's next timed transition forward to `at`, so that `step(a, at)` performs it
   * now: the INIT or surge phase ends at `at`, or every running instance of the current batch
   * finishes at `at`. Used by pace control (model.ts); changes no status, so it has no side effect
   * of its own. Returns false when the activity has no timed transition pending.
   */
  hurry(a: ActivityRecord, at: number): boolean {
    switch (a.phase) {
      case "INIT":
      case "SURGE_OUT":
      case "SURGE_IN":
        if (a.phaseEndsAt === null) return false;
        a.phaseEndsAt = Math.min(a.phaseEndsAt, at);
        return true;
      case "BATCH_RUNNING": {
        let any = false;
        for (const i of this.currentBatch(a)?.instances ?? []) {
          if (i.status === "RUNNING" && i.finishAt !== null) {
            i.finishAt = Math.min(i.finishAt, at);
            any = true;
          }
        }
        return any;
      }
      default:
        return false;
    }
  }

  /** Creates an activity in INIT, holding its group. */
  create(spec: NewActivity, at: number): ActivityRecord {
    const { state } = this.env;
    const batches: BatchRecord[] = splitIntoBatches(spec.instanceIds, spec.settings.RollingUpdateSettings.BatchNumber).map(
      (ids, n) => ({
        num: n + 1,
        status: "WAITING",
        startedAt: null,
        endedAt: null,
        instances: ids.map((instanceId) => ({ instanceId, status: "WAITING", lastActivityId: "", message: "", finishAt: null, previousVersion: null })),
      }),
    );
    const a: ActivityRecord = {
      id: this.env.newActivityId(),
      seq: 0,
      groupId: spec.groupId,
      type: spec.type,
      originId: spec.originId,
      mode: spec.mode,
      settings: spec.settings,
      status: "INIT",
      // inferred: the batch about to be refreshed (1) until the first batch starts, then the latest started batch.
      currentBatchNum: 1,
      createdAt: at,
      startedAt: null,
      endedAt: null,
      batches,
      phase: "INIT",
      phaseEndsAt: Math.max(at, spec.notBefore ?? at) + this.env.timing.initMs,
      surgeInstanceIds: [],
      surgeDone: spec.settings.RollingUpdateSettings.MaxSurge === 0,
      supersededBy: null,
      supersededEndStatus: null,
      version: activityVersion(state, spec),
    };
    state.addActivity(a);
    const group = state.groups.get(spec.groupId);
    if (group) group.activeActivityId = a.id;
    this.env.touched(a);
    return a;
  }

  /** StopInstanceRefresh: MANUAL_PAUSE; running instances finish, the next batch waits. */
  stop(a: ActivityRecord): void {
    a.status = "MANUAL_PAUSE";
    this.env.touched(a);
  }

  /** ResumeInstanceRefresh from a pause. */
  resume(a: ActivityRecord, mode: ResumeMode, at: number): void {
    a.status = a.startedAt === null ? "INIT" : "RUNNING";
    const batch = this.currentBatch(a);
    if (batch && batch.status === "FAILED" && a.phase === "PAUSED") {
      if (mode === "RETRY") {
        batch.status = "RUNNING";
        batch.endedAt = null;
        a.phase = "BATCH_RUNNING";
        for (const i of batch.instances) if (i.status === "FAILED") this.startInstance(a, i, at);
        if (!batch.instances.some((i) => i.status === "RUNNING")) this.endBatch(a, batch, at);
      } else {
        // inferred: skipped failures leave the batch PARTIALLY_SUCCESSFUL even when none of it succeeded.
        batch.status = "PARTIALLY_SUCCESSFUL";
        this.proceed(a, at);
      }
    } else if (a.phase === "PAUSED") {
      this.proceed(a, at);
    }
    // INIT, SURGE_OUT or a still-running batch: the pending timer carries on and proceeds when due.
    this.env.touched(a);
  }

  /** Ends the activity as `status`: pending batches and instances CANCELLED, surge instances destroyed. */
  end(a: ActivityRecord, status: ActivityStatus, at: number): void {
    for (const b of a.batches) {
      let open = false;
      for (const i of b.instances) {
        if (i.status === "WAITING" || i.status === "INIT" || i.status === "RUNNING") {
          open = true;
          i.status = "CANCELLED";
          i.finishAt = null;
          i.message = InstanceMessages.cancelled;
        }
      }
      if (b.status === "WAITING" || b.status === "INIT" || b.status === "RUNNING" || open) {
        if (b.status !== "FAILED" && b.status !== "PARTIALLY_SUCCESSFUL") b.status = "CANCELLED";
        if (b.startedAt !== null && b.endedAt === null) b.endedAt = at;
      }
    }
    for (const id of a.surgeInstanceIds) this.env.state.removeInstance(id);
    a.surgeInstanceIds = [];
    a.status = status;
    a.endedAt = at;
    a.phase = "DONE";
    a.phaseEndsAt = null;
    this.release(a);
    this.env.touched(a);
  }

  /**
   * A rollback supersedes the paused `origin`: its pending instances become CANCELLED at once; it ends
   * when its still-running instances (if any) finish.
   */
  supersede(origin: ActivityRecord, rollbackId: string, at: number): void {
    for (const b of origin.batches) {
      for (const i of b.instances) {
        if (i.status === "WAITING") {
          i.status = "CANCELLED";
          i.message = InstanceMessages.cancelled;
        }
      }
      if (b.status === "WAITING") b.status = "CANCELLED";
    }
    if (this.runningInstances(origin).length > 0) {
      origin.supersededBy = rollbackId;
      origin.supersededEndStatus = SUPERSEDED_ORIGIN_END_STATUS;
      this.env.touched(origin);
    } else {
      this.end(origin, SUPERSEDED_ORIGIN_END_STATUS, at);
    }
  }

  /** The instance left the group: pending or running entries become NOT_FOUND without blocking. */
  instanceRemoved(a: ActivityRecord, instanceId: string, at: number): void {
    let changed = false;
    for (const b of a.batches) {
      for (const i of b.instances) {
        if (i.instanceId === instanceId && (i.status === "WAITING" || i.status === "RUNNING" || i.status === "INIT")) {
          i.status = "NOT_FOUND";
          i.finishAt = null;
          i.message = InstanceMessages.notFound;
          changed = true;
        }
      }
    }
    const surgeAt = a.surgeInstanceIds.indexOf(instanceId);
    if (surgeAt >= 0) {
      a.surgeInstanceIds.splice(surgeAt, 1);
      changed = true;
    }
    if (!changed) return;
    const batch = this.currentBatch(a);
    if (a.phase === "BATCH_RUNNING" && batch && !batch.instances.some((i) => i.status === "RUNNING")) this.endBatch(a, batch, at);
    this.env.touched(a);
  }

  /** Instances of `a` currently RUNNING. */
  runningInstances(a: ActivityRecord): BatchInstanceRecord[] {
    return a.batches.flatMap((b) => b.instances.filter((i) => i.status === "RUNNING"));
  }

  /** The batch numbered `currentBatchNum`. */
  currentBatch(a: ActivityRecord): BatchRecord | undefined {
    return a.batches[a.currentBatchNum - 1];
  }

  // ------------------------------------------------------------------ internals

  /** Does whatever comes next for a RUNNING activity, or parks a paused one. */
  private proceed(a: ActivityRecord, at: number): void {
    if (TERMINAL_STATUSES.has(a.status)) return;
    if (PAUSED_STATUSES.has(a.status)) {
      a.phase = "PAUSED";
      a.phaseEndsAt = null;
      return;
    }
    const surge = a.settings.RollingUpdateSettings.MaxSurge;
    if (!a.surgeDone) {
      const group = this.env.state.groups.get(a.groupId);
      for (let n = 0; n < surge && group; n++) {
        const inst = this.newSurgeInstance(a, at);
        this.env.state.addInstance(inst);
        a.surgeInstanceIds.push(inst.id);
      }
      a.phase = "SURGE_OUT";
      a.phaseEndsAt = at + this.env.timing.surgeMs;
      return;
    }
    const next = a.batches.find((b) => b.status === "WAITING");
    if (next) {
      this.startBatch(a, next, at);
      return;
    }
    if (a.surgeInstanceIds.length > 0) {
      for (const id of a.surgeInstanceIds) this.setLifeCycle(id, "TERMINATING");
      a.phase = "SURGE_IN";
      a.phaseEndsAt = at + this.env.timing.surgeMs;
      return;
    }
    this.end(a, "SUCCESSFUL", at);
  }

  private startBatch(a: ActivityRecord, batch: BatchRecord, at: number): void {
    batch.status = "RUNNING";
    batch.startedAt = at;
    batch.endedAt = null;
    a.currentBatchNum = batch.num;
    a.phase = "BATCH_RUNNING";
    a.phaseEndsAt = null;
    for (const i of batch.instances) if (i.status === "WAITING") this.startInstance(a, i, at);
    if (!batch.instances.some((i) => i.status === "RUNNING")) this.endBatch(a, batch, at);
  }

  private startInstance(a: ActivityRecord, i: BatchInstanceRecord, at: number): void {
    if (!this.env.state.instanceInGroup(i.instanceId, a.groupId)) {
      i.status = "NOT_FOUND";
      i.finishAt = null;
      i.message = InstanceMessages.notFound;
      return;
    }
    i.status = "RUNNING";
    i.previousVersion = this.env.state.instances.get(i.instanceId)!.version;
    i.lastActivityId = this.env.newInstanceActivityId();
    i.message = "";
    i.finishAt = at + this.env.timing.batchMs;
  }

  /** The refresh attempt of `i` ends: FAILED (a failure mark), or SUCCESSFUL and the instance runs the version `a` rolls out. */
  private finishInstance(a: ActivityRecord, i: BatchInstanceRecord): void {
    i.finishAt = null;
    const mark = this.env.state.failures.get(i.instanceId);
    if (mark && mark.remaining > 0) {
      mark.remaining -= 1;
      if (mark.remaining <= 0) this.env.state.failures.delete(i.instanceId);
      i.status = "FAILED";
      i.message = mark.message || InstanceMessages.defaultFailure;
    } else {
      i.status = "SUCCESSFUL";
      i.message = "";
      const inst = this.env.state.instances.get(i.instanceId);
      if (inst) inst.version = versionAfterRefresh(this.env.state, a, i.instanceId);
    }
  }

  private endBatch(a: ActivityRecord, batch: BatchRecord, at: number): void {
    batch.endedAt = at;
    const failed = batch.instances.some((i) => i.status === "FAILED");
    batch.status = failed ? "FAILED" : "SUCCESSFUL";
    if (a.supersededBy !== null) {
      this.end(a, a.supersededEndStatus ?? SUPERSEDED_ORIGIN_END_STATUS, at);
      return;
    }
    if (failed) {
      this.onFailure(a, at);
      return;
    }
    const more = a.batches.some((b) => b.status === "WAITING");
    const pause = a.settings.RollingUpdateSettings.BatchPause;
    if (more && a.status === "RUNNING" && (pause === "BATCH_INTERVAL_PAUSE" || (pause === "FIRST_BATCH_PAUSE" && batch.num === 1))) {
      a.status = "AUTO_PAUSE";
    }
    this.proceed(a, at);
  }

  private onFailure(a: ActivityRecord, at: number): void {
    let policy = a.settings.RollingUpdateSettings.FailProcess;
    // inferred: a rollback activity cannot itself be rolled back, so AUTO_ROLLBACK pauses it instead.
    if (policy === "AUTO_ROLLBACK" && a.type === "ROLLBACK") policy = "AUTO_PAUSE";
    if (policy === "AUTO_PAUSE") {
      a.status = "FAILED_PAUSE";
      this.proceed(a, at);
    } else if (policy === "AUTO_CANCEL") {
      this.end(a, "CANCELLED", at);
    } else {
      this.end(a, AUTO_ROLLBACK_ORIGIN_END_STATUS, at);
      const instanceIds = a.batches.flatMap((b) =>
        b.instances.filter((i) => i.status === "SUCCESSFUL" || i.status === "FAILED").map((i) => i.instanceId),
      );
      if (instanceIds.length === 0) return;
      const s = a.settings;
      this.create(
        {
          groupId: a.groupId,
          type: "ROLLBACK",
          originId: a.id,
          mode: a.mode,
          settings: {
            // one instance per batch; CheckInstanceTargetHealth as the original
            RollingUpdateSettings: { BatchNumber: instanceIds.length, BatchPause: "AUTOMATIC", MaxSurge: 0, FailProcess: "AUTO_PAUSE" },
            CheckInstanceTargetHealth: s.CheckInstanceTargetHealth,
            CheckInstanceTargetHealthTimeout: s.CheckInstanceTargetHealthTimeout,
          },
          instanceIds,
        },
        at,
      );
    }
  }

  private release(a: ActivityRecord): void {
    const group = this.env.state.groups.get(a.groupId);
    if (group && group.activeActivityId === a.id) group.activeActivityId = null;
  }

  private setLifeCycle(instanceId: string, state: string): void {
    const inst = this.env.state.instances.get(instanceId);
    if (inst && inst.lifeCycleState !== state) {
      inst.lifeCycleState = state;
      this.env.dirty();
    }
  }

  /** A MaxSurge instance of `a`, created from the launch configuration it rolls out. */
  private newSurgeInstance(a: ActivityRecord, at: number): InstanceRecord {
    const group = this.env.state.groups.get(a.groupId);
    return {
      id: this.env.newInstanceId(),
      groupId: a.groupId,
      lifeCycleState: "CREATING",
      healthStatus: "HEALTHY",
      protectedFromScaleIn: false,
      zone: group?.zones[0] ?? "ap-guangzhou-3",
      creationType: "AUTO_CREATION",
      instanceType: "S5.MEDIUM2",
      addedAt: at,
      surge: true,
      version: a.version,
    };
  }
}
