import { describe, expect, it } from 'vitest';
import { PrivacyLedger, describeAccount } from '../../../../src/core/synth/privacy/budget';
import { histogramNoise, privateQuantile, quantileGrid } from '../../../../src/core/synth/privacy/domain';
import { createSynthesizer } from '../../../../src/core/synth/pipeline';
import { bayesNetEngine } from '../../../../src/core/synth/bayesnet';
import { bayesNetDescriptor } from '../../../../src/core/synth/bayesnet/descriptor';
import { STRUCTURE_SHARE } from '../../../../src/core/synth/bayesnet/privacy';
import { originNotes } from '../../../../src/core/report/origin';
import { Rng } from '../../../../src/core/random/rng';
import { categoricalFromStrings, getColumn, makeTable, numericColumn } from '../../../../src/core/table/table';
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
    expect(steps.slice(0, 2)).toEqual(['domain', 'bounds']);
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
    expect(notes.join(' ')).toMatch(/Privacy budget spent: ε = 40, δ = 1e-6 in total \(domain 4 \(δ 1e-6\), bounds 4, /);
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
});
