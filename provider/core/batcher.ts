/**
 * Coalesces single-key reads that arrive close together into one API call: when a `pulumi up`
 * creates many InstanceRefresh resources, the engine calls the provider for each within a few
 * milliseconds, and their lookups (an activity by id, a group by id, a group's refreshes in flight)
 * share calls instead of each spending a request of the API's 20-per-second budget.
 */

/** How long a key waits for others before its batch is sent, ms. */
export const BATCH_WINDOW_MS = 20;

/** Loads many keys with one call; keys missing from the map are reported as `undefined`. */
export type LoadMany<K, V> = (keys: K[]) => Promise<Map<K, V>>;

interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

/**
 * A DataLoader-style batcher: `load(key)` resolves with the key's value from the next batch.
 * @example
 * const groups = new Batcher(async (ids) => lookUpGroups(ids), { maxBatch: 100 });
 * const [a, b] = await Promise.all([groups.load("asg-1"), groups.load("asg-2")]); // one call
 */
export class Batcher<K, V> {
  private queue = new Map<K, Waiter<V>[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A batch is waiting for `whenReady`; keys that arrive meanwhile join it. */
  private flushing = false;

  constructor(
    private readonly loadMany: LoadMany<K, V>,
    private readonly options: {
      readonly maxBatch: number;
      readonly windowMs?: number;
      /** Awaited before a batch is taken, e.g. until the API action has a free slot: keys keep joining meanwhile. */
      readonly whenReady?: () => Promise<void>;
    },
  ) {
    if (!(options.maxBatch >= 1)) throw new RangeError(`maxBatch must be >= 1; got ${options.maxBatch}`);
  }

  /** The key's value (undefined when the API does not know it), from a batch of up to `maxBatch` keys. */
  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.queue.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.queue.set(key, [{ resolve, reject }]);
      if (this.queue.size >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs ?? BATCH_WINDOW_MS);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing) return;
    this.flushing = true;
    void (this.options.whenReady?.() ?? Promise.resolve()).finally(() => {
      this.flushing = false;
      this.send();
    });
  }

  private send(): void {
    const batch = new Map([...this.queue].slice(0, this.options.maxBatch));
    for (const key of batch.keys()) this.queue.delete(key);
    if (this.queue.size > 0) this.flush();
    if (batch.size === 0) return;
    this.loadMany([...batch.keys()]).then(
      (found) => {
        for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
      },
      (error: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      },
    );
  }
}
