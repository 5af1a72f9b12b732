/**
 * The report's text section: for each free-text column found in the training, holdout and synthetic
 * tables, length, vocabulary, variety and the 8-gram leak check of the synthetic texts against the
 * training texts, with the holdout's own figures as the ceiling (a fresh sample of real texts).
 * Numbers only: no text or word of the real column is written into the report.
 */
import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import type { TextColumnReport } from '../report/types';
import { textFidelity } from '../text/fidelity';
import { embeddingCeiling, embeddingMetrics } from '../text/embeddingMetrics';
import { throwIfAborted, type TaskContext } from '../context';
import type { Rng } from '../random/rng';

export function columnTexts(t: Table, name: string): (string | null)[] | null {
  const c = t.columns.find((x) => x.name === name);
  if (!c || c.type !== 'categorical') return null;
  return Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]));
}

export function textSection(train: Table, holdout: Table, synthetic: Table, schema: Schema, minRows = 5): TextColumnReport[] {
  const out: TextColumnReport[] = [];
  for (const cs of schema.columns) {
    if (cs.kind !== 'text') continue;
    const r = columnTexts(train, cs.name), h = columnTexts(holdout, cs.name), s = columnTexts(synthetic, cs.name);
    if (!r || !s) continue;
    out.push({ column: cs.name, synthetic: textFidelity(cs.name, r, s, minRows), holdout: h ? textFidelity(cs.name, r, h, minRows) : null });
  }
  return out;
}

/** What the embedding metrics need of a sentence-embedding model. */
export interface TextEmbedder {
  readonly label: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Texts embedded per side at most (a seeded sample beyond), and per model call. */
export const EMBED_SAMPLE = 500;
const EMBED_BATCH = 32;

/**
 * Adds embedding-space metrics to each text column of a report's text section: up to EMBED_SAMPLE present
 * texts per side (the first ones of a seeded shuffle), embedded in batches, with progress and cancel
 * between batches. Each column gets the synthetic texts' metrics and the holdout's as the ceiling.
 */
export async function addEmbeddingMetrics(
  section: TextColumnReport[],
  tables: { train: Table; holdout: Table; synthetic: Table },
  embedder: TextEmbedder,
  rng: Rng,
  signal?: AbortSignal,
  onProgress?: TaskContext['onProgress'],
): Promise<void> {
  for (const [ci, t] of section.entries()) {
    const pick = (table: Table) => {
      const xs = (columnTexts(table, t.column) ?? []).filter((x): x is string => x !== null && x.trim() !== '');
      for (let i = xs.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [xs[i], xs[j]] = [xs[j], xs[i]];
      }
      return xs.slice(0, EMBED_SAMPLE);
    };
    const [r, h, s] = [pick(tables.train), pick(tables.holdout), pick(tables.synthetic)];
    if (r.length === 0 || h.length === 0 || s.length === 0) continue;
    // One list, one batch at a time: progress counts texts embedded over the column's three sides.
    const all = [...r, ...h, ...s];
    const vecs: Float32Array[] = [];
    for (let i = 0; i < all.length; i += EMBED_BATCH) {
      throwIfAborted(signal);
      vecs.push(...(await embedder.embed(all.slice(i, i + EMBED_BATCH))));
      onProgress?.({ phase: 'embedding texts', fraction: (ci + Math.min(1, (i + EMBED_BATCH) / all.length)) / section.length, message: `${t.column}: ${Math.min(all.length, i + EMBED_BATCH)} of ${all.length} texts embedded with ${embedder.label}` });
    }
    const [er, eh, es] = [vecs.slice(0, r.length), vecs.slice(r.length, r.length + h.length), vecs.slice(r.length + h.length)];
    t.embedding = embeddingMetrics(embedder.label, er, eh, es, rng.uint32());
    t.embeddingCeiling = embeddingCeiling(embedder.label, er, eh, rng.uint32());
  }
}
