/**
 * The pace of ESS tasks' timed transitions (`../pace.ts`, the same modes as Tencent Cloud's model):
 * which transitions `EssBackend.advance` performs now, and transitions on demand (the admin step
 * helpers and the `afterDescribes` pace).
 * - `clock`: every transition due by the clock's time, each at its own time (the one-week limit included).
 * - `manual`: none; only {@link TaskPacer.forceStep} (admin `stepTask`, `finishWave`) moves a task.
 * - `immediate`: every task runs to its next stop at once — a call it waits for (Paused), a
 *   CheckpointPause (a pause, as Tencent Cloud's pause gates; it ends by Resume or a step), a
 *   failure, the end.
 * - `afterDescribes`: a task that DescribeInstanceRefreshes answers returned `describes` times while
 *   it had a timed transition pending takes one transition before the next request is served; a
 *   CheckpointPause is a stop here too (its end is minutes away: it ends by Resume or a step).
 */
import { DEFAULT_PACE, DescribeCounts, type Pace } from "../pace";
import { TERMINAL_STATUSES } from "./inferred";
import type { TaskRecord, TaskStatus } from "./model";
import type { RefreshMachine, TaskEvent, TaskEventKind } from "./stateMachine";

/** Safety stop for one run of the pace (never reached by a consistent model). */
export const MAX_TRANSITIONS_PER_ADVANCE = 1_000_000;

const TERMINAL: ReadonlySet<TaskStatus> = new Set(TERMINAL_STATUSES);

/** The pace of a model's tasks. */
export class TaskPacer {
  private paceRef: Pace = DEFAULT_PACE;
  private readonly describeCounts = new DescribeCounts();

  /** @param machine the transitions of tasks */
  constructor(private readonly machine: RefreshMachine) {}

  /** The current {@link Pace}. */
  get pace(): Pace {
    return this.paceRef;
  }

  /** Sets the pace (a copy); describe counts start again. */
  set(pace: Pace): void {
    this.paceRef = pace.mode === "afterDescribes" ? { mode: pace.mode, describes: pace.describes } : { mode: pace.mode };
    this.describeCounts.clear();
  }

  /** Back to {@link DEFAULT_PACE}, no counts (a reset, a new state). */
  reset(): void {
    this.paceRef = DEFAULT_PACE;
    this.describeCounts.clear();
  }

  /** Forgets the describe counts (the tasks were replaced). */
  forgetCounts(): void {
    this.describeCounts.clear();
  }

  /** Performs what the pace makes due at `now` among `tasks`; returns how many transitions happened. */
  run(tasks: ReadonlyMap<string, TaskRecord>, now: number): number {
    switch (this.paceRef.mode) {
      case "clock":
        return this.runClock(tasks, now);
      case "immediate":
        return this.runImmediate(tasks, now);
      case "afterDescribes": {
        let moved = 0;
        for (const id of this.describeCounts.takeDue()) {
          const task = tasks.get(id);
          if (task && this.forceStep(task, now) !== null) moved++;
        }
        return moved;
      }
      case "manual":
        return 0;
    }
  }

  /**
   * Performs the task's next timed transition at `now`, whatever the pace and its due time (the
   * one-week limit aside); returns its kind, or null when the task waits for a call or ended.
   */
  forceStep(task: TaskRecord, now: number): TaskEventKind | null {
    const event = this.machine.nextEvent(task, false);
    if (!event) return null;
    this.describeCounts.forget(task.id);
    this.machine.apply(task, event.kind, now);
    return event.kind;
  }

  /** A DescribeInstanceRefreshes answer returned `tasks`: the `afterDescribes` pace counts those with a transition pending. */
  described(tasks: readonly TaskRecord[]): void {
    if (this.paceRef.mode !== "afterDescribes") return;
    for (const task of tasks) {
      if (TERMINAL.has(task.status) || task.status === "CheckpointPause" || this.machine.nextEvent(task, false) === null) continue;
      this.describeCounts.count(task.id, this.paceRef.describes);
    }
  }

  /** When the `clock` pace next has a transition to perform (null with another pace, or none pending). */
  nextWakeUp(tasks: ReadonlyMap<string, TaskRecord>): number | null {
    if (this.paceRef.mode !== "clock") return null;
    let next: number | null = null;
    for (const task of tasks.values()) {
      const e = this.machine.nextEvent(task);
      if (e && (next === null || e.at < next)) next = e.at;
    }
    return next;
  }

  /** Every transition due by `now`, earliest first, each at its own time. */
  private runClock(tasks: ReadonlyMap<string, TaskRecord>, now: number): number {
    for (let moved = 0; moved < MAX_TRANSITIONS_PER_ADVANCE; moved++) {
      let due: { task: TaskRecord; event: TaskEvent } | null = null;
      for (const task of tasks.values()) {
        const event = this.machine.nextEvent(task);
        if (event && event.at <= now && (!due || event.at < due.event.at)) due = { task, event };
      }
      if (!due) return moved;
      this.machine.apply(due.task, due.event.kind, due.event.at);
    }
    return MAX_TRANSITIONS_PER_ADVANCE;
  }

  /** Every task to its next stop, now; a CheckpointPause is a stop. */
  private runImmediate(tasks: ReadonlyMap<string, TaskRecord>, now: number): number {
    let moved = 0;
    for (const task of tasks.values()) {
      for (let steps = 0; steps < MAX_TRANSITIONS_PER_ADVANCE; steps++) {
        const event = this.machine.nextEvent(task, false);
        if (!event || (event.kind === "timer" && task.status === "CheckpointPause")) break;
        this.machine.apply(task, event.kind, now);
        moved++;
      }
    }
    return moved;
  }
}
