import { gunzipSync } from 'fflate';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer } from 'hyparquet';
import { UserError, throwIfAborted, yieldToEventLoop } from '../context';
import type { ByteSource } from './byteSource';
import { ColumnBuilder } from './columnBuilder';
import type { IngestHooks, ParsedTable } from './parseDelimited';
import type { IngestOptions, IngestWarning } from './types';

/** Collects records of JS values (from JSON or Parquet) into column builders. */
class RecordCollector {
  readonly builders: ColumnBuilder[] = [];
  readonly #byName = new Map<string, ColumnBuilder>();
  rows = 0;
  nested = 0;

  constructor(readonly missing: Set<string>) {}

  column(name: string): ColumnBuilder {
    let b = this.#byName.get(name);
    if (!b) {
      b = new ColumnBuilder(name, this.missing);
      b.padTo(this.rows);
      this.#byName.set(name, b);
      this.builders.push(b);
    }
    return b;
  }

  push(b: ColumnBuilder, v: unknown): void {
    if (v === null || v === undefined) b.pushMissing();
    else if (typeof v === 'number') b.pushNumber(v);
    else if (typeof v === 'bigint') {
      if (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) b.pushNumber(Number(v));
      else b.push(v.toString());
    } else if (typeof v === 'string') b.push(v);
    else if (typeof v === 'boolean') b.push(v ? 'true' : 'false');
    else if (v instanceof Date) b.push(Number.isNaN(v.getTime()) ? undefined : v.toISOString());
    else {
      this.nested++;
      b.push(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)));
    }
  }

  endRow(): void {
    this.rows++;
    for (const b of this.builders) if (b.length < this.rows) b.pushMissing();
  }

  finish(): ParsedTable['columns'] {
    return this.builders.map((b) => b.finish());
  }
}

/** A JSON array of objects (or of arrays, the first one naming the columns), or NDJSON. */
export async function parseJson(
  text: string,
  options: IngestOptions,
  missing: Set<string>,
  hooks: IngestHooks,
): Promise<ParsedTable> {
  const warnings: IngestWarning[] = [];
  let records: unknown[];
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('[')) records = JSON.parse(trimmed) as unknown[];
    else records = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  } catch (e) {
    const where = /position (\d+)/.exec((e as Error).message);
    const line = where ? trimmed.slice(0, +where[1]).split('\n').length : undefined;
    throw new UserError(
      `"${options.fileName}" is not valid JSON${line ? ` (error near line ${line})` : ''}: ${(e as Error).message}. Facsimile reads a JSON array of objects, e.g. [{"a": 1, "b": "x"}, …], or one object per line.`,
    );
  }
  if (!Array.isArray(records) || records.length === 0) {
    throw new UserError(`"${options.fileName}" holds no records. Facsimile reads a JSON array of objects, e.g. [{"a": 1, "b": "x"}, …].`);
  }
  const c = new RecordCollector(missing);
  const limit = Math.min(records.length, options.maxRows ?? Infinity);
  const asArrays = Array.isArray(records[0]);
  const names = asArrays ? (records[0] as unknown[]).map((x, j) => String(x ?? `column_${j + 1}`)) : null;
  let skipped = 0;
  for (let i = asArrays ? 1 : 0; i < limit; i++) {
    const r = records[i];
    if (asArrays && Array.isArray(r)) {
      (names as string[]).forEach((n, j) => c.push(c.column(n), r[j]));
    } else if (!asArrays && r !== null && typeof r === 'object' && !Array.isArray(r)) {
      for (const [k, v] of Object.entries(r)) c.push(c.column(k), v);
    } else {
      skipped++;
      continue;
    }
    c.endRow();
    if ((i & 0xffff) === 0) {
      throwIfAborted(hooks.signal);
      hooks.onProgress?.({ phase: 'parsing', fraction: 0.5 + 0.4 * (i / limit), rowsSoFar: c.rows });
      await yieldToEventLoop();
    }
  }
  if (c.rows === 0) throw new UserError(`"${options.fileName}" has no objects in its array. Facsimile reads a JSON array of objects, e.g. [{"a": 1}, …].`);
  if (skipped > 0) warnings.push({ code: 'json-skipped', message: `${skipped} item(s) of the JSON array were not objects and were skipped.` });
  if (c.nested > 0) warnings.push({ code: 'json-nested', message: `${c.nested} value(s) were nested objects or arrays; they were kept as JSON text.` });
  if (records.length > limit) warnings.push({ code: 'truncated', message: `Only the first ${limit} records were read (row limit).` });
  return { columns: c.finish(), nRows: c.rows, warnings, encoding: 'json', delimiter: '' };
}

/** Parquet through hyparquet, one row group at a time. */
export async function parseParquet(
  source: ByteSource,
  options: IngestOptions,
  missing: Set<string>,
  hooks: IngestHooks,
): Promise<ParsedTable> {
  const file: AsyncBuffer = {
    byteLength: source.size,
    slice: async (start, end) => {
      const bytes = await source.read(start, end ?? source.size);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new UserError(`"${options.fileName}" starts like a Parquet file but cannot be read (${(e as Error).message}). The file may be truncated; export it again.`);
  }
  const names = parquetSchema(metadata).children.map((ch) => ch.element.name);
  const c = new RecordCollector(missing);
  const builders = names.map((n) => c.column(n));
  const total = Math.min(Number(metadata.num_rows), options.maxRows ?? Infinity);
  let rowStart = 0;
  for (const rg of metadata.row_groups) {
    if (rowStart >= total) break;
    const rowEnd = Math.min(total, rowStart + Number(rg.num_rows));
    throwIfAborted(hooks.signal);
    try {
      await parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        rowFormat: 'array',
        // Snappy is built into hyparquet; gzip through fflate. ZSTD/Brotli files get a clear error below.
        compressors: { GZIP: (input: Uint8Array) => gunzipSync(input) },
        onComplete: (rows: unknown[][]) => {
          for (const r of rows) {
            for (let j = 0; j < builders.length; j++) c.push(builders[j], r[j]);
            c.endRow();
          }
        },
      });
    } catch (e) {
      throw new UserError(`"${options.fileName}": Parquet rows ${rowStart}–${rowEnd} could not be decoded (${(e as Error).message}). Export the file again, with snappy or no compression.`);
    }
    rowStart = rowEnd;
    hooks.onProgress?.({ phase: 'parsing', fraction: 0.9 * (rowStart / Math.max(1, total)), rowsSoFar: c.rows });
    await yieldToEventLoop();
  }
  const warnings: IngestWarning[] = [];
  if (c.nested > 0) warnings.push({ code: 'parquet-nested', message: `${c.nested} value(s) were nested structures; they were kept as JSON text.` });
  if (Number(metadata.num_rows) > total) warnings.push({ code: 'truncated', message: `Only the first ${total} rows were read (row limit).` });
  if (c.rows === 0) throw new UserError(`"${options.fileName}" is a Parquet file with no rows.`);
  return { columns: c.finish(), nRows: c.rows, warnings, encoding: 'parquet', delimiter: '' };
}
