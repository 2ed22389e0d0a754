/**
 * The model behind the Tencent Cloud Auto Scaling API: groups, instances and refresh activities,
 * with every API rule. No HTTP here: methods take decoded requests, return records, and throw
 * `ApiError` (cloud API) or `AdminError` (admin API). The model advances lazily on every
 * call and whenever the clock moves.
 *
 * A thin facade: the clocked core is `model.ts`, and each flow has its module — the refresh actions
 * (`refreshActions.ts`), the Describe actions (`describe.ts`), the admin operations (`adminOps.ts`)
 * and seeding (`seeding.ts`).
 */
import type { Clock } from "../clock";
import type { GroupHealthReport } from "../health";
import { DEFAULT_SECONDS_PER_BATCH, type Pace } from "../pace";
import * as admin from "./adminOps";
import * as describe from "./describe";
import type { ListInput, Page } from "./listQuery";
import { RefreshModel } from "./model";
import * as refresh from "./refreshActions";
import type { RollbackInput, StartInput } from "./refreshActions";
import { addSeedGroup, type Fixture, type SeedGroupSpec } from "./seeding";
import { ModelState, type StateSnapshot } from "./state";
import { timingFor, type Timing } from "./stateMachine";
import type { ActivityRecord, GroupRecord, InstanceRecord, ResumeMode } from "./types";
import { groupHealth } from "./versions";

/** Options of {@link Backend}. */
export interface BackendOptions {
  clock: Clock;
  /** @default 2 */
  secondsPerBatch?: number;
  /** Initial content. */
  fixture?: Fixture;
}

/** The emulated Auto Scaling service. */
export class Backend {
  /** The model's clock. */
  readonly clock: Clock;
  /** How long INIT, a surge phase and a batch take. */
  readonly timing: Timing;
  private readonly model: RefreshModel;
  private readonly fixture: Fixture | undefined;
  private readonly unsubscribeClock: () => void;

  constructor(options: BackendOptions) {
    this.clock = options.clock;
    const secondsPerBatch = options.secondsPerBatch ?? DEFAULT_SECONDS_PER_BATCH;
    if (!(secondsPerBatch > 0) || !Number.isFinite(secondsPerBatch)) throw new RangeError(`secondsPerBatch must be > 0, got ${secondsPerBatch}`);
    this.timing = timingFor(secondsPerBatch);
    this.fixture = options.fixture;
    this.model = new RefreshModel(this.clock, this.timing);
    if (this.fixture) this.loadFixture(this.fixture);
    this.unsubscribeClock = this.clock.onChange(() => this.model.advance());
  }

  /** The current model (read-only use, e.g. views and persistence). */
  get state(): ModelState {
    return this.model.state;
  }

  /** Subscribes to "something changed" (used by persistence); returns an unsubscribe function. */
  onDirty(listener: () => void): () => void {
    return this.model.onDirty(listener);
  }

  /** The current {@link Pace}. */
  get pace(): Pace {
    return this.model.pace;
  }

  /**
   * Sets how timed transitions happen (see {@link Pace}); applies at once (`immediate` runs every
   * activity to its next stop; back to `clock`, transitions already due on the clock happen).
   */
  setPace(pace: Pace): void {
    this.model.setPace(pace);
  }

  /** Runs every transition the pace makes due now (for the `clock` pace: up to the clock's time). */
  advance(): void {
    this.model.advance();
  }

  /** Stops timers and clock subscriptions. */
  close(): void {
    this.model.close();
    this.unsubscribeClock();
  }

  // ------------------------------------------------------------------ cloud API

  /** StartInstanceRefresh. Returns the new activity. */
  startInstanceRefresh(req: StartInput): ActivityRecord {
    return refresh.startInstanceRefresh(this.model, req);
  }

  /** StopInstanceRefresh: only while INIT or RUNNING, and not during the final MaxSurge scale-in. */
  stopInstanceRefresh(groupId: string, activityId: string): void {
    refresh.stopInstanceRefresh(this.model, groupId, activityId);
  }

  /** ResumeInstanceRefresh: only from FAILED_PAUSE, AUTO_PAUSE or MANUAL_PAUSE. */
  resumeInstanceRefresh(groupId: string, activityId: string, mode: ResumeMode = "RETRY"): void {
    refresh.resumeInstanceRefresh(this.model, groupId, activityId, mode);
  }

  /** CancelInstanceRefresh: only from a pause with no batch running. */
  cancelInstanceRefresh(groupId: string, activityId: string): void {
    refresh.cancelInstanceRefresh(this.model, groupId, activityId);
  }

  /** RollbackInstanceRefresh. Returns the new ROLLBACK activity. */
  rollbackInstanceRefresh(req: RollbackInput): ActivityRecord {
    return refresh.rollbackInstanceRefresh(this.model, req);
  }

  /** DescribeRefreshActivities: ids XOR filters, newest first. */
  describeRefreshActivities(q: ListInput): Page<ActivityRecord> {
    return describe.describeRefreshActivities(this.model, q);
  }

  /** DescribeAutoScalingGroups (ids or `auto-scaling-group-id` / `auto-scaling-group-name` filters). */
  describeAutoScalingGroups(q: ListInput): Page<GroupRecord> {
    return describe.describeAutoScalingGroups(this.model, q);
  }

  /** DescribeAutoScalingInstances (ids or `instance-id` / `auto-scaling-group-id` filters). */
  describeAutoScalingInstances(q: ListInput): Page<InstanceRecord> {
    return describe.describeAutoScalingInstances(this.model, q);
  }

  // ------------------------------------------------------------------ admin

  /** Creates a group with instances. */
  seedGroup(spec: SeedGroupSpec): GroupRecord {
    return admin.seedGroup(this.model, spec);
  }

  /** The next `count` refresh attempts of the instance fail with `message`. */
  failInstance(instanceId: string, message: string, count = 1): void {
    admin.failInstance(this.model, instanceId, message, count);
  }

  /**
   * Sets the group's launch-configuration version — what the next refresh rolls out — and with
   * `bad` marks that version bad (`true`) or good (`false`); see `versions.ts`. 404 for an unknown group.
   */
  setVersion(groupId: string, version: string, bad?: boolean): GroupRecord {
    return admin.setVersion(this.model, groupId, version, bad);
  }

  /** The health of a group's IN_SERVICE instances (the health endpoint), caught up with the pace; `undefined` for an unknown group. */
  groupHealth(groupId: string): GroupHealthReport | undefined {
    this.model.sync();
    return groupHealth(this.model.state, groupId);
  }

  /** Removes (destroys) an instance; entries of live activities become NOT_FOUND. */
  removeInstance(instanceId: string): void {
    admin.removeInstance(this.model, instanceId);
  }

  /** Pauses a non-terminal activity as the console would (MANUAL_PAUSE, no API rule checks). */
  consolePause(activityId: string): ActivityRecord {
    return admin.consolePause(this.model, activityId);
  }

  /** Cancels a non-terminal activity as the console would (CANCELLED, even with a batch running). */
  consoleCancel(activityId: string): ActivityRecord {
    return admin.consoleCancel(this.model, activityId);
  }

  /**
   * Pace control: performs the activity's next timed transition now, whatever the pace (INIT ends,
   * a surge phase ends, or the running batch ends). 409 when it waits for a call (paused) or ended.
   */
  stepActivity(activityId: string): ActivityRecord {
    return admin.stepActivity(this.model, activityId);
  }

  /**
   * Pace control: finishes the current batch now — or, before the first batch, the phases before it
   * and that batch — and stops once the next batch has started, or when the activity pauses or
   * ends. After the last batch the final scale-in is done too, so the activity ends. 409 when it
   * waits for a call (paused with no batch running) or ended.
   */
  finishBatch(activityId: string): ActivityRecord {
    return admin.finishBatch(this.model, activityId);
  }

  /** The activity holding a group (pace control by group); 409 when the group has none. */
  groupActivityId(groupId: string): string {
    return admin.groupActivityId(this.model, groupId);
  }

  /** An activity by id (admin). */
  getActivity(activityId: string): ActivityRecord {
    return admin.getActivity(this.model, activityId);
  }

  /** A group by id (admin). */
  getGroup(groupId: string): GroupRecord {
    return admin.getGroup(this.model, groupId);
  }

  /** Back to the initial state: the fixture given at construction (or empty with `empty`), the default pace. */
  reset(empty = false): void {
    this.model.resetPace();
    this.model.replaceState(new ModelState());
    if (!empty && this.fixture) this.loadFixture(this.fixture);
    this.model.markDirty();
  }

  /** Replaces the whole model with a snapshot (persistence). */
  loadSnapshot(snapshot: StateSnapshot): void {
    this.model.replaceState(ModelState.fromSnapshot(snapshot));
    this.model.advance();
  }

  /** Loads a fixture on top of the current state. */
  loadFixture(fixture: Fixture): void {
    const now = this.clock.now();
    for (const g of fixture.groups) addSeedGroup(this.model.state, g, now);
  }
}
