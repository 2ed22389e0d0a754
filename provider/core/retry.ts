/**
 * Retries with capped exponential backoff, full jitter and a shared retry quota, after
 * smithy-typescript's standard retry strategy. Only idempotent reads go through {@link RetryStrategy.run};
 * mutating calls are re-sent by the provider only after it checked the activity's state.
 *
 * Cloud-neutral: which errors are retryable, and how, is told by the `classify` function each
 * cloud's client passes in.
 */

/** Attempts per call, the first included. @default 5 */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Backoff base after a transient error, ms. @default 100 */
export const DEFAULT_BASE_DELAY_MS = 100;
/** Backoff base after throttling, ms: throttling needs a longer pause. @default 500 */
export const THROTTLING_BASE_DELAY_MS = 500;
/** Largest backoff, ms. @default 20000 */
export const MAX_DELAY_MS = 20_000;
/** Tokens in the shared retry quota. @default 500 */
export const INITIAL_RETRY_TOKENS = 500;
/** Tokens a retry after a transient error costs. @default 5 */
export const RETRY_COST = 5;
/** Tokens a retry after throttling or a timeout costs. @default 10 */
export const TIMEOUT_RETRY_COST = 10;
/**
 * Tokens a call that succeeded at its first attempt returns to the quota. A call that succeeded
 * after retries returns what its last retry cost instead, as smithy's standard strategy does, so a
 * quota drained by an outage refills as soon as calls succeed again. @default 1
 */
export const NO_RETRY_INCREMENT = 1;

/** Sleeps `ms` milliseconds. Injectable so tests run instantly. */
export type Sleep = (ms: number) => Promise<void>;
/** Returns a number in [0, 1). Injectable so tests are deterministic. */
export type Random = () => number;

/** How an error is retried: `throttling` and `transient` are, `client` (or any other failure) is not. */
export type RetryErrorKind = "throttling" | "transient" | "client";

/** What a {@link RetryClassify} function tells about a thrown value. */
export interface RetryClassification {
  readonly kind: RetryErrorKind;
  /** The request timed out: its retry costs {@link TIMEOUT_RETRY_COST}, as after throttling. */
  readonly timedOut?: boolean;
}

/**
 * Classifies what a call threw. It returns a kind other than `client` only for errors of the
 * client's own error type (`E` of {@link RetryStrategy}); anything else, a bug, is `client`.
 * @example const classify: RetryClassify = (e) => (e instanceof MyApiError ? { kind: e.kind, timedOut: e.timedOut } : { kind: "client" });
 */
export type RetryClassify = (error: unknown) => RetryClassification;

/** The real {@link Sleep}. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Options of {@link RetryStrategy}; every field but `classify` is optional. */
export interface RetryOptions<E = unknown> {
  /** Which errors are retried, and at what cost. */
  readonly classify: RetryClassify;
  /** @default DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** @default DEFAULT_BASE_DELAY_MS */
  readonly baseDelayMs?: number;
  /** @default THROTTLING_BASE_DELAY_MS */
  readonly throttlingBaseDelayMs?: number;
  /** @default MAX_DELAY_MS */
  readonly maxDelayMs?: number;
  /** Size of the retry quota shared by every call of this strategy. @default INITIAL_RETRY_TOKENS */
  readonly retryTokens?: number;
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** @default Math.random */
  readonly random?: Random;
  /** Called before each retry (for logs and tests). */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: E }) => void;
}

/**
 * Full-jitter backoff: `random() * min(base * 2^attempt, cap)`, `attempt` counting from 0.
 * @example backoffDelay(2, 100, 20000, () => 0.5) // 200
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: Random): number {
  return Math.floor(random() * Math.min(baseMs * 2 ** attempt, capMs));
}

/**
 * The shared retry quota: a token bucket that retries draw from and successes refill, so that a
 * failing service gets a few retries per call but never a retry storm.
 * @example const quota = new RetryQuota(500); quota.acquire(5) // true
 */
export class RetryQuota {
  private tokens: number;
  constructor(private readonly capacity: number = INITIAL_RETRY_TOKENS) {
    if (!(capacity >= 0)) throw new RangeError(`retry quota must be >= 0; got ${capacity}`);
    this.tokens = capacity;
  }
  /** Tokens left. */
  get available(): number {
    return this.tokens;
  }
  /** Takes `cost` tokens if there are enough; false (take nothing) otherwise. */
  acquire(cost: number): boolean {
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
  /** Returns `amount` tokens, never above the capacity. */
  release(amount: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + amount);
  }
}

/**
 * Runs idempotent calls, retrying throttling and transient errors.
 * @example
 * const retry = new RetryStrategy({ classify, sleep: async () => {}, random: () => 0.5 });
 * await retry.run(() => client.describe(...));
 */
export class RetryStrategy<E = unknown> {
  readonly quota: RetryQuota;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly throttlingBaseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: Sleep;
  private readonly random: Random;
  private readonly classify: RetryClassify;
  private readonly onRetry?: RetryOptions<E>["onRetry"];

  constructor(options: RetryOptions<E>) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be an integer >= 1; got ${options.maxAttempts}`);
    }
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.throttlingBaseDelayMs = options.throttlingBaseDelayMs ?? THROTTLING_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? MAX_DELAY_MS;
    this.quota = new RetryQuota(options.retryTokens ?? INITIAL_RETRY_TOKENS);
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.classify = options.classify;
    this.onRetry = options.onRetry;
  }

  /** Delay before retry number `attempt` (0-based) after an error of `kind`. */
  delayFor(kind: RetryErrorKind, attempt: number): number {
    const base = kind === "throttling" ? this.throttlingBaseDelayMs : this.baseDelayMs;
    return backoffDelay(attempt, base, this.maxDelayMs, this.random);
  }

  /** Runs `call` until it succeeds, fails with a non-retryable error, runs out of attempts or of quota. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    let lastCost = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await call();
        this.quota.release(lastCost || NO_RETRY_INCREMENT);
        return result;
      } catch (error) {
        const { kind, timedOut } = this.classify(error);
        if (kind === "client") throw error;
        if (attempt + 1 >= this.maxAttempts) throw error;
        const cost = kind === "throttling" || timedOut ? TIMEOUT_RETRY_COST : RETRY_COST;
        if (!this.quota.acquire(cost)) throw error;
        lastCost = cost;
        const delayMs = this.delayFor(kind, attempt);
        this.onRetry?.({ attempt: attempt + 1, delayMs, error: error as E });
        await this.sleep(delayMs);
      }
    }
  }
}
