/** Reproducible randomness for fuzz tests: the same seed gives the same sequence, so a failure replays. */

/**
 * A seeded PRNG (mulberry32) returning numbers in [0, 1).
 * @example const random = seededRandom(20240419); random(); // always the same first value
 */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of a test's random choices: `PIR_SEED` when set (to replay a run), else `fallback`.
 * Printed, so every run says how to replay it.
 * @example const random = seededRandom(testSeed("fault draws", 20240419));
 */
export function testSeed(what: string, fallback: number): number {
  const fromEnv = process.env.PIR_SEED;
  const seed = fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : fallback;
  if (!Number.isSafeInteger(seed)) throw new Error(`PIR_SEED must be an integer; got "${fromEnv}"`);
  console.info(`${what}: seed ${seed} (replay with PIR_SEED=${seed})`);
  return seed;
}
