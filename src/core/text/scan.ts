import { throwIfAborted, yieldToEventLoop, type TaskContext } from '../context';
import type { Schema } from '../schema/schema';
import { categoricalFromStrings, type Table } from '../table/table';
import { entitiesInOneRow, normalizeEntity } from './leakGuard';
import { entitySpans, maskedExample, maskText, patternSpans, type FoundEntity, type TextPiiColumnScan, type TextSpan } from './piiText';

/** What a scan needs of a NER model (transformersText's EntityFinder). */
export interface EntityModel {
  readonly label: string;
  find(texts: readonly string[]): Promise<FoundEntity[][]>;
}

/** Texts per model call; also the stride of progress reports and cancel points. */
export const SCAN_BATCH = 32;
const EXAMPLES = 3;

export interface TextScanResult {
  scans: TextPiiColumnScan[];
  /** The table with each scanned column's findings replaced by placeholders ("[EMAIL]", "[PERSON]"). */
  cleaned: Table;
  /**
   * With a model, per scanned column: the entities it found that occur (whole word, case aside) in exactly
   * one row of the column, normalised (leakGuard's entitiesInOneRow). They are real values: give them to
   * the leak guard (SampleOptions.uniqueTextEntities), never to a report.
   */
  uniqueEntities: Record<string, string[]>;
}

/** The text columns of a schema (kind text). */
export function textColumns(schema: Schema): string[] {
  return schema.columns.filter((c) => c.kind === 'text').map((c) => c.name);
}

/**
 * Scans the text columns for PII: the patterns always, a NER model's entities when given. Streams: texts are
 * read one batch at a time (a repeated text is scanned once), with progress and cancel between batches,
 * so a column of 100 000 rows of 10 kB cells never blocks. Returns per-column counts and masked examples,
 * and the cleaned table (a new dataset version, before any synthesis).
 */
export async function scanTextPii(table: Table, columns: readonly string[], ctx: Pick<TaskContext, 'onProgress' | 'signal'>, model?: EntityModel): Promise<TextScanResult> {
  const scans: TextPiiColumnScan[] = [];
  const replaced = new Map<string, (string | null)[]>();
  const uniqueEntities: Record<string, string[]> = {};
  const total = columns.length;
  for (const [ci, name] of columns.entries()) {
    const col = table.columns.find((c) => c.name === name);
    if (!col || col.type !== 'categorical') continue;
    const scan: TextPiiColumnScan = { column: name, texts: 0, textsWithPii: 0, counts: {}, maskedExamples: [], withModel: !!model };
    // Work by level (distinct text): a repeated text is scanned once.
    const used = new Int32Array(col.levels.length);
    for (const c of col.codes) if (c >= 0) used[c]++;
    const levels: number[] = [];
    for (let l = 0; l < used.length; l++) if (used[l] > 0) levels.push(l);
    const cleanedLevels = col.levels.slice();
    const found = new Set<string>();
    for (let start = 0; start < levels.length; start += SCAN_BATCH) {
      throwIfAborted(ctx.signal);
      const batch = levels.slice(start, start + SCAN_BATCH);
      const texts = batch.map((l) => col.levels[l]);
      const ents = model ? await model.find(texts) : [];
      batch.forEach((l, k) => {
        const text = texts[k];
        for (const e of ents[k] ?? []) found.add(normalizeEntity(e.word));
        const spans: TextSpan[] = [...patternSpans(text), ...entitySpans(text, ents[k] ?? [])];
        const rows = used[l];
        scan.texts += rows;
        if (spans.length === 0) return;
        scan.textsWithPii += rows;
        for (const s of spans) scan.counts[s.kind] = (scan.counts[s.kind] ?? 0) + rows;
        cleanedLevels[l] = maskText(text, spans);
        if (scan.maskedExamples.length < EXAMPLES) scan.maskedExamples.push(maskedExample(cleanedLevels[l]));
      });
      ctx.onProgress?.({ phase: 'scanning text', fraction: (ci + Math.min(1, (start + batch.length) / levels.length)) / total, message: `${name}: ${Math.min(levels.length, start + SCAN_BATCH)} of ${levels.length} distinct texts` });
      await yieldToEventLoop();
    }
    scans.push(scan);
    // One pass more over the distinct texts (no model call): in how many rows each found entity occurs.
    if (model) uniqueEntities[name] = entitiesInOneRow(levels.map((l) => col.levels[l]), found, levels.map((l) => used[l]));
    replaced.set(name, Array.from(col.codes, (c) => (c < 0 ? null : cleanedLevels[c])));
  }
  const cleaned: Table = {
    nRows: table.nRows,
    columns: table.columns.map((c) => (replaced.has(c.name) ? categoricalFromStrings(c.name, replaced.get(c.name)!) : c)),
  };
  return { scans, cleaned, uniqueEntities };
}
