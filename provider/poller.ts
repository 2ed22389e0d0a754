/**
 * One poller per configured provider: every wait in the process subscribes here, and each interval
 * the poller describes all watched activities in batches of up to 100 ids per
 * DescribeRefreshActivities call, notifying a subscriber only when its activity changed.
 */
import type { RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type { AutoScalingClient } from "./client/client";
import { realSleep, type Sleep } from "./client/retry";

/** Most ids DescribeRefreshActivities accepts in `RefreshActivityIds` (also its largest `Limit`). */
export const MAX_IDS_PER_DESCRIBE = 100;
/** Default poll interval, ms. @default 1000 */
export const DEFAULT_POLL_INTERVAL_MS = 1000;

/** What a subscriber hears: the activity, `undefined` when the API no longer knows it, or an error. */
export type PollEvent = { activity: RefreshActivity | undefined; error?: undefined } | { activity?: undefined; error: Error };
/** A subscriber's callback. */
export type PollListener = (event: PollEvent) => void;

/** Options of {@link RefreshPoller}. */
export interface PollerOptions {
  /** @default DEFAULT_POLL_INTERVAL_MS */
  readonly intervalMs?: number;
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Watch {
  readonly listeners: Set<PollListener>;
  /** Fingerprint of the last notified state; undefined before the first notification. */
  last?: string;
}

/**
 * Shared, batching poller.
 * @example
 * const poller = new RefreshPoller(client, { intervalMs: 1000 });
 * const stop = poller.subscribe("asr-12345678", ({ activity }) => console.log(activity?.Status));
 */
export class RefreshPoller {
  private readonly watches = new Map<string, Watch>();
  private running = false;
  /** Pause between rounds, ms. */
  readonly intervalMs: number;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private lastAnswerMs: number;

  constructor(
    private readonly client: Pick<AutoScalingClient, "describeRefreshActivities">,
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
  subscribe(activityId: string, listener: PollListener): () => void {
    let watch = this.watches.get(activityId);
    if (!watch) this.watches.set(activityId, (watch = { listeners: new Set() }));
    const fresh: PollListener = (event) => listener(event);
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
  private readonly pending = new Set<PollListener>();

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

  /** One round: describe every watched id, in chunks of {@link MAX_IDS_PER_DESCRIBE}. */
  async tick(): Promise<void> {
    const ids = [...this.watches.keys()];
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_DESCRIBE) {
      const chunk = ids.slice(i, i + MAX_IDS_PER_DESCRIBE);
      let found: Map<string, RefreshActivity>;
      try {
        const response = await this.client.describeRefreshActivities({ RefreshActivityIds: chunk, Limit: MAX_IDS_PER_DESCRIBE });
        found = new Map((response.RefreshActivitySet ?? []).map((a) => [a.RefreshActivityId ?? "", a]));
        this.lastAnswerMs = this.now();
      } catch (error) {
        for (const id of chunk) this.notify(id, { error: error instanceof Error ? error : new Error(String(error)) }, true);
        continue;
      }
      for (const id of chunk) this.notify(id, { activity: found.get(id) }, false);
    }
  }

  private notify(id: string, event: PollEvent, always: boolean): void {
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
