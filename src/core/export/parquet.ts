/**
 * The table as a Parquet file with typed columns (hyparquet-writer): numeric → DOUBLE, integer → INT32
 * (INT64 beyond its range), boolean → BOOLEAN (text when its levels are not true/false, yes/no, y/n,
 * t/f), datetime → TIMESTAMP (milliseconds, which hyparquet reads back as dates), everything else →
 * STRING. Numbers are rounded and datetimes truncated the way the input wrote them, as in the CSV.
 * The provenance JSON, when given, goes in the file's key-value metadata under `facsimile.provenance`.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import type { ColumnSchema, Schema } from '../schema/schema';
import type { Column, Table } from '../table/table';
import { APP_VERSION, PARQUET_PROVENANCE_KEY } from '../provenance/provenance';
import { booleanLevels, datetimeAsWritten, roundedNumber } from './typedValue';

export interface ParquetOptions {
  /** The provenance as JSON text, stored in the key-value metadata. */
  provenance?: string;
}

const INT32_MAX = 2 ** 31 - 1;

function columnSource(c: Column, s: ColumnSchema): ColumnSource {
  if (c.type === 'numeric') {
    const n = c.values.length;
    if (s.kind === 'datetime') {
      const data = new Array<number | null>(n);
      for (let i = 0; i < n; i++) data[i] = Number.isNaN(c.values[i]) ? null : Math.round(datetimeAsWritten(c.values[i], s));
      return { name: c.name, data, type: 'TIMESTAMP' };
    }
    if (s.kind === 'integer') {
      let small = true;
      const rounded = new Array<number | null>(n);
      for (let i = 0; i < n; i++) {
        const v = c.values[i];
        rounded[i] = Number.isFinite(v) ? Math.round(v) : null;
        if (rounded[i] !== null && Math.abs(rounded[i]!) > INT32_MAX) small = false;
      }
      if (small) return { name: c.name, data: rounded, type: 'INT32' };
      return { name: c.name, data: rounded.map((v) => (v === null ? null : BigInt(v))), type: 'INT64' };
    }
    const data = new Array<number | null>(n);
    for (let i = 0; i < n; i++) {
      const r = roundedNumber(c.values[i], s);
      data[i] = Number.isNaN(r) ? null : r;
    }
    return { name: c.name, data, type: 'DOUBLE' };
  }
  const bools = s.kind === 'boolean' ? booleanLevels(c.levels) : undefined;
  const levels: (string | boolean)[] = bools ?? c.levels;
  const data = new Array<string | boolean | null>(c.codes.length);
  for (let i = 0; i < c.codes.length; i++) {
    const k = c.codes[i];
    data[i] = k < 0 ? null : levels[k];
  }
  return { name: c.name, data, type: bools ? 'BOOLEAN' : 'STRING' };
}

export function tableToParquet(table: Table, schema: Schema, options: ParquetOptions = {}): Uint8Array {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const columnData = table.columns.map((c) => {
    const s = byName.get(c.name);
    if (!s) throw new Error(`No schema for column "${c.name}"`);
    return columnSource(c, s);
  });
  const buffer = parquetWriteBuffer({
    columnData,
    createdBy: `Facsimile version ${APP_VERSION}`,
    ...(options.provenance ? { kvMetadata: [{ key: PARQUET_PROVENANCE_KEY, value: options.provenance }] } : {}),
  });
  return new Uint8Array(buffer);
}
