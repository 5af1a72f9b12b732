import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTestModels } from '../../../scripts/make-test-models.mjs';
import { CancelledError, type Progress } from '../../../src/core/context';
import { addEmbeddingMetrics, textSection, type TextEmbedder } from '../../../src/core/metrics/text';
import { Rng } from '../../../src/core/random/rng';
import type { Schema } from '../../../src/core/schema/schema';
import { categoricalFromStrings, type Table } from '../../../src/core/table/table';
import { Embedder } from '../../../src/core/text/transformersText';

const MODELS = resolve(__dirname, '../../fixtures/models');
beforeAll(() => {
  if (!existsSync(resolve(MODELS, 'tiny-embed/onnx/model.onnx'))) makeTestModels(MODELS);
});

const WORDS = ['refund', 'late', 'order', 'patient', 'pain', 'film', 'rated', 'minutes', 'happy', 'called'];
function notes(seed: number, n: number): Table {
  const rng = new Rng(seed);
  const texts = Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : Array.from({ length: 3 + rng.int(6) }, () => WORDS[rng.int(WORDS.length)]).join(' ')));
  return { nRows: n, columns: [categoricalFromStrings('notes', texts)] };
}
const schema: Schema = { columns: [{ name: 'notes', kind: 'text', role: 'synthesize-text', pii: [] }] };

/** A stand-in embedder: word counts, normalised (no model needed). */
const bagOfWords: TextEmbedder = {
  label: 'bag of words',
  async embed(texts) {
    return texts.map((t) => {
      const v = new Float32Array(WORDS.length);
      for (const w of t.split(' ')) v[WORDS.indexOf(w)] += 1;
      const n = Math.hypot(...v) || 1;
      return v.map((x) => x / n);
    });
  },
};

describe('addEmbeddingMetrics', () => {
  const tables = { train: notes(1, 200), holdout: notes(2, 60), synthetic: notes(3, 200) };

  it('adds the synthetic metrics and the holdout ceiling per text column, with progress up to 1', async () => {
    const section = textSection(tables.train, tables.holdout, tables.synthetic, schema);
    const seen: Progress[] = [];
    await addEmbeddingMetrics(section, tables, bagOfWords, new Rng(7), undefined, (p) => seen.push(p));
    const [t] = section;
    expect(t.embedding?.model).toBe('bag of words');
    expect(t.embeddingCeiling?.model).toBe('bag of words');
    // 60 holdout rows, every ninth empty: 53 texts a side.
    expect(t.embedding?.sampleSize).toBe(53);
    expect(t.embeddingCeiling?.sampleSize).toBe(53);
    for (const m of [t.embedding!, t.embeddingCeiling!]) {
      expect(m.centroidCosine).toBeGreaterThan(0.9);
      expect(m.discriminatorAuc).toBeGreaterThanOrEqual(0);
      expect(m.discriminatorAuc).toBeLessThanOrEqual(1);
    }
    const fractions = seen.map((p) => p.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(seen[0].phase).toBe('embedding texts');
  });

  it('is seeded: the same rng seed gives the same figures', async () => {
    const a = textSection(tables.train, tables.holdout, tables.synthetic, schema);
    const b = textSection(tables.train, tables.holdout, tables.synthetic, schema);
    await addEmbeddingMetrics(a, tables, bagOfWords, new Rng(11));
    await addEmbeddingMetrics(b, tables, bagOfWords, new Rng(11));
    expect(a).toEqual(b);
  });

  it('stops between batches when cancelled', async () => {
    const section = textSection(tables.train, tables.holdout, tables.synthetic, schema);
    const ctl = new AbortController();
    let calls = 0;
    const slow: TextEmbedder = { label: 'x', embed: (t) => (++calls === 2 && ctl.abort(), bagOfWords.embed(t)) };
    await expect(addEmbeddingMetrics(section, tables, slow, new Rng(1), ctl.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBe(2);
    expect(section[0].embedding).toBeUndefined();
  });

  it('skips a column without holdout texts', async () => {
    const empty = { ...tables, holdout: { nRows: 0, columns: [categoricalFromStrings('notes', [])] } };
    const section = textSection(empty.train, empty.holdout, empty.synthetic, schema);
    await addEmbeddingMetrics(section, empty, bagOfWords, new Rng(1));
    expect(section[0].embedding).toBeUndefined();
    expect(section[0].embeddingCeiling).toBeUndefined();
  });

  it('runs the tiny feature-extraction model through Transformers.js (Node)', async () => {
    const emb = await Embedder.load({ root: MODELS, name: 'tiny-embed' });
    const section = textSection(tables.train, tables.holdout, tables.synthetic, schema);
    await addEmbeddingMetrics(section, tables, emb, new Rng(2));
    expect(section[0].embedding).toMatchObject({ model: 'tiny-embed', dimensions: 16, sampleSize: 53 });
    expect(section[0].embeddingCeiling).toMatchObject({ model: 'tiny-embed', dimensions: 16, sampleSize: 53 });
  });
});
