import { openAsBlob } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random/rng';
import { ingestBlob } from '../../../src/core/ingest';
import { deserializeModel, SYNTHESIZER_IDS, synthesizers } from '../../../src/core/synth/registry';
import { getColumn, rowValues, type CategoricalColumn, type Table } from '../../../src/core/table/table';

const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const load = async (file: string) => ingestBlob(await openAsBlob(DATA + file), { fileName: file });
const rows = (t: Table) => Array.from({ length: t.nRows }, (_, i) => JSON.stringify(rowValues(t, i)));

describe('synthesizer registry', () => {
  it('registers copula, bayesnet and cart', () => {
    expect(SYNTHESIZER_IDS.sort()).toEqual(['bayesnet', 'cart', 'copula']);
    for (const id of SYNTHESIZER_IDS) expect(synthesizers[id].id).toBe(id);
  });

  for (const id of ['copula', 'bayesnet', 'cart'] as const) {
    it(`${id}: fits a real table through the pipeline with the same guarantees`, async () => {
      const { table, schema } = await load('cars93.csv');
      const model = await synthesizers[id].fit(table, schema, {}, { rng: new Rng(3) });
      const t = model.sample(400, { seed: 5, conditions: { Type: { equals: 'Small' } } });
      expect(t.columns.map((c) => c.name)).toEqual(schema.columns.map((c) => c.name));
      const type = getColumn(t, 'Type') as CategoricalColumn;
      expect(new Set(Array.from(type.codes, (c) => type.levels[c]))).toEqual(new Set(['Small']));
      // Manufacturers seen fewer than 5 times never come out verbatim.
      const real = getColumn(table, 'Manufacturer') as CategoricalColumn;
      const counts = new Map<string, number>();
      for (const c of real.codes) counts.set(real.levels[c], (counts.get(real.levels[c]) ?? 0) + 1);
      const syn = getColumn(t, 'Manufacturer') as CategoricalColumn;
      for (const c of syn.codes) if (c >= 0) expect(counts.get(syn.levels[c]) ?? 99).toBeGreaterThanOrEqual(5);
      const again = deserializeModel(structuredClone(model.serialize()));
      expect(rows(again.sample(100, { seed: 2 }))).toEqual(rows(model.sample(100, { seed: 2 })));
    });
  }
});
