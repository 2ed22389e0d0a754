/**
 * Throttling: at most N requests per second for each key (the emulator keys by action), a sliding
 * one-second window on the wall clock. A ring of the last N accepted times keeps it exact and O(1).
 */
import { DEFAULT_REQUESTS_PER_SECOND } from "./inferred";

/** Window length of the limit. */
export const RATE_LIMIT_WINDOW_MS = 1000;

/** Per-key sliding-window limiter. */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, { times: number[]; next: number }>();

  /**
   * @param limit requests allowed per window per key @default DEFAULT_REQUESTS_PER_SECOND
   * @param now wall clock in ms @default Date.now
   */
  constructor(
    readonly limit: number = DEFAULT_REQUESTS_PER_SECOND,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer >= 1, got ${limit}`);
  }

  /** Records a request for `key`; false (and nothing recorded) when the key is over its limit. */
  tryAcquire(key: string): boolean {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { times: new Array<number>(this.limit).fill(Number.NEGATIVE_INFINITY), next: 0 }));
    // w.times[w.next] is the oldest of the last `limit` accepted requests.
    if (t - w.times[w.next]! < RATE_LIMIT_WINDOW_MS) return false;
    w.times[w.next] = t;
    w.next = (w.next + 1) % this.limit;
    return true;
  }
}
