/**
 * Alibaba Cloud ESS refreshes in the rollout plan (this package's `AlicloudInstanceRefresh`, the
 * bridged `alicloud.ess.InstanceRefresh`): the desired configuration, the healthy percentages in
 * words, the checkpoints, SkipMatching, and what `pulumi up` will send — StartInstanceRefresh on a
 * create or replace; for an update of an AlicloudInstanceRefresh, the call the provider's own
 * decisions (`provider/alibabacloud/plannedCalls.ts`) take on the status recorded in state;
 * CancelInstanceRefresh on a delete. The bridged resource's provider does less: only its `status`
 * updates in place, and its delete sends nothing.
 */
import { containsUnknown, isUnknown } from "../provider/core/check";
import { BRIDGED_STATUS_ACTIONS, BRIDGED_UNSET_SKIP_MATCHING, bridgedEssInputs } from "../provider/alibabacloud/bridged";
import { tryNormalizeAlicloud } from "../provider/alibabacloud/check";
import {
  forecastAlicloudDelete,
  forecastAlicloudUpdate,
  recordedTaskOf,
  type AlicloudUpdateForecast,
  type RecordedTask,
} from "../provider/alibabacloud/plannedCalls";
import { CHECKPOINT_PAUSE_MINUTES, CHECKPOINT_PERCENTAGE, MAX_HEALTHY_PERCENTAGE, MIN_HEALTHY_PERCENTAGE } from "../provider/alibabacloud/settings";
import { ALICLOUD_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_INSTANCE_REFRESH_TYPE } from "../provider/alibabacloud/tokens";
import { alicloudSurgePercent, alicloudUnavailablePercent } from "../policies/normalForm";
import { ACTION_TEXT, classifyLifecycle, forecastCaveat, nameOf, obj, stepsOf, type RolloutAction, type RolloutChangeBase } from "./change";
import type { PlannedStep } from "./preview";

/**
 * The ESS types the plan describes.
 * @example ALICLOUD_REFRESH_TYPES.has("alicloud:ess/instanceRefresh:InstanceRefresh") // true
 */
export const ALICLOUD_REFRESH_TYPES: ReadonlySet<string> = new Set([ALICLOUD_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_INSTANCE_REFRESH_TYPE]);

/** Shown for a value the preview does not know yet. */
const UNKNOWN_TEXT = "(known after apply)";
/** Both healthy percentages at 100: the API's documented meaning. */
const ONE_AT_A_TIME = 100;

/** The heading's words where ESS says it differently from {@link ACTION_TEXT}. */
export const ESS_ACTION_TEXT: Partial<Record<RolloutAction, string>> = {
  approve: "resumes the canary refresh from its checkpoint pause (approvedCheckpoints)",
  rollback: "rolls back the refresh",
  "rollback-wait": "waits for the task's rollback to settle; sends no second rollback",
};

/** What a merge does to one ESS refresh. */
export interface AlicloudRolloutChange extends RolloutChangeBase {
  cloud: "alicloud";
  /** True for the bridged `alicloud.ess.InstanceRefresh`. */
  bridged: boolean;
  /** The settings as `AlicloudInstanceRefresh` inputs (the bridged arguments converted), raw: unset, unknown or set. */
  settings: Record<string, unknown>;
  /** The `gate` input (AlicloudInstanceRefresh only), raw: unset, unknown, secret or set. Its header values are never shown. */
  gate?: unknown;
  /** How long `up` waits for the task: from `wait.until`; undefined when unknown (and always for the bridged resource). */
  waitUntil?: "started" | "settled";
  /** The task as recorded in state (an AlicloudInstanceRefresh's outputs), for updates, replacements and deletes. */
  recorded?: RecordedTask;
  /** What `pulumi up` sends and does, for an in-place update of an AlicloudInstanceRefresh whose new inputs are known. */
  forecast?: AlicloudUpdateForecast;
  /** The `status` a bridged resource's update sets. */
  bridgedStatus?: unknown;
}

/** `wait.until` of the inputs: `settled` unless set to `started`; undefined when unknown. */
function waitUntilOf(inputs: Record<string, unknown>): "started" | "settled" | undefined {
  const until = obj(inputs.wait).until;
  if (isUnknown(inputs.wait) || isUnknown(until)) return undefined;
  return until === "started" ? "started" : "settled";
}

/**
 * Describes the steps of one ESS refresh.
 * @example describeAlicloudChange(urn, stepsOfUrn).action // "start"
 */
export function describeAlicloudChange(urn: string, steps: readonly PlannedStep[]): AlicloudRolloutChange {
  const { ops, type, oldInputs, oldOutputs, inputs, keys, reasons } = stepsOf(steps);
  const bridged = type === BRIDGED_ESS_INSTANCE_REFRESH_TYPE;
  const settings = bridged ? bridgedEssInputs(inputs) : inputs;
  // The bridged resource's outputs hold its status but not this package's progress fields: only this package's are read.
  const recorded = !bridged && typeof oldOutputs.status === "string" ? recordedTaskOf(oldOutputs) : undefined;
  const base = {
    cloud: "alicloud" as const,
    urn,
    name: nameOf(urn),
    groupId: String(inputs.scalingGroupId ?? oldInputs.scalingGroupId ?? "(unknown)"),
    bridged,
    settings,
    gate: bridged ? undefined : inputs.gate,
    waitUntil: bridged ? undefined : waitUntilOf(inputs),
    recorded,
    reasons,
  };
  const lifecycle = classifyLifecycle(ops);
  if (lifecycle !== undefined) return { ...base, action: bridged && lifecycle === "cancel" ? "forget" : lifecycle };
  if (bridged) {
    const status = inputs.status;
    const call = typeof status === "string" ? BRIDGED_STATUS_ACTIONS[status as keyof typeof BRIDGED_STATUS_ACTIONS] : undefined;
    const action: RolloutAction =
      isUnknown(status) ? "update" : call === "CancelInstanceRefresh" ? "cancel" : call === "RollbackInstanceRefresh" ? "rollback" : "none";
    return { ...base, action, bridgedStatus: status };
  }
  // An in-place update: what `up` sends depends on the recorded status, not only on the inputs.
  const intent = tryNormalizeAlicloud(inputs);
  if (!intent || !recorded) return { ...base, action: "update" };
  const forecast = forecastAlicloudUpdate(recorded, intent);
  const action = classifyForecast(forecast, recorded);
  if (keys.length === 0) {
    if (forecast.step.kind === "resume") reasons.push(`status ${forecast.step.reason}`);
    if (forecast.step.kind === "pause") reasons.push(`status ${recorded.status} and paused is true`);
    if (action === "rollback-wait") reasons.push(`status ${recorded.status} and rollback is true`);
  }
  return { ...base, action, forecast };
}

function classifyForecast(forecast: AlicloudUpdateForecast, recorded: RecordedTask): RolloutAction {
  const call = forecast.call;
  if (forecast.refused !== undefined) return "rollback-refused";
  if (call?.action === "RollbackInstanceRefresh") return "rollback";
  if (forecast.rollbackExists && forecast.waits) return "rollback-wait";
  if (call?.action === "SuspendInstanceRefresh") return "pause";
  if (call?.action === "ResumeInstanceRefresh") return recorded.status === "CheckpointPause" ? "approve" : "resume";
  return forecast.waits ? "wait" : "none";
}

// ---------------------------------------------------------------------------------------------
// What `up` sends, in words

/** `, then waits until it settles` / `; it returns once … (wait.until started)` / nothing when unknown. */
function waitClause(until: "started" | "settled" | undefined, what: string): string {
  if (until === "settled") return `, then waits until ${what} settles`;
  if (until === "started") return `; it returns once ${what} has started (wait.until started)`;
  return "";
}

/** What delete does to the recorded task, as a clause after "`pulumi up` …". */
function deleteClause(recorded: RecordedTask | undefined): string {
  const task = recorded?.taskId ?? "the task";
  switch (forecastAlicloudDelete(recorded ?? {})) {
    case "nothing":
      return `sends nothing to ${task}, which is ${recorded?.status} (nothing to cancel)`;
    case "waitForEnd":
      return `sends nothing to ${task} while it is ${recorded?.status} (the API cancels no rollback in progress) and waits for it to end`;
    case "cancel":
      return `sends CancelInstanceRefresh to ${task} (${recorded?.status} in state) and waits until it has ended`;
    case "unknown":
      return `sends CancelInstanceRefresh to ${task} if it has not ended, and waits until it has`;
  }
}

/** The sentences of a create, replace or delete of an AlicloudInstanceRefresh. */
function lifecycleSentences(change: AlicloudRolloutChange): string[] {
  const start = `sends StartInstanceRefresh to ${change.groupId}${waitClause(change.waitUntil, "the task")}`;
  if (change.action === "start") return [`\`pulumi up\` ${start}.`];
  if (change.action === "restart") return [`\`pulumi up\` first deletes the current task: it ${deleteClause(change.recorded)}. Then it ${start}.`];
  return [`\`pulumi up\` ${deleteClause(change.recorded)}.`];
}

/** The sentences of any change of the bridged resource. */
function bridgedSentences(change: AlicloudRolloutChange): string[] {
  switch (change.action) {
    case "start":
      return [`\`pulumi up\` sends StartInstanceRefresh to ${change.groupId} (through the bridged alicloud provider).`];
    case "restart":
      return [
        `\`pulumi up\` sends StartInstanceRefresh to ${change.groupId} for the new task. The old task is not cancelled: the bridged ` +
          "provider's delete only removes it from state, and while it still runs the API refuses the new one (one task per group).",
      ];
    case "forget":
      return ["`pulumi up` sends nothing: the bridged provider's delete only removes the task from state; a task that still runs goes on."];
    case "cancel":
      return ['`pulumi up` sends CancelInstanceRefresh (status "Cancelled") and waits out Cancelling.'];
    case "rollback":
      return ['`pulumi up` sends RollbackInstanceRefresh (status "RollbackSuccessful") and waits out RollbackInProgress; it fails on RollbackFailed.'];
    case "update":
      return ["The plan cannot tell what `pulumi up` sends: the new `status` is not known yet."];
    default:
      return [
        `\`pulumi up\` sends no API call: the bridged provider acts only on status "Cancelled" or "RollbackSuccessful" ` +
          `(status ${JSON.stringify(change.bridgedStatus) ?? "unset"}).`,
      ];
  }
}

/** What an update of an AlicloudInstanceRefresh sends and then does, as one sentence without its full stop. */
function updateSentence(change: AlicloudRolloutChange, forecast: AlicloudUpdateForecast, recorded: RecordedTask): string {
  const task = recorded.taskId ?? "the task";
  const call = forecast.call;
  if (forecast.refused !== undefined) return `⚠️ \`pulumi up\` will fail and send nothing: ${task} cannot be rolled back: ${forecast.refused}`;
  if (call?.action === "RollbackInstanceRefresh") {
    const sends = forecast.suspendsFirst
      ? "`pulumi up` suspends the running task (SuspendInstanceRefresh), then sends RollbackInstanceRefresh"
      : "`pulumi up` sends RollbackInstanceRefresh";
    const done =
      recorded.finishedUpdateCapacity !== undefined && recorded.totalNeedUpdateCapacity !== undefined
        ? ` (capacity ${recorded.finishedUpdateCapacity} of ${recorded.totalNeedUpdateCapacity} refreshed so far)`
        : "";
    return `${sends}, which rolls back ${task}${done}${waitClause(change.waitUntil, "the rollback")}`;
  }
  if (change.action === "rollback-wait") {
    return `\`pulumi up\` sends no second RollbackInstanceRefresh: ${task} is already ${recorded.status} (a rollback is the task's own status), and waits until the rollback settles`;
  }
  let sentence = call ? `\`pulumi up\` sends ${call.action} to ${task}` : `\`pulumi up\` sends no API call to ${task}`;
  if (forecast.waits) {
    sentence += ", then waits until it settles";
    const gates = forecast.passesGatesUpTo;
    if (gates !== undefined) sentence += `, resuming the CheckpointPause at ${gates === 1 ? "checkpoint 1" : `each of checkpoints 1 to ${gates}`} (approvedCheckpoints)`;
  } else if (!call) {
    sentence += ` (it is ${recorded.status}; only the inputs in state change)`;
  }
  return sentence;
}

/** The paragraphs under a change's heading: what `up` sends, and for an update from which recorded status. */
function sendsParagraphs(change: AlicloudRolloutChange): string[] {
  if (change.bridged) return [...bridgedSentences(change), ""];
  if (change.action === "start" || change.action === "restart" || change.action === "cancel") return [...lifecycleSentences(change), ""];
  const { forecast, recorded } = change;
  if (!forecast || !recorded) return [];
  const at =
    recorded.checkpointCount !== undefined && recorded.checkpointCount > 0
      ? ` (${recorded.currentCheckpoint ?? 0} of ${recorded.checkpointCount} checkpoints reached)`
      : "";
  return [
    `${updateSentence(change, forecast, recorded)}.`,
    // A refusal is a warning: a paragraph of its own.
    ...(forecast.refused !== undefined ? [""] : []),
    forecastCaveat(recorded.status ?? "(unknown)", at),
    "",
  ];
}

// ---------------------------------------------------------------------------------------------
// The settings, in words

/** `` `value` ``, or the unknown marker. */
const code = (value: unknown): string => (isUnknown(value) ? UNKNOWN_TEXT : `\`${String(value)}\``);

/**
 * The desired configuration in words: what the instances are refreshed onto.
 * @example desiredText({ imageId: "m-bp1abc" }) // "image `m-bp1abc`"
 */
export function desiredText(desired: unknown): string {
  if (isUnknown(desired)) return UNKNOWN_TEXT;
  const d = obj(desired);
  const parts: string[] = [];
  if (d.imageId !== undefined) parts.push(`image ${code(d.imageId)}`);
  if (d.scalingConfigurationId !== undefined) parts.push(`scaling configuration ${code(d.scalingConfigurationId)}`);
  if (d.launchTemplateId !== undefined) {
    const version = d.launchTemplateVersion === undefined ? "" : ` version ${code(d.launchTemplateVersion)}`;
    const types = Array.isArray(d.launchTemplateOverrides)
      ? ` (instance types ${d.launchTemplateOverrides.map((o) => code(obj(o).instanceType)).join(", ")})`
      : "";
    parts.push(`launch template ${code(d.launchTemplateId)}${version}${types}`);
  }
  if (Array.isArray(d.containers)) {
    const containers = d.containers.map((c) => `${code(obj(c).name)}${obj(c).image === undefined ? "" : ` (${code(obj(c).image)})`}`);
    parts.push(`containers ${containers.join(", ")}`);
  }
  return parts.length > 0 ? parts.join("; ") : "the group's active configuration (unset)";
}

/** A percentage as the table shows it: `80 %`, `80 % (default)` when unset, or unknown. */
function percentText(value: unknown, fallback: number): string {
  if (isUnknown(value)) return UNKNOWN_TEXT;
  return value === undefined ? `${fallback} % (default)` : `${String(value)} %`;
}

/**
 * Min and Max in words: what share of capacity stays in service and how much is added.
 * @example healthyText(80, 120) // "min 80 %, max 120 %: keeps ≥ 80 % of capacity in service, adds ≤ 20 % surge"
 */
export function healthyText(min: unknown, max: unknown): string {
  const numbers = `min ${percentText(min, MIN_HEALTHY_PERCENTAGE.default)}, max ${percentText(max, MAX_HEALTHY_PERCENTAGE.default)}`;
  const minValue = min ?? MIN_HEALTHY_PERCENTAGE.default;
  const maxValue = max ?? MAX_HEALTHY_PERCENTAGE.default;
  if (typeof minValue !== "number" || typeof maxValue !== "number") return numbers;
  const oneAtATime = minValue === ONE_AT_A_TIME && maxValue === ONE_AT_A_TIME ? " (Min = Max = 100: one instance at a time)" : "";
  return (
    `${numbers}: keeps ≥ ${minValue} % of capacity in service (≤ ${alicloudUnavailablePercent(minValue)} % out at once), ` +
    `adds ≤ ${alicloudSurgePercent(maxValue)} % surge${oneAtATime}`
  );
}

/**
 * The checkpoints in words.
 * @example checkpointsText([{ percentage: 20 }, { percentage: 100 }], undefined, false) // "pauses at 20 % for 60 min (approvedCheckpoints resumes it early), then 100 %"
 */
export function checkpointsText(checkpoints: unknown, pauseTime: unknown, bridged: boolean): string {
  if (containsUnknown(checkpoints)) return UNKNOWN_TEXT;
  const gates = (Array.isArray(checkpoints) ? checkpoints : [])
    .map((c) => obj(c).percentage)
    .filter((p): p is number => typeof p === "number" && p < CHECKPOINT_PERCENTAGE.max);
  if (gates.length === 0) return `none: refreshes to ${CHECKPOINT_PERCENTAGE.max} % without pausing`;
  const minutes = isUnknown(pauseTime) ? UNKNOWN_TEXT : String(pauseTime ?? CHECKPOINT_PAUSE_MINUTES.default);
  const at = gates.map((p) => `${p} %`).join(gates.length === 2 ? " and " : ", ");
  const each = gates.length > 1 ? " each" : "";
  const early = bridged ? "" : ` (approvedCheckpoints resumes ${gates.length > 1 ? "each" : "it"} early)`;
  return `pauses at ${at} for ${minutes} min${each}${early}, then ${CHECKPOINT_PERCENTAGE.max} %`;
}

/**
 * SkipMatching in words, with what unset means for each kind.
 * @example skipMatchingText(undefined, true) // "false (unset: the bridged provider sends false): instances already on the desired configuration are refreshed too"
 */
export function skipMatchingText(skipMatching: unknown, bridged: boolean): string {
  if (isUnknown(skipMatching)) return UNKNOWN_TEXT;
  const value = skipMatching ?? (bridged ? BRIDGED_UNSET_SKIP_MATCHING : true);
  const unset = skipMatching !== undefined ? "" : bridged ? " (unset: the bridged provider sends false)" : " (unset: the API's default)";
  const effect = value === true ? "instances already on the desired configuration are skipped" : "instances already on the desired configuration are refreshed too";
  return `${String(value)}${unset}: ${effect}`;
}

/**
 * The Markdown section of one ESS change: heading, what `up` sends, settings table.
 * @example alicloudSection(change)[0] // "### `web` on `asg-bp1a2b3c4d5e6f7g8h9i` — starts a new refresh"
 */
export function alicloudSection(change: AlicloudRolloutChange): string[] {
  const s = change.settings;
  return [
    `### \`${change.name}\` on \`${change.groupId}\` — ${ESS_ACTION_TEXT[change.action] ?? ACTION_TEXT[change.action]}`,
    "",
    ...sendsParagraphs(change),
    "| setting | value |",
    "|---|---|",
    `| desired configuration | ${desiredText(s.desiredConfiguration)} |`,
    `| healthy capacity | ${healthyText(s.minHealthyPercentage, s.maxHealthyPercentage)} |`,
    `| checkpoints | ${checkpointsText(s.checkpoints, s.checkpointPauseTime, change.bridged)} |`,
    `| skip matching | ${skipMatchingText(s.skipMatching, change.bridged)} |`,
    "",
  ];
}
