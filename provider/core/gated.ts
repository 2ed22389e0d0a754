/**
 * A rollout with a health gate: drive the activity as usual, but at every automatic pause soak the
 * gate (`gate.ts`) instead of waiting for an approval. A gate that passes resumes the rollout (after
 * the approval too, with `requireApproval`); one that fails does `onFailure` — keep it paused, roll
 * it back, or cancel it — and fails `pulumi up` with the probe's evidence. A killed `up` leaves the
 * activity paused at its gate: the next `up` soaks that gate again, and never resumes a rollout the
 * gate has not passed.
 */
import { describeActivity, failureWith, type FlowContext, type FlowResult, type Tracked } from "./context";
import { driveActivity, outcome, settledOutcome } from "./drive";
import { InstanceRefreshFailure } from "./errors";
import { runGate, type GateDecision } from "./gate";
import type { NormalizedGate } from "./gateSettings";
import { soaksGate, type Step } from "./model";
import type { OutputExtras } from "./port";
import { rollbackFlow } from "./rollback";
import { cancelActivity } from "./teardown";

/**
 * Drives the activity through every gate (see the file comment); without a gate, as `driveActivity`.
 * Each gate passed drives on from there, carrying the decisions so far.
 */
export async function driveGated<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  tracked: Tracked<N>,
  firstStep: Step,
  decisions: GateDecision[] = [],
  /** Also soak a manual pause the activity is found in (an update's start; see {@link soaksGate}). */
  atStart = false,
): Promise<FlowResult<O>> {
  const intent = ctx.backend.intent(inputs);
  const gate = intent.gate;
  if (!gate) return driveActivity(ctx, inputs, tracked, firstStep);
  const extras = (): OutputExtras => ({ gateDecisions: [...decisions] });
  const soakThenGoOn = async (atGate: Tracked<N>): Promise<FlowResult<O>> => {
    // `gated` makes every gate settle the wait: the gate is soaked here.
    if (!soaksGate(intent, atGate.view.phase, atStart)) return outcome(ctx, inputs, atGate, extras());
    const { view } = atGate;
    const where = `${ctx.backend.words.step} ${view.step}`;
    const decision = await runGate({
      gate,
      subject: `${view.groupId} ${view.id}`,
      activityId: view.id,
      where,
      step: view.step,
      log: ctx.log,
      now: ctx.now,
      cancel: ctx.cancel,
    });
    decisions.push(decision);
    const now = (await describeActivity(ctx, view.id)) ?? atGate;
    if (decision.verdict === "interrupted") {
      const message = `${view.groupId} ${view.id}: pulumi was cancelled (Ctrl-C) during the health gate after ${where}; the rollout stays paused there and the resource stays in state; run \`pulumi up\` to soak the gate again.`;
      throw failureWith(ctx, inputs, now, message, [message], extras());
    }
    if (decision.verdict === "failed") return gateFailed(ctx, inputs, now, gate, decision, extras);
    if (gate.requireApproval && intent.approvedSteps < view.step) {
      ctx.log(`${view.groupId} ${view.id}: health gate after ${where} passed; waiting for ${ctx.backend.words.approvedSteps} >= ${view.step} (gate.requireApproval)`);
      return settledOutcome(ctx, inputs, now, extras());
    }
    // The cloud may have ended the pause by itself during the soak (a timed checkpoint pause): nothing to resume then.
    const resume: Step =
      now.view.phase === "gate" || now.view.phase === "manualPause"
        ? { kind: "resume", reason: `health gate after ${where} passed: ${decision.healthy}/${decision.samples} samples healthy over ${gate.soakSeconds} s` }
        : { kind: "none" };
    return driveGated(ctx, inputs, now, resume, decisions);
  };
  return driveActivity(ctx, inputs, tracked, firstStep, soakThenGoOn, (c) => ({ tracked: c, extras: extras() }));
}

/** The gate failed: do `onFailure`, then fail the `up` with the evidence, keeping the resource in state. */
async function gateFailed<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  atGate: Tracked<N>,
  gate: NormalizedGate,
  decision: GateDecision,
  extras: () => OutputExtras,
): Promise<never> {
  const { view } = atGate;
  const { words } = ctx.backend;
  const where = `${words.step} ${view.step}`;
  const first = `Instance refresh ${view.id} on ${view.groupId}: the health gate after ${where} failed: ${decision.samples - decision.healthy}/${decision.samples} samples unhealthy (GET ${gate.http.url})`;
  let done: string;
  let recorded: Tracked<N> = atGate;
  if (gate.onFailure === "rollback") {
    let rolled: FlowResult<O>;
    try {
      rolled = await rollbackFlow(ctx, inputs, atGate, "gate.onFailure: rollback");
    } catch (error) {
      throw error instanceof InstanceRefreshFailure ? error.withProperties({ ...extras() }) : error;
    }
    done = `It was rolled back (${words.actions.rollback}); the rollback settled.`;
    const outs = { ...(rolled.outs as Record<string, unknown>), ...extras() };
    throw new InstanceRefreshFailure(`${first}. ${decision.evidence.at(-1) ?? ""}. ${done}`, view.id, outs, [first, ...decision.evidence, done]);
  } else if (gate.onFailure === "cancel") {
    ctx.log(`${view.groupId} ${view.id}: health gate failed; cancelling (gate.onFailure: cancel)`);
    const { timeoutSeconds } = ctx.backend.intent(inputs).wait;
    await cancelActivity(ctx, view.id, { id: view.id, groupId: view.groupId, timeoutSeconds }, ctx.now() + timeoutSeconds * 1000);
    recorded = (await describeActivity(ctx, view.id)) ?? atGate;
    done = `It was cancelled (${words.actions.cancel}); change an entry of \`triggers\` to roll out a fixed version.`;
  } else {
    if (ctx.backend.gateEndsByItself) {
      // The cloud would end this pause by itself: hold it.
      await ctx.backend.pause(view);
      recorded = (await describeActivity(ctx, view.id)) ?? atGate;
      done = `It was paused (${words.actions.pause}) so that it does not go on by itself.`;
    } else {
      done = `It stays paused at the gate.`;
    }
    done += " `pulumi up` soaks the gate again (it resumes only when the gate passes); `rollback: true` rolls it back; a new `triggers` entry replaces it.";
  }
  throw failureWith(ctx, inputs, recorded, `${first}. ${decision.evidence.at(-1) ?? ""}. ${done}`, [first, ...decision.evidence, done], extras());
}
