/**
 * Driving a known activity to its outcome, for every flow: converge, wait, and report what it came
 * to, with the rollback beside it when there is one.
 */
import { describeActivity, failureWith, unlessTransient, type FlowContext, type FlowResult, type Tracked } from "./context";
import { InstanceRefreshFailure } from "./errors";
import { FAILURE_PHASES, type Step } from "./model";
import type { OutputExtras } from "./port";
import { perform, waitForActivity, type RecordedAs } from "./wait";

/**
 * The rollback to report beside an activity: the one the inputs asked for, or the one the cloud
 * started by itself for a failed refresh. A transient error leaves it out (the outputs still tell
 * the rest); any other error, such as an authentication failure, is thrown.
 */
export async function rollbackExtras<N, I, O extends object>(ctx: FlowContext<N, I, O>, inputs: I, tracked: Tracked<N>): Promise<OutputExtras> {
  const asked = ctx.backend.intent(inputs).rollback;
  const automatic = tracked.view.phase === "failed" && ctx.backend.rollsBackOnFailure(inputs);
  if (tracked.view.isRollback || (!asked && !automatic)) return {};
  const rollbackActivityId = await unlessTransient(ctx, ctx.backend.rollbackOf(tracked.view));
  if (!rollbackActivityId) return {};
  const rollback = asked ? await unlessTransient(ctx, describeActivity(ctx, rollbackActivityId)) : undefined;
  return { rollbackActivityId, rollback: rollback?.view };
}

/** Outputs for the activity; throws {@link InstanceRefreshFailure} when it failed, was cancelled or paused on a failure. */
export async function outcome<N, I, O extends object>(ctx: FlowContext<N, I, O>, inputs: I, tracked: Tracked<N>, more: OutputExtras = {}): Promise<FlowResult<O>> {
  const { view } = tracked;
  const extras = { ...(await rollbackExtras(ctx, inputs, tracked)), ...more };
  if (!FAILURE_PHASES.has(view.phase)) return { id: view.id, outs: ctx.backend.outputs(inputs, tracked.record, extras) };
  throw failureOf(ctx, inputs, tracked, "Instance refresh", ctx.backend.failureHint(view, inputs, extras.rollbackActivityId), extras);
}

/**
 * The failure of an activity that ended in a failure phase. The engine prints only the reasons of a
 * partial failure: the first one names the group and the activity.
 */
export function failureOf<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  tracked: Tracked<N>,
  what: string,
  hint: string,
  extras: OutputExtras,
  recorded: Tracked<N> = tracked,
): InstanceRefreshFailure {
  const { view } = tracked;
  const where = `${ctx.backend.words.step} ${view.step}/${view.steps}`;
  const reasons = [`${what} ${view.id} on ${view.groupId} is ${view.status} at ${where}`];
  for (const f of view.failedInstances) reasons.push(`${f.instanceId} (${ctx.backend.words.step} ${f.step}): ${f.message}`);
  reasons.push(hint);
  const failed = view.failedInstances.length ? ` Failed instances: ${view.failedInstances.map((f) => `${f.instanceId}: ${f.message}`).join("; ")}.` : "";
  return failureWith(ctx, inputs, recorded, `${what} ${view.id} on ${view.groupId} is ${view.status} (${where}).${failed} ${hint}`, reasons, extras);
}

/** Converge, wait, report: shared by create and update once the activity is known. */
export async function driveActivity<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  tracked: Tracked<N>,
  firstStep: Step,
  finish: (current: Tracked<N>) => Promise<FlowResult<O>> = (current) => outcome(ctx, inputs, current),
  recordedAs?: RecordedAs<N>,
): Promise<FlowResult<O>> {
  const { id, groupId } = tracked.view;
  let current = tracked;
  try {
    if (firstStep.kind !== "none") {
      await perform(ctx, current, firstStep, inputs);
      current = (await describeActivity(ctx, id)) ?? current;
    }
    current = await waitForActivity(ctx, inputs, current, ctx.backend.intent(inputs).wait, recordedAs);
    return await finish(current);
  } catch (error) {
    if (error instanceof InstanceRefreshFailure) throw error;
    // The activity exists: keep the resource in state whatever went wrong.
    const message = `Instance refresh ${id} on ${groupId}: ${error instanceof Error ? error.message : String(error)}`;
    const recorded = recordedAs?.(current) ?? { tracked: current };
    throw failureWith(ctx, inputs, recorded.tracked, message, [message], recorded.extras, error);
  }
}

/**
 * The outputs of an activity that had already ended (or paused as desired) before this `pulumi up`
 * acted on it: recorded as they are, never a failure of this `up` (its failure, if any, was
 * reported when it happened).
 */
export async function settledOutcome<N, I, O extends object>(ctx: FlowContext<N, I, O>, inputs: I, tracked: Tracked<N>, more: OutputExtras = {}): Promise<FlowResult<O>> {
  return { id: tracked.view.id, outs: ctx.backend.outputs(inputs, tracked.record, { ...(await rollbackExtras(ctx, inputs, tracked)), ...more }) };
}
