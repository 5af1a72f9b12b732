import { describe, expect, it } from 'vitest';
import { alignTables } from '../../../src/core/metrics/align';
import { exactCopies } from '../../../src/core/metrics/privacy/exactCopies';
import { distanceToClosestRecord } from '../../../src/core/metrics/privacy/dcr';
import { encodeRows, nearest } from '../../../src/core/metrics/privacy/gower';
import { Rng } from '../../../src/core/random/rng';
import { schemaOf, tableOfRows } from './helpers';

const names = ['x', 'c'];
const schema = schemaOf(names, ['numeric', 'categorical']);

function tables() {
  const train = tableOfRows(names, [[0, 'a'], [10, 'b'], [2, 'b'], [8, 'a']]);
  const holdout = tableOfRows(names, [[5, 'a'], [10, 'a'], [6, 'b'], [4, 'b']]);
  const synthetic = tableOfRows(names, [[1, 'a'], [10, 'b'], [null, 'b'], [null, 'a']]);
  return { train, holdout, synthetic };
}

describe('distance to closest record (Gower)', () => {
  it('computes |a−b|/range capped at 1, categories 0/1, missing vs value 1, mean over columns', async () => {
    const { train, holdout, synthetic } = tables();
    const a = alignTables(train, holdout, synthetic, schema);
    // Few distinct values turn x into a category; rebuild it as a number for this hand computation.
    a.columns[0] = { kind: 'numeric', name: 'x', schemaKind: 'numeric', min: 0, max: 10,
      train: Float64Array.from([0, 10, 2, 8]), holdout: Float64Array.from([5, 10, 6, 4]), synthetic: Float64Array.from([1, 10, NaN, NaN]) };
    const all = Int32Array.from([0, 1, 2, 3]);
    const syn = encodeRows(a.columns, 'synthetic', all), tr = encodeRows(a.columns, 'train', all), ho = encodeRows(a.columns, 'holdout', all);
    const toTrain = await nearest(syn, tr, true);
    const toHold = await nearest(syn, ho, false);
    // (1,a): train (0,a) → (0.1 + 0)/2; holdout (5,a) → 0.2.  (10,b): 0 vs (6,b) 0.2.
    // (NaN,b): (1 + 0)/2 to (10,b) and to (6,b).  (NaN,a): 0.5 to (0,a) and to (5,a).
    expect(Array.from(toTrain.first)).toEqual([0.05, 0, 0.5, 0.5].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(toHold.first)).toEqual([0.2, 0.2, 0.5, 0.5].map((v) => expect.closeTo(v, 12)));
    // second nearest training rows: (8,a) 0.35; (2,b) 0.4; 0.5; (8,a) 0.5
    expect(Array.from(toTrain.second as Float64Array)).toEqual([0.35, 0.4, 0.5, 0.5].map((v) => expect.closeTo(v, 12)));

    const d = await distanceToClosestRecord(a, 2000, { rng: new Rng(1) });
    expect(d.sampleSize).toBe(4);
    // two rows closer to training, two ties counted half → (2 + 1) / 4
    expect(d.share).toBeCloseTo(0.75, 12);
    expect(d.ties).toBeCloseTo(0.5, 12);
    expect(d.medianSynthetic).toBeCloseTo((0.05 + 0.5) / 2, 12);
    // NNDR: 0.05/0.35, 0/0.4, 0.5/0.5, 0.5/0.5
    expect(d.nndrSynthetic).toBeCloseTo((1 / 7 + 0 + 1 + 1) / 4, 12);
    expect(d.histogramTrain.counts.reduce((s, c) => s + c, 0)).toBe(4);
  });
  it('both missing is distance 0', async () => {
    const a = alignTables(tableOfRows(['x'], [[null]]), tableOfRows(['x'], [[1]]), tableOfRows(['x'], [[null]]), schemaOf(['x'], ['numeric']));
    a.columns[0] = { kind: 'numeric', name: 'x', schemaKind: 'numeric', min: 0, max: 10,
      train: Float64Array.from([NaN]), holdout: Float64Array.from([1]), synthetic: Float64Array.from([NaN]) };
    const one = Int32Array.from([0]);
    const r = await nearest(encodeRows(a.columns, 'synthetic', one), encodeRows(a.columns, 'train', one), false);
    expect(r.first[0]).toBe(0);
    const h = await nearest(encodeRows(a.columns, 'synthetic', one), encodeRows(a.columns, 'holdout', one), false);
    expect(h.first[0]).toBe(1);
  });
});

describe('exact copies', () => {
  it('counts synthetic and holdout rows equal to a training row, and to a training-unique one', () => {
    const train = tableOfRows(names, [[1, 'a'], [1, 'a'], [2, 'b'], [3, 'c'], [null, 'a']]);
    const synthetic = tableOfRows(names, [[1, 'a'], [2, 'b'], [2, 'b'], [9, 'z'], [3, 'c'], [null, 'a'], [null, 'b'], [1, 'b']]);
    const holdout = tableOfRows(names, [[2, 'b'], [5, 'a']]);
    const c = exactCopies(alignTables(train, holdout, synthetic, schema));
    // copies: (1,a) [a duplicated training row], (2,b) x2, (3,c), (NaN,a) → 5 of 8; unique ones: 4 of 8
    expect(c.syntheticCount).toBe(5);
    expect(c.synthetic).toBeCloseTo(5 / 8, 12);
    expect(c.uniqueSyntheticCount).toBe(4);
    expect(c.uniqueSynthetic).toBeCloseTo(4 / 8, 12);
    expect(c.holdout).toBeCloseTo(0.5, 12);
    expect(c.uniqueHoldout).toBeCloseTo(0.5, 12);
  });
  it('ignores key columns, which would make every row unique', () => {
    const n = ['id', 'c'];
    const s = schemaOf(n, ['id', 'categorical']);
    const c = exactCopies(alignTables(tableOfRows(n, [[1, 'a'], [2, 'b']]), tableOfRows(n, [[3, 'a']]), tableOfRows(n, [[7, 'a']]), s));
    expect(c.synthetic).toBe(1);
    expect(c.holdout).toBe(1);
  });
});

describe('quasi-identifiers', async () => {
  const { quasiIdentifierColumns, quasiIdentifierMatches } = await import('../../../src/core/metrics/privacy/quasiIdentifiers');
  const { alignTables } = await import('../../../src/core/metrics/align');
  const { schemaOf, tableOfRows } = await import('./helpers');

  it('are found by the words of a column name', () => {
    expect(quasiIdentifierColumns(['patient_age', 'Sex', 'zipCode', 'postcode', 'income', 'page_views', 'Diagnosis', 'usage'])).toEqual([
      'patient_age', 'Sex', 'zipCode', 'postcode', 'Diagnosis',
    ]);
  });

  it('count synthetic rows matching a training row unique on them, beside the holdout', () => {
    const people = (n: number, offset: number) => tableOfRows(['age', 'sex', 'income'], Array.from({ length: n }, (_, i) => [20 + ((i + offset) % 50), (i + offset) % 2 ? 'F' : 'M', 1000 + i]));
    const train = people(50, 0); // (age, sex) unique on every row: 50 different ages
    const schema = schemaOf(['age', 'sex', 'income'], ['integer', 'categorical', 'numeric']);
    const copy = quasiIdentifierMatches(alignTables(train, people(50, 25), train, schema), schema)!;
    expect(copy.columns).toEqual(['age', 'sex']);
    expect(copy.synthetic).toBe(1);
    expect(copy.holdout).toBeGreaterThan(0); // a fresh sample of this population matches by chance too
    const none = quasiIdentifierMatches(alignTables(train, train, tableOfRows(['age', 'sex', 'income'], [[99, 'X', 1]]), schema), schema)!;
    expect(none.synthetic).toBe(0);
  });
});
