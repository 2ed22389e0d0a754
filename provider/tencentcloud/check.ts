/**
 * `check` and `diff`: pure functions over inputs and old outputs, no API call.
 */
import { ACTIVE_PHASES, convergeStep } from "../core/model";
import { forecastUpdate, recordedActivityOf } from "./plannedCalls";
import { phaseOf } from "./activity";
import { PROPERTY, normalizeInputs, validateInputs, type InstanceRefreshInputs, type NormalizedInputs, type Violation } from "./settings";
import { TENCENT_WORDS } from "./words";

/** The engine's placeholder for values not known during a preview (`unknownValue` of `@pulumi/pulumi/runtime/rpc`). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The engine-owned input holding the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** Inputs whose change starts a new refresh (replace, delete before create: one refresh per group). */
export const REPLACE_KEYS = ["autoScalingGroupId", "refreshMode", "refreshSettings", "triggers", "region", "adoptActivityId"] as const;
/** Inputs changed in place: pause, resume, approve, wait, roll back. */
export const UPDATE_KEYS = ["paused", "resumeMode", "approvedBatches", "wait", "rollback", "rollbackSettings"] as const;

/** True for the engine's unknown placeholder. */
export const isUnknown = (value: unknown): boolean => value === UNKNOWN_VALUE;

/** True when the value or anything inside it is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The inputs without engine-owned keys (`__provider`). */
export function userInputs(inputs: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs ?? {}).filter(([k]) => !k.startsWith("__")));
}

/** One check failure as the engine prints it; the reason names the property so it stands alone. */
export function toFailure(v: Violation): { property: string; reason: string } {
  return { property: v.property, reason: `${v.property} ${v.reason}` };
}

/**
 * check: validates every input (unknown values skipped) and returns them normalized, defaults
 * filled in, so that state is canonical and equal intents compare equal.
 * @example checkInputs({ autoScalingGroupId: "asg-1" }).failures[0].reason // 'autoScalingGroupId must look like "asg-9dn1a5y6" ...'
 */
export function checkInputs(
  news: Record<string, unknown>,
  olds: Record<string, unknown> = {},
): { inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> } {
  const plain = userInputs(news);
  const failures = validateInputs(plain, { isUnknown }).map(toFailure);
  const creating = userInputs(olds).autoScalingGroupId === undefined;
  if (creating && plain.rollback === true && plain.adoptActivityId === undefined) failures.push(ROLLBACK_ON_CREATE);
  if (failures.length > 0 || containsUnknown(plain)) return { inputs: news, failures };
  const normalized = normalizeInputs(plain as unknown as InstanceRefreshInputs);
  return { inputs: { ...normalized, ...(news[PROVIDER_KEY] !== undefined ? { [PROVIDER_KEY]: news[PROVIDER_KEY] } : {}) }, failures: [] };
}

/** A new resource with `rollback: true` has nothing to roll back. */
const ROLLBACK_ON_CREATE = {
  property: PROPERTY.rollback,
  reason:
    `${PROPERTY.rollback}: true needs a refresh to roll back, and a new resource starts one. Set it on an existing resource ` +
    `(its next \`pulumi up\` rolls it back), or with ${PROPERTY.adoptActivityId} to roll back a refresh started elsewhere.`,
};

/** The input properties of a property bag that may also hold outputs. */
export function pickInputs(props: Record<string, unknown> | undefined): Record<string, unknown> {
  const keys: readonly string[] = [...REPLACE_KEYS, ...UPDATE_KEYS];
  return Object.fromEntries(Object.entries(props ?? {}).filter(([k]) => keys.includes(k)));
}

/** Normalized inputs of a property bag (inputs or outputs), or undefined when they are not valid and known. */
export function tryNormalize(props: Record<string, unknown> | undefined): NormalizedInputs | undefined {
  const inputsOnly = pickInputs(props);
  if (containsUnknown(inputsOnly) || validateInputs(inputsOnly).length > 0) return undefined;
  return normalizeInputs(inputsOnly as unknown as InstanceRefreshInputs);
}

const same = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The result of {@link diffInputs}. */
export interface DiffOutcome {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}

/**
 * diff: settings, triggers, group, region or adoptActivityId changed → replace, delete first
 * (setting adoptActivityId to the resource's own id, or removing it after the adoption, is no change);
 * paused / resumeMode / approvedBatches / wait changed → update in place, with `changes`
 * undefined so the engine shows per-property diffs; nothing but `__provider` changed → no change;
 * inputs unchanged but the last known status calls for a pause, resume or wait → update
 * (`changes: true`), so `pulumi up` converges like a controller.
 */
export function diffInputs(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffOutcome {
  const oldInputs = tryNormalize(olds) ?? (userInputs(olds) as unknown as NormalizedInputs);
  const newPlain = userInputs(news);
  const newInputs: Record<string, unknown> = containsUnknown(newPlain) ? newPlain : ((tryNormalize(news) ?? newPlain) as unknown as Record<string, unknown>);
  const oldRecord = oldInputs as unknown as Record<string, unknown>;

  const replaces = REPLACE_KEYS.filter((key) => {
    // Adopting the resource's own activity, or dropping adoptActivityId once it adopted: no change.
    if (key === "adoptActivityId") return (oldRecord[key] ?? id) !== (newInputs[key] ?? id);
    return !same(oldRecord[key], newInputs[key]);
  });
  if (replaces.length > 0) {
    if (newInputs.rollback === true && newInputs.adoptActivityId === undefined) throw new Error(`${ROLLBACK_ON_CREATE.reason} (Changed: ${replaces.join(", ")}.)`);
    return { changes: undefined, replaces: [...replaces], deleteBeforeReplace: true };
  }
  if (newInputs.rollback === true && !containsUnknown(newPlain)) refuseRollbackAtPreview(id, olds);

  const updates = UPDATE_KEYS.filter((key) => !same(oldRecord[key], newInputs[key]));
  if (updates.length > 0) return { changes: undefined };

  if (!containsUnknown(newPlain)) {
    const desired = newInputs as unknown as NormalizedInputs;
    const status = typeof olds.status === "string" ? olds.status : undefined;
    if (desired.rollback) return { changes: forecastUpdate(recordedActivityOf(olds), desired).waits };
    if (status === undefined) return { changes: false };
    const view = { phase: phaseOf(status, typeof olds.activityType === "string" ? olds.activityType : undefined), status, step: numberOr(olds.currentBatch) };
    if (convergeStep(view, { paused: desired.paused, approvedSteps: desired.approvedBatches }, TENCENT_WORDS).kind !== "none") return { changes: true };
    if (ACTIVE_PHASES.has(view.phase) && desired.wait?.until === "settled" && !desired.paused) return { changes: true };
  }
  return { changes: false };
}

const numberOr = (value: unknown): number => (typeof value === "number" ? value : 0);

/**
 * `rollback: true` on a refresh that state shows cannot be rolled back (a rollback itself, a
 * cancelled one, one that refreshed nothing): fails the preview, naming the input and why; nothing
 * is sent. `pulumi up` checks the live activity again.
 */
function refuseRollbackAtPreview(id: string, olds: Record<string, unknown>): void {
  const forecast = forecastUpdate(recordedActivityOf(olds), { paused: false, approvedBatches: 0, resumeMode: "RETRY", wait: { until: "settled" }, rollback: true });
  if (!forecast.refused) return;
  const group = typeof olds.autoScalingGroupId === "string" ? ` on ${olds.autoScalingGroupId}` : "";
  throw new Error(
    `${PROPERTY.rollback}: refresh ${id}${group} cannot be rolled back: ${forecast.refused} (status in state; run \`pulumi refresh\` if it may have changed). Nothing was rolled back; set ${PROPERTY.rollback}: false.`,
  );
}
