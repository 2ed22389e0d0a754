/**
 * `instance-refresh-shared-config`: the pack's one place for facts that several policies use — group
 * sizes, groups behind a load balancer, which stacks are production. It checks nothing itself; it is
 * a policy so that the engine validates its config against a schema, fills in its defaults and hands
 * it to the pack like any policy's config, even when it carries no enforcement level (the engine
 * refuses config entries of unknown names without one). `packConfig.ts` merges it into the config of
 * every policy that has the same field.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { CONFIG_SCHEMAS } from "./config";

/** Name of the shared-settings entry in `--policy-pack-config`. */
export const SHARED_CONFIG_POLICY = "instance-refresh-shared-config";

/**
 * Holds the shared settings; never reports anything, whatever its enforcement level.
 * @example
 * // --policy-pack-config
 * { "instance-refresh-shared-config": { "groupSizes": { "asg-9dn1a5y6": 5 } } }
 */
export const sharedConfig: StackValidationPolicy = {
  name: SHARED_CONFIG_POLICY,
  description:
    "Holds the settings several policies share (groupSizes, groupsBehindLoadBalancer, productionStackPattern, productionTags); reports nothing itself.",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.sharedConfig,
  validateStack: () => undefined,
};
