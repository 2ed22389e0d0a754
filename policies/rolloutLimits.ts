/**
 * `instance-refresh-rollout-limits`: the normal form of a rollout (`normalForm.ts`) checked on every
 * refresh of both clouds — `maxUnavailable` (Tencent: the largest batch, ceil(N / batchNumber);
 * Alibaba: 100 − minHealthyPercentage) and `maxSurge` (Tencent: maxSurge; Alibaba:
 * maxHealthyPercentage − 100), each a count of instances or a percent of the group. A comparison
 * that needs a group size nobody knows (see `groupSize.ts`) is skipped, as are unknown and invalid
 * values; unset values count as the APIs' defaults (Tencent maxSurge 0, Alibaba 80 / 120).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { PROPERTY as ESS_PROPERTY, MIN_HEALTHY_PERCENTAGE, MAX_HEALTHY_PERCENTAGE } from "../provider/alibabacloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, PERCENT, readConfig } from "./config";
import { effectiveMaxHealthy, effectiveMinHealthy, settingText } from "./essResources";
import { resolveEssGroupSize, resolveGroupSize, type GroupSize } from "./groupSize";
import {
  alicloudSurge,
  alicloudUnavailable,
  amountInInstances,
  amountInPercent,
  exceeds,
  formatLimit,
  formatPercent,
  limitInInstances,
  limitInPercent,
  parseLimit,
  tencentSurge,
  tencentUnavailable,
  type RolloutAmount,
  type RolloutLimit,
} from "./normalForm";
import { knownInteger } from "./resources";
import { validateStackEssRefreshes, validateStackRefreshes } from "./validate";

/** The two limits of the normal form, as config keys. */
const MAX_UNAVAILABLE = "maxUnavailable";
/** @see MAX_UNAVAILABLE */
const MAX_SURGE = "maxSurge";

/** `above maxUnavailable "25%" (policy config maxUnavailable)`. */
function above(key: string, limit: RolloutLimit): string {
  return `above ${key} ${formatLimit(limit)} (policy config ${key})`;
}

/** `group size from …` when one is known. */
function sizeSource(size: GroupSize | undefined): string {
  return size ? `group size from ${size.source}` : "";
}

/** The configured limits, or undefined when neither is set. */
function limitsOf(config: { maxUnavailable?: unknown; maxSurge?: unknown }): { unavailable?: RolloutLimit; surge?: RolloutLimit } | undefined {
  const unavailable = parseLimit(config.maxUnavailable);
  const surge = parseLimit(config.maxSurge);
  return unavailable || surge ? { unavailable, surge } : undefined;
}

/** `(50%)` when the amount has a percent of the group. */
function percentOf(amount: RolloutAmount): string {
  const percent = amountInPercent(amount);
  return percent === undefined ? "" : `${formatPercent(percent)}%`;
}

/** Tencent: the largest batch and MaxSurge against the limits. */
const checkTencent = validateStackRefreshes((refresh, context, args, report) => {
  const config = readConfig(args, CONFIG_DEFAULTS.rolloutLimits);
  const limits = limitsOf(config);
  if (!limits) return;
  const size = resolveGroupSize(refresh, context, config.groupSizes);
  const n = size?.count;
  const batchNumber = knownInteger(refresh.view.batchNumber);
  // An empty group, or more batches than instances, is instance-refresh-batch-number-within-group's finding.
  if (limits.unavailable && batchNumber !== undefined && batchNumber >= 1 && n !== undefined && n > 0 && batchNumber <= n) {
    const amount = tencentUnavailable(batchNumber, n);
    if (amount && exceeds(amount, limits.unavailable)) {
      const allowed = limitInInstances(limits.unavailable, n) ?? 0;
      const fix =
        allowed >= 1
          ? `use batchNumber ${Math.ceil(n / allowed)} or more`
          : `not even one instance per batch fits (1 of ${n} instances is ${formatPercent(PERCENT / n)}%)`;
      report(
        `batchNumber ${batchNumber} takes ceil(${n}/${batchNumber}) = ${amountInInstances(amount)} of the group's ${n} instances ` +
          `(${percentOf(amount)}) out of service at once (${sizeSource(size)}), ${above(MAX_UNAVAILABLE, limits.unavailable)}; ${fix}`,
      );
    }
  }
  const surge = knownInteger(refresh.view.maxSurge);
  if (limits.surge && surge !== undefined && surge >= 0) {
    const amount = tencentSurge(surge, n);
    if (exceeds(amount, limits.surge)) {
      const share = limits.surge.unit === "percent" ? ` (${percentOf(amount)} of the group's ${n} instances, ${sizeSource(size)})` : "";
      report(
        `maxSurge ${surge} adds ${surge} instances at once${share}, ${above(MAX_SURGE, limits.surge)}; ` +
          `use maxSurge ${limitInInstances(limits.surge, n)} or less`,
      );
    }
  }
});

/** ` : up to ceil(10 × 40 / 100) = 4 of its 10 instances (group size from …)` for an instance limit. */
function essInstances(amount: RolloutAmount, limit: RolloutLimit, size: GroupSize | undefined): string {
  if (limit.unit !== "instances" || amount.unit !== "percent" || !size) return "";
  return `: up to ceil(${size.count} × ${amount.percent} / ${PERCENT}) = ${amountInInstances(amount)} of its ${size.count} instances (${sizeSource(size)})`;
}

/** Alibaba: 100 − Min and Max − 100 against the limits. */
const checkEss = validateStackEssRefreshes((refresh, context, args, report) => {
  const config = readConfig(args, CONFIG_DEFAULTS.rolloutLimits);
  const limits = limitsOf(config);
  if (!limits) return;
  const size = resolveEssGroupSize(refresh, context, config.groupSizes);
  const min = effectiveMinHealthy(refresh.view);
  if (limits.unavailable && min !== undefined) {
    const amount = alicloudUnavailable(min, size?.count);
    if (exceeds(amount, limits.unavailable)) {
      const allowed = limitInPercent(limits.unavailable, size?.count) ?? 0;
      const fix = Math.min(MIN_HEALTHY_PERCENTAGE.max, Math.ceil(PERCENT - allowed));
      report(
        `${settingText(ESS_PROPERTY.minHealthy, refresh.view.minHealthyPercentage, min)} lets ${PERCENT} − ${min} = ${percentOf(amount)} ` +
          `of the group's capacity be out of service at once${essInstances(amount, limits.unavailable, size)}, ` +
          `${above(MAX_UNAVAILABLE, limits.unavailable)}; use ${ESS_PROPERTY.minHealthy} ${fix} or more`,
      );
    }
  }
  const max = effectiveMaxHealthy(refresh.view);
  if (limits.surge && max !== undefined) {
    const amount = alicloudSurge(max, size?.count);
    if (exceeds(amount, limits.surge)) {
      const allowed = limitInPercent(limits.surge, size?.count) ?? 0;
      const fix = Math.min(MAX_HEALTHY_PERCENTAGE.max, Math.floor(PERCENT + allowed));
      report(
        `${settingText(ESS_PROPERTY.maxHealthy, refresh.view.maxHealthyPercentage, max)} adds up to ${max} − ${PERCENT} = ${percentOf(amount)} ` +
          `of the group's capacity at once${essInstances(amount, limits.surge, size)}, ` +
          `${above(MAX_SURGE, limits.surge)}; use ${ESS_PROPERTY.maxHealthy} ${fix} or less`,
      );
    }
  }
});

/**
 * One statement of how much of a group a rollout may take out of service and add, for Tencent and
 * Alibaba Cloud alike; nothing is checked until `maxUnavailable` or `maxSurge` is set.
 * @example
 * // --policy-pack-config
 * { "instance-refresh-rollout-limits": { "maxUnavailable": "25%", "maxSurge": 2 } }
 */
export const rolloutLimits: StackValidationPolicy = {
  name: "instance-refresh-rollout-limits",
  description:
    "Limits how much of a group an instance refresh takes out of service (maxUnavailable) and adds (maxSurge), in instances or percent, for Tencent and Alibaba Cloud alike.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.rolloutLimits,
  validateStack: async (args, reportViolation) => {
    await checkTencent(args, reportViolation);
    await checkEss(args, reportViolation);
  },
};
