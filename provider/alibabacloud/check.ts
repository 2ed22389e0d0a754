/**
 * ESS's `check` and `diff`: its input schema over the core's skeleton (`core/check.ts`), and what
 * `up` will do from the recorded status. Pure functions, no API call.
 */
import { checkWith, diffWith, pickInputs as pickKeys, tryNormalizeWith, type DiffOutcome, type InputSchema, type StatusForecast } from "../core/check";
import { ACTIVE_PHASES, convergeStep, isSettled, soaksGate, TERMINAL_PHASES } from "../core/model";
import { isRollbackPhase, phaseOf } from "./activity";
import { recordedRollbackRefusal, recordedTaskOf } from "./plannedCalls";
import { PROPERTY, normalizeAlicloudInputs, validateAlicloudInputs, type AlicloudInstanceRefreshInputs, type NormalizedAlicloudInputs } from "./settings";
import { ALICLOUD_WORDS } from "./words";

/** Inputs whose change starts a new refresh (replace, delete before create: one task per group). */
export const REPLACE_KEYS = [
  "scalingGroupId",
  "minHealthyPercentage",
  "maxHealthyPercentage",
  "desiredConfiguration",
  "skipMatching",
  "checkpoints",
  "checkpointPauseTime",
  "triggers",
  "region",
  "adoptTaskId",
] as const;
/** Inputs changed in place: pause, resume, approve, wait, roll back. */
export const UPDATE_KEYS = ["paused", "approvedCheckpoints", "wait", "rollback", "gate"] as const;

/** ESS's inputs as check and diff see them. */
export const ALICLOUD_INPUTS: InputSchema<NormalizedAlicloudInputs> = {
  replaceKeys: REPLACE_KEYS,
  updateKeys: UPDATE_KEYS,
  groupKey: PROPERTY.groupId,
  adoptKey: PROPERTY.adoptTaskId,
  rollbackKey: PROPERTY.rollback,
  validate: (plain, options) => validateAlicloudInputs(plain, options),
  normalize: (plain) => normalizeAlicloudInputs(plain as unknown as AlicloudInstanceRefreshInputs),
};

/**
 * check: validates every input (unknown values skipped) and returns them normalized.
 * @example checkAlicloudInputs({ scalingGroupId: "asg-1" }).failures[0].property // "scalingGroupId"
 */
export const checkAlicloudInputs = (news: Record<string, unknown>, olds: Record<string, unknown> = {}) => checkWith(ALICLOUD_INPUTS, news, olds);

/** The input properties of a property bag that may also hold outputs. */
export const pickAlicloudInputs = (props: Record<string, unknown> | undefined): Record<string, unknown> => pickKeys(ALICLOUD_INPUTS, props);

/** Normalized inputs of a property bag (inputs or outputs), or undefined when they are not valid and known. */
export const tryNormalizeAlicloud = (props: Record<string, unknown> | undefined): NormalizedAlicloudInputs | undefined =>
  tryNormalizeWith(ALICLOUD_INPUTS, props);

/** diff (see `core/check.ts`): settings, triggers, group, region or adoptTaskId changed → replace; paused / approvedCheckpoints / wait / rollback → update. */
export const diffAlicloudInputs = (id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffOutcome =>
  diffWith(ALICLOUD_INPUTS, id, olds, news, forecastFromState);

/** What `up` will do from the recorded outputs, by the core's rules over the recorded status. */
function forecastFromState(olds: Record<string, unknown>, desired: NormalizedAlicloudInputs): StatusForecast {
  const status = typeof olds.status === "string" ? olds.status : undefined;
  if (status === undefined) return { changes: false };
  const phase = phaseOf(status);
  const view = { phase, status, step: typeof olds.currentCheckpoint === "number" ? olds.currentCheckpoint : 0 };
  const settledDesired = { paused: desired.paused, approvedSteps: desired.approvedCheckpoints };
  if (desired.rollback) {
    const rolledBack = isRollbackPhase(phase);
    const refusedRollback = rolledBack ? undefined : recordedRollbackRefusal(recordedTaskOf(olds), desired);
    return { changes: !rolledBack || !TERMINAL_PHASES.has(phase), refusedRollback };
  }
  // A health gate is soaked again by every `up` while the task waits at a checkpoint.
  if (soaksGate(desired, phase, false)) return { changes: true };
  if (convergeStep(view, settledDesired, ALICLOUD_WORDS).kind !== "none") return { changes: true };
  return { changes: (ACTIVE_PHASES.has(phase) || phase === "cancelling") && desired.wait.until === "settled" && !isSettled(view, settledDesired) };
}
