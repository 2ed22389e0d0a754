/**
 * The per-group health endpoint: `GET /_emulator/health/<groupId>` answers whether the group's
 * instances run a version marked bad — the stand-in for an application's health check that a
 * health-gated rollout probes at every automatic pause. Cloud-neutral: each cloud's model reports
 * on its own groups through a {@link HealthSource} (Tencent Cloud: `tencentcloud/versions.ts`;
 * Alibaba Cloud ESS: `alibabacloud/badConfigurations.ts`), and `emulator.ts` hands them in.
 *
 * A probe is not an API call: no signature, rate limit, injected fault or request-log entry, and
 * it is open to any client (it reveals nothing and changes nothing). Tests make the endpoint
 * misbehave per group ({@link HealthMode}) and count its probes ({@link HealthEndpoint.stats})
 * through the admin API ({@link healthAdminRoutes}).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AdminRoute } from "./control";
import { AdminError } from "./errors";
import { ADMIN_PREFIX, HEALTH_PATH, probedGroup } from "./routes";

/** HTTP status of a healthy answer. */
export const HEALTHY_STATUS = 200;
/** HTTP status of an unhealthy answer (some InService instance runs a bad version). */
export const UNHEALTHY_STATUS = 500;
/** HTTP status for a group no cloud's model knows. */
export const UNKNOWN_GROUP_STATUS = 404;
/** HTTP status for a method other than GET or HEAD. */
const METHOD_NOT_ALLOWED_STATUS = 405;
/** Methods a probe may use. */
const PROBE_METHODS: readonly string[] = ["GET", "HEAD"];

/**
 * How a group's health endpoint behaves (admin: `POST /_emulator/health/<groupId>/mode`):
 * - `normal`: answers from the model (200 healthy / 500 unhealthy);
 * - `hang`: reads the request and never answers; the connection stays open until the client gives
 *   up or the emulator stops (`stop()` closes it at once) — a probe that times out;
 * - `refuse`: closes the connection without an answer (the client sees a reset, "socket hang up") —
 *   an application that is down.
 */
export const HEALTH_MODES = ["normal", "hang", "refuse"] as const;
/** One of {@link HEALTH_MODES}. */
export type HealthMode = (typeof HEALTH_MODES)[number];
/** The mode of every group until told otherwise (and after a reset). */
export const DEFAULT_HEALTH_MODE: HealthMode = "normal";

/** What a cloud's model says about a group's InService instances. */
export interface GroupHealthReport {
  /** InService instances. */
  readonly instances: number;
  /** Those of them that run a version marked bad. */
  readonly unhealthy: number;
  /** The bad version the first unhealthy instance runs; absent when none is unhealthy. */
  readonly badVersion?: string;
  /** InService instances per version (Tencent Cloud: the version label; ESS: its configuration's label). */
  readonly versions: Readonly<Record<string, number>>;
}

/** One InService instance as the health endpoint counts it: the version it runs, and whether that version is marked bad. */
export interface InstanceVersion {
  /** The version's label. */
  readonly version: string;
  /** Whether it is marked bad. */
  readonly bad: boolean;
}

/**
 * The report on a group's InService instances, in order (the first bad one names `badVersion`).
 * @example summarizeHealth([{ version: "v1", bad: false }, { version: "v2", bad: true }]) // { instances: 2, unhealthy: 1, badVersion: "v2", versions: { v1: 1, v2: 1 } }
 */
export function summarizeHealth(inService: Iterable<InstanceVersion>): GroupHealthReport {
  const versions: Record<string, number> = {};
  let instances = 0;
  let unhealthy = 0;
  let badVersion: string | undefined;
  for (const { version, bad } of inService) {
    instances++;
    versions[version] = (versions[version] ?? 0) + 1;
    if (bad) {
      unhealthy++;
      badVersion ??= version;
    }
  }
  return { instances, unhealthy, ...(badVersion !== undefined ? { badVersion } : {}), versions };
}

/** One cloud's model, as the health endpoint asks it. */
export interface HealthSource {
  /** The cloud (its `CloudApi.name`, e.g. `tencentcloud`), named in the answers. */
  readonly cloud: string;
  /** The report on `groupId` (caught up with the model's pace), or `undefined` when this model has no such group. */
  groupHealth(groupId: string): GroupHealthReport | undefined;
}

/** The JSON a probe answers for a known group. */
export interface HealthAnswer {
  /** `healthy` (HTTP 200) or `unhealthy` (HTTP 500). */
  readonly status: "healthy" | "unhealthy";
  /** The group id probed. */
  readonly group: string;
  /** The cloud whose model knows it. */
  readonly cloud: string;
  /** InService instances. */
  readonly instances: number;
  /** InService instances that run a bad version. */
  readonly unhealthy: number;
  /** `unhealthy / instances` (0 without instances). */
  readonly unhealthyShare: number;
  /** The bad version (unhealthy answers only). */
  readonly badVersion?: string;
  /** InService instances per version. */
  readonly versions: Readonly<Record<string, number>>;
}

/** What the admin API says about a group's probes. */
export interface HealthStats {
  /** The group id. */
  readonly groupId: string;
  /** Probes received since the start (or the last reset), whatever the mode and the answer. */
  readonly requests: number;
  /** The endpoint's current mode. */
  readonly mode: HealthMode;
}

/**
 * The URL of a group's health endpoint on the emulator at `emulatorUrl` — the `gate.http.url` of a
 * health-gated rollout against the emulator.
 * @example healthUrl("http://127.0.0.1:9100", "asg-9dn1a5y6") // "http://127.0.0.1:9100/_emulator/health/asg-9dn1a5y6"
 */
export function healthUrl(emulatorUrl: string, groupId: string): string {
  return `${emulatorUrl.replace(/\/+$/, "")}${ADMIN_PREFIX}${HEALTH_PATH}/${encodeURIComponent(groupId)}`;
}

/** A group's report and the cloud whose model made it. */
export interface CloudHealthReport extends GroupHealthReport {
  /** The cloud whose model knows the group. */
  readonly cloud: string;
}

/** The answer to a probe of a known group. */
export function healthAnswer(groupId: string, report: CloudHealthReport): HealthAnswer {
  const healthy = report.unhealthy === 0;
  return {
    status: healthy ? "healthy" : "unhealthy",
    group: groupId,
    cloud: report.cloud,
    instances: report.instances,
    unhealthy: report.unhealthy,
    unhealthyShare: report.instances === 0 ? 0 : report.unhealthy / report.instances,
    ...(healthy ? {} : { badVersion: report.badVersion }),
    versions: { ...report.versions },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store", ...headers });
  res.end(text);
}

/** The health endpoints of every group the clouds' models know: probes, modes and probe counts. */
export class HealthEndpoint {
  private readonly modes = new Map<string, HealthMode>();
  private readonly counts = new Map<string, number>();

  /** @param sources each cloud's model; the first that knows a group answers for it */
  constructor(private readonly sources: readonly HealthSource[]) {}

  /** The report on a group from the model that knows it, or `undefined` when none does. */
  report(groupId: string): CloudHealthReport | undefined {
    for (const source of this.sources) {
      const report = source.groupHealth(groupId);
      if (report) return { cloud: source.cloud, ...report };
    }
    return undefined;
  }

  /** Serves one probe (`GET /_emulator/health/<groupId>`); never rejects. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const groupId = probedGroup(req.url) ?? "";
    this.counts.set(groupId, (this.counts.get(groupId) ?? 0) + 1);
    if (!PROBE_METHODS.includes(req.method ?? "")) {
      sendJson(res, METHOD_NOT_ALLOWED_STATUS, { error: { code: "MethodNotAllowed", message: `${req.method} is not allowed on a health endpoint` } }, { Allow: PROBE_METHODS.join(", ") });
      return Promise.resolve();
    }
    const report = this.report(groupId);
    if (!report) {
      sendJson(res, UNKNOWN_GROUP_STATUS, { error: { code: "NotFound", message: `no scaling group ${groupId} in any cloud's model` } });
      return Promise.resolve();
    }
    switch (this.mode(groupId)) {
      case "hang":
        break; // no answer: the server's stop() closes the connection
      case "refuse":
        req.socket.destroy();
        break;
      case "normal": {
        const answer = healthAnswer(groupId, report);
        sendJson(res, answer.status === "healthy" ? HEALTHY_STATUS : UNHEALTHY_STATUS, answer);
        break;
      }
    }
    return Promise.resolve();
  }

  /** A group's mode. */
  mode(groupId: string): HealthMode {
    return this.modes.get(groupId) ?? DEFAULT_HEALTH_MODE;
  }

  /** Sets a group's mode (404 {@link AdminError} for a group no model knows). */
  setMode(groupId: string, mode: HealthMode): HealthStats {
    this.requireGroup(groupId);
    if (mode === DEFAULT_HEALTH_MODE) this.modes.delete(groupId);
    else this.modes.set(groupId, mode);
    return this.stats(groupId);
  }

  /** A group's probe count and mode (404 {@link AdminError} for a group no model knows). */
  stats(groupId: string): HealthStats {
    this.requireGroup(groupId);
    return { groupId, requests: this.counts.get(groupId) ?? 0, mode: this.mode(groupId) };
  }

  /** Every group back to {@link DEFAULT_HEALTH_MODE}, every count to 0 (the admin API's reset). */
  reset(): void {
    this.modes.clear();
    this.counts.clear();
  }

  private requireGroup(groupId: string): void {
    if (!this.report(groupId)) throw new AdminError(UNKNOWN_GROUP_STATUS, "NotFound", `no scaling group ${groupId} in any cloud's model`);
  }
}

/** Parses a {@link HealthMode} from an admin body's `mode`; 400 otherwise. */
export function parseHealthMode(value: unknown): HealthMode {
  if (typeof value === "string" && (HEALTH_MODES as readonly string[]).includes(value)) return value as HealthMode;
  throw new AdminError(400, "BadRequest", `mode must be one of ${HEALTH_MODES.join(", ")}`);
}

/** The admin endpoints of the health endpoints: `POST health/<groupId>/mode` and `GET health/<groupId>/stats`. */
export function healthAdminRoutes(endpoint: HealthEndpoint): AdminRoute[] {
  return [
    { method: "POST", pattern: new RegExp(`^${HEALTH_PATH}/([^/]+)/mode$`), run: (m, body) => endpoint.setMode(m[1]!, parseHealthMode(body.mode)) },
    { method: "GET", pattern: new RegExp(`^${HEALTH_PATH}/([^/]+)/stats$`), run: (m) => endpoint.stats(m[1]!) },
  ];
}
