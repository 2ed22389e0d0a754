/**
 * What an update (or the `up` after a failure) does to an existing activity, forecast from a
 * recorded status with the core's own decisions (`convergeStep`, `waitStep`, `isSettled` of
 * `model.ts`), for every cloud. For tools that forecast an update, such as the rollout plan; the
 * provider itself decides on the live status, which it reads first. Pure functions, no I/O.
 */
import { convergeStep, isSettled, waitStep, type ActivityView, type DecisionWords, type Desired, type Phase, type Step } from "./model";

/**
 * The phase an accepted step leaves the activity in: a pause → `manualPause`, a resume → `running`
 * (every cloud's documented rule: a paused activity waits for a resume, a resumed one runs).
 * @example PHASE_AFTER.pause // "manualPause"
 */
export const PHASE_AFTER: Readonly<Record<Exclude<Step["kind"], "none">, Phase>> = { pause: "manualPause", resume: "running" };

/** What `up` does to an activity that it does not roll back. */
export interface ConvergeForecast {
  /** The step `convergeStep` takes on the recorded status. */
  readonly step: Step;
  /** True when `up` then waits for the activity to settle (`wait.until: "settled"` and not settled after the step, per `isSettled`). */
  readonly waits: boolean;
  /** While it waits, `up` passes each gate up to this one (`waitStep`'s approved gates); undefined when it passes none. */
  readonly passesGatesUpTo?: number;
}

/**
 * Forecasts the converge step and the wait of an update from the recorded view.
 * @param gates how many gates (automatic pauses after a batch or at a checkpoint) the activity has
 * @example
 * forecastConverge({ phase: "gate", status: "PausedAtGate", step: 1 }, { paused: false, approvedSteps: 1 }, "settled", 1, words)
 * // { step: { kind: "resume", … }, waits: true, passesGatesUpTo: 1 }
 */
export function forecastConverge(
  view: Pick<ActivityView, "phase" | "status" | "step">,
  desired: Desired,
  until: "started" | "settled",
  gates: number,
  words: DecisionWords,
): ConvergeForecast {
  const step = convergeStep(view, desired, words);
  const after = step.kind === "none" ? view : { ...view, phase: PHASE_AFTER[step.kind] };
  const waits = until === "settled" && !isSettled(after, desired);
  let passesGatesUpTo: number | undefined;
  if (waits) {
    for (let gate = 1; gate <= gates; gate++) {
      if (waitStep({ phase: "gate", step: gate }, desired, words).kind === "resume") passesGatesUpTo = gate;
    }
  }
  return { step, waits, passesGatesUpTo };
}
