/**
 * Turns a parsed preview into a rollout plan in Markdown: for each instance refresh the preview
 * creates, replaces, pauses, resumes, rolls back or cancels — Tencent's (`tencent.ts`) and Alibaba
 * Cloud ESS's (`alicloud.ts`) — the group, the settings in words, what `pulumi up` will send and why
 * it changes, and a Mermaid diagram of the rollout (`diagram.ts`; left out with `diagram: false`),
 * plus the policy violations. Reviewers see what a merge does to production, not just property names.
 */
import { ALICLOUD_REFRESH_TYPES, alicloudSection, describeAlicloudChange, type AlicloudRolloutChange } from "./alicloud";
import { QUIET_OPS, nameOf } from "./change";
import { rolloutDiagram } from "./diagram";
import type { PlannedStep, PlannedViolation, PreviewRecord } from "./preview";
import { TENCENT_REFRESH_TYPES, describeTencentChange, tencentSection, type TencentRolloutChange } from "./tencent";

export { ACTION_TEXT, type RolloutAction } from "./change";
export type { AlicloudRolloutChange } from "./alicloud";
export type { TencentRolloutChange } from "./tencent";

/** What a merge does to one refresh, of either cloud (`cloud` tells which). */
export type RolloutChange = TencentRolloutChange | AlicloudRolloutChange;

/**
 * Picks the refresh changes out of a preview, one per resource, ordered as the preview listed them.
 * @example rolloutChanges(parsePreview(text)).map((change) => change.action) // ["start"]
 */
export function rolloutChanges(record: PreviewRecord): RolloutChange[] {
  const byUrn = new Map<string, PlannedStep[]>();
  for (const step of record.steps) {
    if (!(TENCENT_REFRESH_TYPES.has(step.type) || ALICLOUD_REFRESH_TYPES.has(step.type)) || QUIET_OPS.has(step.op)) continue;
    byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
  }
  return [...byUrn.entries()].map(([urn, steps]) =>
    ALICLOUD_REFRESH_TYPES.has(steps[0].type) ? describeAlicloudChange(urn, steps) : describeTencentChange(urn, steps),
  );
}

/** Options of {@link renderPlan}. */
export interface RenderOptions {
  /**
   * Add a Mermaid diagram of each change's rollout (a ```` ```mermaid ```` block, drawn by GitHub) at
   * the end of its section; `false` gives the text plan alone, for terminals.
   * @default true
   */
  diagram?: boolean;
}

/**
 * Renders the plan as Markdown.
 * @example renderPlan(parsePreview(text)) // with a diagram per change
 * @example renderPlan(parsePreview(text), { diagram: false }) // the text plan alone
 */
export function renderPlan(record: PreviewRecord, options: RenderOptions = {}): string {
  const diagram = options.diagram ?? true;
  const changes = rolloutChanges(record);
  const lines = ["## Instance refresh plan", ""];
  if (changes.length === 0) {
    lines.push("This change starts, pauses, resumes, rolls back or cancels no instance refresh.");
  }
  for (const change of changes) {
    lines.push(...(change.cloud === "alicloud" ? alicloudSection(change) : tencentSection(change)));
    if (change.reasons.length > 0) lines.push("Why:", ...change.reasons.map((reason) => `- ${reason}`), "");
    if (diagram) lines.push(...rolloutDiagram(change), "");
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
