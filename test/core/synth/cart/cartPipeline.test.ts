import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random/rng';
import { cartEngine } from '../../../../src/core/synth/cart/index';
import { createSynthesizer } from '../../../../src/core/synth/pipeline';
import { getColumn, rowValues, type CategoricalColumn, type NumericColumn, type Table } from '../../../../src/core/table/table';
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
