/**
 * The pace of a model's timed transitions — moto's `set_transition`, for tests that set the pace
 * instead of waiting — and the default pace of the clock. Cloud-neutral: a cloud's model applies it
 * to its own transitions; the admin API (`/_emulator/pace`) reads and sets it.
 */
import { AdminError } from "./errors";

/** Default pace: seconds one batch takes. */
export const DEFAULT_SECONDS_PER_BATCH = 2;

/**
 * How an activity's timed transitions (INIT ends, a surge phase ends, a batch ends) happen — moto's
 * `set_transition`, for tests that set the pace instead of waiting:
 * - `clock` (default): when the model's clock reaches them (`secondsPerBatch` apart).
 * - `manual`: only when told, through the admin API's `step` / `finish-batch` (`Backend.stepActivity`
 *   / `Backend.finishBatch`).
 * - `immediate`: at once: an activity runs to its next stop (a pause, a failure, the end) as soon
 *   as it starts or resumes.
 * - `afterDescribes`: one transition after every `describes` DescribeRefreshActivities answers that
 *   returned the activity while it had one pending; the Nth answer shows the state before it.
 */
export type Pace =
  | { readonly mode: "clock" }
  | { readonly mode: "manual" }
  | { readonly mode: "immediate" }
  | { readonly mode: "afterDescribes"; readonly describes: number };

/** Names of the pace modes. */
export const PACE_MODES: readonly Pace["mode"][] = ["clock", "manual", "immediate", "afterDescribes"];
/** The pace an emulator starts with and returns to on reset. */
export const DEFAULT_PACE: Pace = { mode: "clock" };
/** Largest `describes` of the `afterDescribes` pace. */
export const MAX_PACE_DESCRIBES = 1_000_000;

/** Checks a pace as sent to the admin API; throws a 400 {@link AdminError} naming the problem. */
export function parsePace(body: Record<string, unknown>): Pace {
  const mode = body.mode;
  if (typeof mode !== "string" || !(PACE_MODES as readonly string[]).includes(mode)) {
    throw new AdminError(400, "BadRequest", `mode must be one of ${PACE_MODES.join(", ")}`);
  }
  if (mode === "afterDescribes") {
    const n = body.describes;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_PACE_DESCRIBES) {
      throw new AdminError(400, "BadRequest", `describes must be an integer between 1 and ${MAX_PACE_DESCRIBES} with mode afterDescribes`);
    }
    return { mode, describes: n };
  }
  if (body.describes !== undefined) throw new AdminError(400, "BadRequest", `describes only goes with mode afterDescribes`);
  return { mode } as Pace;
}

