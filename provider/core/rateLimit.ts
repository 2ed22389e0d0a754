/**
 * Client-side rate limit: calls of one action are spaced evenly, one every 1000/N ms, per process,
 * so the provider stays under the API's 20 requests/s per action even when many resources work at
 * once. Even spacing (not N at once, then a pause) matters: the server counts arrivals, and a burst
 * sent inside one client-side window can land in one server-side window with the next burst.
 */

/** The API's documented limit for each refresh action, requests per second. */
export const API_LIMIT_PER_SECOND = 20;
/** Default client-side limit, below {@link API_LIMIT_PER_SECOND} to leave headroom. @default 18 */
export const DEFAULT_LIMIT_PER_SECOND = 18;
/** The period the limit is expressed over, ms. */
export const WINDOW_MS = 1000;

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Calls per action per window. @default DEFAULT_LIMIT_PER_SECOND */
  readonly limitPerSecond?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Per-action limiter with even spacing.
 * @example
 * const limiter = new RateLimiter({ limitPerSecond: 18 });
 * await limiter.acquire("DescribeRefreshActivities"); // resolves when a slot is free
 */
export class RateLimiter {
  /** Minimum time between two calls of one action, ms. */
  private readonly gapMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** When each action may next be called. */
  private readonly nextSlot = new Map<string, number>();

  constructor(options: RateLimiterOptions = {}) {
    const limit = options.limitPerSecond ?? DEFAULT_LIMIT_PER_SECOND;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`limitPerSecond must be an integer >= 1; got ${options.limitPerSecond}`);
    }
    this.gapMs = WINDOW_MS / limit;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Waits until the next free slot of `action` without booking it: lets a caller gather more work
   * while the action is busy (see `Batcher`), then book with {@link acquire}.
   */
  async idle(action: string): Promise<void> {
    const wait = (this.nextSlot.get(action) ?? 0) - this.now();
    if (wait > 0) await this.sleep(wait);
  }

  /** Waits until `action` may be called again, and books that slot. Callers are served in order. */
  async acquire(action: string): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(action) ?? now);
    this.nextSlot.set(action, slot + this.gapMs);
    if (slot > now) await this.sleep(slot - now);
  }
}
