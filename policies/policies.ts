/**
 * The pack's policies as a list, without starting anything: tests and tools import this module;
 * `pack.ts` serves it; `packConfig.ts` checks `--policy-pack-config` against it.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { batchNumberWithinGroup, minBatches } from "./batchCount";
import { maxBatchSize } from "./batchSize";
import { productionCheckpoint, skipMatching } from "./essSafety";
import { gateBeforeSecondBatch } from "./gateBeforeSecondBatch";
import { maxHealthy, minHealthy } from "./healthyPercentage";
import { maxSurge, surgeOnReset } from "./maxSurge";
import { failProcess, productionPause, productionRollback, targetHealth } from "./safety";
import { sharedConfig } from "./sharedConfig";
import { rolloutLimits } from "./rolloutLimits";
import { onePerGroup } from "./stack";
import { validSettings } from "./validSettings";

/** Name of the policy pack, as `pulumi preview` prints it. */
export const PACK_NAME = "instance-refresh-safety";

/** Policy names: kebab-case, starting with a letter. */
const POLICY_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The reserved policy name that sets every policy's level in a config file. */
export const ALL_POLICIES = "all";

/**
 * Checks a list of policies: kebab-case names, no duplicates, no reserved name, a description and
 * an enforcement level on each. Throws on the first mistake; returns the list.
 */
export function checkPolicies(list: Policies): Policies {
  const seen = new Set<string>();
  for (const policy of list) {
    if (!POLICY_NAME_PATTERN.test(policy.name) || policy.name === ALL_POLICIES) {
      throw new Error(`policy name ${JSON.stringify(policy.name)} must be kebab-case and not "${ALL_POLICIES}"`);
    }
    if (seen.has(policy.name)) throw new Error(`duplicate policy name ${policy.name}`);
    seen.add(policy.name);
    if (!policy.description) throw new Error(`policy ${policy.name} has no description`);
    if (!policy.enforcementLevel) throw new Error(`policy ${policy.name} has no enforcement level`);
    describeLevel(policy.enforcementLevel);
  }
  return list;
}

/** Every policy of the pack, in the order they run. */
export const policies: Policies = checkPolicies([
  validSettings,
  minBatches,
  batchNumberWithinGroup,
  maxBatchSize,
  maxSurge,
  surgeOnReset,
  failProcess,
  targetHealth,
  productionPause,
  productionRollback,
  minHealthy,
  maxHealthy,
  skipMatching,
  productionCheckpoint,
  gateBeforeSecondBatch,
  rolloutLimits,
  onePerGroup,
  sharedConfig,
]);

/**
 * What an enforcement level does, checked exhaustively: a new level in `@pulumi/policy` is a
 * compile error here until it is handled.
 */
export function describeLevel(level: EnforcementLevel): string {
  switch (level) {
    case "advisory":
      return "reports a warning; the preview or update goes on";
    case "mandatory":
      return "fails the preview or update";
    case "remediate":
      return "fixes the resource when the policy can, otherwise fails like mandatory";
    case "disabled":
      return "does not run";
    default: {
      const never: never = level;
      throw new Error(`unknown enforcement level ${JSON.stringify(never)}`);
    }
  }
}

/**
 * True for the four enforcement levels (`advisory`, `mandatory`, `remediate`, `disabled`).
 * @example isEnforcementLevel("strict") // false
 */
export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  if (typeof value !== "string") return false;
  try {
    describeLevel(value as EnforcementLevel);
    return true;
  } catch {
    return false;
  }
}
