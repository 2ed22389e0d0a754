/**
 * The request log: a bounded ring buffer of recent requests of every cloud, plus per-action counters
 * that only a reset clears (so benchmarks count calls exactly even after the ring wraps). Each entry
 * names its cloud; counters are keyed as the cloud keys its actions (`cloudServices.ts`: Tencent
 * Cloud's by the bare action name, other clouds' as `cloud:Action`).
 */

/** Default number of entries kept. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;
/** Result code logged for successful requests. */
export const OK = "OK";
/** Result code logged for requests whose connection was dropped by a fault. */
export const DROPPED = "DROPPED";
/** Counter key of requests without an action. */
export const NO_ACTION_KEY = "(none)";

/** One logged request. */
export interface RequestLogEntry {
  /** 1, 2, 3… in arrival order; never reused until reset. */
  seq: number;
  /** Wall-clock ISO time the request arrived. */
  time: string;
  /** The cloud that served it, as its `CloudApi` is named: `tencentcloud` or `alibabacloud`. */
  cloud: string;
  /** The action name (Tencent Cloud: the `X-TC-Action` header; Alibaba Cloud: `x-acs-action`); empty when missing. */
  action: string;
  /**
   * Selected parameters, each cloud naming the ones it logs: Tencent Cloud the scalars of its JSON
   * body; Alibaba Cloud the flattened parameters as sent (`"Checkpoints.1.Percentage": "50"`).
   */
  params: Record<string, unknown>;
  /** `"OK"`, `"DROPPED"` or the error code. */
  code: string;
  /** Time to respond, ms. */
  latencyMs: number;
  /** The `RequestId` of the response envelope. */
  requestId: string;
}

/** Per-action counters. */
export interface ActionCounter {
  /** Requests of this action since the last reset. */
  total: number;
  /** The same requests by result code (`"OK"`, `"DROPPED"` or the error code). */
  byCode: Record<string, number>;
}

/** Which entries {@link RequestLog.entries} returns; every field optional. */
export interface RequestLogFilter {
  /** Only this action. */
  action?: string;
  /** Only this cloud's requests (`tencentcloud`, `alibabacloud`); all clouds when omitted. */
  cloud?: string;
  /** Only entries after this seq. */
  sinceSeq?: number;
  /** Only the last `limit` entries (after the other filters). */
  limit?: number;
}

/** Picks the scalar parameters named `names` from a parsed body. */
export function selectParams(body: Record<string, unknown> | null, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!body) return out;
  for (const k of names) {
    const v = body[k];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

/**
 * Picks from flattened parameters (`[name, value]` pairs, as RPC-style APIs send them) those named
 * `names` or nested below one of them, values as sent.
 * @example selectFlattenedParams([["Checkpoints.1.Percentage", "50"], ["Other", "x"]], ["Checkpoints"]) // { "Checkpoints.1.Percentage": "50" }
 */
export function selectFlattenedParams(pairs: Iterable<readonly [string, string]>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) {
    const dot = k.indexOf(".");
    if (names.includes(dot >= 0 ? k.slice(0, dot) : k)) out[k] = v;
  }
  return out;
}

/** Ring buffer of {@link RequestLogEntry} with counters. */
export class RequestLog {
  private readonly ring: (RequestLogEntry | undefined)[];
  private start = 0;
  private size = 0;
  private seq = 0;
  private counters = new Map<string, ActionCounter>();

  /** @param limit entries kept @default 10000 */
  constructor(readonly limit: number = DEFAULT_REQUEST_LOG_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`requestLogLimit must be an integer >= 1, got ${limit}`);
    this.ring = new Array(limit);
  }

  /**
   * Appends an entry (assigning `seq`) and counts it under `counterKey`.
   * @param counterKey @default the action, or {@link NO_ACTION_KEY} without one
   */
  add(entry: Omit<RequestLogEntry, "seq">, counterKey: string = entry.action || NO_ACTION_KEY): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.seq, ...entry };
    const at = (this.start + this.size) % this.limit;
    this.ring[at] = full;
    if (this.size < this.limit) this.size++;
    else this.start = (this.start + 1) % this.limit;
    let c = this.counters.get(counterKey);
    if (!c) this.counters.set(counterKey, (c = { total: 0, byCode: {} }));
    c.total++;
    c.byCode[entry.code] = (c.byCode[entry.code] ?? 0) + 1;
    return full;
  }

  /** Entries oldest first, optionally only one action / one cloud / after a seq / the last `limit`. */
  entries(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    for (let n = 0; n < this.size; n++) {
      const e = this.ring[(this.start + n) % this.limit]!;
      if (filter.action && e.action !== filter.action) continue;
      if (filter.cloud && e.cloud !== filter.cloud) continue;
      if (filter.sinceSeq !== undefined && e.seq <= filter.sinceSeq) continue;
      out.push(e);
    }
    return filter.limit !== undefined && out.length > filter.limit ? out.slice(out.length - filter.limit) : out;
  }

  /** Counters by key — Tencent Cloud's actions by name, other clouds' as `cloud:Action` (deep copy). */
  counts(): Record<string, ActionCounter> {
    const out: Record<string, ActionCounter> = {};
    for (const [k, v] of this.counters) out[k] = { total: v.total, byCode: { ...v.byCode } };
    return out;
  }

  /** Clears entries, sequence and counters. */
  reset(): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.seq = 0;
    this.counters = new Map();
  }
}
