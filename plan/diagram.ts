/**
 * The rollout plan's picture: for one rollout change, a Mermaid flowchart (a ```` ```mermaid ````
 * block, which GitHub draws in a pull-request comment) of what the refresh does — Tencent's batches
 * (with their sizes when the group's size is known, and the surge) or ESS's checkpoints (percentage
 * and pause time), the gates between them with their checks (the measured `gate`'s HTTP probe and
 * soak, or the human approval that resumes the pause), and what happens on failure (the gate's
 * `onFailure`, and Tencent's `failProcess`). A first node says what `pulumi up` does to it, and the
 * step where state records the refresh is outlined.
 *
 * Labels are escaped for Mermaid ({@link mermaidText}); the gate's header values are never shown,
 * only their names, and a value the preview marks secret shows as `(secret)`.
 */
import { containsUnknown, isUnknown } from "../provider/core/check";
import {
  GATE_EXPECT_STATUS,
  GATE_INTERVAL_SECONDS,
  GATE_SOAK_SECONDS,
  GATE_UNHEALTHY_THRESHOLD,
  type GateOnFailure,
} from "../provider/core/gateSettings";
import { CHECKPOINT_PAUSE_MINUTES, CHECKPOINT_PERCENTAGE, MAX_HEALTHY_PERCENTAGE, MIN_HEALTHY_PERCENTAGE } from "../provider/alibabacloud/settings";
import { DEFAULT_BATCH_PAUSE, DEFAULT_FAIL_PROCESS } from "../provider/tencentcloud/settings";
import { alicloudSurgePercent, alicloudUnavailablePercent } from "../policies/normalForm";
import { ESS_ACTION_TEXT, type AlicloudRolloutChange } from "./alicloud";
import { ACTION_TEXT, obj, type RolloutAction } from "./change";
import type { TencentRolloutChange } from "./tencent";

/** Shown for a value the preview does not know yet. */
const UNKNOWN_TEXT = "(known after apply)";
/** Shown for a value the preview marks secret. */
const SECRET_TEXT = "(secret)";
/**
 * Most batches or checkpoint steps drawn one by one; a longer rollout is drawn as its first two
 * steps, the middle ones as one node, and its last step.
 */
export const MAX_DRAWN_STEPS = 6;

/** The key of the engine's secret marker object (`{ "4dabf…": "1b47…", value }`), as state and some previews carry it. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/**
 * Is this value marked secret in the preview: `pulumi preview --json` masks a secret as the string
 * `[secret]`; state and some engine events carry the signature object.
 * @example isSecret("[secret]") // true
 */
export function isSecret(value: unknown): boolean {
  return value === "[secret]" || (typeof value === "object" && value !== null && SECRET_SIG_KEY in value);
}

/**
 * Escapes text for a double-quoted Mermaid label: `#` first (Mermaid reads `#name;` as an entity),
 * then `"`, the HTML specials `&`, `<` and `>` (labels are HTML), the backtick (a label in backticks
 * is Markdown) and `|` (it ends an edge label), each as a Mermaid entity code; line breaks become `<br/>`.
 * @example mermaidText('GET https://x/#top → "ok"') // "GET https://x/#35;top → #quot;ok#quot;"
 */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/&/g, "#amp;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/`/g, "#96;")
    .replace(/\|/g, "#124;")
    .replace(/\r?\n/g, "<br/>");
}

/** The record's own entry for `key` (never an inherited property such as `constructor`). */
const own = (record: Readonly<Record<string, string>>, key: string): string | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** Lines as one quoted Mermaid label. */
const label = (lines: readonly string[]): string => `"${lines.map(mermaidText).join("<br/>")}"`;

// ---------------------------------------------------------------------------------------------
// The gate

/** The gate's checks in words, read from the raw `gate` input. */
export interface GateWords {
  /** The checks at a pause: the probe and soak, the header names; one line each. */
  checks: string[];
  /** What the gate does when it fails: `pause`, `rollback`, `cancel`, or how it shows when unknown, secret or invalid. */
  onFailure: GateOnFailure | string;
  /** Unhealthy samples in a row that fail it. */
  unhealthyThreshold: string;
  /** Seconds the probe must stay healthy (for the edge's words). */
  soak: string;
  /** Whether it also waits for the human approval input. */
  requireApproval: boolean | "unknown";
}

/** A value as shown: secret, unknown, or the value (`fallback` when unset). */
function valueText(value: unknown, fallback?: string | number): string {
  if (isSecret(value)) return SECRET_TEXT;
  if (isUnknown(value) || containsUnknown(value)) return UNKNOWN_TEXT;
  if (value === undefined || value === null) return fallback === undefined ? "(unset)" : String(fallback);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The gate's checks in words, or undefined when `gate` is unset. Header values are never read:
 * only the names of the headers are shown.
 * @example gateWords({ http: { url: "https://web.example.com/healthz" } })?.checks // ["GET https://web.example.com/healthz → 200, soak 60 s every 10 s"]
 */
export function gateWords(gate: unknown): GateWords | undefined {
  if (gate === undefined || gate === null) return undefined;
  if (isSecret(gate) || isUnknown(gate)) {
    const text = isSecret(gate) ? SECRET_TEXT : UNKNOWN_TEXT;
    return { checks: [`health gate: ${text}`], onFailure: text, unhealthyThreshold: text, soak: text, requireApproval: "unknown" };
  }
  const g = obj(gate);
  const http = isSecret(g.http) || isUnknown(g.http) ? undefined : obj(g.http);
  const soak = valueText(g.soakSeconds, GATE_SOAK_SECONDS.default);
  const interval = valueText(g.intervalSeconds, GATE_INTERVAL_SECONDS.default);
  let probe: string;
  if (http === undefined) probe = `HTTP probe: ${valueText(g.http)}`;
  else {
    const body = http.bodyContains === undefined ? "" : `, body contains "${valueText(http.bodyContains)}"`;
    probe = `GET ${valueText(http.url)} → ${valueText(http.expectStatus, GATE_EXPECT_STATUS)}${body}`;
  }
  const checks = [`${probe}, soak ${soak} s every ${interval} s`];
  const headers = http?.headers;
  if (headers !== undefined && headers !== null) {
    const names = isSecret(headers) || isUnknown(headers) ? valueText(headers) : Object.keys(obj(headers)).join(", ");
    checks.push(`headers: ${names} (values not shown)`);
  }
  const approval = g.requireApproval;
  return {
    checks,
    onFailure: g.onFailure === undefined || g.onFailure === null ? "pause" : valueText(g.onFailure),
    unhealthyThreshold: valueText(g.unhealthyThreshold, GATE_UNHEALTHY_THRESHOLD.default),
    soak,
    requireApproval: approval === undefined || approval === null ? false : typeof approval === "boolean" ? approval : "unknown",
  };
}

/** What each `onFailure` does, in words. */
const ON_FAILURE_EFFECT: Readonly<Record<string, string>> = {
  pause: "the refresh stays paused",
  rollback: "the refresh is rolled back",
  cancel: "the refresh is cancelled",
};

/** The node a failed gate leads to. */
function gateFailureLines(gate: GateWords): string[] {
  const effect = own(ON_FAILURE_EFFECT, gate.onFailure);
  const shown = [UNKNOWN_TEXT, SECRET_TEXT].includes(gate.onFailure) ? gate.onFailure : `${JSON.stringify(gate.onFailure)} (not a valid value)`;
  return [
    `gate fails: ${gate.unhealthyThreshold} unhealthy samples in a row`,
    effect ? `onFailure ${gate.onFailure}: ${effect}` : `onFailure ${shown}`,
    "pulumi up fails with the probe's evidence",
  ];
}

// ---------------------------------------------------------------------------------------------
// The shape of a rollout, for either cloud

/** Steps `from` to `to` (1-based, inclusive). */
interface Range {
  readonly from: number;
  readonly to: number;
}

/** A node outside the line of steps that failures lead to. */
interface FailureNode {
  id: string;
  lines: string[];
  /** The edges' words. */
  edge: string;
  /** Led to from every step node, or from every gate node. */
  from: "steps" | "gates";
}

/** What each cloud tells the drawing: its steps (batches, checkpoint stages), the gates between them, the failures. */
interface RolloutShape {
  /** Steps of the rollout; 0 when unknown. */
  count: number;
  /** The lines of a node when `count` is unknown. */
  unknownLines?: string[];
  /** The node of one step, or of a run of middle steps. */
  step(range: Range): string[];
  /** Is there a pause after step `k`? */
  pauseAfter(k: number): boolean;
  /** The gate after step `range.to` (or after each step of a run), and the words of the edge that passes it. */
  gate(range: Range): { lines: string[]; pass: string };
  done: string[];
  failures: FailureNode[];
  /** Where state records the refresh: at a step, at the gate after it, or done. */
  now?: { at: "step" | "gate"; k: number } | { at: "done" };
  /** A warning under `pulumi up`'s node (a gate that never runs). */
  warning?: string;
}

/** What `pulumi up` does, for the first node and the edge out of it. */
interface UpNode {
  text: string;
  /** A new refresh (create, replace): it starts at the first step, and the old one's recorded position is not drawn. */
  fresh: boolean;
  /** The words of the edge into the rollout (the API call). */
  edge?: string;
  /** A node of its own the change leads to (rollback, refusal, cancel), instead of a step. */
  target?: { lines: string[]; failure: boolean };
}

/** The steps drawn: each one, or the first two, the middle as one run and the last. */
function drawnRanges(count: number): Range[] {
  if (count <= MAX_DRAWN_STEPS) return Array.from({ length: count }, (_, i) => ({ from: i + 1, to: i + 1 }));
  return [
    { from: 1, to: 1 },
    { from: 2, to: 2 },
    { from: 3, to: count - 1 },
    { from: count, to: count },
  ];
}

const rangeId = (prefix: string, r: Range): string => (r.from === r.to ? `${prefix}${r.from}` : `${prefix}${r.from}_${r.to}`);

/** The flowchart's lines, fenced. */
function draw(up: UpNode, rollout: RolloutShape): string[] {
  const shape: RolloutShape = up.fresh ? { ...rollout, now: undefined } : rollout;
  const nodes: string[] = [];
  const edges: string[] = [];
  const gates: string[] = [];
  const failures: string[] = [];
  const stepIds: string[] = [];
  const gateIds: string[] = [];
  let now: string | undefined;

  nodes.push(`  up([${label([`pulumi up: ${up.text}`, ...(shape.warning ? [`⚠️ ${shape.warning}`] : [])])}])`);
  let first: string;
  if (shape.count === 0) {
    first = "steps";
    nodes.push(`  steps[${label(shape.unknownLines ?? [UNKNOWN_TEXT])}]`);
    stepIds.push(first);
  } else {
    const ranges = drawnRanges(shape.count);
    first = rangeId("s", ranges[0]);
    let previous: { id: string; pass?: string } | undefined;
    ranges.forEach((range, i) => {
      const id = rangeId("s", range);
      nodes.push(`  ${id}[${label(shape.step(range))}]`);
      stepIds.push(id);
      if (previous) edges.push(`  ${previous.id} -->${previous.pass ? `|${label([previous.pass])}|` : ""} ${id}`);
      previous = { id };
      const last = i === ranges.length - 1;
      if (!last && shape.pauseAfter(range.to)) {
        const gate = shape.gate(range);
        const gateId = rangeId("g", range);
        nodes.push(`  ${gateId}{{${label(gate.lines)}}}`);
        gateIds.push(gateId);
        edges.push(`  ${id} --> ${gateId}`);
        previous = { id: gateId, pass: gate.pass };
      }
      if (shape.now && shape.now.at !== "done" && shape.now.k >= range.from && shape.now.k <= range.to) {
        now = shape.now.at === "gate" && !last && shape.pauseAfter(range.to) ? rangeId("g", range) : id;
      }
    });
    nodes.push(`  done([${label(shape.done)}])`);
    if (previous) edges.push(`  ${previous.id} -->${previous.pass ? `|${label([previous.pass])}|` : ""} done`);
    if (shape.now?.at === "done") now = "done";
  }
  gates.push(...gateIds);

  for (const failure of shape.failures) {
    const from = failure.from === "steps" ? stepIds : gateIds;
    if (from.length === 0) continue;
    nodes.push(`  ${failure.id}(${label(failure.lines)})`);
    edges.push(`  ${from.join(" & ")} -.->|${label([failure.edge])}| ${failure.id}`);
    failures.push(failure.id);
  }

  const into = up.edge ? `|${label([up.edge])}|` : "";
  if (up.target) {
    nodes.push(`  change(${label(up.target.lines)})`);
    edges.unshift(`  up -->${into} change`);
    if (up.target.failure) failures.push("change");
  } else {
    edges.unshift(`  up -->${into} ${now ?? first}`);
  }

  const classes = [
    "  classDef gate fill:#fff8c5,stroke:#9a6700,color:#1f2328",
    "  classDef failure fill:#ffebe9,stroke:#cf222e,color:#1f2328",
    "  classDef now stroke:#0969da,stroke-width:4px",
    ...(gates.length > 0 ? [`  class ${gates.join(",")} gate`] : []),
    ...(failures.length > 0 ? [`  class ${failures.join(",")} failure`] : []),
    ...(now ? [`  class ${now} now`] : []),
  ];
  return ["```mermaid", "flowchart TD", ...nodes, ...edges, ...classes, "```"];
}

/** Lifecycle and rollback actions: what `pulumi up` leads to, when it is not a step of the rollout. */
function upTarget(action: RolloutAction, rollbackLines: string[], refusal: string | undefined): UpNode["target"] {
  switch (action) {
    case "rollback":
      return { lines: rollbackLines, failure: false };
    case "rollback-wait":
      return { lines: ["the refresh's rollback exists: no second one is sent", "waits until it settles"], failure: false };
    case "rollback-refused":
      return { lines: ["refused: pulumi up fails and sends nothing", ...(refusal ? [refusal] : [])], failure: true };
    case "cancel":
      return { lines: ["CancelInstanceRefresh, if the refresh still runs"], failure: false };
    case "forget":
      return { lines: ["removed from state only: a task that still runs goes on"], failure: false };
    default:
      return undefined;
  }
}

/** Text with backticks removed (a heading's code spans, as plain words in a label). */
const plain = (text: string): string => text.replace(/`/g, "");

/** A number when the value is a positive integer. */
const positiveInteger = (value: unknown): number | undefined => (typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : undefined);

/** Terraform's `""` for an unset string counts as unset. */
const setString = (value: unknown): unknown => (value === "" ? undefined : value);

// ---------------------------------------------------------------------------------------------
// Tencent

/** What the cloud does when an instance fails, per `failProcess`. */
const FAIL_PROCESS_EFFECT: Readonly<Record<string, string>> = {
  AUTO_PAUSE: "the cloud pauses the refresh (FAILED_PAUSE)",
  AUTO_ROLLBACK: "the cloud rolls the refreshed instances back",
  AUTO_CANCEL: "the cloud cancels the refresh: the group stays part-updated",
};

function tencentShape(change: TencentRolloutChange): RolloutShape {
  const s = change.settings;
  const count = positiveInteger(s.batchNumber) ?? 0;
  const pause = setString(s.batchPause) ?? DEFAULT_BATCH_PAUSE;
  const failProcess = setString(s.failProcess) ?? DEFAULT_FAIL_PROCESS;
  const surge = s.maxSurge === undefined || s.maxSurge === 0 ? "" : `, + up to ${valueText(s.maxSurge)} surge`;
  const sizes = change.batchPlan && change.batchPlan.length === count ? change.batchPlan : undefined;
  const gate = gateWords(change.gate);
  const pauseAfter = (k: number): boolean =>
    k < count && (isUnknown(pause) ? false : pause === "BATCH_INTERVAL_PAUSE" || (pause === "FIRST_BATCH_PAUSE" && k === 1));
  const instances = (n: number) => `${n} instance${n === 1 ? "" : "s"}`;

  const step = (r: Range): string[] => {
    if (r.from === r.to) return [`batch ${r.from}${sizes ? `: ${instances(sizes[r.from - 1])}` : ` of ${count}`}${surge}`];
    const run = sizes?.slice(r.from - 1, r.to) ?? [];
    const min = Math.min(...run);
    const max = Math.max(...run);
    const each = sizes ? `: ${min === max ? instances(min) : `${min} to ${max} instances`} each` : "";
    return [`batches ${r.from} to ${r.to}${each}${surge}`];
  };
  const gateOf = (r: Range): { lines: string[]; pass: string } => {
    const after = r.from === r.to ? `batch ${r.to}` : `each of batches ${r.from} to ${r.to}`;
    const approvedAt = r.from === r.to ? `${r.to}` : `${r.from} … ${r.to}, one more per batch`;
    const lines = [`AUTO_PAUSE after ${after} (${String(pause)})`];
    if (change.bridged) return { lines: [...lines, "human: someone resumes it (ResumeInstanceRefresh)"], pass: "resumed" };
    const approval = `human approval: approvedBatches ≥ ${approvedAt}`;
    if (!gate) return { lines: [...lines, approval], pass: "approved" };
    const withApproval = gate.requireApproval === true ? [approval] : gate.requireApproval === "unknown" ? [`human approval: requireApproval ${UNKNOWN_TEXT}`] : [];
    return { lines: [...lines, ...gate.checks, ...withApproval], pass: gate.requireApproval === true ? `healthy for ${gate.soak} s and approved` : `healthy for ${gate.soak} s` };
  };

  const failures: FailureNode[] = [];
  if (gate) failures.push({ id: "gateFailed", lines: gateFailureLines(gate), edge: "unhealthy", from: "gates" });
  failures.push({
    id: "failed",
    lines: [`an instance fails: failProcess ${valueText(failProcess)}`, own(FAIL_PROCESS_EFFECT, String(failProcess)) ?? "(not a valid value)"],
    edge: "an instance fails",
    from: "steps",
  });

  const r = change.recorded;
  let now: RolloutShape["now"];
  if (r?.status === "SUCCESSFUL" && r.activityType !== "ROLLBACK") now = { at: "done" };
  else if (r?.currentBatch !== undefined && r.currentBatch >= 1 && r.status !== undefined && ["RUNNING", "FAILED_PAUSE", "MANUAL_PAUSE", "AUTO_PAUSE"].includes(r.status)) {
    now = { at: r.status === "AUTO_PAUSE" ? "gate" : "step", k: r.currentBatch };
  }
  const hasPause = count > 1 && Array.from({ length: count - 1 }, (_, i) => pauseAfter(i + 1)).some(Boolean);
  const warning =
    gate && count > 0 && !hasPause && !isUnknown(pause)
      ? count === 1
        ? "the health gate never runs: one batch has no pause after it"
        : `the health gate never runs: batchPause ${String(pause)} does not pause between batches`
      : undefined;
  return {
    count,
    unknownLines: [`batches: ${valueText(s.batchNumber)}`],
    step,
    pauseAfter,
    gate: gateOf,
    done: [sizes ? `done: ${instances(sizes.reduce((a, b) => a + b, 0))} refreshed` : "done: every batch refreshed"],
    failures,
    now,
    warning,
  };
}

function tencentUp(change: TencentRolloutChange): UpNode {
  const call = change.forecast?.call;
  const edge =
    call?.action === "ResumeInstanceRefresh"
      ? `ResumeInstanceRefresh (${call.resumeMode})`
      : call?.action === "StopInstanceRefresh"
        ? "StopInstanceRefresh: pauses here"
        : ["wait", "none"].includes(change.action)
          ? "no API call"
          : change.action === "update"
            ? "effect unknown"
            : undefined;
  const returning = call?.action === "RollbackInstanceRefresh" ? `: ${call.instances} instance${call.instances === 1 ? " returns" : "s return"} to their previous configuration` : "";
  return {
    text: plain(ACTION_TEXT[change.action]),
    fresh: change.action === "start" || change.action === "restart",
    edge,
    target: upTarget(change.action, [`RollbackInstanceRefresh${returning}`], change.forecast?.refused),
  };
}

// ---------------------------------------------------------------------------------------------
// Alibaba Cloud ESS

function alicloudShape(change: AlicloudRolloutChange): RolloutShape {
  const s = change.settings;
  const gate = gateWords(change.gate);
  const unknown = containsUnknown(s.checkpoints);
  const stops = unknown
    ? []
    : (Array.isArray(s.checkpoints) ? s.checkpoints : [])
        .map((c) => obj(c).percentage)
        .filter((p): p is number => typeof p === "number" && p < CHECKPOINT_PERCENTAGE.max);
  const targets = [...stops, CHECKPOINT_PERCENTAGE.max];
  const count = unknown ? 0 : targets.length;
  const minutes = valueText(s.checkpointPauseTime, CHECKPOINT_PAUSE_MINUTES.default);
  const min = s.minHealthyPercentage ?? MIN_HEALTHY_PERCENTAGE.default;
  const max = s.maxHealthyPercentage ?? MAX_HEALTHY_PERCENTAGE.default;
  const capacity =
    typeof min === "number" && typeof max === "number"
      ? `≤ ${alicloudUnavailablePercent(min)} % out at once, ≤ ${alicloudSurgePercent(max)} % surge`
      : `min ${valueText(min)} %, max ${valueText(max)} %`;

  const step = (r: Range): string[] =>
    r.from === r.to
      ? [`refresh to ${targets[r.from - 1]} % of the group`, capacity]
      : [`refresh through ${targets.slice(r.from - 1, r.to).map((p) => `${p} %`).join(", ")}`, capacity];
  const gateOf = (r: Range): { lines: string[]; pass: string } => {
    const at = r.from === r.to ? `${targets[r.to - 1]} % (checkpoint ${r.to})` : `each of checkpoints ${r.from} to ${r.to}`;
    const approvedAt = r.from === r.to ? `${r.to}` : `${r.from} … ${r.to}, one more per checkpoint`;
    const lines = [`CheckpointPause at ${at}`];
    const self = `ESS resumes by itself after ${minutes} min (checkpointPauseTime)`;
    if (change.bridged) return { lines: [...lines, self], pass: `after ${minutes} min` };
    const approval = `human approval: approvedCheckpoints ≥ ${approvedAt}`;
    if (!gate) return { lines: [...lines, `${approval}, or`, self], pass: `approved, or after ${minutes} min` };
    const withApproval = gate.requireApproval === true ? [approval] : gate.requireApproval === "unknown" ? [`human approval: requireApproval ${UNKNOWN_TEXT}`] : [];
    return {
      lines: [...lines, ...gate.checks, ...withApproval, self],
      pass: gate.requireApproval === true ? `healthy for ${gate.soak} s and approved` : `healthy for ${gate.soak} s`,
    };
  };

  const r = change.recorded;
  let now: RolloutShape["now"];
  if (r?.status === "Success") now = { at: "done" };
  else if (r?.status === "CheckpointPause" && r.currentCheckpoint !== undefined && r.currentCheckpoint >= 1) now = { at: "gate", k: r.currentCheckpoint };
  else if (r?.status !== undefined && ["InProgress", "Paused"].includes(r.status) && r.currentCheckpoint !== undefined) now = { at: "step", k: r.currentCheckpoint + 1 };
  return {
    count,
    unknownLines: [`checkpoints: ${UNKNOWN_TEXT}`],
    step,
    pauseAfter: (k) => k < count,
    gate: gateOf,
    done: [`done: ${CHECKPOINT_PERCENTAGE.max} % refreshed`],
    failures: gate ? [{ id: "gateFailed", lines: gateFailureLines(gate), edge: "unhealthy", from: "gates" }] : [],
    now,
    warning: gate && count === 1 ? `the health gate never runs: no checkpoint below ${CHECKPOINT_PERCENTAGE.max} %` : undefined,
  };
}

function alicloudUp(change: AlicloudRolloutChange): UpNode {
  const call = change.forecast?.call;
  const edge =
    call?.action === "ResumeInstanceRefresh"
      ? "ResumeInstanceRefresh"
      : call?.action === "SuspendInstanceRefresh"
        ? "SuspendInstanceRefresh: pauses here"
        : ["wait", "none"].includes(change.action)
          ? "no API call"
          : change.action === "update"
            ? "effect unknown"
            : undefined;
  const r = change.recorded;
  const done = r?.finishedUpdateCapacity !== undefined && r.totalNeedUpdateCapacity !== undefined ? `: capacity ${r.finishedUpdateCapacity} of ${r.totalNeedUpdateCapacity} refreshed returns` : "";
  return {
    text: plain(ESS_ACTION_TEXT[change.action] ?? ACTION_TEXT[change.action]),
    fresh: change.action === "start" || change.action === "restart",
    edge,
    target: upTarget(change.action, [`RollbackInstanceRefresh${done}`], change.forecast?.refused),
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * The Mermaid diagram of one rollout change, as the lines of a ```` ```mermaid ```` fenced block:
 * `pulumi up`'s action, the batches or checkpoint stages, the gates between them, the failure paths.
 * @example rolloutDiagram(change)[1] // "flowchart TD"
 */
export function rolloutDiagram(change: TencentRolloutChange | AlicloudRolloutChange): string[] {
  return change.cloud === "alicloud" ? draw(alicloudUp(change), alicloudShape(change)) : draw(tencentUp(change), tencentShape(change));
}
