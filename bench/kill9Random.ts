import { randomInt } from 'node:crypto';

/**
 * A seeded pseudo-random sequence (mulberry32) so a kill -9 run can be repeated with `--seed`: the same seed gives
 * the same kill delays. Where a delay lands in the process's work still depends on the machine's speed.
 */
export interface SeededRandom {
  readonly seed: number;
  /** A number in [0, 1). */
  next(): number;
}

export function seededRandom(seed: number = randomInt(1, 2 ** 31)): SeededRandom {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new RangeError(`seed must be a whole number from 0 to ${2 ** 32 - 1}, got ${String(seed)}`);
  }
  let state = seed;
  return {
    seed,
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    },
  };
}
