/**
 * One definition of a valid Alibaba Cloud ESS InstanceRefresh setting: the limits and checks shared
 * by the provider's `check` (so `pulumi preview` rejects bad input before any API call) and the
 * policy pack. Pure functions over plain values: no Pulumi, no SDK, no I/O.
 */
import { describeValue as describe, inputChecker, integerIn, isBoolean, isObject, matches, nonEmptyString, oneOf } from "../core/checks";
import { normalizeGate, validateGate, type GateSettings, type NormalizedGate } from "../core/gateSettings";
import type { PortViolation } from "../core/port";

/** How long create and update wait: not at all, or until the task pauses or ends. @default "settled" */
export const WAIT_UNTIL = ["started", "settled"] as const;
/** @see WAIT_UNTIL */
export type WaitUntil = (typeof WAIT_UNTIL)[number];

/** Bounds and API default of MinHealthyPercentage. */
export const MIN_HEALTHY_PERCENTAGE = { min: 0, max: 100, default: 80 } as const;
/** Bounds and API default of MaxHealthyPercentage. */
export const MAX_HEALTHY_PERCENTAGE = { min: 100, max: 200, default: 120 } as const;
/** Bounds and API default of CheckpointPauseTime, minutes. */
export const CHECKPOINT_PAUSE_MINUTES = { min: 1, max: 2880, default: 60 } as const;
/** Bounds of a checkpoint's percentage; the last one must be the maximum. */
export const CHECKPOINT_PERCENTAGE = { min: 1, max: 100 } as const;
/** Most checkpoints accepted. inferred: the API lists no limit; 100 ascending percentages is the most there can be. */
export const MAX_CHECKPOINTS = 100;
/** Default and bounds of the wait timeout, in seconds. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
/** @see DEFAULT_WAIT_TIMEOUT_SECONDS */
export const MAX_WAIT_TIMEOUT_SECONDS = 86_400;
/** Most trigger entries accepted. */
export const MAX_TRIGGERS = 50;
/** Most launch-template overrides and containers accepted (the API's flattened lists). */
export const MAX_LIST_ITEMS = 100;

/** ESS ids: `asg-` and letters or digits, as the API issues them (e.g. `asg-bp1a2b3c4d5e6f7g8h9i`). */
export const GROUP_ID_PATTERN = /^asg-[a-z0-9]{8,40}$/;
/** Instance-refresh task ids: `ir-` and letters or digits. */
export const TASK_ID_PATTERN = /^ir-[a-z0-9]{8,40}$/;
/** Region ids such as `cn-hangzhou`, `ap-southeast-1`, `eu-central-1`. */
export const REGION_PATTERN = /^[a-z]{2,}-[a-z]+(-[a-z0-9]+)*$/;
/** Launch template versions: a number, `Default` or `Latest`. */
export const LAUNCH_TEMPLATE_VERSION_PATTERN = /^([1-9][0-9]*|Default|Latest)$/;

/** Input property paths, as users write them. */
export const PROPERTY = {
  groupId: "scalingGroupId",
  minHealthy: "minHealthyPercentage",
  maxHealthy: "maxHealthyPercentage",
  desired: "desiredConfiguration",
  imageId: "desiredConfiguration.imageId",
  scalingConfigurationId: "desiredConfiguration.scalingConfigurationId",
  launchTemplateId: "desiredConfiguration.launchTemplateId",
  launchTemplateVersion: "desiredConfiguration.launchTemplateVersion",
  launchTemplateOverrides: "desiredConfiguration.launchTemplateOverrides",
  containers: "desiredConfiguration.containers",
  skipMatching: "skipMatching",
  checkpoints: "checkpoints",
  checkpointPauseTime: "checkpointPauseTime",
  paused: "paused",
  approvedCheckpoints: "approvedCheckpoints",
  triggers: "triggers",
  wait: "wait",
  waitUntil: "wait.until",
  waitTimeout: "wait.timeoutSeconds",
  region: "region",
  adoptTaskId: "adoptTaskId",
  rollback: "rollback",
  gate: "gate",
} as const;

/** A container of an ECI scaling group, matched by name. */
export interface ContainerSpec {
  name: string;
  image?: string;
  commands?: string[];
  args?: string[];
  environmentVars?: Array<{ key: string; value?: string }>;
}

/** The configuration the instances are refreshed onto; its members exclude each other (empty: the group's active one). */
export interface DesiredConfiguration {
  imageId?: string;
  scalingConfigurationId?: string;
  launchTemplateId?: string;
  /** A number, `Default` or `Latest` (`Default`/`Latest` cannot be rolled back). */
  launchTemplateVersion?: string;
  launchTemplateOverrides?: Array<{ instanceType: string }>;
  containers?: ContainerSpec[];
}

/** How long create and update wait for the task. */
export interface WaitSettings {
  /** @default "settled" */
  until?: WaitUntil;
  /** Seconds before giving up (the resource stays in state). @default 3600 */
  timeoutSeconds?: number;
}

/** The resource's inputs as plain values (after Pulumi resolved the Outputs). */
export interface AlicloudInstanceRefreshInputs {
  scalingGroupId: string;
  minHealthyPercentage?: number;
  maxHealthyPercentage?: number;
  desiredConfiguration?: DesiredConfiguration;
  skipMatching?: boolean;
  checkpoints?: Array<{ percentage: number }>;
  checkpointPauseTime?: number;
  paused?: boolean;
  approvedCheckpoints?: number;
  triggers?: Record<string, string>;
  wait?: WaitSettings;
  region?: string;
  adoptTaskId?: string;
  rollback?: boolean;
  /** A health gate at every checkpoint pause (see `core/gateSettings.ts`). */
  gate?: GateSettings;
}

/** Inputs with every default filled in, so that equal intents compare equal. */
export interface NormalizedAlicloudInputs {
  scalingGroupId: string;
  minHealthyPercentage: number;
  maxHealthyPercentage: number;
  desiredConfiguration: DesiredConfiguration;
  skipMatching: boolean;
  checkpoints: Array<{ percentage: number }>;
  checkpointPauseTime: number;
  paused: boolean;
  approvedCheckpoints: number;
  triggers: Record<string, string>;
  wait: Required<WaitSettings>;
  region?: string;
  adoptTaskId?: string;
  /** Present (true) only when a rollback is asked for. */
  rollback?: true;
  gate?: NormalizedGate;
}

/** Keys allowed in each object input. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  "": Object.values(PROPERTY).filter((p) => !p.includes(".")),
  [PROPERTY.desired]: ["imageId", "scalingConfigurationId", "launchTemplateId", "launchTemplateVersion", "launchTemplateOverrides", "containers"],
  [PROPERTY.wait]: ["until", "timeoutSeconds"],
};
/** The members of desiredConfiguration that exclude each other. */
const EXCLUSIVE_DESIRED = ["imageId", "scalingConfigurationId", "launchTemplateId", "containers"] as const;

/**
 * Checks every input of an Alibaba Cloud InstanceRefresh and returns all violations (empty when
 * valid). Values that are unknown at preview are skipped.
 * @example
 * validateAlicloudInputs({ scalingGroupId: "asg-bp1a2b3c4d5e6f7g8h9i", minHealthyPercentage: 120 })
 * // [{ property: "minHealthyPercentage", reason: "must be an integer from 0 to 100; got 120" }]
 */
export function validateAlicloudInputs(inputs: unknown, options: { isUnknown?: (value: unknown) => boolean } = {}): PortViolation[] {
  const isUnknown = options.isUnknown ?? (() => false);
  const { violations, report, check, object } = inputChecker(KNOWN_KEYS, isUnknown);
  const list = (value: unknown, property: string, each: (item: unknown, path: string) => void) => {
    if (isUnknown(value) || value === undefined || value === null) return;
    if (!Array.isArray(value)) return report(property, `must be a list; got ${describe(value)}`);
    if (value.length > MAX_LIST_ITEMS) report(property, `must have at most ${MAX_LIST_ITEMS} entries; got ${value.length}`);
    value.forEach((item, i) => each(item, `${property}[${i}]`));
  };

  const root = object(inputs, "", true);
  if (!root) return violations;
  check(root.scalingGroupId, PROPERTY.groupId, matches(GROUP_ID_PATTERN, "asg-bp1a2b3c4d5e6f7g8h9i"), true);
  check(root.minHealthyPercentage, PROPERTY.minHealthy, integerIn(MIN_HEALTHY_PERCENTAGE.min, MIN_HEALTHY_PERCENTAGE.max));
  check(root.maxHealthyPercentage, PROPERTY.maxHealthy, integerIn(MAX_HEALTHY_PERCENTAGE.min, MAX_HEALTHY_PERCENTAGE.max));
  check(root.skipMatching, PROPERTY.skipMatching, isBoolean);
  check(root.checkpointPauseTime, PROPERTY.checkpointPauseTime, integerIn(CHECKPOINT_PAUSE_MINUTES.min, CHECKPOINT_PAUSE_MINUTES.max));
  check(root.paused, PROPERTY.paused, isBoolean);
  check(root.approvedCheckpoints, PROPERTY.approvedCheckpoints, integerIn(0, MAX_CHECKPOINTS));
  check(root.region, PROPERTY.region, matches(REGION_PATTERN, "cn-hangzhou"));
  check(root.adoptTaskId, PROPERTY.adoptTaskId, matches(TASK_ID_PATTERN, "ir-bp1a2b3c4d5e"));
  check(root.rollback, PROPERTY.rollback, isBoolean);
  violations.push(...validateGate(root.gate, PROPERTY.gate, isUnknown));

  let previous = 0;
  list(root.checkpoints, PROPERTY.checkpoints, (item, path) => {
    const percentage = isObject(item) ? item.percentage : item;
    if (isUnknown(percentage)) return;
    const reason = integerIn(CHECKPOINT_PERCENTAGE.min, CHECKPOINT_PERCENTAGE.max)(percentage);
    if (reason) return report(`${path}.percentage`, reason);
    if ((percentage as number) <= previous) report(`${path}.percentage`, `must be greater than the one before (${previous}): checkpoints ascend; got ${percentage as number}`);
    previous = percentage as number;
  });
  if (Array.isArray(root.checkpoints) && root.checkpoints.length > 0 && previous > 0 && previous !== CHECKPOINT_PERCENTAGE.max) {
    report(PROPERTY.checkpoints, `must end with percentage ${CHECKPOINT_PERCENTAGE.max} (the API requires the last checkpoint to be the whole group); got ${previous}`);
  }

  const desired = object(root.desiredConfiguration, PROPERTY.desired, false);
  if (desired) {
    check(desired.imageId, PROPERTY.imageId, nonEmptyString);
    check(desired.scalingConfigurationId, PROPERTY.scalingConfigurationId, nonEmptyString);
    check(desired.launchTemplateId, PROPERTY.launchTemplateId, nonEmptyString);
    check(desired.launchTemplateVersion, PROPERTY.launchTemplateVersion, matches(LAUNCH_TEMPLATE_VERSION_PATTERN, "3"));
    const set = EXCLUSIVE_DESIRED.filter((key) => desired[key] !== undefined && desired[key] !== null);
    if (set.length > 1) report(PROPERTY.desired, `must set at most one of ${EXCLUSIVE_DESIRED.join(", ")} (the API refuses them together); got ${set.join(" and ")}`);
    if (desired.launchTemplateOverrides !== undefined && desired.launchTemplateId === undefined) {
      report(PROPERTY.launchTemplateOverrides, "needs desiredConfiguration.launchTemplateId");
    }
    if (desired.launchTemplateVersion !== undefined && desired.launchTemplateId === undefined) {
      report(PROPERTY.launchTemplateVersion, "needs desiredConfiguration.launchTemplateId");
    }
    list(desired.launchTemplateOverrides, PROPERTY.launchTemplateOverrides, (item, path) =>
      check(isObject(item) ? item.instanceType : item, `${path}.instanceType`, nonEmptyString, true),
    );
    list(desired.containers, PROPERTY.containers, (item, path) => {
      if (!isObject(item)) return report(path, `must be an object; got ${describe(item)}`);
      check(item.name, `${path}.name`, nonEmptyString, true);
      check(item.image, `${path}.image`, nonEmptyString);
    });
  }

  if (!isUnknown(root.triggers) && root.triggers !== undefined && root.triggers !== null) {
    if (!isObject(root.triggers)) report(PROPERTY.triggers, `must be a map of strings; got ${describe(root.triggers)}`);
    else {
      const entries = Object.entries(root.triggers);
      if (entries.length > MAX_TRIGGERS) report(PROPERTY.triggers, `must have at most ${MAX_TRIGGERS} entries; got ${entries.length}`);
      for (const [key, value] of entries) if (!isUnknown(value) && typeof value !== "string") report(`${PROPERTY.triggers}.${key}`, `must be a string; got ${describe(value)}`);
    }
  }
  const wait = object(root.wait, PROPERTY.wait, false);
  if (wait) {
    check(wait.until, PROPERTY.waitUntil, oneOf(WAIT_UNTIL));
    check(wait.timeoutSeconds, PROPERTY.waitTimeout, integerIn(1, MAX_WAIT_TIMEOUT_SECONDS));
  }
  return violations;
}

/** A copy without undefined members (state must compare equal however the program spelled "unset"). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Fills in the documented defaults of valid inputs (Min 80, Max 120, SkipMatching true, no
 * checkpoints, 60 minutes of checkpoint pause). Call {@link validateAlicloudInputs} first.
 * @example normalizeAlicloudInputs({ scalingGroupId: "asg-bp1a2b3c4d5e6f7g8h9i" }).skipMatching // true
 */
export function normalizeAlicloudInputs(inputs: AlicloudInstanceRefreshInputs): NormalizedAlicloudInputs {
  return {
    scalingGroupId: inputs.scalingGroupId,
    minHealthyPercentage: inputs.minHealthyPercentage ?? MIN_HEALTHY_PERCENTAGE.default,
    maxHealthyPercentage: inputs.maxHealthyPercentage ?? MAX_HEALTHY_PERCENTAGE.default,
    desiredConfiguration: defined({ ...(inputs.desiredConfiguration ?? {}) }),
    skipMatching: inputs.skipMatching ?? true,
    checkpoints: (inputs.checkpoints ?? []).map((c) => ({ percentage: c.percentage })),
    checkpointPauseTime: inputs.checkpointPauseTime ?? CHECKPOINT_PAUSE_MINUTES.default,
    paused: inputs.paused ?? false,
    approvedCheckpoints: inputs.approvedCheckpoints ?? 0,
    triggers: { ...(inputs.triggers ?? {}) },
    wait: { until: inputs.wait?.until ?? "settled", timeoutSeconds: inputs.wait?.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS },
    ...(inputs.region === undefined ? {} : { region: inputs.region }),
    ...(inputs.adoptTaskId === undefined ? {} : { adoptTaskId: inputs.adoptTaskId }),
    ...(inputs.rollback ? { rollback: true as const } : {}),
    ...(inputs.gate === undefined ? {} : { gate: normalizeGate(inputs.gate) }),
  };
}
