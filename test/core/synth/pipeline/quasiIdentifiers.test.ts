import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random/rng';
import type { Schema } from '../../../../src/core/schema/schema';
import { COMMON_OPTIONS, flagOf } from '../../../../src/core/synth/descriptor';
import type { Engine, EngineColumns, EngineModel, PreparedTable } from '../../../../src/core/synth/engine';
import { createSynthesizer } from '../../../../src/core/synth/pipeline';
import { fitQuasiIdentifierGuard } from '../../../../src/core/synth/pipeline/quasiIdentifiers';
import { defaultOptions } from '../../../../src/core/synth/registry';
import { categoricalColumn, numericColumn, type CategoricalColumn, type NumericColumn, type Table } from '../../../../src/core/table/table';

/**
 * An engine that memorises the quasi-identifiers: each drawn row copies a training row's columns but draws
 * `score` afresh, so it is no copy of a row (the leaked-row redraw does not see it) yet it singles out the
 * person whose age, sex and zip it copied.
 */
function copierModel(cols: (Float64Array | Int32Array)[], score: number, nRows: number): EngineModel {
  return {
    async sample(n: number, rng: Rng): Promise<EngineColumns> {
      const out = cols.map((c) => (c instanceof Float64Array ? new Float64Array(n) : new Int32Array(n)));
      for (let i = 0; i < n; i++) {
        const r = rng.int(nRows);
        for (let c = 0; c < cols.length; c++) out[c][i] = c === score ? rng.uniform(0, 100) : cols[c][r];
      }
      return out;
    },
    serialize: () => ({ meta: { score, nRows, n: cols.length }, arrays: Object.fromEntries(cols.map((c, i) => [`c${i}`, c])) }),
  };
}

const qiCopier: Engine = {
  id: 'copula',
  async fit(data: PreparedTable) {
    const cols = data.columns.map((c) => (c.type === 'numeric' ? c.values.slice() : c.codes.slice()));
    return copierModel(cols, data.columns.findIndex((c) => c.name === 'score'), data.nRows);
  },
  deserialize: (meta, arrays) => {
    const m = meta as { score: number; nRows: number; n: number };
    return copierModel(Array.from({ length: m.n }, (_, i) => arrays[`c${i}`] as Float64Array | Int32Array), m.score, m.nRows);
  },
};

/** 400 people: age 18-90, sex, one of 30 zip codes (most combinations unique), and a score. */
function people(): { table: Table; schema: Schema } {
  const n = 400;
  const rng = new Rng(9);
  const age = new Float64Array(n), score = new Float64Array(n), sex = new Int32Array(n), zip = new Int32Array(n);
  const zips = Array.from({ length: 30 }, (_, i) => `Z${100 + i}`);
  for (let i = 0; i < n; i++) {
    age[i] = 18 + rng.int(73);
    sex[i] = rng.int(2);
    // the first 20 zips are common, the rest rarer (never under 5 rows, so not pooled)
    zip[i] = rng.next() < 0.75 ? rng.int(20) : 20 + rng.int(10);
    score[i] = rng.uniform(0, 100);
  }
  const table: Table = {
    nRows: n,
    columns: [numericColumn('age', age), categoricalColumn('sex', sex, ['F', 'M']), categoricalColumn('zip', zip, zips), numericColumn('score', score)],
  };
  const schema: Schema = {
    columns: [
      { name: 'age', kind: 'integer', role: 'synthesize', pii: [] },
      { name: 'sex', kind: 'categorical', role: 'synthesize', pii: [] },
      { name: 'zip', kind: 'categorical', role: 'synthesize', pii: [] },
      { name: 'score', kind: 'numeric', role: 'synthesize', pii: [] },
    ],
  };
  return { table, schema };
}

/** Rows of `t` whose (age, sex, zip) match a row of `train` unique on them. */
function qiMatches(train: Table, t: Table): number {
  const key = (x: Table, i: number) => {
    const [a, s, z] = x.columns as [NumericColumn, CategoricalColumn, CategoricalColumn];
    return `${a.values[i]}|${s.levels[s.codes[i]]}|${z.levels[z.codes[i]]}`;
  };
  const counts = new Map<string, number>();
  for (let i = 0; i < train.nRows; i++) counts.set(key(train, i), (counts.get(key(train, i)) ?? 0) + 1);
  let m = 0;
  for (let i = 0; i < t.nRows; i++) if (counts.get(key(t, i)) === 1) m++;
  return m;
}

describe('quasi-identifier excess redraw (redrawQuasiIdentifierMatches)', () => {
  it('estimates the chance rate leave-one-out: 2 × combinations seen twice / rows', () => {
    const prepared: PreparedTable = {
      nRows: 5,
      columns: [
        { type: 'numeric', name: 'age', kind: 'integer', values: Float64Array.from([30, 30, 40, 50, 60]), min: 30, max: 60 },
        { type: 'categorical', name: 'sex', kind: 'categorical', codes: Int32Array.from([0, 0, 1, 1, 0]), nLevels: 2 },
        { type: 'numeric', name: 'income', kind: 'numeric', values: Float64Array.from([1, 2, 3, 4, 5]), min: 1, max: 5 },
      ],
    };
    const schema: Schema = { columns: prepared.columns.map((c) => ({ name: c.name, kind: c.kind, role: 'synthesize', pii: [] })) };
    const fitted = fitQuasiIdentifierGuard(prepared, schema)!;
    expect(fitted.guard.columns).toEqual([0, 1]); // age and sex, not income
    expect(fitted.guard.chanceRate).toBeCloseTo(2 / 5); // (30, F) twice
    expect(fitted.hashes.length).toBe(3); // (40, M), (50, M), (60, F)
    // one quasi-identifier alone is no combination
    expect(fitQuasiIdentifierGuard({ ...prepared, columns: prepared.columns.slice(1) }, schema)).toBeNull();
  });

  it('is an option of every engine, off by default, with the CLI flag --redraw-qi', () => {
    const field = COMMON_OPTIONS.find((f) => f.key === 'redrawQuasiIdentifierMatches')!;
    expect(field.kind).toBe('boolean');
    expect(field.advanced).toBeFalsy();
    expect(flagOf(field)).toBe('redraw-qi');
    expect(defaultOptions('cart').redrawQuasiIdentifierMatches).toBe(false);
  });

  it('redraws only the excess of matches over the chance rate, counts them, and keeps working after a round trip', async () => {
    const { table, schema } = people();
    const synth = createSynthesizer(qiCopier);
    const n = 1000;

    const off = await synth.fit(table, schema, {}, { rng: new Rng(1) });
    const free = await off.sample(n, { seed: 3 });
    const freeMatches = qiMatches(table, free);
    expect(off.stats.redrawnQuasiIdentifierRows).toBeUndefined();

    const on = await synth.fit(table, schema, { redrawQuasiIdentifierMatches: true }, { rng: new Rng(1) });
    const chance = (on.serialize().meta as { quasiIdentifiers: { chanceRate: number } }).quasiIdentifiers.chanceRate;
    expect(chance).toBeGreaterThan(0);
    expect(chance).toBeLessThan(0.5);
    // the copier matches far more often than chance
    expect(freeMatches / n).toBeGreaterThan(chance + 0.2);

    const guarded = await on.sample(n, { seed: 3 });
    const matches = qiMatches(table, guarded);
    expect(guarded.nRows).toBe(n);
    // the excess is gone, and the chance share is kept (not every match is redrawn)
    expect(matches).toBeLessThanOrEqual(Math.floor(chance * n) + 1);
    expect(matches).toBeGreaterThanOrEqual(Math.floor(chance * n) - 1);
    expect(on.stats.redrawnQuasiIdentifierRows).toBeGreaterThan(freeMatches - matches - 100);
    expect(on.stats.redrawnQuasiIdentifierRows).toBeGreaterThan(0);

    // same seed, same rows; the stored model keeps the guard
    expect(qiMatches(table, await on.sample(n, { seed: 3 }))).toBe(matches);
    const stored = on.serialize();
    expect(stored.arrays['pipeline:qiUniqueHashes']).toBeInstanceOf(Float64Array);
    expect((stored.meta as { options: { redrawQuasiIdentifierMatches: boolean } }).options.redrawQuasiIdentifierMatches).toBe(true);
    const copy = synth.deserialize(structuredClone(stored));
    expect(qiMatches(table, await copy.sample(n, { seed: 3 }))).toBe(matches);
    expect(copy.stats.redrawnQuasiIdentifierRows).toBe(on.stats.redrawnQuasiIdentifierRows);
  });
});
