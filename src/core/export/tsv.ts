import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { csvChunks, type CsvOptions } from './csv';

/** The table as TSV: the CSV writer with a tab (fields holding a tab, a quote or a line break are quoted). */
export function* tsvChunks(table: Table, schema: Schema, options: Omit<CsvOptions, 'delimiter'> = {}): Generator<string> {
  yield* csvChunks(table, schema, { ...options, delimiter: '\t' });
}

export function tableToTsv(table: Table, schema: Schema, options: Omit<CsvOptions, 'delimiter'> = {}): string {
  return [...tsvChunks(table, schema, options)].join('');
}
