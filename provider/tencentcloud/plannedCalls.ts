/**
 * What `pulumi up` will send to an existing refresh, decided with the provider's own rules
 * (`forecastConverge` of `core/forecast.ts` over `core/model.ts`'s decisions, `refusalOf` of `core/rollback.ts`)
 * from the status recorded in state.
 * For tools that forecast an update, such as the rollout plan; the provider itself decides on the
 * live status, which it reads first, so a forecast is only as fresh as the state it starts from.
 * Pure functions, no I/O.
 */
import { forecastConverge } from "../core/forecast";
import { ACTIVE_PHASES, PAUSED_PHASES, type Desired, type Step } from "../core/model";
import { refusalOf } from "../core/rollback";
import { phaseOf } from "./activity";
import type { ResumeMode, WaitUntil } from "./settings";
import { TENCENT_WORDS } from "./words";

/** What the state recorded about the activity at the last `up` or `refresh` (the resource's outputs). */
export interface RecordedActivity {
  /** `status` output, e.g. `FAILED_PAUSE`. */
  readonly status?: string;
  /** `currentBatch` output. */
  readonly currentBatch?: number;
  /** `batchCount` output. */
  readonly batchCount?: number;
  /** `activityType` output (`NORMAL`, `ROLLBACK`). */
  readonly activityType?: string;
  /** `instanceCounts` output: what a rollback would return. */
  readonly instanceCounts?: { readonly successful?: number; readonly failed?: number; readonly total?: number };
  /** `rollbackActivityId` output, when a rollback exists. */
  readonly rollbackActivityId?: string;
  /** `rollbackStatus` output. */
  readonly rollbackStatus?: string;
}

const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const numberOf = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const objectOf = (value: unknown): Readonly<Record<string, unknown>> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * What a resource's outputs (its state) record about the activity, as {@link forecastUpdate} reads
 * it; a field that is missing or of another type is undefined.
 * @example recordedActivityOf({ status: "SUCCESSFUL", instanceCounts: { successful: 4, failed: 0 } }).instanceCounts?.successful // 4
 */
export function recordedActivityOf(outputs: Readonly<Record<string, unknown>>): RecordedActivity {
  const counts = objectOf(outputs.instanceCounts);
  return {
    status: textOf(outputs.status),
    currentBatch: numberOf(outputs.currentBatch),
    batchCount: numberOf(outputs.batchCount),
    activityType: textOf(outputs.activityType),
    instanceCounts: counts && { successful: numberOf(counts.successful), failed: numberOf(counts.failed), total: numberOf(counts.total) },
    rollbackActivityId: textOf(outputs.rollbackActivityId),
    rollbackStatus: textOf(outputs.rollbackStatus),
  };
}

/** The inputs an update acts on: the pause fields, how long to wait, and whether to roll back. */
export interface UpdateIntent {
  readonly paused: boolean;
  readonly approvedBatches: number;
  readonly resumeMode: ResumeMode;
  readonly wait: { readonly until: WaitUntil };
  /** `rollback` input. */
  readonly rollback?: boolean;
}

/** An API call `up` sends to the activity. */
export type PlannedCall =
  | { readonly action: "StopInstanceRefresh" }
  | { readonly action: "ResumeInstanceRefresh"; readonly resumeMode: ResumeMode }
  | { readonly action: "RollbackInstanceRefresh"; readonly instances: number };

/** What `up` does to an existing refresh. */
export interface UpdateForecast {
  /** The step `convergeStep` takes on the recorded status (`none` for a rollback). */
  readonly step: Step;
  /** Why a rollback asked for is refused (nothing is sent and `up` fails), when it is. */
  readonly refused?: string;
  /** The API call that step sends; none for `{ kind: "none" }`. */
  readonly call?: PlannedCall;
  /** True when `up` first pauses the running refresh (StopInstanceRefresh) and then sends the rollback in `call`. */
  readonly pausesFirst?: boolean;
  /**
   * The status the activity is in once the call took effect (the API's rule: Stop → MANUAL_PAUSE,
   * Resume → RUNNING), or the recorded one when nothing is sent.
   */
  readonly statusAfter?: string;
  /** True when `up` then waits for the activity to settle (`wait.until: "settled"` and not settled yet, per `isSettled`). */
  readonly waits: boolean;
  /**
   * While it waits, `up` resumes each AUTO_PAUSE after a batch up to this one (`waitStep`'s approved
   * gates); undefined when it passes none.
   */
  readonly passesGatesUpTo?: number;
}

/** The status an accepted call leaves the activity in (the API's documented rules). */
const STATUS_AFTER: Readonly<Record<PlannedCall["action"], string>> = {
  StopInstanceRefresh: "MANUAL_PAUSE",
  ResumeInstanceRefresh: "RUNNING",
  RollbackInstanceRefresh: "INIT",
};

function callOf(step: Step, intent: UpdateIntent): PlannedCall | undefined {
  switch (step.kind) {
    case "pause":
      return { action: "StopInstanceRefresh" };
    case "resume":
      return { action: "ResumeInstanceRefresh", resumeMode: intent.resumeMode };
    case "none":
      return undefined;
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Forecasts an update (or the `up` after a failure) of an existing refresh from its recorded status.
 * @example
 * forecastUpdate({ status: "FAILED_PAUSE", currentBatch: 1, batchCount: 2 }, { paused: false, approvedBatches: 0, resumeMode: "RETRY", wait: { until: "settled" } })
 * // { step: { kind: "resume", … }, call: { action: "ResumeInstanceRefresh", resumeMode: "RETRY" }, statusAfter: "RUNNING", waits: true }
 */
export function forecastUpdate(recorded: RecordedActivity, intent: UpdateIntent): UpdateForecast {
  if (intent.rollback) return forecastRollback(recorded, intent);
  const desired: Desired = { paused: intent.paused, approvedSteps: intent.approvedBatches };
  const view = recordedView(recorded.status, recorded.currentBatch, recorded.activityType);
  if (!view) return { step: { kind: "none" }, statusAfter: recorded.status, waits: false };
  // The gates are the AUTO_PAUSEs after batches 1 to batchCount - 1.
  const { step, waits, passesGatesUpTo } = forecastConverge(view, desired, intent.wait.until, Math.max(0, (recorded.batchCount ?? 0) - 1), TENCENT_WORDS);
  const call = callOf(step, intent);
  const statusAfter = call ? STATUS_AFTER[call.action] : recorded.status;
  // An update that sends nothing and awaits nothing only records the status: it never fails.
  return { step, call, statusAfter, waits, passesGatesUpTo };
}

/** The core's view of a recorded status, enough for its decisions; undefined when none is recorded. */
function recordedView(status: string | undefined, step: number | undefined, type: string | undefined) {
  return status === undefined ? undefined : { phase: phaseOf(status, type), status, step: step ?? 0 };
}

/** `rollback: true`: RollbackInstanceRefresh once, unless a rollback exists or the recorded state refuses it. */
function forecastRollback(recorded: RecordedActivity, intent: UpdateIntent): UpdateForecast {
  const none = { kind: "none" } as const;
  if (recorded.rollbackActivityId) {
    const phase = phaseOf(recorded.rollbackStatus, "ROLLBACK");
    const waits = intent.wait.until === "settled" && (ACTIVE_PHASES.has(phase) || (PAUSED_PHASES.has(phase) && !intent.paused));
    return { step: none, statusAfter: recorded.status, waits };
  }
  const phase = phaseOf(recorded.status, recorded.activityType);
  const done = recorded.instanceCounts?.successful ?? 0;
  const failed = recorded.instanceCounts?.failed ?? 0;
  const refused = refusalOf({
    phase,
    status: recorded.status ?? "INIT",
    isRollback: recorded.activityType === "ROLLBACK",
    type: recorded.activityType ?? "NORMAL",
    done,
    failed,
    stepRunning: ACTIVE_PHASES.has(phase),
  });
  if (refused) return { step: none, statusAfter: recorded.status, waits: false, refused };
  const call: PlannedCall = { action: "RollbackInstanceRefresh", instances: done + failed };
  return { step: none, call, pausesFirst: ACTIVE_PHASES.has(phase), statusAfter: STATUS_AFTER[call.action], waits: intent.wait.until === "settled" };
}
