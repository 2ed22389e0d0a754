/**
 * Fault injection for reliability tests: per action or for all actions (of one cloud or of every
 * cloud), an error code, a probability (0–1) or a count of affected requests, added latency, or a
 * dropped connection. The cloud that serves the request answers an injected code in its own error
 * format (Tencent Cloud: the `{"Response": {"Error": …}}` envelope; Alibaba Cloud: HTTP 4xx/5xx with
 * `{Code, Message, …}`, translating the codes it spells differently, e.g. `RequestLimitExceeded` →
 * `Throttling`).
 */
import { AdminError } from "./errors";

/** A fault rule as configured through the admin API. */
export interface FaultSpec {
  /** Action it applies to; omitted or `"*"` = every action. */
  action?: string;
  /** Cloud it applies to (`tencentcloud`, `alibabacloud`); omitted = every cloud. */
  cloud?: string;
  /** Error code returned (e.g. `InternalError`, `RequestLimitExceeded`). */
  code?: string;
  /** Error message. @default "Injected fault." */
  message?: string;
  /** Chance (0–1) that a matching request is affected. @default 1 */
  probability?: number;
  /** Affect only this many requests, then the rule expires. @default unlimited */
  count?: number;
  /** Added latency in ms before the outcome. @default 0 */
  latencyMs?: number;
  /** Destroy the connection without a response. @default false */
  drop?: boolean;
}

/** A stored rule. */
export interface FaultRule extends FaultSpec {
  /** 1, 2, 3… in the order the rules were added. */
  id: number;
  /** Requests affected so far. */
  hits: number;
}

/** What to do with a request. */
export interface FaultDecision {
  /** Latency to add before the outcome, ms. */
  latencyMs: number;
  /** Destroy the connection without an answer. */
  drop: boolean;
  /** Answer this error (in the serving cloud's format), or serve the request normally. */
  error: { code: string; message: string } | null;
}

/** Largest accepted injected latency. */
export const MAX_FAULT_LATENCY_MS = 600_000;
/** Message of injected errors without one. */
export const DEFAULT_FAULT_MESSAGE = "Injected fault.";

const NO_FAULT: FaultDecision = { latencyMs: 0, drop: false, error: null };

/** Holds fault rules and decides per request. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** @param random source of randomness in [0, 1) @default Math.random */
  constructor(private readonly random: () => number = Math.random) {}

  /** Validates and adds a rule; returns it. */
  add(spec: FaultSpec): FaultRule {
    if (spec.probability !== undefined && !(typeof spec.probability === "number" && spec.probability >= 0 && spec.probability <= 1)) {
      throw new AdminError(400, "BadRequest", "probability must be a number between 0 and 1");
    }
    if (spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count >= 1)) {
      throw new AdminError(400, "BadRequest", "count must be an integer >= 1");
    }
    if (spec.latencyMs !== undefined && !(typeof spec.latencyMs === "number" && spec.latencyMs >= 0 && spec.latencyMs <= MAX_FAULT_LATENCY_MS)) {
      throw new AdminError(400, "BadRequest", `latencyMs must be a number between 0 and ${MAX_FAULT_LATENCY_MS}`);
    }
    if (spec.code !== undefined && (typeof spec.code !== "string" || spec.code === "")) throw new AdminError(400, "BadRequest", "code must be a non-empty string");
    if (spec.cloud !== undefined && (typeof spec.cloud !== "string" || spec.cloud === "")) throw new AdminError(400, "BadRequest", "cloud must be a non-empty string");
    if (spec.code === undefined && !spec.drop && !spec.latencyMs) {
      throw new AdminError(400, "BadRequest", "a fault needs a code, drop: true or latencyMs");
    }
    const rule: FaultRule = {
      id: this.nextId++,
      action: spec.action && spec.action !== "*" ? spec.action : undefined,
      cloud: spec.cloud,
      code: spec.code,
      message: spec.message,
      probability: spec.probability,
      count: spec.count,
      latencyMs: spec.latencyMs,
      drop: spec.drop === true,
      hits: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  /** Current rules. */
  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /**
   * Decides for one request of `cloud`: latency adds up over firing rules; the first firing rule
   * with a drop or code decides the outcome. Rules whose count is used up are removed.
   * @param cloud the serving cloud; rules of another cloud do not apply @default every rule applies
   */
  decide(action: string, cloud?: string): FaultDecision {
    if (this.rules.length === 0) return NO_FAULT;
    let latencyMs = 0;
    let drop = false;
    let error: FaultDecision["error"] = null;
    for (const r of this.rules) {
      if (r.action !== undefined && r.action !== action) continue;
      if (r.cloud !== undefined && cloud !== undefined && r.cloud !== cloud) continue;
      if (r.count !== undefined && r.hits >= r.count) continue;
      if (r.probability !== undefined && this.random() >= r.probability) continue;
      r.hits++;
      latencyMs += r.latencyMs ?? 0;
      if (!drop && !error) {
        if (r.drop) drop = true;
        else if (r.code) error = { code: r.code, message: r.message ?? DEFAULT_FAULT_MESSAGE };
      }
    }
    this.rules = this.rules.filter((r) => r.count === undefined || r.hits < r.count);
    return { latencyMs, drop, error };
  }
}
