/**
 * Configuration of every policy in the pack: the tuning numbers as named constants, one interface
 * and one JSON schema (with defaults) per policy, the settings every policy shares (facts about the
 * groups and stacks, set once in the `instance-refresh-shared-config` entry), and {@link readConfig},
 * which fills in the defaults so a policy never depends on the CLI having applied them.
 *
 * Pure data: no Pulumi engine, no I/O.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import {
  BATCH_PAUSES,
  FAIL_PROCESSES,
  MAX_BATCH_NUMBER,
  MAX_MAX_SURGE,
  MIN_BATCH_NUMBER,
  type BatchPause,
  type FailProcess,
} from "../provider/tencentcloud/settings";
import { MAX_HEALTHY_PERCENTAGE, MIN_HEALTHY_PERCENTAGE } from "../provider/alibabacloud/settings";
import { PERCENT_LIMIT_PATTERN } from "./normalForm";

/** Fewest batches a refresh may use: with one batch the whole group is reinstalled at once. */
export const DEFAULT_MIN_BATCH_NUMBER = 2;
/** Largest share of the group, in percent, that one batch may refresh. */
export const DEFAULT_MAX_BATCH_PERCENT = 50;
/** Percent means parts per hundred. */
export const PERCENT = 100;
/** Stack names treated as production: `prod`, `production`, `prod-eu`, `production-2`, … */
export const DEFAULT_PRODUCTION_STACK_PATTERN = "^(prod|production)(-|$)";
/** FailProcess values the `instance-refresh-fail-process` advisory warns about. */
export const DEFAULT_DISCOURAGED_FAIL_PROCESSES: readonly FailProcess[] = ["AUTO_CANCEL"];
/** BatchPause values that stop after the first batch, so a bad image is caught early in production. */
export const DEFAULT_ACCEPTED_PRODUCTION_PAUSES: readonly BatchPause[] = ["FIRST_BATCH_PAUSE", "BATCH_INTERVAL_PAUSE"];
/** FailProcess values accepted in production: the cloud rolls a failed refresh back by itself. */
export const DEFAULT_ACCEPTED_PRODUCTION_FAIL_PROCESSES: readonly FailProcess[] = ["AUTO_ROLLBACK"];

/**
 * Least share of an ESS group's capacity, in percent, that a refresh must keep in service
 * (`minHealthyPercentage`): the same share of the group as {@link DEFAULT_MAX_BATCH_PERCENT} lets a
 * Tencent batch take out (100 − 50).
 */
export const DEFAULT_MIN_HEALTHY_PERCENTAGE = PERCENT - DEFAULT_MAX_BATCH_PERCENT;

/** Known sizes of groups, by scaling group id (`asg-…`): the IN_SERVICE instances a refresh touches (Tencent), the capacity (ESS). */
export type GroupSizes = Record<string, number>;

/** Config shared by the policies that need the group's size. */
export interface GroupSizesConfig {
  /**
   * Instance counts per scaling group id, for groups whose size the stack does not show.
   * @default {}
   * @example { "asg-9dn1a5y6": 5 }
   */
  groupSizes: GroupSizes;
}

/** Config of `instance-refresh-min-batches`. */
export interface MinBatchesConfig extends GroupSizesConfig {
  /** @default 2 ({@link DEFAULT_MIN_BATCH_NUMBER}) */
  minBatchNumber: number;
}

/** Config of `instance-refresh-max-batch-size`. */
export interface BatchSizeConfig extends GroupSizesConfig {
  /** @default 50 ({@link DEFAULT_MAX_BATCH_PERCENT}) */
  maxBatchPercent: number;
}

/** Config of `instance-refresh-batch-number-within-group`. */
export type BatchNumberWithinGroupConfig = GroupSizesConfig;

/** Config of `instance-refresh-max-surge`. */
export interface MaxSurgeConfig extends GroupSizesConfig {
  /** Most extra (pay-as-you-go) instances a refresh may create: a cost guard. Unset: no cap beyond the API's. */
  maxSurge?: number;
}

/** Config of `instance-refresh-surge-on-reset`. */
export interface SurgeOnResetConfig {
  /** Ask for `maxSurge` ≥ 1 when the mode is ROLLING_UPDATE_RESET. @default true */
  requireMaxSurge: boolean;
}

/** Config of `instance-refresh-fail-process`. */
export interface FailProcessConfig {
  /** @default ["AUTO_CANCEL"] */
  discouragedFailProcesses: FailProcess[];
}

/** Config of `instance-refresh-target-health`. */
export interface TargetHealthConfig {
  /** Scaling group ids known to sit behind a load balancer that the stack does not declare. @default [] */
  groupsBehindLoadBalancer: string[];
}

/** Config of the policies that apply to production stacks only: which stacks are production. */
export interface ProductionStacksConfig {
  /**
   * Regular expression matched against the stack name. Unset here: the shared config's value.
   * @default "^(prod|production)(-|$)" (from `instance-refresh-shared-config`)
   * @example "^(prod|live)(-|$)"
   */
  productionStackPattern: string;
  /**
   * Stack tags that mark a stack as production; any one matching is enough; merged over the shared config's.
   * @default {}
   * @example { "environment": "production" }
   */
  productionTags: Record<string, string>;
}

/** Config of `instance-refresh-production-pause`. */
export interface ProductionPauseConfig extends ProductionStacksConfig {
  /** BatchPause values accepted in production. @default ["FIRST_BATCH_PAUSE", "BATCH_INTERVAL_PAUSE"] */
  acceptedBatchPauses: BatchPause[];
}

/** Config of `instance-refresh-production-rollback`. */
export interface ProductionRollbackConfig extends ProductionStacksConfig {
  /**
   * FailProcess values accepted in production ({@link DEFAULT_ACCEPTED_PRODUCTION_FAIL_PROCESSES}).
   * @default ["AUTO_ROLLBACK"]
   * @example ["AUTO_ROLLBACK", "AUTO_PAUSE"] // also accept a pause on failure, rolled back by hand with `rollback: true`
   */
  acceptedFailProcesses: FailProcess[];
}

/** Config of `instance-refresh-min-healthy`. */
export interface MinHealthyConfig {
  /**
   * Least `minHealthyPercentage` an ESS refresh may use: the share of capacity kept in service.
   * @default 50 ({@link DEFAULT_MIN_HEALTHY_PERCENTAGE})
   * @example 75
   */
  minHealthyPercentage: number;
}

/** Config of `instance-refresh-max-healthy`. */
export interface MaxHealthyConfig {
  /**
   * Most `maxHealthyPercentage` an ESS refresh may use: 100 plus the surge, in percent of capacity
   * (a cost guard). Unset: no cap beyond the API's 200.
   * @example 150 // at most 50 % extra capacity during a refresh
   */
  maxHealthyPercentage?: number;
}

/** Config of `instance-refresh-production-checkpoint`. */
export type ProductionCheckpointConfig = ProductionStacksConfig;

/** Config of `instance-refresh-gate-before-second-batch`: which stacks are production. */
export type GateBeforeSecondBatchConfig = ProductionStacksConfig;

/**
 * Config of `instance-refresh-rollout-limits`: the normal form of a rollout (`normalForm.ts`),
 * one statement for both clouds. Each limit is a count of instances or a percent string; unset,
 * it is not checked.
 */
export interface RolloutLimitsConfig extends GroupSizesConfig {
  /**
   * Most of the group out of service at once: Tencent's largest batch, Alibaba's 100 − Min.
   * @example "25%"
   * @example 2
   */
  maxUnavailable?: number | string;
  /**
   * Most extra capacity at once: Tencent's MaxSurge, Alibaba's Max − 100.
   * @example "20%"
   * @example 1
   */
  maxSurge?: number | string;
}

/** Config of `instance-refresh-valid-settings`, `instance-refresh-skip-matching` and `instance-refresh-one-per-group`: nothing to tune. */
export type NoConfig = Record<string, never>;

/**
 * Config of `instance-refresh-shared-config`: facts about the groups and stacks that several
 * policies use, set once for the whole pack. Each policy whose schema has the same field gets this
 * value merged with its own (see `SHARED_FIELDS` in `packConfig.ts`).
 * @example { "groupSizes": { "asg-9dn1a5y6": 5 }, "productionTags": { "environment": "production" } }
 */
export interface SharedConfig extends GroupSizesConfig, TargetHealthConfig {
  /** @default "^(prod|production)(-|$)" ({@link DEFAULT_PRODUCTION_STACK_PATTERN}) */
  productionStackPattern: string;
  /** @default {} */
  productionTags: Record<string, string>;
}

const groupSizesSchema: PolicyConfigJSONSchema = {
  type: "object",
  description:
    "Instance counts per scaling group id, e.g. { \"asg-9dn1a5y6\": 5 }, for groups the stack does not declare; " +
    "merged over the groupSizes of instance-refresh-shared-config.",
  additionalProperties: { type: "integer", minimum: 0, maximum: MAX_BATCH_NUMBER },
  default: {},
};

const groupsBehindLoadBalancerSchema: PolicyConfigJSONSchema = {
  type: "array",
  items: { type: "string" },
  description: "Scaling group ids behind a load balancer that the stack does not declare; added to those of instance-refresh-shared-config.",
  default: [],
};

// No default: unset means the shared config's pattern (a default here would always win).
const productionStackPatternSchema: PolicyConfigJSONSchema = {
  type: "string",
  description: "Regular expression: stacks whose name matches are production. Unset: the productionStackPattern of instance-refresh-shared-config.",
};

const productionTagsSchema: PolicyConfigJSONSchema = {
  type: "object",
  additionalProperties: { type: "string" },
  description:
    "Stack tags marking a stack as production, e.g. { \"environment\": \"production\" }; any one matching is enough; " +
    "merged over the productionTags of instance-refresh-shared-config.",
  default: {},
};

/** A normal-form limit: an integer count of instances, or a percent string such as "25%". No default: unset, it is not checked. */
const rolloutLimitSchema = (description: string): PolicyConfigJSONSchema => ({
  type: ["integer", "string"],
  minimum: 0,
  pattern: PERCENT_LIMIT_PATTERN,
  description,
});

/** JSON schemas (with defaults) of each policy's config, keyed like the policies. */
export const CONFIG_SCHEMAS = {
  validSettings: { properties: {} },
  minBatches: {
    properties: {
      minBatchNumber: {
        type: "integer",
        minimum: MIN_BATCH_NUMBER,
        description: "Fewest batches a refresh may use.",
        default: DEFAULT_MIN_BATCH_NUMBER,
      },
      groupSizes: groupSizesSchema,
    },
  },
  batchNumberWithinGroup: { properties: { groupSizes: groupSizesSchema } },
  batchSize: {
    properties: {
      maxBatchPercent: {
        type: "number",
        exclusiveMinimum: 0,
        maximum: PERCENT,
        description: "Largest share of the group, in percent, that one batch may refresh.",
        default: DEFAULT_MAX_BATCH_PERCENT,
      },
      groupSizes: groupSizesSchema,
    },
  },
  maxSurge: {
    properties: {
      maxSurge: {
        type: "integer",
        minimum: 0,
        maximum: MAX_MAX_SURGE,
        description: "Most extra instances a refresh may create (cost guard). Unset: only the API's per-batch limit.",
      },
      groupSizes: groupSizesSchema,
    },
  },
  surgeOnReset: {
    properties: {
      requireMaxSurge: {
        type: "boolean",
        description: "Ask for maxSurge >= 1 with ROLLING_UPDATE_RESET, which otherwise takes instances out of service.",
        default: true,
      },
    },
  },
  failProcess: {
    properties: {
      discouragedFailProcesses: {
        type: "array",
        items: { type: "string", enum: [...FAIL_PROCESSES] },
        uniqueItems: true,
        description: "failProcess values to warn about.",
        default: [...DEFAULT_DISCOURAGED_FAIL_PROCESSES],
      },
    },
  },
  targetHealth: {
    properties: { groupsBehindLoadBalancer: groupsBehindLoadBalancerSchema },
  },
  productionPause: {
    properties: {
      productionStackPattern: productionStackPatternSchema,
      productionTags: productionTagsSchema,
      acceptedBatchPauses: {
        type: "array",
        items: { type: "string", enum: [...BATCH_PAUSES] },
        uniqueItems: true,
        minItems: 1,
        description: "batchPause values accepted in production.",
        default: [...DEFAULT_ACCEPTED_PRODUCTION_PAUSES],
      },
    },
  },
  productionRollback: {
    properties: {
      productionStackPattern: productionStackPatternSchema,
      productionTags: productionTagsSchema,
      acceptedFailProcesses: {
        type: "array",
        items: { type: "string", enum: [...FAIL_PROCESSES] },
        uniqueItems: true,
        minItems: 1,
        description: "failProcess values accepted in production.",
        default: [...DEFAULT_ACCEPTED_PRODUCTION_FAIL_PROCESSES],
      },
    },
  },
  minHealthy: {
    properties: {
      minHealthyPercentage: {
        type: "integer",
        minimum: MIN_HEALTHY_PERCENTAGE.min,
        maximum: MIN_HEALTHY_PERCENTAGE.max,
        description: "Least minHealthyPercentage an ESS refresh may use: the share of capacity kept in service.",
        default: DEFAULT_MIN_HEALTHY_PERCENTAGE,
      },
    },
  },
  maxHealthy: {
    properties: {
      maxHealthyPercentage: {
        type: "integer",
        minimum: MAX_HEALTHY_PERCENTAGE.min,
        maximum: MAX_HEALTHY_PERCENTAGE.max,
        description: "Most maxHealthyPercentage an ESS refresh may use (100 plus the surge; cost guard). Unset: only the API's 200.",
      },
    },
  },
  skipMatching: { properties: {} },
  productionCheckpoint: {
    properties: {
      productionStackPattern: productionStackPatternSchema,
      productionTags: productionTagsSchema,
    },
  },
  gateBeforeSecondBatch: {
    properties: {
      productionStackPattern: productionStackPatternSchema,
      productionTags: productionTagsSchema,
    },
  },
  rolloutLimits: {
    properties: {
      maxUnavailable: rolloutLimitSchema(
        'Most of the group out of service at once, for both clouds: instances (2) or percent ("25%"). Unset: not checked.',
      ),
      maxSurge: rolloutLimitSchema('Most extra capacity at once, for both clouds: instances (1) or percent ("20%"). Unset: not checked.'),
      groupSizes: groupSizesSchema,
    },
  },
  onePerGroup: { properties: {} },
  sharedConfig: {
    properties: {
      groupSizes: {
        ...groupSizesSchema,
        description: "Instance counts per scaling group id, e.g. { \"asg-9dn1a5y6\": 5 }, for every policy that needs a group's size.",
      },
      groupsBehindLoadBalancer: {
        ...groupsBehindLoadBalancerSchema,
        description: "Scaling group ids behind a load balancer that the stack does not declare.",
      },
      productionStackPattern: {
        type: "string",
        description: "Regular expression: stacks whose name matches are production.",
        default: DEFAULT_PRODUCTION_STACK_PATTERN,
      },
      productionTags: {
        ...productionTagsSchema,
        description: "Stack tags marking a stack as production, e.g. { \"environment\": \"production\" }; any one matching is enough.",
      },
    },
  },
} as const satisfies Record<string, PolicyConfigSchema>;

/** Defaults of each policy's config (the same values as the schemas' `default`). */
export const CONFIG_DEFAULTS = {
  validSettings: {} as NoConfig,
  minBatches: { minBatchNumber: DEFAULT_MIN_BATCH_NUMBER, groupSizes: {} } as MinBatchesConfig,
  batchNumberWithinGroup: { groupSizes: {} } as BatchNumberWithinGroupConfig,
  batchSize: { maxBatchPercent: DEFAULT_MAX_BATCH_PERCENT, groupSizes: {} } as BatchSizeConfig,
  maxSurge: { groupSizes: {} } as MaxSurgeConfig,
  surgeOnReset: { requireMaxSurge: true } as SurgeOnResetConfig,
  failProcess: { discouragedFailProcesses: [...DEFAULT_DISCOURAGED_FAIL_PROCESSES] } as FailProcessConfig,
  targetHealth: { groupsBehindLoadBalancer: [] } as TargetHealthConfig,
  productionPause: {
    productionStackPattern: DEFAULT_PRODUCTION_STACK_PATTERN,
    productionTags: {},
    acceptedBatchPauses: [...DEFAULT_ACCEPTED_PRODUCTION_PAUSES],
  } as ProductionPauseConfig,
  productionRollback: {
    productionStackPattern: DEFAULT_PRODUCTION_STACK_PATTERN,
    productionTags: {},
    acceptedFailProcesses: [...DEFAULT_ACCEPTED_PRODUCTION_FAIL_PROCESSES],
  } as ProductionRollbackConfig,
  minHealthy: { minHealthyPercentage: DEFAULT_MIN_HEALTHY_PERCENTAGE } as MinHealthyConfig,
  maxHealthy: {} as MaxHealthyConfig,
  skipMatching: {} as NoConfig,
  productionCheckpoint: { productionStackPattern: DEFAULT_PRODUCTION_STACK_PATTERN, productionTags: {} } as ProductionCheckpointConfig,
  gateBeforeSecondBatch: { productionStackPattern: DEFAULT_PRODUCTION_STACK_PATTERN, productionTags: {} } as GateBeforeSecondBatchConfig,
  rolloutLimits: { groupSizes: {} } as RolloutLimitsConfig,
  onePerGroup: {} as NoConfig,
  sharedConfig: {
    groupSizes: {},
    groupsBehindLoadBalancer: [],
    productionStackPattern: DEFAULT_PRODUCTION_STACK_PATTERN,
    productionTags: {},
  } as SharedConfig,
};

/**
 * A policy's config with every unset field taken from `defaults`. Keys whose value is `undefined`
 * or `null` count as unset.
 * @example readConfig(args, CONFIG_DEFAULTS.minBatches).minBatchNumber // 2 unless configured
 */
export function readConfig<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
  const given = args.getConfig<Partial<T>>() ?? {};
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined && value !== null) merged[key] = value;
  }
  return merged as T;
}

/** Error codes of {@link ConfigProblem}. */
export type ConfigProblemCode =
  | "NOT_AN_OBJECT"
  | "UNKNOWN_POLICY"
  | "UNKNOWN_LEVEL"
  | "NOT_A_LEVEL_OR_OBJECT"
  | "UNKNOWN_KEY"
  | "ALL_TAKES_A_LEVEL_ONLY"
  | "INVALID_PATTERN";

/** One mistake in a `--policy-pack-config`, naming the policy entry and the key. */
export interface ConfigProblem {
  readonly code: ConfigProblemCode;
  /** The entry's name (a policy, `all`), when the problem is inside one. */
  readonly policy?: string;
  /** The config key, when the problem is about one. */
  readonly key?: string;
  /** The whole explanation, e.g. `instance-refresh-min-batches: unknown config key "minBatchNumbr" …`. */
  readonly message: string;
}

/**
 * The pack's config is unusable: thrown (and sent to the engine as the answer to `configure`) before
 * any resource is checked.
 * @example new PolicyConfigError([{ code: "UNKNOWN_KEY", policy: "instance-refresh-min-batches", key: "minBatchNumbr", message: "…" }])
 */
export class PolicyConfigError extends Error {
  /** Always `INVALID_POLICY_CONFIG`; each problem carries its own code. */
  readonly code = "INVALID_POLICY_CONFIG";
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(`invalid policy pack config: ${problems.map((p) => p.message).join("; ")}`);
    this.name = "PolicyConfigError";
    this.problems = problems;
  }
}

/**
 * The problem with a config value that must be a JavaScript regular expression, or `undefined` when
 * it compiles.
 * @example patternProblem("instance-refresh-shared-config", "productionStackPattern", "(prod")?.code // "INVALID_PATTERN"
 */
export function patternProblem(policy: string, key: string, value: unknown): ConfigProblem | undefined {
  if (typeof value !== "string") {
    return { code: "INVALID_PATTERN", policy, key, message: `${policy}: ${key} must be a string (a regular expression), got ${JSON.stringify(value)}` };
  }
  try {
    new RegExp(value);
    return undefined;
  } catch (error) {
    return {
      code: "INVALID_PATTERN",
      policy,
      key,
      message: `${policy}: ${key} ${JSON.stringify(value)} is not a valid regular expression: ${(error as Error).message}`,
    };
  }
}
