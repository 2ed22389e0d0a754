/**
 * The health gate's inputs, the same for every cloud: at every automatic pause (a batch pause, a
 * checkpoint), probe an HTTP endpoint for a soak time; resume when it stays healthy, otherwise pause,
 * roll back or cancel, and fail `pulumi up` with the evidence. Validation and defaults here; the
 * probing is `gate.ts`.
 */
import { isObject } from "./checks";
import type { PortViolation } from "./port";

/** What the gate does when the probe turns unhealthy. @default "pause" */
export const GATE_ON_FAILURE = ["pause", "rollback", "cancel"] as const;
/** @see GATE_ON_FAILURE */
export type GateOnFailure = (typeof GATE_ON_FAILURE)[number];

/** Default and bounds of `gate.soakSeconds`. */
export const GATE_SOAK_SECONDS = { default: 60, min: 1, max: 86_400 } as const;
/** Default and bounds of `gate.intervalSeconds`. */
export const GATE_INTERVAL_SECONDS = { default: 10, min: 1, max: 3600 } as const;
/** Default and bounds of `gate.unhealthyThreshold` (consecutive unhealthy samples that fail the gate). */
export const GATE_UNHEALTHY_THRESHOLD = { default: 2, min: 1, max: 100 } as const;
/** Default and bounds of `gate.http.timeoutSeconds`. */
export const GATE_PROBE_TIMEOUT_SECONDS = { default: 5, min: 1, max: 300 } as const;
/** Default `gate.http.expectStatus`. */
export const GATE_EXPECT_STATUS = 200;
/** Most probe headers accepted. */
export const MAX_GATE_HEADERS = 20;

/** The HTTP probe of a gate. */
export interface HttpProbeSettings {
  /** `http://` or `https://` URL probed with GET. @example "https://web.example.com/healthz" */
  url: string;
  /** The status a healthy answer has. @default 200 */
  expectStatus?: number;
  /** Text a healthy answer's body contains. */
  bodyContains?: string;
  /** Seconds one probe may take; no answer by then is an unhealthy sample. @default 5 */
  timeoutSeconds?: number;
  /** Request headers, e.g. an authorization token: pass them as Pulumi secrets; they are never printed. */
  headers?: Record<string, string>;
}

/** A measured gate at every automatic pause. */
export interface GateSettings {
  http: HttpProbeSettings;
  /** Seconds the probe must stay healthy at a pause before the rollout resumes. @default 60 */
  soakSeconds?: number;
  /** Seconds between two samples. @default 10 */
  intervalSeconds?: number;
  /** Consecutive unhealthy samples that fail the gate (1: any). @default 2 */
  unhealthyThreshold?: number;
  /** What happens when the gate fails. @default "pause" */
  onFailure?: GateOnFailure;
  /** Also wait for the human approval input (`approvedBatches` / `approvedCheckpoints`) before resuming. @default false */
  requireApproval?: boolean;
}

/** A gate with every default filled in. */
export interface NormalizedGate {
  http: Required<Omit<HttpProbeSettings, "bodyContains" | "headers">> & Pick<HttpProbeSettings, "bodyContains" | "headers">;
  soakSeconds: number;
  intervalSeconds: number;
  unhealthyThreshold: number;
  onFailure: GateOnFailure;
  requireApproval: boolean;
}

const show = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? "an array" : String(value));

/** Keys allowed in `gate` and `gate.http`. */
const GATE_KEYS = ["http", "soakSeconds", "intervalSeconds", "unhealthyThreshold", "onFailure", "requireApproval"];
const HTTP_KEYS = ["url", "expectStatus", "bodyContains", "timeoutSeconds", "headers"];

/**
 * Every violation of a `gate` input (empty when valid); unknown values are skipped.
 * @example validateGate({ http: { url: "ftp://x" } }, "gate") // [{ property: "gate.http.url", reason: 'must be an http:// or https:// URL; got "ftp://x"' }]
 */
export function validateGate(value: unknown, property: string, isUnknown: (v: unknown) => boolean = () => false): PortViolation[] {
  const violations: PortViolation[] = [];
  const report = (path: string, reason: string) => violations.push({ property: path, reason });
  if (value === undefined || value === null || isUnknown(value)) return violations;
  if (!isObject(value)) return [{ property, reason: `must be an object; got ${show(value)}` }];
  for (const key of Object.keys(value)) if (!GATE_KEYS.includes(key)) report(`${property}.${key}`, `is not a known property; expected one of ${GATE_KEYS.join(", ")}`);
  const integer = (v: unknown, path: string, bounds: { min: number; max: number }) => {
    if (v === undefined || isUnknown(v)) return;
    if (typeof v !== "number" || !Number.isInteger(v) || v < bounds.min || v > bounds.max) report(path, `must be an integer from ${bounds.min} to ${bounds.max}; got ${show(v)}`);
  };
  integer(value.soakSeconds, `${property}.soakSeconds`, GATE_SOAK_SECONDS);
  integer(value.intervalSeconds, `${property}.intervalSeconds`, GATE_INTERVAL_SECONDS);
  integer(value.unhealthyThreshold, `${property}.unhealthyThreshold`, GATE_UNHEALTHY_THRESHOLD);
  if (value.onFailure !== undefined && !isUnknown(value.onFailure) && !GATE_ON_FAILURE.includes(value.onFailure as GateOnFailure)) {
    report(`${property}.onFailure`, `must be one of ${GATE_ON_FAILURE.join(", ")}; got ${show(value.onFailure)}`);
  }
  if (value.requireApproval !== undefined && !isUnknown(value.requireApproval) && typeof value.requireApproval !== "boolean") {
    report(`${property}.requireApproval`, `must be true or false; got ${show(value.requireApproval)}`);
  }
  const http = value.http;
  if (isUnknown(http)) return violations;
  if (!isObject(http)) {
    report(`${property}.http`, http === undefined ? "is required" : `must be an object; got ${show(http)}`);
    return violations;
  }
  for (const key of Object.keys(http)) if (!HTTP_KEYS.includes(key)) report(`${property}.http.${key}`, `is not a known property; expected one of ${HTTP_KEYS.join(", ")}`);
  if (!isUnknown(http.url)) {
    let ok = false;
    try {
      ok = typeof http.url === "string" && ["http:", "https:"].includes(new URL(http.url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) report(`${property}.http.url`, http.url === undefined ? "is required" : `must be an http:// or https:// URL; got ${show(http.url)}`);
  }
  integer(http.expectStatus, `${property}.http.expectStatus`, { min: 100, max: 599 });
  integer(http.timeoutSeconds, `${property}.http.timeoutSeconds`, GATE_PROBE_TIMEOUT_SECONDS);
  if (http.bodyContains !== undefined && !isUnknown(http.bodyContains) && typeof http.bodyContains !== "string") {
    report(`${property}.http.bodyContains`, `must be a string; got ${show(http.bodyContains)}`);
  }
  if (http.headers !== undefined && !isUnknown(http.headers)) {
    if (!isObject(http.headers)) report(`${property}.http.headers`, `must be a map of strings; got ${show(http.headers)}`);
    else {
      const entries = Object.entries(http.headers);
      if (entries.length > MAX_GATE_HEADERS) report(`${property}.http.headers`, `must have at most ${MAX_GATE_HEADERS} entries; got ${entries.length}`);
      for (const [k, v] of entries) if (!isUnknown(v) && typeof v !== "string") report(`${property}.http.headers.${k}`, "must be a string");
    }
  }
  const soak = typeof value.soakSeconds === "number" ? value.soakSeconds : GATE_SOAK_SECONDS.default;
  const interval = typeof value.intervalSeconds === "number" ? value.intervalSeconds : GATE_INTERVAL_SECONDS.default;
  if (violations.length === 0 && interval > soak) report(`${property}.intervalSeconds`, `must be at most soakSeconds (${soak}); got ${interval}`);
  return violations;
}

/**
 * A valid gate with its defaults filled in.
 * @example normalizeGate({ http: { url: "http://127.0.0.1:9100/healthz" } }).soakSeconds // 60
 */
export function normalizeGate(gate: GateSettings): NormalizedGate {
  return {
    http: {
      url: gate.http.url,
      expectStatus: gate.http.expectStatus ?? GATE_EXPECT_STATUS,
      timeoutSeconds: gate.http.timeoutSeconds ?? GATE_PROBE_TIMEOUT_SECONDS.default,
      ...(gate.http.bodyContains === undefined ? {} : { bodyContains: gate.http.bodyContains }),
      ...(gate.http.headers === undefined ? {} : { headers: { ...gate.http.headers } }),
    },
    soakSeconds: gate.soakSeconds ?? GATE_SOAK_SECONDS.default,
    intervalSeconds: gate.intervalSeconds ?? GATE_INTERVAL_SECONDS.default,
    unhealthyThreshold: gate.unhealthyThreshold ?? GATE_UNHEALTHY_THRESHOLD.default,
    onFailure: gate.onFailure ?? "pause",
    requireApproval: gate.requireApproval ?? false,
  };
}
