import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random/rng';
import { ConditionalSampler } from '../../../../src/core/synth/copula/conditional';
import { nearestCorrelation, scoreCorrelation } from '../../../../src/core/synth/copula/correlation';
import { LowRankConditional, lowRankCorrelation, sampleLowRank } from '../../../../src/core/synth/copula/lowRank';
import { loadSynthesizer } from '../../../../src/core/synth/registry';
import type { Schema } from '../../../../src/core/schema/schema';
import { categoricalFromStrings, getColumn, makeTable, numericColumn, rowValues, type CategoricalColumn, type Column, type NumericColumn, type Table } from '../../../../src/core/table/table';

/** n rows of d correlated scores (two latent factors plus noise). */
function scores(n: number, d: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const f1 = Float64Array.from({ length: n }, () => rng.normal());
  const f2 = Float64Array.from({ length: n }, () => rng.normal());
  return Array.from({ length: d }, (_, j) => Float64Array.from({ length: n }, (_, i) => Math.sin(j) * f1[i] + Math.cos(3 * j) * f2[i] + 0.5 * rng.normal()));
}

function implied(f: { rank: number; loadings: Float64Array; noise: Float64Array }, d: number): Float64Array {
  const r = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
    let s = a === b ? f.noise[a] * f.noise[a] : 0;
    for (let k = 0; k < f.rank; k++) s += f.loadings[a * f.rank + k] * f.loadings[b * f.rank + k];
    r[a * d + b] = s;
  }
  return r;
}

function empiricalCorr(z: Float64Array[], a: number, b: number): number {
  const x = z[a], y = z[b], n = x.length;
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; syy += y[i] * y[i]; sxy += x[i] * y[i]; }
  return (sxy - (sx * sy) / n) / Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
}

describe('low-rank copula correlation (more score dimensions than rows)', () => {
  it('is the dense repair (eigenvalues clipped at the floor, unit diagonal) without the d × d work', async () => {
    const n = 30, d = 70;
    const dims = scores(n, d, 1);
    const dense = nearestCorrelation(await scoreCorrelation(dims, n), d);
    const f = await lowRankCorrelation(dims, n);
    expect(f.rank).toBeLessThan(n);
    const r = implied(f, d);
    let worst = 0;
    for (let k = 0; k < d * d; k++) worst = Math.max(worst, Math.abs(r[k] - dense[k]));
    expect(worst).toBeLessThan(1e-7);
  });

  it('draws with that correlation, and conditioned draws agree with the dense conditional sampler', async () => {
    const n = 25, d = 40, m = 20_000;
    const f = await lowRankCorrelation(scores(n, d, 2), n);
    const r = implied(f, d);
    const z = Array.from({ length: d }, () => new Float64Array(m));
    sampleLowRank(z, m, f, new Rng(3));
    for (const [a, b] of [[0, 1], [2, 7], [5, 30]]) expect(empiricalCorr(z, a, b)).toBeCloseTo(r[a * d + b], 1);

    const constraints = new Map<number, [number, number][]>([[0, [[1, Infinity]]], [3, [[-Infinity, 0]]]]);
    const low = Array.from({ length: d }, () => new Float64Array(m));
    new LowRankConditional(f, constraints, 8).sampleInto(low, m, new Rng(4));
    const dense = Array.from({ length: d }, () => new Float64Array(m));
    new ConditionalSampler(r, d, constraints, 8).sampleInto(dense, m, new Rng(5));
    expect(low[0].every((x) => x >= 1)).toBe(true);
    expect(low[3].every((x) => x <= 0)).toBe(true);
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    for (const j of [0, 1, 3, 10, 39]) expect(Math.abs(mean(low[j]) - mean(dense[j]))).toBeLessThan(0.05);
  });

  it('fits a wide table through the pipeline: conditions, reproducibility, serialization', async () => {
    const n = 40, p = 90;
    const rng = new Rng(6);
    const base = Float64Array.from({ length: n }, () => rng.normal());
    const columns: Column[] = Array.from({ length: p }, (_, j) => numericColumn(`x${j}`, Float64Array.from(base, (b) => Math.round((b * (j % 4) + rng.normal()) * 100) / 100)));
    columns.push(categoricalFromStrings('g', Array.from(base, (b) => (b > 0 ? 'hi' : 'lo'))));
    const table: Table = makeTable(columns);
    const schema: Schema = { columns: columns.map((c) => ({ name: c.name, kind: c.type === 'numeric' ? 'numeric' : 'categorical', role: 'synthesize', pii: [] })) } as unknown as Schema;
    const copula = await loadSynthesizer('copula');
    const model = await copula.fit(table, schema, {}, { rng: new Rng(1) });
    const s = model.serialize();
    expect(Object.keys(s.arrays)).toContain('engine:lowRank.loadings');
    expect(Object.keys(s.arrays)).not.toContain('engine:corr');
    const t = await model.sample(300, { seed: 2, conditions: { g: { equals: 'hi' }, x1: { min: 0 } } });
    const g = getColumn(t, 'g') as CategoricalColumn;
    expect(new Set(Array.from(g.codes, (c) => g.levels[c]))).toEqual(new Set(['hi']));
    expect((getColumn(t, 'x1') as NumericColumn).values.every((x) => x >= 0)).toBe(true);
    const copy = copula.deserialize(structuredClone(s));
    const rows = (x: Table) => Array.from({ length: x.nRows }, (_, i) => JSON.stringify(rowValues(x, i)));
    expect(rows(await copy.sample(200, { seed: 9 }))).toEqual(rows(await model.sample(200, { seed: 9 })));
    // The dependence survives: x1 and x2 both follow the base factor.
    const u = await model.sample(4000, { seed: 3 });
    const zs = ['x1', 'x2'].map((c) => (getColumn(u, c) as NumericColumn).values);
    expect(empiricalCorr(zs, 0, 1)).toBeGreaterThan(0.3);
  });
});
