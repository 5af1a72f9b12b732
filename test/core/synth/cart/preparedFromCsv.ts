import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { PreparedColumn, PreparedTable } from '../../../../src/core/synth/engine';
import { DATA_DIR } from '../../../fixtures/dataDir';

/** The real test tables (test/fixtures/data). */
export { DATA_DIR };

export interface CsvPrepared {
  table: PreparedTable;
  /** Level labels per categorical column (by column index; empty for numerics). */
  levels: string[][];
}

export const POOLED_LABEL = '(rare)';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/;

/**
 * A simple CSV -> PreparedTable for engine tests, independent of the ingest engine and the pipeline: a
 * column is numeric when every non-empty cell parses as a number (integer kind when all are whole),
 * datetime (epoch ms) when every one is an ISO date, else categorical with levels in first-seen order;
 * empty cells are missing. With `poolRare` k, categories seen fewer than k times are pooled into one
 * extra level labelled POOLED_LABEL, as the pipeline does.
 */
export function preparedFromCsv(file: string, opts: { poolRare?: number } = {}): CsvPrepared {
  const text = readFileSync(path.isAbsolute(file) ? file : path.join(DATA_DIR, file), 'utf8');
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const levels: string[][] = [];
  const columns = header.map((name, j): PreparedColumn => {
    const cells = rows.map((r) => (r[j] === undefined || r[j] === '' || r[j] === 'NA' ? null : r[j]));
    const nums = cells.map((c) => (c === null ? NaN : Number(c)));
    const numeric = cells.every((c, i) => c === null || Number.isFinite(nums[i]));
    if (numeric && cells.some((c) => c !== null)) {
      levels.push([]);
      const values = Float64Array.from(nums);
      let min = Infinity, max = -Infinity;
      for (const v of values) if (!Number.isNaN(v)) { min = Math.min(min, v); max = Math.max(max, v); }
      const kind = values.every((v) => Number.isNaN(v) || Number.isInteger(v)) ? 'integer' : 'numeric';
      return { type: 'numeric', name, kind, values, min, max };
    }
    if (cells.some((c) => c !== null) && cells.every((c) => c === null || (ISO_DATE.test(c) && Number.isFinite(Date.parse(c))))) {
      levels.push([]);
      const values = Float64Array.from(cells, (c) => (c === null ? NaN : Date.parse(c)));
      let min = Infinity, max = -Infinity;
      for (const v of values) if (!Number.isNaN(v)) { min = Math.min(min, v); max = Math.max(max, v); }
      return { type: 'numeric', name, kind: 'datetime', values, min, max };
    }
    if (opts.poolRare) {
      const counts = new Map<string, number>();
      for (const c of cells) if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i];
        if (c !== null && (counts.get(c) as number) < opts.poolRare) cells[i] = POOLED_LABEL;
      }
    }
    const index = new Map<string, number>();
    const lv: string[] = [];
    const codes = Int32Array.from(cells, (c) => {
      if (c === null) return -1;
      let k = index.get(c);
      if (k === undefined) { k = lv.length; lv.push(c); index.set(c, k); }
      return k;
    });
    levels.push(lv);
    return { type: 'categorical', name, kind: 'categorical', codes, nLevels: lv.length };
  });
  return { table: { nRows: rows.length, columns }, levels };
}
