import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { jsonCells } from './typedValue';

/**
 * The table as a JSON array of records, chunk by chunk: `[{"col": value, …}, …]` with the input's
 * header names; numbers as numbers (rounded as the input wrote them), datetimes as the input formats
 * them, booleans as true/false when the input wrote true/false, missing as null. Ingest reads it back.
 */
export function* jsonChunks(table: Table, schema: Schema, options: { chunkRows?: number } = {}): Generator<string> {
  const chunkRows = options.chunkRows ?? 10_000;
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const keys = table.columns.map((c) => JSON.stringify(c.name) + ':');
  const cols = table.columns.map((c) => {
    const s = byName.get(c.name);
    if (!s) throw new Error(`No schema for column "${c.name}"`);
    return jsonCells(c, s);
  });
  yield '[';
  for (let start = 0; start < table.nRows; start += chunkRows) {
    const end = Math.min(table.nRows, start + chunkRows);
    const lines: string[] = [];
    for (let i = start; i < end; i++) {
      let rec = '{';
      for (let j = 0; j < cols.length; j++) rec += (j ? ',' : '') + keys[j] + JSON.stringify(cols[j][i]);
      lines.push(rec + '}');
    }
    yield (start === 0 ? '\n' : ',\n') + lines.join(',\n');
  }
  yield '\n]\n';
}

export function tableToJson(table: Table, schema: Schema): string {
  return [...jsonChunks(table, schema)].join('');
}
