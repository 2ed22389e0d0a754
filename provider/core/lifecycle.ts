/**
 * The create / update / read flows, for every cloud, over its backend port: start or adopt an
 * activity, converge on the desired pause state, roll back when asked, wait, and report the
 * outcome. The provider object of each cloud only resolves inputs and configuration and calls these.
 */
import { describeActivity, unlessTransient, type FlowContext, type FlowResult, type Tracked } from "./context";
import { rollbackExtras, settledOutcome } from "./drive";
import { driveGated } from "./gated";
import { InstanceRefreshRejected } from "./errors";
import { ACTIVE_PHASES, TERMINAL_PHASES, convergeStep, isSettled, soaksGate } from "./model";
import { mutate } from "./mutate";
import { rollbackFlow } from "./rollback";
import { explainConflict } from "./wait";

// ---------------------------------------------------------------------------------------------
// Reads

/** The refreshes in flight (not ended) on a group. */
async function inFlightOn<N, I, O extends object>(ctx: FlowContext<N, I, O>, groupId: string): Promise<Tracked<N>[]> {
  return (await ctx.backend.inFlight(groupId)).map((record) => ({ record, view: ctx.backend.view(record) }));
}

// ---------------------------------------------------------------------------------------------
// Flows

/**
 * create: adopt `adoptActivityId`, or start a refresh; then wait. A refresh already in flight on
 * the group is never taken over silently, even with the same settings: the resource cannot prove it
 * started it, and another stack may own it. The error names it and how to adopt it on purpose
 * (`adoptActivityId`), which is also how an interrupted `pulumi up` is recovered (docs/recovery.md).
 */
export async function createFlow<N, I, O extends object>(ctx: FlowContext<N, I, O>, inputs: I): Promise<FlowResult<O>> {
  const { backend } = ctx;
  const { words } = backend;
  const intent = backend.intent(inputs);
  const groupId = intent.groupId;
  if (intent.adoptActivityId) return adopt(ctx, inputs, intent.adoptActivityId);
  if (intent.rollback) {
    throw new InstanceRefreshRejected(
      `${words.rollbackProperty}: true needs a refresh to roll back, and this resource would start a new one. Set it on an existing resource (its next \`pulumi up\` rolls it back), or with ${words.adoptProperty} to roll back a refresh started elsewhere; nothing was started.`,
      words.rollbackProperty,
    );
  }

  const inFlight = await inFlightOn(ctx, groupId);
  if (inFlight.length > 0 && !backend.idempotentStart) throw inRefreshError(ctx, inputs, inFlight[0]);

  const capacity = await backend.capacity(groupId);
  const violations = backend.validateAgainstGroup(inputs, capacity);
  if (violations.length > 0) {
    const v = violations[0];
    throw new InstanceRefreshRejected(`${v.property} ${v.reason}; nothing was started.`, v.property);
  }
  if (ctx.cancel.cancelled) {
    throw new InstanceRefreshRejected(`${groupId}: pulumi was cancelled (Ctrl-C) before ${words.actions.start}; nothing was started.`);
  }
  if (inFlight.length > 0) return takeBack(ctx, inputs, inFlight[0]);

  let activityId: string;
  try {
    activityId = await mutate<string>(
      ctx,
      () => backend.start(inputs),
      async () => {
        // After an unknown outcome, adopt the activity that appeared instead of starting a second one.
        const appeared = (await backend.inFlight(groupId)).find((record) => backend.matches(record, inputs));
        return appeared ? { done: true as const, value: backend.view(appeared).id } : { done: false as const };
      },
    );
  } catch (error) {
    if (backend.classify(error).class === "groupBusy") {
      // Lost a race: someone else started a refresh on the group between our check and our call.
      const now = await unlessTransient(ctx, inFlightOn(ctx, groupId));
      if (now?.[0]) throw inRefreshError(ctx, inputs, now[0], error);
    }
    throw backend.explainStartError(groupId, error);
  }
  const started = (await unlessTransient(ctx, describeActivity(ctx, activityId))) ?? {
    record: backend.placeholder(inputs, activityId),
    view: backend.view(backend.placeholder(inputs, activityId)),
  };
  ctx.log(`${groupId} ${activityId}: started (${words.actions.start}, ${started.view.steps} ${started.view.steps === 1 ? words.step : words.steps})`);
  return driveGated(ctx, inputs, started, { kind: "none" });
}

/**
 * With an idempotent start, a start with this resource's token while a refresh is in flight on the
 * group either returns that refresh (this resource started it, in an `up` that was interrupted: it
 * is taken back and waited for) or is refused because the group is busy (someone else's: the
 * conflict error, nothing started).
 */
async function takeBack<N, I, O extends object>(ctx: FlowContext<N, I, O>, inputs: I, inFlight: Tracked<N>): Promise<FlowResult<O>> {
  const { backend } = ctx;
  let id: string;
  try {
    id = await backend.start(inputs);
  } catch (error) {
    if (backend.classify(error).class === "groupBusy") throw inRefreshError(ctx, inputs, inFlight, error);
    throw backend.explainStartError(inFlight.view.groupId, error);
  }
  const tracked = (await describeActivity(ctx, id)) ?? inFlight;
  if (id === inFlight.view.id) {
    ctx.log(`${inFlight.view.groupId} ${id}: taken back — an earlier \`pulumi up\` of this resource started it (the same client token), status ${tracked.view.status}`);
  }
  return driveGated(ctx, inputs, tracked, convergeStep(tracked.view, backend.intent(inputs), backend.words));
}

/** Takes over an existing activity on purpose (`adoptActivityId`), then converges (or rolls back) and waits. */
async function adopt<N, I, O extends object>(ctx: FlowContext<N, I, O>, inputs: I, activityId: string): Promise<FlowResult<O>> {
  const { words } = ctx.backend;
  const intent = ctx.backend.intent(inputs);
  const tracked = await describeActivity(ctx, activityId);
  if (!tracked) {
    throw new InstanceRefreshRejected(`${words.adoptProperty}: refresh activity ${activityId} does not exist in this region.`, words.adoptProperty);
  }
  if (tracked.view.groupId !== intent.groupId) {
    throw new InstanceRefreshRejected(
      `${words.adoptProperty}: refresh activity ${activityId} belongs to group ${tracked.view.groupId}, not ${intent.groupId}.`,
      words.adoptProperty,
    );
  }
  ctx.log(`${intent.groupId} ${activityId}: adopted (${words.adoptProperty}), status ${tracked.view.status}`);
  if (intent.rollback) return rollbackFlow(ctx, inputs, tracked);
  if (TERMINAL_PHASES.has(tracked.view.phase)) return settledOutcome(ctx, inputs, tracked);
  return driveGated(ctx, inputs, tracked, convergeStep(tracked.view, intent, words));
}

/**
 * The conflict error for a group that already runs a refresh: it names the group and the activity,
 * says whether its settings are this resource's, and how to take it over on purpose.
 */
function inRefreshError<N, I, O extends object>(ctx: FlowContext<N, I, O>, inputs: I, other: Tracked<N>, cause?: unknown): InstanceRefreshRejected {
  const { words } = ctx.backend;
  const groupId = ctx.backend.intent(inputs).groupId;
  const { view } = other;
  const what = `${view.status}, ${view.type}${view.createdTime ? `, created ${view.createdTime}` : ""}`;
  const sameSettings = ctx.backend.matches(other.record, inputs)
    ? "with this resource's exact settings, but this resource did not start it: it may belong to another stack or person, or to an earlier `pulumi up` of this stack that was interrupted"
    : "with other settings";
  return new InstanceRefreshRejected(
    `${words.groupIdProperty}: group ${groupId} already has refresh activity ${view.id} (${what}) ${sameSettings}. ` +
      `One refresh runs per group (the API answers ${words.groupBusyCode}), and this resource never takes one over silently; nothing was started. ` +
      `To manage it with this resource on purpose, set ${words.adoptProperty}: "${view.id}" and run \`pulumi up\` again (docs/recovery.md); otherwise wait for it to end or cancel it.`,
    words.groupIdProperty,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * update: roll back when asked; otherwise converge on the desired pause state, then wait. An update
 * that sends nothing and has nothing to wait for (the activity has already ended or is paused as
 * desired) records the outputs and succeeds (a failure was reported by the `up` that saw it
 * happen), explaining why a resume was not sent.
 */
export async function updateFlow<N, I, O extends object>(ctx: FlowContext<N, I, O>, id: string, inputs: I): Promise<FlowResult<O>> {
  const intent = ctx.backend.intent(inputs);
  const tracked = await describeActivity(ctx, id);
  if (!tracked) {
    throw new InstanceRefreshRejected(
      `Refresh activity ${id} on ${intent.groupId} no longer exists. Run \`pulumi refresh\` to drop it from state, or change a trigger to start a new refresh.`,
    );
  }
  if (intent.rollback) return rollbackFlow(ctx, inputs, tracked);
  if (TERMINAL_PHASES.has(tracked.view.phase)) {
    if (!intent.paused && tracked.view.phase !== "succeeded") ctx.log(explainConflict(tracked, "Resuming", undefined).message);
    return settledOutcome(ctx, inputs, tracked);
  }
  // With a health gate, a refresh waiting at a gate, or paused (a failed gate pauses it), goes on
  // only after a soak passes: the gate, not an approval or `paused: false` alone, decides.
  const gateToSoak = soaksGate(intent, tracked.view.phase, true);
  const step = gateToSoak ? ({ kind: "none" } as const) : convergeStep(tracked.view, intent, ctx.backend.words);
  // Paused as desired (a failed pause kept with paused: true, a gate not approved yet): nothing to send, nothing to wait for.
  if (step.kind === "none" && !gateToSoak && isSettled(tracked.view, intent)) return settledOutcome(ctx, inputs, tracked);
  return driveGated(ctx, inputs, tracked, step, [], gateToSoak);
}

/** read: the live activity as outputs, and whether it is paused (an out-of-band pause or resume shows as a change of `paused`). */
export async function readFlow<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  id: string,
  inputs: I,
): Promise<{ id: string; outs: O; paused: boolean } | undefined> {
  const intent = ctx.backend.intent(inputs);
  const tracked = await describeActivity(ctx, id);
  if (!tracked) return undefined;
  const { view } = tracked;
  const outs = ctx.backend.outputs(inputs, tracked.record, await rollbackExtras(ctx, inputs, tracked));
  let paused = intent.paused;
  if (view.phase === "manualPause") paused = true;
  else if (ACTIVE_PHASES.has(view.phase)) paused = false;
  if (paused !== intent.paused) ctx.log(`${intent.groupId} ${id}: ${view.status} outside Pulumi; paused is now ${paused} in state`);
  if (view.phase === "cancelled" && !intent.rollback) {
    ctx.log(`${intent.groupId} ${id}: ${view.status}; \`pulumi up\` will not restart it — change an entry of \`triggers\` to start a new refresh`);
  }
  return { id, outs, paused };
}
