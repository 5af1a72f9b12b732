import { describe, expect, it } from 'vitest';
import { ksStatistic, tvComplement } from '../../../src/core/metrics/shapes';
import { alignTables } from '../../../src/core/metrics/align';
import { columnShape } from '../../../src/core/metrics/shapes';
import { schemaOf, tableOfRows } from './helpers';

const f = (xs: number[]) => Float64Array.from(xs);

describe('column shapes', () => {
  it('KS statistic: largest gap between the two empirical CDFs', () => {
    expect(ksStatistic(f([1, 2, 3, 4]), f([3, 4, 5, 6]))).toBeCloseTo(0.5, 12);
    // Ties step both ECDFs at once: at 1: 2/3 vs 1/3; at 2: 1 vs 1.
    expect(ksStatistic(f([1, 1, 2]), f([1, 2, 2]))).toBeCloseTo(1 / 3, 12);
    expect(ksStatistic(f([1, 2]), f([1, 2]))).toBe(0);
    expect(ksStatistic(f([1, 2]), f([3, 4]))).toBe(1);
  });
  it('KS drops missing values and is 1 when a side is empty', () => {
    expect(ksStatistic(f([1, NaN, 2, NaN]), f([1, 2]))).toBe(0);
    expect(ksStatistic(f([NaN]), f([1]))).toBe(1);
  });
  it('TV complement counts missing as a category', () => {
    // real: 0 .5, 1 .25, missing .25; synthetic: 0 .25, 1 .75 → Σ|d| = 1 → 0.5
    expect(tvComplement(Int32Array.from([0, 0, 1, -1]), Int32Array.from([0, 1, 1, 1]), 2)).toBeCloseTo(0.5, 12);
    expect(tvComplement(Int32Array.from([0, 1]), Int32Array.from([1, 0]), 2)).toBe(1);
  });
  it('aligns synthetic categories by label, not by code', () => {
    const train = tableOfRows(['c'], [['a'], ['b'], ['b'], ['c']]);
    // Same shares, different level order, plus a pooled label the training never had.
    const syn = tableOfRows(['c'], [['c'], ['b'], ['a'], ['b'], ['(rare)']]);
    const a = alignTables(train, train, syn, schemaOf(['c'], ['categorical']));
    const c = a.columns[0];
    expect(c.kind === 'categorical' && c.levels).toEqual(['a', 'b', 'c', '(rare)']);
    // real a .25 b .5 c .25; syn a .2 b .4 c .2 rare .2 → Σ|d| = .05+.1+.05+.2 = .4 → 0.8
    expect(columnShape(c)).toBeCloseTo(0.8, 12);
  });
});
