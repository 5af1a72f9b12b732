import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { categoricalFromStrings, makeTable, numericColumn, type Column, type Table } from '../../../../src/core/table/table';
import type { ColumnKind, Schema } from '../../../../src/core/schema/schema';
import { DATA_DIR } from '../../../fixtures/dataDir';

export const SHARED_DATA = DATA_DIR;

/**
 * Minimal loader for test tables (the ingest engine is tested on its own): a column is integer or
 * numeric when every non-empty cell parses as a number, else categorical. "NA" and "" are missing.
 */
export function loadCsv(file: string, kinds: Record<string, ColumnKind> = {}): { table: Table; schema: Schema } {
  const text = readFileSync(path.join(SHARED_DATA, file), 'utf8');
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const columns: Column[] = [];
  const schema: Schema = { columns: [] };
  header.forEach((name, j) => {
    const cells = rows.map((r) => (r[j] === '' || r[j] === 'NA' ? null : r[j]));
    let kind = kinds[name];
    if (!kind) {
      const numeric = cells.every((c) => c === null || Number.isFinite(Number(c)));
      kind = numeric ? (cells.every((c) => c === null || Number.isInteger(Number(c))) ? 'integer' : 'numeric') : 'categorical';
    }
    if (kind === 'numeric' || kind === 'integer') {
      columns.push(numericColumn(name, Float64Array.from(cells, (c) => (c === null ? NaN : Number(c)))));
    } else if (kind === 'datetime') {
      columns.push(numericColumn(name, Float64Array.from(cells, (c) => (c === null ? NaN : Date.parse(c + 'T00:00:00Z')))));
    } else {
      columns.push(categoricalFromStrings(name, cells));
    }
    schema.columns.push({ name, kind, role: 'synthesize', pii: [] });
  });
  return { table: makeTable(columns), schema };
}
