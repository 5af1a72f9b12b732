import type { Column, Table } from '../core/table/table';
import { UserError } from '../core/context';
import { MAX_RECORD_BYTES, megabytes } from './recordLimit';
import type { ColumnDataRecord } from './types';

/** Most bytes one stored column may take (one IndexedDB record: see recordLimit.ts). */
export const MAX_COLUMN_BYTES = MAX_RECORD_BYTES;

/** Bytes the structured clone of a column takes, about: typed arrays as they are, strings 1 byte per character when all are Latin-1, else 2. */
export function columnBytes(c: Column): number {
  if (c.type === 'numeric') return c.values.byteLength;
  let chars = 0;
  for (const l of c.levels) chars += l.length;
  const base = c.codes.byteLength + 5 * c.levels.length;
  // Only a column near the limit is scanned for characters beyond Latin-1 (which V8 writes in 2 bytes).
  if (base + chars > MAX_COLUMN_BYTES || base + 2 * chars <= MAX_COLUMN_BYTES) return base + chars;
  return base + (c.levels.some((l) => /[^\u0000-\u00ff]/.test(l)) ? 2 : 1) * chars;
}

/**
 * Refuses, before anything is written, a table with a column too big for one stored record, with what
 * to do instead (the 100,000 rows × 10 kB of text is a 1 GB column).
 */
export function assertStorable(table: Table): void {
  for (const c of table.columns) {
    const bytes = columnBytes(c);
    if (bytes <= MAX_COLUMN_BYTES) continue;
    throw new UserError(
      `Column "${c.name}" holds about ${megabytes(bytes)}, more than this browser can store in one column (${megabytes(MAX_COLUMN_BYTES)}). Nothing was saved.`,
      c.type === 'categorical'
        ? 'Remove that column from the file (long free text is rarely needed to synthesize the rest), or import fewer rows: split the file and import a part.'
        : 'Import fewer rows: split the file and import a part.',
    );
  }
}

/** Table <-> column records: one record per column, typed arrays kept as they are. */
export function tableToRecords(datasetId: string, table: Table): ColumnDataRecord[] {
  return table.columns.map((c, index) =>
    c.type === 'numeric'
      ? { datasetId, index, name: c.name, type: 'numeric', values: c.values }
      : { datasetId, index, name: c.name, type: 'categorical', codes: c.codes, levels: c.levels },
  );
}

export function recordsToTable(records: ColumnDataRecord[]): Table {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  const columns: Column[] = sorted.map((r) => {
    if (r.type === 'numeric') {
      if (!r.values) throw new Error(`Stored column "${r.name}" has no values`);
      return { type: 'numeric', name: r.name, values: r.values };
    }
    if (!r.codes || !r.levels) throw new Error(`Stored column "${r.name}" has no codes`);
    return { type: 'categorical', name: r.name, codes: r.codes, levels: r.levels };
  });
  const nRows = columns.length ? (columns[0].type === 'numeric' ? columns[0].values.length : columns[0].codes.length) : 0;
  return { nRows, columns };
}

/** Bytes a table takes as stored: its typed arrays plus its labels (UTF-16, as IndexedDB keeps strings). */
export function tableBytes(table: Table): number {
  let n = 0;
  for (const c of table.columns) {
    if (c.type === 'numeric') n += c.values.byteLength;
    else {
      n += c.codes.byteLength;
      for (const l of c.levels) n += 2 * l.length + 8;
    }
  }
  return n;
}
