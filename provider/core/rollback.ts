/**
 * Explicit rollback (`rollback: true`): roll a refresh back once, whatever happens to the `pulumi
 * up` that asked for it. The rollback of an origin is always looked up before one is sent, so a
 * retried, interrupted or repeated `up` finds and waits for the one that exists instead of sending a
 * second. Refused cases are explained before anything is sent.
 */
import { describeActivity, unlessTransient, type FlowContext, type FlowResult, type Tracked } from "./context";
import { InstanceRefreshRejected } from "./errors";
import { driveActivity, failureOf } from "./drive";
import { ACTIVE_PHASES, FAILURE_PHASES, TERMINAL_PHASES, convergeStep, isSettled } from "./model";
import { mutate } from "./mutate";
import type { OutputExtras } from "./port";
import { perform } from "./wait";

/**
 * Why `origin` cannot be rolled back under the usual rules (a rollback is never rolled back, nor a
 * cancelled refresh, nor one that refreshed nothing), from what is known of it (the recorded state
 * at preview, the live activity at `up`); undefined when nothing forbids it.
 * @example refusalOf({ phase: "cancelled", status: "CANCELLED", … }) // "it was CANCELLED; a cancelled refresh cannot be rolled back …"
 */
export function refusalOf(origin: { phase: string; status: string; isRollback: boolean; type: string; originId?: string; done: number; failed: number; stepRunning: boolean }): string | undefined {
  if (origin.isRollback) {
    return `it is itself a rollback (${origin.type}${origin.originId ? ` of ${origin.originId}` : ""}), and a rollback cannot be rolled back`;
  }
  if (origin.phase === "cancelled") {
    return `it was ${origin.status}; a cancelled refresh cannot be rolled back (only a paused refresh or the group's latest successful one can)`;
  }
  if (origin.done + origin.failed === 0 && !origin.stepRunning) {
    return `nothing to roll back: no instance has been refreshed yet (status ${origin.status})`;
  }
  return undefined;
}

/**
 * Rolls `origin` back (or finds the rollback an earlier `up` started), then waits for the rollback
 * with progress lines. The outputs stay the origin's, with the rollback beside them.
 */
export async function rollbackFlow<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  origin: Tracked<N>,
  /** Why, for the progress line. @default "<rollback input>: true" */
  why?: string,
): Promise<FlowResult<O>> {
  const { backend } = ctx;
  const { words } = backend;
  const intent = backend.intent(inputs);
  const subject = `${origin.view.groupId} ${origin.view.id}`;

  let rollbackId = origin.view.isRollback ? undefined : await backend.rollbackOf(origin.view);
  let rollback = rollbackId ? await describeActivity(ctx, rollbackId) : undefined;
  if (rollback) {
    ctx.log(`${subject}: rollback ${rollback.view.id} already exists (${rollback.view.status}); not sending ${words.actions.rollback} again`);
    const settledBefore = TERMINAL_PHASES.has(rollback.view.phase) || isSettled(rollback.view, intent);
    const step = convergeStep(rollback.view, intent, words);
    if (step.kind === "none" && settledBefore) return recordRollback(ctx, inputs, origin.view.id, rollback);
    return waitForRollback(ctx, inputs, origin.view.id, rollback, step);
  }

  const reject = (reason: string, cause?: unknown) =>
    new InstanceRefreshRejected(
      `${words.rollbackProperty}: refresh ${origin.view.id} on ${origin.view.groupId} cannot be rolled back: ${reason}. Nothing was rolled back; set ${words.rollbackProperty}: false.`,
      words.rollbackProperty,
      cause === undefined ? undefined : { cause },
    );
  const { view } = origin;
  const refusal = backend.rollbackRefusal(origin.record);
  if (refusal) throw reject(refusal);
  const busy = (await backend.inFlight(view.groupId)).map((r) => backend.view(r)).find((other) => other.id !== view.id);
  if (busy) {
    throw new InstanceRefreshRejected(
      `${words.rollbackProperty}: group ${view.groupId} is busy with refresh activity ${busy.id} (${busy.status}, ${busy.type}); one activity runs per group (${words.groupBusyCode}), so ${view.id} cannot be rolled back now. Nothing was rolled back; run \`pulumi up\` again when ${busy.id} has ended.`,
      words.rollbackProperty,
    );
  }

  let current = origin;
  if (ACTIVE_PHASES.has(view.phase)) {
    await perform(ctx, current, { kind: "pause" }, inputs);
    current = (await describeActivity(ctx, view.id)) ?? current;
  }
  if (ctx.cancel.cancelled) {
    throw new InstanceRefreshRejected(`${subject}: pulumi was cancelled (Ctrl-C) before ${words.actions.rollback}; nothing was rolled back.`);
  }
  try {
    rollbackId = await mutate<string>(
      ctx,
      () => backend.rollback(current.record, inputs),
      async () => {
        const found = await backend.rollbackOf(current.view);
        return found ? { done: true, value: found } : { done: false };
      },
    );
  } catch (error) {
    const info = backend.classify(error);
    if (info.class === "client" || info.class === "conflict" || info.class === "groupBusy" || info.class === "notFound") {
      throw reject(`the API refused ${words.actions.rollback} (${error instanceof Error ? error.message : String(error)})`, error);
    }
    throw error;
  }
  ctx.log(`${subject}: rolling back (${why ?? `${words.rollbackProperty}: true`}) — ${words.actions.rollback} started ${rollbackId}`);
  rollback = (await unlessTransient(ctx, describeActivity(ctx, rollbackId))) ?? {
    record: backend.placeholder(inputs, rollbackId),
    view: backend.view(backend.placeholder(inputs, rollbackId)),
  };
  return waitForRollback(ctx, inputs, view.id, rollback, { kind: "none" });
}

/** The origin (as it is now) with the rollback beside it. */
async function originWith<N, I, O extends object>(ctx: FlowContext<N, I, O>, originId: string, rollback: Tracked<N>): Promise<{ tracked: Tracked<N>; extras: OutputExtras }> {
  const origin = (await unlessTransient(ctx, describeActivity(ctx, originId))) ?? undefined;
  const extras = { rollbackActivityId: rollback.view.id, rollback: rollback.view };
  return { tracked: origin ?? rollback, extras };
}

/** Records a rollback that had already ended (or is paused as desired) before this `up`: never a failure of this `up`. */
async function recordRollback<N, I, O extends object>(ctx: FlowContext<N, I, O>, inputs: I, originId: string, rollback: Tracked<N>): Promise<FlowResult<O>> {
  const { tracked, extras } = await originWith(ctx, originId, rollback);
  return { id: originId, outs: ctx.backend.outputs(inputs, tracked.record, extras) };
}

/** Converges on the rollback, waits for it, and reports: a rollback that did not succeed fails the `up`. */
async function waitForRollback<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  originId: string,
  rollback: Tracked<N>,
  firstStep: ReturnType<typeof convergeStep>,
): Promise<FlowResult<O>> {
  // Until the end of the wait, a failure records the origin as last seen, with the rollback beside it.
  const origin = await unlessTransient(ctx, describeActivity(ctx, originId));
  const recordedAs = (current: Tracked<N>) => ({
    tracked: origin ?? current,
    extras: { rollbackActivityId: current.view.id, rollback: current.view },
  });
  return driveActivity(
    ctx,
    inputs,
    rollback,
    firstStep,
    async (current) => {
      const { tracked, extras } = await originWith(ctx, originId, current);
      if (!FAILURE_PHASES.has(current.view.phase)) return { id: originId, outs: ctx.backend.outputs(inputs, tracked.record, extras) };
      throw failureOf(ctx, inputs, current, "Rollback", rollbackHint(current.view.phase), extras, tracked);
    },
    recordedAs,
  );
}

function rollbackHint(phase: string): string {
  if (phase === "failedPause") {
    return "The rollback paused on failed instances. Run `pulumi up` again to retry them (the rollback is resumed, never sent again), or destroy the resource to cancel it.";
  }
  if (phase === "cancelled") return "The rollback was cancelled; the group keeps the instances it had rolled back so far.";
  return "The rollback failed; the group keeps the instances it had rolled back so far. Look at the failed instances above.";
}
