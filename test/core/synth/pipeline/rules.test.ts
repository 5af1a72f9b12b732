import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random/rng';
import { countRule, discoverRules, parseRule } from '../../../../src/core/rules';
import type { Schema } from '../../../../src/core/schema/schema';
import { loadSynthesizer } from '../../../../src/core/synth/registry';
import type { CategoricalColumn, NumericColumn, Table } from '../../../../src/core/table/table';
import { planted } from '../../rules/planted';

const ENGINES = ['copula', 'bayesnet', 'cart'] as const;
const PLANTED = ['fixed: city, country', 'end >= start', 'missing(chapter) == (death = 0)', 'total = a + b'];

function obeyAll(texts: string[], out: Table, train: Table, schema: Schema): void {
  for (const text of texts) {
    const c = countRule(parseRule(text), out, train, schema);
    expect(c.applies, text).toBeGreaterThan(0);
    expect(c.obeyed, text).toBe(c.applies);
  }
}

describe('rules kept by every synthesizer', () => {
  for (const id of ENGINES) {
    it(`${id}: keeps each planted rule (found) in 100% of rows, after a save and a reload too`, async () => {
      const { table, schema } = await planted(600);
      const synth = await loadSynthesizer(id);
      const model = await synth.fit(table, schema, {}, { rng: new Rng(5) });
      expect(model.stats.keptRules?.map((k) => k.rule).sort()).toEqual([...PLANTED].sort());
      const out = await model.sample(3000, { seed: 9 });
      obeyAll(PLANTED, out, table, schema);
      // The rules are built in: few rows (if any) are redrawn.
      expect(model.stats.redrawnRuleRows ?? 0).toBeLessThan(300);
      const again = synth.deserialize(structuredClone(model.serialize()));
      const out2 = await again.sample(1000, { seed: 9 });
      obeyAll(PLANTED, out2, table, schema);
      // Dates still spread: not every end equals its start.
      const s = out.columns.find((c) => c.name === 'start') as NumericColumn;
      const e = out.columns.find((c) => c.name === 'end') as NumericColumn;
      let later = 0;
      for (let i = 0; i < out.nRows; i++) if (e.values[i] > s.values[i]) later++;
      expect(later / out.nRows).toBeGreaterThan(0.5);
    });
  }

  it('transformer: keeps each planted rule too (the pipeline builds them in for any engine)', async () => {
    const { table, schema } = await planted(400);
    const model = await (await loadSynthesizer('transformer')).fit(table, schema, { epochs: 2 } as never, { rng: new Rng(5) });
    expect(model.stats.keptRules?.map((k) => k.rule).sort()).toEqual([...PLANTED].sort());
    obeyAll(PLANTED, await model.sample(600, { seed: 9 }), table, schema);
  }, 120_000);

  it('keeps declared rules, with --rules none dropping the found ones, and conditions on a joint column', async () => {
    const { table, schema } = await planted(600);
    const declared: Schema = { ...schema, rules: { declared: ['end >= start + 3', 'fixed: city, country'] } };
    // end >= start + 3 does not hold in training: it is kept by construction all the same.
    const synth = await loadSynthesizer('copula');
    const model = await synth.fit(table, declared, { rules: 'none' }, { rng: new Rng(1) });
    expect(model.stats.keptRules).toEqual([
      { rule: 'end >= start + 3', source: 'declared' },
      { rule: 'fixed: city, country', source: 'declared' },
    ]);
    const out = await model.sample(2000, { seed: 2, conditions: { country: { equals: 'Italy' } } });
    obeyAll(['end >= start + 3', 'fixed: city, country'], out, table, schema);
    const city = out.columns.find((c) => c.name === 'city') as CategoricalColumn;
    const cities = new Set(Array.from(city.codes, (k) => city.levels[k]));
    expect([...cities].sort()).toEqual(['Milan', 'Rome', 'Turin']);
    // Without the found rules, the sum is not kept.
    expect(countRule(parseRule('total = a + b'), out, table, schema).obeyed).toBeLessThan(out.nRows);
  });

  it('conditions on a gated or rebuilt column keep every rule (chapter asked for: only deaths; end in a month)', async () => {
    const { table, schema } = await planted(800);
    const lo = Date.UTC(2021, 5, 1), hi = Date.UTC(2021, 6, 1);
    for (const id of ENGINES) {
      const model = await (await loadSynthesizer(id)).fit(table, schema, {}, { rng: new Rng(1) });
      const out = await model.sample(1000, { seed: 2, conditions: { chapter: { equals: 'IX' }, end: { min: lo, max: hi } } });
      obeyAll(PLANTED, out, table, schema);
      const death = out.columns.find((c) => c.name === 'death') as NumericColumn;
      expect(death.values.every((v) => v === 1), id).toBe(true);
      const end = out.columns.find((c) => c.name === 'end') as NumericColumn;
      expect(end.values.every((v) => v >= lo && v <= hi), id).toBe(true);
    }
  });

  it('refuses an unknown column or contradicting rules before fitting', async () => {
    const { table, schema } = await planted(200);
    const synth = await loadSynthesizer('copula');
    await expect(synth.fit(table, { ...schema, rules: { declared: ['ends >= start'] } }, {}, { rng: new Rng(1) })).rejects.toThrow(/"ends", which is not a column/);
    await expect(synth.fit(table, { ...schema, rules: { declared: ['end >= start + 1', 'start >= end'] } }, {}, { rng: new Rng(1) })).rejects.toThrow(/contradict/);
  });

  it('keeps rules found in the shared tables (cars93: Min.Price <= Price <= Max.Price; survey: M.I missing with Height)', async () => {
    const { ingestBlob } = await import('../../../../src/core/ingest/ingest');
    const { openAsBlob } = await import('node:fs');
    const { DATA_DIR } = await import('../../../fixtures/dataDir');
    for (const [file, expected] of [['cars93', 'Price >= Min.Price'], ['survey', 'missing(M.I) == missing(Height)']]) {
      const r = await ingestBlob(await openAsBlob(`${DATA_DIR}/${file}.csv`), { fileName: `${file}.csv` });
      const found = discoverRules(r.table, r.schema).filter((f) => f.exact);
      expect(found.map((f) => f.text)).toContain(expected);
      for (const id of ENGINES) {
        const model = await (await loadSynthesizer(id)).fit(r.table, r.schema, {}, { rng: new Rng(3) });
        const out = await model.sample(500, { seed: 4 });
        obeyAll(found.map((f) => f.text), out, r.table, r.schema);
      }
    }
  });
});

describe('rules with pooled rare categories', () => {
  it('keeps a fixed combination when rare cities are pooled, and the check ignores the pooled label', async () => {
    const { table, schema } = await planted(600);
    // Pool every city seen fewer than 60 times: some cities become "(rare)", with their countries kept.
    const model = await (await loadSynthesizer('copula')).fit(table, schema, { rareCategoryThreshold: 60 }, { rng: new Rng(1) });
    const out = await model.sample(2000, { seed: 1 });
    const city = out.columns.find((c) => c.name === 'city') as CategoricalColumn;
    expect(city.levels.some((l) => l.startsWith('(rare'))).toBe(true);
    const c = countRule(parseRule('fixed: city, country'), out, table, schema);
    expect(c.obeyed).toBe(c.applies);
    expect(c.applies).toBeGreaterThan(0);
  });
});
