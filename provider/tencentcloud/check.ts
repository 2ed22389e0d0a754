/**
 * Tencent's `check` and `diff`: its input schema over the core's skeleton (`core/check.ts`), and the
 * forecast of what `up` does from the recorded status. Pure functions, no API call.
 */
import { checkWith, diffWith, pickInputs as pickKeys, tryNormalizeWith, type DiffOutcome, type InputSchema, type StatusForecast } from "../core/check";
import { ACTIVE_PHASES, soaksGate } from "../core/model";
import { phaseOf } from "./activity";
import { forecastUpdate, recordedActivityOf } from "./plannedCalls";
import { PROPERTY, normalizeInputs, validateInputs, type InstanceRefreshInputs, type NormalizedInputs } from "./settings";

export { PROVIDER_KEY, UNKNOWN_VALUE } from "../core/check";

/** Inputs whose change starts a new refresh (replace, delete before create: one refresh per group). */
export const REPLACE_KEYS = ["autoScalingGroupId", "refreshMode", "refreshSettings", "triggers", "region", "adoptActivityId"] as const;
/** Inputs changed in place: pause, resume, approve, wait, roll back. */
export const UPDATE_KEYS = ["paused", "resumeMode", "approvedBatches", "wait", "rollback", "rollbackSettings", "gate"] as const;

/** Tencent's inputs as check and diff see them. */
export const TENCENT_INPUTS: InputSchema<NormalizedInputs> = {
  replaceKeys: REPLACE_KEYS,
  updateKeys: UPDATE_KEYS,
  groupKey: PROPERTY.groupId,
  adoptKey: PROPERTY.adoptActivityId,
  rollbackKey: PROPERTY.rollback,
  validate: (plain, options) => validateInputs(plain, options),
  normalize: (plain) => normalizeInputs(plain as unknown as InstanceRefreshInputs),
};

/**
 * check: validates every input (unknown values skipped) and returns them normalized.
 * @example checkInputs({ autoScalingGroupId: "asg-1" }).failures[0].reason // 'autoScalingGroupId must look like "asg-9dn1a5y6" ...'
 */
export const checkInputs = (news: Record<string, unknown>, olds: Record<string, unknown> = {}) => checkWith(TENCENT_INPUTS, news, olds);

/** The input properties of a property bag that may also hold outputs. */
export const pickInputs = (props: Record<string, unknown> | undefined): Record<string, unknown> => pickKeys(TENCENT_INPUTS, props);

/** Normalized inputs of a property bag (inputs or outputs), or undefined when they are not valid and known. */
export const tryNormalize = (props: Record<string, unknown> | undefined): NormalizedInputs | undefined => tryNormalizeWith(TENCENT_INPUTS, props);

/**
 * diff (see `core/check.ts`): settings, triggers, group, region or adoptActivityId changed →
 * replace; paused / resumeMode / approvedBatches / wait / rollback changed → update; otherwise an
 * update when the recorded status calls for a pause, resume, rollback or wait.
 */
export const diffInputs = (id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffOutcome =>
  diffWith(TENCENT_INPUTS, id, olds, news, forecastFromState);

/** What `up` will do from the recorded outputs, by the provider's own rules (`plannedCalls.ts`). */
function forecastFromState(olds: Record<string, unknown>, desired: NormalizedInputs): StatusForecast {
  const recorded = recordedActivityOf(olds);
  if (desired.rollback) {
    const forecast = forecastUpdate(recorded, desired);
    return { changes: forecast.waits || forecast.call !== undefined, refusedRollback: forecast.refused };
  }
  if (recorded.status === undefined) return { changes: false };
  const phase = phaseOf(recorded.status, recorded.activityType);
  // A health gate is soaked again by every `up` while the refresh waits at a pause.
  if (soaksGate(desired, phase, false)) return { changes: true };
  const forecast = forecastUpdate(recorded, desired);
  const active = ACTIVE_PHASES.has(phase);
  return { changes: forecast.call !== undefined || (active && desired.wait.until === "settled" && !desired.paused) };
}
