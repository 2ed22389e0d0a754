/**
 * The emulated ESS service: owns the model, drives the state machine from an injected Clock at the
 * pace `pacing.ts` sets, checks the API rules of each operation and offers admin operations for
 * tests (seedGroup, failInstance, markBadConfiguration, stepTask, finishWave, setPace, reset), the
 * health endpoint's report (groupHealth) and the state file (toSnapshot, loadSnapshot, onDirty).
 * Inputs arrive already decoded and range-checked by `actions.ts`.
 */
import { createHash } from "node:crypto";
import { RealClock, type Clock } from "../clock";
import type { GroupHealthReport } from "../health";
import type { Pace } from "../pace";
import { BadConfigurations, type BadConfiguration } from "./badConfigurations";
import { AcsError, EssAdminError, EssErrorCodes } from "./errors";
import { newId } from "./ids";
import {
  CANCELLABLE_STATUSES,
  DEFAULT_LAUNCH_TEMPLATE_VERSION,
  NO_ROLLBACK_LAUNCH_TEMPLATE_VERSIONS,
  RESUMABLE_STATUSES,
  ROLLBACKABLE_STATUSES,
  SUSPENDABLE_STATUSES,
  TERMINAL_STATUSES,
  waveSize,
} from "./inferred";
import {
  ESS_SNAPSHOT_VERSION,
  RefreshLimits,
  cloneConfig,
  configFingerprint,
  emptyConfig,
  type ContainerSpec,
  type DesiredConfiguration,
  type EssSnapshot,
  type GroupRecord,
  type InstanceConfig,
  type InstanceRecord,
  type TaskRecord,
  type TaskStatus,
} from "./model";
import { TaskPacer } from "./pacing";
import { seedRecords, type SeedGroupSpec } from "./seeding";
import { DEFAULT_TIMING, RefreshMachine, type Timing } from "./stateMachine";

/** Most transitions `finishWave` performs (a wave plus the pauses before it). */
const MAX_STEPS_PER_FINISH = 16;
/** setTimeout's largest delay (a 32-bit signed int of ms). */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** StartInstanceRefresh, decoded. */
export interface StartInput {
  regionId: string;
  scalingGroupId: string;
  clientToken?: string;
  minHealthyPercentage?: number;
  maxHealthyPercentage?: number;
  skipMatching?: boolean;
  desiredConfiguration: DesiredConfiguration;
  checkpoints: number[];
  checkpointPauseTime?: number;
  strategy?: string;
}

/** Suspend/Resume/Cancel/RollbackInstanceRefresh, decoded. */
export interface TaskRef {
  regionId: string;
  scalingGroupId: string;
  instanceRefreshTaskId: string;
}

/** DescribeInstanceRefreshes selection, decoded (paging is the caller's). */
export interface TaskQuery {
  regionId: string;
  scalingGroupId?: string;
  taskIds?: string[];
}

/** Options of {@link EssBackend}. */
export interface EssBackendOptions {
  /** The model's clock. @default a RealClock */
  clock?: Clock;
  /** Durations of the timed steps. @default DEFAULT_TIMING */
  timing?: Partial<Timing>;
  /** Groups to create at once, and again on {@link EssBackend.reset} (the fixture). */
  groups?: SeedGroupSpec[];
}

const TERMINAL: ReadonlySet<TaskStatus> = new Set(TERMINAL_STATUSES);

function statusIn(status: TaskStatus, allowed: readonly TaskStatus[]): boolean {
  return allowed.includes(status);
}

/** The emulated ESS service (one account, any number of regions). */
export class EssBackend {
  /** The model's clock. */
  readonly clock: Clock;
  /** Durations of the timed steps. */
  readonly timing: Timing;
  /** Groups by id. */
  readonly groups = new Map<string, GroupRecord>();
  /** Instances by id. */
  readonly instances = new Map<string, InstanceRecord>();
  /** Tasks by id. */
  readonly tasks = new Map<string, TaskRecord>();
  private readonly tokens = new Map<string, string>();
  private readonly badConfigurations = new BadConfigurations();
  private readonly machine: RefreshMachine;
  private readonly pacer: TaskPacer;
  private readonly fixture: readonly SeedGroupSpec[];
  private readonly dirtyListeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private nextSeq = 1;
  private advancing = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: EssBackendOptions = {}) {
    this.clock = options.clock ?? new RealClock();
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    for (const [name, ms] of Object.entries(this.timing)) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`timing.${name} must be a finite number >= 0, got ${ms}`);
    }
    this.machine = new RefreshMachine(
      { groups: this.groups, instances: this.instances, newInstanceId: () => newId("instance", (id) => this.instances.has(id)) },
      this.timing,
    );
    this.pacer = new TaskPacer(this.machine);
    this.fixture = [...(options.groups ?? [])];
    for (const g of this.fixture) this.seedGroup(g);
    this.unsubscribe = this.clock.onChange(() => this.advance());
  }

  /** Runs every transition the pace makes due now (for the `clock` pace: up to the clock's time), then arms the wake-up timer. */
  advance(): void {
    if (this.advancing || this.closed) return;
    this.advancing = true;
    let moved = 0;
    try {
      moved = this.pacer.run(this.tasks, this.clock.now());
    } finally {
      this.advancing = false;
    }
    if (moved > 0) this.markDirty();
    this.armTimer();
  }

  /** The current {@link Pace} of timed transitions. */
  get pace(): Pace {
    return this.pacer.pace;
  }

  /**
   * Sets how timed transitions happen (see `pacing.ts`); applies at once (`immediate` runs every
   * task to its next stop; back to `clock`, transitions already due on the clock happen).
   */
  setPace(pace: Pace): void {
    this.pacer.set(pace);
    this.advance();
  }

  /** A DescribeInstanceRefreshes answer returned `tasks` (the `afterDescribes` pace counts them). */
  described(tasks: readonly TaskRecord[]): void {
    this.pacer.described(tasks);
  }

  /** Subscribes to "something changed" (the state file); returns an unsubscribe function. */
  onDirty(listener: () => void): () => void {
    this.dirtyListeners.add(listener);
    return () => this.dirtyListeners.delete(listener);
  }

  /** Back to the initial state — the groups given at construction (none with `empty`) — and the default pace. */
  reset(empty = false): void {
    this.clear();
    this.pacer.reset();
    if (!empty) for (const g of this.fixture) this.seedGroup(g);
    this.markDirty();
    this.armTimer();
  }

  /** The whole model as the state file holds it. */
  toSnapshot(): EssSnapshot {
    return {
      version: ESS_SNAPSHOT_VERSION,
      nextSeq: this.nextSeq,
      groups: [...this.groups.values()],
      instances: [...this.instances.values()],
      tasks: [...this.tasks.values()],
      clientTokens: [...this.tokens.entries()],
      badConfigurations: this.badConfigurations.list(),
    };
  }

  /** Replaces the whole model with a snapshot (checked by `stateFile.ts`); the pace stays. */
  loadSnapshot(snapshot: EssSnapshot): void {
    this.clear();
    this.pacer.forgetCounts();
    for (const g of snapshot.groups) this.groups.set(g.id, g);
    for (const i of snapshot.instances) this.instances.set(i.id, i);
    for (const t of snapshot.tasks) this.tasks.set(t.id, t);
    for (const [token, taskId] of snapshot.clientTokens) this.tokens.set(token, taskId);
    this.badConfigurations.load(snapshot.badConfigurations ?? []);
    this.nextSeq = snapshot.nextSeq;
    this.advance();
  }

  /** Stops the wake-up timer and the clock subscription. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  // ------------------------------------------------------------------ cloud API

  /** StartInstanceRefresh. Returns the new task, or the task an earlier call with the same ClientToken created. */
  startInstanceRefresh(req: StartInput): TaskRecord {
    const now = this.sync();
    const fingerprint = createHash("sha256").update(JSON.stringify({ ...req, clientToken: undefined })).digest("hex");
    if (req.clientToken !== undefined) {
      const existing = this.tokens.get(req.clientToken);
      if (existing !== undefined) {
        const task = this.tasks.get(existing)!;
        if (task.requestFingerprint !== fingerprint) {
          throw new AcsError(EssErrorCodes.IdempotentParameterMismatch, "The request uses the same ClientToken as a previous, different request.");
        }
        return task;
      }
    }
    const group = this.requireGroup(req.regionId, req.scalingGroupId);
    if (group.lifecycleState !== "Active") {
      throw new AcsError(EssErrorCodes.IncorrectScalingGroupStatus, `The scaling group ${group.id} is ${group.lifecycleState}, not Active.`);
    }
    if (group.groupType === "ECS" && group.multiAzPolicy !== "PRIORITY") {
      throw new AcsError(EssErrorCodes.UnsupportedOperation, `Instance refresh supports ECS scaling groups with the PRIORITY scaling policy only; ${group.id} uses ${group.multiAzPolicy}.`);
    }
    if (group.activeTaskId !== null) {
      throw new AcsError(EssErrorCodes.IncorrectScalingGroupStatus, `The scaling group ${group.id} already has an instance refresh task in progress: ${group.activeTaskId}.`);
    }
    const target = this.targetConfig(group, req.desiredConfiguration);
    const skipMatching = req.skipMatching ?? RefreshLimits.skipMatchingDefault;
    const inService = group.instanceIds.map((id) => this.instances.get(id)!).filter((i) => i.lifecycleState === "InService");
    const targetKey = configFingerprint(target);
    const toRefresh = inService.filter((i) => i.creationType === "AutoCreated" && !(skipMatching && configFingerprint(i.config) === targetKey));
    if (toRefresh.length === 0) {
      throw new AcsError(EssErrorCodes.NoInstanceNeedBeRefreshed, `No instance of the scaling group ${group.id} needs to be refreshed.`);
    }
    const min = req.minHealthyPercentage ?? RefreshLimits.minHealthyPercentage.default;
    const max = req.maxHealthyPercentage ?? RefreshLimits.maxHealthyPercentage.default;
    const task: TaskRecord = {
      id: newId("instanceRefreshTask", (id) => this.tasks.has(id)),
      seq: this.nextSeq++,
      groupId: group.id,
      regionId: group.regionId,
      status: "Pending",
      detail: "",
      startTime: now,
      endTime: null,
      totalNeedUpdateCapacity: toRefresh.length,
      finishedUpdateCapacity: 0,
      minHealthyPercentage: min,
      maxHealthyPercentage: max,
      skipMatching,
      checkpointPauseTime: req.checkpointPauseTime ?? RefreshLimits.checkpointPauseTimeMinutes.default,
      checkpoints: [...req.checkpoints],
      strategy: req.strategy ?? null,
      desiredConfiguration: structuredClone(req.desiredConfiguration),
      targetConfig: target,
      previousConfig: cloneConfig(group.activeConfig),
      waveSize: waveSize(inService.length, min, max),
      pendingInstanceIds: toRefresh.map((i) => i.id),
      refreshedInstanceIds: [],
      wave: null,
      timerAt: now + this.timing.pendingMs,
      nextCheckpoint: 0,
      clientToken: req.clientToken ?? null,
      requestFingerprint: fingerprint,
    };
    this.tasks.set(task.id, task);
    if (req.clientToken !== undefined) this.tokens.set(req.clientToken, task.id);
    group.activeTaskId = task.id;
    group.latestTaskId = task.id;
    this.settle();
    return task;
  }

  /** SuspendInstanceRefresh: InProgress (or CheckpointPause) → Paused; refused during a rollback. */
  suspendInstanceRefresh(ref: TaskRef): TaskRecord {
    this.sync();
    const task = this.requireTask(ref);
    this.requireStatus(task, SUSPENDABLE_STATUSES, "suspended");
    this.machine.suspend(task);
    this.settle();
    return task;
  }

  /** ResumeInstanceRefresh: Paused (or CheckpointPause) → InProgress. */
  resumeInstanceRefresh(ref: TaskRef): TaskRecord {
    const now = this.sync();
    const task = this.requireTask(ref);
    this.requireStatus(task, RESUMABLE_STATUSES, "resumed");
    this.machine.resume(task, now);
    this.settle();
    return task;
  }

  /** CancelInstanceRefresh: → Cancelling → Cancelled; refused during a rollback. */
  cancelInstanceRefresh(ref: TaskRef): TaskRecord {
    const now = this.sync();
    const task = this.requireTask(ref);
    this.requireStatus(task, CANCELLABLE_STATUSES, "cancelled");
    this.machine.cancel(task, now);
    this.settle();
    return task;
  }

  /** RollbackInstanceRefresh: → RollbackInProgress → RollbackSuccessful | RollbackFailed. */
  rollbackInstanceRefresh(ref: TaskRef): TaskRecord {
    const now = this.sync();
    const task = this.requireTask(ref);
    this.requireStatus(task, ROLLBACKABLE_STATUSES, "rolled back");
    const version = task.targetConfig.launchTemplateVersion;
    if (task.desiredConfiguration.LaunchTemplateId !== undefined || task.desiredConfiguration.LaunchTemplateVersion !== undefined) {
      if (version !== null && (NO_ROLLBACK_LAUNCH_TEMPLATE_VERSIONS as readonly string[]).includes(version)) {
        throw new AcsError(EssErrorCodes.UnsupportedOperation, `A task whose LaunchTemplateVersion is ${version} cannot be rolled back.`);
      }
    }
    const group = this.groups.get(task.groupId)!;
    if (group.latestTaskId !== task.id) {
      throw new AcsError(EssErrorCodes.IncorrectInstanceRefreshTaskStatus, `Only the latest instance refresh task of ${group.id} (${group.latestTaskId}) can be rolled back.`);
    }
    if (group.activeTaskId !== null && group.activeTaskId !== task.id) {
      throw new AcsError(EssErrorCodes.IncorrectScalingGroupStatus, `The scaling group ${group.id} has another instance refresh task in progress: ${group.activeTaskId}.`);
    }
    this.machine.rollback(task, now);
    this.settle();
    return task;
  }

  /** DescribeInstanceRefreshes selection: the matching tasks, newest first. */
  describeInstanceRefreshes(q: TaskQuery): TaskRecord[] {
    this.sync();
    const ids = q.taskIds ? new Set(q.taskIds) : null;
    return [...this.tasks.values()]
      .filter((t) => t.regionId === q.regionId && (q.scalingGroupId === undefined || t.groupId === q.scalingGroupId) && (ids === null || ids.has(t.id)))
      .sort((a, b) => b.seq - a.seq);
  }

  /** DescribeScalingGroups selection: groups of the region, optionally by ids and names, oldest first. */
  describeScalingGroups(regionId: string, ids?: string[], names?: string[]): GroupRecord[] {
    this.sync();
    return [...this.groups.values()].filter(
      (g) => g.regionId === regionId && (!ids || ids.includes(g.id)) && (!names || names.includes(g.name)),
    );
  }

  /** DescribeScalingInstances selection: instances of the region's groups, optionally filtered. */
  describeScalingInstances(
    regionId: string,
    filter: { scalingGroupId?: string; instanceIds?: string[]; lifecycleState?: string; healthStatus?: string; creationType?: string },
  ): InstanceRecord[] {
    this.sync();
    const out: InstanceRecord[] = [];
    for (const g of this.groups.values()) {
      if (g.regionId !== regionId || (filter.scalingGroupId !== undefined && g.id !== filter.scalingGroupId)) continue;
      for (const id of g.instanceIds) {
        const i = this.instances.get(id)!;
        if (filter.instanceIds && !filter.instanceIds.includes(i.id)) continue;
        if (filter.lifecycleState !== undefined && i.lifecycleState !== filter.lifecycleState) continue;
        if (filter.healthStatus !== undefined && i.healthStatus !== filter.healthStatus) continue;
        if (filter.creationType !== undefined && i.creationType !== filter.creationType) continue;
        out.push(i);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ admin

  /** Creates a group with instances (admin; throws {@link EssAdminError} 400 on a bad spec, 409 on a taken id). */
  seedGroup(spec: SeedGroupSpec = {}): GroupRecord {
    const { group, instances } = seedRecords(spec, {
      now: this.clock.now(),
      groupExists: (id) => this.groups.has(id),
      instanceExists: (id) => this.instances.has(id),
    });
    this.groups.set(group.id, group);
    for (const i of instances) this.instances.set(i.id, i);
    this.markDirty();
    return group;
  }

  /** The next refresh (or rollback) of `instanceId` fails and fails its task with `message` as Detail. */
  failInstance(instanceId: string, message: string): void {
    this.sync();
    const inst = this.instances.get(instanceId);
    if (!inst) throw new EssAdminError(404, `instance ${instanceId} does not exist`);
    inst.failNext = message;
    this.markDirty();
  }

  /**
   * Marks a configuration bad (admin): an InService instance whose configuration has every member
   * `spec` names is unhealthy (`badConfigurations.ts`). 400 {@link EssAdminError} for a malformed spec.
   * @returns every mark, oldest first
   */
  markBadConfiguration(spec: unknown): BadConfiguration[] {
    this.badConfigurations.add(spec);
    this.markDirty();
    return this.badConfigurations.list();
  }

  /** The configurations marked bad, oldest first (admin). */
  listBadConfigurations(): BadConfiguration[] {
    return this.badConfigurations.list();
  }

  /** Removes every bad mark (admin). */
  clearBadConfigurations(): void {
    this.badConfigurations.clear();
    this.markDirty();
  }

  /** The health of a group's InService instances (the health endpoint), caught up with the pace; `undefined` for an unknown group. */
  groupHealth(groupId: string): GroupHealthReport | undefined {
    this.sync();
    const group = this.groups.get(groupId);
    return group ? this.badConfigurations.health(this.groupInstances(group.id)) : undefined;
  }

  /**
   * Performs the task's next timed transition now, whatever the clock says (Pending ends, the wave
   * in flight ends, a checkpoint pause ends, Cancelling settles). Throws when it waits for a call.
   */
  stepTask(taskId: string): TaskRecord {
    const now = this.sync();
    const task = this.getTask(taskId);
    if (this.pacer.forceStep(task, now) === null) throw waitsForACall(task);
    this.settle();
    return task;
  }

  /**
   * Finishes the wave in flight now — or, before it, the phases that precede it (Pending, a
   * checkpoint pause) and then that wave — and stops once the next wave has started or the task
   * paused or ended. Throws when the task waits for a call.
   */
  finishWave(taskId: string): TaskRecord {
    const now = this.sync();
    const task = this.getTask(taskId);
    for (let i = 0; i < MAX_STEPS_PER_FINISH; i++) {
      const kind = this.pacer.forceStep(task, now);
      if (kind === null && i === 0) throw waitsForACall(task);
      if (kind === null || kind === "wave") break;
    }
    this.settle();
    return task;
  }

  /** A task by id, caught up with the pace (admin; {@link EssAdminError} 404 when unknown). */
  getTask(taskId: string): TaskRecord {
    this.sync();
    const task = this.tasks.get(taskId);
    if (!task) throw new EssAdminError(404, `task ${taskId} does not exist`);
    return task;
  }

  /** A group by id, caught up with the pace (admin; {@link EssAdminError} 404 when unknown). */
  getGroup(groupId: string): GroupRecord {
    this.sync();
    return this.requireGroupRecord(groupId);
  }

  /** Every group, oldest first, caught up with the pace (admin). */
  allGroups(): GroupRecord[] {
    this.sync();
    return [...this.groups.values()];
  }

  /** The instances of a group, in order ({@link EssAdminError} 404 for an unknown group). */
  groupInstances(groupId: string): InstanceRecord[] {
    return this.requireGroupRecord(groupId).instanceIds.map((id) => this.instances.get(id)!);
  }

  // ------------------------------------------------------------------ internals

  /** Catches up with the clock and returns its time. */
  private sync(): number {
    this.advance();
    return this.clock.now();
  }

  /** After a change: what the pace makes due now happens (with `clock`, zero durations), the state file and the timer follow. */
  private settle(): void {
    this.markDirty();
    this.advance();
  }

  private markDirty(): void {
    for (const listener of this.dirtyListeners) listener();
  }

  /** Empties the model (reset, snapshot load). */
  private clear(): void {
    this.groups.clear();
    this.instances.clear();
    this.tasks.clear();
    this.tokens.clear();
    this.badConfigurations.clear();
    this.nextSeq = 1;
  }

  /** With the real clock and the `clock` pace, wakes up at the next transition so tasks move without requests. */
  private armTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed || this.clock.kind !== "real") return;
    const next = this.pacer.nextWakeUp(this.tasks);
    if (next === null) return;
    this.timer = setTimeout(() => this.advance(), Math.min(Math.max(0, next - this.clock.now()), MAX_TIMER_DELAY_MS));
    this.timer.unref();
  }

  private requireGroupRecord(groupId: string): GroupRecord {
    const group = this.groups.get(groupId);
    if (!group) throw new EssAdminError(404, `scaling group ${groupId} does not exist`);
    return group;
  }

  private requireGroup(regionId: string, groupId: string): GroupRecord {
    const group = this.groups.get(groupId);
    if (!group || group.regionId !== regionId) {
      throw new AcsError(EssErrorCodes.InvalidScalingGroupIdNotFound, `The specified scaling group ${groupId} does not exist in ${regionId}.`);
    }
    return group;
  }

  private requireTask(ref: TaskRef): TaskRecord {
    this.requireGroup(ref.regionId, ref.scalingGroupId);
    const task = this.tasks.get(ref.instanceRefreshTaskId);
    if (!task || task.groupId !== ref.scalingGroupId) {
      throw new AcsError(EssErrorCodes.InstanceRefreshTaskNotFound, `The instance refresh task ${ref.instanceRefreshTaskId} does not exist in scaling group ${ref.scalingGroupId}.`);
    }
    return task;
  }

  private requireStatus(task: TaskRecord, allowed: readonly TaskStatus[], verb: string): void {
    if (statusIn(task.status, allowed)) return;
    const why = task.status === "RollbackInProgress" ? " while it is being rolled back" : TERMINAL.has(task.status) ? " after it ended" : "";
    throw new AcsError(EssErrorCodes.IncorrectInstanceRefreshTaskStatus, `The instance refresh task ${task.id} is ${task.status} and cannot be ${verb}${why}.`);
  }

  /** The configuration refreshed instances get; refuses members the group's source does not allow. */
  private targetConfig(group: GroupRecord, d: DesiredConfiguration): InstanceConfig {
    const current = group.activeConfig;
    const fromTemplate = current.launchTemplateId !== null;
    const bad = (name: string, why: string) => new AcsError(EssErrorCodes.InvalidParameter, `The specified parameter "DesiredConfiguration.${name}" is not valid: ${why}`);
    if (d.Containers && group.groupType !== "ECI") throw bad("Containers", "only elastic container (ECI) scaling groups have containers.");
    if (group.groupType === "ECI" && (d.ImageId !== undefined || d.LaunchTemplateId !== undefined || d.LaunchTemplateVersion !== undefined)) {
      throw bad(d.ImageId !== undefined ? "ImageId" : "LaunchTemplateId", "an ECI scaling group takes Containers or ScalingConfigurationId.");
    }
    if (d.ImageId !== undefined && fromTemplate) throw bad("ImageId", "the scaling group's instances come from a launch template.");
    if (d.LaunchTemplateVersion !== undefined && d.LaunchTemplateId === undefined && !fromTemplate) {
      throw bad("LaunchTemplateVersion", "the scaling group has no launch template; give DesiredConfiguration.LaunchTemplateId.");
    }
    const target = cloneConfig(current);
    if (d.ScalingConfigurationId !== undefined && d.ScalingConfigurationId !== current.scalingConfigurationId) {
      // Another scaling configuration: its own image and instance types (not modelled).
      return { ...emptyConfig(), scalingConfigurationId: d.ScalingConfigurationId, containers: group.groupType === "ECI" ? target.containers : [] };
    }
    if (d.ImageId !== undefined) target.imageId = d.ImageId;
    if (d.LaunchTemplateId !== undefined || d.LaunchTemplateVersion !== undefined) {
      target.scalingConfigurationId = null;
      target.imageId = null;
      target.launchTemplateId = d.LaunchTemplateId ?? current.launchTemplateId;
      target.launchTemplateVersion = d.LaunchTemplateVersion ?? DEFAULT_LAUNCH_TEMPLATE_VERSION;
      target.instanceTypes = (d.LaunchTemplateOverrides ?? []).map((o) => o.InstanceType);
    }
    if (d.Containers) target.containers = mergeContainers(target.containers, d.Containers);
    return target;
  }
}

/** Containers of `current` updated by the desired ones with the same Name; new names are added. */
function mergeContainers(current: ContainerSpec[], desired: ContainerSpec[]): ContainerSpec[] {
  const out = current.map((c) => structuredClone(c));
  for (const d of desired) {
    const i = out.findIndex((c) => c.Name === d.Name);
    const merged: ContainerSpec = { ...(i >= 0 ? out[i] : { Name: d.Name }), ...structuredClone(d) };
    if (i >= 0) out[i] = merged;
    else out.push(merged);
  }
  return out;
}

/** The admin refusal of a step on a task that has no timed transition pending. */
function waitsForACall(task: TaskRecord): EssAdminError {
  return new EssAdminError(409, `task ${task.id} is ${task.status} and waits for a call`);
}
