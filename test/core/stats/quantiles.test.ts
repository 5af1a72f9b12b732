import { describe, expect, it } from 'vitest';
import { countDistinctSorted, presentValues, quantileSorted, quantilesSorted, sortedPresent } from '../../../src/core/stats/quantiles';

// Expected values are R's `quantile(x, p)` (type 7), worked by hand: h = (n - 1) p,
// q = x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]), 0-based.
describe('sortedPresent', () => {
  it('drops NaN and sorts ascending without touching the input', () => {
    const v = Float64Array.of(3, NaN, -1, 2, NaN, 2);
    expect(Array.from(sortedPresent(v))).toEqual([-1, 2, 2, 3]);
    expect(Number.isNaN(v[1])).toBe(true);
  });

  it('is empty for an all-missing column', () => {
    expect(sortedPresent(Float64Array.of(NaN, NaN)).length).toBe(0);
  });

  it('presentValues keeps row order; countDistinctSorted counts runs', () => {
    expect(Array.from(presentValues(Float64Array.of(3, NaN, -1, 2)))).toEqual([3, -1, 2]);
    expect(countDistinctSorted(Float64Array.of(1, 1, 2, 5, 5))).toBe(3);
    expect(countDistinctSorted(new Float64Array(0))).toBe(0);
  });
});

describe('quantileSorted (R type 7)', () => {
  const x = Float64Array.of(1, 2, 4, 7, 11); // n = 5, h = 4p

  it('hits order statistics where h is whole', () => {
    expect(quantileSorted(x, 0)).toBe(1);
    expect(quantileSorted(x, 0.25)).toBe(2);
    expect(quantileSorted(x, 0.5)).toBe(4);
    expect(quantileSorted(x, 0.75)).toBe(7);
    expect(quantileSorted(x, 1)).toBe(11);
  });

  it('interpolates linearly between neighbours', () => {
    expect(quantileSorted(x, 0.1)).toBeCloseTo(1.4, 12); // h = 0.4: 1 + 0.4 * 1
    expect(quantileSorted(x, 0.9)).toBeCloseTo(9.4, 12); // h = 3.6: 7 + 0.6 * 4
    const y = Float64Array.of(10, 20, 30, 40); // h = 3p
    expect(quantileSorted(y, 0.5)).toBe(25);
    expect(quantileSorted(y, 0.2)).toBeCloseTo(16, 12);
  });

  it('handles ties, one value and no value', () => {
    const t = Float64Array.of(1, 1, 1, 5);
    expect(quantileSorted(t, 0.5)).toBe(1);
    expect(quantileSorted(t, 0.9)).toBeCloseTo(3.8, 12); // h = 2.7: 1 + 0.7 * 4
    expect(quantileSorted(Float64Array.of(42), 0.3)).toBe(42);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
  });

  it('reads plain arrays too and evaluates several probabilities at once', () => {
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
    expect(Array.from(quantilesSorted(x, [0, 0.25, 0.5, 1]))).toEqual([1, 2, 4, 11]);
  });
});
