/**
 * Waiting on an activity: on the shared poller, with a progress line on every change, pausing or
 * passing approved gates on the way, riding out API outages up to the configured tolerance, and
 * stopping at once on Ctrl-C. A wait that ends before the activity did keeps the resource in state.
 */
import { describeActivity, failureWith, track, type FlowContext, type Tracked } from "./context";
import type { InstanceRefreshFailure } from "./errors";
import { InstanceRefreshRejected } from "./errors";
import { ACTIVE_PHASES, waitIsOver, waitStep, type Step } from "./model";
import { mutate } from "./mutate";
import { OutageWatch } from "./outage";
import { isRetryable, type Intent, type OutputExtras } from "./port";
import type { PollEvent } from "./poller";

/** Longest sleep of a wait between two looks at its outage watch, ms (at most a quarter of the outage tolerance). @default 5000 */
export const WAIT_WAKE_INTERVAL_MS = 5000;

/** How long and for what to wait. */
export interface WaitPlan {
  readonly until: "started" | "settled";
  readonly timeoutSeconds: number;
}

/** Snapshot used to tell whether a resume took effect. */
const pauseKey = (t: Tracked<unknown> | undefined) => `${t?.view.status}/${t?.view.step}`;

/** Explains an operation refused because of the activity's status. */
export function explainConflict(tracked: Tracked<unknown>, operation: string, error: unknown): Error {
  const { view } = tracked;
  let hint = "";
  if (view.phase === "cancelled") hint = " It was cancelled; a cancelled refresh cannot be resumed. Change an entry of `triggers` to start a new refresh.";
  else if (view.phase === "failed") hint = " It failed; change an entry of `triggers` to start a new refresh.";
  else if (view.phase === "succeeded") hint = " It already finished successfully.";
  return new InstanceRefreshRejected(
    `${operation} of refresh ${view.id} on ${view.groupId} is not allowed in status ${view.status}.${hint}`,
    undefined,
    error === undefined ? undefined : { cause: error },
  );
}

/** Performs a converge step on the activity. */
export async function perform<N, I, O extends object>(ctx: FlowContext<N, I, O>, tracked: Tracked<N>, step: Step, inputs: I): Promise<void> {
  const { view } = tracked;
  const { actions } = ctx.backend.words;
  const intent = ctx.backend.intent(inputs);
  try {
    if (step.kind === "pause") {
      ctx.log(`${view.groupId} ${view.id}: pausing (paused: true) — ${actions.pause}`);
      await mutate(
        ctx,
        () => ctx.backend.pause(view),
        async () => {
          const now = await describeActivity(ctx, view.id);
          return now && !ACTIVE_PHASES.has(now.view.phase) ? { done: true, value: undefined } : { done: false };
        },
      );
    } else if (step.kind === "resume") {
      ctx.log(`${view.groupId} ${view.id}: resuming${intent.resumeMode ? ` with ${intent.resumeMode}` : ""} (${step.reason}) — ${actions.resume}`);
      const before = pauseKey(tracked);
      await mutate(
        ctx,
        () => ctx.backend.resume(view, inputs),
        async () => {
          const now = await describeActivity(ctx, view.id);
          return now && pauseKey(now) !== before ? { done: true, value: undefined } : { done: false };
        },
      );
    }
  } catch (error) {
    if (ctx.backend.classify(error).class === "conflict") {
      const now = (await describeActivity(ctx, view.id)) ?? tracked;
      throw explainConflict(now, step.kind === "pause" ? "Pausing" : "Resuming", error);
    }
    throw error;
  }
}

/** What a failed wait records: the activity it waited on, or (for a rollback) its origin with the rollback beside it. */
export type RecordedAs<N> = (current: Tracked<N>) => { tracked: Tracked<N>; extras?: OutputExtras };

/**
 * Waits until the activity is past its start (`until: "started"`) or settles for the desired
 * state (ended, or paused and not approved to go on). Throws {@link InstanceRefreshFailure} on
 * timeout, on Ctrl-C and when an outage lasts too long.
 */
export async function waitForActivity<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  initial: Tracked<N>,
  plan: WaitPlan,
  recordedAs?: RecordedAs<N>,
): Promise<Tracked<N>> {
  const id = initial.view.id;
  const intent = ctx.backend.intent(inputs);
  const { words } = ctx.backend;
  const deadline = ctx.now() + plan.timeoutSeconds * 1000;
  const queue: PollEvent<N>[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = ctx.backend.poller.subscribe(id, (event) => {
    queue.push(event);
    wake?.();
  });
  const unlisten = ctx.cancel.onCancel(() => wake?.());
  let current = initial;
  const fail = (reason: string, next: string) => unfinishedWaitFailure(ctx, inputs, intent, current, reason, next, recordedAs);
  const outage = new OutageWatch({
    subject: `${intent.groupId} ${id}`,
    toleranceMs: ctx.outageToleranceMs,
    now: ctx.now,
    log: ctx.log,
    giveUp: (explanation) =>
      fail(
        `stopped waiting for ${id}: ${explanation}`,
        "run `pulumi up` again once the API answers to keep waiting (`pulumi refresh` reads the refresh back).",
      ),
  });
  let lastLine = "";
  const acted = new Set<string>();
  try {
    for (;;) {
      if (ctx.cancel.cancelled) {
        throw fail(`pulumi was cancelled (Ctrl-C) while waiting for ${id}`, "run `pulumi up` to keep waiting, or `pulumi destroy` to cancel the refresh.");
      }
      const line = ctx.backend.progressLine(current.record);
      if (line !== lastLine) ctx.log((lastLine = line));
      const step = waitStep(current.view, intent, words);
      const key = `${step.kind}:${pauseKey(current)}`;
      if (step.kind !== "none" && !acted.has(key)) {
        acted.add(key);
        await perform(ctx, current, step, inputs);
        current = (await describeActivity(ctx, id)) ?? current;
        continue;
      }
      if (waitIsOver(plan.until, current.view, intent)) return current;
      const event = queue.shift();
      if (!event) {
        const remaining = deadline - ctx.now();
        if (remaining <= 0) {
          throw fail(
            `timed out after ${plan.timeoutSeconds} s waiting for ${id} to settle`,
            "run `pulumi up` again to keep waiting, or raise wait.timeoutSeconds.",
          );
        }
        outage.check(ctx.backend.poller.lastAnswerAt);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(remaining, WAIT_WAKE_INTERVAL_MS, ctx.outageToleranceMs / 4));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        continue;
      }
      if (event.error) {
        if (!isRetryable(ctx.backend.classify(event.error))) throw event.error;
        outage.failed(event.error);
        outage.check(ctx.backend.poller.lastAnswerAt);
        continue;
      }
      outage.answered();
      if (!event.activity) {
        throw new InstanceRefreshRejected(
          `Refresh activity ${id} on ${intent.groupId} disappeared while waiting (${words.actions.describe} no longer returns it).`,
        );
      }
      current = track(ctx, event.activity);
    }
  } finally {
    unlisten();
    unsubscribe();
  }
}

/** A wait that ended before the activity did: the resource stays in state, the next `up` keeps waiting. */
function unfinishedWaitFailure<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  intent: Intent,
  current: Tracked<N>,
  reason: string,
  next: string,
  recordedAs: RecordedAs<N> | undefined,
): InstanceRefreshFailure {
  const { view } = current;
  const text = `${view.status} at ${ctx.backend.words.step} ${view.step}/${view.steps}`;
  const message = `${intent.groupId} ${view.id}: ${reason}; it is ${text}. The refresh goes on in the cloud and the resource stays in state; ${next}`;
  const recorded = recordedAs?.(current) ?? { tracked: current };
  return failureWith(ctx, inputs, recorded.tracked, message, [message], recorded.extras);
}
