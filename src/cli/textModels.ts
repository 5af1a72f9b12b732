/**
 * `--text-model DIR` (repeatable) on `facsimile profile` and `facsimile synth`: local Transformers.js model
 * folders, checked like the app's Models page checks an import, then loaded from disk only (no network).
 * Each folder's config.json says its job: a token-classification model finds named entities (profile's
 * PII scan of text columns), a text-generation model writes the synthetic texts, a feature-extraction
 * model gives the embedding metrics (evaluate).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/context';
import type { ModelFileInfo } from '../core/text/modelFolder';
import type { Embedder, EntityFinder, ModelTextGenerator } from '../core/text/transformersText';
import type { Schema } from '../core/schema/schema';
import type { Table } from '../core/table/table';

export const TEXT_MODEL_USAGE = `  --text-model DIR               a local Transformers.js model folder, repeatable (config.json, tokenizer.json,
                                 tokenizer_config.json, onnx/model.onnx): NER for the PII scan of text columns,
                                 a causal LM for synthetic texts, a sentence embedder for the text metrics.
                                 Without one, texts come from the word-level fallback and PII from patterns`;

export interface TextModels {
  ner?: EntityFinder;
  generator?: ModelTextGenerator;
  embedder?: Embedder;
  /** "tiny-gpt2: text-generation (fp32)" per model, for the log. */
  loaded: string[];
}

async function listFiles(dir: string, rel = ''): Promise<ModelFileInfo[]> {
  const out: ModelFileInfo[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (rel.split('/').length < 3) out.push(...(await listFiles(dir, p)));
      continue;
    }
    const full = path.join(dir, p);
    const size = (await stat(full)).size;
    const info: ModelFileInfo = { path: p, size };
    if (p.endsWith('.json') && size < 64 << 20) info.text = await readFile(full, 'utf8');
    if (p.endsWith('.onnx')) {
      const fh = await import('node:fs/promises').then((m) => m.open(full));
      const head = new Uint8Array(16);
      await fh.read(head, 0, 16, 0);
      await fh.close();
      info.head = head;
    }
    out.push(info);
  }
  return out;
}

/** Checks and loads the folders; one model per job (a second of the same job is an error). */
export async function loadTextModels(dirs: readonly string[]): Promise<TextModels> {
  const models: TextModels = { loaded: [] };
  if (dirs.length === 0) return models;
  const [{ checkModelFiles }, t] = await Promise.all([import('../core/text/modelFolder'), import('../core/text/transformersText')]);
  for (const dir of dirs) {
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) throw new UserError(`--text-model ${dir}: no such folder.`, 'Give the folder that holds config.json and onnx/.');
    let checked;
    try {
      checked = checkModelFiles(await listFiles(dir));
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`--text-model ${dir}: ${e.message}`, e.hint);
      throw e;
    }
    const src = { root: path.dirname(path.resolve(dir)), name: path.basename(path.resolve(dir)), dtype: checked.dtype, device: 'cpu' as const };
    const job = checked.task;
    const taken = job === 'token-classification' ? models.ner : job === 'text-generation' ? models.generator : models.embedder;
    if (taken) throw new UserError(`--text-model ${dir}: a second ${job} model.`, 'Give one model per job.');
    if (job === 'token-classification') models.ner = await t.EntityFinder.load(src);
    else if (job === 'text-generation') models.generator = await t.ModelTextGenerator.load(src);
    else models.embedder = await t.Embedder.load(src);
    models.loaded.push(`${src.name}: ${job} (${checked.modelType}, ${checked.dtype}, ${(checked.size / 1e6).toFixed(1)} MB)`);
  }
  return models;
}

/**
 * --few-shot N: N training texts per synthesize-text column, chosen with the seed among texts of ordinary
 * length (between the quartiles, src/core/text/fewShot.ts), for the prompts; the pipeline cleans them
 * (placeholders) before use.
 */
export async function fewShotExamples(train: Table, schema: Schema, n: number, seed: number): Promise<Record<string, string[]>> {
  const [{ fewShotTexts }, { MAX_FEW_SHOT }] = await Promise.all([import('../core/text/fewShot'), import('../core/text/generator')]);
  if (!Number.isInteger(n) || n < 0 || n > MAX_FEW_SHOT) throw new UserError(`--few-shot takes 0 to ${MAX_FEW_SHOT}, got ${n}.`);
  return fewShotTexts(train, schema, n, seed);
}

/**
 * The table with the synthesize-text columns' PII (patterns and the model's entities) replaced by
 * placeholders, and per column the entities the model found in exactly one training row (for the leak
 * guard at sampling: SampleOptions.uniqueTextEntities), from the same pass.
 */
export async function cleanTextColumns(table: Table, schema: Schema, ner: EntityFinder, signal?: AbortSignal): Promise<{ table: Table; uniqueEntities: Record<string, string[]> }> {
  const { scanTextPii } = await import('../core/text/scan');
  const columns = schema.columns.filter((c) => c.role === 'synthesize-text').map((c) => c.name);
  if (columns.length === 0) return { table, uniqueEntities: {} };
  const { cleaned, uniqueEntities } = await scanTextPii(table, columns, { signal }, ner);
  return { table: cleaned, uniqueEntities };
}
