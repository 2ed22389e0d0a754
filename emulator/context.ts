/** What the HTTP layers (cloud API and admin API) share. */
import type { Backend } from "./tencentcloud/backend";
import type { FaultInjector } from "./faults";
import type { RateLimiter } from "./rateLimit";
import type { RequestLog } from "./requestLog";
import type { SignatureVerifier } from "./tencentcloud/signature";

/** Shared services of one emulator instance. */
export interface EmulatorContext {
  readonly backend: Backend;
  readonly verifier: SignatureVerifier;
  readonly rateLimiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  /** Writes state now (no-op without a state file). */
  flushState(): void;
}
