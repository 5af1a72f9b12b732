/**
 * Text jobs in Node, on the tiny test models (npm run make-test-models): rows per second of each job's
 * pipeline (tokenizing, ONNX Runtime, post-processing: the overhead a real model adds its own compute to),
 * beside the parts that need no model: the PII patterns, the word-level fallback with the leak guard, and
 * a text column of long cells scanned in batches with progress.
 * Run alone: npx tsx bench/text.ts
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { ingestBlob } from '../src/core/ingest';
import { Rng } from '../src/core/random/rng';
import { generateTexts, planText } from '../src/core/synth/pipeline/texts';
import { LeakGuard } from '../src/core/text/leakGuard';
import { scanTextPii } from '../src/core/text/scan';
import { Embedder, EntityFinder, ModelTextGenerator } from '../src/core/text/transformersText';
import { categoricalFromStrings, type CategoricalColumn } from '../src/core/table/table';
import { ROOT } from './browserHarness';

export const MODELS = path.join(ROOT, 'test/fixtures/models');
const NOTES = path.join(ROOT, 'test/fixtures/text/movie-notes.csv');

async function notes(): Promise<string[]> {
  const { table } = await ingestBlob(await openAsBlob(NOTES), { fileName: 'movie-notes.csv' });
  const c = table.columns.find((x) => x.name === 'notes') as CategoricalColumn;
  return Array.from(c.codes).flatMap((k) => (k < 0 ? [] : [c.levels[k]]));
}

async function rate(label: string, rows: number, work: () => Promise<unknown>): Promise<number> {
  await work(); // warm: model load, first session run
  const t0 = performance.now();
  await work();
  const s = (performance.now() - t0) / 1000;
  console.log(`  ${label.padEnd(52)} ${rows} rows in ${s.toFixed(2)} s = ${Math.round(rows / s).toLocaleString('en')} rows/s`);
  return rows / s;
}

export async function run(): Promise<void> {
  const texts = (await notes()).slice(0, 512);
  const short = texts.map((t) => t.split(' ').slice(0, 24).join(' '));
  const src = (name: string) => ({ root: MODELS, name });
  console.log('text jobs in Node on the tiny models (pipeline overhead; texts of movie-notes.csv, cut to 24 words for the models):');
  const ner = await EntityFinder.load(src('tiny-ner'));
  await rate('PII: NER (tiny-ner), batches of 32', short.length, async () => {
    for (let i = 0; i < short.length; i += 32) await ner.find(short.slice(i, i + 32));
  });
  const emb = await Embedder.load(src('tiny-embed'));
  await rate('embeddings (tiny-embed), batches of 32', short.length, async () => {
    for (let i = 0; i < short.length; i += 32) await emb.embed(short.slice(i, i + 32));
  });
  const gen = await ModelTextGenerator.load(src('tiny-gpt2'));
  const req = Array.from({ length: 64 }, (_, i) => ({ column: 'notes', prompt: `genre: drama; year: ${1990 + (i % 20)}\nnotes:`, targetWords: 24 }));
  await rate('generation (tiny-gpt2), 24 words, batches of 16', req.length, async () => {
    for (let i = 0; i < req.length; i += 16) await gen.generate(req.slice(i, i + 16), i);
  });
  // No model: patterns, the fallback with its leak guard.
  const all = await notes();
  const table = { nRows: all.length, columns: [categoricalFromStrings('notes', all)] };
  await rate('PII: patterns only, distinct texts', all.length, () => scanTextPii(table, ['notes'], {}));
  const { plan, guard } = planText(table.columns[0], { name: 'notes', kind: 'text', role: 'synthesize-text', pii: [] }, 5);
  const guards = new Map([['notes', LeakGuard.from(guard)]]);
  const n = 5000;
  const others = { nRows: n, columns: [] };
  await rate('synthetic text: word-level fallback + leak guard', n, () => generateTexts([plan], others, new Map(), guards, new Rng(1), { seed: 1 }));
  // Long cells: 2 000 rows of ~10 kB, streamed in batches with progress (the app's scan path).
  const long = Array.from({ length: 2000 }, (_, i) => `${all[i % all.length]} `.repeat(80).slice(0, 10_000) + ` row ${i}`);
  let reports = 0;
  const t0 = performance.now();
  await scanTextPii({ nRows: long.length, columns: [categoricalFromStrings('notes', long)] }, ['notes'], { onProgress: () => reports++ });
  const s = (performance.now() - t0) / 1000;
  console.log(`  ${'PII: patterns, 2 000 cells of 10 kB (20 MB)'.padEnd(52)} ${s.toFixed(2)} s = ${Math.round(2000 / s).toLocaleString('en')} rows/s, ${(20 / s).toFixed(1)} MB/s, ${reports} progress reports`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
