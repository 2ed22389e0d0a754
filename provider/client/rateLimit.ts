/**
 * Client-side rate limit: at most N calls of one action in any sliding one-second window, per
 * process, so the provider stays under the API's 20 requests/s per action even when many
 * resources work at once.
 */

/** The API's documented limit for each refresh action, requests per second. */
export const API_LIMIT_PER_SECOND = 20;
/** Default client-side limit, below {@link API_LIMIT_PER_SECOND} to leave headroom. @default 18 */
export const DEFAULT_LIMIT_PER_SECOND = 18;
/** Length of the sliding window, ms. */
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
 * Per-action sliding-window limiter.
 * @example
 * const limiter = new RateLimiter({ limitPerSecond: 18 });
 * await limiter.acquire("DescribeRefreshActivities"); // resolves when a slot is free
 */
export class RateLimiter {
  private readonly limit: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Start times of the calls in the current window, per action. */
  private readonly windows = new Map<string, number[]>();
  /** Serializes acquisitions per action so waiting callers are served in order. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: RateLimiterOptions = {}) {
    this.limit = options.limitPerSecond ?? DEFAULT_LIMIT_PER_SECOND;
    if (!Number.isInteger(this.limit) || this.limit < 1) {
      throw new RangeError(`limitPerSecond must be an integer >= 1; got ${options.limitPerSecond}`);
    }
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits until `action` may be called again, and records the call. */
  acquire(action: string): Promise<void> {
    const previous = this.queues.get(action) ?? Promise.resolve();
    const next = previous.then(() => this.take(action));
    this.queues.set(action, next.catch(() => undefined));
    return next;
  }

  private async take(action: string): Promise<void> {
    let window = this.windows.get(action);
    if (!window) this.windows.set(action, (window = []));
    for (;;) {
      const now = this.now();
      while (window.length > 0 && window[0] <= now - WINDOW_MS) window.shift();
      if (window.length < this.limit) {
        window.push(now);
        return;
      }
      await this.sleep(window[0] + WINDOW_MS - now + 1);
    }
  }
}
