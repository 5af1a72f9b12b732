import { formatValue } from '../export/formatValue';
import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { duplicateRows } from './duplicates';
import { applyFix } from './fixes';
import type { Fix } from './types';

/** One value before → after a fix; `null` = missing. */
export interface FixExample {
  /** Data row number (1 = the first row after the header). */
  row: number;
  before: string | null;
  /** For a removed row: null, with `removed`. */
  after: string | null;
  removed?: boolean;
}

/** What a fix would change, worked out on a copy in memory (nothing is saved): small, for the page. */
export interface FixPreview {
  rowsBefore: number;
  rowsAfter: number;
  columnsBefore: number;
  columnsAfter: number;
  /** The column the fix touches; absent for row fixes. */
  column?: string;
  /** Values that change (missing counts as a value), or rows removed. */
  changed: number;
  /** Up to `maxExamples` changes, distinct ones first, in row order. */
  examples: FixExample[];
}

/** Fixes that only relabel the schema (no stored value changes): applied without a preview. */
export function fixChangesValues(fix: Fix): boolean {
  return fix.type !== 'set-role' && fix.type !== 'set-kind';
}

const ROW_TEXT = 80;

/**
 * Apply `fix` in memory with applyFix and summarise what changes: the number of values (or rows) and a few
 * examples before → after, formatted as the export writes them. The table is only read.
 */
export function previewFix(table: Table, schema: Schema, fix: Fix, maxExamples = 8): FixPreview {
  const next = applyFix(table, schema, fix);
  const base = { rowsBefore: table.nRows, rowsAfter: next.table.nRows, columnsBefore: table.columns.length, columnsAfter: next.table.columns.length };
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  if (fix.type === 'drop-duplicate-rows') {
    const dupes = duplicateRows(table);
    const examples = dupes.slice(0, maxExamples).map((r) => {
      const text = table.columns.map((c) => { const s = byName.get(c.name); return s ? formatValue(c, s, r) : ''; }).join(', ');
      return { row: r + 1, before: text.length > ROW_TEXT ? `${text.slice(0, ROW_TEXT - 1)}…` : text, after: null, removed: true };
    });
    return { ...base, changed: dupes.length, examples };
  }
  const column = fix.column;
  const before = table.columns.find((c) => c.name === column);
  const sBefore = byName.get(column);
  if (!before || !sBefore) throw new Error(`No column named "${column}"`);
  const after = next.table.columns.find((c) => c.name === column);
  const sAfter = next.schema.columns.find((c) => c.name === column);
  const cell = (s: string) => (s === '' ? null : s);
  if (!after || !sAfter) {
    // The column goes: every value it had is dropped.
    let present = 0;
    const examples: FixExample[] = [];
    for (let r = 0; r < table.nRows; r++) {
      const v = formatValue(before, sBefore, r);
      if (v === '') continue;
      present++;
      if (examples.length < Math.min(3, maxExamples)) examples.push({ row: r + 1, before: v, after: null });
    }
    return { ...base, column, changed: present, examples };
  }
  let changed = 0;
  const distinct: FixExample[] = [];
  const repeats: FixExample[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < table.nRows; r++) {
    const b = formatValue(before, sBefore, r);
    const a = formatValue(after, sAfter, r);
    if (a === b) continue;
    changed++;
    if (distinct.length >= maxExamples) continue;
    const key = `${b}\u0000${a}`;
    const ex = { row: r + 1, before: cell(b), after: cell(a) };
    if (!seen.has(key)) {
      seen.add(key);
      distinct.push(ex);
    } else if (repeats.length < maxExamples) repeats.push(ex);
  }
  const examples = [...distinct, ...repeats].slice(0, maxExamples).sort((x, y) => x.row - y.row);
  return { ...base, column, changed, examples };
}
