/**
 * Advisories about how a refresh behaves when something goes wrong: the failure handling
 * (`instance-refresh-fail-process`), load-balancer health checks (`instance-refresh-target-health`),
 * and in production a pause after the first batch (`instance-refresh-production-pause`) and a
 * rollout that can be rolled back (`instance-refresh-production-rollback`).
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  DEFAULT_BATCH_PAUSE,
  DEFAULT_FAIL_PROCESS,
  DEFAULT_REFRESH_MODE,
  FAIL_PROCESSES,
  PROPERTY,
  REFRESH_MODES,
  ROLLBACK_REFRESH_MODES,
  type BatchPause,
  type FailProcess,
  type RefreshMode,
} from "../provider/tencentcloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, readConfig } from "./config";
import { findScalingGroup } from "./groupSize";
import { productionReason } from "./production";
import { isUnknown, knownString } from "./resources";
import { validateRefresh, validateStackRefreshes } from "./validate";

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

/** Name of the production-pause policy (messages name it). */
const PRODUCTION_PAUSE = "instance-refresh-production-pause";
/** Name of the production-rollback policy (messages name it). */
const PRODUCTION_ROLLBACK = "instance-refresh-production-rollback";

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
    const reason = productionReason(args, config, PRODUCTION_PAUSE);
    if (!reason) return;
    report(
      `batchPause ${String(pause)} does not stop after the first batch, and ${reason}: ` +
        `use ${config.acceptedBatchPauses.join(" or ")} to check the first batch before the rest (policy config acceptedBatchPauses)`,
    );
  }),
};

/** The failure handling that rolls a failed refresh back without anyone acting. */
const AUTO_ROLLBACK: FailProcess = "AUTO_ROLLBACK";

/** `value` when it is one of `allowed`; undefined when it is unknown or invalid (`instance-refresh-valid-settings` reports those). */
function knownOneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

/**
 * Advises, in production stacks, a rollout that can be rolled back: a `refreshMode` that supports
 * rollback (ROLLING_UPDATE_RESET; the API cannot roll back ROLLING_UPDATE_REPLACE) and a
 * `failProcess` in `acceptedFailProcesses` (AUTO_ROLLBACK by default: the cloud rolls a failed
 * refresh back by itself). Each finding names the property and the values it accepts.
 */
export const productionRollback: ResourceValidationPolicy = {
  name: PRODUCTION_ROLLBACK,
  description: "Advises a rollout that can be rolled back (ROLLING_UPDATE_RESET, failProcess AUTO_ROLLBACK) in stacks named or tagged as production.",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.productionRollback,
  validateResource: validateRefresh((refresh, args, report) => {
    const config = readConfig(args, CONFIG_DEFAULTS.productionRollback);
    const mode = knownOneOf<RefreshMode>(refresh.refreshMode ?? DEFAULT_REFRESH_MODE, REFRESH_MODES);
    const fail = knownOneOf<FailProcess>(refresh.failProcess ?? DEFAULT_FAIL_PROCESS, FAIL_PROCESSES);
    const badMode = mode !== undefined && !ROLLBACK_REFRESH_MODES.includes(mode) ? mode : undefined;
    const badFail = fail !== undefined && !config.acceptedFailProcesses.includes(fail) ? fail : undefined;
    if (badMode === undefined && badFail === undefined) return;
    const reason = productionReason(args, config, PRODUCTION_ROLLBACK);
    if (!reason) return;
    if (badMode !== undefined) {
      report(
        `${PROPERTY.refreshMode} ${badMode} cannot be rolled back (the API's rollback does not support it), and ${reason}: ` +
          `use ${PROPERTY.refreshMode} ${ROLLBACK_REFRESH_MODES.join(" or ")} so a bad rollout can be rolled back`,
      );
    }
    if (badFail !== undefined) {
      const given = refresh.failProcess === undefined ? `unset (${badFail})` : badFail;
      const accepted = config.acceptedFailProcesses;
      const byItself = accepted.includes(AUTO_ROLLBACK) ? `: with ${AUTO_ROLLBACK} the cloud rolls a failed refresh back by itself` : "";
      report(
        `${PROPERTY.failProcess} ${given} ${FAIL_PROCESS_EFFECT[badFail]}, and ${reason}: ` +
          `use ${accepted.join(" or ")} (policy config acceptedFailProcesses)${byItself}`,
      );
    }
  }),
};
