/**
 * Test helpers: tables from CSV text (papaparse, test-only: the app reads files through core/ingest),
 * seeded splits, column shuffles and small hand-made tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { categoricalFromStrings, makeTable, numericColumn, takeRows, type Column, type Table } from '../../../src/core/table/table';
import type { ColumnKind, Schema } from '../../../src/core/schema/schema';
import { Rng } from '../../../src/core/random/rng';
import { DATA_DIR } from '../../fixtures/dataDir';

export { DATA_DIR };

export interface Loaded {
  table: Table;
  schema: Schema;
}

export function tableFromCsv(text: string): Loaded {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const columns: Column[] = [];
  const kinds: ColumnKind[] = [];
  header.forEach((name, j) => {
    const raw = rows.map((r) => (r[j] === '' || r[j] === 'NA' ? null : r[j]));
    const numeric = raw.every((v) => v === null || Number.isFinite(Number(v)));
    if (numeric) {
      columns.push(numericColumn(name, Float64Array.from(raw, (v) => (v === null ? NaN : Number(v)))));
      kinds.push(raw.every((v) => v === null || Number.isInteger(Number(v))) ? 'integer' : 'numeric');
    } else {
      columns.push(categoricalFromStrings(name, raw));
      kinds.push('categorical');
    }
  });
  return {
    table: makeTable(columns),
    schema: { columns: header.map((name, j) => ({ name, kind: kinds[j], role: 'synthesize', pii: [] })) },
  };
}

export function loadData(file: string): Loaded {
  return tableFromCsv(fs.readFileSync(path.join(DATA_DIR, file), 'utf8'));
}

/** Seeded split into training (1 − share) and holdout (share). */
export function split(t: Table, share: number, seed: number): { train: Table; holdout: Table } {
  const order = new Rng(seed).shuffle(Int32Array.from({ length: t.nRows }, (_, i) => i));
  const nHold = Math.round(t.nRows * share);
  return { holdout: takeRows(t, order.slice(0, nHold)), train: takeRows(t, order.slice(nHold)) };
}

/** Each column permuted independently: same marginals, no dependence between columns. */
export function shuffleColumns(t: Table, seed: number): Table {
  const rng = new Rng(seed);
  return makeTable(
    t.columns.map((c) => {
      const order = rng.shuffle(Int32Array.from({ length: t.nRows }, (_, i) => i));
      return takeRows(makeTable([c]), order).columns[0];
    }),
  );
}

type Cell = number | string | null;

/** A small table from rows; a column is numeric when every present value is a number. */
export function tableOfRows(names: string[], rows: Cell[][]): Table {
  return makeTable(
    names.map((name, j) => {
      const vals = rows.map((r) => r[j]);
      if (vals.every((v) => v === null || typeof v === 'number')) {
        return numericColumn(name, Float64Array.from(vals, (v) => (v === null ? NaN : (v as number))));
      }
      return categoricalFromStrings(name, vals.map((v) => (v === null ? null : String(v))));
    }),
  );
}

export function schemaOf(names: string[], kinds: ColumnKind[], roles: Partial<Record<string, 'synthesize' | 'keep-out' | 'generate-key'>> = {}): Schema {
  return { columns: names.map((name, j) => ({ name, kind: kinds[j], role: roles[name] ?? 'synthesize', pii: [] })) };
}
