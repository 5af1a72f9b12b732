import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { levelCounts, profileColumn } from './columnStats';
import { countDistinctSorted } from '../stats/quantiles';
import { sortedPresent } from '../stats/sortPresent';
import { columnFindings, duplicateFinding, type ColumnFacts } from './findings';
import type { Finding, Profile } from './types';
import { discoverRules } from '../rules/discover';

export { applyFix } from './fixes';
export type * from './types';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Progress of profileTable, column by column (wide tables have thousands). */
export interface ProfileProgress {
  /** 0..1 over the whole profile. */
  fraction: number;
  columnsDone: number;
  message?: string;
}

export interface ProfileHooks {
  /** Called at most every ~100 ms, and once at the end. */
  onProgress?: (p: ProfileProgress) => void;
}

const PROGRESS_MS = 100;

/** Per-column statistics and data-quality findings, most severe first. Pure: the table is only read. */
export function profileTable(table: Table, schema: Schema, hooks: ProfileHooks = {}): Profile {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const columns = [];
  const nCols = table.columns.length;
  const onProgress = hooks.onProgress;
  onProgress?.({ fraction: 0, columnsDone: 0, message: 'Looking for duplicate rows' });
  const findings: Finding[] = [...duplicateFinding(table)];
  let lastReport = Date.now();
  // Duplicates take about as long as a tenth of the columns.
  const fractionAt = (j: number) => 0.1 + (0.9 * j) / Math.max(1, nCols);
  onProgress?.({ fraction: fractionAt(0), columnsDone: 0, message: `Profiling ${nCols.toLocaleString('en')} columns` });
  for (let j = 0; j < nCols; j++) {
    const column = table.columns[j];
    if (onProgress && j > 0 && Date.now() - lastReport >= PROGRESS_MS) {
      lastReport = Date.now();
      onProgress({ fraction: fractionAt(j), columnsDone: j, message: `Profiling column ${(j + 1).toLocaleString('en')} of ${nCols.toLocaleString('en')}` });
    }
    const sc = byName.get(column.name);
    if (!sc) throw new Error(`No schema for column "${column.name}"`);
    let facts: ColumnFacts;
    if (column.type === 'numeric') {
      const sorted = sortedPresent(column.values);
      facts = { column, schema: sc, sorted, present: sorted.length, distinct: countDistinctSorted(sorted) };
    } else {
      const counts = levelCounts(column);
      let present = 0;
      let distinct = 0;
      for (let k = 0; k < counts.length; k++) {
        if (counts[k] > 0) {
          present += counts[k];
          distinct++;
        }
      }
      facts = { column, schema: sc, counts, present, distinct };
    }
    columns.push(profileColumn(column, sc, facts));
    for (const f of columnFindings(facts, table.nRows)) findings.push(f);
  }
  onProgress?.({ fraction: 1, columnsDone: nCols });
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { nRows: table.nRows, nColumns: table.columns.length, columns, findings, rules: discoverRules(table, schema) };
}
export { fixChangesValues, previewFix, type FixExample, type FixPreview } from './fixPreview';
