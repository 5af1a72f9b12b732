import { UserError, throwIfAborted, yieldToEventLoop } from '../context';
import { inferColumn, type InferredColumn } from '../schema/infer';
import type { Schema } from '../schema/schema';
import { makeTable, rowValues, type Table } from '../table/table';
import { blobSource, type ByteSource } from './byteSource';
import { DEFAULT_MISSING_TOKENS } from './columnBuilder';
import { parseDelimited, type IngestHooks, type ParsedTable } from './parseDelimited';
import { parseJson, parseParquet } from './parseRecords';
import { sniff } from './sniff';
import type { IngestOptions, IngestResult } from './types';

export type { IngestHooks } from './parseDelimited';

const MAX_JSON_BYTES = 512 << 20;

/** Read a file (browser File, fs.openAsBlob, or any Blob) into a Table with an inferred Schema. */
export function ingestBlob(file: Blob, options: IngestOptions, hooks: IngestHooks = {}): Promise<IngestResult> {
  return ingestSource(blobSource(file), options, hooks);
}

export async function ingestSource(source: ByteSource, options: IngestOptions, hooks: IngestHooks = {}): Promise<IngestResult> {
  hooks.onProgress?.({ phase: 'reading', fraction: 0, rowsSoFar: 0, message: `Reading ${options.fileName}` });
  const head = await source.read(0, Math.min(source.size, 64 * 1024));
  const sniffed = sniff(head, options.fileName);
  const missing = new Set([...DEFAULT_MISSING_TOKENS, ...(options.missingTokens ?? [])]);
  let parsed: ParsedTable;
  if (sniffed.format === 'parquet') parsed = await parseParquet(source, options, missing, hooks);
  else if (sniffed.format === 'json') {
    if (source.size > MAX_JSON_BYTES) {
      throw new UserError(`"${options.fileName}" is a ${Math.round(source.size / 2 ** 20)} MB JSON file; JSON is read whole, up to 512 MB. Convert it to CSV or Parquet, which stream.`);
    }
    const bytes = await source.read(sniffed.skip, source.size);
    hooks.onProgress?.({ phase: 'parsing', fraction: 0.4, rowsSoFar: 0 });
    const text = new TextDecoder(sniffed.encoding).decode(bytes);
    parsed = await parseJson(text, options, missing, hooks);
  } else parsed = await parseDelimited(source, sniffed, options, missing, hooks);
  throwIfAborted(hooks.signal);
  hooks.onProgress?.({ phase: 'profiling', fraction: 0.92, rowsSoFar: parsed.nRows, message: 'Inferring column kinds' });
  // Column by column, reporting progress and letting a cancel in every ~50 ms: a wide table has thousands.
  const inferred: InferredColumn[] = [];
  const nCols = parsed.columns.length;
  let lastYield = Date.now();
  for (let j = 0; j < nCols; j++) {
    inferred.push(inferColumn(parsed.columns[j]));
    if (Date.now() - lastYield >= 50 && j + 1 < nCols) {
      hooks.onProgress?.({ phase: 'profiling', fraction: 0.92 + (0.03 * (j + 1)) / nCols, rowsSoFar: parsed.nRows, message: `Inferring column kinds (${j + 1} of ${nCols})` });
      await yieldToEventLoop();
      throwIfAborted(hooks.signal);
      lastYield = Date.now();
    }
  }
  // Keep the input's missing-value token so that exports write missing cells the way the input did.
  inferred.forEach((c, i) => {
    const token = parsed.columns[i].missingToken;
    if (token !== undefined) c.schema.format = { ...c.schema.format, missing: token };
  });
  const table = makeTable(inferred.map((c) => c.column));
  const schema: Schema = { columns: inferred.map((c) => c.schema) };
  const warnings = [...parsed.warnings, ...inferred.flatMap((c) => c.warnings)];
  const empty = table.columns.filter((c) => (c.type === 'numeric' ? c.values.every(Number.isNaN) : c.codes.every((k) => k < 0)));
  if (empty.length > 0) {
    const names = empty.slice(0, 8).map((c) => `"${c.name}"`).join(', ') + (empty.length > 8 ? ', …' : '');
    warnings.push({
      code: 'empty-columns',
      message: `${empty.length === table.columns.length ? 'Every column' : `${empty.length} column(s)`} (${names}) ${empty.length === 1 ? 'has' : 'have'} no values, only blanks or missing-value tokens.`,
    });
  }
  if (sniffed.format !== 'delimited') {
    hooks.onProgress?.({ phase: 'profiling', fraction: 0.95, rowsSoFar: table.nRows, preview: previewOf(table) });
  }
  hooks.onProgress?.({ phase: 'profiling', fraction: 1, rowsSoFar: table.nRows });
  return { table, schema, warnings, encoding: parsed.encoding, delimiter: parsed.delimiter, fileName: options.fileName };
}

function previewOf(t: Table): { header: string[]; rows: (string | null)[][] } {
  const rows: (string | null)[][] = [];
  for (let i = 0; i < Math.min(50, t.nRows); i++) rows.push(rowValues(t, i).map((v) => (v === null ? null : String(v))));
  return { header: t.columns.map((c) => c.name), rows };
}
