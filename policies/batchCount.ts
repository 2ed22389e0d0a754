/**
 * How many batches a refresh uses: enough to keep part of the group serving
 * (`instance-refresh-min-batches`), and no more than the group has instances
 * (`instance-refresh-batch-number-within-group`, the API's BatchNumberTooLarge rule, caught at preview).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { MIN_BATCH_NUMBER, PROPERTY, validateAgainstGroup } from "../provider/tencentcloud/settings";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS, readConfig } from "./config";
import { resolveGroupSize } from "./groupSize";
import { knownInteger } from "./resources";
import { validateStackRefreshes } from "./validate";

/**
 * At least `minBatchNumber` batches (default 2). For a group known to have fewer instances than
 * that (see `groupSize.ts`), one instance per batch is the most it can do and is accepted. A stack
 * policy, so that the size of a scaling group declared in the stack is known.
 */
export const minBatches: StackValidationPolicy = {
  name: "instance-refresh-min-batches",
  description: "Requires instance refreshes to use at least minBatchNumber batches, so one batch never reinstalls the whole group.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.minBatches,
  validateStack: validateStackRefreshes((refresh, context, args, report) => {
    const batchNumber = knownInteger(refresh.view.batchNumber);
    if (batchNumber === undefined || batchNumber < MIN_BATCH_NUMBER) return; // invalid: instance-refresh-valid-settings
    const config = readConfig(args, CONFIG_DEFAULTS.minBatches);
    const size = resolveGroupSize(refresh, context, config.groupSizes);
    const smallGroup = size !== undefined && size.count < config.minBatchNumber;
    const minimum = smallGroup ? Math.max(MIN_BATCH_NUMBER, size.count) : config.minBatchNumber;
    if (batchNumber >= minimum) return;
    const why =
      batchNumber === 1
        ? "one batch refreshes the whole group at once"
        : `each of ${batchNumber} batches refreshes about 1/${batchNumber} of the group at once`;
    const limit = smallGroup
      ? `${minimum} batches for this ${size.count}-instance group (${size.source})`
      : `${minimum} batches`;
    report(`batchNumber ${batchNumber} is below the minimum of ${limit}: ${why} (policy config minBatchNumber)`);
  }),
};

/** BatchNumber at most the group's instance count, when the count is known. */
export const batchNumberWithinGroup: StackValidationPolicy = {
  name: "instance-refresh-batch-number-within-group",
  description: "Rejects a batchNumber larger than the group's instance count, which StartInstanceRefresh would refuse at up.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMAS.batchNumberWithinGroup,
  validateStack: validateStackRefreshes((refresh, context, args, report) => {
    const config = readConfig(args, CONFIG_DEFAULTS.batchNumberWithinGroup);
    const size = resolveGroupSize(refresh, context, config.groupSizes);
    if (!size) return;
    const rolling = { batchNumber: refresh.view.batchNumber, maxSurge: undefined };
    const violation = validateAgainstGroup(rolling, { instanceCount: size.count }).find((v) => v.property === PROPERTY.batchNumber);
    if (!violation) return;
    if (size.count === 0) {
      report(
        `the group has no instances to refresh (${size.source}): StartInstanceRefresh would fail at up ` +
          "with ResourceUnavailable.NoInstanceCanRefresh",
      );
      return;
    }
    report(
      `batchNumber ${String(refresh.view.batchNumber)} is above the group's ${size.count} instances (${size.source}): ` +
        `StartInstanceRefresh would fail at up with InvalidParameterValue.BatchNumberTooLarge; use at most ${size.count}`,
    );
  }),
};
