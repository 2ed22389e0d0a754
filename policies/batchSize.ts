/**
 * How much of the group one batch takes out at once: `instance-refresh-max-batch-size`.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { batchSizes } from "../provider/tencentcloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, PERCENT, readConfig } from "./config";
import { resolveGroupSize } from "./groupSize";
import { knownInteger } from "./resources";
import { validateStackRefreshes } from "./validate";

/**
 * The most instances one batch may hold: `maxBatchPercent` of the group, rounded down, but never
 * less than one instance (a batch cannot be smaller).
 * @example allowedBatchSize(5, 50) // 2
 */
export function allowedBatchSize(instanceCount: number, maxBatchPercent: number): number {
  return Math.max(1, Math.floor((instanceCount * maxBatchPercent) / PERCENT));
}

/**
 * The fewest batches whose largest batch fits {@link allowedBatchSize}.
 * @example minBatchesForPercent(5, 50) // 3 (batches of 2, 2, 1)
 */
export function minBatchesForPercent(instanceCount: number, maxBatchPercent: number): number {
  return Math.ceil(instanceCount / allowedBatchSize(instanceCount, maxBatchPercent));
}

/** No batch larger than `maxBatchPercent` of the group (default 50), when the group's size is known. */
export const maxBatchSize: StackValidationPolicy = {
  name: "instance-refresh-max-batch-size",
  description: "Limits each batch of an instance refresh to maxBatchPercent of the group, when the group's size is known.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.batchSize,
  validateStack: validateStackRefreshes((refresh, context, args, report) => {
    const config = readConfig(args, CONFIG_DEFAULTS.batchSize);
    const batchNumber = knownInteger(refresh.view.batchNumber);
    if (batchNumber === undefined || batchNumber < 1) return; // instance-refresh-valid-settings
    const size = resolveGroupSize(refresh, context, config.groupSizes);
    if (!size || size.count === 0 || batchNumber > size.count) return; // instance-refresh-batch-number-within-group
    const largest = batchSizes(size.count, batchNumber)[0];
    const allowed = allowedBatchSize(size.count, config.maxBatchPercent);
    if (largest <= allowed) return;
    const share = Math.round((largest * PERCENT) / size.count);
    report(
      `batchNumber ${batchNumber} makes the largest batch ${largest} of the group's ${size.count} instances (${share}%, ` +
        `group size from ${size.source}), above the maximum of ${config.maxBatchPercent}% (policy config maxBatchPercent); ` +
        `use batchNumber ${minBatchesForPercent(size.count, config.maxBatchPercent)} or more`,
    );
  }),
};
