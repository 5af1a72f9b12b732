import type { Column, Table } from '../core/table/table';
import type { ColumnDataRecord } from './types';

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
