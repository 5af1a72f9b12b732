import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random/rng';
import { cartEngine } from '../../../../src/core/synth/cart/index';
import { createSynthesizer } from '../../../../src/core/synth/pipeline';
import { categoricalColumn, getColumn, numericColumn, rowValues, type CategoricalColumn, type NumericColumn, type Table } from '../../../../src/core/table/table';
import type { Schema } from '../../../../src/core/schema/schema';
import { loadSynthesizer } from '../../../../src/core/synth/registry';
import type { CommonOptions, Synthesizer } from '../../../../src/core/synth/types';
import type { CartOptions } from '../../../../src/core/synth/cart/index';
import { loadCsv } from '../pipeline/loadCsv';

const rowKeys = (t: Table) => Array.from({ length: t.nRows }, (_, i) => JSON.stringify(rowValues(t, i)));

describe('CART through the synthesis pipeline', () => {
  it('draws whole integers in range, honours conditions, never copies a unique training row, and round-trips', async () => {
    const { table, schema } = loadCsv('penguins.csv');
    const synth = createSynthesizer(cartEngine);
    const model = await synth.fit(table, schema, { minLeafSize: 5 }, { rng: new Rng(1) });
    const t = await model.sample(3000, { seed: 4 });

    const mass = (getColumn(t, 'body_mass_g') as NumericColumn).values.filter((v) => !Number.isNaN(v));
    expect(mass.every(Number.isInteger)).toBe(true);
    expect(Math.min(...mass)).toBeGreaterThanOrEqual(2700);
    expect(Math.max(...mass)).toBeLessThanOrEqual(6300);

    // rows unique in training never come out verbatim (the pipeline redraws them)
    const counts = new Map<string, number>();
    for (const k of rowKeys(table)) counts.set(k, (counts.get(k) ?? 0) + 1);
    const copies = rowKeys(t).filter((k) => counts.get(k) === 1).length;
    expect(copies).toBe(0);
    expect(model.stats.redrawnLeakedRows).toBeGreaterThanOrEqual(0);

    const gentoo = await model.sample(500, { seed: 5, conditions: { species: { equals: 'Gentoo' }, flipper_length_mm: { min: 215, max: 225 } } });
    const sp = getColumn(gentoo, 'species') as CategoricalColumn;
    expect(Array.from(sp.codes).every((c) => sp.levels[c] === 'Gentoo')).toBe(true);
    const fl = (getColumn(gentoo, 'flipper_length_mm') as NumericColumn).values;
    expect(Array.from(fl).every((v) => v >= 215 && v <= 225)).toBe(true);

    const copy = synth.deserialize(structuredClone(model.serialize()));
    expect(rowKeys(await copy.sample(400, { seed: 9 }))).toEqual(rowKeys(await model.sample(400, { seed: 9 })));
  });
});

describe('CART column order over columns the pipeline draws itself', () => {
  // x and g vary; c is constant, m all missing, r has only rare categories (pooled into one: constant).
  function awkwardTable(): { table: Table; schema: Schema } {
    const n = 60;
    const x = new Float64Array(n), m = new Float64Array(n).fill(NaN);
    const g = new Int32Array(n), c = new Int32Array(n), r = new Int32Array(n);
    const rLevels: string[] = [];
    for (let i = 0; i < n; i++) {
      x[i] = (i * 7) % 23;
      g[i] = i % 3;
      r[i] = i;
      rLevels.push(`person ${i}`);
    }
    const table: Table = {
      nRows: n,
      columns: [
        numericColumn('x', x),
        categoricalColumn('c', c, ['same']),
        numericColumn('m', m),
        categoricalColumn('g', g, ['a', 'b', 'c']),
        categoricalColumn('r', r, rLevels),
      ],
    };
    const schema: Schema = {
      columns: [
        { name: 'x', kind: 'numeric', role: 'synthesize', pii: [] },
        { name: 'c', kind: 'categorical', role: 'synthesize', pii: [] },
        { name: 'm', kind: 'numeric', role: 'synthesize', pii: [] },
        { name: 'g', kind: 'categorical', role: 'synthesize', pii: [] },
        { name: 'r', kind: 'categorical', role: 'synthesize', pii: [] },
      ],
    };
    return { table, schema };
  }

  it('fits with an order naming every column (as the app sends it), keeping the relative order of the engine columns', async () => {
    const { table, schema } = awkwardTable();
    for (const synth of [(await loadSynthesizer('cart')) as unknown as Synthesizer<CartOptions & CommonOptions>, createSynthesizer(cartEngine)]) {
      const model = await synth.fit(table, schema, { order: ['r', 'g', 'm', 'c', 'x'] }, { rng: new Rng(1) });
      const engineOrder = (model.serialize().meta as { engineMeta: { order: number[] } }).engineMeta.order;
      // engine columns are x (0) and g (1): the user's order puts g first
      expect(engineOrder).toEqual([1, 0]);
      const t = await model.sample(50, { seed: 3 });
      expect(t.columns.map((col) => col.name)).toEqual(['x', 'c', 'm', 'g', 'r']);
      const cc = getColumn(t, 'c') as CategoricalColumn;
      expect(Array.from(cc.codes).every((k) => cc.levels[k] === 'same')).toBe(true);
    }
  });

  it('appends engine columns the order leaves out, and still rejects a name that is no column at all', async () => {
    const { table, schema } = awkwardTable();
    const synth = (await loadSynthesizer('cart')) as unknown as Synthesizer<CartOptions & CommonOptions>;
    const model = await synth.fit(table, schema, { order: ['c'] }, { rng: new Rng(1) });
    expect((model.serialize().meta as { engineMeta: { order: number[] } }).engineMeta.order).toEqual([0, 1]);
    await expect(synth.fit(table, schema, { order: ['g', 'nope'] }, { rng: new Rng(1) })).rejects.toThrow(/"nope", which is not a column of the table/);
  });
});
