/**
 * The pace of a model's timed transitions — moto's `set_transition`, for tests that set the pace
 * instead of waiting — and the default pace of the clock. Cloud-neutral: each cloud's model applies
 * it to its own transitions (with {@link DescribeCounts} for `afterDescribes`); the admin API reads
 * and sets it (`/_emulator/pace` for Tencent Cloud, `/_emulator/ess/pace` for Alibaba Cloud ESS).
 */
import { AdminError } from "./errors";

/** Default pace: seconds one batch takes. */
export const DEFAULT_SECONDS_PER_BATCH = 2;

/**
 * How a refresh's timed transitions happen — Tencent Cloud: an activity's INIT ends, a surge phase
 * ends, a batch ends; Alibaba Cloud ESS: a task's Pending ends, a wave ends, a checkpoint pause
 * ends, Cancelling settles — moto's `set_transition`, for tests that set the pace instead of waiting.
 * Each cloud's model has its own pace (admin API: `/_emulator/pace`, `/_emulator/ess/pace`):
 * - `clock` (default): when the model's clock reaches them (`secondsPerBatch` / the wave duration apart).
 * - `manual`: only when told, through the admin API's `step` / `finish-batch` (`finish-wave` for ESS).
 * - `immediate`: at once: a refresh runs to its next stop (a pause, a failure, the end) as soon
 *   as it starts or resumes.
 * - `afterDescribes`: one transition after every `describes` describe answers (DescribeRefreshActivities,
 *   DescribeInstanceRefreshes) that returned the refresh while it had one pending; the Nth answer
 *   shows the state before it.
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


/**
 * The bookkeeping of the `afterDescribes` pace, the same for every cloud's model: how many describe
 * answers returned each record (an activity, a task) since it last moved, and which records are
 * due to take one transition before the next request is served.
 */
export class DescribeCounts {
  private readonly seen = new Map<string, number>();
  private readonly due = new Set<string>();

  /**
   * A describe answer returned the record `id` while it had a timed transition pending: counts it,
   * and at every `describes`-th count marks it due (the count starts again).
   */
  count(id: string, describes: number): void {
    const seen = (this.seen.get(id) ?? 0) + 1;
    if (seen >= describes) {
      this.seen.delete(id);
      this.due.add(id);
    } else {
      this.seen.set(id, seen);
    }
  }

  /** The records marked due, in the order they were marked; clears the marks. */
  takeDue(): string[] {
    const ids = [...this.due];
    this.due.clear();
    return ids;
  }

  /** The record moved by a forced transition: its count starts again. */
  forget(id: string): void {
    this.seen.delete(id);
  }

  /** Forgets every count and mark (a new pace, a new state). */
  clear(): void {
    this.seen.clear();
    this.due.clear();
  }
}
