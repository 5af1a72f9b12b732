import { describe, expect, it } from 'vitest';
import { PrivacyLedger, describeAccount } from '../../../../src/core/synth/privacy/budget';
import { histogramNoise, privateLocation, privateQuantile, quantileGrid, rangeOf } from '../../../../src/core/synth/privacy/domain';
import { createSynthesizer } from '../../../../src/core/synth/pipeline';
import { bayesNetEngine } from '../../../../src/core/synth/bayesnet';
import { bayesNetDescriptor } from '../../../../src/core/synth/bayesnet/descriptor';
import { STRUCTURE_SHARE } from '../../../../src/core/synth/bayesnet/privacy';
import { DOMAIN_SHARE, GRID_MAX, RANGE_MAX_SHARE, RANGE_SIGNAL, RANGE_SPREADS } from '../../../../src/core/synth/pipeline/privatePlan';
import { accuracyScorer } from '../../../../src/core/synth/generations';
import { applySplit, splitHoldout } from '../../../../src/core/table/split';
import type { NumericPlan, CategoricalPlan } from '../../../../src/core/synth/pipeline/plan';
import { originNotes } from '../../../../src/core/report/origin';
import { Rng } from '../../../../src/core/random/rng';
import { categoricalFromStrings, getColumn, makeTable, numericColumn, type Column, type Table } from '../../../../src/core/table/table';
import type { Schema } from '../../../../src/core/schema/schema';
import { loadCsv } from '../pipeline/loadCsv';

const synth = createSynthesizer(bayesNetEngine, bayesNetDescriptor);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('privacy ledger', () => {
  it('adds spends by sequential composition and refuses to go past the budget', () => {
    const l = new PrivacyLedger(1);
    l.spend('a', 0.25, 'first');
    l.spend('b', 0.5, 'second', 1e-6);
    expect(l.spent).toBeCloseTo(0.75, 12);
    expect(l.remaining).toBeCloseTo(0.25, 12);
    expect(l.delta).toBe(1e-6);
    expect(() => l.spend('c', 0.3, 'too much')).toThrow(/exceeded/);
    l.spend('c', l.remaining, 'the rest');
    const a = l.account();
    expect(a.epsilon).toBeCloseTo(1, 12);
    expect(a.spends.map((s) => s.step)).toEqual(['a', 'b', 'c']);
    expect(describeAccount(a)).toMatch(/ε = 1, δ = 1e-6 in total \(a 0.25, b 0.5 \(δ 1e-6\), c 0.25\)/);
  });

  it('draws private quantiles near the true ones when the budget allows, and noisy thresholds that grow with columns', () => {
    const rng = new Rng(1);
    const sorted = Float64Array.from({ length: 20_000 }, (_, i) => 100 + i / 100); // 100 .. 300
    const q = privateQuantile(sorted, 0.5, 1, rng);
    expect(Math.abs(q - 200)).toBeLessThan(5);
    expect(quantileGrid().length).toBeGreaterThan(10_000);
    expect(histogramNoise(0.1, 10, 5).threshold).toBeGreaterThan(histogramNoise(0.1, 2, 5).threshold);
    expect(histogramNoise(100, 1, 5).threshold).toBe(5); // the rare-category threshold is a floor
  });
});

describe('Bayesian network under epsilon: every step that reads the rows spends', () => {
  it('private domain: a table too small to choose its values privately is refused with a way out', async () => {
    const survey = loadCsv('survey.csv');
    await expect(synth.fit(survey.table, survey.schema, { epsilon: 1 }, { rng: new Rng(3) })).rejects.toThrow(/too small to choose its values privately/);
  });

  it('private domain: domain, bounds, structure and counts sum to epsilon; the redraws are off', async () => {
    const survey = loadCsv('survey.csv');
    // Survey's 237 rows need a large budget before a value's noisy count can clear the threshold.
    const model = await synth.fit(survey.table, survey.schema, { epsilon: 40 }, { rng: new Rng(3) });
    const a = model.stats.privacy!;
    expect(a).toBeDefined();
    const steps = a.spends.map((s) => s.step);
    expect(steps.slice(0, 2)).toEqual(['bounds', 'domain']);
    // The ranges take ε·n of RANGE_SIGNAL per numeric column (5 here), within their share of the budget.
    expect(a.spends[0].epsilon).toBeCloseTo(Math.min((5 * RANGE_SIGNAL) / survey.table.nRows, RANGE_MAX_SHARE * 40), 9);
    expect(a.spends[1].epsilon).toBeCloseTo(DOMAIN_SHARE * 40, 9);
    expect(steps.at(-1)).toBe('counts');
    expect(sum(a.spends.map((s) => s.epsilon))).toBeCloseTo(40, 9);
    expect(a.epsilon).toBeCloseTo(40, 9);
    expect(a.delta).toBeGreaterThan(0);
    expect(a.delta).toBeLessThanOrEqual(1e-6);
    expect(a.publicDomain).toBe(false);
    expect(a.dropped).toContain('redraw of leaked rows');
    // No fingerprints of training rows are kept, and nothing is redrawn.
    const s = model.serialize();
    expect((s.arrays['pipeline:uniqueRowHashes'] as Float64Array).length).toBe(0);
    await model.sample(300, { seed: 1 });
    expect(model.stats.redrawnLeakedRows).toBe(0);
    // The engine's own record of the ledger is the same account.
    expect((s.meta as { engineMeta: { settings: { privacy: unknown } } }).engineMeta.settings.privacy).toEqual(a);
    // The ledger survives a save and load, and the report states it.
    const copy = synth.deserialize(structuredClone(s));
    expect(copy.stats.privacy).toEqual(a);
    const notes = originNotes({ epsilon: 40, privacy: a, synthesizer: 'bayesnet', conditional: false });
    expect(notes.join(' ')).toMatch(/Privacy budget spent: ε = 40, δ = 1e-6 in total \(bounds [\d.]+, domain 4 \(δ 1e-6\), /);
  });

  it('public domain: bin edges, structure and counts are spent, with no delta', async () => {
    const slid = loadCsv('slid.csv');
    const model = await synth.fit(slid.table, slid.schema, { epsilon: 1, publicDomain: true }, { rng: new Rng(3) });
    const a = model.stats.privacy!;
    expect(a.spends.map((s) => s.step)).toEqual(['bin edges', 'structure', 'counts']);
    expect(a.spends[0].epsilon).toBeCloseTo(0.1, 9);
    // STRUCTURE_SHARE of what the edges left.
    expect(a.spends[1].epsilon).toBeCloseTo(STRUCTURE_SHARE * 0.9, 9);
    expect(a.epsilon).toBeCloseTo(1, 9);
    expect(a.delta).toBe(0);
    expect(a.publicDomain).toBe(true);
  });

  it('keeps no value seen only a few times when the domain is private, and clamps to private bounds', async () => {
    const n = 20_000;
    const rng = new Rng(9);
    const city = Array.from({ length: n }, (_, i) => (i === 0 ? 'Hapax' : rng.next() < 0.5 ? 'North' : 'South'));
    const income = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1e9 : 20_000 + 1000 * rng.normal()));
    const table = makeTable([categoricalFromStrings('city', city), numericColumn('income', income)]);
    const schema: Schema = { columns: [
      { name: 'city', kind: 'categorical', role: 'synthesize', pii: [] },
      { name: 'income', kind: 'numeric', role: 'synthesize', pii: [] },
    ] };
    const model = await synth.fit(table, schema, { epsilon: 2 }, { rng: new Rng(1) });
    const t = await model.sample(5000, { seed: 2 });
    const c = getColumn(t, 'city'), v = getColumn(t, 'income');
    if (c.type !== 'categorical' || v.type !== 'numeric') throw new Error('types');
    expect(c.levels).not.toContain('Hapax');
    // The outlier's 1e9 is not the bound: the private 99% quantile is near the bulk.
    expect(Math.max(...v.values.filter((x) => !Number.isNaN(x)))).toBeLessThan(40_000);
  });

  it('models a numeric column with few distinct values as discrete, on its domain', async () => {
    const n = 20_000;
    const rng = new Rng(4);
    const values = [1200, 5400, 13_000, 250_000];
    const pop = Float64Array.from({ length: n }, () => values[rng.int(4)]);
    const band = Float64Array.from(pop, (p) => values.indexOf(p) + (rng.next() < 0.2 ? 1 : 0));
    const table = makeTable([numericColumn('population', pop), numericColumn('bracket', band)]);
    const schema: Schema = { columns: [
      { name: 'population', kind: 'integer', role: 'synthesize', pii: [] },
      { name: 'bracket', kind: 'integer', role: 'synthesize', pii: [] },
    ] };
    for (const publicDomain of [false, true]) {
      const model = await synth.fit(table, schema, { epsilon: 1, publicDomain }, { rng: new Rng(1) });
      const t = await model.sample(5000, { seed: 2 });
      const p = getColumn(t, 'population');
      if (p.type !== 'numeric') throw new Error('types');
      const distinct = new Set([...p.values].filter((x) => !Number.isNaN(x)));
      expect([...distinct].every((x) => values.includes(x))).toBe(true);
      expect(distinct.size).toBe(4);
    }
    // And on a small table with the domain declared public.
    const small = loadCsv('survey.csv');
    const model = await synth.fit(small.table, small.schema, { epsilon: 1, publicDomain: true }, { rng: new Rng(1) });
    const t = await model.sample(500, { seed: 2 });
    const clap = getColumn(t, 'Clap');
    expect(clap.type).toBe('categorical');
  });

  it('refuses a table too small to choose its numeric ranges privately, with a way out', async () => {
    const rng = new Rng(2);
    const cols = Array.from({ length: 6 }, (_, j) => numericColumn(`x${j}`, Float64Array.from({ length: 400 }, () => 100 + 10 * rng.normal())));
    const schema: Schema = { columns: cols.map((c) => ({ name: c.name, kind: 'numeric' as const, role: 'synthesize' as const, pii: [] })) };
    const fit = synth.fit(makeTable(cols), schema, { epsilon: 1 }, { rng: new Rng(1) });
    await expect(fit).rejects.toThrow(/too small to choose its numeric ranges privately: with 400 training rows and 6 numeric columns/);
    await expect(fit).rejects.toMatchObject({ hint: expect.stringMatching(/Values and ranges are public/) });
  });

  it('finds each column by its private median and spread: ranges around the data, never ±10^13', () => {
    // Central statistics: ε·n of RANGE_SIGNAL per column (what the plan spends) finds them every time.
    const n = 7000;
    const rng = new Rng(5);
    const cases: [string, Float64Array][] = [
      ['year', Float64Array.from({ length: n }, () => 2000 + rng.int(16))],
      ['sales', Float64Array.from({ length: n }, () => Math.round(170 * Math.exp(1.3 * rng.normal())))],
      ['income', Float64Array.from({ length: n }, () => Math.round(20_000 + 1000 * rng.normal()))],
      ['flag', Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0))],
      ['change', Float64Array.from({ length: n }, () => 5 * rng.normal())],
    ];
    for (const [name, values] of cases) {
      const sorted = values.slice().sort();
      const q = (p: number) => sorted[Math.floor(p * (n - 1))];
      for (let seed = 1; seed <= 10; seed++) {
        // Whole numbers (all but 'change') as the plan does: median on whole numbers, one step of margin.
        const unit = name === 'change' ? 0 : 1;
        const { lo, hi } = rangeOf(privateLocation(sorted, RANGE_SIGNAL / n, new Rng(seed), unit), RANGE_SPREADS, unit);
        expect(lo, `${name} seed ${seed}`).toBeLessThanOrEqual(q(0.05));
        expect(hi, `${name} seed ${seed}`).toBeGreaterThanOrEqual(q(0.95));
        // Not the ±10^13 of the 5%/95% quantiles at that budget.
        expect(hi - lo, `${name} seed ${seed}`).toBeLessThan(20 * (q(0.99) - q(0.01)));
      }
    }
  });

  it('txhousing at ε = 1 (private domain): years and months on their grid, ranges around the data, well above a uniform table', async () => {
    const tx = loadCsv('txhousing.csv');
    const { train, holdout } = applySplit(tx.table, splitHoldout(tx.table.nRows, 0.2, 1));
    const model = await synth.fit(train, tx.schema, { epsilon: 1 }, { rng: new Rng(1) });
    const plans = (model.serialize().meta as { plans: (NumericPlan | CategoricalPlan)[] }).plans;
    const plan = (name: string) => plans.find((x) => x.name === name)! as NumericPlan;
    for (const [name, from, to] of [['year', 2000, 2015], ['month', 1, 12]] as const) {
      const d = plan(name).domain!;
      expect(d.length).toBeLessThanOrEqual(GRID_MAX);
      expect(d[0]).toBeLessThanOrEqual(from);
      expect(d.at(-1)).toBeGreaterThanOrEqual(to);
    }
    for (const name of ['sales', 'volume', 'median', 'listings']) {
      const c = getColumn(train, name);
      if (c.type !== 'numeric') throw new Error('type');
      const sorted = Float64Array.from([...c.values].filter((x) => !Number.isNaN(x))).sort();
      const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))];
      expect(plan(name).min).toBeLessThanOrEqual(q(0.1));
      expect(plan(name).max).toBeGreaterThanOrEqual(q(0.75));
      expect(plan(name).max).toBeLessThan(10 * sorted[sorted.length - 1]);
    }
    // No city is seen often enough to be kept at ε = 1 (about 150 rows each against a threshold of
    // 263): the column is pooled, and the pooled count is not released.
    const city = plans.find((x) => x.name === 'city') as CategoricalPlan;
    expect(city.levels.slice(0, -1)).toEqual([]);
    expect(city.pooledCount).toBe(0);
    const score = accuracyScorer(train, holdout, tx.schema, 1);
    const acc = score(await model.sample(train.nRows, { seed: 2 })).accuracy[1]!;
    const uniform: Table = { nRows: train.nRows, columns: train.columns.map((c): Column => {
      const r = new Rng(3).fork(c.name);
      if (c.type === 'categorical') return { ...c, codes: Int32Array.from({ length: train.nRows }, () => r.int(c.levels.length)) };
      const v = [...c.values].filter((x) => !Number.isNaN(x));
      const lo = Math.min(...v), hi = Math.max(...v);
      return { ...c, values: Float64Array.from({ length: train.nRows }, () => lo + r.next() * (hi - lo)) };
    }) };
    const base = score(uniform).accuracy[1]!;
    console.log(`txhousing ε = 1 private domain: 2-way ${acc.toFixed(3)}, uniform ${base.toFixed(3)}`);
    expect(acc).toBeGreaterThan(base + 0.2);
  });

  it('the pooled label follows the noisy counts: a value seen once leaves no trace in the plan', async () => {
    const n = 20_000;
    const base = Array.from({ length: n }, (_, i) => (i % 2 ? 'North' : 'South'));
    const schema: Schema = { columns: [{ name: 'city', kind: 'categorical', role: 'synthesize', pii: [] }, { name: 'x', kind: 'numeric', role: 'synthesize', pii: [] }] };
    const x = numericColumn('x', Float64Array.from({ length: n }, (_, i) => i % 7));
    for (const seed of [1, 2, 3]) {
      const plans = [];
      for (const cities of [base, base.map((c, i) => (i === 0 ? 'Hapax' : c))]) {
        const model = await synth.fit(makeTable([categoricalFromStrings('city', cities), x]), schema, { epsilon: 1 }, { rng: new Rng(seed) });
        const p = (model.serialize().meta as { plans: CategoricalPlan[] }).plans[0];
        plans.push({ levels: [...p.levels].sort(), pooledCode: p.pooledCode, pooledCount: p.pooledCount });
      }
      expect(plans[1]).toEqual(plans[0]);
      expect(plans[0]).toEqual({ levels: ['North', 'South'], pooledCode: -1, pooledCount: 0 });
    }
  });
});
