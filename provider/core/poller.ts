/**
 * The shared poller's machinery, cloud-neutral: every wait in the process subscribes to an id, and
 * each interval the poller describes all watched ids in chunks (one call of the cloud's `describe`
 * per chunk), notifying a subscriber only when its activity changed.
 */
import { realSleep, type Sleep } from "./retry";

/** Default poll interval, ms. @default 1000 */
export const DEFAULT_POLL_INTERVAL_MS = 1000;

/** What a subscriber hears: the activity, `undefined` when the API no longer knows it, or an error. */
export type PollEvent<A> = { activity: A | undefined; error?: undefined } | { activity?: undefined; error: Error };
/** A subscriber's callback. */
export type PollListener<A> = (event: PollEvent<A>) => void;
/**
 * Describes one chunk of ids in one API call: the activities found, by id (an id missing from
 * the map is one the API no longer knows). Throws when the call failed.
 */
export type DescribeChunk<A> = (ids: string[]) => Promise<Map<string, A>>;

/** Options of {@link SharedPoller}. */
export interface PollerOptions {
  /** @default DEFAULT_POLL_INTERVAL_MS */
  readonly intervalMs?: number;
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Watch<A> {
  readonly listeners: Set<PollListener<A>>;
  /** Fingerprint of the last notified state; undefined before the first notification. */
  last?: string;
}

/**
 * Shared, batching poller over a cloud's `describe` call.
 * @example
 * const poller = new SharedPoller(async (ids) => new Map((await api.describe(ids)).map((a) => [a.id, a])), 100, { intervalMs: 1000 });
 * const stop = poller.subscribe("act-12345678", ({ activity }) => console.log(activity?.status));
 */
export class SharedPoller<A> {
  private readonly watches = new Map<string, Watch<A>>();
  private running = false;
  /** Pause between rounds, ms. */
  readonly intervalMs: number;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private lastAnswerMs: number;

  /**
   * @param describe one API call for up to `maxIdsPerCall` ids.
   * @param maxIdsPerCall most ids one `describe` call takes.
   */
  constructor(
    private readonly describe: DescribeChunk<A>,
    private readonly maxIdsPerCall: number,
    options: PollerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (!(this.intervalMs >= 0)) throw new RangeError(`intervalMs must be >= 0; got ${options.intervalMs}`);
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.lastAnswerMs = this.now();
  }

  /**
   * When the API last answered a poll (epoch ms; the poller's creation time before the first
   * answer). A wait compares it with its own start to tell an outage from a quiet refresh.
   */
  get lastAnswerAt(): number {
    return this.lastAnswerMs;
  }

  /** Activity ids currently watched. */
  get watched(): string[] {
    return [...this.watches.keys()];
  }

  /**
   * Watches `activityId` until the returned function is called. The listener hears the first
   * state seen and then every change.
   */
  subscribe(activityId: string, listener: PollListener<A>): () => void {
    let watch = this.watches.get(activityId);
    if (!watch) this.watches.set(activityId, (watch = { listeners: new Set() }));
    const fresh: PollListener<A> = (event) => listener(event);
    watch.listeners.add(fresh);
    // A new listener hears the current state on the next round even if nothing changed.
    this.pending.add(fresh);
    this.start();
    return () => {
      const current = this.watches.get(activityId);
      if (!current) return;
      current.listeners.delete(fresh);
      this.pending.delete(fresh);
      if (current.listeners.size === 0) this.watches.delete(activityId);
    };
  }

  /** Listeners that have not heard anything yet. */
  private readonly pending = new Set<PollListener<A>>();

  private start(): void {
    if (this.running) return;
    this.running = true;
    // Deferred so that waits subscribing in the same turn share the first round.
    queueMicrotask(() => void this.loop());
  }

  private async loop(): Promise<void> {
    try {
      while (this.watches.size > 0) {
        await this.tick();
        if (this.watches.size === 0) break;
        await this.sleep(this.intervalMs);
      }
    } finally {
      this.running = false;
      // A subscription may have arrived between the last check and the flag reset.
      if (this.watches.size > 0) this.start();
    }
  }

  /** One round: describe every watched id, in chunks of `maxIdsPerCall`. */
  async tick(): Promise<void> {
    const ids = [...this.watches.keys()];
    for (let i = 0; i < ids.length; i += this.maxIdsPerCall) {
      const chunk = ids.slice(i, i + this.maxIdsPerCall);
      let found: Map<string, A>;
      try {
        found = await this.describe(chunk);
        this.lastAnswerMs = this.now();
      } catch (error) {
        for (const id of chunk) this.notify(id, { error: error instanceof Error ? error : new Error(String(error)) }, true);
        continue;
      }
      for (const id of chunk) this.notify(id, { activity: found.get(id) }, false);
    }
  }

  private notify(id: string, event: PollEvent<A>, always: boolean): void {
    const watch = this.watches.get(id);
    if (!watch) return;
    const fingerprint = event.error ? undefined : JSON.stringify(event.activity ?? null);
    const changed = always || fingerprint !== watch.last;
    // After an error, the next answer is news even if the activity did not change: it ends the outage.
    watch.last = fingerprint;
    for (const listener of [...watch.listeners]) {
      if (changed || this.pending.has(listener)) {
        this.pending.delete(listener);
        listener(event);
      }
    }
  }
}
