/**
 * The cloud-neutral model of a refresh activity and the desired-state decisions over it: what an
 * update sends first, what a wait does on a change, when a wait is over. Each cloud maps its own
 * activity record onto {@link ActivityView} (its backend's `view`); everything here is written
 * once for every cloud. Pure functions, no I/O.
 */

/**
 * Where an activity stands, whatever the cloud calls it:
 * - `starting`: accepted, no instance touched yet;
 * - `running`: replacing instances;
 * - `gate`: an automatic pause after a batch or checkpoint that waits for approval;
 * - `manualPause`: paused by a person or by `paused: true`;
 * - `failedPause`: paused because instances failed;
 * - `succeeded`, `failed`, `cancelled`: ended;
 * - `cancelling`: a cancel was accepted and is winding down;
 * - `rollingBack`, `rolledBack`, `rollbackFailed`: a rollback runs, or ended.
 */
export const PHASES = [
  "starting",
  "running",
  "gate",
  "manualPause",
  "failedPause",
  "succeeded",
  "failed",
  "cancelling",
  "cancelled",
  "rollingBack",
  "rolledBack",
  "rollbackFailed",
] as const;
/** @see PHASES */
export type Phase = (typeof PHASES)[number];

/** Phases in which nothing can change the activity any more. */
export const TERMINAL_PHASES: ReadonlySet<Phase> = new Set(["succeeded", "failed", "cancelled", "rolledBack", "rollbackFailed"]);
/** Phases that wait for a resume (or a cancel). */
export const PAUSED_PHASES: ReadonlySet<Phase> = new Set(["gate", "manualPause", "failedPause"]);
/** Phases in which the activity works on its own and a pause can stop it. */
export const ACTIVE_PHASES: ReadonlySet<Phase> = new Set(["starting", "running", "rollingBack"]);
/** Phases that create and update report as failures. */
export const FAILURE_PHASES: ReadonlySet<Phase> = new Set(["failed", "failedPause", "cancelled", "rollbackFailed"]);

/** Instances of an activity by outcome, in the cloud's unit (instances, or capacity). */
export interface Progress {
  /** Replaced (or rolled back) successfully. */
  readonly done: number;
  readonly failed: number;
  /** Everything the activity touches. */
  readonly total: number;
}

/** An instance that failed, with the cloud's message. */
export interface FailedInstanceView {
  readonly instanceId: string;
  readonly message: string;
  /** The batch (or checkpoint) it belongs to. */
  readonly step: number;
}

/**
 * One activity as the core sees it.
 * @example
 * { id: "act-1", groupId: "group-1", phase: "gate", status: "PausedAtGate", type: "NORMAL",
 *   isRollback: false, step: 1, steps: 3, stepRunning: false, progress: { done: 2, failed: 0, total: 5 }, failedInstances: [] }
 */
export interface ActivityView {
  readonly id: string;
  readonly groupId: string;
  readonly phase: Phase;
  /** The cloud's own status, for messages and outputs. */
  readonly status: string;
  /** The cloud's own activity type, for messages (`NORMAL`, `ROLLBACK`). */
  readonly type: string;
  /** True for an activity that rolls another one back. */
  readonly isRollback: boolean;
  /** The activity a rollback rolls back. */
  readonly originId?: string;
  /** The batch (or checkpoint) running, or the last one that ran; 0 before the first. */
  readonly step: number;
  /** Batches (or checkpoints) in all. */
  readonly steps: number;
  /** True while a batch still works: a cancel is refused until it ends. */
  readonly stepRunning: boolean;
  readonly progress: Progress;
  readonly failedInstances: readonly FailedInstanceView[];
  readonly createdTime?: string;
  readonly endTime?: string;
}

/** The desired pause state of an activity: the inputs the decisions read. */
export interface Desired {
  /** Keep the activity paused (pause it when it runs). */
  readonly paused: boolean;
  /** Gates after steps 1..approvedSteps may be passed. */
  readonly approvedSteps: number;
  /** True when a measured health gate decides at every gate (`gate.ts`): approvals alone then open none. */
  readonly gated?: boolean;
}

/** Words of a cloud that the decisions put in their reasons. */
export interface DecisionWords {
  /** What a step is called: `batch`, `checkpoint`. */
  readonly step: string;
  /** Its plural: `batches`. */
  readonly steps: string;
  /** The input that approves gates: `approvedBatches`. */
  readonly approvedSteps: string;
}

/** An operation that moves the activity toward the desired state. */
export type Step = { kind: "none" } | { kind: "pause" } | { kind: "resume"; reason: string };

/** True when the activity waits at a gate that the desired state opens. */
export function isApprovedGate(view: Pick<ActivityView, "phase" | "step">, desired: Desired): boolean {
  return view.phase === "gate" && !desired.paused && !desired.gated && desired.approvedSteps >= view.step;
}

/**
 * What an update (or `pulumi up` after a failure) does first: pause an active activity that should
 * be paused, resume a manual or failed pause that should run, pass an approved gate.
 * @example convergeStep({ phase: "failedPause", status: "PausedOnFailure", step: 1 }, { paused: false, approvedSteps: 0 }, words)
 * // { kind: "resume", reason: "PausedOnFailure and paused is false" }
 */
export function convergeStep(view: Pick<ActivityView, "phase" | "status" | "step">, desired: Desired, words: DecisionWords): Step {
  if (ACTIVE_PHASES.has(view.phase) && desired.paused) return { kind: "pause" };
  if ((view.phase === "manualPause" || view.phase === "failedPause") && !desired.paused) {
    return { kind: "resume", reason: `${view.status} and paused is false` };
  }
  if (isApprovedGate(view, desired)) {
    return { kind: "resume", reason: `${view.status} after ${words.step} ${view.step} and ${words.approvedSteps} is ${desired.approvedSteps}` };
  }
  return { kind: "none" };
}

/**
 * What a wait does when the activity changes: only the moves that cannot loop (pause when asked to,
 * pass an approved gate). A failed pause or an out-of-band manual pause ends the wait instead.
 */
export function waitStep(view: Pick<ActivityView, "phase" | "step">, desired: Desired, words: DecisionWords): Step {
  if (ACTIVE_PHASES.has(view.phase) && desired.paused) return { kind: "pause" };
  if (isApprovedGate(view, desired)) {
    return { kind: "resume", reason: `${words.step} ${view.step} approved (${words.approvedSteps}: ${desired.approvedSteps})` };
  }
  return { kind: "none" };
}

/**
 * True when the health gate decides whether the activity goes on: it has a gate, is not to stay
 * paused, and waits at a gate — or, when an update starts (`atStart`), in a manual pause: a failed
 * gate on a cloud whose gates end by themselves leaves it suspended, and `paused: false` alone must
 * not resume it. A manual pause that happens during a wait (the console) ends the wait as usual.
 * @example soaksGate({ gate, paused: false }, "manualPause", true) // true
 */
export function soaksGate(desired: { readonly gate?: object; readonly paused: boolean }, phase: Phase, atStart: boolean): boolean {
  return desired.gate !== undefined && !desired.paused && (phase === "gate" || (atStart && phase === "manualPause"));
}

/** True when a wait for "settled" can stop: ended, or paused and not about to be resumed. */
export function isSettled(view: Pick<ActivityView, "phase" | "step">, desired: Desired): boolean {
  if (TERMINAL_PHASES.has(view.phase)) return true;
  if (!PAUSED_PHASES.has(view.phase)) return false;
  return !isApprovedGate(view, desired);
}

/** True when a wait for `until` can return with the activity. */
export function waitIsOver(until: "started" | "settled", view: Pick<ActivityView, "phase" | "step">, desired: Desired): boolean {
  return until === "started" ? view.phase !== "starting" : isSettled(view, desired);
}

/**
 * One line of progress.
 * @example progressLine(view, "batch") // "group-1 act-1: batch 2/3 Running — 4/10 instances done, 0 failed"
 */
export function progressLine(view: ActivityView, stepWord: string): string {
  return (
    `${view.groupId} ${view.id}: ${stepWord} ${view.step}/${view.steps} ` +
    `${view.status} — ${view.progress.done}/${view.progress.total} instances done, ${view.progress.failed} failed`
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
