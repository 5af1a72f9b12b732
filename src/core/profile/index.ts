import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { levelCounts, profileColumn } from './columnStats';
import { countDistinctSorted, sortedPresent } from '../stats/quantiles';
import { columnFindings, duplicateFinding, type ColumnFacts } from './findings';
import type { Finding, Profile } from './types';

export { applyFix } from './fixes';
export type * from './types';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Per-column statistics and data-quality findings, most severe first. Pure: the table is only read. */
export function profileTable(table: Table, schema: Schema): Profile {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const columns = [];
  const findings: Finding[] = [...duplicateFinding(table)];
  for (const column of table.columns) {
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
      for (let k = 0; k < counts.length; k++) if (counts[k] > 0) [present, distinct] = [present + counts[k], distinct + 1];
      facts = { column, schema: sc, counts, present, distinct };
    }
    columns.push(profileColumn(column, sc, facts));
    findings.push(...columnFindings(facts, table.nRows));
  }
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { nRows: table.nRows, nColumns: table.columns.length, columns, findings };
}
