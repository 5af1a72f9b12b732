import { describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../../../src/core/context';
import { Rng } from '../../../../src/core/random/rng';
import type { Schema } from '../../../../src/core/schema/schema';
import { createSynthesizer } from '../../../../src/core/synth/pipeline';
import { categoricalFromStrings, getColumn, makeTable, numericColumn, rowValues, type CategoricalColumn, type NumericColumn, type Table } from '../../../../src/core/table/table';
import { loadCsv } from './loadCsv';
import { marginalEngine } from './marginalEngine';

const ctx = () => ({ rng: new Rng(1) });
const penguins = loadCsv('penguins.csv');
const num = (t: Table, name: string) => (getColumn(t, name) as NumericColumn).values;
const cat = (t: Table, name: string) => getColumn(t, name) as CategoricalColumn;
const strings = (t: Table, name: string) => Array.from(cat(t, name).codes, (c) => (c < 0 ? null : cat(t, name).levels[c]));
const rows = (t: Table) => Array.from({ length: t.nRows }, (_, i) => JSON.stringify(rowValues(t, i)));

describe('synthesis pipeline', () => {
  it('gives the same rows for the same seed, other rows for another seed, and survives a serialize round trip', async () => {
    const synth = createSynthesizer(marginalEngine(0.5));
    const model = await synth.fit(penguins.table, penguins.schema, {}, ctx());
    const a = await model.sample(300, { seed: 7 });
    const b = await model.sample(300, { seed: 7 });
    const c = await model.sample(300, { seed: 8 });
    expect(rows(a)).toEqual(rows(b));
    expect(rows(a)).not.toEqual(rows(c));
    const s = model.serialize();
    for (const arr of Object.values(s.arrays)) expect(ArrayBuffer.isView(arr)).toBe(true);
    const copy = synth.deserialize(structuredClone(s));
    expect(rows(await copy.sample(300, { seed: 7 }))).toEqual(rows(a));
    expect(copy.schema).toEqual(model.schema);
  });

  it('keeps values within the real bounds and integers whole, unless out-of-bounds values are allowed', async () => {
    const synth = createSynthesizer(marginalEngine(400));
    const model = await synth.fit(penguins.table, penguins.schema, {}, ctx());
    const t = await model.sample(2000, { seed: 1 });
    const real = num(penguins.table, 'body_mass_g').filter((x) => !Number.isNaN(x));
    const syn = num(t, 'body_mass_g').filter((x) => !Number.isNaN(x));
    expect(Math.min(...syn)).toBeGreaterThanOrEqual(Math.min(...real));
    expect(Math.max(...syn)).toBeLessThanOrEqual(Math.max(...real));
    expect(syn.every(Number.isInteger)).toBe(true);
    const free = await synth.fit(penguins.table, penguins.schema, { allowOutOfBounds: true }, ctx());
    const out = num(await free.sample(2000, { seed: 1 }), 'body_mass_g').filter((x) => !Number.isNaN(x));
    expect(Math.max(...out)).toBeGreaterThan(Math.max(...real));
    expect(out.every(Number.isInteger)).toBe(true);
  });

  it('keeps missing values missing at about the real rate', async () => {
    const survey = loadCsv('survey.csv');
    const model = await createSynthesizer(marginalEngine()).fit(survey.table, survey.schema, {}, ctx());
    const t = await model.sample(5000, { seed: 3 });
    const share = (v: Float64Array) => v.filter(Number.isNaN).length / v.length;
    expect(share(num(t, 'Pulse'))).toBeCloseTo(share(num(survey.table, 'Pulse')), 1);
    expect(share(num(t, 'Pulse'))).toBeGreaterThan(0);
  });

  it('rounds datetimes to the unit seen in training and keeps them in range', async () => {
    const n = 200;
    const day = 86_400_000;
    const dates = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + (i % 50) * day);
    const table = makeTable([numericColumn('when', dates), categoricalFromStrings('g', Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b')))]);
    const schema: Schema = { columns: [{ name: 'when', kind: 'datetime', role: 'synthesize', pii: [] }, { name: 'g', kind: 'categorical', role: 'synthesize', pii: [] }] };
    const model = await createSynthesizer(marginalEngine(3 * 3_600_000)).fit(table, schema, {}, ctx());
    const t = num(await model.sample(500, { seed: 2 }), 'when');
    expect(t.every((x) => x % day === 0)).toBe(true);
    expect(Math.min(...t)).toBeGreaterThanOrEqual(dates[0]);
    expect(Math.max(...t)).toBeLessThanOrEqual(dates[49]);
  });

  it('omits keep-out columns, emits fresh unique keys in the source style, and keeps boolean tokens', async () => {
    const n = 300;
    const table = makeTable([
      categoricalFromStrings('id', Array.from({ length: n }, (_, i) => `CUS-${String(i * 7).padStart(6, '0')}`)),
      numericColumn('num', Float64Array.from({ length: n }, (_, i) => 1000 + i)),
      categoricalFromStrings('uuid', Array.from({ length: n }, (_, i) => `0b0c${String(i).padStart(4, '0')}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`)),
      categoricalFromStrings('email', Array.from({ length: n }, (_, i) => `p${i}@x.org`)),
      categoricalFromStrings('member', Array.from({ length: n }, (_, i) => (i < 2 ? 'Yes' : 'No'))),
      numericColumn('x', Float64Array.from({ length: n }, (_, i) => i % 10)),
    ]);
    const col = (name: string, kind: Schema['columns'][number]['kind'], role: Schema['columns'][number]['role']) => ({ name, kind, role, pii: [] });
    const schema: Schema = {
      columns: [col('id', 'id', 'generate-key'), col('num', 'integer', 'generate-key'), col('uuid', 'id', 'generate-key'), col('email', 'text', 'keep-out'), col('member', 'boolean', 'synthesize'), col('x', 'integer', 'synthesize')],
    };
    const model = await createSynthesizer(marginalEngine()).fit(table, schema, {}, ctx());
    const t = await model.sample(1000, { seed: 5 });
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'num', 'uuid', 'member', 'x']);
    expect(model.schema.columns.map((c) => c.name)).toEqual(['id', 'num', 'uuid', 'member', 'x']);
    const ids = strings(t, 'id');
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((s) => /^CUS-\d{6}$/.test(s!))).toBe(true);
    expect(new Set(num(t, 'num')).size).toBe(1000);
    expect(Array.from(num(t, 'num')).every(Number.isInteger)).toBe(true);
    const uuids = strings(t, 'uuid');
    expect(new Set(uuids).size).toBe(1000);
    expect(uuids.every((s) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(s!))).toBe(true);
    // A boolean seen only twice as "Yes" is not pooled: its tokens say nothing about a person.
    expect(new Set(strings(t, 'member'))).toEqual(new Set(['Yes', 'No']));
  });

  it('pools rare categories into one protected label, never emitting them verbatim, and counts them', async () => {
    const cars = loadCsv('cars93.csv');
    const manufacturers = cat(cars.table, 'Manufacturer');
    const counts = new Map<string, number>();
    for (const c of manufacturers.codes) counts.set(manufacturers.levels[c], (counts.get(manufacturers.levels[c]) ?? 0) + 1);
    const rare = [...counts].filter(([, k]) => k < 5).map(([l]) => l);
    expect(rare.length).toBeGreaterThan(5);
    const model = await createSynthesizer(marginalEngine()).fit(cars.table, cars.schema, {}, ctx());
    expect(model.stats.pooledCategories.Manufacturer).toBe(rare.length);
    const out = new Set(strings(await model.sample(3000, { seed: 4 }), 'Manufacturer'));
    for (const r of rare) expect(out.has(r)).toBe(false);
    expect(out.has(model.stats.pooledLabel)).toBe(true);
    const model2 = await createSynthesizer(marginalEngine()).fit(cars.table, cars.schema, { rareCategoryThreshold: 1 }, ctx());
    expect(model2.stats.pooledCategories.Manufacturer).toBeUndefined();
  });

  it('redraws rows that copy a training row unique in training, counts them, and can be told not to', async () => {
    const titanic = loadCsv('titanic.csv');
    const synth = createSynthesizer(marginalEngine());
    const seen = new Map<string, number>();
    for (const r of rows(titanic.table)) seen.set(r, (seen.get(r) ?? 0) + 1);
    const model = await synth.fit(titanic.table, titanic.schema, { copyRows: true }, ctx());
    const t = await model.sample(2000, { seed: 9 });
    // Only the excess over what a fresh sample copies (leave-one-out: 2·f2/n) is redrawn.
    const rate = (model.serialize().meta as { leakChanceRate?: number }).leakChanceRate ?? 0;
    let twice = 0;
    for (const c of seen.values()) if (c === 2) twice++;
    expect(rate).toBeCloseTo((2 * twice) / titanic.table.nRows, 12);
    expect(rate).toBeLessThan(0.5);
    expect(model.stats.redrawnLeakedRows).toBeGreaterThan(0);
    const redrawn = model.stats.redrawnLeakedRows;
    expect(rows(t).filter((r) => seen.get(r) === 1).length).toBeLessThanOrEqual(Math.ceil(rate * 2000) + 1);
    // Combinations common in training are legitimate and stay (the engine only copies training rows).
    expect(rows(t).filter((r) => seen.has(r)).length).toBe(2000);
    const leaky = await synth.fit(titanic.table, titanic.schema, { copyRows: true, redrawLeakedRows: false }, ctx());
    const t2 = await leaky.sample(2000, { seed: 9 });
    expect(leaky.stats.redrawnLeakedRows).toBe(0);
    expect(rows(t2).filter((r) => seen.get(r) === 1).length).toBeGreaterThan(100);
    // Samples bigger than one engine draw (65 536 rows) go through the same checks.
    const big = await model.sample(70_000, { seed: 4 });
    expect(big.nRows).toBe(70_000);
    expect(rows(big).filter((r) => seen.get(r) === 1).length).toBeLessThanOrEqual(Math.ceil(rate * 70_000) + 1);
    expect(rows(big).filter((r) => !seen.has(r))).toHaveLength(0);
    expect((await leaky.sample(70_000, { seed: 4 })).nRows).toBe(70_000);
    // The check survives serialization (fingerprints only, not rows).
    const copy = synth.deserialize(model.serialize());
    expect(rows(await copy.sample(2000, { seed: 9 }))).toEqual(rows(t));
    expect(copy.stats.redrawnLeakedRows).toBe(redrawn);
  });

  it('honours equality and range conditions, and explains impossible ones', async () => {
    const model = await createSynthesizer(marginalEngine(1)).fit(penguins.table, penguins.schema, {}, ctx());
    const t = await model.sample(500, { seed: 3, conditions: { species: { equals: 'Gentoo' }, island: { oneOf: ['Biscoe', 'Dream'] }, body_mass_g: { min: 4000, max: 5000 } } });
    expect(new Set(strings(t, 'species'))).toEqual(new Set(['Gentoo']));
    expect(strings(t, 'island').every((s) => s === 'Biscoe' || s === 'Dream')).toBe(true);
    expect(Array.from(num(t, 'body_mass_g')).every((x) => x >= 4000 && x <= 5000)).toBe(true);
    await expect(model.sample(10, { seed: 1, conditions: { species: { equals: 'Emperor' } } })).rejects.toThrow(UserError);
    await expect(model.sample(10, { seed: 1, conditions: { body_mass_g: { min: 9000 } } })).rejects.toThrow(UserError);
    await expect(model.sample(10, { seed: 1, conditions: { body_mass_g: { oneOf: [1] } } })).rejects.toThrow(UserError);
    await expect(model.sample(10, { seed: 1, conditions: { nope: { equals: 1 } } })).rejects.toThrow(UserError);
    // Conditions the independent engine almost never meets end with a clear error, not a hang.
    await expect(model.sample(50, { seed: 1, conditions: { bill_length_mm: { equals: 39.1 }, bill_depth_mm: { equals: 18.7 }, body_mass_g: { equals: 3750 } } })).rejects.toThrow(/too rare/);
  });

  it('refuses a one-row table or a table with nothing to synthesize, and handles a single-valued column', async () => {
    const synth = createSynthesizer(marginalEngine());
    const one = makeTable([numericColumn('x', Float64Array.of(1))]);
    const schema: Schema = { columns: [{ name: 'x', kind: 'numeric', role: 'synthesize', pii: [] }] };
    await expect(synth.fit(one, schema, {}, ctx())).rejects.toThrow(UserError);
    // An engine without differential privacy refuses epsilon rather than claiming it.
    await expect(synth.fit(penguins.table, penguins.schema, { epsilon: 1 } as object, ctx())).rejects.toThrow(/no differential privacy/);
    const two = makeTable([numericColumn('x', Float64Array.of(1, 2))]);
    await expect(synth.fit(two, { columns: [{ ...schema.columns[0], role: 'keep-out' }] }, {}, ctx())).rejects.toThrow(/No column/);
    const constant = makeTable([numericColumn('x', new Float64Array(50).fill(3)), categoricalFromStrings('y', Array.from({ length: 50 }, (_, i) => (i % 2 ? 'a' : 'b')))]);
    const cs: Schema = { columns: [{ name: 'x', kind: 'integer', role: 'synthesize', pii: [] }, { name: 'y', kind: 'categorical', role: 'synthesize', pii: [] }] };
    const m = await synth.fit(constant, cs, {}, ctx());
    const t = await m.sample(100, { seed: 1, conditions: { x: { equals: 3 } } });
    expect(Array.from(num(t, 'x')).every((x) => x === 3)).toBe(true);
    await expect(m.sample(10, { seed: 1, conditions: { x: { min: 4 } } })).rejects.toThrow(UserError);
    // Everything constant: no engine at all, still a model.
    const m2 = await synth.fit(constant, { columns: [cs.columns[0]] }, {}, ctx());
    expect((await m2.sample(5, { seed: 1 })).nRows).toBe(5);
    expect((await synth.deserialize(m2.serialize()).sample(3, { seed: 1 })).columns).toHaveLength(1);
  });

  it('reports progress, honours an aborted signal, and samples zero rows', async () => {
    const synth = createSynthesizer(marginalEngine());
    const seen: number[] = [];
    const model = await synth.fit(penguins.table, penguins.schema, {}, { rng: new Rng(1), onProgress: (p) => seen.push(p.fraction) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1])).toBe(true);
    const ac = new AbortController();
    ac.abort();
    await expect(synth.fit(penguins.table, penguins.schema, {}, { rng: new Rng(1), signal: ac.signal })).rejects.toThrow(CancelledError);
    await expect(model.sample(10, { seed: 1, signal: ac.signal })).rejects.toThrow(CancelledError);
    expect((await model.sample(0, { seed: 1 })).nRows).toBe(0);
  });

  it('samples in chunks: progress per chunk, the event loop served between chunks, cancel mid-sample', async () => {
    const synth = createSynthesizer(marginalEngine(0.5));
    const model = await synth.fit(penguins.table, penguins.schema, {}, ctx());
    const seen: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const t = await model.sample(200_000, { seed: 4, onProgress: (p) => seen.push(p.fraction) });
    clearInterval(timer);
    expect(t.nRows).toBe(200_000);
    expect(seen.length).toBeGreaterThanOrEqual(3); // 65,536-row chunks for 8 columns
    expect(seen.every((f, i) => i === 0 || f > seen[i - 1])).toBe(true);
    expect(seen.at(-1)).toBe(1);
    expect(ticks).toBeGreaterThan(0); // timers ran while it sampled
    // Same seed, same rows, chunks and all.
    expect(rows(await model.sample(200_000, { seed: 4 })).slice(-50)).toEqual(rows(t).slice(-50));

    const ac = new AbortController();
    const calls: number[] = [];
    const cancelled = model.sample(200_000, { seed: 4, signal: ac.signal, onProgress: (p) => { calls.push(p.fraction); ac.abort(); } });
    await expect(cancelled).rejects.toThrow(CancelledError);
    expect(calls).toHaveLength(1); // stopped after the first chunk
  });

  it('keeps Float32Array model arrays through serialize, structured clone and deserialize', async () => {
    const { fakeEngine } = await import('../fakeEngine/index');
    const synth = createSynthesizer(fakeEngine);
    const model = await synth.fit(penguins.table, penguins.schema, { wobble: 0.25 } as object, ctx());
    const s = model.serialize();
    const f32 = Object.values(s.arrays).filter((a) => a instanceof Float32Array);
    expect(f32.length).toBeGreaterThan(0);
    const copy = synth.deserialize(structuredClone(s));
    const again = copy.serialize();
    for (const [k, a] of Object.entries(s.arrays)) {
      expect(again.arrays[k].constructor).toBe(a.constructor);
      expect(Array.from(again.arrays[k])).toEqual(Array.from(a));
    }
    expect(rows(await copy.sample(300, { seed: 7 }))).toEqual(rows(await model.sample(300, { seed: 7 })));
  });
});
