/**
 * Advisories about how a refresh behaves when something goes wrong: the failure handling
 * (`instance-refresh-fail-process`), load-balancer health checks (`instance-refresh-target-health`)
 * and a pause after the first batch in production (`instance-refresh-production-pause`).
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { BatchPause, FailProcess } from "../provider/tencentcloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, PolicyConfigError, patternProblem, readConfig, type ProductionPauseConfig } from "./config";
import { findScalingGroup } from "./groupSize";
import { isUnknown, knownString, stackFromUrn } from "./resources";
import { validateRefresh, validateStackRefreshes } from "./validate";

/** The batch pause the API uses when none is given. */
const DEFAULT_BATCH_PAUSE: BatchPause = "AUTOMATIC";

/** What each failure handling does, in words for messages. */
const FAIL_PROCESS_EFFECT: Record<FailProcess, string> = {
  AUTO_PAUSE: "pauses the refresh on the first failure",
  AUTO_ROLLBACK: "rolls the refreshed instances back on the first failure",
  AUTO_CANCEL:
    "cancels the refresh on the first failure: failed instances stay in standby and the group is left part-updated, with no resume or rollback",
};

/** Advises against failure handling that leaves the group half-refreshed (AUTO_CANCEL by default). */
export const failProcess: ResourceValidationPolicy = {
  name: "instance-refresh-fail-process",
  description: "Advises against failProcess values (AUTO_CANCEL by default) that leave a group part-updated with no way to resume or roll back.",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.failProcess,
  validateResource: validateRefresh((refresh, args, report) => {
    const config = readConfig(args, CONFIG_DEFAULTS.failProcess);
    const value = knownString(refresh.failProcess);
    if (value === undefined || !config.discouragedFailProcesses.includes(value as FailProcess)) return;
    const effect = FAIL_PROCESS_EFFECT[value as FailProcess] ?? "is discouraged";
    report(`failProcess ${value} ${effect}; prefer AUTO_PAUSE or AUTO_ROLLBACK (policy config discouragedFailProcesses)`);
  }),
};

/**
 * Advises `checkInstanceTargetHealth: true` for groups behind a load balancer: a scaling group in
 * the stack with non-empty `forwardBalancerIds`/`loadBalancerIds`, or one listed in config.
 */
export const targetHealth: StackValidationPolicy = {
  name: "instance-refresh-target-health",
  description: "Advises enabling checkInstanceTargetHealth when the refreshed group is behind a load balancer.",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.targetHealth,
  validateStack: validateStackRefreshes((refresh, context, args, report) => {
    const check = refresh.view.checkInstanceTargetHealth;
    if (check === true || isUnknown(check)) return;
    const config = readConfig(args, CONFIG_DEFAULTS.targetHealth);
    const groupId = knownString(refresh.view.groupId);
    let reason: string | undefined;
    if (groupId !== undefined && config.groupsBehindLoadBalancer.includes(groupId)) {
      reason = `group ${groupId} is behind a load balancer (policy config groupsBehindLoadBalancer)`;
    } else {
      const group = findScalingGroup(refresh, context.groups);
      if (group?.behindLoadBalancer === true) {
        reason = `scaling group "${group.name}" in this stack is behind a load balancer (forwardBalancerIds/loadBalancerIds)`;
      }
    }
    if (!reason) return;
    report(
      `checkInstanceTargetHealth is off but ${reason}: refreshed instances count as done before they pass the ` +
        "load balancer's health check; set refreshSettings.checkInstanceTargetHealth to true",
    );
  }),
};

/** The stack being deployed: from the resource's URN, else the engine's environment. */
export function stackName(urn: string): string | undefined {
  return stackFromUrn(urn) ?? process.env.PULUMI_STACK ?? process.env.PULUMI_NODEJS_STACK;
}

/** Name of the production-pause policy (messages name it). */
const PRODUCTION_PAUSE = "instance-refresh-production-pause";

/**
 * Compiles `productionStackPattern`. The pack rejects a bad pattern when the engine configures it
 * (`packConfig.ts`); this throws the same {@link PolicyConfigError} if one ever gets this far.
 * @example productionPattern("^prod").test("prod-eu") // true
 */
export function productionPattern(pattern: string): RegExp {
  const problem = patternProblem(PRODUCTION_PAUSE, "productionStackPattern", pattern);
  if (problem) throw new PolicyConfigError([problem]);
  return new RegExp(pattern);
}

/**
 * Why the stack counts as production (its name matches `productionStackPattern`, or one of
 * `productionTags` is set on it), or `undefined` when it does not.
 */
export function productionReason(
  stack: string | undefined,
  stackTags: ReadonlyMap<string, string>,
  config: ProductionPauseConfig,
): string | undefined {
  if (stack !== undefined && productionPattern(config.productionStackPattern).test(stack)) {
    return `stack "${stack}" matches productionStackPattern ${JSON.stringify(config.productionStackPattern)}`;
  }
  for (const [tag, value] of Object.entries(config.productionTags)) {
    if (stackTags.get(tag) === value) return `the stack is tagged ${tag}=${value} (policy config productionTags)`;
  }
  return undefined;
}

/** Advises FIRST_BATCH_PAUSE (or BATCH_INTERVAL_PAUSE) in production stacks, to check the first batch before the rest. */
export const productionPause: ResourceValidationPolicy = {
  name: PRODUCTION_PAUSE,
  description: "Advises pausing after the first batch (FIRST_BATCH_PAUSE) in stacks named or tagged as production.",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.productionPause,
  validateResource: validateRefresh((refresh, args, report) => {
    if (isUnknown(refresh.batchPause)) return;
    const config = readConfig(args, CONFIG_DEFAULTS.productionPause);
    const pause = refresh.batchPause ?? DEFAULT_BATCH_PAUSE;
    if (config.acceptedBatchPauses.includes(pause as BatchPause)) return;
    const reason = productionReason(stackName(args.urn), args.stackTags ?? new Map(), config);
    if (!reason) return;
    report(
      `batchPause ${String(pause)} does not stop after the first batch, and ${reason}: ` +
        `use ${config.acceptedBatchPauses.join(" or ")} to check the first batch before the rest (policy config acceptedBatchPauses)`,
    );
  }),
};
