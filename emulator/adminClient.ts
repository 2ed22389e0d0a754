/**
 * A small typed client of the admin API (`/_emulator/...`), for tests and demos: the shared
 * services and Tencent Cloud's model at the top, Alibaba Cloud ESS's model under {@link EmulatorAdmin.ess}.
 * @example
 * const admin = new EmulatorAdmin("http://127.0.0.1:8080");
 * const group = await admin.seedGroup({ instanceCount: 5 });
 * await admin.failInstance(group.instanceIds[0], "image not found");
 * const essGroup = await admin.ess.seedGroup({ instanceCount: 4 });
 * const essStarts = await admin.requests({ action: "StartInstanceRefresh", cloud: "alibabacloud" });
 * await admin.setVersion(group.groupId, { version: "v2", bad: true }); // GET healthUrl(url, group.groupId) → 500 once v2 runs
 */
import type { EssGroupView, EssSeededGroup, EssTaskView } from "./alibabacloud/adminViews";
import type { BadConfiguration } from "./alibabacloud/badConfigurations";
import type { SeedGroupSpec as EssSeedGroupSpec } from "./alibabacloud/seeding";
import type { FaultRule, FaultSpec } from "./faults";
import { HEALTH_PATH } from "./routes";
import type { HealthMode, HealthStats } from "./health";
import type { Pace } from "./pace";
import type { ActionCounter, RequestLogEntry, RequestLogFilter } from "./requestLog";
import type { SeedGroupSpec } from "./tencentcloud/seeding";
import type { RefreshActivity } from "./tencentcloud/types";
import type { GroupVersionView } from "./tencentcloud/versions";
import type { EmulatorGroupView } from "./tencentcloud/views";

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

/** One admin request: method, path below `/_emulator/`, optional JSON body; resolves with the JSON answer. */
type AdminCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** Sends one admin request to the emulator at `baseUrl`; rejects with {@link EmulatorAdminError} on an error status. */
async function adminCall<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl.replace(/\/$/, "")}/_emulator/${path}`, {
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

/**
 * The admin endpoints of the Alibaba Cloud ESS model (`/_emulator/ess/…`), as `admin.ess`.
 * Refusals: 400 (a bad spec), 404 (an unknown group, instance or task), 409 (a taken id, a task
 * that waits for a call).
 * @example
 * const { groupId, instanceIds } = await admin.ess.seedGroup({ instanceCount: 4 });
 * await admin.ess.setPace({ mode: "manual" });
 * // … StartInstanceRefresh through the ESS SDK …
 * const task = await admin.ess.finishWave(taskId); // task.FinishedUpdateCapacity
 */
export class EssAdmin {
  /** @param call sends one admin request */
  constructor(private readonly call: AdminCall) {}

  /** Creates a scaling group (`asg-…`) with instances (`i-…`, InService unless stated), region cn-hangzhou unless stated. */
  seedGroup(spec: EssSeedGroupSpec = {}): Promise<EssSeededGroup> {
    return this.call("POST", "ess/groups", spec);
  }
  /** A group with its instances and active configuration (and both as the Describe actions write them). */
  group(groupId: string): Promise<EssGroupView> {
    return this.call("GET", `ess/groups/${encodeURIComponent(groupId)}`);
  }
  /** Every ESS group. */
  groups(): Promise<EssGroupView[]> {
    return this.call<{ groups: EssGroupView[] }>("GET", "ess/groups").then((r) => r.groups);
  }
  /**
   * Marks a configuration bad: an InService instance whose configuration has every member `spec`
   * names (at least one of `imageId`, `scalingConfigurationId`, `launchTemplateId`,
   * `launchTemplateVersion`) is unhealthy, so the group's health endpoint answers 500 once a refresh
   * to it has replaced an instance (and 200 again once a rollback replaced them all). 400 for a malformed spec.
   * @example await admin.ess.markBadConfiguration({ imageId: "m-bad" });
   * @returns every mark, oldest first
   */
  markBadConfiguration(spec: BadConfiguration): Promise<BadConfiguration[]> {
    return this.call<{ badConfigurations: BadConfiguration[] }>("POST", "ess/bad-configurations", spec).then((r) => r.badConfigurations);
  }
  /** The configurations marked bad, oldest first. */
  badConfigurations(): Promise<BadConfiguration[]> {
    return this.call<{ badConfigurations: BadConfiguration[] }>("GET", "ess/bad-configurations").then((r) => r.badConfigurations);
  }
  /** Removes every bad mark (`reset()` does too). */
  clearBadConfigurations(): Promise<void> {
    return this.call<unknown>("DELETE", "ess/bad-configurations").then(() => undefined);
  }
  /** The next refresh (or rollback) of the instance fails and fails its task with `message` as Detail. */
  failInstance(instanceId: string, message: string): Promise<void> {
    return this.call<unknown>("POST", `ess/instances/${encodeURIComponent(instanceId)}/fail`, { message }).then(() => undefined);
  }
  /**
   * Performs the task's next timed transition now, whatever the pace: Pending ends, the wave in
   * flight ends, a checkpoint pause ends, or Cancelling settles. 409 when it waits for a call (Paused) or ended.
   * @returns the task as DescribeInstanceRefreshes (2022-02-22) writes it afterwards
   */
  stepTask(taskId: string): Promise<EssTaskView> {
    return this.call("POST", `ess/tasks/${encodeURIComponent(taskId)}/step`);
  }
  /**
   * Completes the wave in flight now (first Pending or a checkpoint pause, when the task is in one),
   * and stops once the next wave has started or the task paused or ended. 409 when it waits for a call.
   * @returns the task as DescribeInstanceRefreshes (2022-02-22) writes it afterwards
   */
  finishWave(taskId: string): Promise<EssTaskView> {
    return this.call("POST", `ess/tasks/${encodeURIComponent(taskId)}/finish-wave`);
  }
  /** A task exactly as DescribeInstanceRefreshes (2022-02-22) writes it. */
  task(taskId: string): Promise<EssTaskView> {
    return this.call("GET", `ess/tasks/${encodeURIComponent(taskId)}`);
  }
  /**
   * Sets the pace of ESS tasks' timed transitions (the same modes as Tencent Cloud's, {@link EmulatorAdmin.setPace}):
   * `clock`, `manual` (only {@link stepTask} / {@link finishWave}), `immediate` (to the next stop — a
   * CheckpointPause is one), `afterDescribes` with `describes: n` (one transition after every n
   * DescribeInstanceRefreshes answers that returned the task). `reset()` restores `clock`.
   */
  setPace(pace: Pace): Promise<Pace> {
    return this.call("POST", "ess/pace", pace);
  }
  /** The current pace of ESS tasks (see {@link setPace}). */
  pace(): Promise<Pace> {
    return this.call("GET", "ess/pace");
  }
}

/** Typed client of the admin API. */
export class EmulatorAdmin {
  /** The admin endpoints of the Alibaba Cloud ESS model (`/_emulator/ess/…`). */
  readonly ess: EssAdmin;

  /** @param baseUrl the emulator's URL, e.g. `http://127.0.0.1:8080` */
  constructor(readonly baseUrl: string) {
    this.ess = new EssAdmin((method, path, body) => this.call(method, path, body));
  }

  /** Both clouds' models back to their initial state (the fixture, or empty with `{ empty: true }`) and pace; clears faults, log, counters, rate-limit windows. */
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
  /**
   * Sets the version of the group's launch configuration — what its next refresh rolls out (an
   * activity in progress keeps the version it started with) — and marks that version bad
   * (`bad: true`) or good (`bad: false`; omitted: its mark stays). An IN_SERVICE instance running a
   * bad version makes the group's health endpoint answer 500. Seeded groups are at `v1`. 404 for an unknown group.
   * @example
   * await admin.setVersion("asg-9dn1a5y6", { version: "v2", bad: true });
   * // StartInstanceRefresh → after batch 1, GET healthUrl(url, "asg-9dn1a5y6") answers 500 { badVersion: "v2" }
   */
  setVersion(groupId: string, version: { version: string; bad?: boolean }): Promise<GroupVersionView> {
    return this.call("POST", `groups/${encodeURIComponent(groupId)}/version`, version);
  }
  /**
   * Sets how a group's health endpoint behaves: `normal` (answers from the model), `hang` (never
   * answers; `stop()` still closes at once), `refuse` (closes the connection without an answer).
   * 404 for a group no cloud's model knows; `reset()` restores `normal`.
   */
  healthMode(groupId: string, mode: HealthMode): Promise<HealthStats> {
    return this.call("POST", `${HEALTH_PATH}/${encodeURIComponent(groupId)}/mode`, { mode });
  }
  /** How many probes a group's health endpoint received (whatever the mode and answer) and its mode; 404 for an unknown group. */
  healthStats(groupId: string): Promise<HealthStats> {
    return this.call("GET", `${HEALTH_PATH}/${encodeURIComponent(groupId)}/stats`);
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
  /**
   * Sets the pace of timed transitions (INIT ends, a surge phase ends, a batch ends), so that a test
   * sets the pace instead of sleeping through batches. Applies at once; `reset()` restores `clock`.
   * - `{ mode: "clock" }` (default): when the model's clock reaches them (`secondsPerBatch` apart).
   * - `{ mode: "manual" }`: only through {@link stepActivity} / {@link finishBatch} (and their group forms).
   * - `{ mode: "immediate" }`: an activity runs to its next stop (pause, failure, end) as soon as it starts or resumes.
   * - `{ mode: "afterDescribes", describes: n }`: one transition after every `n` DescribeRefreshActivities
   *   answers that returned the activity while it had one pending (the `n`th answer still shows the state before).
   * @example
   * await admin.setPace({ mode: "manual" });           // nothing moves until told
   * await admin.setPace({ mode: "afterDescribes", describes: 1 }); // one transition per poll
   */
  setPace(pace: Pace): Promise<Pace> {
    return this.call("POST", "pace", pace);
  }
  /** The current pace (see {@link setPace}). */
  pace(): Promise<Pace> {
    return this.call("GET", "pace");
  }
  /**
   * Performs the activity's next timed transition now, whatever the pace: INIT ends (the first batch,
   * or the MaxSurge scale-out, starts), a scale-out or scale-in ends, or the running batch ends.
   * Rejects with 409 when the activity waits for a call (paused, no batch running) or has ended.
   * @returns the activity as DescribeRefreshActivities returns it afterwards
   */
  stepActivity(activityId: string): Promise<RefreshActivity> {
    return this.call("POST", `activities/${encodeURIComponent(activityId)}/step`);
  }
  /**
   * Finishes the current batch now (before the first batch: the phases before it and that batch),
   * whatever the pace, and stops once the next batch has started, or when the activity pauses
   * (AUTO_PAUSE gate, a failed instance, a Stop) or ends; after the last batch it ends the activity.
   * Rejects with 409 when the activity waits for a call or has ended.
   * @example
   * await admin.finishBatch(id); // batch 1 done; batch 2 RUNNING (or AUTO_PAUSE with FIRST_BATCH_PAUSE)
   * @returns the activity as DescribeRefreshActivities returns it afterwards
   */
  finishBatch(activityId: string): Promise<RefreshActivity> {
    return this.call("POST", `activities/${encodeURIComponent(activityId)}/finish-batch`);
  }
  /** {@link stepActivity} on the refresh in progress on a group (409 when there is none). */
  stepGroup(groupId: string): Promise<RefreshActivity> {
    return this.call("POST", `groups/${encodeURIComponent(groupId)}/step`);
  }
  /** {@link finishBatch} on the refresh in progress on a group (409 when there is none). */
  finishGroupBatch(groupId: string): Promise<RefreshActivity> {
    return this.call("POST", `groups/${encodeURIComponent(groupId)}/finish-batch`);
  }
  /** An activity exactly as DescribeRefreshActivities returns it. */
  activity(activityId: string): Promise<RefreshActivity> {
    return this.call("GET", `activities/${encodeURIComponent(activityId)}`);
  }
  /**
   * Logged requests of both clouds, oldest first; `cloud` (`"tencentcloud"` or `"alibabacloud"`)
   * keeps one cloud's (both have StartInstanceRefresh, ResumeInstanceRefresh, …).
   */
  requests(filter: RequestLogFilter = {}): Promise<RequestLogEntry[]> {
    const q = new URLSearchParams();
    if (filter.action) q.set("action", filter.action);
    if (filter.cloud) q.set("cloud", filter.cloud);
    if (filter.sinceSeq !== undefined) q.set("sinceSeq", String(filter.sinceSeq));
    if (filter.limit !== undefined) q.set("limit", String(filter.limit));
    const qs = q.toString();
    return this.call<{ entries: RequestLogEntry[] }>("GET", `requests${qs ? `?${qs}` : ""}`).then((r) => r.entries);
  }
  /** Per-action counters (total and by result code); Tencent Cloud's keyed by action, ESS's as `alibabacloud:Action`; only reset clears them. */
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

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return adminCall<T>(this.baseUrl, method, path, body);
  }
}
