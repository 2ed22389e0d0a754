/**
 * The normal form of a rollout, one statement for every cloud: how much of the group a refresh may
 * take out of service at once (`maxUnavailable`) and how much it may add at once (`maxSurge`), each
 * a count of instances (`2`) or a percent of the group (`"25%"`). This module is the one conversion
 * between it and each cloud's settings:
 *
 * | | Tencent (BatchNumber, MaxSurge; group size N) | Alibaba (Min/MaxHealthyPercentage; group size C) |
 * |---|---|---|
 * | unavailable, instances | ceil(N / BatchNumber) (needs N) | ceil(C × (100 − Min) / 100) (needs C) |
 * | unavailable, percent | ceil(N / BatchNumber) × 100 / N (needs N) | 100 − Min |
 * | surge, instances | MaxSurge | ceil(C × (Max − 100) / 100) (needs C) |
 * | surge, percent | MaxSurge × 100 / N (needs N) | Max − 100 |
 *
 * Percent limits are compared with percent and instance limits with instances; a comparison that
 * needs a group size nobody knows is skipped ({@link exceeds} returns `undefined`). Instances from
 * a percentage are rounded up: ESS does not document its rounding, so the pack assumes the most a
 * percentage can mean. Percent from instances is compared exactly (`instances × 100 > limit × N`).
 * Pure functions, no Pulumi.
 */

/** Percent means parts per hundred. */
const HUNDRED = 100;

/**
 * A percent limit as written in config: a non-negative number followed by `%`.
 * @example new RegExp(PERCENT_LIMIT_PATTERN).test("12.5%") // true
 */
export const PERCENT_LIMIT_PATTERN = "^[0-9]+(\\.[0-9]+)?%$";

/**
 * A limit of the normal form: a count of instances, or a percent of the group.
 * @example { unit: "percent", value: 25 } // from "25%"
 */
export type RolloutLimit = { readonly unit: "instances"; readonly value: number } | { readonly unit: "percent"; readonly value: number };

/**
 * Reads a config value: an integer ≥ 0 is a count of instances, a string like `"25%"` a percent;
 * anything else (unset, malformed) is `undefined`.
 * @example parseLimit("25%") // { unit: "percent", value: 25 }
 * @example parseLimit(2) // { unit: "instances", value: 2 }
 */
export function parseLimit(value: unknown): RolloutLimit | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? { unit: "instances", value } : undefined;
  if (typeof value === "string" && new RegExp(PERCENT_LIMIT_PATTERN).test(value)) return { unit: "percent", value: Number(value.slice(0, -1)) };
  return undefined;
}

/**
 * A limit as messages show it.
 * @example formatLimit({ unit: "percent", value: 25 }) // '"25%"'
 * @example formatLimit({ unit: "instances", value: 1 }) // "1 instance"
 */
export function formatLimit(limit: RolloutLimit): string {
  if (limit.unit === "percent") return `"${limit.value}%"`;
  return limit.value === 1 ? "1 instance" : `${limit.value} instances`;
}

/**
 * How much of the group a rollout takes out of service or adds at once, in the unit its cloud
 * states it in, with the group size when it is known:
 * - `instances` (Tencent): percent = instances × 100 / groupSize;
 * - `percent` (Alibaba): instances = ceil(groupSize × percent / 100).
 * @example { unit: "instances", instances: 2, groupSize: 6 } // a Tencent batch of 2 in a group of 6: 33.3 %
 */
export type RolloutAmount =
  | { readonly unit: "instances"; readonly instances: number; readonly groupSize?: number }
  | { readonly unit: "percent"; readonly percent: number; readonly groupSize?: number };

/**
 * Tencent's unavailable instances per batch: the largest batch, ceil(N / BatchNumber). `undefined`
 * when the group's size N is unknown (there is nothing to divide) or the settings are invalid.
 * @example tencentUnavailable(3, 7) // { unit: "instances", instances: 3, groupSize: 7 }
 */
export function tencentUnavailable(batchNumber: number, groupSize: number | undefined): RolloutAmount | undefined {
  if (groupSize === undefined || !(batchNumber >= 1)) return undefined;
  return { unit: "instances", instances: Math.ceil(groupSize / batchNumber), groupSize };
}

/**
 * Tencent's surge: MaxSurge extra instances.
 * @example tencentSurge(1, 6) // { unit: "instances", instances: 1, groupSize: 6 }
 */
export function tencentSurge(maxSurge: number, groupSize: number | undefined): RolloutAmount {
  return { unit: "instances", instances: maxSurge, groupSize };
}

/**
 * Alibaba's unavailable share, in percent of the group's capacity: 100 − MinHealthyPercentage.
 * @example alicloudUnavailablePercent(80) // 20
 */
export function alicloudUnavailablePercent(minHealthyPercentage: number): number {
  return HUNDRED - minHealthyPercentage;
}

/**
 * Alibaba's surge share, in percent of the group's capacity: MaxHealthyPercentage − 100.
 * @example alicloudSurgePercent(120) // 20
 */
export function alicloudSurgePercent(maxHealthyPercentage: number): number {
  return maxHealthyPercentage - HUNDRED;
}

/**
 * Alibaba's unavailable share as an amount ({@link alicloudUnavailablePercent}), with the group's capacity when known.
 * @example alicloudUnavailable(80, 10) // { unit: "percent", percent: 20, groupSize: 10 }
 */
export function alicloudUnavailable(minHealthyPercentage: number, groupSize?: number): RolloutAmount {
  return { unit: "percent", percent: alicloudUnavailablePercent(minHealthyPercentage), groupSize };
}

/**
 * Alibaba's surge share as an amount ({@link alicloudSurgePercent}), with the group's capacity when known.
 * @example alicloudSurge(120, 10) // { unit: "percent", percent: 20, groupSize: 10 }
 */
export function alicloudSurge(maxHealthyPercentage: number, groupSize?: number): RolloutAmount {
  return { unit: "percent", percent: alicloudSurgePercent(maxHealthyPercentage), groupSize };
}

/**
 * The amount in instances (a percentage rounded up), or `undefined` without a group size.
 * @example amountInInstances({ unit: "percent", percent: 25, groupSize: 10 }) // 3
 */
export function amountInInstances(amount: RolloutAmount): number | undefined {
  if (amount.unit === "instances") return amount.instances;
  return amount.groupSize === undefined ? undefined : Math.ceil((amount.groupSize * amount.percent) / HUNDRED);
}

/**
 * The amount in percent of the group, or `undefined` without a (non-empty) group size.
 * @example amountInPercent({ unit: "instances", instances: 2, groupSize: 8 }) // 25
 */
export function amountInPercent(amount: RolloutAmount): number | undefined {
  if (amount.unit === "percent") return amount.percent;
  return amount.groupSize === undefined || amount.groupSize === 0 ? undefined : (amount.instances * HUNDRED) / amount.groupSize;
}

/**
 * True when the amount is above the limit, false when it is within it, `undefined` when the two
 * cannot be compared (the conversion needs a group size that is not known).
 * @example exceeds({ unit: "percent", percent: 20 }, { unit: "percent", value: 25 }) // false
 * @example exceeds({ unit: "percent", percent: 20 }, { unit: "instances", value: 1 }) // undefined (no group size)
 */
export function exceeds(amount: RolloutAmount, limit: RolloutLimit): boolean | undefined {
  if (limit.unit === "instances") {
    const instances = amountInInstances(amount);
    return instances === undefined ? undefined : instances > limit.value;
  }
  if (amount.unit === "percent") return amount.percent > limit.value;
  if (amount.groupSize === undefined || amount.groupSize === 0) return undefined;
  return amount.instances * HUNDRED > limit.value * amount.groupSize;
}

/**
 * A percentage as messages show it: whole numbers as they are, others to one decimal.
 * @example formatPercent(100 / 3) // "33.3"
 */
export function formatPercent(percent: number): string {
  return Number.isInteger(percent) ? String(percent) : percent.toFixed(1);
}

/**
 * A limit in instances: its count, or a percent of `groupSize` rounded down (the most instances that
 * stay within it); `undefined` for a percent without a group size.
 * @example limitInInstances({ unit: "percent", value: 25 }, 10) // 2
 */
export function limitInInstances(limit: RolloutLimit, groupSize: number | undefined): number | undefined {
  if (limit.unit === "instances") return limit.value;
  return groupSize === undefined ? undefined : Math.floor((limit.value * groupSize) / HUNDRED);
}

/**
 * A limit in percent of the group: its percent, or a count over a non-empty `groupSize`;
 * `undefined` for a count without one.
 * @example limitInPercent({ unit: "instances", value: 2 }, 10) // 20
 */
export function limitInPercent(limit: RolloutLimit, groupSize: number | undefined): number | undefined {
  if (limit.unit === "percent") return limit.value;
  return groupSize === undefined || groupSize === 0 ? undefined : (limit.value * HUNDRED) / groupSize;
}
