/**
 * Extra instances during a refresh: within the API's per-batch limit and the configured cost cap
 * (`instance-refresh-max-surge`), and asked for when ROLLING_UPDATE_RESET would otherwise take
 * instances out of service (`instance-refresh-surge-on-reset`).
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_REFRESH_MODE, PROPERTY, batchSizes, validateAgainstGroup } from "../provider/tencentcloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, readConfig } from "./config";
import { resolveGroupSize } from "./groupSize";
import { isUnknown, knownInteger } from "./resources";
import { validateRefresh, validateStackRefreshes } from "./validate";

/**
 * MaxSurge at most the instances of the first, largest batch (the API's MaxSurgeTooLarge rule, when
 * the group's size is known) and at most the configured `maxSurge` (a cost guard, when set).
 */
export const maxSurge: StackValidationPolicy = {
  name: "instance-refresh-max-surge",
  description: "Limits maxSurge to the instances of one batch (the API's rule) and to the configured maxSurge cost cap.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.maxSurge,
  validateStack: validateStackRefreshes((refresh, context, args, report) => {
    const config = readConfig(args, CONFIG_DEFAULTS.maxSurge);
    const surge = knownInteger(refresh.view.maxSurge);
    if (surge === undefined || surge < 0) return; // unset, unknown or invalid (instance-refresh-valid-settings)
    const cap = knownInteger(config.maxSurge);
    if (cap !== undefined && surge > cap) {
      report(
        `maxSurge ${surge} is above the maximum of ${cap} extra instances (policy config maxSurge): ` +
          "surge instances are pay-as-you-go and exist for the whole refresh",
      );
    }
    const size = resolveGroupSize(refresh, context, config.groupSizes);
    if (!size) return;
    const rolling = { batchNumber: refresh.view.batchNumber, maxSurge: surge };
    const violation = validateAgainstGroup(rolling, { instanceCount: size.count }).find((v) => v.property === PROPERTY.maxSurge);
    if (!violation) return;
    const batchNumber = rolling.batchNumber as number; // validateAgainstGroup only compares maxSurge once batchNumber is valid
    const perBatch = batchSizes(size.count, batchNumber)[0];
    report(
      `maxSurge ${surge} is above the ${perBatch} instances of the first batch (${size.count} instances in ${batchNumber} batches, ` +
        `group size from ${size.source}): StartInstanceRefresh would fail at up with InvalidParameterValue.MaxSurgeTooLarge; ` +
        `use at most ${perBatch}`,
    );
  }),
};

/**
 * ROLLING_UPDATE_RESET reinstalls instances in place: without surge instances each batch is out of
 * service while it is reinstalled. Advises `maxSurge` ≥ 1 when `requireMaxSurge` is on (default).
 */
export const surgeOnReset: ResourceValidationPolicy = {
  name: "instance-refresh-surge-on-reset",
  description: "Advises maxSurge of at least 1 for ROLLING_UPDATE_RESET refreshes, which otherwise take each batch out of service.",
  enforcementLevel: "advisory",
  configSchema: CONFIG_SCHEMAS.surgeOnReset,
  validateResource: validateRefresh((refresh, args, report) => {
    const config = readConfig(args, CONFIG_DEFAULTS.surgeOnReset);
    if (!config.requireMaxSurge || isUnknown(refresh.refreshMode) || isUnknown(refresh.maxSurge)) return;
    const mode = refresh.refreshMode ?? DEFAULT_REFRESH_MODE;
    const surge = refresh.maxSurge ?? 0;
    if (mode !== "ROLLING_UPDATE_RESET" || surge !== 0) return;
    report(
      `refreshMode ROLLING_UPDATE_RESET with maxSurge 0 reinstalls instances in place, taking each batch out of service; ` +
        "set refreshSettings.rollingUpdateSettings.maxSurge to 1 or more to keep capacity during the refresh (policy config requireMaxSurge)",
    );
  }),
};
