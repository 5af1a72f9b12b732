import { formatValue } from '../export/formatValue';
import type { Schema } from '../schema/schema';
import type { Table } from './table';

/** A cell as the page shows it: numbers stay numbers (right-aligned), null = missing. */
export type PreviewCell = string | number | null;

/**
 * What the page keeps of a table instead of the table: its first rows, formatted as the export
 * writes them, and each categorical column's levels (for condition pickers and target choice).
 * Computed once when a dataset is written, so the page never needs the column arrays.
 */
export interface TablePreview {
  header: string[];
  rows: PreviewCell[][];
  /** Sorted levels per categorical column, at most MAX_PREVIEW_LEVELS each. */
  levels: Record<string, { values: string[]; count: number }>;
}

export const PREVIEW_ROWS = 100;
/** Levels kept per column: enough for a picker; an id column's million levels are only counted. */
export const MAX_PREVIEW_LEVELS = 1000;
/** Cells kept in a preview: a 5,000-column survey export keeps a few rows, not half a million cells. */
export const MAX_PREVIEW_CELLS = 20_000;

/** The first rows as the export writes them (dates and decimals as in the input); null = missing. */
export function previewRows(table: Table, schema: Schema, n = PREVIEW_ROWS, rowIndices?: ArrayLike<number>): { header: string[]; rows: PreviewCell[][] } {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const cols = table.columns.map((c) => {
    const s = byName.get(c.name);
    return { c, s, asNumber: s !== undefined && (s.kind === 'numeric' || s.kind === 'integer') };
  });
  const rows: PreviewCell[][] = [];
  const count = rowIndices ? Math.min(n, rowIndices.length) : Math.min(n, table.nRows);
  for (let k = 0; k < count; k++) {
    const r = rowIndices ? rowIndices[k] : k;
    if (r < 0 || r >= table.nRows) continue;
    rows.push(
      cols.map(({ c, s, asNumber }) => {
        const v = s ? formatValue(c, s, r) : '';
        if (v === '') return null;
        return asNumber && String(Number(v)) === v ? Number(v) : v;
      }),
    );
  }
  return { header: table.columns.map((c) => c.name), rows };
}

export function tablePreview(table: Table, schema: Schema, n = PREVIEW_ROWS): TablePreview {
  const levels: TablePreview['levels'] = {};
  for (const c of table.columns) {
    if (c.type !== 'categorical') continue;
    const values = c.levels.length <= MAX_PREVIEW_LEVELS ? [...c.levels].sort((a, b) => a.localeCompare(b)) : c.levels.slice(0, MAX_PREVIEW_LEVELS);
    levels[c.name] = { values, count: c.levels.length };
  }
  const rows = Math.max(1, Math.min(n, Math.floor(MAX_PREVIEW_CELLS / Math.max(1, table.columns.length))));
  return { ...previewRows(table, schema, rows), levels };
}
