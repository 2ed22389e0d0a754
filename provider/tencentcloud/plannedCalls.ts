/**
 * What `pulumi up` will send to an existing refresh, decided with the provider's own rules
 * (`convergeStep`, `waitStep` and `isSettled` of `activity.ts`) from the status recorded in state.
 * For tools that forecast an update, such as the rollout plan; the provider itself decides on the
 * live status, which it reads first, so a forecast is only as fresh as the state it starts from.
 * Pure functions, no I/O.
 */
import { convergeStep, isSettled, waitStep, type Desired, type Step } from "./activity";
import type { ResumeMode, WaitUntil } from "./settings";

/** What the state recorded about the activity at the last `up` or `refresh` (the resource's outputs). */
export interface RecordedActivity {
  /** `status` output, e.g. `FAILED_PAUSE`. */
  readonly status?: string;
  /** `currentBatch` output. */
  readonly currentBatch?: number;
  /** `batchCount` output. */
  readonly batchCount?: number;
}

/** The inputs an update acts on: the pause fields and how long to wait. */
export interface UpdateIntent extends Desired {
  readonly wait: { readonly until: WaitUntil };
}

/** An API call `up` sends to the activity. */
export type PlannedCall =
  | { readonly action: "StopInstanceRefresh" }
  | { readonly action: "ResumeInstanceRefresh"; readonly resumeMode: ResumeMode };

/** What `up` does to an existing refresh. */
export interface UpdateForecast {
  /** The step `convergeStep` takes on the recorded status. */
  readonly step: Step;
  /** The API call that step sends; none for `{ kind: "none" }`. */
  readonly call?: PlannedCall;
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
};

function callOf(step: Step, intent: UpdateIntent): PlannedCall | undefined {
  switch (step.kind) {
    case "stop":
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
  const step = convergeStep(recorded.status, recorded.currentBatch, intent);
  const call = callOf(step, intent);
  const statusAfter = call ? STATUS_AFTER[call.action] : recorded.status;
  const waits = intent.wait.until === "settled" && statusAfter !== undefined && !isSettled(statusAfter, recorded.currentBatch, intent);
  let passesGatesUpTo: number | undefined;
  if (waits) {
    for (let batch = 1; batch < (recorded.batchCount ?? 0); batch++) {
      if (waitStep("AUTO_PAUSE", batch, intent).kind === "resume") passesGatesUpTo = batch;
    }
  }
  // An update that sends nothing and awaits nothing only records the status: it never fails.
  return { step, call, statusAfter, waits, passesGatesUpTo };
}
