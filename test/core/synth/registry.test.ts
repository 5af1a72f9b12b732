import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/context';
import { Rng } from '../../../src/core/random/rng';
import { ingestBlob } from '../../../src/core/ingest';
import {
  createRegistry,
  defaultOptions,
  deserializeModel,
  descriptorOf,
  ENGINE_DESCRIPTORS,
  fitCostWarning,
  loadSynthesizer,
  registry,
  SYNTHESIZER_IDS,
  synthesizers,
  validateOptions,
} from '../../../src/core/synth/registry';
import { tableShape } from '../../../src/core/synth/shape';
import { engineOptions } from '../../../src/cli/engineFlags';
import { synthUsage } from '../../../src/cli/synth';
import { getColumn, rowValues, type CategoricalColumn, type NumericColumn, type Table } from '../../../src/core/table/table';
import { DATA_DIR } from '../../fixtures/dataDir';
import { fakeDescriptor } from './fakeEngine/descriptor';

const DATA = `${DATA_DIR}/`;
const load = async (file: string) => ingestBlob(await openAsBlob(DATA + file), { fileName: file });
const hintOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as UserError).hint;
  }
  return undefined;
};
const rows = (t: Table) => Array.from({ length: t.nRows }, (_, i) => JSON.stringify(rowValues(t, i)));

describe('synthesizer registry', () => {
  it('registers copula, bayesnet, cart and transformer from their descriptors', () => {
    expect([...SYNTHESIZER_IDS]).toEqual(['copula', 'bayesnet', 'cart', 'transformer']);
    expect(ENGINE_DESCRIPTORS.map((d) => d.label)).toEqual(['Gaussian copula', 'Bayesian network', 'CART', 'Tabular transformer']);
    for (const id of SYNTHESIZER_IDS) expect(synthesizers[id].id).toBe(id);
    expect(descriptorOf('bayesnet').differentialPrivacy).toBe(true);
    expect(descriptorOf('cart').seedAffectsFit).toBe(false);
    expect(defaultOptions('cart')).toEqual({ rareCategoryThreshold: 5, redrawLeakedRows: true, redrawQuasiIdentifierMatches: false, allowOutOfBounds: false, minLeafSize: 5, smoothing: true });
    expect(defaultOptions('bayesnet')).not.toHaveProperty('epsilon'); // optional: off by default
    expect(defaultOptions('transformer')).toMatchObject({ epochs: 100, timeBudget: 150, size: 'auto', backend: 'auto' });
    expect(validateOptions('transformer', { size: 'small' })).toMatchObject({ size: 'small' });
    expect(() => validateOptions('transformer', { size: 'huge' })).toThrow(/one of auto, small, medium/);
  });

  it('validates options from the descriptors: types, whole numbers, bounds, epsilon only where private', () => {
    expect(validateOptions('cart', { minLeafSize: 3 })).toMatchObject({ minLeafSize: 3, smoothing: true, rareCategoryThreshold: 5 });
    expect(() => validateOptions('cart', { minLeafSize: 0 })).toThrow(UserError);
    expect(() => validateOptions('cart', { minLeafSize: 2.5 })).toThrow(/whole number/);
    expect(() => validateOptions('cart', { smoothing: 'yes' })).toThrow(/true or false/);
    expect(() => validateOptions('cart', { order: 'a,b' })).toThrow(/list of column names/);
    expect(() => validateOptions('copula', { rareCategoryThreshold: 0 })).toThrow(/at least 1/);
    expect(() => validateOptions('bayesnet', { epsilon: 0 })).toThrow(/at least 0.01/);
    expect(validateOptions('bayesnet', { epsilon: 2 })).toMatchObject({ epsilon: 2 });
    try {
      validateOptions('copula', { epsilon: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).hint).toMatch(/Bayesian network \(bayesnet\)/);
    }
  });

  it('warns before a fit that would take minutes, naming a faster engine', () => {
    const wide = { rows: 60, numericColumns: 4000, categoricalColumns: 1000, maxLevels: 4 };
    const small = { rows: 344, numericColumns: 5, categoricalColumns: 3, maxLevels: 3 };
    for (const id of SYNTHESIZER_IDS) expect(fitCostWarning(id, small)).toBeUndefined();
    const w = fitCostWarning('copula', wide);
    expect(w).toBeInstanceOf(UserError);
    expect(w!.message).toMatch(/~\d+(\.\d)? (minutes|hours) on this table/);
    expect(w!.hint).toMatch(/^Keep columns out, or use the .+ \((bayesnet|cart)/);
  });

  for (const id of ['copula', 'bayesnet', 'cart', 'transformer'] as const) {
    it(`${id}: loads lazily and fits a real table through the pipeline with the same guarantees`, async () => {
      const { table, schema } = await load('cars93.csv');
      const synth = await loadSynthesizer(id);
      expect(await loadSynthesizer(id)).toBe(synth); // loaded once
      const options: Record<string, unknown> = id === 'transformer' ? { epochs: 2 } : {}; // a short fit
      const model = await synth.fit(table, schema, options, { rng: new Rng(3) });
      const t = await model.sample(400, { seed: 5, conditions: { Type: { equals: 'Small' } } });
      expect(t.columns.map((c) => c.name)).toEqual(schema.columns.map((c) => c.name));
      const type = getColumn(t, 'Type') as CategoricalColumn;
      expect(new Set(Array.from(type.codes, (c) => type.levels[c]))).toEqual(new Set(['Small']));
      // Manufacturers seen fewer than 5 times never come out verbatim.
      const real = getColumn(table, 'Manufacturer') as CategoricalColumn;
      const counts = new Map<string, number>();
      for (const c of real.codes) counts.set(real.levels[c], (counts.get(real.levels[c]) ?? 0) + 1);
      const syn = getColumn(t, 'Manufacturer') as CategoricalColumn;
      for (const c of syn.codes) if (c >= 0) expect(counts.get(syn.levels[c]) ?? 99).toBeGreaterThanOrEqual(5);
      const again = await deserializeModel(structuredClone(model.serialize()));
      expect(rows(await again.sample(100, { seed: 2 }))).toEqual(rows(await model.sample(100, { seed: 2 })));
      // The compatibility object: a deserialized model loads its engine when it first samples.
      const compat = synthesizers[id].deserialize(structuredClone(model.serialize()));
      expect(rows(await compat.sample(100, { seed: 2 }))).toEqual(rows(await model.sample(100, { seed: 2 })));
      expect(compat.serialize().arrays).toEqual(model.serialize().arrays);
    });
  }
});

describe('a registry with a fake engine added', () => {
  const withFake = createRegistry([...ENGINE_DESCRIPTORS, fakeDescriptor]);

  it('shows it in the picker data, the defaults and validation', () => {
    expect(withFake.ids).toEqual(['copula', 'bayesnet', 'cart', 'transformer', 'fake']);
    expect(withFake.pickerEntries().at(-1)).toEqual({
      id: 'fake',
      label: 'Fake engine',
      description: fakeDescriptor.description,
      differentialPrivacy: false,
      seedAffectsFit: false,
    });
    expect(withFake.defaultOptions('fake')).toEqual({ rareCategoryThreshold: 5, redrawLeakedRows: true, redrawQuasiIdentifierMatches: false, allowOutOfBounds: false, wobble: 0.5, shuffleFirst: false });
    expect(withFake.validateOptions('fake', { wobble: 2 })).toMatchObject({ wobble: 2 });
    expect(() => withFake.validateOptions('fake', { wobble: 11 })).toThrow(/at most 10/);
    expect(() => withFake.validateOptions('fake', { epsilon: 1 })).toThrow(/no differential privacy/);
    expect(hintOf(() => withFake.descriptorOf('nope'))).toMatch(/copula, bayesnet, cart, transformer, fake/);
    // The shipped registry does not know it.
    expect(registry.isId('fake')).toBe(false);
    expect(withFake.estimateFitSeconds('fake', { rows: 100, numericColumns: 5, categoricalColumns: 5, maxLevels: 3 })).toBeCloseTo(1);
  });

  it('shows it in the CLI usage text and parses its flags', () => {
    const usage = synthUsage(withFake);
    expect(usage).toMatch(/--model copula\|bayesnet\|cart\|transformer\|fake/);
    expect(usage).toMatch(/Fake engine \(--model fake\): Draws each column/);
    expect(usage).toMatch(/--wobble X +Noise added to numeric values \(default 0.5; >= 0, <= 10\)/);
    expect(usage).toMatch(/--shuffle-first +Shuffle the first column \(off by default; this flag turns it on\)/);
    expect(usage).toMatch(/--min-leaf N/);
    expect(usage).toMatch(/--no-smoothing/);
    expect(usage).toMatch(/--order a,b,c/);
    expect(usage).toMatch(/--epsilon X/);
    expect(engineOptions(withFake, 'fake', new Map<string, string | true>([['wobble', '3'], ['shuffle-first', true], ['rare', '2']]))).toMatchObject({
      wobble: 3,
      shuffleFirst: true,
      rareCategoryThreshold: 2,
    });
    expect(() => engineOptions(withFake, 'fake', new Map([['min-leaf', '3']]))).toThrow(/not an option of the Fake engine synthesizer/);
    expect(() => engineOptions(withFake, 'fake', new Map([['wobble', 'lots']]))).toThrow(/needs a number/);
  });

  it('fits and samples it through the pipeline, and reads its models back', async () => {
    const { table, schema } = await load('cars93.csv');
    expect(withFake.fitCostWarning('fake', tableShape(table, schema))).toBeUndefined();
    const synth = await withFake.loadSynthesizer('fake');
    const model = await synth.fit(table, schema, withFake.validateOptions('fake', { wobble: 0 }), { rng: new Rng(1) });
    expect(model.synthesizer).toBe('fake');
    const t = await model.sample(200, { seed: 3, conditions: { Type: { equals: 'Small' } } });
    expect(t.nRows).toBe(200);
    const type = getColumn(t, 'Type') as CategoricalColumn;
    expect(new Set(Array.from(type.codes, (c) => type.levels[c]))).toEqual(new Set(['Small'])); // the pipeline's checks
    const price = (getColumn(t, 'Price') as NumericColumn).values;
    const real = (getColumn(table, 'Price') as NumericColumn).values;
    expect(Math.min(...price)).toBeGreaterThanOrEqual(Math.min(...real)); // the pipeline's bounds
    const s = model.serialize();
    expect(Object.values(s.arrays).some((a) => a instanceof Float32Array)).toBe(true);
    const back = await withFake.deserializeModel(structuredClone(s));
    expect(rows(await back.sample(50, { seed: 9 }))).toEqual(rows(await model.sample(50, { seed: 9 })));
  });
});
