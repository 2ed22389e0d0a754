/**
 * The clocked core of the Auto Scaling model: its state, the refresh state machine, the queue of
 * pending transitions and the pace. It advances lazily — before every operation ({@link
 * RefreshModel.sync}) and whenever the clock moves — and after an operation changed activities it
 * re-schedules them ({@link RefreshModel.finish}). The flows (`refreshActions.ts`, `describe.ts`,
 * `adminOps.ts`) operate on it; `backend.ts` composes them.
 */
import type { Clock } from "../clock";
import { EventQueue } from "../eventQueue";
import { newId } from "../ids";
import { DEFAULT_PACE, DescribeCounts, type Pace } from "../pace";
import { IdPrefix } from "./resourceIds";
import { ModelState } from "./state";
import { RefreshMachine, type MachineEnv, type Timing } from "./stateMachine";
import { TERMINAL_STATUSES, type ActivityRecord } from "./types";

/** Safety stop for one `advance()` or `finishBatch` (never reached by a consistent model). */
export const MAX_STEPS_PER_ADVANCE = 1_000_000;

/** State, state machine, pending transitions and pace of one emulated Auto Scaling service. */
export class RefreshModel {
  /** Transitions of refresh activities. */
  readonly machine: RefreshMachine;
  private stateRef: ModelState = new ModelState();
  private readonly queue = new EventQueue();
  private readonly touchedSet = new Set<ActivityRecord>();
  private readonly dirtyListeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt: number | null = null;
  private advancing = false;
  private closed = false;
  private paceRef: Pace = DEFAULT_PACE;
  /** `afterDescribes` pace: describes of each activity since its last transition, and those due to move. */
  private readonly describeCounts = new DescribeCounts();

  constructor(
    readonly clock: Clock,
    readonly timing: Timing,
  ) {
    const getState = (): ModelState => this.stateRef;
    const env: MachineEnv = {
      get state() {
        return getState();
      },
      timing,
      touched: (a) => this.touchedSet.add(a),
      dirty: () => this.markDirty(),
      newActivityId: () => newId(IdPrefix.refreshActivity, (id) => this.stateRef.activities.has(id)),
      newInstanceActivityId: () => newId(IdPrefix.instanceActivity),
      newInstanceId: () => newId(IdPrefix.instance, (id) => this.stateRef.instances.has(id)),
    };
    this.machine = new RefreshMachine(env);
  }

  /** The current model state. */
  get state(): ModelState {
    return this.stateRef;
  }

  /** The current {@link Pace}. */
  get pace(): Pace {
    return this.paceRef;
  }

  /** Subscribes to "something changed"; returns an unsubscribe function. */
  onDirty(listener: () => void): () => void {
    this.dirtyListeners.add(listener);
    return () => this.dirtyListeners.delete(listener);
  }

  /** Tells the {@link onDirty} listeners that something changed. */
  markDirty(): void {
    for (const l of this.dirtyListeners) l();
  }

  /** Sets the pace and applies it at once (see `Backend.setPace`). */
  setPace(pace: Pace): void {
    this.paceRef = pace.mode === "afterDescribes" ? { mode: pace.mode, describes: pace.describes } : { mode: pace.mode };
    this.describeCounts.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = null;
    this.advance();
  }

  /** Puts the pace back to {@link DEFAULT_PACE} without applying it (a reset replaces the state next). */
  resetPace(): void {
    this.paceRef = DEFAULT_PACE;
  }

  /** Runs every transition the pace makes due now (for the `clock` pace: up to the clock's time). */
  advance(): void {
    if (this.advancing || this.closed) return;
    this.advancing = true;
    try {
      const now = this.clock.now();
      const pace = this.paceRef.mode;
      if (pace === "afterDescribes") {
        for (const id of this.describeCounts.takeDue()) {
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

  /** Stops the timer; the model no longer advances. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Advances to now and returns now (first step of every operation). */
  sync(): number {
    this.advance();
    return this.clock.now();
  }

  /** Applies bookkeeping for activities changed by an operation (and, when paced, what that made due). */
  finish(): void {
    this.flush();
    if (this.paceRef.mode === "immediate") this.advance();
    this.armTimer();
  }

  /** Replaces the whole state, re-scheduling its live activities. */
  replaceState(state: ModelState): void {
    this.stateRef = state;
    this.queue.clear();
    this.touchedSet.clear();
    this.describeCounts.clear();
    for (const a of state.live) this.queue.schedule(a.id, this.machine.nextEventAt(a));
    this.armTimer();
  }

  /**
   * Performs the activity's next timed transition now (pace control). A rollback waiting for its
   * paused original's running instances lets them finish first, as on the clock. Returns false when
   * nothing was pending.
   */
  forceStep(a: ActivityRecord, at: number): boolean {
    if (TERMINAL_STATUSES.has(a.status)) return false;
    if (a.type === "ROLLBACK" && a.phase === "INIT") {
      const origin = this.stateRef.activities.get(a.originId);
      if (origin && origin.supersededBy === a.id) this.forceStep(origin, at);
    }
    if (!this.machine.hurry(a, at)) return false;
    this.describeCounts.forget(a.id);
    this.machine.step(a, at);
    this.touchedSet.add(a);
    this.flush();
    return true;
  }

  /** A describe answered these activities: the `afterDescribes` pace counts them, marking those due. */
  described(items: readonly ActivityRecord[]): void {
    if (this.paceRef.mode !== "afterDescribes") return;
    const describes = this.paceRef.describes;
    for (const a of items) {
      if (TERMINAL_STATUSES.has(a.status) || this.machine.nextEventAt(a) === null) continue;
      this.describeCounts.count(a.id, describes);
    }
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
