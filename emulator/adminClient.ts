/**
 * A small typed client of the admin API (`/_emulator/...`), for tests and demos.
 * @example
 * const admin = new EmulatorAdmin("http://127.0.0.1:8080");
 * const group = await admin.seedGroup({ instanceCount: 5 });
 * await admin.failInstance(group.instanceIds[0], "image not found");
 */
import type { SeedGroupSpec } from "./backend";
import type { FaultRule, FaultSpec } from "./faults";
import type { ActionCounter, RequestLogEntry } from "./requestLog";
import type { RefreshActivity } from "./types";
import type { EmulatorGroupView } from "./views";

/** The admin API answered with an error status. */
export class EmulatorAdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`emulator admin API ${status} ${code}: ${message}`);
    this.name = "EmulatorAdminError";
  }
}

/** The clock as the admin API reports it. */
export interface ClockView {
  now: number;
  iso: string;
  kind: "real" | "manual";
}

/** Typed client of the admin API. */
export class EmulatorAdmin {
  /** @param baseUrl the emulator's URL, e.g. `http://127.0.0.1:8080` */
  constructor(readonly baseUrl: string) {}

  /** Back to the initial state (the fixture, or empty with `{ empty: true }`); clears faults, log, counters, rate-limit windows. */
  reset(options: { empty?: boolean } = {}): Promise<void> {
    return this.call<unknown>("POST", "reset", options).then(() => undefined);
  }
  /** Creates a scaling group with instances (IN_SERVICE unless stated). */
  seedGroup(spec: SeedGroupSpec = {}): Promise<EmulatorGroupView> {
    return this.call("POST", "groups", spec);
  }
  /** A group with its instances and EnabledStatus. */
  group(groupId: string): Promise<EmulatorGroupView> {
    return this.call("GET", `groups/${encodeURIComponent(groupId)}`);
  }
  /** Every group. */
  groups(): Promise<EmulatorGroupView[]> {
    return this.call<{ groups: EmulatorGroupView[] }>("GET", "groups").then((r) => r.groups);
  }
  /** The next `count` (default 1) refresh attempts of the instance fail with `message`. */
  failInstance(instanceId: string, message: string, options: { count?: number } = {}): Promise<void> {
    return this.call<unknown>("POST", `instances/${encodeURIComponent(instanceId)}/fail`, { message, ...options }).then(() => undefined);
  }
  /** Removes (destroys) an instance; pending refresh entries become NOT_FOUND. */
  removeInstance(instanceId: string): Promise<void> {
    return this.call<unknown>("POST", `instances/${encodeURIComponent(instanceId)}/remove`).then(() => undefined);
  }
  /** Adds a fault rule. */
  injectFault(spec: FaultSpec): Promise<FaultRule> {
    return this.call("POST", "faults", spec);
  }
  /** Current fault rules. */
  faults(): Promise<FaultRule[]> {
    return this.call<{ faults: FaultRule[] }>("GET", "faults").then((r) => r.faults);
  }
  /** Removes every fault rule. */
  clearFaults(): Promise<void> {
    return this.call<unknown>("DELETE", "faults").then(() => undefined);
  }
  /** Pauses an activity as the console would (MANUAL_PAUSE, bypassing API rules). */
  consolePause(activityId: string): Promise<RefreshActivity> {
    return this.call("POST", `activities/${encodeURIComponent(activityId)}/pause`);
  }
  /** Cancels an activity as the console would (CANCELLED, bypassing API rules). */
  consoleCancel(activityId: string): Promise<RefreshActivity> {
    return this.call("POST", `activities/${encodeURIComponent(activityId)}/cancel`);
  }
  /** An activity exactly as DescribeRefreshActivities returns it. */
  activity(activityId: string): Promise<RefreshActivity> {
    return this.call("GET", `activities/${encodeURIComponent(activityId)}`);
  }
  /** Logged requests, oldest first. */
  requests(filter: { action?: string; sinceSeq?: number; limit?: number } = {}): Promise<RequestLogEntry[]> {
    const q = new URLSearchParams();
    if (filter.action) q.set("action", filter.action);
    if (filter.sinceSeq !== undefined) q.set("sinceSeq", String(filter.sinceSeq));
    if (filter.limit !== undefined) q.set("limit", String(filter.limit));
    const qs = q.toString();
    return this.call<{ entries: RequestLogEntry[] }>("GET", `requests${qs ? `?${qs}` : ""}`).then((r) => r.entries);
  }
  /** Per-action counters (total and by result code); only reset clears them. */
  counters(): Promise<Record<string, ActionCounter>> {
    return this.call("GET", "counters");
  }
  /** Moves the model's clock forward. */
  advanceClock(ms: number): Promise<ClockView> {
    return this.call("POST", "clock/advance", { ms });
  }
  /** Sets the model's clock (epoch ms or ISO date; never backwards). */
  setClock(time: number | string): Promise<ClockView> {
    return this.call("POST", "clock/set", { time });
  }
  /** The model's clock. */
  clock(): Promise<ClockView> {
    return this.call("GET", "clock");
  }
  /** Turns the 20 requests/second/action limit on or off. */
  setRateLimit(enabled: boolean): Promise<void> {
    return this.call<unknown>("POST", "rate-limit", { enabled }).then(() => undefined);
  }
  /** Writes the state file now (no-op without one). */
  persist(): Promise<void> {
    return this.call<unknown>("POST", "persist").then(() => undefined);
  }
  /** Resolves when the emulator answers. */
  health(): Promise<{ ok: boolean } & ClockView> {
    return this.call("GET", "health");
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/$/, "")}/_emulator/${path}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      throw new EmulatorAdminError(res.status, "BadResponse", text.slice(0, 200));
    }
    if (!res.ok) {
      const err = (data as { error?: { code?: string; message?: string } }).error;
      throw new EmulatorAdminError(res.status, err?.code ?? "Error", err?.message ?? text);
    }
    return data as T;
  }
}
