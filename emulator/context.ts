/** What the HTTP layers share: the services every cloud API uses, and what the admin API reaches. */
import type { Clock } from "./clock";
import type { FaultInjector } from "./faults";
import type { HealthEndpoint } from "./health";
import type { RateLimiter } from "./rateLimit";
import type { RequestLog } from "./requestLog";

/**
 * Services every cloud's API handler uses, each keyed by action name — as each cloud keys its
 * actions (`cloudServices.ts`: Tencent Cloud's bare, Alibaba Cloud's `alibabacloud:Action`).
 */
export interface ApiServices {
  /** Per-action request limit. */
  readonly rateLimiter: RateLimiter;
  /** Injected faults, by action. */
  readonly faults: FaultInjector;
  /** Every request served, with per-action counters. */
  readonly log: RequestLog;
}

/** Shared services of one emulator instance, as the admin API sees them. */
export interface EmulatorContext extends ApiServices {
  /** The models' clock. */
  readonly clock: Clock;
  /** The per-group health endpoints: their modes and probe counts (reset with the models). */
  readonly health: HealthEndpoint;
  /** Puts every cloud's model back to its initial state (its fixture, or empty with `empty`) and default pace. */
  resetModels(empty: boolean): void;
  /** Writes state now (no-op without a state file). */
  flushState(): void;
}
