/**
 * Turns a parsed preview into a rollout plan in Markdown: for each instance refresh the preview
 * creates, replaces, pauses, resumes, rolls back or cancels — the group, the batch plan, the surge,
 * pause and failure settings and why it changes — plus the policy violations. Reviewers see what a
 * merge does to production, not just property names: for an in-place update, the API call `pulumi
 * up` will send, decided by the provider's own code from the status recorded in state.
 */
import { tryNormalize } from "../provider/tencentcloud/check";
import { forecastUpdate, recordedActivityOf, type RecordedActivity, type UpdateForecast } from "../provider/tencentcloud/plannedCalls";
import { DEFAULT_BATCH_PAUSE, DEFAULT_FAIL_PROCESS, DEFAULT_REFRESH_MODE, batchSizes } from "../provider/tencentcloud/settings";
import { BRIDGED_START_INSTANCE_REFRESH_TYPE, INSTANCE_REFRESH_TYPE } from "../provider/tencentcloud/tokens";
import type { PlannedStep, PlannedViolation, PreviewRecord } from "./preview";

/**
 * What a merge does to one refresh. For an in-place update of an InstanceRefresh, the action is what
 * `pulumi up` will send, forecast by the provider's own decision code (`provider/tencentcloud/plannedCalls.ts`)
 * from the status recorded in state: `pause` (StopInstanceRefresh), `resume` / `retry` /
 * `skip-failed` / `approve` (ResumeInstanceRefresh from MANUAL_PAUSE, FAILED_PAUSE with RETRY or
 * CONTINUE, an approved AUTO_PAUSE), `rollback` (RollbackInstanceRefresh for `rollback: true`),
 * `rollback-wait` (the refresh's rollback exists: no second one is sent, `up` waits for it),
 * `rollback-refused` (`rollback: true` on a refresh that state shows cannot be rolled back: `up`
 * fails and sends nothing), `wait` (nothing sent, waits for the running refresh) or `none`.
 * `update` is an in-place update of a resource whose provider the plan cannot forecast.
 */
export type RolloutAction =
  | "start"
  | "restart"
  | "pause"
  | "resume"
  | "retry"
  | "skip-failed"
  | "approve"
  | "rollback"
  | "rollback-wait"
  | "rollback-refused"
  | "wait"
  | "none"
  | "update"
  | "cancel";

/** One refresh that the preview changes. */
export interface RolloutChange {
  urn: string;
  name: string;
  action: RolloutAction;
  groupId: string;
  settings: Record<string, unknown>;
  /** Instances per batch, when the group's size is known from the last refresh. */
  batchPlan?: number[];
  /** Inputs that cause the change, with old → new values; for an update the inputs do not explain, the status that does. */
  reasons: string[];
  /** The activity as recorded in state (the resource's outputs), for updates and deletes. */
  recorded?: RecordedActivity & { activityId?: string };
  /** What `pulumi up` sends and does, for an in-place update of an InstanceRefresh whose new inputs are known. */
  forecast?: UpdateForecast;
}

const REFRESH_TYPES = new Set([INSTANCE_REFRESH_TYPE, BRIDGED_START_INSTANCE_REFRESH_TYPE]);
/** Operations that do nothing to a refresh. */
const QUIET_OPS = new Set(["same", "read", "refresh", "discard", "import", "import-replacement"]);

const ACTION_TEXT: Record<RolloutAction, string> = {
  start: "starts a new refresh",
  restart: "cancels the current refresh (if it is still running) and starts a new one",
  pause: "pauses the running refresh",
  resume: "resumes the paused refresh",
  retry: "resumes the refresh paused on failed instances, refreshing them again",
  "skip-failed": "resumes the refresh paused on failed instances, skipping them (they stay FAILED)",
  approve: "approves the next batches of a paused canary refresh",
  rollback: "rolls back the refresh: the instances it refreshed return to their previous configuration",
  "rollback-wait": "waits for the refresh's rollback to settle; sends no second rollback",
  "rollback-refused": "asks for a rollback that `pulumi up` refuses: it fails and sends nothing",
  wait: "sends nothing; waits for the running refresh to settle",
  none: "sends nothing to the refresh",
  update: "changes inputs in place; the plan cannot tell what `pulumi up` sends (inputs or status unknown, or another provider)",
  cancel: "cancels the refresh if it is still running",
};

const obj = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const show = (value: unknown): string => (value === undefined ? "(unset)" : JSON.stringify(value));
const nameOf = (urn: string): string => urn.split("::").pop() ?? urn;

/** Picks the refresh changes out of a preview, one per resource, ordered as the preview listed them. */
export function rolloutChanges(record: PreviewRecord): RolloutChange[] {
  const byUrn = new Map<string, PlannedStep[]>();
  for (const step of record.steps) {
    if (!REFRESH_TYPES.has(step.type) || QUIET_OPS.has(step.op)) continue;
    byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
  }
  return [...byUrn.entries()].map(([urn, steps]) => describeChange(urn, steps));
}

function describeChange(urn: string, steps: PlannedStep[]): RolloutChange {
  const ops = new Set(steps.map((step) => step.op));
  const main = steps.find((step) => step.newInputs) ?? steps[0];
  const oldInputs = steps.find((step) => step.oldInputs)?.oldInputs ?? {};
  const oldOutputs = steps.find((step) => step.oldOutputs)?.oldOutputs ?? {};
  const inputs = main.newInputs ?? oldInputs;
  const settings = obj(obj(inputs.refreshSettings).rollingUpdateSettings);
  const keys = [...new Set(steps.flatMap((step) => [...step.replaceKeys, ...step.diffKeys]))].filter((key) => !key.startsWith("__"));
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
  const reasons = keys.map((key) => `\`${key}\`: ${show(oldInputs[key])} → ${show(inputs[key])}`);
  let action = classifyLifecycle(ops);
  let forecast: UpdateForecast | undefined;
  if (action === undefined) {
    // An in-place update: what `up` sends depends on the recorded status, not only on the inputs.
    const intent = main.type === INSTANCE_REFRESH_TYPE ? tryNormalize(inputs) : undefined;
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
    urn,
    name: nameOf(urn),
    action,
    groupId: String(inputs.autoScalingGroupId ?? oldInputs.autoScalingGroupId ?? "(unknown)"),
    settings: { refreshMode: inputs.refreshMode ?? DEFAULT_REFRESH_MODE, ...settings },
    batchPlan,
    reasons,
    recorded,
    forecast,
  };
}

/** Creates, replacements and deletes; `undefined` for an in-place update. */
function classifyLifecycle(ops: Set<string>): RolloutAction | undefined {
  if (ops.has("delete") && !ops.has("create")) return "cancel";
  if ([...ops].some((op) => op.includes("replace"))) return "restart";
  if (ops.has("create")) return "start";
  return undefined;
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
function describeForecast(change: RolloutChange): string[] {
  const forecast = change.forecast;
  const recorded = change.recorded;
  if (!forecast || !recorded) return [];
  const at =
    recorded.currentBatch !== undefined && recorded.batchCount !== undefined ? ` at batch ${recorded.currentBatch}/${recorded.batchCount}` : "";
  return [
    `${forecastSentence(change.action, forecast, recorded)}.`,
    // A refusal is a warning: a paragraph of its own.
    ...(forecast.refused !== undefined ? [""] : []),
    `Forecast from the status in state: ${recorded.status}${at}. \`pulumi up\` reads the live status first and decides the same way; ` +
      "run `pulumi refresh` before previewing if the refresh may have moved since.",
    "",
  ];
}

/** What `up` sends and then does, as one sentence without its full stop. */
function forecastSentence(action: RolloutAction, forecast: UpdateForecast, recorded: NonNullable<RolloutChange["recorded"]>): string {
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
 * Renders the plan as Markdown.
 * @example renderPlan(parsePreview(text))
 */
export function renderPlan(record: PreviewRecord): string {
  const changes = rolloutChanges(record);
  const lines = ["## Instance refresh plan", ""];
  if (changes.length === 0) {
    lines.push("This change starts, pauses, resumes, rolls back or cancels no instance refresh.");
  }
  for (const change of changes) {
    const s = change.settings;
    lines.push(`### \`${change.name}\` on \`${change.groupId}\` — ${ACTION_TEXT[change.action]}`, "");
    lines.push(...describeForecast(change));
    lines.push("| setting | value |", "|---|---|");
    lines.push(`| mode | ${String(s.refreshMode)} |`);
    const plan = change.batchPlan ? ` (${change.batchPlan.join(" + ")} instances)` : "";
    lines.push(`| batches | ${show(s.batchNumber)}${plan} |`);
    lines.push(`| max surge | ${show(s.maxSurge ?? 0)} |`);
    lines.push(`| pause | ${String(s.batchPause ?? DEFAULT_BATCH_PAUSE)} |`);
    lines.push(`| on failure | ${String(s.failProcess ?? DEFAULT_FAIL_PROCESS)} |`, "");
    if (change.reasons.length > 0) lines.push("Why:", ...change.reasons.map((reason) => `- ${reason}`), "");
  }
  lines.push(...renderViolations(record.violations));
  return `${lines.join("\n").trimEnd()}\n`;
}

function renderViolations(violations: PlannedViolation[]): string[] {
  if (violations.length === 0) return [];
  const lines = ["### Policy violations", ""];
  for (const v of violations) {
    const mark = v.enforcementLevel === "mandatory" ? "❌ mandatory" : `⚠️ ${v.enforcementLevel}`;
    const where = v.urn ? ` on \`${nameOf(v.urn)}\`` : "";
    lines.push(`- ${mark} \`${v.policyName}\`${where}: ${v.message.replace(/\s+/g, " ")}`);
  }
  return [...lines, ""];
}
