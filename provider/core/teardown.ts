/**
 * delete: cancel what the resource started. Nothing for an activity that has ended (said in the
 * output); otherwise as the cloud's `cancelPlan` says: pause, wait for the running batch, then
 * cancel; or cancel at once and wait out the cancelling; or wait for an activity the API lets no one
 * stop. A rollback the resource asked for (`rollback: true`) is cancelled the same way, first. Rides
 * out API outages like a wait, and stops waiting on Ctrl-C (the resource stays in state; `pulumi
 * destroy` again continues).
 */
import { describeActivity, type FlowContext, type Tracked } from "./context";
import { ACTIVE_PHASES, PAUSED_PHASES, TERMINAL_PHASES } from "./model";
import { mutate } from "./mutate";
import { OutageWatch } from "./outage";
import { isRetryable } from "./port";

/** Polls of delete between two pauses of an activity that was resumed behind its back. @default 10 */
export const RESTOP_EVERY_POLLS = 10;

/** What delete needs to know of the resource. */
export interface DeleteTarget {
  readonly id: string;
  readonly groupId: string;
  /** How long to wait for the running batch before cancelling, seconds. */
  readonly timeoutSeconds: number;
  /** True when the resource asked for a rollback (`rollback: true`): it is cancelled too. */
  readonly rollback?: boolean;
  /** The rollback recorded in state, when there is one. */
  readonly rollbackActivityId?: string;
}

/** Deletes the resource: cancels its rollback (when it asked for one), then its refresh. */
export async function deleteFlow<N, I, O extends object>(ctx: FlowContext<N, I, O>, target: DeleteTarget): Promise<void> {
  const deadline = ctx.now() + target.timeoutSeconds * 1000;
  const origin = await describeActivity(ctx, target.id);
  if (target.rollback) {
    const rollbackId = target.rollbackActivityId ?? (origin && !origin.view.isRollback ? await ctx.backend.rollbackOf(origin.view) : undefined);
    if (rollbackId) await cancelActivity(ctx, rollbackId, target, deadline);
  }
  await cancelActivity(ctx, target.id, target, deadline, origin ?? null);
}

/**
 * Cancels one activity. `known` is the activity when it was just described (null when the API
 * did not know it), undefined to describe it here.
 */
export async function cancelActivity<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  id: string,
  target: DeleteTarget,
  deadline: number,
  known?: Tracked<N> | null,
): Promise<void> {
  const { backend } = ctx;
  const { actions } = backend.words;
  let tracked = known === undefined ? await describeActivity(ctx, id) : (known ?? undefined);
  const subject = `${tracked?.view.groupId ?? target.groupId} ${id}`;
  if (!tracked) {
    ctx.log(`${subject}: the API no longer knows this refresh; nothing to cancel`);
    return;
  }
  if (TERMINAL_PHASES.has(tracked.view.phase)) {
    ctx.log(`${subject}: already ${tracked.view.status}${tracked.view.endTime ? ` (ended ${tracked.view.endTime})` : ""} before the delete reached it; nothing to cancel`);
    return;
  }
  const groupId = tracked.view.groupId || target.groupId;

  if (backend.cancelPlan(tracked.view) === "pauseFirst" && ACTIVE_PHASES.has(tracked.view.phase)) {
    ctx.log(`${subject}: ${tracked.view.status}; pausing before cancelling — ${actions.pause}`);
    const view = tracked.view;
    await mutate(
      ctx,
      async () => {
        try {
          await backend.pause(view);
        } catch (error) {
          // Already paused or ended in the meantime: fine, the loop below looks at the status.
          if (backend.classify(error).class !== "conflict") throw error;
        }
      },
      async () => {
        const now = await describeActivity(ctx, id);
        return !now || !ACTIVE_PHASES.has(now.view.phase) ? { done: true, value: undefined } : { done: false };
      },
    );
  }

  const outage = new OutageWatch({
    subject,
    toleranceMs: ctx.outageToleranceMs,
    now: ctx.now,
    log: ctx.log,
    giveUp: (explanation) =>
      new Error(`Deleting refresh ${id} on ${groupId}: ${explanation}. It is still in state; run \`pulumi destroy\` again once the API answers.`),
  });
  let cancelSent = false;
  let waitNoticed = false;
  let lastLine = "";
  for (let attempt = 0; ; attempt++) {
    if (ctx.cancel.cancelled) {
      throw new Error(
        `Deleting refresh ${id} on ${groupId}: pulumi was cancelled (Ctrl-C) while waiting to cancel it; it is ${tracked.view.status} and still in state. Run \`pulumi destroy\` again to finish.`,
      );
    }
    let described: Tracked<N> | undefined;
    try {
      described = await describeActivity(ctx, id);
      outage.answered();
    } catch (error) {
      if (!isRetryable(backend.classify(error))) throw error;
      outage.failed(error as Error);
      outage.check();
      await ctx.sleep(backend.poller.intervalMs);
      continue;
    }
    if (!described || TERMINAL_PHASES.has(described.view.phase)) {
      if (described?.view.phase === "cancelled") ctx.log(`${subject}: ${described.view.status}`);
      else if (described) ctx.log(`${subject}: ${described.view.status} before it could be cancelled; nothing was cancelled`);
      return;
    }
    tracked = described;
    const { view } = tracked;
    const line = backend.progressLine(tracked.record);
    if (line !== lastLine) ctx.log((lastLine = line));
    const plan = backend.cancelPlan(view);
    const cancellable = plan === "cancel" ? view.phase !== "cancelling" : plan === "pauseFirst" && PAUSED_PHASES.has(view.phase) && !view.stepRunning;
    if (plan === "waitForEnd" && !waitNoticed) {
      waitNoticed = true;
      ctx.log(`${subject}: ${view.status} cannot be paused or cancelled (the API refuses both); waiting for it to end`);
    }
    if (cancellable && !(plan === "cancel" && cancelSent)) {
      try {
        await backend.cancel(view);
        if (!cancelSent) ctx.log(`${subject}: cancelling — ${actions.cancel}`);
        cancelSent = true;
      } catch (error) {
        // Refused while a batch still runs, or an unknown outcome: look at the state again.
        const info = backend.classify(error);
        if (info.class === "notFound") return;
        if (!isRetryable(info) && info.class !== "conflict") throw error;
      }
    } else if (plan === "pauseFirst" && ACTIVE_PHASES.has(view.phase) && attempt > 0 && attempt % RESTOP_EVERY_POLLS === 0) {
      // Resumed behind our back: pause again (a refused or failed pause is looked at on the next poll).
      try {
        await backend.pause(view);
      } catch (error) {
        const info = backend.classify(error);
        if (!isRetryable(info) && info.class !== "conflict") throw error;
      }
    }
    if (ctx.now() >= deadline) {
      throw new Error(
        `Deleting refresh ${id} on ${groupId}: still ${view.status} after ${target.timeoutSeconds} s (${plan === "waitForEnd" ? "waiting for it to end" : plan === "cancel" ? "waiting for the cancel to take effect" : "waiting for the running batch to end before cancelling"}). Run \`pulumi destroy\` again to keep waiting.`,
      );
    }
    await ctx.sleep(backend.poller.intervalMs);
  }
}
