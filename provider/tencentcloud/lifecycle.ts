/**
 * The create / update / read / delete flows over one region's client: start or adopt an activity,
 * converge on the desired pause state, wait, and report the outcome. The provider object in
 * `provider/host.ts` only resolves inputs and configuration and calls these.
 */
import type { RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type { CancelSignal } from "../core/cancellation";
import type { AutoScalingClient } from "./client/client";
import { TencentCloudApiError, classifyError, hasCode } from "./client/errors";
import { backoffDelay, type Random, type Sleep } from "../core/retry";
import {
  ACTIVE_STATUSES,
  FAILURE_STATUSES,
  PAUSED_STATUSES,
  TERMINAL_STATUSES,
  convergeStep,
  isSettled,
  matchesInputs,
  progressLine,
  settingsToApi,
  toOutputs,
  waitStep,
  type Step,
} from "./activity";
import { InstanceRefreshFailure, InstanceRefreshRejected } from "./errors";
import { MAX_PAGES, PAGE_SIZE, type Lookups } from "./lookups";
import { OutageWatch } from "../core/outage";
import type { PollEvent, RefreshPoller } from "./poller";
import { PROPERTY, validateAgainstGroup, type NormalizedInputs } from "./settings";
import type { InstanceRefreshOutputs } from "./types";

/** Attempts of one mutating call (the first included); each re-send follows a state check. @default 4 */
export const MAX_MUTATION_ATTEMPTS = 4;
/** Backoff base between mutation attempts, ms. @default 200 */
export const MUTATION_BASE_DELAY_MS = 200;
/** Backoff cap between mutation attempts, ms. @default 5000 */
export const MUTATION_MAX_DELAY_MS = 5000;
/** Polls of delete between two Stops of an activity that was resumed behind its back. @default 10 */
export const RESTOP_EVERY_POLLS = 10;
/** Longest sleep of a wait between two looks at its outage watch, ms (at most a quarter of the outage tolerance). @default 5000 */
export const WAIT_WAKE_INTERVAL_MS = 5000;

/** What the flows need: one region's client, coalesced reads and poller, a log, a clock. */
export interface FlowContext {
  readonly client: AutoScalingClient;
  readonly lookups: Lookups;
  readonly poller: RefreshPoller;
  /** Progress and notices; the engine shows console output as info diagnostics. */
  readonly log: (line: string) => void;
  readonly sleep: Sleep;
  readonly random: Random;
  readonly now: () => number;
  /** Fires when the engine cancels the operation (Ctrl-C): waits stop and record where they are. */
  readonly cancel: CancelSignal;
  /** How long a wait rides out an API that does not answer, ms. */
  readonly outageToleranceMs: number;
}

/** Result of create and update. */
export interface FlowResult {
  readonly id: string;
  readonly outs: InstanceRefreshOutputs;
}

// ---------------------------------------------------------------------------------------------
// Reads

/** The activity, or undefined when the API does not know it. */
export async function describeActivity(ctx: FlowContext, activityId: string): Promise<RefreshActivity | undefined> {
  try {
    return await ctx.lookups.activity.load(activityId);
  } catch (error) {
    if (hasCode(error, "ResourceNotFound")) return undefined;
    throw error;
  }
}

/** Activities of a group, optionally restricted by status and type, newest first as the API returns them. */
export async function groupActivities(
  ctx: FlowContext,
  groupId: string,
  filter: { statuses?: readonly string[]; type?: "NORMAL" | "ROLLBACK" } = {},
): Promise<RefreshActivity[]> {
  const Filters = [{ Name: "auto-scaling-group-id", Values: [groupId] }];
  if (filter.statuses) Filters.push({ Name: "refresh-activity-status-code", Values: [...filter.statuses] });
  if (filter.type) Filters.push({ Name: "refresh-activity-type", Values: [filter.type] });
  const all: RefreshActivity[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await ctx.client.describeRefreshActivities({ Filters, Limit: PAGE_SIZE, Offset: page * PAGE_SIZE });
    const set = response.RefreshActivitySet ?? [];
    all.push(...set);
    if (set.length < PAGE_SIZE || all.length >= (response.TotalCount ?? 0)) break;
  }
  return all;
}

/** The ROLLBACK activity that AUTO_ROLLBACK created for `activity`, if any. */
export async function findRollbackActivityId(ctx: FlowContext, activity: RefreshActivity): Promise<string | undefined> {
  if (!activity.AutoScalingGroupId || !activity.RefreshActivityId) return undefined;
  const rollbacks = await groupActivities(ctx, activity.AutoScalingGroupId, { type: "ROLLBACK" });
  return rollbacks.find((r) => r.OriginRefreshActivityId === activity.RefreshActivityId)?.RefreshActivityId;
}

/**
 * The rollback activity to report for a FAILED activity whose failProcess is AUTO_ROLLBACK. A
 * transient error leaves it out (the outputs still tell the failure); any other error, such as
 * AuthFailure, is thrown.
 */
async function rollbackIdFor(ctx: FlowContext, inputs: NormalizedInputs, activity: RefreshActivity): Promise<string | undefined> {
  if (activity.Status !== "FAILED" || inputs.refreshSettings.rollingUpdateSettings.failProcess !== "AUTO_ROLLBACK") return undefined;
  return unlessTransient(findRollbackActivityId(ctx, activity));
}

/** The call's result, or undefined when it failed with a retryable (throttling, transient) error. */
async function unlessTransient<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (classifyError(error) === "client") throw error;
    return undefined;
  }
}

/** The refreshes in flight (not terminal) on a group. */
async function inFlightOn(ctx: FlowContext, groupId: string): Promise<RefreshActivity[]> {
  return (await ctx.lookups.inFlight.load(groupId)) ?? [];
}

/**
 * IN_SERVICE instances of a group — the group's InServiceInstanceCount, or a count of its listed
 * instances when the API leaves that out — or throws when the group does not exist.
 */
async function inServiceInstanceCount(ctx: FlowContext, groupId: string): Promise<number> {
  const group = await ctx.lookups.group.load(groupId);
  if (typeof group?.InServiceInstanceCount === "number") return group.InServiceInstanceCount;
  if (!group) {
    throw new InstanceRefreshRejected(
      `${PROPERTY.groupId}: auto scaling group ${groupId} does not exist in this region (DescribeAutoScalingGroups found nothing); nothing was started.`,
      PROPERTY.groupId,
    );
  }
  let count = 0;
  let seen = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await ctx.client.describeAutoScalingInstances({
      Filters: [{ Name: "auto-scaling-group-id", Values: [groupId] }],
      Limit: PAGE_SIZE,
      Offset: page * PAGE_SIZE,
    });
    const set = response.AutoScalingInstanceSet ?? [];
    seen += set.length;
    count += set.filter((i) => i.LifeCycleState === "IN_SERVICE").length;
    if (set.length < PAGE_SIZE || seen >= (response.TotalCount ?? 0)) break;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Mutations: never re-sent blindly

type Verified<T> = { done: true; value: T } | { done: false };

/**
 * Sends a mutating call. When it fails with an unknown outcome (transport error, timeout, 5xx,
 * InternalError) or is throttled, the state is checked with `verify` before anything is re-sent;
 * other errors are thrown at once.
 */
async function mutate<T>(ctx: FlowContext, send: () => Promise<T>, verify: () => Promise<Verified<T>>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof TencentCloudApiError) || error.kind === "client" || attempt + 1 >= MAX_MUTATION_ATTEMPTS) throw error;
      const base = error.kind === "throttling" ? MUTATION_BASE_DELAY_MS * 2 : MUTATION_BASE_DELAY_MS;
      await ctx.sleep(backoffDelay(attempt, base, MUTATION_MAX_DELAY_MS, ctx.random) + base);
      const verified = await verify();
      if (verified.done) {
        ctx.log(`${error.action}: the call failed (${error.code}) but the state shows it took effect; not sending it again.`);
        return verified.value;
      }
      ctx.log(`${error.action}: the call failed (${error.code}) and the state shows it did not take effect; sending it again.`);
    }
  }
}

/** Starts a refresh; after an unknown outcome, adopts the activity that appeared instead of starting a second one. */
async function startRefresh(ctx: FlowContext, inputs: NormalizedInputs): Promise<string> {
  return mutate<string>(
    ctx,
    async () => {
      const response = await ctx.client.startInstanceRefresh({
        AutoScalingGroupId: inputs.autoScalingGroupId,
        RefreshSettings: settingsToApi(inputs.refreshSettings),
        RefreshMode: inputs.refreshMode,
      });
      if (!response.RefreshActivityId) throw new Error("StartInstanceRefresh returned no RefreshActivityId");
      return response.RefreshActivityId;
    },
    async () => {
      const appeared = (await inFlightOn(ctx, inputs.autoScalingGroupId)).find((a) =>
        matchesInputs(a, inputs),
      );
      return appeared?.RefreshActivityId ? { done: true as const, value: appeared.RefreshActivityId } : { done: false as const };
    },
  );
}

/** Explains an operation refused because of the activity's status. */
function explainConflict(activity: RefreshActivity, operation: string, error: unknown): Error {
  const status = activity.Status ?? "unknown";
  let hint = "";
  if (status === "CANCELLED") hint = " It was cancelled; a cancelled refresh cannot be resumed. Change an entry of `triggers` to start a new refresh.";
  else if (status === "FAILED") hint = " It failed; change an entry of `triggers` to start a new refresh.";
  else if (status === "SUCCESSFUL") hint = " It already finished successfully.";
  return new InstanceRefreshRejected(
    `${operation} of refresh ${activity.RefreshActivityId} on ${activity.AutoScalingGroupId} is not allowed in status ${status}.${hint}`,
    undefined,
    { cause: error },
  );
}

/** Snapshot used to tell whether a resume took effect. */
const pauseKey = (a: RefreshActivity | undefined) => `${a?.Status}/${a?.CurrentRefreshBatchNum}`;

/** Performs a converge step on `activity`. */
async function perform(ctx: FlowContext, activity: RefreshActivity, step: Step, inputs: NormalizedInputs): Promise<void> {
  const id = activity.RefreshActivityId!;
  const groupId = activity.AutoScalingGroupId!;
  const req = { AutoScalingGroupId: groupId, RefreshActivityId: id };
  try {
    if (step.kind === "stop") {
      ctx.log(`${groupId} ${id}: pausing (paused: true) — StopInstanceRefresh`);
      await mutate(
        ctx,
        () => ctx.client.stopInstanceRefresh(req),
        async () => {
          const now = await describeActivity(ctx, id);
          return now && !ACTIVE_STATUSES.has(now.Status ?? "") ? { done: true, value: {} } : { done: false };
        },
      );
    } else if (step.kind === "resume") {
      ctx.log(`${groupId} ${id}: resuming with ${inputs.resumeMode} (${step.reason}) — ResumeInstanceRefresh`);
      const before = pauseKey(activity);
      await mutate(
        ctx,
        () => ctx.client.resumeInstanceRefresh({ ...req, ResumeMode: inputs.resumeMode }),
        async () => {
          const now = await describeActivity(ctx, id);
          return now && pauseKey(now) !== before ? { done: true, value: {} } : { done: false };
        },
      );
    }
  } catch (error) {
    if (hasCode(error, "ResourceUnavailable.RefreshActivityStatusConflictWithOperation")) {
      const now = (await describeActivity(ctx, id)) ?? activity;
      throw explainConflict(now, step.kind === "stop" ? "Pausing" : "Resuming", error);
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Waiting

/** How long and for what to wait. */
interface WaitPlan {
  readonly until: "started" | "settled";
  readonly timeoutSeconds: number;
}

/** True when a wait for `plan.until` can return with `activity`. */
function waitIsOver(plan: WaitPlan, activity: RefreshActivity, inputs: NormalizedInputs): boolean {
  const status = activity.Status;
  if (plan.until === "started") return status !== undefined && status !== "INIT";
  return isSettled(status, activity.CurrentRefreshBatchNum, inputs);
}

/**
 * Waits on the shared poller until the activity is past INIT (`until: "started"`) or settles for
 * `inputs` (terminal, or paused and not approved to go on), pausing or passing approved gates on
 * the way. Prints a progress line on every change. Rides out API outages up to the configured
 * tolerance, reporting them. Throws {@link InstanceRefreshFailure} on timeout, on Ctrl-C and when
 * the outage lasts too long.
 */
async function waitForActivity(ctx: FlowContext, inputs: NormalizedInputs, initial: RefreshActivity, plan: WaitPlan): Promise<RefreshActivity> {
  const id = initial.RefreshActivityId!;
  const deadline = ctx.now() + plan.timeoutSeconds * 1000;
  const queue: PollEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = ctx.poller.subscribe(id, (event) => {
    queue.push(event);
    wake?.();
  });
  const unlisten = ctx.cancel.onCancel(() => wake?.());
  let activity = initial;
  const outage = new OutageWatch({
    subject: `${inputs.autoScalingGroupId} ${id}`,
    toleranceMs: ctx.outageToleranceMs,
    now: ctx.now,
    log: ctx.log,
    giveUp: (explanation) => outageFailure(inputs, activity, explanation),
  });
  let lastLine = "";
  const acted = new Set<string>();
  try {
    for (;;) {
      if (ctx.cancel.cancelled) throw cancelledFailure(inputs, activity);
      const line = progressLine(activity);
      if (line !== lastLine) ctx.log((lastLine = line));
      const step = waitStep(activity.Status, activity.CurrentRefreshBatchNum, inputs);
      const key = `${step.kind}:${pauseKey(activity)}`;
      if (step.kind !== "none" && !acted.has(key)) {
        acted.add(key);
        await perform(ctx, activity, step, inputs);
        activity = (await describeActivity(ctx, id)) ?? activity;
        continue;
      }
      if (waitIsOver(plan, activity, inputs)) return activity;
      const event = queue.shift();
      if (!event) {
        const remaining = deadline - ctx.now();
        if (remaining <= 0) throw timeoutFailure(inputs, activity, plan.timeoutSeconds);
        outage.check(ctx.poller.lastAnswerAt);
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
        if (classifyError(event.error) === "client") throw event.error;
        outage.failed(event.error);
        outage.check(ctx.poller.lastAnswerAt);
        continue;
      }
      outage.answered();
      if (!event.activity) {
        throw new InstanceRefreshRejected(`Refresh activity ${id} on ${inputs.autoScalingGroupId} disappeared while waiting (DescribeRefreshActivities no longer returns it).`);
      }
      activity = event.activity;
    }
  } finally {
    unlisten();
    unsubscribe();
  }
}

/** Where the activity stands, for failure messages: `RUNNING at batch 1/3`. */
function standing(inputs: NormalizedInputs, activity: RefreshActivity): { outs: InstanceRefreshOutputs; text: string } {
  const outs = toOutputs(inputs, activity);
  return { outs, text: `${activity.Status ?? "INIT"} at batch ${outs.currentBatch}/${outs.batchCount}` };
}

/** A wait that ended before the activity did: the resource stays in state, the next `up` keeps waiting. */
function unfinishedWaitFailure(inputs: NormalizedInputs, activity: RefreshActivity, reason: string, next: string): InstanceRefreshFailure {
  const { outs, text } = standing(inputs, activity);
  const id = activity.RefreshActivityId!;
  const message = `${inputs.autoScalingGroupId} ${id}: ${reason}; it is ${text}. The refresh goes on in the cloud and the resource stays in state; ${next}`;
  return new InstanceRefreshFailure(message, id, outs, [message]);
}

function timeoutFailure(inputs: NormalizedInputs, activity: RefreshActivity, seconds: number): InstanceRefreshFailure {
  return unfinishedWaitFailure(
    inputs,
    activity,
    `timed out after ${seconds} s waiting for ${activity.RefreshActivityId} to settle`,
    "run `pulumi up` again to keep waiting, or raise wait.timeoutSeconds.",
  );
}

function cancelledFailure(inputs: NormalizedInputs, activity: RefreshActivity): InstanceRefreshFailure {
  return unfinishedWaitFailure(
    inputs,
    activity,
    `pulumi was cancelled (Ctrl-C) while waiting for ${activity.RefreshActivityId}`,
    "run `pulumi up` to keep waiting, or `pulumi destroy` to cancel the refresh.",
  );
}

function outageFailure(inputs: NormalizedInputs, activity: RefreshActivity, explanation: string): InstanceRefreshFailure {
  return unfinishedWaitFailure(
    inputs,
    activity,
    `stopped waiting for ${activity.RefreshActivityId}: ${explanation}`,
    "run `pulumi up` again once the API answers to keep waiting (`pulumi refresh` reads the refresh back).",
  );
}

// ---------------------------------------------------------------------------------------------
// Outcome

/** Outputs for the activity; throws {@link InstanceRefreshFailure} when it failed, was cancelled or paused on a failure. */
async function outcome(ctx: FlowContext, inputs: NormalizedInputs, activity: RefreshActivity): Promise<FlowResult> {
  const id = activity.RefreshActivityId!;
  const rollbackActivityId = await rollbackIdFor(ctx, inputs, activity);
  const outs = toOutputs(inputs, activity, rollbackActivityId);
  if (!FAILURE_STATUSES.has(outs.status)) return { id, outs };

  // The engine prints only the reasons of a partial failure: the first one names the group and the activity.
  const reasons = [`Instance refresh ${id} on ${inputs.autoScalingGroupId} is ${outs.status} at batch ${outs.currentBatch}/${outs.batchCount}`];
  for (const f of outs.failedInstances) reasons.push(`${f.instanceId} (batch ${f.batch}): ${f.message}`);
  let hint: string;
  if (outs.status === "FAILED_PAUSE") {
    hint =
      'Paused on failed instances. Run `pulumi up` again to retry them (resumeMode "RETRY"), set resumeMode: "CONTINUE" to skip them, ' +
      "or destroy/replace the resource to cancel the refresh.";
  } else if (rollbackActivityId) {
    hint = `FailProcess AUTO_ROLLBACK started rollback activity ${rollbackActivityId} (see output rollbackActivityId).`;
  } else if (outs.status === "CANCELLED") {
    hint = "The refresh was cancelled; change an entry of `triggers` to start a new one.";
  } else {
    hint = "Change an entry of `triggers` to start a new refresh.";
  }
  reasons.push(hint);
  const failed = outs.failedInstances.length
    ? ` Failed instances: ${outs.failedInstances.map((f) => `${f.instanceId}: ${f.message}`).join("; ")}.`
    : "";
  throw new InstanceRefreshFailure(
    `Instance refresh ${id} on ${inputs.autoScalingGroupId} is ${outs.status} (batch ${outs.currentBatch}/${outs.batchCount}).${failed} ${hint}`,
    id,
    outs,
    reasons,
  );
}

/** Converge, wait, report — shared by create and update once the activity is known. */
async function driveActivity(ctx: FlowContext, inputs: NormalizedInputs, activity: RefreshActivity, firstStep: Step): Promise<FlowResult> {
  const id = activity.RefreshActivityId!;
  let current = activity;
  try {
    if (firstStep.kind !== "none") {
      await perform(ctx, current, firstStep, inputs);
      current = (await describeActivity(ctx, id)) ?? current;
    }
    current = await waitForActivity(ctx, inputs, current, inputs.wait);
    return await outcome(ctx, inputs, current);
  } catch (error) {
    if (error instanceof InstanceRefreshFailure) throw error;
    // The activity exists: keep the resource in state whatever went wrong.
    const outs = toOutputs(inputs, current);
    const message = error instanceof Error ? error.message : String(error);
    const full = `Instance refresh ${id} on ${inputs.autoScalingGroupId}: ${message}`;
    throw new InstanceRefreshFailure(full, id, outs, [full], { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Flows

/**
 * create: adopt `adoptActivityId`, or start a refresh; then wait. A refresh already in flight on
 * the group is never taken over silently, even with the same settings: this resource cannot prove
 * it started it (StartInstanceRefresh has no client token), and another stack may own it. The error
 * names it and how to adopt it on purpose (`adoptActivityId`), which is also how an interrupted
 * `pulumi up` is recovered (docs/recovery.md).
 */
export async function createFlow(ctx: FlowContext, inputs: NormalizedInputs): Promise<FlowResult> {
  const groupId = inputs.autoScalingGroupId;
  if (inputs.adoptActivityId) return adopt(ctx, inputs, inputs.adoptActivityId);

  const inFlight = await inFlightOn(ctx, groupId);
  if (inFlight.length > 0) throw inRefreshError(inputs, inFlight[0]);

  const instanceCount = await inServiceInstanceCount(ctx, groupId);
  const violations = validateAgainstGroup(inputs.refreshSettings.rollingUpdateSettings as unknown as Record<string, unknown>, { instanceCount });
  if (violations.length > 0) {
    const v = violations[0];
    throw new InstanceRefreshRejected(`${v.property} ${v.reason}; nothing was started.`, v.property);
  }
  if (ctx.cancel.cancelled) {
    throw new InstanceRefreshRejected(`${groupId}: pulumi was cancelled (Ctrl-C) before StartInstanceRefresh; nothing was started.`);
  }

  let activityId: string;
  try {
    activityId = await startRefresh(ctx, inputs);
  } catch (error) {
    if (hasCode(error, "ResourceUnavailable.AutoScalingGroupInRefreshActivity")) {
      // Lost a race: someone else started a refresh on the group between our check and our call.
      const now = await unlessTransient(inFlightOn(ctx, groupId));
      if (now?.[0]) throw inRefreshError(inputs, now[0], error);
    }
    throw explainStartError(groupId, error);
  }
  ctx.log(`${groupId} ${activityId}: started (StartInstanceRefresh, ${inputs.refreshSettings.rollingUpdateSettings.batchNumber} batches)`);
  const activity = (await unlessTransient(describeActivity(ctx, activityId))) ?? {
    RefreshActivityId: activityId,
    AutoScalingGroupId: groupId,
    Status: "INIT",
  };
  return driveActivity(ctx, inputs, activity, { kind: "none" });
}

/** Takes over an existing activity on purpose (`adoptActivityId`), then converges and waits. */
async function adopt(ctx: FlowContext, inputs: NormalizedInputs, activityId: string): Promise<FlowResult> {
  const groupId = inputs.autoScalingGroupId;
  const activity = await describeActivity(ctx, activityId);
  if (!activity) {
    throw new InstanceRefreshRejected(`${PROPERTY.adoptActivityId}: refresh activity ${activityId} does not exist in this region.`, PROPERTY.adoptActivityId);
  }
  if (activity.AutoScalingGroupId !== groupId) {
    throw new InstanceRefreshRejected(
      `${PROPERTY.adoptActivityId}: refresh activity ${activityId} belongs to group ${activity.AutoScalingGroupId}, not ${groupId}.`,
      PROPERTY.adoptActivityId,
    );
  }
  ctx.log(`${groupId} ${activityId}: adopted (adoptActivityId), status ${activity.Status}`);
  if (TERMINAL_STATUSES.has(activity.Status ?? "")) return settledOutcome(ctx, inputs, activity);
  return driveActivity(ctx, inputs, activity, convergeStep(activity.Status, activity.CurrentRefreshBatchNum, inputs));
}

/**
 * The conflict error for a group that already runs a refresh: it names the group and the activity,
 * says whether its settings are this resource's, and how to take it over on purpose.
 */
function inRefreshError(inputs: NormalizedInputs, other: RefreshActivity, cause?: unknown): InstanceRefreshRejected {
  const groupId = inputs.autoScalingGroupId;
  const otherId = other.RefreshActivityId;
  const what = `${other.Status}, ${other.ActivityType ?? "NORMAL"}${other.CreatedTime ? `, created ${other.CreatedTime}` : ""}`;
  const sameSettings = matchesInputs(other, inputs)
    ? "with this resource's exact settings, but this resource did not start it: it may belong to another stack or person, or to an earlier `pulumi up` of this stack that was interrupted"
    : "with other settings";
  return new InstanceRefreshRejected(
    `${PROPERTY.groupId}: group ${groupId} already has refresh activity ${otherId} (${what}) ${sameSettings}. ` +
      `One refresh runs per group (the API answers ResourceUnavailable.AutoScalingGroupInRefreshActivity), and this resource never takes one over silently; nothing was started. ` +
      `To manage it with this resource on purpose, set adoptActivityId: "${otherId}" and run \`pulumi up\` again (docs/recovery.md); otherwise wait for it to end or cancel it.`,
    PROPERTY.groupId,
    cause === undefined ? undefined : { cause },
  );
}

function explainStartError(groupId: string, error: unknown): unknown {
  if (!(error instanceof TencentCloudApiError)) return error;
  const explain: Record<string, [string | undefined, string]> = {
    "InvalidParameterValue.BatchNumberTooLarge": [PROPERTY.batchNumber, "must be at most the group's in-service instances"],
    "InvalidParameterValue.MaxSurgeTooLarge": [PROPERTY.maxSurge, "must be at most the instances of one batch"],
    "ResourceNotFound.AutoScalingGroupIdNotFound": [PROPERTY.groupId, `group ${groupId} does not exist in this region`],
    "ResourceUnavailable.NoInstanceCanRefresh": [undefined, `group ${groupId} has no running (IN_SERVICE) instance to refresh`],
    "ResourceUnavailable.AutoScalingGroupInActivity": [undefined, `group ${groupId} is running a scaling activity; retry when it ends`],
    "ResourceUnavailable.AutoScalingGroupAbnormalStatus": [undefined, `group ${groupId} is not in a normal status`],
  };
  const known = explain[error.code];
  if (!known) return error;
  const [property, text] = known;
  return new InstanceRefreshRejected(`${property ? `${property} ` : ""}${text} (${error.code}: ${error.apiMessage}); nothing was started.`, property, {
    cause: error,
  });
}

/**
 * The outputs of an activity that had already ended before this `pulumi up` acted on it: recorded
 * as they are, never a failure of this `up` (its failure, if any, was reported when it happened).
 */
async function settledOutcome(ctx: FlowContext, inputs: NormalizedInputs, activity: RefreshActivity): Promise<FlowResult> {
  const rollbackActivityId = await rollbackIdFor(ctx, inputs, activity);
  return { id: activity.RefreshActivityId!, outs: toOutputs(inputs, activity, rollbackActivityId) };
}

/**
 * update: converge on the desired pause state, then wait. An update that sends nothing and has
 * nothing to wait for — the activity has already ended (SUCCESSFUL, FAILED, CANCELLED) or is paused
 * as desired — records the outputs and succeeds (a FAILED_PAUSE or CANCELLED was reported as a
 * failure by the `up` that saw it happen), explaining why a resume was not sent.
 */
export async function updateFlow(ctx: FlowContext, id: string, inputs: NormalizedInputs): Promise<FlowResult> {
  const activity = await describeActivity(ctx, id);
  if (!activity) {
    throw new InstanceRefreshRejected(
      `Refresh activity ${id} on ${inputs.autoScalingGroupId} no longer exists. Run \`pulumi refresh\` to drop it from state, or change a trigger to start a new refresh.`,
    );
  }
  if (TERMINAL_STATUSES.has(activity.Status ?? "")) {
    if (!inputs.paused && activity.Status !== "SUCCESSFUL") ctx.log(explainConflict(activity, "Resuming", undefined).message);
    return settledOutcome(ctx, inputs, activity);
  }
  const step = convergeStep(activity.Status, activity.CurrentRefreshBatchNum, inputs);
  // Paused as desired (a FAILED_PAUSE kept with paused: true, a gate not approved yet): nothing to send, nothing to wait for.
  if (step.kind === "none" && isSettled(activity.Status, activity.CurrentRefreshBatchNum, inputs)) return settledOutcome(ctx, inputs, activity);
  return driveActivity(ctx, inputs, activity, step);
}

/** read: the live activity as outputs, and inputs whose `paused` reflects an out-of-band pause or resume. */
export async function readFlow(
  ctx: FlowContext,
  id: string,
  inputs: NormalizedInputs,
): Promise<{ id: string; props: InstanceRefreshOutputs; inputs: NormalizedInputs } | undefined> {
  const activity = await describeActivity(ctx, id);
  if (!activity) return undefined;
  const props = toOutputs(inputs, activity, await rollbackIdFor(ctx, inputs, activity));
  let paused = inputs.paused;
  if (activity.Status === "MANUAL_PAUSE") paused = true;
  else if (activity.Status && ACTIVE_STATUSES.has(activity.Status)) paused = false;
  if (paused !== inputs.paused) ctx.log(`${inputs.autoScalingGroupId} ${id}: ${activity.Status} outside Pulumi; paused is now ${paused} in state`);
  if (activity.Status === "CANCELLED") {
    ctx.log(`${inputs.autoScalingGroupId} ${id}: CANCELLED; \`pulumi up\` will not restart it — change an entry of \`triggers\` to start a new refresh`);
  }
  return { id, props: { ...props, paused }, inputs: { ...inputs, paused } };
}

/** What delete needs to know of the resource. */
export interface DeleteTarget {
  readonly id: string;
  readonly groupId: string;
  /** How long to wait for the running batch before cancelling, seconds. */
  readonly timeoutSeconds: number;
}

/**
 * delete: nothing for a finished activity (said in the output: a refresh that ended before the
 * delete reached it was not cancelled); Stop, wait for the batch, Cancel for a running one; Cancel
 * for a paused one. Rides out API outages like a wait, and stops waiting on Ctrl-C (the resource
 * stays in state; `pulumi destroy` again continues).
 */
export async function deleteFlow(ctx: FlowContext, target: DeleteTarget): Promise<void> {
  const { id } = target;
  const deadline = ctx.now() + target.timeoutSeconds * 1000;
  let activity = await describeActivity(ctx, id);
  const subject = `${activity?.AutoScalingGroupId ?? target.groupId} ${id}`;
  if (!activity) {
    ctx.log(`${subject}: the API no longer knows this refresh; nothing to cancel`);
    return;
  }
  if (TERMINAL_STATUSES.has(activity.Status ?? "")) {
    ctx.log(`${subject}: already ${activity.Status}${activity.EndTime ? ` (ended ${activity.EndTime})` : ""} before the delete reached it; nothing to cancel`);
    return;
  }
  const req = { AutoScalingGroupId: activity.AutoScalingGroupId ?? target.groupId, RefreshActivityId: id };

  if (ACTIVE_STATUSES.has(activity.Status ?? "")) {
    ctx.log(`${subject}: ${activity.Status}; pausing before cancelling — StopInstanceRefresh`);
    await mutate(
      ctx,
      async () => {
        try {
          await ctx.client.stopInstanceRefresh(req);
        } catch (error) {
          // Already paused or ended in the meantime: fine, the loop below looks at the status.
          if (!hasCode(error, "ResourceUnavailable.RefreshActivityStatusConflictWithOperation")) throw error;
        }
      },
      async () => {
        const now = await describeActivity(ctx, id);
        return !now || !ACTIVE_STATUSES.has(now.Status ?? "") ? { done: true, value: undefined } : { done: false };
      },
    );
  }

  const outage = new OutageWatch({
    subject,
    toleranceMs: ctx.outageToleranceMs,
    now: ctx.now,
    log: ctx.log,
    giveUp: (explanation) =>
      new Error(`Deleting refresh ${id} on ${req.AutoScalingGroupId}: ${explanation}. It is still in state; run \`pulumi destroy\` again once the API answers.`),
  });
  let cancelSent = false;
  let lastLine = "";
  for (let attempt = 0; ; attempt++) {
    if (ctx.cancel.cancelled) {
      throw new Error(
        `Deleting refresh ${id} on ${req.AutoScalingGroupId}: pulumi was cancelled (Ctrl-C) while waiting to cancel it; it is ${activity.Status} and still in state. Run \`pulumi destroy\` again to finish.`,
      );
    }
    let described: RefreshActivity | undefined;
    try {
      described = await describeActivity(ctx, id);
      outage.answered();
    } catch (error) {
      if (classifyError(error) === "client") throw error;
      outage.failed(error as Error);
      outage.check();
      await ctx.sleep(pollDelay(ctx));
      continue;
    }
    if (!described || TERMINAL_STATUSES.has(described.Status ?? "")) {
      if (described?.Status === "CANCELLED") ctx.log(`${subject}: CANCELLED`);
      else if (described) ctx.log(`${subject}: ${described.Status} before it could be cancelled; nothing was cancelled`);
      return;
    }
    activity = described;
    const line = progressLine(activity);
    if (line !== lastLine) ctx.log((lastLine = line));
    const batchRunning = (activity.RefreshBatchSet ?? []).some((b) => b.RefreshBatchStatus === "RUNNING" || b.RefreshBatchStatus === "INIT");
    if (PAUSED_STATUSES.has(activity.Status ?? "") && !batchRunning) {
      try {
        await ctx.client.cancelInstanceRefresh(req);
        if (!cancelSent) ctx.log(`${subject}: cancelling — CancelInstanceRefresh`);
        cancelSent = true;
      } catch (error) {
        // Refused while a batch still runs, or an unknown outcome: look at the state again.
        if (!(error instanceof TencentCloudApiError)) throw error;
        if (error.kind === "client" && !hasCode(error, "ResourceUnavailable.RefreshActivityStatusConflictWithOperation")) {
          if (hasCode(error, "ResourceNotFound")) return;
          throw error;
        }
      }
    } else if (ACTIVE_STATUSES.has(activity.Status ?? "") && attempt > 0 && attempt % RESTOP_EVERY_POLLS === 0) {
      // Resumed behind our back: pause again (a refused or failed Stop is looked at on the next poll).
      await unlessTransient(
        ctx.client.stopInstanceRefresh(req).catch((error: unknown) => {
          if (!hasCode(error, "ResourceUnavailable.RefreshActivityStatusConflictWithOperation")) throw error;
        }),
      );
    }
    if (ctx.now() >= deadline) {
      throw new Error(
        `Deleting refresh ${id} on ${req.AutoScalingGroupId}: still ${activity.Status} after ${target.timeoutSeconds} s (waiting for the running batch to end before cancelling). Run \`pulumi destroy\` again to keep waiting.`,
      );
    }
    await ctx.sleep(pollDelay(ctx));
  }
}

/** Interval between delete's polls: the poller's. */
function pollDelay(ctx: FlowContext): number {
  return ctx.poller.intervalMs;
}
