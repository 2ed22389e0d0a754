/**
 * One cloud's view of the shared services (`context.ts`): the steps every cloud API takes the same
 * way, whatever its wire format — the per-action rate limit, then the injected faults, and the
 * request-log entry with its latency — keyed the way that cloud keys its actions. Each cloud turns a
 * refusal into its own error (Tencent Cloud: `RequestLimitExceeded` in its envelope; Alibaba Cloud:
 * `Throttling`, HTTP 400), so the services take the errors to throw from the cloud.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { ApiServices } from "./context";
import { NO_ACTION_KEY, type RequestLogEntry } from "./requestLog";

/**
 * How a cloud keys its actions in the rate-limit windows and the request-log counters:
 * - `plain`: the action name (`StartInstanceRefresh`) — Tencent Cloud, the first cloud, keeps the
 *   keys it always had;
 * - `qualified`: `cloud:Action` (`alibabacloud:StartInstanceRefresh`), so that actions of the same
 *   name on two clouds have separate windows and counters.
 */
export type ActionKeys = "plain" | "qualified";

/** Separator of a qualified key: `alibabacloud:StartInstanceRefresh`. */
export const CLOUD_KEY_SEPARATOR = ":";

/** When a request arrived: its wall-clock time for the log, and a monotonic start for its latency. */
export interface RequestStart {
  /** Wall-clock ISO time. */
  readonly time: string;
  /** `performance.now()` at arrival. */
  readonly at: number;
}

/** Notes the arrival of a request (first thing a cloud API does). */
export function requestStarted(): RequestStart {
  return { time: new Date().toISOString(), at: performance.now() };
}

/** The cloud's own errors for the shared refusals. */
export interface SharedRefusals {
  /** The rate limit refused the request (`limit` requests per second for this action). */
  throttled(action: string, limit: number): Error;
  /** An injected fault answers `code` with `message`. */
  injected(code: string, message: string): Error;
}

/** What the shared checks decided: serve the request, or drop its connection without an answer. */
export type Admission = "serve" | "drop";

/** The result code and what else a cloud logs of one request. */
export type LoggedRequest = Pick<RequestLogEntry, "action" | "params" | "code" | "requestId">;

/** The shared services as one cloud's API uses them. */
export class CloudServices {
  /**
   * @param services the emulator's shared services
   * @param cloud the cloud's name (its `CloudApi.name`), written into every log entry
   * @param keys how its actions are keyed in rate-limit windows and counters
   */
  constructor(
    readonly services: ApiServices,
    readonly cloud: string,
    readonly keys: ActionKeys,
  ) {}

  /** The key of `action` in the rate-limit windows and the counters. */
  keyOf(action: string): string {
    return this.keys === "plain" ? action : `${this.cloud}${CLOUD_KEY_SEPARATOR}${action}`;
  }

  /**
   * The shared checks, after the cloud's own (signature, version, action): the rate limit, then the
   * injected faults of this action and cloud (their latency first). Resolves `"drop"` when a fault
   * drops the connection; rejects with the cloud's error for a refusal or an injected code.
   */
  async admit(action: string, refusals: SharedRefusals): Promise<Admission> {
    const { rateLimiter, faults } = this.services;
    if (!rateLimiter.tryAcquire(this.keyOf(action))) throw refusals.throttled(action, rateLimiter.limit);
    const fault = faults.decide(action, this.cloud);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.drop) return "drop";
    if (fault.error) throw refusals.injected(fault.error.code, fault.error.message);
    return "serve";
  }

  /** Logs a request served (or refused, or dropped), with its latency since `start`. */
  log(start: RequestStart, request: LoggedRequest): void {
    this.services.log.add(
      { time: start.time, cloud: this.cloud, ...request, latencyMs: performance.now() - start.at },
      this.keyOf(request.action || NO_ACTION_KEY),
    );
  }
}
