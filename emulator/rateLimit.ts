/**
 * The per-action request limit every cloud's API applies (Tencent Cloud documents at most 20
 * requests per second for each action; Alibaba Cloud ESS publishes none, the emulator applies the
 * same). A sliding one-second window per key (a ring of the last N accepted request times), so the
 * count is exact and O(1). Each cloud keys its actions its own way (`cloudServices.ts`), so two
 * clouds' actions of the same name have separate windows.
 */

/** Requests per second allowed for each action. */
export const DEFAULT_REQUESTS_PER_SECOND = 20;
/** Window length of the limit. */
export const RATE_LIMIT_WINDOW_MS = 1000;

/** Per-key sliding-window limiter. */
export class RateLimiter {
  private readonly windows = new Map<string, { times: number[]; next: number }>();
  /** Whether limiting is on (`false` accepts everything). */
  enabled: boolean;

  /**
   * @param enabled whether limiting starts on @default true
   * @param limit requests allowed per window per key @default 20
   * @param now time source in ms (wall clock) @default performance-independent Date.now
   */
  constructor(
    enabled = true,
    readonly limit = DEFAULT_REQUESTS_PER_SECOND,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer >= 1, got ${limit}`);
    this.enabled = enabled;
  }

  /** Records a request for `key` and returns true when it is within the limit. */
  tryAcquire(key: string): boolean {
    if (!this.enabled) return true;
    const t = this.now();
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { times: new Array<number>(this.limit).fill(-Infinity), next: 0 }));
    // w.times[w.next] is the oldest of the last `limit` accepted requests.
    if (t - w.times[w.next]! < RATE_LIMIT_WINDOW_MS) return false;
    w.times[w.next] = t;
    w.next = (w.next + 1) % this.limit;
    return true;
  }

  /** Forgets all history. */
  reset(): void {
    this.windows.clear();
  }
}
