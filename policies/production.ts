/**
 * Which stacks are production, for the policies that ask more of them
 * (`instance-refresh-production-pause`, `instance-refresh-production-rollback`,
 * `instance-refresh-production-checkpoint`, `instance-refresh-gate-before-second-batch`): a stack whose name
 * matches `productionStackPattern`, or one tagged with any entry of `productionTags`. Both are set
 * once in `instance-refresh-shared-config` and merged into each such policy's config (`packConfig.ts`).
 */
import { PolicyConfigError, patternProblem, type ProductionStacksConfig } from "./config";
import { stackFromUrn } from "./resources";

/**
 * The stack being deployed: from the resource's URN, else the engine's environment.
 * @example stackName("urn:pulumi:prod-eu::shop::pulumi:pulumi:Stack::shop-prod-eu") // "prod-eu"
 */
export function stackName(urn: string): string | undefined {
  return stackFromUrn(urn) ?? process.env.PULUMI_STACK ?? process.env.PULUMI_NODEJS_STACK;
}

/**
 * Compiles `productionStackPattern`. The pack rejects a bad pattern when the engine configures it
 * (`packConfig.ts`); this throws the same {@link PolicyConfigError}, naming `policy`, if one ever
 * gets this far.
 * @example productionPattern("^prod", "instance-refresh-production-pause").test("prod-eu") // true
 */
export function productionPattern(pattern: string, policy: string): RegExp {
  const problem = patternProblem(policy, "productionStackPattern", pattern);
  if (problem) throw new PolicyConfigError([problem]);
  return new RegExp(pattern);
}

/** Where a policy learns about the stack: the resource's URN and the stack's tags (`ResourceValidationArgs`). */
export interface StackOf {
  readonly urn: string;
  readonly stackTags?: ReadonlyMap<string, string>;
}

/**
 * Why the resource's stack counts as production (its name matches `productionStackPattern`, or one
 * of `productionTags` is set on it), or `undefined` when it does not. `policy` is the policy asking,
 * named if its pattern does not compile.
 * @example productionReason({ urn: "urn:pulumi:prod::shop::t::n" }, { productionStackPattern: "^prod$", productionTags: {} }, "instance-refresh-production-pause")
 * // 'stack "prod" matches productionStackPattern "^prod$"'
 */
export function productionReason(args: StackOf, config: ProductionStacksConfig, policy: string): string | undefined {
  const stack = stackName(args.urn);
  if (stack !== undefined && productionPattern(config.productionStackPattern, policy).test(stack)) {
    return `stack "${stack}" matches productionStackPattern ${JSON.stringify(config.productionStackPattern)}`;
  }
  for (const [tag, value] of Object.entries(config.productionTags)) {
    if (args.stackTags?.get(tag) === value) return `the stack is tagged ${tag}=${value} (policy config productionTags)`;
  }
  return undefined;
}
