/**
 * Turns a parsed preview into a rollout plan in Markdown: for each instance refresh the preview
 * creates, replaces, pauses, resumes or cancels — the group, the batch plan, the surge, pause and
 * failure settings and why it changes — plus the policy violations. Reviewers see what a merge does
 * to production, not just property names.
 */
import { batchSizes } from "../provider/settings";
import { BRIDGED_START_INSTANCE_REFRESH_TYPE, INSTANCE_REFRESH_TYPE } from "../provider/tokens";
import type { PlannedStep, PlannedViolation, PreviewRecord } from "./preview";

/** What a merge does to one refresh. */
export type RolloutAction = "start" | "restart" | "pause" | "resume" | "approve" | "update" | "cancel";

/** One refresh that the preview changes. */
export interface RolloutChange {
  urn: string;
  name: string;
  action: RolloutAction;
  groupId: string;
  settings: Record<string, unknown>;
  /** Instances per batch, when the group's size is known from the last refresh. */
  batchPlan?: number[];
  /** Inputs that cause the change, with old → new values. */
  reasons: string[];
}

const REFRESH_TYPES = new Set([INSTANCE_REFRESH_TYPE, BRIDGED_START_INSTANCE_REFRESH_TYPE]);
/** Operations that do nothing to a refresh. */
const QUIET_OPS = new Set(["same", "read", "refresh", "discard", "import", "import-replacement"]);

const ACTION_TEXT: Record<RolloutAction, string> = {
  start: "starts a new refresh",
  restart: "cancels the current refresh (if it is still running) and starts a new one",
  pause: "pauses the running refresh",
  resume: "resumes the paused refresh",
  approve: "approves the next batches of a paused canary refresh",
  update: "changes how the provider waits; the refresh itself is untouched",
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
  const action = classify(ops, oldInputs, inputs);
  const total = Number(obj(oldOutputs.instanceCounts).total);
  const batchNumber = Number(settings.batchNumber);
  const batchPlan =
    Number.isInteger(total) && total > 0 && Number.isInteger(batchNumber) && batchNumber >= 1 && batchNumber <= total
      ? batchSizes(total, batchNumber)
      : undefined;
  return {
    urn,
    name: nameOf(urn),
    action,
    groupId: String(inputs.autoScalingGroupId ?? oldInputs.autoScalingGroupId ?? "(unknown)"),
    settings: { refreshMode: inputs.refreshMode ?? "ROLLING_UPDATE_RESET", ...settings },
    batchPlan,
    reasons: keys.map((key) => `\`${key}\`: ${show(oldInputs[key])} → ${show(inputs[key])}`),
  };
}

function classify(ops: Set<string>, oldInputs: Record<string, unknown>, inputs: Record<string, unknown>): RolloutAction {
  if (ops.has("delete") && !ops.has("create")) return "cancel";
  if ([...ops].some((op) => op.includes("replace"))) return "restart";
  if (ops.has("create")) return "start";
  if (inputs.paused === true && oldInputs.paused !== true) return "pause";
  if (inputs.paused !== true && oldInputs.paused === true) return "resume";
  if (Number(inputs.approvedBatches ?? 0) > Number(oldInputs.approvedBatches ?? 0)) return "approve";
  return "update";
}

/**
 * Renders the plan as Markdown.
 * @example renderPlan(parsePreview(text))
 */
export function renderPlan(record: PreviewRecord): string {
  const changes = rolloutChanges(record);
  const lines = ["## Instance refresh plan", ""];
  if (changes.length === 0) {
    lines.push("This change starts, pauses, resumes or cancels no instance refresh.");
  }
  for (const change of changes) {
    const s = change.settings;
    lines.push(`### \`${change.name}\` on \`${change.groupId}\` — ${ACTION_TEXT[change.action]}`, "");
    lines.push("| setting | value |", "|---|---|");
    lines.push(`| mode | ${String(s.refreshMode)} |`);
    const plan = change.batchPlan ? ` (${change.batchPlan.join(" + ")} instances)` : "";
    lines.push(`| batches | ${show(s.batchNumber)}${plan} |`);
    lines.push(`| max surge | ${show(s.maxSurge ?? 0)} |`);
    lines.push(`| pause | ${String(s.batchPause ?? "AUTOMATIC")} |`);
    lines.push(`| on failure | ${String(s.failProcess ?? "AUTO_PAUSE")} |`, "");
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
