import { describe, expect, it } from 'vitest';
import { alignTables } from '../../../src/core/metrics/align';
import { binForAccuracy, comboAccuracy, kWayAccuracy } from '../../../src/core/metrics/kway';
import { quantileInnerEdges, binByEdges } from '../../../src/core/metrics/discretize';
import { columnCombinations } from '../../../src/core/metrics/combinations';
import { Rng } from '../../../src/core/random/rng';
import { schemaOf, tableOfRows } from './helpers';

const one = (vals: (number | string | null)[]) => vals.map((v) => [v]);

describe('k-way accuracy', () => {
  it('quantile bins as numpy: linear quantiles, duplicates dropped, digitize right=False', () => {
    const x = Float64Array.from({ length: 11 }, (_, i) => i + 1); // 1..11
    // quantiles at i/10: 1, 2, ..., 11 → inner edges 2..10
    expect(Array.from(quantileInnerEdges(x, 10))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(binByEdges(Float64Array.from([0, 1, 2, 10.5, 11, 99, NaN]), quantileInnerEdges(x, 10)))).toEqual([0, 0, 1, 9, 9, 9, 10]);
    // Many ties: 0 x 8, 1 x 2 → quantiles 0 (p ≤ .7), 0.2 (p = .8: pos 7.2), 1 → unique [0, 0.2, 1] (numpy agrees)
    const ties = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    const inner = quantileInnerEdges(ties, 10);
    expect(inner.length).toBe(1);
    expect(inner[0]).toBeCloseTo(0.2, 12);
  });
  it('1-way accuracy: 1 − TVD of the binned marginals', () => {
    const real = one(Array.from({ length: 11 }, (_, i) => i + 1)); // one value per bin, bin 9 holds 10 and 11
    const syn = one([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]);
    const a = alignTables(tableOfRows(['x'], real), tableOfRows(['x'], real), tableOfRows(['x'], syn), schemaOf(['x'], ['numeric']));
    const b = binForAccuracy(a.columns, (c) => [c.holdout, c.synthetic]);
    expect(comboAccuracy(b, [0], 1)).toBe(1); // holdout = train
    // real: bins 0-8 1/11 each, bin 9 2/11; syn: bins 0-3 2/11, bin 4 3/11
    // Σ|d| = 4·1/11 + 2/11 + 4·1/11 + 2/11 = 12/11 → 1 − 6/11 = 5/11
    expect(comboAccuracy(b, [0], 2)).toBeCloseTo(5 / 11, 12);
  });
  it('categories: top 10 + other (missing competes as a value)', () => {
    // L0..L9 twice, L10 and L11 once: top 10 are L0..L9, "other" holds L10, L11 (2/22 of real rows).
    const real = one([...Array.from({ length: 10 }, (_, i) => [`L${i}`, `L${i}`]).flat(), 'L10', 'L11']);
    const syn = one(Array.from({ length: 22 }, () => 'L11'));
    const a = alignTables(tableOfRows(['c'], real), tableOfRows(['c'], real), tableOfRows(['c'], syn), schemaOf(['c'], ['categorical']));
    const b = binForAccuracy(a.columns, (c) => [c.synthetic]);
    // Σ|d| = 20/22 (top ten, absent in syn) + |2/22 − 1| = 40/22 → 1 − 20/22 = 1/11
    expect(comboAccuracy(b, [0], 1)).toBeCloseTo(1 / 11, 12);
  });
  it('2-way accuracy on a joint table', () => {
    const real = [['a', 'x'], ['a', 'y'], ['b', 'x'], ['b', 'y']];
    const syn = [['a', 'x'], ['a', 'x'], ['b', 'y'], ['b', 'y']];
    const a = alignTables(tableOfRows(['p', 'q'], real), tableOfRows(['p', 'q'], real), tableOfRows(['p', 'q'], syn), schemaOf(['p', 'q'], ['categorical', 'categorical']));
    const b = binForAccuracy(a.columns, (c) => [c.holdout, c.synthetic]);
    const r = kWayAccuracy(b, 2, new Rng(1));
    expect(r.combinations).toEqual([2, 1, 0]);
    expect(r.means[0]).toEqual([1, 1, null]); // the holdout (here = train) is at the ceiling
    expect(r.means[1][0]).toBe(1); // marginals are the same
    expect(r.means[1][1]).toBeCloseTo(0.5, 12); // real .25 each vs syn .5/.5 → Σ|d| = 1
  });
  it('samples combinations without repeats when there are many, the same for the same seed', () => {
    const c = columnCombinations(30, 3, 200, new Rng(5));
    expect(c.length).toBe(200);
    expect(new Set(c.map((x) => x.join())).size).toBe(200);
    expect(c.every((x) => x[0] < x[1] && x[1] < x[2] && x[2] < 30)).toBe(true);
    expect(columnCombinations(30, 3, 200, new Rng(5))).toEqual(c);
    expect(columnCombinations(5, 2, 300, new Rng(5)).length).toBe(10);
  });
});
