import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { exportValue } from './formatValue';
import { guardFormula } from './formulaGuard';

export interface CsvOptions {
  delimiter?: string;
  /** Line ending; RFC 4180 says CRLF, most tools are happy with LF (the default). */
  newline?: string;
  /** Rows per string chunk from csvChunks(). */
  chunkRows?: number;
  /** Prefix text cells that a spreadsheet would run as a formula with "'" (default true). */
  formulaGuard?: boolean;
}

/** RFC 4180 quoting: fields holding the delimiter, a quote or a line break are quoted, quotes doubled. */
export function quoteField(s: string, delimiter = ','): string {
  if (s === '') return s;
  const needs =
    s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') || s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32;
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The table as CSV text, chunk by chunk (header first), with the input's header names and value formats.
 * Use this to write big tables to a stream without building one huge string.
 */
export function* csvChunks(table: Table, schema: Schema, options: CsvOptions = {}): Generator<string> {
  const delimiter = options.delimiter ?? ',';
  const newline = options.newline ?? '\n';
  const chunkRows = options.chunkRows ?? 10_000;
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const cols = table.columns.map((c) => {
    const s = byName.get(c.name);
    if (!s) throw new Error(`No schema for column "${c.name}"`);
    // Text cells come from a column's levels: guard each level once, not each cell.
    const levels = c.type === 'categorical' && options.formulaGuard !== false ? c.levels.map(guardFormula) : undefined;
    return { c: levels && c.type === 'categorical' ? { ...c, levels } : c, s };
  });
  yield cols.map(({ c }) => quoteField(c.name, delimiter)).join(delimiter) + newline;
  const cells: string[] = new Array(cols.length);
  for (let start = 0; start < table.nRows; start += chunkRows) {
    const end = Math.min(table.nRows, start + chunkRows);
    const lines: string[] = [];
    for (let i = start; i < end; i++) {
      for (let j = 0; j < cols.length; j++) cells[j] = quoteField(exportValue(cols[j].c, cols[j].s, i), delimiter);
      lines.push(cells.join(delimiter));
    }
    yield lines.join(newline) + newline;
  }
}

/** The whole table as one CSV string (fine for up to a few hundred thousand rows). */
export function tableToCsv(table: Table, schema: Schema, options: CsvOptions = {}): string {
  return [...csvChunks(table, schema, options)].join('');
}
