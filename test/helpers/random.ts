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
