/**
 * Advisories about what an ESS refresh touches and how it is watched: `skipMatching: false`
 * refreshes instances that already run the desired configuration (`instance-refresh-skip-matching`),
 * and in production a canary checkpoint below 100 % (`instance-refresh-production-checkpoint`).
 * Both apply to the AlicloudInstanceRefresh and the bridged ess.InstanceRefresh.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { BRIDGED_UNSET_SKIP_MATCHING } from "../provider/alibabacloud/bridged";
import { CHECKPOINT_PAUSE_MINUTES, CHECKPOINT_PERCENTAGE, PROPERTY } from "../provider/alibabacloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, readConfig } from "./config";
import { ESS_DEFAULTS, checkpointPercentages, effectiveSkipMatching } from "./essResources";
import { productionReason } from "./production";
import { isUnknown } from "./resources";
import { validateEssRefresh } from "./validate";

/** Name of the production-checkpoint policy (messages name it). */
const PRODUCTION_CHECKPOINT = "instance-refresh-production-checkpoint";
/** The canary the production-checkpoint advisory suggests: pause after a fifth of the group. */
const SUGGESTED_CANARY_PERCENTAGE = 20;

/**
 * Advises `skipMatching: true` (the API's default): with `false` the refresh also replaces instances
 * that already run the desired configuration. A bridged ess.InstanceRefresh with `skipMatching`
 * unset is reported too: its provider sends false when unset.
 */
export const skipMatching: ResourceValidationPolicy = {
  name: "instance-refresh-skip-matching",
  description: "Advises skipMatching true, so an ESS refresh does not replace instances that already run the desired configuration.",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.skipMatching,
  validateResource: validateEssRefresh((refresh, _args, report) => {
    if (effectiveSkipMatching(refresh) !== false) return; // true, unknown or invalid
    const given =
      refresh.skipMatching === undefined || refresh.skipMatching === null
        ? `${PROPERTY.skipMatching} unset is sent as ${String(BRIDGED_UNSET_SKIP_MATCHING)} by the bridged alicloud provider (the API's own default is ${String(ESS_DEFAULTS.skipMatching)}), so the refresh`
        : `${PROPERTY.skipMatching} false`;
    report(
      `${given} also replaces the instances that already run the desired configuration (the API matches them by scaling configuration); ` +
        `set ${PROPERTY.skipMatching}: true to refresh only the instances that differ`,
    );
  }),
};

/**
 * Advises, in production stacks, a canary: a checkpoint below 100 %, where ESS pauses the refresh
 * (for `checkpointPauseTime` minutes) with part of the group refreshed.
 */
export const productionCheckpoint: ResourceValidationPolicy = {
  name: PRODUCTION_CHECKPOINT,
  description: "Advises a canary checkpoint below 100% for ESS instance refreshes in stacks named or tagged as production.",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.productionCheckpoint,
  validateResource: validateEssRefresh((refresh, args, report) => {
    const percentages = checkpointPercentages(refresh.checkpoints);
    if (isUnknown(percentages) || percentages.some((p) => p < CHECKPOINT_PERCENTAGE.max)) return;
    const reason = productionReason(args, readConfig(args, CONFIG_DEFAULTS.productionCheckpoint), PRODUCTION_CHECKPOINT);
    if (!reason) return;
    const given = percentages.length === 0 ? `${PROPERTY.checkpoints} unset` : `${PROPERTY.checkpoints} [${percentages.join(", ")}]`;
    report(
      `${given} has no checkpoint below ${CHECKPOINT_PERCENTAGE.max}%, so the whole group is refreshed without a pause, and ${reason}: ` +
        `add a canary checkpoint, e.g. ${PROPERTY.checkpoints}: [{ percentage: ${SUGGESTED_CANARY_PERCENTAGE} }, { percentage: ${CHECKPOINT_PERCENTAGE.max} }], ` +
        `where the refresh pauses for ${PROPERTY.checkpointPauseTime} minutes (default ${CHECKPOINT_PAUSE_MINUTES.default}) before the rest`,
    );
  }),
};
