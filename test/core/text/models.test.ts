import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMBED_DIM, makeTestModels, testModelFiles } from '../../../scripts/make-test-models.mjs';
import { Embedder, EntityFinder, ModelTextGenerator, taskOfConfig } from '../../../src/core/text/transformersText';
import { cleanText, entitySpans, maskText, patternSpans } from '../../../src/core/text/piiText';
import { checkModelFiles, type ModelFileInfo } from '../../../src/core/text/modelFolder';

/** The tiny models `npm run make-test-models` writes, loaded through Transformers.js in Node. */
const MODELS = resolve(__dirname, '../../fixtures/models');

beforeAll(() => {
  if (!existsSync(resolve(MODELS, 'tiny-gpt2/onnx/model.onnx'))) makeTestModels(MODELS);
});

describe('make-test-models', () => {
  it('writes the same bytes on every run, in the layout Transformers.js loads', () => {
    const a = testModelFiles(), b = testModelFiles();
    for (const [name, files] of Object.entries(a)) {
      for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) expect(files[f], `${name}/${f}`).toBeDefined();
      for (const [f, content] of Object.entries(files)) expect(Buffer.from(content as Uint8Array).equals(Buffer.from(b[name][f] as Uint8Array)), `${name}/${f}`).toBe(true);
      // The committed fixtures are what the generator writes.
      expect(Buffer.from(readFileSync(resolve(MODELS, name, 'onnx/model.onnx'))).equals(Buffer.from(files['onnx/model.onnx'] as Uint8Array))).toBe(true);
    }
  });

  it('tells the three tasks apart from config.json', () => {
    const task = (name: string) => taskOfConfig(JSON.parse(readFileSync(resolve(MODELS, name, 'config.json'), 'utf8'))).task;
    expect(task('tiny-ner')).toBe('token-classification');
    expect(task('tiny-embed')).toBe('feature-extraction');
    expect(task('tiny-gpt2')).toBe('text-generation');
    expect(() => taskOfConfig({ model_type: 'whisper', architectures: ['WhisperForConditionalGeneration'] })).toThrow(/does no job/);
    expect(() => taskOfConfig({ model_type: 'mamba', architectures: ['MambaForCausalLM'] })).toThrow(/not supported/);
  });
});

describe('Transformers.js plumbing on the tiny models (Node)', () => {
  it('finds the entities the tiny classifier was built to find, and masks them', async () => {
    const ner = await EntityFinder.load({ root: MODELS, name: 'tiny-ner' });
    const texts = ['Alice called Acme from Paris about the refund.', 'the customer was happy'];
    const found = await ner.find(texts);
    expect(found[0]).toEqual([
      { kind: 'PERSON', word: 'alice' },
      { kind: 'ORGANISATION', word: 'acme' },
      { kind: 'LOCATION', word: 'paris' },
    ]);
    expect(found[1]).toEqual([]);
    expect(maskText(texts[0], entitySpans(texts[0], found[0]))).toBe('[PERSON] called [ORGANISATION] from [LOCATION] about the refund.');
  });

  it('generates the same texts for the same seed, and others for another', async () => {
    const gen = await ModelTextGenerator.load({ root: MODELS, name: 'tiny-gpt2' });
    const req = [
      { column: 'notes', prompt: 'genre: drama\nnotes:', targetWords: 10 },
      { column: 'notes', prompt: 'genre: comedy; rating: R\nnotes:', targetWords: 6 },
    ];
    const a = await gen.generate(req, 7), b = await gen.generate(req, 7), c = await gen.generate(req, 8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((t) => t.length > 0)).toBe(true);
  });

  it('gives embeddings of the shape the model declares', async () => {
    const emb = await Embedder.load({ root: MODELS, name: 'tiny-embed' });
    const v = await emb.embed(['the patient reported pain', 'alice', 'a late refund']);
    const hidden = JSON.parse(readFileSync(resolve(MODELS, 'tiny-embed/config.json'), 'utf8')).hidden_size;
    expect(hidden).toBe(EMBED_DIM);
    expect(v).toHaveLength(3);
    for (const x of v) {
      expect(x).toHaveLength(hidden);
      expect(Math.hypot(...x)).toBeCloseTo(1, 5);
    }
  });
});

describe('PII patterns in free text', () => {
  it('finds e-mails, phones, IBANs, cards (Luhn), IPs, ids and URLs inside sentences', () => {
    const t = 'Mail jo.doe@example.com or call +44 20 7946 0958; IBAN GB82 WEST 1234 5698 7654 32, card 4111 1111 1111 1111, ip 192.168.0.1, ssn 123-45-6789, see https://example.org/x.';
    expect(patternSpans(t).map((s) => s.kind)).toEqual(['EMAIL', 'PHONE', 'IBAN', 'CARD', 'IP', 'ID', 'URL']);
    expect(cleanText(t)).toBe('Mail [EMAIL] or call [PHONE]; IBAN [IBAN], card [CARD], ip [IP], ssn [ID], see [URL].');
  });

  it('leaves ordinary numbers, dates and a failed checksum alone', () => {
    const t = 'It earned 146 thousand dollars in 1998-06-12, rated 7.7 of 10; card 4111 1111 1111 1112.';
    expect(patternSpans(t)).toEqual([]);
  });
});

describe('model folder check (what an import stores, or why not)', () => {
  const folder = (name: string, top = ''): ModelFileInfo[] =>
    Object.entries(testModelFiles()[name]).map(([path, c]) => ({
      path: top + path,
      size: typeof c === 'string' ? c.length : c.byteLength,
      ...(path.endsWith('.json') ? { text: c as string } : {}),
      ...(path.endsWith('.onnx') ? { head: (c as Uint8Array).slice(0, 16) } : {}),
    }));

  it('accepts the tiny folders (also one level up, as a picked folder or zip has them) with task, dtype and size', () => {
    const ok = checkModelFiles(folder('tiny-gpt2', 'tiny-gpt2/'));
    expect(ok).toMatchObject({ task: 'text-generation', modelType: 'gpt2', dtype: 'fp32' });
    expect(ok.files).toContain('generation_config.json');
    expect(ok.size).toBeGreaterThan(10_000);
  });

  it('refuses a model larger than the space left', () => {
    expect(() => checkModelFiles(folder('tiny-ner'), 1000)).toThrow(/needs 0\.\d MB but only 0\.0 MB of browser storage is left/);
  });

  it('names a missing weights file and where an .onnx file was found instead', () => {
    const files = folder('tiny-ner').map((f) => (f.path === 'onnx/model.onnx' ? { ...f, path: 'model.onnx' } : f));
    expect(() => checkModelFiles(files)).toThrow(/missing onnx\/model\.onnx/);
  });
});
