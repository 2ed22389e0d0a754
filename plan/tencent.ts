/**
 * Tencent Cloud refreshes in the rollout plan (`InstanceRefresh`, the bridged
 * `StartInstanceRefresh`): the batch plan, the surge, pause and failure settings, and for an
 * in-place update of an InstanceRefresh the call `pulumi up` will send, forecast by the provider's
 * own decision code (`provider/tencentcloud/plannedCalls.ts`) from the status recorded in state.
 */
import { tryNormalize } from "../provider/tencentcloud/check";
import { forecastUpdate, recordedActivityOf, type RecordedActivity, type UpdateForecast } from "../provider/tencentcloud/plannedCalls";
import { DEFAULT_BATCH_PAUSE, DEFAULT_FAIL_PROCESS, DEFAULT_REFRESH_MODE, batchSizes } from "../provider/tencentcloud/settings";
import { BRIDGED_START_INSTANCE_REFRESH_TYPE, INSTANCE_REFRESH_TYPE } from "../provider/tencentcloud/tokens";
import { ACTION_TEXT, classifyLifecycle, forecastCaveat, nameOf, obj, show, stepsOf, type RolloutAction, type RolloutChangeBase } from "./change";
import type { PlannedStep } from "./preview";

/**
 * The Tencent types the plan describes.
 * @example TENCENT_REFRESH_TYPES.has("pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh") // true
 */
export const TENCENT_REFRESH_TYPES: ReadonlySet<string> = new Set([INSTANCE_REFRESH_TYPE, BRIDGED_START_INSTANCE_REFRESH_TYPE]);

/** What a merge does to one Tencent refresh. */
export interface TencentRolloutChange extends RolloutChangeBase {
  cloud: "tencentcloud";
  /** True for the bridged `StartInstanceRefresh` (no `approvedBatches`, no `gate`). */
  bridged: boolean;
  /** `refreshMode` and the rolling-update settings (`batchNumber`, `batchPause`, `maxSurge`, `failProcess`), raw. */
  settings: Record<string, unknown>;
  /** The `gate` input (InstanceRefresh only), raw: unset, unknown, secret or set. Its header values are never shown. */
  gate?: unknown;
  /** Instances per batch, when the group's size is known from the last refresh. */
  batchPlan?: number[];
  /** The activity as recorded in state (the resource's outputs), for updates and deletes. */
  recorded?: RecordedActivity & { activityId?: string };
  /** What `pulumi up` sends and does, for an in-place update of an InstanceRefresh whose new inputs are known. */
  forecast?: UpdateForecast;
}

/**
 * Describes the steps of one Tencent refresh.
 * @example describeTencentChange(urn, stepsOfUrn).action // "pause"
 */
export function describeTencentChange(urn: string, steps: readonly PlannedStep[]): TencentRolloutChange {
  const { ops, type, oldInputs, oldOutputs, inputs, keys, reasons } = stepsOf(steps);
  const settings = obj(obj(inputs.refreshSettings).rollingUpdateSettings);
  const total = Number(obj(oldOutputs.instanceCounts).total);
  const batchNumber = Number(settings.batchNumber);
  const batchPlan =
    Number.isInteger(total) && total > 0 && Number.isInteger(batchNumber) && batchNumber >= 1 && batchNumber <= total
      ? batchSizes(total, batchNumber)
      : undefined;
  const recorded =
    typeof oldOutputs.status === "string"
      ? { ...recordedActivityOf(oldOutputs), activityId: typeof oldOutputs.refreshActivityId === "string" ? oldOutputs.refreshActivityId : undefined }
      : undefined;
  let action: RolloutAction | undefined = classifyLifecycle(ops);
  let forecast: UpdateForecast | undefined;
  if (action === undefined) {
    // An in-place update: what `up` sends depends on the recorded status, not only on the inputs.
    const intent = type === INSTANCE_REFRESH_TYPE ? tryNormalize(inputs) : undefined;
    if (intent && recorded) {
      forecast = forecastUpdate(recorded, intent);
      action = classifyForecast(forecast, recorded, intent.rollback === true);
      if (forecast.step.kind === "resume" && keys.length === 0) reasons.push(`status ${forecast.step.reason}`);
      if (forecast.step.kind === "pause" && keys.length === 0) reasons.push(`status ${recorded.status} and paused is true`);
      if (action === "rollback-wait" && keys.length === 0) reasons.push(`rollbackStatus ${recorded.rollbackStatus ?? "(unset)"} and rollback is true`);
    } else {
      action = "update";
    }
  }
  return {
    cloud: "tencentcloud",
    urn,
    name: nameOf(urn),
    action,
    bridged: type === BRIDGED_START_INSTANCE_REFRESH_TYPE,
    gate: type === INSTANCE_REFRESH_TYPE ? inputs.gate : undefined,
    groupId: String(inputs.autoScalingGroupId ?? oldInputs.autoScalingGroupId ?? "(unknown)"),
    settings: { refreshMode: inputs.refreshMode ?? DEFAULT_REFRESH_MODE, ...settings },
    batchPlan,
    reasons,
    recorded,
    forecast,
  };
}

function classifyForecast(forecast: UpdateForecast, recorded: RecordedActivity, rollback: boolean): RolloutAction {
  const call = forecast.call;
  if (forecast.refused) return "rollback-refused";
  if (call?.action === "RollbackInstanceRefresh") return "rollback";
  if (rollback && forecast.waits) return "rollback-wait";
  if (call?.action === "StopInstanceRefresh") return "pause";
  if (call?.action === "ResumeInstanceRefresh") {
    if (recorded.status === "FAILED_PAUSE") return call.resumeMode === "CONTINUE" ? "skip-failed" : "retry";
    if (recorded.status === "AUTO_PAUSE") return "approve";
    return "resume";
  }
  return forecast.waits ? "wait" : "none";
}

/** The sentences under a change's heading: what `up` sends, from which recorded status. */
function describeForecast(change: TencentRolloutChange): string[] {
  const forecast = change.forecast;
  const recorded = change.recorded;
  if (!forecast || !recorded) return [];
  const at =
    recorded.currentBatch !== undefined && recorded.batchCount !== undefined ? ` at batch ${recorded.currentBatch}/${recorded.batchCount}` : "";
  return [
    `${forecastSentence(change.action, forecast, recorded)}.`,
    // A refusal is a warning: a paragraph of its own.
    ...(forecast.refused !== undefined ? [""] : []),
    forecastCaveat(recorded.status ?? "(unknown)", at),
    "",
  ];
}

/** What `up` sends and then does, as one sentence without its full stop. */
function forecastSentence(action: RolloutAction, forecast: UpdateForecast, recorded: NonNullable<TencentRolloutChange["recorded"]>): string {
  const subject = recorded.activityId ?? "the refresh";
  const call = forecast.call;
  if (forecast.refused !== undefined) return `⚠️ \`pulumi up\` will fail and send nothing: ${subject} cannot be rolled back: ${forecast.refused}`;
  if (call?.action === "RollbackInstanceRefresh") {
    const sends = forecast.pausesFirst
      ? "`pulumi up` pauses the running refresh (StopInstanceRefresh), then sends RollbackInstanceRefresh"
      : "`pulumi up` sends RollbackInstanceRefresh";
    const returning =
      call.instances === 1 ? "1 instance returns to the configuration it had" : `${call.instances} instances return to the configuration they had`;
    const then = forecast.waits ? ", then waits until the rollback settles" : "; it returns once the rollback has started (wait.until started)";
    return `${sends}, which rolls back ${subject}: ${returning} before the refresh${then}`;
  }
  if (action === "rollback-wait") {
    return (
      `\`pulumi up\` sends no second RollbackInstanceRefresh: ${subject} already has rollback ${recorded.rollbackActivityId ?? "(id unknown)"} ` +
      `(${recorded.rollbackStatus ?? "status unknown"}), and waits until the rollback settles`
    );
  }
  const activity = recorded.activityId ? ` ${recorded.activityId}` : "";
  let sentence: string;
  if (call?.action === "ResumeInstanceRefresh") sentence = `\`pulumi up\` sends ResumeInstanceRefresh (ResumeMode ${call.resumeMode}) to${activity}`;
  else if (call) sentence = `\`pulumi up\` sends ${call.action} to${activity}`;
  else sentence = `\`pulumi up\` sends no API call to${activity}`;
  if (forecast.waits) {
    sentence += ", then waits until it settles";
    const gates = forecast.passesGatesUpTo;
    if (gates !== undefined) sentence += `, resuming the AUTO_PAUSE after ${gates === 1 ? "batch 1" : `each of batches 1 to ${gates}`} (approvedBatches)`;
  } else if (!call) {
    sentence += ` (it is ${recorded.status}; only the inputs in state change)`;
  }
  return sentence;
}

/**
 * The Markdown section of one Tencent change: heading, forecast, settings table, reasons.
 * @example tencentSection(change)[0] // "### `web-rollout` on `asg-h7tgd87d` — pauses the running refresh"
 */
export function tencentSection(change: TencentRolloutChange): string[] {
  const s = change.settings;
  const plan = change.batchPlan ? ` (${change.batchPlan.join(" + ")} instances)` : "";
  return [
    `### \`${change.name}\` on \`${change.groupId}\` — ${ACTION_TEXT[change.action]}`,
    "",
    ...describeForecast(change),
    "| setting | value |",
    "|---|---|",
    `| mode | ${String(s.refreshMode)} |`,
    `| batches | ${show(s.batchNumber)}${plan} |`,
    `| max surge | ${show(s.maxSurge ?? 0)} |`,
    `| pause | ${String(s.batchPause ?? DEFAULT_BATCH_PAUSE)} |`,
    `| on failure | ${String(s.failProcess ?? DEFAULT_FAIL_PROCESS)} |`,
    "",
  ];
}
