import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { Rng } from '../random/rng';

/**
 * Few-shot examples for the text-generation prompts: n training texts per synthesize-text column, chosen
 * with the seed among texts of ordinary length (between the quartiles). They are real texts: the pipeline
 * cleans them (placeholders) before any prompt (texts.ts). Used by the CLI's --few-shot and the app's
 * sample request; n is checked by the caller (0 to MAX_FEW_SHOT, generator.ts).
 */
export function fewShotTexts(train: Table, schema: Schema, n: number, seed: number): Record<string, string[]> {
  const rng = new Rng(seed).fork('few-shot');
  const out: Record<string, string[]> = {};
  for (const cs of schema.columns) {
    if (cs.role !== 'synthesize-text') continue;
    const col = train.columns.find((c) => c.name === cs.name);
    if (!col || col.type !== 'categorical') continue;
    const texts = Array.from(col.codes).flatMap((k) => (k < 0 ? [] : [col.levels[k]]));
    const lengths = texts.map((t) => t.length).sort((a, b) => a - b);
    const lo = lengths[Math.floor(lengths.length / 4)] ?? 0, hi = lengths[Math.floor((3 * lengths.length) / 4)] ?? Infinity;
    const pool = texts.filter((t) => t.length >= lo && t.length <= hi);
    out[cs.name] = Array.from({ length: Math.min(n, pool.length) }, () => pool[rng.int(pool.length)]);
  }
  return out;
}
