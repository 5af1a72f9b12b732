import { describe, expect, it } from 'vitest';
import { acceptByWeight, keepByRejection, POOL_BUDGET } from '../../../src/core/random/resample';
import { Rng } from '../../../src/core/random/rng';

/** A pool of `size` rows cycling through the given weights; a row's value is its weight's index. */
function pools(weights: number[]) {
  let drawn = 0;
  return {
    get drawn() {
      return drawn;
    },
    draw: (size: number) => {
      drawn += size;
      const w = Float64Array.from({ length: size }, (_, i) => weights[i % weights.length]);
      return { weights: w, columns: [Int32Array.from({ length: size }, (_, i) => i % weights.length)] };
    },
  };
}

describe('keepByRejection', () => {
  it('keeps rows in proportion to their weights, each pool row at most once', () => {
    const p = pools([0, 0.05, 0.15, 0.3]); // kept shares 0, 0.1, 0.3, 0.6
    const [kept] = keepByRejection(20_000, 0.1, new Rng(1), p.draw);
    const counts = [0, 0, 0, 0];
    let n = 0;
    for (const v of kept) { counts[v]++; n++; }
    expect(n).toBe(20_000);
    expect(counts[0]).toBe(0);
    expect(counts[1] / n).toBeCloseTo(0.1, 1);
    expect(counts[2] / n).toBeCloseTo(0.3, 1);
    expect(counts[3] / n).toBeCloseTo(0.6, 1);
    // The pools are sized from the expected share (0.1, with a margin of 1.2): 0.125 of rows are kept.
    expect(p.drawn).toBeGreaterThan(6 * 20_000);
    expect(p.drawn).toBeLessThanOrEqual(12 * 20_000);
  });

  it('stops at its pool budget for a very rare condition, keeping the rest by weight', () => {
    const p = pools([1e-5, 0, 0, 0]);
    const [kept] = keepByRejection(100, 0.01, new Rng(2), p.draw);
    expect(kept.length).toBe(100);
    for (const v of kept) expect(v).toBe(0);
    expect(p.drawn).toBeLessThanOrEqual(100 * POOL_BUDGET + 100);
  });

  it('gives the same rows for the same seed', () => {
    const w = Float64Array.from({ length: 1000 }, (_, i) => (i % 7) / 7);
    expect(acceptByWeight(w, 50, new Rng(3))).toEqual(acceptByWeight(w, 50, new Rng(3)));
    expect(acceptByWeight(w, 50, new Rng(3))).not.toEqual(acceptByWeight(w, 50, new Rng(4)));
  });
});
