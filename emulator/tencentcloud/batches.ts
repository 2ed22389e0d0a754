/**
 * Batch split for rolling updates.
 * inferred: from the documentation example (5 instances in 3 batches → 2, 2, 1) — sizes differ by
 * at most one and larger batches come first.
 */

/**
 * Sizes of `batchNumber` batches holding `instanceCount` instances.
 * @example batchSizes(5, 3) // [2, 2, 1]
 */
export function batchSizes(instanceCount: number, batchNumber: number): number[] {
  if (!Number.isInteger(instanceCount) || instanceCount < 0) throw new RangeError(`instanceCount must be an integer >= 0`);
  if (!Number.isInteger(batchNumber) || batchNumber < 1) throw new RangeError(`batchNumber must be an integer >= 1`);
  const base = Math.floor(instanceCount / batchNumber);
  const larger = instanceCount % batchNumber;
  return Array.from({ length: batchNumber }, (_, i) => (i < larger ? base + 1 : base));
}

/**
 * Splits `items` into batches sized by {@link batchSizes}, keeping their order.
 * @example splitIntoBatches(["a","b","c","d","e"], 3) // [["a","b"],["c","d"],["e"]]
 */
export function splitIntoBatches<T>(items: readonly T[], batchNumber: number): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (const size of batchSizes(items.length, batchNumber)) {
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}
