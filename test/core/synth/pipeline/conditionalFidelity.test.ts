import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random/rng';
import { loadSynthesizer } from '../../../../src/core/synth/registry';
import type { NumericColumn, Table } from '../../../../src/core/table/table';
import { planted } from '../../rules/planted';

const values = (t: Table, name: string) => (t.columns.find((c) => c.name === name) as NumericColumn).values;
const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;

/**
 * A condition on the last column (size) must reach the columns drawn before it (price): conditioned on
 * large sizes, the rows get the high prices real large rows have (not the unconditional prices).
 */
describe('conditions that respect the joint distribution', () => {
  for (const id of ['copula', 'bayesnet', 'cart', 'transformer'] as const) {
    it(`${id}: a condition on a late column moves the earlier ones`, async () => {
      const { table, schema } = await planted(1500);
      const size = values(table, 'size'), price = values(table, 'price');
      const cut = Float64Array.from(size).sort()[Math.floor(0.9 * size.length)];
      const rows = [...size.keys()].filter((i) => size[i] >= cut);
      const realMean = rows.reduce((s, i) => s + price[i], 0) / rows.length;
      const allMean = mean(price);
      const options: Record<string, unknown> = id === 'transformer' ? { epochs: 40, timeBudget: 90, size: 'small' } : {}; // bounded: ~800 steps
      const model = await (await loadSynthesizer(id)).fit(table, schema, options, { rng: new Rng(2) });
      const out = await model.sample(1000, { seed: 3, conditions: { size: { min: cut } } });
      expect(Math.min(...values(out, 'size'))).toBeGreaterThanOrEqual(cut);
      const synMean = mean(values(out, 'price'));
      // Most of the way from the unconditional mean to the conditional one.
      expect((synMean - allMean) / (realMean - allMean)).toBeGreaterThan(0.8);
    }, 120_000);
  }
});
