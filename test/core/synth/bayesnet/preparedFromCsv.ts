import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { PreparedColumn, PreparedTable } from '../../../../src/core/synth/engine';
import { DATA_DIR } from '../../../fixtures/dataDir';

/** The real test tables (test/fixtures/data). */
export { DATA_DIR };

/** A CSV as rows of strings (empty cell = missing), header first. */
export function readCsv(file: string): { header: string[]; rows: string[][] } {
  const text = readFileSync(path.isAbsolute(file) ? file : path.join(DATA_DIR, file), 'utf8');
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  return { header, rows };
}

export interface PreparedWithLevels {
  table: PreparedTable;
  /** Levels of categorical columns (undefined for numeric ones), to write rows back out. */
  levels: (string[] | undefined)[];
}

/**
 * A stand-in for the shared pipeline's preparation, simple on purpose: a column whose non-empty
 * cells all parse as numbers is numeric (integer when all are whole), anything else categorical;
 * categories seen fewer than `rareThreshold` times are pooled into one extra level.
 */
export function preparedFromRows(header: string[], rows: string[][], rareThreshold = 5): PreparedWithLevels {
  const columns: PreparedColumn[] = [];
  const levels: (string[] | undefined)[] = [];
  header.forEach((name, j) => {
    const cells = rows.map((r) => (r[j] ?? '').trim());
    const present = cells.filter((c) => c !== '' && c !== 'NA');
    const numeric = present.length > 0 && present.every((c) => Number.isFinite(Number(c)));
    if (numeric) {
      const values = Float64Array.from(cells, (c) => (c === '' || c === 'NA' ? NaN : Number(c)));
      let min = Infinity, max = -Infinity;
      for (const v of values) if (!Number.isNaN(v)) { min = Math.min(min, v); max = Math.max(max, v); }
      const integer = present.every((c) => Number.isInteger(Number(c)));
      columns.push({ type: 'numeric', name, kind: integer ? 'integer' : 'numeric', values, min, max });
      levels.push(undefined);
      return;
    }
    const counts = new Map<string, number>();
    for (const c of present) counts.set(c, (counts.get(c) ?? 0) + 1);
    const kept = [...counts.keys()].filter((k) => counts.get(k)! >= rareThreshold).sort();
    const pooled = kept.length < counts.size;
    const lv = pooled ? [...kept, '(other)'] : kept;
    const index = new Map(kept.map((k, i) => [k, i]));
    const codes = Int32Array.from(cells, (c) =>
      c === '' || c === 'NA' ? -1 : (index.get(c) ?? (pooled ? kept.length : -1)));
    columns.push({ type: 'categorical', name, kind: 'categorical', codes, nLevels: lv.length });
    levels.push(lv);
  });
  return { table: { nRows: rows.length, columns }, levels };
}

export function preparedFromCsv(file: string, rareThreshold = 5): PreparedWithLevels {
  const { header, rows } = readCsv(file);
  return preparedFromRows(header, rows, rareThreshold);
}
