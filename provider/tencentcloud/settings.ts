/**
 * One definition of a valid InstanceRefresh setting: the enums, limits and checks shared by the
 * provider's `check` (so `pulumi preview` rejects bad input before any API call) and by the policy
 * pack (so a policy and the provider never disagree on what is valid).
 *
 * Pure functions over plain values: no Pulumi, no SDK, no I/O.
 */
import { describeValue as describe, inputChecker, type InputViolation, integerIn, isBoolean, isObject, matches, oneOf } from "../core/checks";
import { normalizeGate, validateGate, type GateSettings, type NormalizedGate } from "../core/gateSettings";

/** Refresh modes of StartInstanceRefresh. @default "ROLLING_UPDATE_RESET" */
export const REFRESH_MODES = ["ROLLING_UPDATE_RESET", "ROLLING_UPDATE_REPLACE"] as const;
/** How a rolling update pauses between batches. @default "AUTOMATIC" */
export const BATCH_PAUSES = ["AUTOMATIC", "FIRST_BATCH_PAUSE", "BATCH_INTERVAL_PAUSE"] as const;
/** What the cloud does when an instance fails to refresh. @default "AUTO_PAUSE" */
export const FAIL_PROCESSES = ["AUTO_PAUSE", "AUTO_ROLLBACK", "AUTO_CANCEL"] as const;
/** How ResumeInstanceRefresh treats the failed instances of the current batch. @default "RETRY" */
export const RESUME_MODES = ["RETRY", "CONTINUE"] as const;
/** How long create and update wait: not at all, or until the activity pauses or ends. @default "settled" */
export const WAIT_UNTIL = ["started", "settled"] as const;

/** @see REFRESH_MODES */
export type RefreshMode = (typeof REFRESH_MODES)[number];
/** @see BATCH_PAUSES */
export type BatchPause = (typeof BATCH_PAUSES)[number];
/** @see FAIL_PROCESSES */
export type FailProcess = (typeof FAIL_PROCESSES)[number];

/** The refresh mode the API uses when none is given. @default "ROLLING_UPDATE_RESET" */
export const DEFAULT_REFRESH_MODE: RefreshMode = "ROLLING_UPDATE_RESET";
/** The batch pause the API uses when none is given. @default "AUTOMATIC" */
export const DEFAULT_BATCH_PAUSE: BatchPause = "AUTOMATIC";
/** The failure handling the API uses when none is given. @default "AUTO_PAUSE" */
export const DEFAULT_FAIL_PROCESS: FailProcess = "AUTO_PAUSE";
/**
 * Refresh modes whose refreshes can be rolled back (RollbackInstanceRefresh, or FailProcess
 * AUTO_ROLLBACK): ROLLING_UPDATE_REPLACE "does not support the rollback API".
 * @example ROLLBACK_REFRESH_MODES.includes("ROLLING_UPDATE_REPLACE") // false
 */
export const ROLLBACK_REFRESH_MODES: readonly RefreshMode[] = ["ROLLING_UPDATE_RESET"];
/** @see RESUME_MODES */
export type ResumeMode = (typeof RESUME_MODES)[number];
/** @see WAIT_UNTIL */
export type WaitUntil = (typeof WAIT_UNTIL)[number];

/** Smallest BatchNumber the API accepts. */
export const MIN_BATCH_NUMBER = 1;
/**
 * Largest BatchNumber accepted. inferred: the API bounds it by the group's instance count; a scaling
 * group holds at most 2,000 instances, so no valid value is larger.
 */
export const MAX_BATCH_NUMBER = 2000;
/** Largest MaxSurge accepted (same reasoning as {@link MAX_BATCH_NUMBER}). */
export const MAX_MAX_SURGE = 2000;
/** Bounds of CheckInstanceTargetHealthTimeout, in seconds. */
export const MIN_HEALTH_CHECK_TIMEOUT_SECONDS = 60;
/** @see MIN_HEALTH_CHECK_TIMEOUT_SECONDS */
export const MAX_HEALTH_CHECK_TIMEOUT_SECONDS = 7200;
/** API default of CheckInstanceTargetHealthTimeout, in seconds. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_SECONDS = 1800;
/** Default and bounds of the wait timeout, in seconds. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
/** @see DEFAULT_WAIT_TIMEOUT_SECONDS */
export const MAX_WAIT_TIMEOUT_SECONDS = 86_400;
/** Most trigger entries accepted. */
export const MAX_TRIGGERS = 50;

/** `asg-` followed by 8 lowercase letters or digits, as the API issues them. */
export const GROUP_ID_PATTERN = /^asg-[a-z0-9]{8}$/;
/** `asr-` followed by 8 lowercase letters or digits. */
export const ACTIVITY_ID_PATTERN = /^asr-[a-z0-9]{8}$/;
/** Region names such as `ap-guangzhou`, `na-siliconvalley`, `ap-shanghai-fsi`. */
export const REGION_PATTERN = /^[a-z]{2,}-[a-z]+(-[a-z0-9]+)*$/;

/** Input property paths, as users write them (camelCase, dotted). */
export const PROPERTY = {
  groupId: "autoScalingGroupId",
  refreshMode: "refreshMode",
  refreshSettings: "refreshSettings",
  rollingUpdateSettings: "refreshSettings.rollingUpdateSettings",
  batchNumber: "refreshSettings.rollingUpdateSettings.batchNumber",
  batchPause: "refreshSettings.rollingUpdateSettings.batchPause",
  maxSurge: "refreshSettings.rollingUpdateSettings.maxSurge",
  failProcess: "refreshSettings.rollingUpdateSettings.failProcess",
  checkHealth: "refreshSettings.checkInstanceTargetHealth",
  checkHealthTimeout: "refreshSettings.checkInstanceTargetHealthTimeout",
  paused: "paused",
  resumeMode: "resumeMode",
  approvedBatches: "approvedBatches",
  triggers: "triggers",
  wait: "wait",
  waitUntil: "wait.until",
  waitTimeout: "wait.timeoutSeconds",
  region: "region",
  adoptActivityId: "adoptActivityId",
  rollback: "rollback",
  rollbackSettings: "rollbackSettings",
  rollbackBatchNumber: "rollbackSettings.batchNumber",
  gate: "gate",
} as const;

/** Rolling-update settings, camelCase mirror of the API's `RollingUpdateSettings`. */
export interface RollingUpdateSettings {
  /** Number of batches; at least 1 and at most the number of instances to refresh. */
  batchNumber: number;
  /** @default "AUTOMATIC" */
  batchPause?: BatchPause;
  /** Extra instances created before the update; at most the instances of one batch. @default 0 */
  maxSurge?: number;
  /** @default "AUTO_PAUSE" */
  failProcess?: FailProcess;
}

/** Refresh settings, camelCase mirror of the API's `RefreshSettings`. */
export interface RefreshSettings {
  rollingUpdateSettings: RollingUpdateSettings;
  /** Wait for load-balancer health checks after each instance. @default false */
  checkInstanceTargetHealth?: boolean;
  /** Seconds, 60 to 7200. @default 1800 */
  checkInstanceTargetHealthTimeout?: number;
}

/** How long create and update wait for the activity. */
export interface WaitSettings {
  /** @default "settled" */
  until?: WaitUntil;
  /** Seconds before giving up (the resource stays in state). @default 3600 */
  timeoutSeconds?: number;
}

/** Settings of an explicit rollback (RollbackInstanceRefresh); the rest is the origin's. */
export interface RollbackSettings {
  /** Number of batches of the rollback, at most the instances to roll back. @default the origin's batchNumber (capped at the instances to roll back) */
  batchNumber?: number;
}

/** The resource's inputs as plain values (after Pulumi resolved the Outputs). */
export interface InstanceRefreshInputs {
  autoScalingGroupId: string;
  refreshMode?: RefreshMode;
  refreshSettings: RefreshSettings;
  paused?: boolean;
  resumeMode?: ResumeMode;
  approvedBatches?: number;
  triggers?: Record<string, string>;
  wait?: WaitSettings;
  region?: string;
  adoptActivityId?: string;
  rollback?: boolean;
  rollbackSettings?: RollbackSettings;
  /** A health gate at every batch pause (see `core/gateSettings.ts`). */
  gate?: GateSettings;
}

/** One bad input: which property (dotted, e.g. `refreshSettings.rollingUpdateSettings.batchNumber`) and why. */
export type Violation = InputViolation;

/** What is known about the target group, when anything is. */
export interface GroupFacts {
  /** IN_SERVICE instances that a refresh would touch. */
  instanceCount?: number;
}

/** Options of {@link validateInputs}. */
export interface ValidateOptions {
  /**
   * Recognizes values that are not known yet (computed at preview); they are skipped, never reported.
   * @default () => false
   */
  isUnknown?: (value: unknown) => boolean;
  /** Facts about the group that enable the checks against its size. */
  group?: GroupFacts;
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  "": [
    "autoScalingGroupId",
    "refreshMode",
    "refreshSettings",
    "paused",
    "resumeMode",
    "approvedBatches",
    "triggers",
    "wait",
    "region",
    "adoptActivityId",
    "rollback",
    "rollbackSettings",
    "gate",
  ],
  [PROPERTY.refreshSettings]: ["rollingUpdateSettings", "checkInstanceTargetHealth", "checkInstanceTargetHealthTimeout"],
  [PROPERTY.rollingUpdateSettings]: ["batchNumber", "batchPause", "maxSurge", "failProcess"],
  [PROPERTY.wait]: ["until", "timeoutSeconds"],
  [PROPERTY.rollbackSettings]: ["batchNumber"],
};

/**
 * Splits `instanceCount` instances into `batchNumber` batches whose sizes differ by at most one,
 * larger batches first, as the API does (5 instances in 3 batches: 2, 2, 1).
 * @example batchSizes(5, 3) // [2, 2, 1]
 */
export function batchSizes(instanceCount: number, batchNumber: number): number[] {
  const base = Math.floor(instanceCount / batchNumber);
  const larger = instanceCount % batchNumber;
  return Array.from({ length: batchNumber }, (_, i) => base + (i < larger ? 1 : 0));
}

/**
 * Checks every input of an InstanceRefresh and returns all violations (empty when valid). Values
 * that are unknown at preview are skipped. Checks against the group's size run only when
 * `options.group.instanceCount` is known.
 * @example
 * validateInputs({ autoScalingGroupId: "asg-12345678", refreshSettings: { rollingUpdateSettings: { batchNumber: 0 } } })
 * // [{ property: "refreshSettings.rollingUpdateSettings.batchNumber", reason: "must be an integer from 1 to 2000; got 0" }]
 */
export function validateInputs(inputs: unknown, options: ValidateOptions = {}): Violation[] {
  const isUnknown = options.isUnknown ?? (() => false);
  const { violations, report, check, object } = inputChecker(KNOWN_KEYS, isUnknown);

  const root = object(inputs, "", true);
  if (!root) return violations;

  check(root.autoScalingGroupId, PROPERTY.groupId, matches(GROUP_ID_PATTERN, "asg-9dn1a5y6"), true);
  check(root.refreshMode, PROPERTY.refreshMode, oneOf(REFRESH_MODES));
  check(root.paused, PROPERTY.paused, isBoolean);
  check(root.resumeMode, PROPERTY.resumeMode, oneOf(RESUME_MODES));
  check(root.approvedBatches, PROPERTY.approvedBatches, integerIn(0, MAX_BATCH_NUMBER));
  check(root.region, PROPERTY.region, matches(REGION_PATTERN, "ap-guangzhou"));
  check(root.adoptActivityId, PROPERTY.adoptActivityId, matches(ACTIVITY_ID_PATTERN, "asr-y67t5r4e"));
  check(root.rollback, PROPERTY.rollback, isBoolean);
  const rollbackSettings = object(root.rollbackSettings, PROPERTY.rollbackSettings, false);
  if (rollbackSettings) check(rollbackSettings.batchNumber, PROPERTY.rollbackBatchNumber, integerIn(MIN_BATCH_NUMBER, MAX_BATCH_NUMBER));
  violations.push(...validateGate(root.gate, PROPERTY.gate, isUnknown));

  if (!isUnknown(root.triggers) && root.triggers !== undefined && root.triggers !== null) {
    if (!isObject(root.triggers)) {
      report(PROPERTY.triggers, `must be a map of strings; got ${describe(root.triggers)}`);
    } else {
      const entries = Object.entries(root.triggers);
      if (entries.length > MAX_TRIGGERS) report(PROPERTY.triggers, `must have at most ${MAX_TRIGGERS} entries; got ${entries.length}`);
      for (const [key, value] of entries) {
        if (!isUnknown(value) && typeof value !== "string") {
          report(`${PROPERTY.triggers}.${key}`, `must be a string; got ${describe(value)}`);
        }
      }
    }
  }

  const wait = object(root.wait, PROPERTY.wait, false);
  if (wait) {
    check(wait.until, PROPERTY.waitUntil, oneOf(WAIT_UNTIL));
    check(wait.timeoutSeconds, PROPERTY.waitTimeout, integerIn(1, MAX_WAIT_TIMEOUT_SECONDS));
  }

  const settings = object(root.refreshSettings, PROPERTY.refreshSettings, true);
  if (settings) {
    check(settings.checkInstanceTargetHealth, PROPERTY.checkHealth, isBoolean);
    check(
      settings.checkInstanceTargetHealthTimeout,
      PROPERTY.checkHealthTimeout,
      integerIn(MIN_HEALTH_CHECK_TIMEOUT_SECONDS, MAX_HEALTH_CHECK_TIMEOUT_SECONDS),
    );
    const rolling = object(settings.rollingUpdateSettings, PROPERTY.rollingUpdateSettings, true);
    if (rolling) {
      check(rolling.batchNumber, PROPERTY.batchNumber, integerIn(MIN_BATCH_NUMBER, MAX_BATCH_NUMBER), true);
      check(rolling.batchPause, PROPERTY.batchPause, oneOf(BATCH_PAUSES));
      check(rolling.maxSurge, PROPERTY.maxSurge, integerIn(0, MAX_MAX_SURGE));
      check(rolling.failProcess, PROPERTY.failProcess, oneOf(FAIL_PROCESSES));
      violations.push(...validateAgainstGroup(rolling, options.group, isUnknown));
    }
  }
  return violations;
}

/**
 * The checks that need the group's size: BatchNumber at most the instances to refresh
 * (InvalidParameterValue.BatchNumberTooLarge) and MaxSurge at most the instances of the first,
 * largest batch (InvalidParameterValue.MaxSurgeTooLarge). Skipped when the size or a value is unknown
 * or already invalid on its own.
 */
export function validateAgainstGroup(
  rolling: Record<string, unknown>,
  group: GroupFacts | undefined,
  isUnknown: (value: unknown) => boolean = () => false,
): Violation[] {
  const count = group?.instanceCount;
  const { batchNumber, maxSurge } = rolling;
  if (count === undefined || isUnknown(batchNumber) || !isValidInteger(batchNumber, MIN_BATCH_NUMBER, MAX_BATCH_NUMBER)) {
    return [];
  }
  if (batchNumber > count) {
    return [
      {
        property: PROPERTY.batchNumber,
        reason: `must be at most the group's ${count} in-service instances; got ${batchNumber}`,
      },
    ];
  }
  const perBatch = batchSizes(count, batchNumber)[0];
  if (!isUnknown(maxSurge) && isValidInteger(maxSurge, 0, MAX_MAX_SURGE) && maxSurge > perBatch) {
    return [
      {
        property: PROPERTY.maxSurge,
        reason: `must be at most the ${perBatch} instances of one batch (${count} instances in ${batchNumber} batches); got ${maxSurge}`,
      },
    ];
  }
  return [];
}

function isValidInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** Inputs with every default filled in, so that equal intents compare equal. */
export interface NormalizedInputs {
  autoScalingGroupId: string;
  refreshMode: RefreshMode;
  refreshSettings: {
    rollingUpdateSettings: Required<RollingUpdateSettings>;
    checkInstanceTargetHealth: boolean;
    checkInstanceTargetHealthTimeout: number;
  };
  paused: boolean;
  resumeMode: ResumeMode;
  approvedBatches: number;
  triggers: Record<string, string>;
  wait: Required<WaitSettings>;
  region?: string;
  adoptActivityId?: string;
  /** Present (true) only when a rollback is asked for. */
  rollback?: true;
  rollbackSettings?: RollbackSettings;
  gate?: NormalizedGate;
}

/**
 * Fills in the documented defaults of valid inputs. Call {@link validateInputs} first.
 * @example normalizeInputs({ autoScalingGroupId: "asg-12345678", refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } }).refreshMode
 * // "ROLLING_UPDATE_RESET"
 */
export function normalizeInputs(inputs: InstanceRefreshInputs): NormalizedInputs {
  const rolling = inputs.refreshSettings.rollingUpdateSettings;
  return {
    autoScalingGroupId: inputs.autoScalingGroupId,
    refreshMode: inputs.refreshMode ?? DEFAULT_REFRESH_MODE,
    refreshSettings: {
      rollingUpdateSettings: {
        batchNumber: rolling.batchNumber,
        batchPause: rolling.batchPause ?? DEFAULT_BATCH_PAUSE,
        maxSurge: rolling.maxSurge ?? 0,
        failProcess: rolling.failProcess ?? DEFAULT_FAIL_PROCESS,
      },
      checkInstanceTargetHealth: inputs.refreshSettings.checkInstanceTargetHealth ?? false,
      checkInstanceTargetHealthTimeout:
        inputs.refreshSettings.checkInstanceTargetHealthTimeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT_SECONDS,
    },
    paused: inputs.paused ?? false,
    resumeMode: inputs.resumeMode ?? "RETRY",
    approvedBatches: inputs.approvedBatches ?? 0,
    triggers: { ...(inputs.triggers ?? {}) },
    wait: {
      until: inputs.wait?.until ?? "settled",
      timeoutSeconds: inputs.wait?.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
    },
    ...(inputs.region === undefined ? {} : { region: inputs.region }),
    ...(inputs.adoptActivityId === undefined ? {} : { adoptActivityId: inputs.adoptActivityId }),
    // Left out when false, so state without a rollback is what it was before rollback existed.
    ...(inputs.rollback ? { rollback: true as const } : {}),
    ...(inputs.rollbackSettings?.batchNumber === undefined ? {} : { rollbackSettings: { batchNumber: inputs.rollbackSettings.batchNumber } }),
    ...(inputs.gate === undefined ? {} : { gate: normalizeGate(inputs.gate) }),
  };
}
