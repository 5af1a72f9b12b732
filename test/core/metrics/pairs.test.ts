import { describe, expect, it } from 'vitest';
import { cramersV, pairTrend, pearson } from '../../../src/core/metrics/pairs';
import { alignTables } from '../../../src/core/metrics/align';
import { schemaOf, tableOfRows } from './helpers';

const f = (xs: number[]) => Float64Array.from(xs);

describe('column pair trends', () => {
  it('Pearson r on rows where both values are present', () => {
    expect(pearson(f([1, 2, 3, 4]), f([2, 1, 4, 3]))).toBeCloseTo(0.6, 12);
    expect(pearson(f([1, 2, 3, 4, NaN]), f([2, 1, 4, 3, 100]))).toBeCloseTo(0.6, 12);
    expect(pearson(f([1, 1, 1]), f([1, 2, 3]))).toBeNull();
    expect(pearson(f([1, 2]), f([1, 2]))).toBeNull();
  });
  it("Cramér's V of hand-made tables", () => {
    expect(cramersV(f([10, 0, 0, 10]), 2, 2)).toBeCloseTo(1, 12);
    expect(cramersV(f([5, 5, 5, 5]), 2, 2)).toBeCloseTo(0, 12);
    // n 30, expected 7.5, χ² = 4·2.5²/7.5 = 10/3 → V = √(10/3/30) = 1/3
    expect(cramersV(f([10, 5, 5, 10]), 2, 2)).toBeCloseTo(1 / 3, 12);
  });
  it('correlation similarity = 1 − |r_real − r_syn| / 2', () => {
    const many = (n: number, g: (i: number) => number) => Array.from({ length: n }, (_, i) => [i, g(i)]);
    const t = tableOfRows(['x', 'y'], many(20, (i) => i));
    const s = tableOfRows(['x', 'y'], many(20, (i) => 19 - i));
    const a = alignTables(t, t, s, schemaOf(['x', 'y'], ['numeric', 'numeric']));
    const p = pairTrend(a.columns[0], a.columns[1]);
    expect(p.metric).toBe('CorrelationSimilarity');
    expect(p.real).toBeCloseTo(1, 12);
    expect(p.synthetic).toBeCloseTo(-1, 12);
    expect(p.score).toBeCloseTo(0, 12);
    expect(p.matters).toBe(true);
  });
  it('numeric columns of at most 10 distinct values are compared as categories', () => {
    const train = tableOfRows(['x', 'c'], [[0, 'a'], [5, 'a'], [10, 'b'], [10, 'b']]);
    const syn = tableOfRows(['x', 'c'], [[0, 'a'], [0, 'b'], [10, 'b'], [3, 'b']]);
    const a = alignTables(train, train, syn, schemaOf(['x', 'c'], ['numeric', 'categorical']));
    expect(a.columns[0].kind).toBe('categorical');
    expect(a.fewValueColumns).toEqual(['x']);
    // real (0,a) (5,a) (10,b)x2 → .25 .25 .5; syn (0,a) (0,b) (10,b) (3,b) → .25 each → Σ|d| = 1 → 0.5
    const p = pairTrend(a.columns[0], a.columns[1]);
    expect(p.metric).toBe('ContingencySimilarity');
    expect(p.score).toBeCloseTo(0.5, 12);
    // In the real table x = 0 or 5 always goes with a and 10 with b: V = 1.
    expect(p.real).toBeCloseTo(1, 12);
  });
  it('contingency similarity with equal-width bins on a numeric column of many values', () => {
    // Real x: 0,1,...,10 (11 distinct, so numeric); bins of width 1; 10 falls in the last bin with 9.
    const real: (number | string)[][] = Array.from({ length: 11 }, (_, i) => [i, i < 5 ? 'a' : 'b']);
    // Synthetic: same labels, x shifted within the same bins (0.5 → bin 0 ...), except 10 → 9.5 (bin 9 too).
    const syn: (number | string)[][] = real.map(([x, c]) => [(x as number) === 10 ? 9.5 : (x as number) + 0.5, c]);
    const a = alignTables(tableOfRows(['x', 'c'], real), tableOfRows(['x', 'c'], real), tableOfRows(['x', 'c'], syn), schemaOf(['x', 'c'], ['numeric', 'categorical']));
    expect(a.columns[0].kind).toBe('numeric');
    expect(pairTrend(a.columns[0], a.columns[1]).score).toBeCloseTo(1, 12);
    // Swap the labels in the synthetic table: cells (bin, a) for bins 0-4 become (bin, b) → TVD = 10/11.
    const swapped = syn.map(([x, c]) => [x, c === 'a' ? 'b' : 'a']);
    const b = alignTables(tableOfRows(['x', 'c'], real), tableOfRows(['x', 'c'], real), tableOfRows(['x', 'c'], swapped), schemaOf(['x', 'c'], ['numeric', 'categorical']));
    // real: bins 0-4 with a (5/11), bins 5-8 b (4/11), bin 9 b (2/11); syn: 0-4 b, 5-8 a, 9 a → no common cell.
    expect(pairTrend(b.columns[0], b.columns[1]).score).toBeCloseTo(0, 12);
  });
});
