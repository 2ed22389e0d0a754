/**
 * The create / update / read / delete flows over one region's client: start or adopt an activity,
 * converge on the desired pause state, wait, and report the outcome. The provider object in
 * `host.ts` only resolves inputs and configuration and calls these.
 */
import type { RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type { AutoScalingClient } from "./client/client";
import { TencentCloudApiError, hasCode } from "./client/errors";
import { backoffDelay, type Random, type Sleep } from "./client/retry";
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
import type { RefreshPoller } from "./poller";
import { PROPERTY, validateAgainstGroup, type NormalizedInputs } from "./settings";
import type { InstanceRefreshOutputs } from "./types";

/** Attempts of one mutating call (the first included); each re-send follows a state check. @default 4 */
export const MAX_MUTATION_ATTEMPTS = 4;
/** Backoff base between mutation attempts, ms. @default 200 */
export const MUTATION_BASE_DELAY_MS = 200;
/** Backoff cap between mutation attempts, ms. @default 5000 */
export const MUTATION_MAX_DELAY_MS = 5000;
/** Consecutive failed polls a wait tolerates (each already retried by the client). @default 3 */
export const MAX_CONSECUTIVE_POLL_ERRORS = 3;

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

/**
 * Waits on the shared poller until the activity settles for `inputs` (terminal, or paused and not
 * approved to go on), pausing or passing approved gates on the way. Prints a progress line on
 * every change. Throws {@link InstanceRefreshFailure} on timeout.
 */
async function waitForActivity(ctx: FlowContext, inputs: NormalizedInputs, initial: RefreshActivity, plan: WaitPlan): Promise<RefreshActivity> {
  const id = initial.RefreshActivityId!;
  const deadline = ctx.now() + plan.timeoutSeconds * 1000;
  const queue: Array<{ activity?: RefreshActivity; error?: Error }> = [];
  let wake: (() => void) | undefined;
  const unsubscribe = ctx.poller.subscribe(id, (event) => {
    queue.push(event);
    wake?.();
  });
  let activity = initial;
  let lastLine = "";
  let pollErrors = 0;
  const acted = new Set<string>();
  try {
    for (;;) {
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
      if (plan.until === "started" || isSettled(activity.Status, activity.CurrentRefreshBatchNum, inputs)) return activity;
      if (queue.length === 0) {
        const remaining = deadline - ctx.now();
        if (remaining <= 0) throw timeoutFailure(inputs, activity, plan.timeoutSeconds);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        continue;
      }
      const event = queue.shift()!;
      if (event.error) {
        if (!(event.error instanceof TencentCloudApiError) || event.error.kind === "client" || ++pollErrors >= MAX_CONSECUTIVE_POLL_ERRORS) {
          throw event.error;
        }
        continue;
      }
      pollErrors = 0;
      if (!event.activity) {
        throw new InstanceRefreshRejected(`Refresh activity ${id} on ${inputs.autoScalingGroupId} disappeared while waiting (DescribeRefreshActivities no longer returns it).`);
      }
      activity = event.activity;
    }
  } finally {
    unsubscribe();
  }
}

function timeoutFailure(inputs: NormalizedInputs, activity: RefreshActivity, seconds: number): InstanceRefreshFailure {
  const outs = toOutputs(inputs, activity);
  const reason = `timed out after ${seconds} s waiting for ${activity.RefreshActivityId} to settle; it is ${activity.Status} at batch ${outs.currentBatch}/${outs.batchCount}`;
  return new InstanceRefreshFailure(
    `${inputs.autoScalingGroupId} ${activity.RefreshActivityId}: ${reason}. The refresh goes on in the cloud and the resource stays in state; ` +
      `run \`pulumi up\` again to keep waiting, or raise wait.timeoutSeconds.`,
    activity.RefreshActivityId!,
    outs,
    [reason],
  );
}

// ---------------------------------------------------------------------------------------------
// Outcome

/** Outputs for the activity; throws {@link InstanceRefreshFailure} when it failed, was cancelled or paused on a failure. */
async function outcome(ctx: FlowContext, inputs: NormalizedInputs, activity: RefreshActivity): Promise<FlowResult> {
  const id = activity.RefreshActivityId!;
  let rollbackActivityId: string | undefined;
  if (activity.Status === "FAILED" && inputs.refreshSettings.rollingUpdateSettings.failProcess === "AUTO_ROLLBACK") {
    rollbackActivityId = await findRollbackActivityId(ctx, activity).catch(() => undefined);
  }
  const outs = toOutputs(inputs, activity, rollbackActivityId);
  if (!FAILURE_STATUSES.has(outs.status)) return { id, outs };

  const reasons = [`status ${outs.status} at batch ${outs.currentBatch}/${outs.batchCount}`];
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
  return Promise.reject(
    new InstanceRefreshFailure(
      `Instance refresh ${id} on ${inputs.autoScalingGroupId} is ${outs.status} (batch ${outs.currentBatch}/${outs.batchCount}).${failed} ${hint}`,
      id,
      outs,
      reasons,
    ),
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
    throw new InstanceRefreshFailure(`Instance refresh ${id} on ${inputs.autoScalingGroupId}: ${message}`, id, outs, [message], { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Flows

/** create: adopt `adoptActivityId`, or an activity an interrupted run started, or start a refresh; then wait. */
export async function createFlow(ctx: FlowContext, inputs: NormalizedInputs): Promise<FlowResult> {
  const groupId = inputs.autoScalingGroupId;
  if (inputs.adoptActivityId) {
    const activity = await describeActivity(ctx, inputs.adoptActivityId);
    if (!activity) {
      throw new InstanceRefreshRejected(`${PROPERTY.adoptActivityId}: refresh activity ${inputs.adoptActivityId} does not exist in this region.`, PROPERTY.adoptActivityId);
    }
    if (activity.AutoScalingGroupId !== groupId) {
      throw new InstanceRefreshRejected(
        `${PROPERTY.adoptActivityId}: refresh activity ${inputs.adoptActivityId} belongs to group ${activity.AutoScalingGroupId}, not ${groupId}.`,
        PROPERTY.adoptActivityId,
      );
    }
    ctx.log(`${groupId} ${activity.RefreshActivityId}: adopted (adoptActivityId), status ${activity.Status}`);
    return driveActivity(ctx, inputs, activity, convergeStep(activity.Status, activity.CurrentRefreshBatchNum, inputs));
  }

  const inFlight = await inFlightOn(ctx, groupId);
  const mine = inFlight.find((a) => matchesInputs(a, inputs));
  if (mine) {
    ctx.log(
      `${groupId} ${mine.RefreshActivityId}: adopted the ${mine.Status} refresh with these exact settings (an earlier \`pulumi up\` was interrupted) instead of starting a second one`,
    );
    return driveActivity(ctx, inputs, mine, convergeStep(mine.Status, mine.CurrentRefreshBatchNum, inputs));
  }
  if (inFlight.length > 0) throw inRefreshError(groupId, inFlight[0]);

  const instanceCount = await inServiceInstanceCount(ctx, groupId);
  const violations = validateAgainstGroup(inputs.refreshSettings.rollingUpdateSettings as unknown as Record<string, unknown>, { instanceCount });
  if (violations.length > 0) {
    const v = violations[0];
    throw new InstanceRefreshRejected(`${v.property} ${v.reason}; nothing was started.`, v.property);
  }

  let activityId: string;
  try {
    activityId = await startRefresh(ctx, inputs);
  } catch (error) {
    if (hasCode(error, "ResourceUnavailable.AutoScalingGroupInRefreshActivity")) {
      const now = await inFlightOn(ctx, groupId);
      const adopted = now.find((a) => matchesInputs(a, inputs));
      if (adopted) return driveActivity(ctx, inputs, adopted, convergeStep(adopted.Status, adopted.CurrentRefreshBatchNum, inputs));
      if (now[0]) throw inRefreshError(groupId, now[0]);
    }
    throw explainStartError(groupId, error);
  }
  ctx.log(`${groupId} ${activityId}: started (StartInstanceRefresh, ${inputs.refreshSettings.rollingUpdateSettings.batchNumber} batches)`);
  const activity = (await describeActivity(ctx, activityId).catch(() => undefined)) ?? {
    RefreshActivityId: activityId,
    AutoScalingGroupId: groupId,
    Status: "INIT",
  };
  return driveActivity(ctx, inputs, activity, { kind: "none" });
}

function inRefreshError(groupId: string, other: RefreshActivity): InstanceRefreshRejected {
  return new InstanceRefreshRejected(
    `Group ${groupId} already has refresh activity ${other.RefreshActivityId} (${other.Status}, ${other.ActivityType ?? "NORMAL"}) with other settings ` +
      `(the API would answer ResourceUnavailable.AutoScalingGroupInRefreshActivity: one refresh per group). ` +
      `Set adoptActivityId: "${other.RefreshActivityId}" to manage it with this resource, or cancel it first.`,
    PROPERTY.groupId,
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

/** update: converge on the desired pause state, then wait. */
export async function updateFlow(ctx: FlowContext, id: string, inputs: NormalizedInputs): Promise<FlowResult> {
  const activity = await describeActivity(ctx, id);
  if (!activity) {
    throw new InstanceRefreshRejected(
      `Refresh activity ${id} on ${inputs.autoScalingGroupId} no longer exists. Run \`pulumi refresh\` to drop it from state, or change a trigger to start a new refresh.`,
    );
  }
  const step = convergeStep(activity.Status, activity.CurrentRefreshBatchNum, inputs);
  if (TERMINAL_STATUSES.has(activity.Status ?? "") && !inputs.paused && activity.Status !== "SUCCESSFUL") {
    // Nothing can be resumed: explain instead of sending a call the API refuses.
    ctx.log(explainConflict(activity, "Resuming", undefined).message);
  }
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
  let rollbackActivityId: string | undefined;
  if (activity.Status === "FAILED" && inputs.refreshSettings.rollingUpdateSettings.failProcess === "AUTO_ROLLBACK") {
    rollbackActivityId = await findRollbackActivityId(ctx, activity);
  }
  const props = toOutputs(inputs, activity, rollbackActivityId);
  let paused = inputs.paused;
  if (activity.Status === "MANUAL_PAUSE") paused = true;
  else if (activity.Status && ACTIVE_STATUSES.has(activity.Status)) paused = false;
  if (paused !== inputs.paused) ctx.log(`${inputs.autoScalingGroupId} ${id}: ${activity.Status} outside Pulumi; paused is now ${paused} in state`);
  if (activity.Status === "CANCELLED" && props.status !== undefined) {
    ctx.log(`${inputs.autoScalingGroupId} ${id}: CANCELLED; \`pulumi up\` will not restart it — change an entry of \`triggers\` to start a new refresh`);
  }
  return { id, props: { ...props, paused }, inputs: { ...inputs, paused } };
}

/** delete: nothing for a finished activity; Stop, wait for the batch, Cancel for a running one; Cancel for a paused one. */
export async function deleteFlow(ctx: FlowContext, id: string, groupId: string, timeoutSeconds: number): Promise<void> {
  const deadline = ctx.now() + timeoutSeconds * 1000;
  let activity = await describeActivity(ctx, id);
  if (!activity || TERMINAL_STATUSES.has(activity.Status ?? "")) return;
  const req = { AutoScalingGroupId: activity.AutoScalingGroupId ?? groupId, RefreshActivityId: id };

  if (ACTIVE_STATUSES.has(activity.Status ?? "")) {
    ctx.log(`${req.AutoScalingGroupId} ${id}: ${activity.Status}; pausing before cancelling — StopInstanceRefresh`);
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

  let lastLine = "";
  for (let attempt = 0; ; attempt++) {
    activity = await describeActivity(ctx, id);
    if (!activity || TERMINAL_STATUSES.has(activity.Status ?? "")) {
      if (activity?.Status === "CANCELLED") ctx.log(`${req.AutoScalingGroupId} ${id}: CANCELLED`);
      return;
    }
    const line = progressLine(activity);
    if (line !== lastLine) ctx.log((lastLine = line));
    const batchRunning = (activity.RefreshBatchSet ?? []).some((b) => b.RefreshBatchStatus === "RUNNING" || b.RefreshBatchStatus === "INIT");
    if (PAUSED_STATUSES.has(activity.Status ?? "") && !batchRunning) {
      try {
        await ctx.client.cancelInstanceRefresh(req);
        ctx.log(`${req.AutoScalingGroupId} ${id}: cancelling — CancelInstanceRefresh`);
      } catch (error) {
        // Refused while a batch still runs, or an unknown outcome: look at the state again.
        if (!(error instanceof TencentCloudApiError)) throw error;
        if (error.kind === "client" && !hasCode(error, "ResourceUnavailable.RefreshActivityStatusConflictWithOperation")) {
          if (hasCode(error, "ResourceNotFound")) return;
          throw error;
        }
      }
    } else if (ACTIVE_STATUSES.has(activity.Status ?? "") && attempt > 0 && attempt % 10 === 0) {
      // Resumed behind our back: pause again.
      await ctx.client.stopInstanceRefresh(req).catch(() => undefined);
    }
    if (ctx.now() >= deadline) {
      throw new Error(
        `Deleting refresh ${id} on ${req.AutoScalingGroupId}: still ${activity.Status} after ${timeoutSeconds} s (waiting for the running batch to end before cancelling). Run \`pulumi destroy\` again to keep waiting.`,
      );
    }
    await ctx.sleep(pollDelay(ctx));
  }
}

/** Interval between delete's polls: the poller's. */
function pollDelay(ctx: FlowContext): number {
  return ctx.poller.intervalMs;
}
