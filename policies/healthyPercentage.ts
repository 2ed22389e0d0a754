/**
 * How much of an ESS group a refresh takes out of service and adds, as the API states it: a floor
 * on `minHealthyPercentage` (`instance-refresh-min-healthy`) and a cap on `maxHealthyPercentage`
 * (`instance-refresh-max-healthy`), for both the AlicloudInstanceRefresh and the bridged
 * ess.InstanceRefresh. Unset values count as the API's defaults (80, 120); unknown and invalid values
 * are skipped (`instance-refresh-valid-settings` reports invalid ones).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { MAX_HEALTHY_PERCENTAGE, MIN_HEALTHY_PERCENTAGE, PROPERTY } from "../provider/alibabacloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, readConfig } from "./config";
import { effectiveMaxHealthy, effectiveMinHealthy, settingText } from "./essResources";
import { alicloudSurgePercent, alicloudUnavailablePercent, formatPercent } from "./normalForm";
import { knownInteger } from "./resources";
import { validateEssRefresh } from "./validate";

/** At least `minHealthyPercentage` (default 50) of the group's capacity stays in service during an ESS refresh. */
export const minHealthy: ResourceValidationPolicy = {
  name: "instance-refresh-min-healthy",
  description: "Requires ESS instance refreshes to keep at least the configured minHealthyPercentage of the group's capacity in service.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.minHealthy,
  validateResource: validateEssRefresh((refresh, args, report) => {
    const config = readConfig(args, CONFIG_DEFAULTS.minHealthy);
    const value = effectiveMinHealthy(refresh);
    if (value === undefined || value >= config.minHealthyPercentage) return;
    const unavailable = alicloudUnavailablePercent(value);
    report(
      `${settingText(PROPERTY.minHealthy, refresh.minHealthyPercentage, value)} is below the minimum of ${config.minHealthyPercentage} ` +
        `(policy config minHealthyPercentage): it lets ${formatPercent(unavailable)}% of the group's capacity be out of service at once; ` +
        `use ${config.minHealthyPercentage} to ${MIN_HEALTHY_PERCENTAGE.max}`,
    );
  }),
};

/** At most `maxHealthyPercentage` (unset: no cap beyond the API's 200) of the group's capacity during an ESS refresh. */
export const maxHealthy: ResourceValidationPolicy = {
  name: "instance-refresh-max-healthy",
  description: "Limits the surge of ESS instance refreshes to the configured maxHealthyPercentage of the group's capacity (a cost guard).",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.maxHealthy,
  validateResource: validateEssRefresh((refresh, args, report) => {
    const cap = knownInteger(readConfig(args, CONFIG_DEFAULTS.maxHealthy).maxHealthyPercentage);
    if (cap === undefined) return;
    const value = effectiveMaxHealthy(refresh);
    if (value === undefined || value <= cap) return;
    const surge = alicloudSurgePercent(value);
    report(
      `${settingText(PROPERTY.maxHealthy, refresh.maxHealthyPercentage, value)} is above the maximum of ${cap} ` +
        `(policy config maxHealthyPercentage): it adds up to ${formatPercent(surge)}% of the group's capacity as extra instances during the refresh; ` +
        `use ${MAX_HEALTHY_PERCENTAGE.min} to ${cap}`,
    );
  }),
};
