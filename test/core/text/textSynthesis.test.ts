import { openAsBlob } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest';
import { Rng } from '../../../src/core/random/rng';
import type { Schema } from '../../../src/core/schema/schema';
import { registry } from '../../../src/core/synth/registry';
import { splitHoldout, applySplit } from '../../../src/core/table/split';
import { categoricalFromStrings, makeTable, type Table } from '../../../src/core/table/table';
import { columnTexts } from '../../../src/core/metrics/text';
import { textFidelity } from '../../../src/core/text/fidelity';
import { buildLeakGuard, LeakGuard } from '../../../src/core/text/leakGuard';
import { tokenize } from '../../../src/core/text/tokens';
import { trainWordModel, WordModel } from '../../../src/core/text/wordModel';
import type { TextGenerator, TextRequest } from '../../../src/core/text/generator';
import { ModelTextGenerator } from '../../../src/core/text/transformersText';

/**
 * Free text through the pipeline (role synthesize-text) on movie-notes.csv, a text table composed from
 * vega-datasets' movies (derivation in test/fixtures/text/make-movie-notes.mjs).
 */
const NOTES = resolve(__dirname, '../../fixtures/text/movie-notes.csv');
const MODELS = resolve(__dirname, '../../fixtures/models');
let train: Table, holdout: Table, schema: Schema;

beforeAll(async () => {
  const input = await ingestBlob(await openAsBlob(NOTES), { fileName: 'movie-notes.csv' });
  expect(input.schema.columns.find((c) => c.name === 'notes')?.kind).toBe('text');
  schema = { columns: input.schema.columns.map((c) => (c.name === 'notes' ? { ...c, role: 'synthesize-text' as const } : c)) };
  ({ train, holdout } = applySplit(input.table, splitHoldout(input.table.nRows, 0.2, 7)));
});

async function fitAndSample(tr: Table, sc: Schema, seed: number, textGenerator?: TextGenerator, n = tr.nRows) {
  const synth = await registry.loadSynthesizer('copula');
  const model = await synth.fit(tr, sc, {}, { rng: new Rng(seed) });
  const table = await model.sample(n, { seed, textGenerator });
  return { model, table };
}

describe('text fallback through the pipeline (no model)', () => {
  it('meets the bar: present where real texts are, varied, real-like length, no id copied, no unique 8-gram', async () => {
    const { table, model } = await fitAndSample(train, schema, 11);
    const real = columnTexts(train, 'notes')!, syn = columnTexts(table, 'notes')!;
    const f = textFidelity('notes', real, syn);
    expect(Math.abs(f.synthetic.presentShare - f.real.presentShare)).toBeLessThan(0.05);
    expect(f.synthetic.distinctShare).toBeGreaterThanOrEqual(0.8);
    expect(f.meanLengthRatio).toBeGreaterThan(0.7);
    expect(f.meanLengthRatio).toBeLessThan(1.3);
    expect(f.uniqueNgramTexts).toBe(0);
    const ids = new Set(columnTexts(train, 'id')!.filter((x): x is string => x !== null));
    const copied = syn.filter((t) => t && tokenize(t).some((w) => ids.has(w)));
    expect(copied).toEqual([]);
    expect(model.stats.textWriter).toMatch(/fallback/);
    expect(model.stats.redrawnTexts).toBeGreaterThanOrEqual(0);
    // Texts are present only where the fallback drew them, and no text is empty.
    expect(syn.every((t) => t === null || t.length > 0)).toBe(true);
  });

  it('gives the same texts for the same seed, after a save and reload too', async () => {
    const small = takeFirst(train, 400);
    const a = await fitAndSample(small, schema, 3, undefined, 200);
    const b = await fitAndSample(small, schema, 3, undefined, 200);
    expect(columnTexts(a.table, 'notes')).toEqual(columnTexts(b.table, 'notes'));
    const reloaded = (await registry.loadSynthesizer('copula')).deserialize(a.model.serialize());
    const c = await reloaded.sample(200, { seed: 3 });
    expect(columnTexts(c, 'notes')).toEqual(columnTexts(a.table, 'notes'));
  });

  it('never writes a word used in fewer than 5 training texts', () => {
    const texts = ['the cat sat on the mat', 'the cat sat on the rug', 'the dog sat on the mat', 'the cat ran', 'the cat sat', 'a zyxwv cat sat on the mat'];
    const m = new WordModel(trainWordModel(texts, 2));
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) expect(m.write(6, rng)).not.toMatch(/zyxwv|dog|rug|ran/);
  });
});

/** A table of 40 rows: a category and a text column whose last row holds a planted unique sentence. */
function plantedTable(): { table: Table; schema: Schema; planted: string } {
  const planted = 'the quick brown fox jumps over the lazy dog near the river bank';
  const texts = Array.from({ length: 40 }, (_, i) => (i === 39 ? planted : `the customer called about the order ${i % 4 === 0 ? 'again' : 'today'} and was happy`));
  const cats = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'a' : 'b'));
  const table = makeTable([categoricalFromStrings('group', cats), categoricalFromStrings('notes', texts)]);
  const schema: Schema = {
    columns: [
      { name: 'group', kind: 'categorical', role: 'synthesize', pii: [] },
      { name: 'notes', kind: 'text', role: 'synthesize-text', pii: [] },
    ],
  };
  return { table, schema, planted };
}

describe('text leak guard', () => {
  it('flags 8-grams and entities of exactly one training row, not shared ones', () => {
    const guard = LeakGuard.from(buildLeakGuard(['one two three four five six seven eight nine', 'a b c d e f g h', 'a b c d e f g h', 'write to jo@example.com today', 'x']));
    expect(guard.check('zero one two three four five six seven eight')?.kind).toBe('ngram');
    expect(guard.check('a b c d e f g h i')).toBeNull();
    expect(guard.check('please mail JO@example.com')?.kind).toBe('entity');
  });

  it('refuses, with a clear message, texts too long for it to hold', () => {
    const long = Array.from({ length: 50 }, (_, i) => Array.from({ length: 200 }, (_, j) => `w${(i * 7 + j) % 97}`).join(' '));
    expect(() => buildLeakGuard(long, undefined, 1000)).toThrow(/too long for the text leak guard: more than 1,000 distinct 8-word sequences/);
  });

  it('rewrites a planted unique sentence a generator copies, and counts it', async () => {
    const { table, schema: sc, planted } = plantedTable();
    let calls = 0;
    const copying: TextGenerator = {
      label: 'stub',
      async generate(requests: readonly TextRequest[]) {
        calls++;
        // First call: every text copies the planted sentence; afterwards, a harmless one.
        return requests.map(() => (calls === 1 ? `so ${planted}` : 'the order was late'));
      },
    };
    const { table: out, model } = await fitAndSample(table, sc, 5, copying, 40);
    const syn = columnTexts(out, 'notes')!;
    expect(syn.some((t) => t?.includes('quick brown fox jumps over'))).toBe(false);
    expect(model.stats.redrawnTexts).toBeGreaterThan(0);
    expect(model.stats.textWriter).toBe('stub');
  });

  it('keeps the planted sentence out of the fallback too', async () => {
    const { table, schema: sc } = plantedTable();
    const { table: out } = await fitAndSample(table, sc, 9, undefined, 200);
    expect(columnTexts(out, 'notes')!.some((t) => t?.includes('quick brown fox'))).toBe(false);
  });

  it('passes the prompts built from the synthetic rows to a model, seeded (tiny GPT-2)', async () => {
    const gen = await ModelTextGenerator.load({ root: MODELS, name: 'tiny-gpt2' });
    const seen: string[] = [];
    const spy: TextGenerator = { label: gen.label, generate: (r, seed, s) => (seen.push(...r.map((x) => x.prompt)), gen.generate(r, seed, s)) };
    const { table, schema: sc } = plantedTable();
    const a = await fitAndSample(table, sc, 2, spy, 20);
    const b = await fitAndSample(table, sc, 2, gen, 20);
    expect(columnTexts(a.table, 'notes')).toEqual(columnTexts(b.table, 'notes'));
    expect(seen[0]).toMatch(/^group: [ab]\nnotes:$/);
    // No real text went into a prompt.
    expect(seen.some((p) => p.includes('customer called'))).toBe(false);
  });

  it('puts few-shot examples in a prompt only when asked, and only cleaned', async () => {
    const seen: string[] = [];
    const spy: TextGenerator = { label: 'spy', generate: async (r) => (seen.push(...r.map((x) => x.prompt)), r.map(() => 'the order was late')) };
    const { table, schema: sc } = plantedTable();
    const synth = await registry.loadSynthesizer('copula');
    const model = await synth.fit(table, sc, {}, { rng: new Rng(1) });
    await model.sample(4, { seed: 1, textGenerator: spy, fewShotTexts: { notes: ['mail jo@example.com about the order'] } });
    expect(seen[0]).toMatch(/^notes: mail \[EMAIL\] about the order\ngroup: [ab]\nnotes:$/);
    expect(seen.join('\n')).not.toContain('jo@example.com');
  });
});

function takeFirst(t: Table, n: number): Table {
  return { nRows: n, columns: t.columns.map((c) => (c.type === 'numeric' ? { ...c, values: c.values.slice(0, n) } : { ...c, codes: c.codes.slice(0, n) })) };
}
