/**
 * The request log: a bounded ring buffer of recent requests, plus per-action counters that only a
 * reset clears (so benchmarks count calls exactly even after the ring wraps).
 */

/** Default number of entries kept. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;
/** Result code logged for successful requests. */
export const OK = "OK";
/** Result code logged for requests whose connection was dropped by a fault. */
export const DROPPED = "DROPPED";

/** One logged request. */
export interface RequestLogEntry {
  /** 1, 2, 3… in arrival order; never reused until reset. */
  seq: number;
  /** Wall-clock ISO time the request arrived. */
  time: string;
  /** The action name (Tencent Cloud: the `X-TC-Action` header); empty when missing. */
  action: string;
  /** Selected scalar parameters (each cloud names the ones it logs). */
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

  /** Appends an entry (assigning `seq`) and counts it. */
  add(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.seq, ...entry };
    const at = (this.start + this.size) % this.limit;
    this.ring[at] = full;
    if (this.size < this.limit) this.size++;
    else this.start = (this.start + 1) % this.limit;
    const key = entry.action || "(none)";
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = { total: 0, byCode: {} }));
    c.total++;
    c.byCode[entry.code] = (c.byCode[entry.code] ?? 0) + 1;
    return full;
  }

  /** Entries oldest first, optionally only one action / after a seq / the last `limit`. */
  entries(filter: { action?: string; sinceSeq?: number; limit?: number } = {}): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    for (let n = 0; n < this.size; n++) {
      const e = this.ring[(this.start + n) % this.limit]!;
      if (filter.action && e.action !== filter.action) continue;
      if (filter.sinceSeq !== undefined && e.seq <= filter.sinceSeq) continue;
      out.push(e);
    }
    return filter.limit !== undefined && out.length > filter.limit ? out.slice(out.length - filter.limit) : out;
  }

  /** Counters by action (deep copy). */
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
