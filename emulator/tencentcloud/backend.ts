/**
 * The model behind the API: groups, instances and refresh activities, with every API rule.
 * No HTTP here: methods take decoded requests, return records, and throw {@link ApiError}
 * (cloud API) or {@link AdminError} (admin API). The model advances lazily on every call and
 * whenever the clock moves.
 */
import { AdminError, ApiError } from "../errors";
import { ErrorCodes } from "./errorCodes";
import { batchSizes } from "./batches";
import type { Clock } from "../clock";
import { EventQueue } from "../eventQueue";
import { IdPrefix, idPattern, newId } from "../ids";
import { ModelState, type StateSnapshot } from "./state";
import { RefreshMachine, conflict, timingFor, type MachineEnv, type Timing } from "./stateMachine";
import {
  PAUSED_STATUSES,
  TERMINAL_STATUSES,
  type ActivityRecord,
  type ActivityStatus,
  type BatchPause,
  type FailProcess,
  type GroupRecord,
  type InstanceRecord,
  type RefreshMode,
  type RefreshSettings,
  type ResumeMode,
} from "./types";

/** Default pace: seconds one batch takes. */
export const DEFAULT_SECONDS_PER_BATCH = 2;
/** Instances created by `seedGroup` when neither `instances` nor `instanceCount` is given. */
export const DEFAULT_SEED_INSTANCE_COUNT = 3;
/** Default and maximum `Limit` of the Describe actions. */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
/** At most this many ids per Describe request. */
export const MAX_IDS_PER_REQUEST = 100;
/** At most this many filters per request, and values per filter. */
export const MAX_FILTERS = 10;
export const MAX_FILTER_VALUES = 5;
/** Defaults of `RefreshSettings`. */
export const DEFAULT_CHECK_TARGET_HEALTH_TIMEOUT = 1800;
/** Safety stop for one `advance()` (never reached by a consistent model). */
const MAX_STEPS_PER_ADVANCE = 1_000_000;

const GROUP_ID = idPattern(IdPrefix.group);
const ACTIVITY_STATUSES: ReadonlySet<string> = new Set([
  "INIT", "RUNNING", "SUCCESSFUL", "FAILED_PAUSE", "AUTO_PAUSE", "MANUAL_PAUSE", "CANCELLED", "FAILED",
]);
const ACTIVITY_TYPES: ReadonlySet<string> = new Set(["NORMAL", "ROLLBACK"]);

/** A `Filter` as sent by the SDK. */
export interface Filter {
  Name: string;
  Values: string[];
}

/** `RollingUpdateSettings` as decoded from a request (optional fields may be absent). */
export interface RollingUpdateSettingsInput {
  BatchNumber: number;
  BatchPause?: BatchPause;
  MaxSurge?: number;
  FailProcess?: FailProcess;
}
/** `RefreshSettings` as decoded from a request. */
export interface RefreshSettingsInput {
  RollingUpdateSettings: RollingUpdateSettingsInput;
  CheckInstanceTargetHealth?: boolean;
  CheckInstanceTargetHealthTimeout?: number;
}
/** StartInstanceRefresh request. */
export interface StartInput {
  AutoScalingGroupId: string;
  RefreshSettings: RefreshSettingsInput;
  RefreshMode?: RefreshMode;
}
/** RollbackInstanceRefresh request. */
export interface RollbackInput extends StartInput {
  OriginRefreshActivityId: string;
}
/** Describe* paging and selection. */
export interface ListInput {
  ids?: string[];
  filters?: Filter[];
  limit?: number;
  offset?: number;
}
/** One page of results plus the total count. */
export interface Page<T> {
  total: number;
  items: T[];
}

/** An instance to seed (admin API / fixture). */
export interface SeedInstanceSpec {
  /** @default a fresh `ins-xxxxxxxx` */
  instanceId?: string;
  /** @default "IN_SERVICE" */
  lifeCycleState?: string;
  /** @default "HEALTHY" */
  healthStatus?: string;
  zone?: string;
  instanceType?: string;
  protectedFromScaleIn?: boolean;
}
/** A group to seed (admin API / fixture). */
export interface SeedGroupSpec {
  /** Must look like `asg-` + 8 lowercase alphanumerics. @default a fresh id */
  groupId?: string;
  /** @default the group id */
  name?: string;
  /** IN_SERVICE instances to create when `instances` is not given. @default 3 */
  instanceCount?: number;
  instances?: SeedInstanceSpec[];
  minSize?: number;
  maxSize?: number;
  launchConfigurationId?: string;
  zones?: string[];
}
/** Fixture file layout. */
export interface Fixture {
  groups: SeedGroupSpec[];
}

/** Options of {@link Backend}. */
export interface BackendOptions {
  clock: Clock;
  /** @default 2 */
  secondsPerBatch?: number;
  /** Initial content. */
  fixture?: Fixture;
}

/**
 * How an activity's timed transitions (INIT ends, a surge phase ends, a batch ends) happen — moto's
 * `set_transition`, for tests that set the pace instead of waiting:
 * - `clock` (default): when the model's clock reaches them (`secondsPerBatch` apart).
 * - `manual`: only when told, through {@link Backend.stepActivity} / {@link Backend.finishBatch}.
 * - `immediate`: at once: an activity runs to its next stop (a pause, a failure, the end) as soon
 *   as it starts or resumes.
 * - `afterDescribes`: one transition after every `describes` DescribeRefreshActivities answers that
 *   returned the activity while it had one pending; the Nth answer shows the state before it.
 */
export type Pace =
  | { readonly mode: "clock" }
  | { readonly mode: "manual" }
  | { readonly mode: "immediate" }
  | { readonly mode: "afterDescribes"; readonly describes: number };

/** Names of the pace modes. */
export const PACE_MODES: readonly Pace["mode"][] = ["clock", "manual", "immediate", "afterDescribes"];
/** The pace an emulator starts with and returns to on reset. */
export const DEFAULT_PACE: Pace = { mode: "clock" };
/** Largest `describes` of the `afterDescribes` pace. */
export const MAX_PACE_DESCRIBES = 1_000_000;

/** Checks a pace as sent to the admin API; throws a 400 {@link AdminError} naming the problem. */
export function parsePace(body: Record<string, unknown>): Pace {
  const mode = body.mode;
  if (typeof mode !== "string" || !(PACE_MODES as readonly string[]).includes(mode)) {
    throw new AdminError(400, "BadRequest", `mode must be one of ${PACE_MODES.join(", ")}`);
  }
  if (mode === "afterDescribes") {
    const n = body.describes;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_PACE_DESCRIBES) {
      throw new AdminError(400, "BadRequest", `describes must be an integer between 1 and ${MAX_PACE_DESCRIBES} with mode afterDescribes`);
    }
    return { mode, describes: n };
  }
  if (body.describes !== undefined) throw new AdminError(400, "BadRequest", `describes only goes with mode afterDescribes`);
  return { mode } as Pace;
}

/** The emulated Auto Scaling service. */
export class Backend {
  readonly clock: Clock;
  readonly timing: Timing;
  private stateRef: ModelState = new ModelState();
  private readonly queue = new EventQueue();
  private readonly machine: RefreshMachine;
  private readonly touchedSet = new Set<ActivityRecord>();
  private readonly dirtyListeners = new Set<() => void>();
  private readonly fixture: Fixture | undefined;
  private timer: NodeJS.Timeout | null = null;
  private timerAt: number | null = null;
  private advancing = false;
  private closed = false;
  private paceRef: Pace = DEFAULT_PACE;
  /** `afterDescribes` pace: describes of each activity since its last transition. */
  private readonly describesSeen = new Map<string, number>();
  /** `afterDescribes` pace: activities whose transition is due before the next request is served. */
  private readonly describedEnough = new Set<string>();
  private readonly unsubscribeClock: () => void;

  constructor(options: BackendOptions) {
    this.clock = options.clock;
    const secondsPerBatch = options.secondsPerBatch ?? DEFAULT_SECONDS_PER_BATCH;
    if (!(secondsPerBatch > 0) || !Number.isFinite(secondsPerBatch)) throw new RangeError(`secondsPerBatch must be > 0, got ${secondsPerBatch}`);
    this.timing = timingFor(secondsPerBatch);
    this.fixture = options.fixture;
    const getState = (): ModelState => this.stateRef;
    const env: MachineEnv = {
      get state() {
        return getState();
      },
      timing: this.timing,
      touched: (a) => this.touchedSet.add(a),
      dirty: () => this.markDirty(),
      newActivityId: () => newId(IdPrefix.refreshActivity, (id) => this.stateRef.activities.has(id)),
      newInstanceActivityId: () => newId(IdPrefix.instanceActivity),
      newInstanceId: () => newId(IdPrefix.instance, (id) => this.stateRef.instances.has(id)),
    };
    this.machine = new RefreshMachine(env);
    if (this.fixture) this.loadFixture(this.fixture);
    this.unsubscribeClock = this.clock.onChange(() => this.advance());
  }

  /** The current model (read-only use, e.g. views and persistence). */
  get state(): ModelState {
    return this.stateRef;
  }

  /** Subscribes to "something changed" (used by persistence); returns an unsubscribe function. */
  onDirty(listener: () => void): () => void {
    this.dirtyListeners.add(listener);
    return () => this.dirtyListeners.delete(listener);
  }

  /** The current {@link Pace}. */
  get pace(): Pace {
    return this.paceRef;
  }

  /**
   * Sets how timed transitions happen (see {@link Pace}); applies at once (`immediate` runs every
   * activity to its next stop; back to `clock`, transitions already due on the clock happen).
   */
  setPace(pace: Pace): void {
    this.paceRef = pace.mode === "afterDescribes" ? { mode: pace.mode, describes: pace.describes } : { mode: pace.mode };
    this.describesSeen.clear();
    this.describedEnough.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = null;
    this.advance();
  }

  /** Runs every transition the pace makes due now (for the `clock` pace: up to the clock's time). */
  advance(): void {
    if (this.advancing || this.closed) return;
    this.advancing = true;
    try {
      const now = this.clock.now();
      const pace = this.paceRef.mode;
      if (pace === "afterDescribes") {
        const ids = [...this.describedEnough];
        this.describedEnough.clear();
        for (const id of ids) {
          const a = this.stateRef.activities.get(id);
          if (a) this.forceStep(a, now);
        }
      } else if (pace !== "manual") {
        // `clock`: what is due by now, each at its own time; `immediate`: everything, now.
        for (let steps = 0; steps < MAX_STEPS_PER_ADVANCE; steps++) {
          const due = this.queue.popDue(pace === "immediate" ? Number.POSITIVE_INFINITY : now);
          if (!due) break;
          const a = this.stateRef.activities.get(due.id);
          if (a && !TERMINAL_STATUSES.has(a.status)) {
            if (pace === "immediate") this.machine.hurry(a, now);
            this.machine.step(a, pace === "immediate" ? now : due.at);
            this.touchedSet.add(a);
          }
          this.flush();
        }
      }
    } finally {
      this.advancing = false;
    }
    this.armTimer();
  }

  /** Stops timers and clock subscriptions. */
  close(): void {
    this.closed = true;
    this.unsubscribeClock();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  // ------------------------------------------------------------------ cloud API

  /** StartInstanceRefresh. Returns the new activity. */
  startInstanceRefresh(req: StartInput): ActivityRecord {
    const now = this.sync();
    const group = this.requireGroup(req.AutoScalingGroupId);
    if (group.activeActivityId) {
      throw new ApiError(
        ErrorCodes.AutoScalingGroupInRefreshActivity,
        `The scaling group ${group.id} is already in refresh activity ${group.activeActivityId}.`,
      );
    }
    const settings = normalizeSettings(req.RefreshSettings);
    const instanceIds = group.instanceIds.filter((id) => this.stateRef.instances.get(id)?.lifeCycleState === "IN_SERVICE");
    if (instanceIds.length === 0) {
      throw new ApiError(ErrorCodes.NoInstanceCanRefresh, `The scaling group ${group.id} has no IN_SERVICE instance to refresh.`);
    }
    const rus = settings.RollingUpdateSettings;
    if (rus.BatchNumber > instanceIds.length) {
      throw new ApiError(
        ErrorCodes.BatchNumberTooLarge,
        `RefreshSettings.RollingUpdateSettings.BatchNumber (${rus.BatchNumber}) exceeds the ${instanceIds.length} instances to refresh.`,
      );
    }
    // inferred: "a single batch" is read as the first, largest batch.
    const firstBatch = batchSizes(instanceIds.length, rus.BatchNumber)[0]!;
    if (rus.MaxSurge > firstBatch) {
      throw new ApiError(
        ErrorCodes.MaxSurgeTooLarge,
        `RefreshSettings.RollingUpdateSettings.MaxSurge (${rus.MaxSurge}) exceeds the ${firstBatch} instances of the first batch.`,
      );
    }
    const a = this.machine.create(
      { groupId: group.id, type: "NORMAL", originId: "", mode: req.RefreshMode ?? "ROLLING_UPDATE_RESET", settings, instanceIds },
      now,
    );
    this.finish();
    return a;
  }

  /** StopInstanceRefresh: only while INIT or RUNNING, and not during the final MaxSurge scale-in. */
  stopInstanceRefresh(groupId: string, activityId: string): void {
    this.sync();
    const a = this.requireActivity(groupId, activityId);
    if ((a.status !== "RUNNING" && a.status !== "INIT") || a.supersededBy) {
      conflict(`The refresh activity ${a.id} is ${a.status}; only INIT or RUNNING activities can be stopped.`);
    }
    if (a.phase === "SURGE_IN") conflict(`The refresh activity ${a.id} is scaling in its MaxSurge instances and cannot be stopped.`);
    this.machine.stop(a);
    this.finish();
  }

  /** ResumeInstanceRefresh: only from FAILED_PAUSE, AUTO_PAUSE or MANUAL_PAUSE. */
  resumeInstanceRefresh(groupId: string, activityId: string, mode: ResumeMode = "RETRY"): void {
    const now = this.sync();
    const a = this.requireActivity(groupId, activityId);
    if (!PAUSED_STATUSES.has(a.status) || a.supersededBy) {
      conflict(`The refresh activity ${a.id} is ${a.status}; only a paused activity can be resumed.`);
    }
    this.machine.resume(a, mode, now);
    this.finish();
  }

  /** CancelInstanceRefresh: only from a pause with no batch running. */
  cancelInstanceRefresh(groupId: string, activityId: string): void {
    const now = this.sync();
    const a = this.requireActivity(groupId, activityId);
    if (!PAUSED_STATUSES.has(a.status) || a.supersededBy) {
      conflict(`The refresh activity ${a.id} is ${a.status}; pause it and wait for the current batch to end before cancelling.`);
    }
    if (a.phase !== "PAUSED" && a.phase !== "INIT") {
      conflict(`The refresh activity ${a.id} still has a batch running; wait for it to end before cancelling.`);
    }
    this.machine.end(a, "CANCELLED", now);
    this.finish();
  }

  /** RollbackInstanceRefresh. Returns the new ROLLBACK activity. */
  rollbackInstanceRefresh(req: RollbackInput): ActivityRecord {
    const now = this.sync();
    const group = this.requireGroup(req.AutoScalingGroupId);
    const origin = this.requireActivity(group.id, req.OriginRefreshActivityId);
    if (origin.type === "ROLLBACK") {
      throw new ApiError(ErrorCodes.RollbackTypeActivityCanNotRollbackAgain, `${origin.id} is a rollback activity and cannot be rolled back again.`);
    }
    if (origin.mode === "ROLLING_UPDATE_REPLACE") {
      throw new ApiError(ErrorCodes.RefreshActivityCanNotRollback, `${origin.id} uses ROLLING_UPDATE_REPLACE, which does not support rollback.`);
    }
    const paused = PAUSED_STATUSES.has(origin.status) && !origin.supersededBy;
    if (!paused) {
      const latest = this.latestSuccessfulNormal(group.id);
      if (origin.status !== "SUCCESSFUL" || latest !== origin) {
        throw new ApiError(
          ErrorCodes.RefreshActivityCanNotRollback,
          `${origin.id} is ${origin.status}; only a paused activity or the latest SUCCESSFUL one can be rolled back.`,
        );
      }
      if (group.activeActivityId) {
        throw new ApiError(
          ErrorCodes.AutoScalingGroupInRefreshActivity,
          `The scaling group ${group.id} is already in refresh activity ${group.activeActivityId}.`,
        );
      }
    }
    const settings = normalizeSettings(req.RefreshSettings);
    if (settings.RollingUpdateSettings.MaxSurge > 0) {
      throw new ApiError(ErrorCodes.InvalidParameterValue, `RefreshSettings.RollingUpdateSettings.MaxSurge is not supported for rollback.`);
    }
    // Instances that were (or are being) refreshed go back; pending, cancelled and NOT_FOUND ones are ignored.
    const instanceIds = origin.batches.flatMap((b) =>
      b.instances.filter((i) => i.status === "SUCCESSFUL" || i.status === "FAILED" || i.status === "RUNNING").map((i) => i.instanceId),
    );
    if (instanceIds.length === 0) {
      throw new ApiError(ErrorCodes.NoInstanceCanRollback, `${origin.id} has no refreshed instance to roll back.`);
    }
    if (settings.RollingUpdateSettings.BatchNumber > instanceIds.length) {
      throw new ApiError(
        ErrorCodes.BatchNumberTooLarge,
        `RefreshSettings.RollingUpdateSettings.BatchNumber (${settings.RollingUpdateSettings.BatchNumber}) exceeds the ${instanceIds.length} instances to roll back.`,
      );
    }
    const running = this.machine.runningInstances(origin);
    const notBefore = running.reduce((max, i) => Math.max(max, i.finishAt ?? now), now);
    const rb = this.machine.create(
      { groupId: group.id, type: "ROLLBACK", originId: origin.id, mode: origin.mode, settings, instanceIds, notBefore },
      now,
    );
    if (paused) this.machine.supersede(origin, rb.id, now);
    this.finish();
    return rb;
  }

  /** DescribeRefreshActivities: ids XOR filters, newest first. */
  describeRefreshActivities(q: ListInput): Page<ActivityRecord> {
    this.sync();
    const { limit, offset } = checkPaging(q);
    const ids = q.ids ?? [];
    const filters = q.filters ?? [];
    checkIdsAndFilters(ids, filters, "RefreshActivityIds");
    const byName = new Map<string, Set<string>>();
    for (const [n, f] of filters.entries()) {
      const where = `Filters.${n}`;
      checkFilterShape(f, where);
      switch (f.Name) {
        case "auto-scaling-group-id":
          for (const v of f.Values) {
            if (!GROUP_ID.test(v)) throw new ApiError(ErrorCodes.InvalidAutoScalingGroupId, `${where}.Values: invalid scaling group id "${v}".`);
          }
          break;
        case "refresh-activity-status-code":
          for (const v of f.Values) {
            // inferred: unknown status values are rejected rather than matching nothing.
            if (!ACTIVITY_STATUSES.has(v)) throw new ApiError(ErrorCodes.InvalidFilter, `${where}.Values: unknown refresh activity status "${v}".`);
          }
          break;
        case "refresh-activity-type":
          for (const v of f.Values) {
            if (!ACTIVITY_TYPES.has(v)) throw new ApiError(ErrorCodes.InvalidFilter, `${where}.Values: unknown refresh activity type "${v}".`);
          }
          break;
        case "refresh-activity-id":
          break;
        default:
          throw new ApiError(ErrorCodes.InvalidFilterName, `${where}.Name: unsupported filter "${f.Name}".`);
      }
      intersectInto(byName, f.Name, f.Values);
    }
    // Candidates come from an index when possible; sorted newest first.
    let candidates: Iterable<ActivityRecord>;
    const groupIds = byName.get("auto-scaling-group-id");
    const activityIds = ids.length > 0 ? new Set(ids) : byName.get("refresh-activity-id");
    if (activityIds) {
      candidates = [...activityIds].map((id) => this.stateRef.activities.get(id)).filter((a): a is ActivityRecord => !!a).sort(newestFirst);
    } else if (groupIds) {
      const lists = [...groupIds].map((g) => this.stateRef.activitiesByGroup.get(g) ?? []);
      candidates = lists.length === 1 ? reversed(lists[0]!) : lists.flat().sort(newestFirst);
    } else {
      candidates = reversed(this.stateRef.activityOrder);
    }
    const statuses = byName.get("refresh-activity-status-code");
    const types = byName.get("refresh-activity-type");
    const match = (a: ActivityRecord): boolean =>
      (!groupIds || groupIds.has(a.groupId)) &&
      (!activityIds || activityIds.has(a.id)) &&
      (!statuses || statuses.has(a.status)) &&
      (!types || types.has(a.type));
    const page = pageOf(candidates, match, offset, limit);
    if (this.paceRef.mode === "afterDescribes") this.countDescribes(page.items, this.paceRef.describes);
    return page;
  }

  /** DescribeAutoScalingGroups (ids or `auto-scaling-group-id` / `auto-scaling-group-name` filters). */
  describeAutoScalingGroups(q: ListInput): Page<GroupRecord> {
    this.sync();
    const { limit, offset } = checkPaging(q);
    const ids = q.ids ?? [];
    const filters = q.filters ?? [];
    checkIdsAndFilters(ids, filters, "AutoScalingGroupIds");
    const byName = new Map<string, Set<string>>();
    for (const [n, f] of filters.entries()) {
      checkFilterShape(f, `Filters.${n}`);
      if (f.Name !== "auto-scaling-group-id" && f.Name !== "auto-scaling-group-name") {
        throw new ApiError(ErrorCodes.InvalidFilterName, `Filters.${n}.Name: unsupported filter "${f.Name}".`);
      }
      intersectInto(byName, f.Name, f.Values);
    }
    const wanted = ids.length > 0 ? new Set(ids) : byName.get("auto-scaling-group-id");
    const names = byName.get("auto-scaling-group-name");
    const candidates: Iterable<GroupRecord> = wanted
      ? [...wanted].map((id) => this.stateRef.groups.get(id)).filter((g): g is GroupRecord => !!g)
      : this.stateRef.groups.values();
    return pageOf(candidates, (g) => (!wanted || wanted.has(g.id)) && (!names || names.has(g.name)), offset, limit);
  }

  /** DescribeAutoScalingInstances (ids or `instance-id` / `auto-scaling-group-id` filters). */
  describeAutoScalingInstances(q: ListInput): Page<InstanceRecord> {
    this.sync();
    const { limit, offset } = checkPaging(q);
    const ids = q.ids ?? [];
    const filters = q.filters ?? [];
    checkIdsAndFilters(ids, filters, "InstanceIds");
    const byName = new Map<string, Set<string>>();
    for (const [n, f] of filters.entries()) {
      checkFilterShape(f, `Filters.${n}`);
      if (f.Name !== "auto-scaling-group-id" && f.Name !== "instance-id") {
        throw new ApiError(ErrorCodes.InvalidFilterName, `Filters.${n}.Name: unsupported filter "${f.Name}".`);
      }
      intersectInto(byName, f.Name, f.Values);
    }
    const st = this.stateRef;
    const wanted = ids.length > 0 ? new Set(ids) : byName.get("instance-id");
    const groupIds = byName.get("auto-scaling-group-id");
    let candidates: Iterable<InstanceRecord>;
    if (wanted) candidates = [...wanted].map((id) => st.instances.get(id)).filter((i): i is InstanceRecord => !!i);
    else if (groupIds) candidates = [...groupIds].flatMap((g) => (st.groups.get(g)?.instanceIds ?? []).map((id) => st.instances.get(id)!));
    else candidates = st.instances.values();
    return pageOf(candidates, (i) => (!wanted || wanted.has(i.id)) && (!groupIds || groupIds.has(i.groupId)), offset, limit);
  }

  // ------------------------------------------------------------------ admin

  /** Creates a group with instances. */
  seedGroup(spec: SeedGroupSpec): GroupRecord {
    const now = this.sync();
    const group = this.addSeedGroup(spec, now);
    this.markDirty();
    return group;
  }

  /** The next `count` refresh attempts of the instance fail with `message`. */
  failInstance(instanceId: string, message: string, count = 1): void {
    this.sync();
    if (!this.stateRef.instances.has(instanceId)) throw new AdminError(404, "NotFound", `instance ${instanceId} does not exist`);
    if (!Number.isInteger(count) || count < 1) throw new AdminError(400, "BadRequest", `count must be an integer >= 1`);
    this.stateRef.failures.set(instanceId, { message, remaining: count });
    this.markDirty();
  }

  /** Removes (destroys) an instance; entries of live activities become NOT_FOUND. */
  removeInstance(instanceId: string): void {
    const now = this.sync();
    const inst = this.stateRef.removeInstance(instanceId);
    if (!inst) throw new AdminError(404, "NotFound", `instance ${instanceId} does not exist`);
    for (const a of [...this.stateRef.live]) if (a.groupId === inst.groupId) this.machine.instanceRemoved(a, instanceId, now);
    this.markDirty();
    this.finish();
  }

  /** Pauses a non-terminal activity as the console would (MANUAL_PAUSE, no API rule checks). */
  consolePause(activityId: string): ActivityRecord {
    this.sync();
    const a = this.requireLiveForConsole(activityId);
    if (a.status !== "MANUAL_PAUSE") this.machine.stop(a);
    this.finish();
    return a;
  }

  /** Cancels a non-terminal activity as the console would (CANCELLED, even with a batch running). */
  consoleCancel(activityId: string): ActivityRecord {
    const now = this.sync();
    const a = this.requireLiveForConsole(activityId);
    this.machine.end(a, "CANCELLED", now);
    this.finish();
    return a;
  }

  /**
   * Pace control: performs the activity's next timed transition now, whatever the pace (INIT ends,
   * a surge phase ends, or the running batch ends). 409 when it waits for a call (paused) or ended.
   */
  stepActivity(activityId: string): ActivityRecord {
    const now = this.sync();
    const a = this.requireTimed(activityId);
    this.forceStep(a, now);
    this.finish();
    return a;
  }

  /**
   * Pace control: finishes the current batch now — or, before the first batch, the phases before it
   * and that batch — and stops once the next batch has started, or when the activity pauses or
   * ends. After the last batch the final scale-in is done too, so the activity ends. 409 when it
   * waits for a call (paused with no batch running) or ended.
   */
  finishBatch(activityId: string): ActivityRecord {
    const now = this.sync();
    const a = this.requireTimed(activityId);
    const target = a.phase === "BATCH_RUNNING" ? a.currentBatchNum : (a.batches.find((b) => b.status === "WAITING")?.num ?? Number.POSITIVE_INFINITY);
    for (let steps = 0; steps < MAX_STEPS_PER_ADVANCE; steps++) {
      if (a.phase === "BATCH_RUNNING" && a.currentBatchNum > target) break;
      if (!this.forceStep(a, now)) break;
    }
    this.finish();
    return a;
  }

  /** The activity holding a group (pace control by group); 409 when the group has none. */
  groupActivityId(groupId: string): string {
    const g = this.getGroup(groupId);
    if (!g.activeActivityId) throw new AdminError(409, "Conflict", `scaling group ${groupId} has no refresh activity in progress`);
    return g.activeActivityId;
  }

  /** An activity by id (admin). */
  getActivity(activityId: string): ActivityRecord {
    this.sync();
    const a = this.stateRef.activities.get(activityId);
    if (!a) throw new AdminError(404, "NotFound", `refresh activity ${activityId} does not exist`);
    return a;
  }

  /** A group by id (admin). */
  getGroup(groupId: string): GroupRecord {
    this.sync();
    const g = this.stateRef.groups.get(groupId);
    if (!g) throw new AdminError(404, "NotFound", `scaling group ${groupId} does not exist`);
    return g;
  }

  /** Back to the initial state: the fixture given at construction (or empty with `empty`), the default pace. */
  reset(empty = false): void {
    this.paceRef = DEFAULT_PACE;
    this.replaceState(new ModelState());
    if (!empty && this.fixture) this.loadFixture(this.fixture);
    this.markDirty();
  }

  /** Replaces the whole model with a snapshot (persistence). */
  loadSnapshot(snapshot: StateSnapshot): void {
    this.replaceState(ModelState.fromSnapshot(snapshot));
    this.advance();
  }

  /** Loads a fixture on top of the current state. */
  loadFixture(fixture: Fixture): void {
    const now = this.clock.now();
    for (const g of fixture.groups) this.addSeedGroup(g, now);
  }

  // ------------------------------------------------------------------ internals

  private replaceState(state: ModelState): void {
    this.stateRef = state;
    this.queue.clear();
    this.touchedSet.clear();
    this.describesSeen.clear();
    this.describedEnough.clear();
    for (const a of state.live) this.queue.schedule(a.id, this.machine.nextEventAt(a));
    this.armTimer();
  }

  private addSeedGroup(spec: SeedGroupSpec, now: number): GroupRecord {
    const st = this.stateRef;
    const id = spec.groupId ?? newId(IdPrefix.group, (x) => st.groups.has(x));
    if (!GROUP_ID.test(id)) throw new AdminError(400, "BadRequest", `groupId must look like asg-xxxxxxxx (8 lowercase alphanumerics), got "${id}"`);
    if (st.groups.has(id)) throw new AdminError(409, "Conflict", `scaling group ${id} already exists`);
    const instances: SeedInstanceSpec[] =
      spec.instances ?? Array.from({ length: spec.instanceCount ?? DEFAULT_SEED_INSTANCE_COUNT }, () => ({}));
    if (!Array.isArray(instances)) throw new AdminError(400, "BadRequest", `instances must be an array`);
    const seen = new Set<string>();
    for (const s of instances) {
      if (s.instanceId !== undefined) {
        if (!/^ins-[a-z0-9]{8}$/.test(s.instanceId)) throw new AdminError(400, "BadRequest", `instanceId must look like ins-xxxxxxxx, got "${s.instanceId}"`);
        if (st.instances.has(s.instanceId) || seen.has(s.instanceId)) throw new AdminError(409, "Conflict", `instance ${s.instanceId} already exists`);
        seen.add(s.instanceId);
      }
    }
    const zones = spec.zones && spec.zones.length > 0 ? spec.zones : ["ap-guangzhou-3", "ap-guangzhou-4"];
    const group: GroupRecord = {
      id,
      name: spec.name ?? id,
      createdAt: now,
      launchConfigurationId: spec.launchConfigurationId ?? `asc-${id.slice(4)}`,
      launchConfigurationName: `lc-${spec.name ?? id}`,
      minSize: spec.minSize ?? 0,
      maxSize: spec.maxSize ?? Math.max(instances.length * 2, 10),
      desiredCapacity: instances.length,
      vpcId: "vpc-emulator",
      subnetIds: ["subnet-emulator"],
      zones,
      instanceIds: [],
      activeActivityId: null,
    };
    st.addGroup(group);
    instances.forEach((s, n) => {
      st.addInstance({
        id: s.instanceId ?? newId(IdPrefix.instance, (x) => st.instances.has(x) || seen.has(x)),
        groupId: id,
        lifeCycleState: s.lifeCycleState ?? "IN_SERVICE",
        healthStatus: s.healthStatus ?? "HEALTHY",
        protectedFromScaleIn: s.protectedFromScaleIn ?? false,
        zone: s.zone ?? zones[n % zones.length]!,
        creationType: "AUTO_CREATION",
        instanceType: s.instanceType ?? "S5.MEDIUM4",
        addedAt: now,
        surge: false,
      });
    });
    return group;
  }

  private latestSuccessfulNormal(groupId: string): ActivityRecord | undefined {
    const list = this.stateRef.activitiesByGroup.get(groupId) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const a = list[i]!;
      if (a.type === "NORMAL" && a.status === "SUCCESSFUL") return a;
    }
    return undefined;
  }

  private requireGroup(groupId: string): GroupRecord {
    const g = this.stateRef.groups.get(groupId);
    if (!g) throw new ApiError(ErrorCodes.AutoScalingGroupIdNotFound, `The scaling group ${groupId} does not exist.`);
    return g;
  }

  private requireActivity(groupId: string, activityId: string): ActivityRecord {
    const a = this.stateRef.activities.get(activityId);
    if (!a || a.groupId !== groupId) {
      throw new ApiError(ErrorCodes.RefreshActivityNotFound, `The refresh activity ${activityId} does not exist in scaling group ${groupId}.`);
    }
    return a;
  }

  /** A live activity with a timed transition pending (pace control); 404 / 409 otherwise. */
  private requireTimed(activityId: string): ActivityRecord {
    const a = this.requireLiveForConsole(activityId);
    if (this.machine.nextEventAt(a) === null) {
      throw new AdminError(409, "Conflict", `refresh activity ${activityId} is ${a.status} and waits for a call (no batch running or due)`);
    }
    return a;
  }

  /**
   * Performs the activity's next timed transition now (pace control). A rollback waiting for its
   * paused original's running instances lets them finish first, as on the clock. Returns false when
   * nothing was pending.
   */
  private forceStep(a: ActivityRecord, at: number): boolean {
    if (TERMINAL_STATUSES.has(a.status)) return false;
    if (a.type === "ROLLBACK" && a.phase === "INIT") {
      const origin = this.stateRef.activities.get(a.originId);
      if (origin && origin.supersededBy === a.id) this.forceStep(origin, at);
    }
    if (!this.machine.hurry(a, at)) return false;
    this.describesSeen.delete(a.id);
    this.machine.step(a, at);
    this.touchedSet.add(a);
    this.flush();
    return true;
  }

  /** `afterDescribes` pace: counts one describe of each activity answered, marking those due. */
  private countDescribes(items: readonly ActivityRecord[], describes: number): void {
    for (const a of items) {
      if (TERMINAL_STATUSES.has(a.status) || this.machine.nextEventAt(a) === null) continue;
      const seen = (this.describesSeen.get(a.id) ?? 0) + 1;
      if (seen >= describes) {
        this.describesSeen.delete(a.id);
        this.describedEnough.add(a.id);
      } else {
        this.describesSeen.set(a.id, seen);
      }
    }
  }

  private requireLiveForConsole(activityId: string): ActivityRecord {
    const a = this.stateRef.activities.get(activityId);
    if (!a) throw new AdminError(404, "NotFound", `refresh activity ${activityId} does not exist`);
    if (TERMINAL_STATUSES.has(a.status)) throw new AdminError(409, "Conflict", `refresh activity ${activityId} already ended (${a.status})`);
    return a;
  }

  /** Advances to now and returns now. */
  private sync(): number {
    this.advance();
    return this.clock.now();
  }

  /** Applies bookkeeping for activities changed by an operation (and, when paced, what that made due). */
  private finish(): void {
    this.flush();
    if (this.paceRef.mode === "immediate") this.advance();
    this.armTimer();
  }

  private flush(): void {
    if (this.touchedSet.size === 0) return;
    for (const a of this.touchedSet) {
      this.stateRef.refreshLiveness(a);
      this.queue.schedule(a.id, TERMINAL_STATUSES.has(a.status) ? null : this.machine.nextEventAt(a));
    }
    this.touchedSet.clear();
    this.markDirty();
  }

  private markDirty(): void {
    for (const l of this.dirtyListeners) l();
  }

  /** With the real clock, wakes up at the next transition so state moves without requests. */
  private armTimer(): void {
    if (this.closed || this.clock.kind !== "real" || this.paceRef.mode !== "clock") return;
    const at = this.queue.peekTime();
    if (at === null) return;
    if (this.timer && this.timerAt !== null && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = null;
      this.advance();
    }, Math.max(0, at - this.clock.now()));
    this.timer.unref();
  }
}

/** Fills in the documented defaults of RefreshSettings. */
export function normalizeSettings(input: RefreshSettingsInput): RefreshSettings {
  const r = input.RollingUpdateSettings;
  return {
    RollingUpdateSettings: {
      BatchNumber: r.BatchNumber,
      BatchPause: r.BatchPause ?? "AUTOMATIC",
      MaxSurge: r.MaxSurge ?? 0,
      FailProcess: r.FailProcess ?? "AUTO_PAUSE",
    },
    CheckInstanceTargetHealth: input.CheckInstanceTargetHealth ?? false,
    CheckInstanceTargetHealthTimeout: input.CheckInstanceTargetHealthTimeout ?? DEFAULT_CHECK_TARGET_HEALTH_TIMEOUT,
  };
}

function checkPaging(q: ListInput): { limit: number; offset: number } {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const offset = q.offset ?? 0;
  if (limit > MAX_LIMIT) throw new ApiError(ErrorCodes.ValueLimitExceeded, `Limit must be at most ${MAX_LIMIT}, got ${limit}.`);
  // inferred: Limit 0 or negative is rejected.
  if (limit < 1) throw new ApiError(ErrorCodes.InvalidParameterValue, `Limit must be between 1 and ${MAX_LIMIT}, got ${limit}.`);
  if (offset < 0) throw new ApiError(ErrorCodes.InvalidParameterValue, `Offset must be >= 0, got ${offset}.`);
  return { limit, offset };
}

function checkIdsAndFilters(ids: string[], filters: Filter[], idsName: string): void {
  // inferred: an empty list counts as "not given".
  if (ids.length > 0 && filters.length > 0) {
    throw new ApiError(ErrorCodes.InvalidParameterConflict, `${idsName} and Filters cannot be specified at the same time.`);
  }
  if (ids.length > MAX_IDS_PER_REQUEST) {
    throw new ApiError(ErrorCodes.ValueLimitExceeded, `${idsName} accepts at most ${MAX_IDS_PER_REQUEST} ids, got ${ids.length}.`);
  }
  if (filters.length > MAX_FILTERS) {
    throw new ApiError(ErrorCodes.ValueLimitExceeded, `Filters accepts at most ${MAX_FILTERS} filters, got ${filters.length}.`);
  }
}

function checkFilterShape(f: Filter, where: string): void {
  if (f.Values.length === 0) throw new ApiError(ErrorCodes.InvalidFilter, `${where}.Values must not be empty.`);
  if (f.Values.length > MAX_FILTER_VALUES) {
    throw new ApiError(ErrorCodes.FilterValuesTooLong, `${where}.Values accepts at most ${MAX_FILTER_VALUES} values, got ${f.Values.length}.`);
  }
}

/** Filters with the same name are ANDed: keep the intersection of their values. */
function intersectInto(byName: Map<string, Set<string>>, name: string, values: string[]): void {
  const prev = byName.get(name);
  const next = new Set(values);
  byName.set(name, prev ? new Set([...prev].filter((v) => next.has(v))) : next);
}

function* reversed<T>(list: readonly T[]): Iterable<T> {
  for (let i = list.length - 1; i >= 0; i--) yield list[i]!;
}

function newestFirst(a: ActivityRecord, b: ActivityRecord): number {
  return b.seq - a.seq;
}

function pageOf<T>(candidates: Iterable<T>, match: (x: T) => boolean, offset: number, limit: number): Page<T> {
  const items: T[] = [];
  let total = 0;
  for (const c of candidates) {
    if (!match(c)) continue;
    if (total >= offset && items.length < limit) items.push(c);
    total++;
  }
  return { total, items };
}

/** Re-exported for views: statuses in which an activity is paused. */
export { PAUSED_STATUSES, TERMINAL_STATUSES };
export type { ActivityStatus };
