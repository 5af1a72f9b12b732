import { describe, expect, it } from 'vitest';
import { accuracy, argmaxRows, macroAucOvR, macroF1, r2, rocAuc } from '../../../src/core/metrics/utility/scores';
import { fitForest, predictForest, type BinnedData } from '../../../src/core/metrics/utility/forest';
import { utility } from '../../../src/core/metrics/utility/tstr';
import { utilityEntry } from '../../../src/core/metrics/scorecard';
import { alignTables } from '../../../src/core/metrics/align';
import { Rng } from '../../../src/core/random/rng';
import { loadData, split, shuffleColumns } from './helpers';

const i32 = (xs: number[]) => Int32Array.from(xs);
const f64 = (xs: number[]) => Float64Array.from(xs);

describe('model scores (sklearn definitions)', () => {
  it('accuracy and macro-F1 over the labels in truth or predictions', () => {
    const truth = i32([0, 0, 1, 1, 2]), pred = i32([0, 1, 1, 1, 0]);
    expect(accuracy(truth, pred)).toBeCloseTo(0.6, 12);
    // F1: class 0 = 2·1/(2+1+1) = .5; class 1 = 4/5; class 2 = 0 → mean 13/30
    expect(macroF1(truth, pred)).toBeCloseTo(13 / 30, 12);
  });
  it('ROC AUC with ties counted half, one-vs-rest mean, R²', () => {
    expect(rocAuc([true, false, true, false], [0.9, 0.1, 0.4, 0.4])).toBeCloseTo(0.875, 12);
    expect(rocAuc([true, true], [0.1, 0.2])).toBeNull();
    // Binary: both one-vs-rest AUCs equal the positive class's AUC.
    const proba = f64([0.1, 0.9, 0.9, 0.1, 0.6, 0.4, 0.6, 0.4]);
    expect(macroAucOvR(i32([1, 0, 1, 0]), proba, 2)).toBeCloseTo(0.875, 12);
    expect(Array.from(argmaxRows(proba, 2))).toEqual([1, 0, 0, 0]);
    expect(r2(f64([1, 2, 3]), f64([1, 2, 4]))).toBeCloseTo(0.5, 12);
  });
});

function data(cols: number[][], nBins: number[], ordered: boolean[]): BinnedData {
  return { x: cols.map((c) => Uint8Array.from(c)), nBins, ordered, nRows: cols[0].length };
}

describe('random forest on binned features', () => {
  const rng = new Rng(4);
  const n = 600;
  const x0 = Array.from({ length: n }, () => rng.int(20));
  const noise = Array.from({ length: n }, () => rng.int(20));
  const cat = Array.from({ length: n }, () => rng.int(6));
  it('learns a threshold on an ordered feature', () => {
    const y = i32(x0.map((v) => (v >= 12 ? 1 : 0)));
    const d = data([x0, noise], [20, 20], [true, true]);
    const f = fitForest(d, y, { task: 'classification', nClasses: 2, nTrees: 10, maxDepth: 6, minLeaf: 2, mtry: 2 }, new Rng(1));
    expect(accuracy(y, argmaxRows(predictForest(f, d), 2))).toBeGreaterThan(0.98);
  });
  it('groups nominal categories in one split (Breiman ordering)', () => {
    const y = i32(cat.map((v) => (v === 1 || v === 4 ? 1 : 0)));
    const d = data([cat], [6], [false]);
    const f = fitForest(d, y, { task: 'classification', nClasses: 2, nTrees: 5, maxDepth: 1, minLeaf: 1 }, new Rng(1));
    expect(accuracy(y, argmaxRows(predictForest(f, d), 2))).toBe(1);
  });
  it('regresses', () => {
    const y = f64(x0.map((v, i) => 2 * v + 0.1 * noise[i]));
    const d = data([x0, noise], [20, 20], [true, true]);
    const f = fitForest(d, y, { task: 'regression', nClasses: 1, nTrees: 10, maxDepth: 8, minLeaf: 2, mtry: 2 }, new Rng(1));
    expect(r2(y, predictForest(f, d))).toBeGreaterThan(0.95);
  });
});

describe('TSTR vs TRTR on a real table', () => {
  const { table, schema } = loadData('penguins.csv');
  const { train, holdout } = split(table, 0.25, 2);
  it('a model trained on a copy of training matches TRTR; on a column-shuffled table it falls', () => {
    const same = utility(alignTables(train, holdout, train, schema), 'species', new Rng(1));
    expect(same.task).toBe('classification');
    expect(same.trtr.macroF1).toBeGreaterThan(0.9);
    expect(same.ratio).toBeCloseTo(1, 1);
    const shuffled = utility(alignTables(train, holdout, shuffleColumns(train, 9), schema), 'species', new Rng(1));
    expect(shuffled.ratio as number).toBeLessThan(0.7);
  });
  it('flags a target the real rows cannot predict (a column of coin flips) as no signal', () => {
    const coin = new Rng(3);
    const withCoin = (t: typeof train) => ({
      nRows: t.nRows,
      columns: [...t.columns, { type: 'categorical' as const, name: 'coin', codes: Int32Array.from({ length: t.nRows }, () => coin.int(2)), levels: ['heads', 'tails'] }],
    });
    const s2 = { ...schema, columns: [...schema.columns, { name: 'coin', kind: 'categorical' as const, role: 'synthesize' as const, pii: [] }] };
    const tr = withCoin(train), ho = withCoin(holdout);
    const u = utility(alignTables(tr, ho, tr, s2), 'coin', new Rng(1));
    expect(u.noSignal).toBe(true);
    // The scorecard says the target says little, whatever the ratio.
    expect(utilityEntry(u).verdict).toMatch(/cannot predict "coin" either/);
    expect(utilityEntry(u).level).toBe('fair');
    expect(utility(alignTables(train, holdout, train, schema), 'species', new Rng(1)).noSignal).toBeUndefined();
  });
  it('regresses a numeric target (R²)', () => {
    const u = utility(alignTables(train, holdout, train, schema), 'body_mass_g', new Rng(1));
    expect(u.task).toBe('regression');
    expect(u.metric).toBe('r2');
    expect(u.trtr.r2).toBeGreaterThan(0.7);
  });
});
