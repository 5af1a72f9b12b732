import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { textFidelity } from '../../src/core/text/fidelity';
import { tokenize } from '../../src/core/text/tokens';

/**
 * Free text from the command line (in process: the CLI's own main with its arguments). movie-notes.csv is
 * the free-text table composed from vega-datasets' movies (test/fixtures/text/make-movie-notes.mjs).
 */
const NOTES = resolve(__dirname, '../fixtures/text/movie-notes.csv');
const MODELS = resolve(__dirname, '../fixtures/models');
const dir = mkdtempSync(join(tmpdir(), 'fx-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const read = (f: string) => Papa.parse<Record<string, string>>(readFileSync(f, 'utf8'), { header: true, skipEmptyLines: true }).data;
const texts = (rows: Record<string, string>[]) => rows.map((r) => (r.notes ? r.notes : null));

describe('facsimile synth with a text column, no model (the fallback)', () => {
  it('writes held-out-checked texts: present, varied, real-like length, no id copied, no unique 8-gram', async () => {
    const [train, holdout, syn] = ['train.csv', 'holdout.csv', 'syn.csv'].map((f) => join(dir, f));
    const r = await cli('synth', NOTES, '--model', 'copula', '--seed', '7', '--holdout', '0.2', '--holdout-out', holdout, '--train-out', train, '--out', syn, '--role', 'notes=synthesize-text');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/texts by word-level fallback/);
    const real = read(train), fake = read(syn);
    const f = textFidelity('notes', texts(real), texts(fake));
    expect(Math.abs(f.synthetic.presentShare - f.real.presentShare)).toBeLessThan(0.05);
    expect(f.synthetic.distinctShare).toBeGreaterThanOrEqual(0.8);
    expect(Math.abs(f.meanLengthRatio - 1)).toBeLessThanOrEqual(0.3);
    expect(f.uniqueNgramTexts).toBe(0);
    const ids = new Set(real.map((x) => x.id));
    expect(fake.filter((x) => x.notes && tokenize(x.notes).some((w) => ids.has(w)))).toEqual([]);
    // No e-mail or phone of the real notes comes back: the fallback learnt placeholders.
    expect(fake.some((x) => /@example\.com|\+1 202 555/.test(x.notes ?? ''))).toBe(false);

    const e = await cli('evaluate', train, syn, '--holdout', holdout, '--target', 'none', '--json');
    expect(e.code, e.err).toBe(0);
    const report = JSON.parse(e.out);
    expect(report.text[0].column).toBe('notes');
    expect(report.text[0].synthetic.uniqueNgramTexts).toBe(0);
    expect(report.text[0].holdout.meanLengthRatio).toBeGreaterThan(0.8);
  });
});

describe('--text-model', () => {
  it('profile: finds entities with a NER model and shows them masked', async () => {
    const r = await cli('profile', NOTES, '--text-model', join(MODELS, 'tiny-ner'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/PII in free text \(patterns and a named-entity model\)/);
    expect(r.out).toMatch(/notes: \d+ of \d+ texts \(.*EMAIL \d+/);
    expect(r.out).not.toMatch(/@example\.com/);
  });

  it('synth: a text-generation model writes the texts; evaluate: an embedder adds the embedding metrics', async () => {
    const [train, holdout, syn] = ['t2.csv', 'h2.csv', 's2.csv'].map((f) => join(dir, f));
    const r = await cli('synth', NOTES, '--rows', '40', '--holdout', '0.2', '--holdout-out', holdout, '--train-out', train, '--out', syn, '--role', 'notes=synthesize-text', '--text-model', join(MODELS, 'tiny-gpt2'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/texts by tiny-gpt2/);
    const html = join(dir, 'r2.html');
    const e = await cli('evaluate', train, syn, '--holdout', holdout, '--target', 'none', '--text-model', join(MODELS, 'tiny-embed'), '--html', html);
    expect(e.code, e.err).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Free text</h2>');
    expect(page).toContain('data-text-column="notes"');
    expect(page).toMatch(/Embeddings \(tiny-embed, 16 dimensions/);
    expect(e.out).toMatch(/embeddings \(tiny-embed\): centroid cosine [\d.]+ {2}discriminator AUC [\d.]+ {2}nearer-to-training share [\d.]+/);
  });

  it('synth: with a NER model, the texts are cleaned of names before the fit (the fallback learns placeholders)', async () => {
    const syn = join(dir, 's3.csv');
    const r = await cli('synth', NOTES, '--rows', '300', '--seed', '3', '--out', syn, '--role', 'notes=synthesize-text', '--text-model', join(MODELS, 'tiny-ner'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/text columns cleaned with tiny-ner before the fit/);
    expect(r.err).toMatch(/texts by word-level fallback/);
  });

  it('refuses a folder with files missing, a renamed non-ONNX file and an unsupported architecture, clearly', async () => {
    const { cpSync, writeFileSync, rmSync: rm } = await import('node:fs');
    const bad = join(dir, 'bad');
    cpSync(join(MODELS, 'tiny-ner'), bad, { recursive: true });
    rm(join(bad, 'tokenizer.json'));
    let r = await cli('profile', NOTES, '--text-model', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing tokenizer\.json/);
    cpSync(join(MODELS, 'tiny-ner'), bad, { recursive: true });
    writeFileSync(join(bad, 'onnx/model.onnx'), 'PK\u0003\u0004 not a model');
    r = await cli('profile', NOTES, '--text-model', bad);
    expect(r.err).toMatch(/onnx\/model\.onnx is not an ONNX model/);
    cpSync(join(MODELS, 'tiny-ner'), bad, { recursive: true });
    writeFileSync(join(bad, 'config.json'), JSON.stringify({ model_type: 'whisper', architectures: ['WhisperForConditionalGeneration'] }));
    r = await cli('profile', NOTES, '--text-model', bad);
    expect(r.err).toMatch(/architecture WhisperForConditionalGeneration does no job Facsimile uses/);
  });
});
