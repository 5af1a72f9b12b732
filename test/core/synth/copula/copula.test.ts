import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src/core/context';
import { Rng } from '../../../../src/core/random/rng';
import type { Schema } from '../../../../src/core/schema/schema';
import { copulaEngine } from '../../../../src/core/synth/copula';
import { normalCdf, normalInv, truncatedNormal } from '../../../../src/core/synth/copula/normal';
import { fitBestFamily } from '../../../../src/core/synth/copula/parametric';
import { createSynthesizer } from '../../../../src/core/synth/pipeline';
import { categoricalFromStrings, getColumn, makeTable, numericColumn, rowValues, takeRows, type CategoricalColumn, type Table } from '../../../../src/core/table/table';
import { loadCsv } from '../pipeline/loadCsv';

const copula = createSynthesizer(copulaEngine);
const ctx = () => ({ rng: new Rng(11) });
const num = (t: Table, name: string) => (getColumn(t, name) as { values: Float64Array }).values;
const cat = (t: Table, name: string) => getColumn(t, name) as CategoricalColumn;
const share = (t: Table, name: string, level: string) => {
  const c = cat(t, name);
  return c.codes.filter((x) => c.levels[x] === level).length / t.nRows;
};
const mean = (v: Float64Array) => {
  const p = v.filter((x) => !Number.isNaN(x));
  return p.reduce((s, x) => s + x, 0) / p.length;
};

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
  }
  return (sxy - (sx * sy) / n) / Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
}

/** Mid-ranks of present values (missing stays NaN, so pearson skips the row). */
function ranks(a: Float64Array): Float64Array {
  const idx = Array.from(a.keys()).filter((i) => !Number.isNaN(a[i])).sort((i, j) => a[i] - a[j]);
  const r = new Float64Array(a.length).fill(NaN);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && a[idx[j + 1]] === a[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

/** Every 2nd..nth row of a real table, so tests stay on ~5000 real rows. */
function firstRows(t: Table, n: number): Table {
  const rng = new Rng(99);
  const idx = rng.shuffle(Int32Array.from({ length: t.nRows }, (_, i) => i)).slice(0, n);
  return takeRows(t, idx);
}

describe('normal distribution functions', () => {
  it('match reference values (scipy.stats.norm) in the body and the tails', async () => {
    const cdf: [number, number][] = [[-20, 2.7536241186061556e-89], [-8, 6.22096057427174e-16], [-1.5, 0.06680720126885807], [0.7, 0.758036347776927], [6, 0.9999999990134123]];
    for (const [x, p] of cdf) expect(normalCdf(x) / p).toBeCloseTo(1, 7);
    const inv: [number, number][] = [[1e-300, -37.0470962993612], [1e-8, -5.612001244174789], [0.02425, -1.972961051311885], [0.3, -0.5244005127080409], [0.975, 1.959963984540054]];
    for (const [p, x] of inv) expect(normalInv(p)).toBeCloseTo(x, 10);
    for (let p = 0.001; p < 1; p += 0.0137) expect(normalCdf(normalInv(p))).toBeCloseTo(p, 12);
  });

  it('draws truncated normals inside the interval, even far in the tails', async () => {
    const rng = new Rng(1);
    for (const [a, b] of [[-1, 1], [3, Infinity], [-Infinity, -9], [12, 13]]) {
      for (let i = 0; i < 200; i++) {
        const z = truncatedNormal(a, b, rng.nextOpen());
        expect(z).toBeGreaterThanOrEqual(a);
        expect(z).toBeLessThanOrEqual(b);
      }
    }
  });

  it('picks a lognormal family for lognormal data', async () => {
    const rng = new Rng(2);
    const v = Float64Array.from({ length: 3000 }, () => Math.exp(1 + 0.8 * rng.normal())).sort();
    const fit = fitBestFamily(v);
    expect(fit.family).toBe('lognormal');
    expect(fit.params[0]).toBeCloseTo(1, 1);
    expect(fit.ks).toBeLessThan(0.03);
  });
});

describe('Gaussian copula', () => {
  it('reproduces correlations of real tables (txhousing, slid; 5000 rows)', async () => {
    const tx = loadCsv('txhousing.csv');
    const train = firstRows(tx.table, 5000);
    const model = await copula.fit(train, tx.schema, { redrawLeakedRows: false, rules: 'none' }, ctx());
    const syn = await model.sample(5000, { seed: 3 });
    const names = ['sales', 'volume', 'median', 'listings', 'inventory', 'year'];
    const realRanks = names.map((c) => ranks(num(train, c)));
    const synRanks = names.map((c) => ranks(num(syn, c)));
    let checked = 0;
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const real = pearson(realRanks[i], realRanks[j]);
        const fake = pearson(synRanks[i], synRanks[j]);
        // The copula keeps the normal-score correlation exactly; rank correlations move where the real
        // dependence is not Gaussian (sales ~ median: 0.43 on normal scores, 0.46 on ranks).
        expect(Math.abs(real - fake), `${names[i]} ~ ${names[j]}`).toBeLessThan(Math.abs(real) > 0.8 ? 0.05 : 0.08);
        checked++;
      }
    }
    expect(checked).toBe(15);
    // Pearson itself on the near-normal pair of another table.
    const slid = loadCsv('slid.csv');
    const m2 = await copula.fit(firstRows(slid.table, 5000), slid.schema, { redrawLeakedRows: false }, ctx());
    const s2 = await m2.sample(5000, { seed: 1 });
    expect(Math.abs(pearson(num(slid.table, 'wages'), num(slid.table, 'education')) - pearson(num(s2, 'wages'), num(s2, 'education')))).toBeLessThan(0.05);
  });

  it('reproduces categorical frequencies, missing shares and only observed values of discrete numerics', async () => {
    const { table, schema } = loadCsv('penguins.csv');
    const model = await copula.fit(table, schema, { redrawLeakedRows: false }, ctx());
    const syn = await model.sample(20_000, { seed: 4 });
    for (const level of ['Adelie', 'Gentoo', 'Chinstrap']) expect(share(syn, 'species', level)).toBeCloseTo(share(table, 'species', level), 1);
    const missingSex = (t: Table) => cat(t, 'sex').codes.filter((c) => c < 0).length / t.nRows;
    expect(missingSex(syn)).toBeCloseTo(missingSex(table), 2);
    const realYears = new Set(num(table, 'year'));
    expect(new Set(num(syn, 'year'))).toEqual(realYears);
    expect(mean(num(syn, 'body_mass_g'))).toBeCloseTo(mean(num(table, 'body_mass_g')), -2);
  });

  it('lets missingness depend on other columns through the indicator dimension', async () => {
    const rng = new Rng(5);
    const n = 4000;
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from(x, (v) => (v > 0.5 && rng.next() < 0.8 ? NaN : v + rng.normal()));
    const table = makeTable([numericColumn('x', x), numericColumn('y', y)]);
    const schema: Schema = { columns: [{ name: 'x', kind: 'numeric', role: 'synthesize', pii: [] }, { name: 'y', kind: 'numeric', role: 'synthesize', pii: [] }] };
    const model = await copula.fit(table, schema, {}, ctx());
    const syn = await model.sample(n, { seed: 1 });
    const sx = num(syn, 'x'), sy = num(syn, 'y');
    let missHigh = 0, high = 0, missLow = 0, low = 0;
    for (let i = 0; i < n; i++) {
      if (sx[i] > 0.5) { high++; if (Number.isNaN(sy[i])) missHigh++; }
      else { low++; if (Number.isNaN(sy[i])) missLow++; }
    }
    // Real: 80% missing above 0.5, none below; a Gaussian copula smooths the edge but keeps the dependence.
    expect(missHigh / high).toBeGreaterThan(0.4);
    expect(missHigh / high).toBeGreaterThan(2 * (missLow / low));
  });

  it('samples conditionally and natively: categorical equality and numeric ranges, with the right conditional shift', async () => {
    const { table, schema } = loadCsv('penguins.csv');
    const model = await copula.fit(table, schema, {}, ctx());
    const gentoo = await model.sample(3000, { seed: 2, conditions: { species: { equals: 'Gentoo' } } });
    expect(share(gentoo, 'species', 'Gentoo')).toBe(1);
    const realGentoo = takeRows(table, Array.from(cat(table, 'species').codes.keys()).filter((i) => cat(table, 'species').levels[cat(table, 'species').codes[i]] === 'Gentoo'));
    // A Gaussian copula smooths the species step, but most of the shift must be there.
    const all = mean(num(table, 'body_mass_g')), real = mean(num(realGentoo, 'body_mass_g'));
    expect((mean(num(gentoo, 'body_mass_g')) - all) / (real - all)).toBeGreaterThan(0.6);
    const heavy = await model.sample(2000, { seed: 3, conditions: { body_mass_g: { min: 5000 }, sex: { oneOf: ['male'] }, island: { equals: 'Biscoe' } } });
    const mass = num(heavy, 'body_mass_g');
    expect(Array.from(mass).every((v) => v >= 5000)).toBe(true);
    expect(share(heavy, 'sex', 'male')).toBe(1);
    // Heavy penguins are mostly Gentoo in the real data; the conditional normal knows it.
    expect(share(heavy, 'species', 'Gentoo')).toBeGreaterThan(0.6);
    // The engine meets these itself: the pipeline had nothing to redraw for conditions.
    const engineModel = await copulaEngine.fit(
      { nRows: table.nRows, columns: [{ type: 'numeric', name: 'm', kind: 'integer', values: num(table, 'body_mass_g'), min: 2700, max: 6300 }] },
      {},
      ctx(),
    );
    const [drawn] = await engineModel.sample(500, new Rng(1), [{ type: 'range', min: 4000, max: 4100 }]);
    expect(Array.from(drawn).every((v) => v >= 4000 && v <= 4100)).toBe(true);
    const exact = (await engineModel.sample(50, new Rng(1), [{ type: 'range', min: 4321, max: 4321 }]))[0];
    expect(Array.from(exact).every((v) => v === 4321)).toBe(true);
  });

  it('round-trips through serialize with identical samples, parametric marginals included', async () => {
    const { table, schema } = loadCsv('salaries.csv');
    const model = await copula.fit(table, schema, { marginals: { salary: 'parametric' } }, ctx());
    const s = model.serialize();
    expect(s.arrays['engine:corr']).toBeInstanceOf(Float64Array);
    const copy = copula.deserialize(structuredClone(s));
    const a = await model.sample(500, { seed: 8, conditions: { rank: { equals: 'Prof' } } });
    const b = await copy.sample(500, { seed: 8, conditions: { rank: { equals: 'Prof' } } });
    for (let i = 0; i < 500; i += 37) expect(rowValues(b, i)).toEqual(rowValues(a, i));
    const json = JSON.stringify(s.meta);
    expect(json.length).toBeLessThan(5000);
    expect(json).toMatch(/"family"/);
  });

  it('handles a single-valued column with gaps, and stops when cancelled', async () => {
    const n = 500;
    const rng = new Rng(3);
    const table = makeTable([
      numericColumn('flag', Float64Array.from({ length: n }, (_, i) => (i % 3 ? 1 : NaN))),
      numericColumn('v', Float64Array.from({ length: n }, () => rng.normal())),
      categoricalFromStrings('g', Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b'))),
    ]);
    const schema: Schema = { columns: ['flag', 'v', 'g'].map((name) => ({ name, kind: name === 'g' ? 'categorical' : 'numeric', role: 'synthesize', pii: [] })) };
    const model = await copula.fit(table, schema, {}, ctx());
    const syn = num(await model.sample(3000, { seed: 1 }), 'flag');
    expect(new Set(Array.from(syn).filter((v) => !Number.isNaN(v)))).toEqual(new Set([1]));
    expect(syn.filter(Number.isNaN).length / 3000).toBeCloseTo(1 / 3, 1);
    const ac = new AbortController();
    ac.abort();
    await expect(copula.fit(table, schema, {}, { rng: new Rng(1), signal: ac.signal })).rejects.toThrow(CancelledError);
  });

  it('stops a running fit soon after Cancel', async () => {
    const n = 60_000;
    const rng = new Rng(4);
    const cols = Array.from({ length: 6 }, (_, j) => numericColumn(`x${j}`, Float64Array.from({ length: n }, () => rng.normal())));
    const schema: Schema = { columns: cols.map((c) => ({ name: c.name, kind: 'numeric', role: 'synthesize', pii: [] })) };
    const ac = new AbortController();
    const fit = copula.fit(makeTable(cols), schema, {}, { rng: new Rng(1), signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    await expect(fit).rejects.toThrow(CancelledError);
  });
});
